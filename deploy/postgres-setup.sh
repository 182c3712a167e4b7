#!/bin/sh
# The dashboard's PostgreSQL database and its two roles (docs/operations.md), on a server
# reached as a superuser: on the database machine `sudo -u postgres deploy/postgres-setup.sh`,
# or elsewhere with PGHOST, PGPORT, PGUSER (and PGPASSWORD) naming a superuser.
#
#   deploy/postgres-setup.sh [DATABASE]     (default: crm)
#
# - crm_owner owns the database, its schema and tables: migrations (db upgrade), demo data,
#   restores and backups run as this role;
# - crm_app is what the app processes and jobs connect as: it reads and writes rows, nothing
#   else (no CREATE, DROP or ALTER), also on tables later migrations add.
# Passwords come from CRM_OWNER_PASSWORD and CRM_APP_PASSWORD, or are generated; the two
# database URLs are printed at the end. Running it again changes nothing but the grants and,
# when given, the passwords.
set -eu
db=${1:-crm}
owner=${CRM_OWNER_ROLE:-crm_owner}
app=${CRM_APP_ROLE:-crm_app}
generated() { head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }
owner_pw=${CRM_OWNER_PASSWORD:-$(generated)}
app_pw=${CRM_APP_PASSWORD:-$(generated)}

sql() { psql -X -q -v ON_ERROR_STOP=1 -v db="$db" -v owner="$owner" -v app="$app" \
  -v owner_pw="$owner_pw" -v app_pw="$app_pw" "$@"; }

sql -d postgres <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'app')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" PASSWORD :'owner_pw';
ALTER ROLE :"app" PASSWORD :'app_pw';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'owner', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"owner", :"app";
SQL

sql -d "$db" <<'SQL'
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app";
SQL

host=${PGHOST:-127.0.0.1}
case "$host" in /*) host=127.0.0.1 ;; esac  # a socket folder: the app connects over TCP
port=${PGPORT:-5432}
echo "owner (db upgrade, db backup, db restore, db demo):"
echo "  CRM_DATABASE_URL=postgresql+psycopg://$owner:$owner_pw@$host:$port/$db"
echo "app (crm.env of the app processes and jobs):"
echo "  CRM_DATABASE_URL=postgresql+psycopg://$app:$app_pw@$host:$port/$db"
