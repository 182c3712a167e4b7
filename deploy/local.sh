#!/usr/bin/env bash
# The company deployment of docs/operations.md on this machine's loopback, for its test
# (tests/e2e/test_deployment.py) and the load test (bench/load.py --url): a PostgreSQL set up by
# deploy/postgres-setup.sh, N app processes as the app's least-privilege role, and nginx with a
# self-signed certificate in front of them (deploy/nginx_conf.py). Everything lives in DIR.
#
#   deploy/local.sh start DIR [PROCESSES]   (default 2) then prints the HTTPS address
#   deploy/local.sh app-stop DIR N          kill app process N (SIGKILL, as a crash would)
#   deploy/local.sh app-start DIR N         start app process N again
#   deploy/local.sh stop DIR                stop everything (DIR is left for its logs)
#
# PYTHON (default .venv/bin/python) runs the app; CRM_AS_OF, when set, is the demo data's last
# day and the app's as-of day; DEMO_SIZE (default S) the demo data's size.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
action=${1:?usage: deploy/local.sh start|stop|app-start|app-stop DIR [N]}
dir=$(realpath -m "${2:?DIR missing}")
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {  # URL SECONDS: until it answers "ok" (TLS unchecked: our own certificate)
  local deadline=$((SECONDS + $2))
  until [ "$(curl -ksS --max-time 2 "$1" 2>/dev/null)" = ok ]; do
    [ $SECONDS -lt $deadline ] || { echo "no answer from $1 in $2 s" >&2; return 1; }
    sleep 0.3
  done
}

app_start() {  # N
  local port
  port=$(sed -n "${1}p" "$dir/ports")
  (
    set -a; . "$dir/crm.env"; set +a
    exec setsid "$PYTHON" -m streamlit run "$ROOT/dashboard.py" --server.port "$port" \
      --server.address 127.0.0.1 --server.headless true --browser.gatherUsageStats false \
      >>"$dir/app-$1.log" 2>&1
  ) &
  echo $! >"$dir/app-$1.pid"
  wait_for "http://127.0.0.1:$port/_stcore/health" 90
}

app_stop() {  # N [SIGNAL]
  local pid
  pid=$(cat "$dir/app-$1.pid" 2>/dev/null) || return 0
  kill "-${2:-KILL}" "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$dir/app-$1.pid"
}

start() {
  local processes=${1:-2}
  mkdir -p "$dir"/{tls,nginx-temp}
  chmod 755 "$dir"
  chmod 777 "$dir/nginx-temp"  # nginx's workers run as nobody when it is started as root

  # PostgreSQL: a cluster of our own, the database and its two roles.
  local pg_port owner_url app_url
  pg_port=$(free_port)
  .ci/postgres start "$dir/pg" "$pg_port"
  PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=postgres \
    CRM_OWNER_PASSWORD=owner-$RANDOM$RANDOM CRM_APP_PASSWORD=app-$RANDOM$RANDOM \
    deploy/postgres-setup.sh crm >"$dir/postgres-setup.out"
  owner_url=$(sed -n '2s/^ *CRM_DATABASE_URL=//p' "$dir/postgres-setup.out")
  app_url=$(sed -n '4s/^ *CRM_DATABASE_URL=//p' "$dir/postgres-setup.out")
  CRM_DATABASE_URL=$owner_url "$PYTHON" cli.py db upgrade >/dev/null
  CRM_DATABASE_URL=$owner_url "$PYTHON" cli.py db demo --size "${DEMO_SIZE:-S}" \
    ${CRM_AS_OF:+--end "$CRM_AS_OF"} >/dev/null

  # The settings every process shares (deploy/crm.env.example).
  umask 077
  {
    echo "CRM_DATABASE_URL=$app_url"
    echo "CRM_COOKIE_KEY=$(head -c 48 /dev/urandom | base64 -w0)"
    echo "STREAMLIT_SERVER_COOKIE_SECRET=$(head -c 48 /dev/urandom | base64 -w0)"
    [ -z "${CRM_AS_OF:-}" ] || echo "CRM_AS_OF=$CRM_AS_OF"
  } >"$dir/crm.env"
  echo "$owner_url" >"$dir/owner-url"
  umask 022

  : >"$dir/ports"
  for _ in $(seq "$processes"); do free_port >>"$dir/ports"; done
  for n in $(seq "$processes"); do app_start "$n"; done

  # nginx with a self-signed certificate for 127.0.0.1.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
    -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" 2>/dev/null
  local https_port
  https_port=$(free_port)
  "$PYTHON" deploy/nginx_conf.py --processes "$processes" --first-port "$(head -1 "$dir/ports")" \
    --ports "$(paste -sd, "$dir/ports")" --cert "$dir/tls/cert.pem" --key "$dir/tls/key.pem" \
    --listen "127.0.0.1:$https_port" --http-listen '' \
    --access-log "$dir/nginx-access.log" >"$dir/site.conf"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 4096; }
http {
    client_body_temp_path $dir/nginx-temp/body;
    proxy_temp_path $dir/nginx-temp/proxy;
    fastcgi_temp_path $dir/nginx-temp/fastcgi;
    uwsgi_temp_path $dir/nginx-temp/uwsgi;
    scgi_temp_path $dir/nginx-temp/scgi;
    include $dir/site.conf;
}
EOF
  nginx -t -q -p "$dir" -c "$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf"
  echo "https://127.0.0.1:$https_port" >"$dir/url"
  wait_for "$(cat "$dir/url")/healthz" 30
  cat "$dir/url"
}

stop() {
  [ ! -f "$dir/nginx.pid" ] || nginx -p "$dir" -c "$dir/nginx.conf" -s stop 2>/dev/null || true
  for pidfile in "$dir"/app-*.pid; do
    [ -e "$pidfile" ] || continue
    n=${pidfile##*/app-}; app_stop "${n%.pid}" TERM
  done
  .ci/postgres stop "$dir/pg"
}

case "$action" in
  start) start "${3:-2}" ;;
  stop) stop ;;
  app-start) app_start "${3:?N missing}" ;;
  app-stop) app_stop "${3:?N missing}" ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
