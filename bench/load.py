"""Load test (issue 17): ``python bench/load.py --size M --users 20 --minutes 10``.

Starts the app (``streamlit run dashboard.py``, loopback only) on the bench's demo database and
drives it over its websocket the way browsers do: ``--users`` sessions (one in ten a director,
two in ten managers, the rest reps) sign in with the session cookie, then open the pages of
their role one after another with a think time between them. Meanwhile a writer records a visit
(planned, then done) or submits a daily report every ``--write-every`` seconds through the same
write functions the Daily page uses. Page time is from the rerun request to the script's end.
The server's memory is sampled every 10 s: ``rss_mb`` holds (seconds, VmRSS, RssAnon,
RssFile, Pss, Pss_File) in MB (:meth:`Server.rss_mb`).

With ``--processes N`` the app is the company deployment instead (deploy/local.sh: PostgreSQL,
N app processes, nginx with TLS in front; docs/operations.md), driven through nginx.

CPU: the app processes' CPU seconds per page view over the run, those of PostgreSQL and nginx
(a deployment), and the load generator's own share of the machine, which it shares with the
server. ``--calibrate K`` first opens every page of each role K times, one view at a time, for
the server's CPU milliseconds per view of each page (the first, cold, and the median).

Bounded: at most 200 users and 60 minutes; stops at ``--minutes``. Writes
``bench/results/load-<size>.json`` (``load-<size>-postgresql.json`` on PostgreSQL,
``load-<size>-<N>proc.json`` for a deployment of N processes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jwt  # noqa: E402
import websockets  # noqa: E402
from sqlalchemy import event, select  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench import app  # noqa: E402
from bench.run import END, create_database, database_url, result_label  # noqa: E402
from crm_core.periods import next_working_day  # noqa: E402
from crm_core.scope import Role  # noqa: E402
from db import daily, schema  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.users import Account  # noqa: E402
from ui.auth import COOKIE_NAME  # noqa: E402

COOKIE_KEY = "load-" + "k" * 43
MAX_USERS, MAX_MINUTES = 200, 60
PAGE_TIMEOUT_S = 120
WARM_UP_S = 60
REPORT = daily.ReportText("拜访客户,跟进报价。", customer_feedback="交期满意")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["XS", "S", "M", "L"])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--write-every", type=float, default=3.0, help="seconds between writes")
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds between pages")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end", type=date.fromisoformat, default=END)
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--database-url", help="as bench/run.py: another database to load")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--processes", type=int, default=0,
        help="0: one app process on the bench database; N: deploy/local.sh, N processes",
    )  # fmt: skip
    parser.add_argument("--calibrate", type=int, default=3, help="views of each page alone")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= MAX_USERS or not 0 < args.minutes <= MAX_MINUTES:
        parser.error(f"--users 1..{MAX_USERS} and --minutes up to {MAX_MINUTES}")
    if not 0 <= args.processes <= 8:
        parser.error("--processes 0..8")

    # the writer writes as the app's users do, on the app's day (db.engine.today: the day the
    # trailing summaries are kept for)
    os.environ["CRM_AS_OF"] = args.end.isoformat()
    if args.processes:
        started = time.perf_counter()
        server: Server | Deployment = Deployment(args.processes, args.size, args.end)
        url = server.database_url
        creation = {"created": True, "by": "deploy/local.sh",
                    "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
    else:
        url = database_url(args)
        creation = create_database(url, args.size, args.seed, args.end, args.reuse)
        server = Server(url, args.end)
    print(f"database: {creation}", flush=True)
    try:
        result = asyncio.run(run_load(server, url, args))
    finally:
        server.stop()
    kind, label = result_label(args.size, url)
    if args.processes:
        label = f"{args.size}-{args.processes}proc"
    result = {"size": args.size, "database_kind": kind, "database": creation,
              "processes": args.processes or 1, "proxy": bool(args.processes),
              **result}  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"load-{label}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result["summary"], indent=1))
    print(json.dumps(result["cpu"], indent=1))
    return 0


# ---------------------------------------------------------------- the server


class Server:
    """``streamlit run dashboard.py`` on a free loopback port, its process and its memory."""

    def __init__(self, database_url: str, as_of: date) -> None:
        env = {**os.environ, "CRM_DATABASE_URL": database_url, "CRM_AS_OF": as_of.isoformat(),
               "CRM_COOKIE_KEY": COOKIE_KEY}  # fmt: skip
        self.process, self.http = app.start(
            env,
            # a websocket client without the browser's XSRF cookie; loopback only
            "--server.enableXsrfProtection", "false",
        )  # fmt: skip

    cookie_key = COOKIE_KEY
    ssl: ssl.SSLContext | None = None

    @property
    def stream(self) -> str:
        return self.http.replace("http://", "ws://") + "/_stcore/stream"

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds used so far by the app process(es)."""
        return {"app": process_cpu(self.process.pid)}

    def rss_mb(self) -> tuple[float, float, float, float, float]:
        """Resident memory of the server process in MB: all of it (VmRSS), its private part
        (RssAnon: Python's heap, pandas, SQLite's page cache), its file-backed part (RssFile:
        mostly the database file SQLite maps, up to ``mmap_size``, shared with the OS page cache
        and given back under memory pressure), then its proportional set size (Pss) and the
        file-backed part of that (Pss_File).

        RssFile counts a page of the database once per mapping of it, and each pooled SQLite
        connection maps the file on its own: three connections that read the same index count
        it three times. Pss counts such a page once (a page mapped n times counts 1/n each time),
        so it is the memory the server holds; the writer of this test maps nothing
        (:class:`Writer`), so no page is shared with another process of the test."""
        return self.memory_of(self.process.pid)

    @staticmethod
    def memory_of(pid: int) -> tuple[float, float, float, float, float]:
        status = _fields(Path(f"/proc/{pid}/status"), ("VmRSS", "RssAnon", "RssFile"))
        rollup = _fields(Path(f"/proc/{pid}/smaps_rollup"), ("Pss", "Pss_File"))
        return (status["VmRSS"], status["RssAnon"], status["RssFile"], rollup["Pss"],
                rollup["Pss_File"])  # fmt: skip

    def stop(self) -> None:
        app.stop(self.process)


class Deployment:
    """deploy/local.sh with ``processes`` app processes on a demo database of ``size``,
    reached through its nginx; stopped and removed by :meth:`stop`."""

    def __init__(self, processes: int, size: str, as_of: date) -> None:
        self.top = Path(tempfile.mkdtemp(prefix="crm-load-"))
        self.top.chmod(0o755)  # PostgreSQL runs as its own user and must reach its folder
        self.folder = self.top / "d"
        self._local("start", str(processes), size=size, as_of=as_of)
        self.http = (self.folder / "url").read_text().strip()
        settings = dict(
            line.split("=", 1) for line in (self.folder / "crm.env").read_text().splitlines()
        )
        self.cookie_key = settings["CRM_COOKIE_KEY"]
        self.database_url = (self.folder / "owner-url").read_text().strip()
        self.pids = [int(p.read_text()) for p in sorted(self.folder.glob("app-*.pid"))]
        self.ssl = app.unchecked_tls()  # local.sh's own self-signed certificate

    def _local(self, action: str, *args: str, size: str = "M", as_of: date = END) -> None:
        env = {**os.environ, "PYTHON": sys.executable, "DEMO_SIZE": size,
               "CRM_AS_OF": as_of.isoformat()}  # fmt: skip
        subprocess.run([str(ROOT / "deploy" / "local.sh"), action, str(self.folder), *args],
                       check=True, env=env, timeout=1800)  # fmt: skip

    @property
    def stream(self) -> str:
        return self.http.replace("https://", "wss://") + "/_stcore/stream"

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds used so far by the app processes, PostgreSQL and nginx (each with the
        children they started and reaped)."""
        postmaster = int((self.folder / "pg" / "data" / "postmaster.pid").read_text().split()[0])
        nginx = int((self.folder / "nginx.pid").read_text().split()[0])
        return {
            "app": sum(process_cpu(pid) for pid in self.pids),
            "database": tree_cpu(postmaster),
            "proxy": tree_cpu(nginx),
        }

    def rss_mb(self) -> tuple[float, ...]:
        """:meth:`Server.rss_mb` summed over the app processes."""
        samples = [Server.memory_of(pid) for pid in self.pids]
        return tuple(round(sum(column), 1) for column in zip(*samples, strict=True))

    def stop(self) -> None:
        try:
            self._local("stop")
        finally:
            shutil.rmtree(self.top, ignore_errors=True)


TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int, children: bool = False) -> float:
    """User + system CPU seconds of process ``pid`` (with ``children``: also of its children
    that have ended and been waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    used = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        used += int(fields[13]) + int(fields[14])  # cutime, cstime
    return used / TICKS


def tree_cpu(root: int) -> float:
    """CPU seconds of ``root``, its children that ended, and its live children."""
    total = process_cpu(root, children=True)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == root:  # ppid
                total += (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
    return total


def _fields(path: Path, wanted: tuple[str, ...]) -> dict[str, float]:
    """``wanted`` fields of a /proc file of "Name:   123456 kB" lines, in MB (0 if absent)."""
    fields = dict.fromkeys(wanted, 0.0)
    for line in path.read_text().splitlines():
        name, _, value = line.partition(":")
        if name in fields:
            fields[name] = round(int(value.split()[0]) / 1024, 1)
    return fields


# ---------------------------------------------------------------- a user's session


@dataclass
class Visit:
    user: str
    page: str
    ms: float
    error: str | None = None
    # when the view ended (time.time()): a run's first minute fills the empty caches
    ended: float = field(default_factory=time.time)


@dataclass
class Run:
    """What one rerun of the script sent: its navigation and the errors it showed
    (exceptions, a sign-in prompt, an unsuccessful end)."""

    pages: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class Session:
    """One browser tab: a websocket session signed in as ``username`` by its cookie."""

    def __init__(self, server: Server | Deployment, username: str, version: int) -> None:
        self.server, self.username = server, username
        claims = {"username": username, "exp_date": time.time() + 86_400, "ver": version}
        # the app reads its sign-in cookie from the websocket handshake (st.context.cookies)
        token = jwt.encode(claims, server.cookie_key, "HS256")
        self.headers = {"Cookie": f"{COOKIE_NAME}={token}"}
        self.pages: dict[str, str] = {}

    async def sign_in(self, socket_: Any) -> Run:
        run = await self.rerun(socket_, "")
        self.pages = {name: key for name, key in run.pages.items() if name}
        if not self.pages:
            run.errors.append(f"{self.username}: no pages after sign-in")
        return run

    async def rerun(self, socket_: Any, page_hash: str) -> Run:
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = page_hash
        await socket_.send(message.SerializeToString())
        run = Run()
        while True:
            raw = await asyncio.wait_for(socket_.recv(), PAGE_TIMEOUT_S)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                run.pages = {
                    p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages
                }
            elif kind == "delta":
                _read_delta(forward, run)
            elif kind == "script_finished":
                if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    run.errors.append(f"script ended with status {forward.script_finished}")
                return run


def _read_delta(forward: ForwardMsg, run: Run) -> None:
    if forward.delta.WhichOneof("type") != "new_element":
        return
    element = forward.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        run.errors.append(f"exception: {element.exception.type}: {element.exception.message}"[:300])
    elif kind == "alert" and "sign in" in element.alert.body.lower():
        run.errors.append(f"not signed in: {element.alert.body[:120]}")
    elif kind == "alert" and "could not be shown" in element.alert.body:  # a section failed
        run.errors.append(element.alert.body[:300])


def connect(server: Server | Deployment, session: Session) -> Any:
    """A websocket to the app as a browser opens it (through nginx for a deployment)."""
    return websockets.connect(
        server.stream, subprotocols=["streamlit"], additional_headers=session.headers,
        max_size=None, open_timeout=60, ping_interval=None, ssl=server.ssl,
    )  # fmt: skip


async def user_loop(
    server: Server | Deployment, username: str, version: int, deadline: float, think: float,
    visits: list[Visit], rng: random.Random,
) -> None:  # fmt: skip
    """Sign in, then open a random page of the role until the deadline, thinking between."""
    session = Session(server, username, version)
    try:
        async with connect(server, session) as socket_:
            started = time.perf_counter()
            run = await session.sign_in(socket_)
            visits.append(Visit(username, "sign_in", _ms(started), "; ".join(run.errors) or None))
            while session.pages and time.time() < deadline:
                await asyncio.sleep(rng.expovariate(1 / think))
                page = rng.choice(sorted(session.pages))
                started = time.perf_counter()
                run = await session.rerun(socket_, session.pages[page])
                visits.append(Visit(username, page, _ms(started), "; ".join(run.errors) or None))
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        visits.append(Visit(username, "connection", 0.0, f"{type(error).__name__}: {error}"))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


# ---------------------------------------------------------------- the writer


def _unmapped(dbapi_connection: Any, _record: Any) -> None:
    """No memory-mapped I/O on this connection (after db.engine's own pragmas)."""
    dbapi_connection.execute("PRAGMA mmap_size=0")


class Writer(threading.Thread):
    """Reps' writes all day: a visit planned and done, or (one in four) a daily report."""

    def __init__(self, url: str, as_of: date, every: float, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.as_of, self.every, self.stop = url, as_of, every, stop
        self.done, self.refused, self.failed = 0, 0, []  # type: ignore[var-annotated]

    def run(self) -> None:
        engine = make_engine(self.url)
        if engine.dialect.name == "sqlite":  # reads through read(), so that the server's Pss
            event.listen(engine, "connect", _unmapped)  # is not shared with this process
        with engine.connect() as conn:
            owners = conn.execute(
                select(schema.Customer.customer_id, schema.Customer.owner_rep_id)
            ).all()
        rng = random.Random()  # unseeded: a reused database already holds earlier runs' writes
        while not self.stop.wait(self.every):
            customer_id, rep_id = rng.choice(owners)
            rep = Account(f"load-{rep_id}", rep_id, Role.REP, rep_id, (), "-")
            try:
                self.write(engine, rep, customer_id, rng)
                self.done += 1
            except daily.DailyRefused:
                self.refused += 1  # e.g. the report of that day exists: a rule, not a failure
            except Exception as error:  # noqa: BLE001 - every failure is counted and reported
                self.failed.append(f"{type(error).__name__}: {error}"[:300])
        engine.dispose()

    def write(self, engine: Any, rep: Account, customer_id: str, rng: random.Random) -> None:
        today, tomorrow = self.as_of, next_working_day(self.as_of)
        if rng.random() < 0.25:  # the demo has today's reports: a later working day's, at 18:00
            day = today
            for _ in range(rng.randint(1, 60)):
                day = next_working_day(day)
            evening = datetime.combine(day, datetime.min.time()) + timedelta(hours=18)
            daily.submit_report(engine, rep, day, REPORT, evening)
            return
        day = rng.choice([today, tomorrow])
        activity = daily.plan_activity(engine, rep, day, customer_id, "visit", "service", today)
        daily.complete_activity(engine, rep, activity, "presentation", 45)


# ---------------------------------------------------------------- the run


async def calibrate(
    server: Server | Deployment, versions: dict[str, int], views: int
) -> dict[str, dict[str, dict[str, float]]]:
    """The app's CPU milliseconds per view of each page of each role, one view at a time with
    nothing else running: the first view (cold caches) and the median of the next ``views``."""
    costs: dict[str, dict[str, dict[str, float]]] = {}
    for role in ("director", "manager", "rep"):
        session = Session(server, role, versions[role])
        async with connect(server, session) as socket_:
            await session.sign_in(socket_)
            for page, key in sorted(session.pages.items()):
                spent = [(await view_cpu(server, session, socket_, key))[0]
                         for _ in range(1 + views)]  # fmt: skip
                costs.setdefault(role, {})[page] = {
                    "first_ms": spent[0],
                    "median_ms": statistics.median(spent[1:]) if views else spent[0],
                }
    return costs


async def view_cpu(
    server: Server | Deployment, session: Session, socket_: Any, key: str
) -> tuple[int, Run]:
    """One view of the page ``key``: the app's CPU milliseconds it took, and what it sent."""
    before = server.cpu_seconds()["app"]
    run = await session.rerun(socket_, key)
    return round((server.cpu_seconds()["app"] - before) * 1000), run


def cpu_use(
    before: dict[str, float], after: dict[str, float], own: float, seconds: float, views: int
) -> dict[str, Any]:
    """The CPU the run used: each part's seconds, the app's per page view, and each part's and
    the load generator's (``own`` seconds) share of the machine's cores over ``seconds``."""
    cores = os.cpu_count() or 1
    used = {part: round(after[part] - before[part], 1) for part in after}
    return {
        "cores": cores,
        "seconds": round(seconds, 1),
        "cpu_s": used,
        "app_cpu_ms_per_view": round(used["app"] * 1000 / views, 1) if views else None,
        "share_of_machine": {part: round(cpu / (seconds * cores), 3)
                             for part, cpu in {**used, "load_generator": own}.items()},
    }  # fmt: skip


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_load(
    server: Server | Deployment, url: str, args: argparse.Namespace
) -> dict[str, Any]:
    versions = _session_versions(url)
    calibrated = await calibrate(server, versions, args.calibrate) if args.calibrate else {}
    # per ten users one director, two managers, seven reps; any three have one of each
    roles = ["director", "manager", "rep", "rep", "manager", "rep", "rep", "rep", "rep", "rep"]
    users = [roles[i % len(roles)] for i in range(args.users)]
    stop = threading.Event()
    writer = Writer(url, args.end, args.write_every, stop)
    rss: list[tuple[float, ...]] = []
    visits: list[Visit] = []
    started = time.time()
    deadline = started + args.minutes * 60

    async def sample_memory() -> None:
        while time.time() < deadline:
            rss.append((round(time.time() - started, 1), *server.rss_mb()))
            await asyncio.sleep(10)

    cpu_before, own_before, wall_before = server.cpu_seconds(), own_cpu(), time.perf_counter()
    writer.start()
    rng = random.Random(args.seed)
    tasks = [
        user_loop(server, name, versions[name], deadline, args.think, visits,
                  random.Random(rng.random()))
        for name in users
    ]  # fmt: skip
    await asyncio.gather(sample_memory(), *tasks)
    stop.set()
    writer.join(timeout=30)
    reruns = sum(1 for v in visits if v.page != "connection")
    cpu = cpu_use(cpu_before, server.cpu_seconds(), own_cpu() - own_before,
                  time.perf_counter() - wall_before, reruns)  # fmt: skip
    rss.append((round(time.time() - started, 1), *server.rss_mb()))
    return {
        "users": args.users,
        "roles": {role: users.count(role) for role in ("director", "manager", "rep")},
        "minutes": args.minutes,
        "write_every_s": args.write_every,
        "think_s": args.think,
        "summary": summary(visits, writer, rss),
        "cpu": cpu,
        "cpu_ms_per_view_alone": calibrated,
        "pages": by_page(visits),
        "rss_mb": rss,
        "errors": sorted({f"{v.page}: {v.error}" for v in visits if v.error})[:50],
        "write_failures": writer.failed[:50],
    }


def _session_versions(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(schema.User.username, schema.User.session_version)).all()
    engine.dispose()
    versions = dict(rows)
    missing = {"director", "manager", "rep"} - set(versions)
    if missing:
        raise SystemExit(f"the database has no demo user {sorted(missing)}: load the demo")
    return versions


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of them at or below."""
    ordered = sorted(values)
    return ordered[max(0, -(-int(share * 100) * len(ordered) // 100) - 1)]


def summary(visits: list[Visit], writer: Writer, rss: list[tuple[float, ...]]) -> dict:
    """``rss``: samples of (seconds, VmRSS, RssAnon, RssFile, Pss, Pss_File), as
    :meth:`Server.rss_mb`."""
    pages = [v.ms for v in visits if v.page not in ("sign_in", "connection") and not v.error]
    first = min((v.ended for v in visits), default=0.0)
    warm = [v.ms for v in visits if v.page not in ("sign_in", "connection") and not v.error
            and v.ended - first > WARM_UP_S]  # fmt: skip
    memory, pss = [sample[1] for sample in rss], [sample[4] for sample in rss]
    private = [sample[2] for sample in rss]
    half = len(memory) // 2
    return {
        "page_views": len(pages),
        "p50_ms": percentile(pages, 0.50) if pages else None,
        "p95_ms": percentile(pages, 0.95) if pages else None,
        "max_ms": max(pages) if pages else None,
        # the views after the first minute, when the caches hold what the pages read
        "p50_ms_after_first_minute": percentile(warm, 0.50) if warm else None,
        "p95_ms_after_first_minute": percentile(warm, 0.95) if warm else None,
        "errors": sum(1 for v in visits if v.error),
        "writes": writer.done,
        "writes_refused_by_rules": writer.refused,
        "write_failures": len(writer.failed),
        "rss_mb_first": memory[0] if memory else None,
        "rss_mb_max": max(memory) if memory else None,
        "rss_mb_last": memory[-1] if memory else None,
        # flat: the second half's mean within 10 % of the first half's mean
        "rss_mb_first_half_mean": _mean(memory[:half]),
        "rss_mb_second_half_mean": _mean(memory[half:]) if half else None,
        "rss_anon_mb_max": max(private) if private else None,
        # the heap, without the mapped file's pages that come and go with the connections
        "rss_anon_mb_first_half_mean": _mean(private[:half]),
        "rss_anon_mb_second_half_mean": _mean(private[half:]) if half else None,
        "rss_file_mb_max": max(sample[3] for sample in rss) if rss else None,
        # each page of the database counted once, however many connections map it
        "pss_mb_max": max(pss) if pss else None,
        "pss_mb_first_half_mean": _mean(pss[:half]),
        "pss_mb_second_half_mean": _mean(pss[half:]) if half else None,
        "pss_file_mb_max": max(sample[5] for sample in rss) if rss else None,
    }


def _mean(values: list[float]) -> float | None:
    """The mean of ``values`` to 0.1 MB, None for none."""
    return round(statistics.mean(values), 1) if values else None


def by_page(visits: list[Visit]) -> dict[str, dict[str, float | int]]:
    pages: dict[str, list[float]] = {}
    for visit in visits:
        if visit.page not in ("connection",) and not visit.error:
            pages.setdefault(visit.page, []).append(visit.ms)
    return {
        page: {"views": len(ms), "p50_ms": percentile(ms, 0.5), "p95_ms": percentile(ms, 0.95)}
        for page, ms in sorted(pages.items())
    }


if __name__ == "__main__":
    raise SystemExit(main())
