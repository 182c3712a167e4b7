"""Headless interface (README, CLI): ``python cli.py …``.

The database is chosen by ``CRM_DATABASE_URL`` (default: the embedded SQLite file). Exit status
0 on success, 2 on bad input with a one-line reason on stderr (import errors: one line each).
"""

from __future__ import annotations

import argparse
import getpass
import smtplib
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from crm_core import settings
from crm_core.forecasts import amount_cents
from crm_core.periods import (
    Period,
    iso_week_of,
    iso_week_period,
    monday_before,
    month_period,
    parse_day,
    parse_week,
)
from crm_core.release import VERSION
from crm_core.scope import Scope
from crm_core.vocabulary import METRICS
from crm_core.weekly import with_actions
from db import actions as actions_db
from db import alerts as alerts_db
from db import backup, demo, migrate, summaries, transfer, users
from db import forecasts as forecasts_db
from db import weekly as weekly_db
from db.engine import make_engine, today
from db.formats import TABLE_NAMES
from db.queries import DIMS
from db.transactions import DATA_TABLES, bump_data_version, write_transaction
from reports import alerting
from reports import delivery as report_delivery
from reports import files as report_files
from reports.tables import render
from services import weekly as weekly_service
from services.kpi_tables import KPIS, KpiRequest

BAD_INPUT = 2
# Who the audit log names for a CLI write made without --as: whoever runs the CLI on the
# database's machine is its administrator.
CLI_ADMIN = "admin (cli)"
AS_HELP = (
    "act as this user: their scope and write rules apply and the audit log names them "
    f"(default: the administrator, audited as {CLI_ADMIN!r})"
)


class BadInput(Exception):
    """A user error: printed as one line on stderr, exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engine = make_engine()
    try:
        return args.run(engine, args)
    except (BadInput, users.UserError, demo.DemoError, ValueError, OSError,
            smtplib.SMTPException) as problem:  # fmt: skip
        print(f"error: {problem}", file=sys.stderr)
        return BAD_INPUT
    finally:
        engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    db = commands.add_parser("db", help="create, migrate or fill the database")
    db_commands = db.add_subparsers(required=True, metavar="ACTION")
    _command(db_commands, "init", _db_init, "create or migrate the schema to the newest version")
    _command(db_commands, "upgrade", _db_init, "the same as init: migrate to this version's schema")
    saved = _command(
        db_commands, "backup", _db_backup,
        "copy the whole database into FILE, consistent while the app writes (SQLite: a database "
        "file; PostgreSQL: a pg_dump custom-format file)",
    )  # fmt: skip
    saved.add_argument("file", type=Path)
    saved.add_argument("--force", action="store_true", help="replace FILE if it exists")
    back = _command(
        db_commands, "restore", _db_restore,
        "replace the database's contents with a backup and migrate it to this version",
    )  # fmt: skip
    back.add_argument("file", type=Path)
    back.add_argument(
        "--force", action="store_true", help="restore over a database that holds data"
    )
    demo_cmd = _command(db_commands, "demo", _db_demo, "fill an empty database with demo data")
    demo_cmd.add_argument("--size", choices=sorted(demo.SIZES), default="S")
    demo_cmd.add_argument("--seed", type=int, default=7)
    demo_cmd.add_argument("--end", type=_day, default=None, help="last day (today)")
    demo_cmd.add_argument(
        "--if-empty", action="store_true", help="do nothing (exit 0) when data exists already"
    )

    sums = _command(
        db_commands,
        "summaries",
        _db_summaries,
        "check the summaries against the raw rows (exit 1 when they differ)",
    )
    sums.add_argument("--rebuild", action="store_true", help="sum them again from the raw rows")
    sums.add_argument(
        "--roll",
        action="store_true",
        help="keep the trailing 12-month summaries for today (CRM_AS_OF or the date): a nightly "
        "job, so that neither the first write nor the first reads of the day do it",
    )

    imp = _command(commands, "import", _import, "import a docs/formats.md table from .csv or .xlsx")
    imp.add_argument("table", choices=TABLE_NAMES)
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
    imp.add_argument("--as", dest="username", default=None, help=AS_HELP)
    imp.add_argument(
        "--progress", action="store_true", help="show rows checked/written (default on a tty)"
    )

    exp = _command(commands, "export", _export, "export a table in its import format")
    exp.add_argument("table", choices=TABLE_NAMES)
    exp.add_argument("file", type=Path)
    exp.add_argument("--as", dest="username", default=None, help=AS_HELP)

    kpi = _command(commands, "kpi", _kpi, "one computation (docs/kpis.md) as a table")
    kpi.epilog = kpi_epilog()
    kpi.formatter_class = argparse.RawDescriptionHelpFormatter
    kpi.add_argument("name", choices=sorted(KPIS))
    kpi.add_argument("--from", dest="start", type=_day, help="first day")
    kpi.add_argument("--to", dest="end", type=_day, help="last day")
    kpi.add_argument("--as-of", type=_day, default=None, help="default CRM_AS_OF, else today")
    kpi.add_argument("--region", action="append", default=None, help="narrow to a region")
    kpi.add_argument("--rep", action="append", default=None, help="narrow to a rep")
    kpi.add_argument("--by", type=_dims, default=[], help="month,region,rep,product")
    kpi.add_argument("--metric", action="append", choices=METRICS, default=None)
    kpi.add_argument("--as", dest="username", default=None, help="apply this user's scope")
    kpi.add_argument("--format", choices=["json", "csv"], default="json")
    kpi.add_argument(
        "--commission-rate", type=float, default=settings.COMMISSION_RATE, help="for call_funnel"
    )
    kpi.add_argument("--section", choices=report_files.SECTIONS, default="decisions",
                     help="for monday: which section of the Monday report")  # fmt: skip

    report = commands.add_parser("report", help="write a report file")
    report_kinds = report.add_subparsers(required=True, metavar="REPORT")
    weekly = _command(report_kinds, "weekly", _report_weekly, "the Monday report of a week")
    weekly.add_argument(
        "--week", type=_iso_week, default=None, help="YYYY-Www (default: last complete week)"
    )
    weekly.add_argument("--region", action="append", default=None, help="narrow to a region")
    weekly.add_argument("--format", choices=["md", "xlsx", "pdf"], default=None)
    weekly.add_argument("-o", "--output", type=Path, default=None)
    weekly.add_argument(
        "--send",
        action="store_true",
        help="e-mail each manager their regions' report and each director the company's "
        "(xlsx + pdf attached; CRM_SMTP_URL, CRM_SMTP_FROM)",
    )
    weekly.add_argument(
        "--outbox", type=Path, default=None, help="with --send: write .eml files here instead"
    )
    weekly.add_argument("--as", dest="username", default=None, help="apply this user's scope")
    weekly.add_argument("--lang", choices=["zh", "en"], default="zh")

    meeting = commands.add_parser("meeting", help="actions decided in the Monday meeting")
    meeting_things = meeting.add_subparsers(required=True, metavar="THING")
    action = meeting_things.add_parser("action", help="record, list and close actions")
    action_commands = action.add_subparsers(required=True, metavar="ACTION")
    action_add = _command(action_commands, "add", _action_add, "record an action; prints its ID")
    action_add.add_argument("--week", required=True, help="YYYY-Www: the report it belongs to")
    action_add.add_argument("--about", required=True, help="a rep or region ID")
    action_add.add_argument("--owner", required=True, help="the username who owns it")
    action_add.add_argument("--due", required=True, type=_day, help="YYYY-MM-DD")
    action_add.add_argument("--text", required=True, help="what is to be done")
    action_list = _command(action_commands, "list", _action_list, "list actions with status")
    action_list.add_argument("--week", default=None, help="only those decided on YYYY-Www")
    action_list.add_argument("--format", choices=["json", "csv"], default="json")
    action_done = _command(action_commands, "done", _action_done, "mark an action done")
    action_done.add_argument("id", type=int)
    for command in (action_add, action_list, action_done):
        command.add_argument("--as", dest="username", required=True, help="the acting user")

    forecast = commands.add_parser("forecast", help="a rep's forecast of a month")
    forecast_commands = forecast.add_subparsers(required=True, metavar="ACTION")
    submit = _command(forecast_commands, "submit", _forecast_submit,
                      "submit your own forecast of a month (a rep); prints its ID")  # fmt: skip
    adjust = _command(forecast_commands, "adjust", _forecast_adjust,
                      "adjust a rep's forecast, with a note (manager, director)")  # fmt: skip
    for command in (submit, adjust):
        command.add_argument("--rep", required=True, help="the rep ID")
        command.add_argument("--month", required=True, help="YYYY-MM: this month or a later one")
    submit.add_argument("--commit", required=True, help="yuan: what you will sell")
    submit.add_argument("--best-case", required=True, help="yuan: what you could sell")
    adjust.add_argument("--commit", default=None, help="yuan")
    adjust.add_argument("--best-case", default=None, help="yuan")
    adjust.add_argument("--note", required=True, help="why it is adjusted")
    for command in (submit, adjust):
        command.add_argument("--as", dest="username", required=True, help="the acting user")

    alerts = commands.add_parser("alerts", help="the alerts of the day and their channels")
    alert_commands = alerts.add_subparsers(required=True, metavar="ACTION")
    channel = alert_commands.add_parser("channel", help="where each region's alerts go")
    channel_commands = channel.add_subparsers(required=True, metavar="ACTION")
    channel_add = _command(channel_commands, "add", _channel_add, "add a region's channel")
    channel_add.add_argument("--region", required=True)
    channel_add.add_argument("--kind", required=True, choices=alerts_db.KINDS)
    channel_add.add_argument("--url", required=True, help="an e-mail address or a robot's URL")
    channel_add.add_argument("--secret", default=None, help="a DingTalk robot's signing secret")
    _command(channel_commands, "list", _channel_list, "list the channels (keys shortened)")
    channel_remove = _command(channel_commands, "remove", _channel_remove, "remove a channel")
    channel_remove.add_argument("id", type=int)
    send = _command(alert_commands, "send", _alerts_send, "send the alerts of a day")
    send.add_argument("--date", type=_day, default=None, help="YYYY-MM-DD (default: today)")
    send.add_argument("--outbox", type=Path, default=None, help="write files here, send nothing")
    send.add_argument("--lang", choices=["zh", "en"], default="zh")

    _command(commands, "check", _check, "what this server lacks: the Chinese font of the PDF")

    user = commands.add_parser("user", help="manage users")
    user_commands = user.add_subparsers(required=True, metavar="ACTION")
    add = _command(
        user_commands, "add", _user_add, "add a user; the password typed twice, or piped on stdin"
    )
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["director", "manager", "rep"])
    add.add_argument("--region", action="append", default=[], help="a manager's region (repeat)")
    add.add_argument("--rep", default=None, help="the rep ID a rep user is")
    add.add_argument("--name", default=None, help="display name (default: the username)")
    add.add_argument("--email", default=None, help="where the Monday report is sent")
    email = _command(user_commands, "email", _user_email, "set (or clear) a user's e-mail")
    email.add_argument("username")
    email.add_argument("address", nargs="?", default=None, help="omit to clear")
    _command(user_commands, "list", _user_list, "list the users: role, scope, enabled")
    passwd = _command(
        user_commands,
        "passwd",
        _user_passwd,
        "set a new password (typed twice, or piped on stdin); ends their sessions",
    )
    disable = _command(
        user_commands, "disable", _user_disable, "refuse sign-in and end the user's sessions"
    )
    enable = _command(user_commands, "enable", _user_enable, "allow a disabled user again")
    for command in (passwd, disable, enable):
        command.add_argument("username")
    return parser


def _command(
    group: argparse._SubParsersAction, name: str, run: Callable[..., int], helptext: str
) -> argparse.ArgumentParser:
    parser = group.add_parser(name, help=helptext, description=helptext)
    parser.set_defaults(run=run)
    return parser


def _check(_engine: Engine, _args: argparse.Namespace) -> int:
    """Exit 1 naming what is missing and how to get it, else 0 naming what was found."""
    try:
        font = report_files.cjk_font()
    except report_files.ReportFontMissing as missing:
        print(f"missing: {missing} (the Weekly page shows no PDF button without it)")
        return 1
    print(f"Chinese font for the PDF report: {font}")
    return 0


def _iso_week(text: str) -> Period:
    try:
        return parse_week(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem).removeprefix("week: ")) from None


def _day(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem).removeprefix("date: ")) from None


def _report_weekly(engine: Engine, args: argparse.Namespace) -> int:
    args.week = args.week or iso_week_period(iso_week_of(today() - timedelta(days=7)))
    if args.send:
        return _send_weekly(engine, args)
    if args.format is None or args.output is None:
        raise BadInput("report weekly: --format and -o FILE, or --send")
    with engine.connect() as conn:
        scope = users.account(conn, args.username).scope if args.username else Scope.everything()
        scope = scope.narrow(args.region)
        label = weekly_db.scope_label(conn, scope)
        report = weekly_service.monday_report(conn, scope, args.week, label)
        report = with_actions(report, actions_db.report_actions(conn, scope, args.week, today()))
    render = {"md": report_files.markdown, "xlsx": report_files.xlsx, "pdf": report_files.pdf}
    try:
        content = render[args.format](report, args.lang)
    except report_files.ReportFontMissing as missing:
        raise BadInput(str(missing)) from None
    args.output.write_bytes(content.encode() if isinstance(content, str) else content)
    print(f"Monday report {report.week_label} ({label}) written to {args.output}")
    return 0


def _send_weekly(engine: Engine, args: argparse.Namespace) -> int:
    """Each recipient's message on its own; with ``--outbox`` written as files (a dry run,
    nothing recorded), else sent, skipping whoever received this week's report already."""
    week_label = iso_week_of(args.week.start)
    if args.outbox is None:
        url, sender = report_delivery.smtp_settings()
    else:
        url, sender = "", settings.value("CRM_SMTP_FROM") or "sales-dashboard@localhost"
    try:
        with engine.connect() as conn:
            before = {} if args.outbox else report_delivery.sent_before(conn, args.week)
            report_of = partial(weekly_service.sent_report, week=args.week)
            items = report_delivery.deliveries(
                conn, report_of, args.lang, sender, frozenset(before)
            )
    except report_files.ReportFontMissing as missing:
        raise BadInput(str(missing)) from None
    for username, at in sorted(before.items()):
        print(f"{username}: sent already on {at:%Y-%m-%d %H:%M}, not sent again")
    if args.outbox is not None:
        paths = report_delivery.write_outbox(items, args.outbox, args.week)
        for item, path in zip(items, paths, strict=True):
            print(f"{item.username}: {item.address} · {item.scope_label} · written to {path}")
        print(f"Monday report {week_label}: {len(items)} message(s) written to {args.outbox}")
        return 0
    failed = _said_sent(
        (f"{o.delivery.username}: {o.delivery.address!r} · {o.delivery.scope_label}", o.problem)
        for o in report_delivery.send(engine, items, url, args.week, datetime.now())
    )
    print(f"Monday report {week_label}: {len(items) - failed} message(s) sent, {failed} failed"
          + (f", {len(before)} sent before" if before else ""))  # fmt: skip
    return _failed_status(failed)


def _said_sent(outcomes: Iterable[tuple[str, str | None]]) -> int:
    """Each message's line with "sent" on stdout, or "NOT sent" and the reason on stderr;
    how many were not sent."""
    failed = 0
    for line, problem in outcomes:
        if problem is None:
            print(f"{line} · sent")
        else:
            failed += 1
            print(f"{line} · NOT sent: {problem}", file=sys.stderr)
    return failed


def _failed_status(failed: int) -> int:
    """Exit status 1 with what to do when messages were not sent, else 0."""
    if not failed:
        return 0
    print(f"{failed} message(s) not sent; run the same command again to send only those",
          file=sys.stderr)  # fmt: skip
    return 1


def _action_add(engine: Engine, args: argparse.Namespace) -> int:
    with engine.connect() as conn:
        actor = users.account(conn, args.username)
    # a refusal is a ValueError: main() prints it as bad input
    action_id = actions_db.add_action(
        engine, actor, args.week, args.about, args.owner, args.due, args.text
    )
    print(f"action {action_id} recorded for {args.week}: {args.about}, owner {args.owner}, "
          f"due {args.due}")  # fmt: skip
    print(action_id)
    return 0


def _action_list(engine: Engine, args: argparse.Namespace) -> int:
    if args.week is not None:
        args.week = iso_week_of(_iso_week(args.week).start)
    with engine.connect() as conn:
        scope = users.account(conn, args.username).scope
        frame = actions_db.action_list(conn, scope, today(), args.week)
    sys.stdout.write(render(frame, args.format))
    return 0


def _action_done(engine: Engine, args: argparse.Namespace) -> int:
    with engine.connect() as conn:
        actor = users.account(conn, args.username)
    day = actions_db.close_action(engine, actor, args.id, today())
    print(f"action {args.id} done on {day}")
    return 0


def _forecast_submit(engine: Engine, args: argparse.Namespace) -> int:
    with engine.connect() as conn:
        actor = users.account(conn, args.username)
    commit = amount_cents(args.commit, "--commit")
    best_case = amount_cents(args.best_case, "--best-case")
    entry = forecasts_db.submit_forecast(
        engine, actor, args.rep, args.month, commit, best_case, today()
    )
    print(f"forecast {entry}: {args.rep} {args.month} commit ¥{commit / 100:,.2f}, "
          f"best case ¥{best_case / 100:,.2f}, on {today()}")  # fmt: skip
    return 0


def _forecast_adjust(engine: Engine, args: argparse.Namespace) -> int:
    with engine.connect() as conn:
        actor = users.account(conn, args.username)
    commit = None if args.commit is None else amount_cents(args.commit, "--commit")
    best_case = None if args.best_case is None else amount_cents(args.best_case, "--best-case")
    entry = forecasts_db.adjust_forecast(
        engine, actor, args.rep, args.month, commit, best_case, args.note, today()
    )
    figures = [f"{name} ¥{value / 100:,.2f}" for name, value
               in (("commit", commit), ("best case", best_case)) if value is not None]  # fmt: skip
    print(f"forecast {entry}: {args.rep} {args.month} adjusted: {', '.join(figures)}, "
          f"on {today()}")  # fmt: skip
    return 0


def _channel_add(engine: Engine, args: argparse.Namespace) -> int:
    channel_id = alerts_db.add_channel(engine, args.region, args.kind, args.url, args.secret,
                                       CLI_ADMIN)  # fmt: skip
    print(f"alert channel {channel_id}: {args.kind} for {args.region}")
    return 0


def _channel_list(engine: Engine, _args: argparse.Namespace) -> int:
    with engine.connect() as conn:
        found = alerts_db.channels(conn)
    for channel in found:
        signed = " (signed)" if channel.secret else ""
        print(f"{channel.id}\t{channel.region}\t{channel.kind}\t{channel.shown}{signed}")
    if not found:
        print("no alert channels; add one with: alerts channel add --region R --kind K --url U")
    return 0


def _channel_remove(engine: Engine, args: argparse.Namespace) -> int:
    gone = alerts_db.remove_channel(engine, args.id, CLI_ADMIN)
    print(f"alert channel {gone.id} ({gone.kind} for {gone.region}) removed")
    return 0


def _alerts_send(engine: Engine, args: argparse.Namespace) -> int:
    """The day's alerts, each message on its own; a day before today is over (its 20:00 has
    passed), today only from 20:00."""
    now = datetime.now()
    day = args.date or today()
    over = day < today() or (day == today() and now.hour >= 20)
    if not over:
        print(f"{day}: before 20:00 only key customers are checked; daily reports and planned "
              "activities are due at 20:00")  # fmt: skip
    sender = settings.value("CRM_SMTP_FROM") or "sales-dashboard@localhost"
    with engine.connect() as conn:
        before = {} if args.outbox else alerts_db.sent_on(conn, day)
        items = alerting.messages(conn, day, over, args.lang, frozenset(before))
    for recipient, at in sorted(before.items()):
        print(f"{recipient}: sent already on {at:%Y-%m-%d %H:%M}, not sent again")
    if args.outbox is not None:
        paths = alerting.write_outbox(items, args.outbox, day, sender)
        for item, path in zip(items, paths, strict=True):
            print(f"{item.recipient}: {item.kind} {item.shown} · written to {path}")
        print(f"alerts of {day}: {len(items)} message(s) written to {args.outbox}")
        return 0
    if not items:
        print(f"alerts of {day}: nothing to send" + (" more" if before else ""))
        return 0
    smtp_url = settings.value("CRM_SMTP_URL")
    failed = _said_sent(
        (f"{o.message.recipient}: {o.message.kind} {o.message.shown}", o.problem)
        for o in alerting.send(engine, items, day, smtp_url, sender, now)
    )
    print(f"alerts of {day}: {len(items) - failed} message(s) sent, {failed} failed")
    return _failed_status(failed)


def _dims(text: str) -> list[str]:
    dims = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [d for d in dims if d not in DIMS]
    if unknown:
        raise argparse.ArgumentTypeError(f"expected some of {','.join(DIMS)}, found {unknown}")
    return dims


def _kpi(engine: Engine, args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    weekly = args.name in ("weekly", "monday")  # the last completed week
    default_start = as_of - timedelta(days=7) if weekly else as_of.replace(day=1)
    if args.name == "stage_conversion":  # a cohort: the deals created in the last 12 months
        default_start = as_of - timedelta(days=365)
    if args.name == "pipeline_changes":  # since the Monday before the as-of day
        default_start = monday_before(as_of)
    if args.name == "forecast_accuracy":  # the last month that is over
        default_start = (as_of.replace(day=1) - timedelta(days=1)).replace(day=1)
    start = args.start or default_start
    end = args.end or (as_of if args.name in ("stage_conversion", "pipeline_changes") else None)
    end = end or month_period(f"{start:%Y-%m}").end
    if end < start:
        raise BadInput(f"--to {end} is before --from {start}")
    with engine.connect() as conn:
        scope = users.account(conn, args.username).scope if args.username else Scope.everything()
        request = KpiRequest(
            scope.narrow(args.region, args.rep),
            Period(start, end),
            as_of,
            args.by,
            args.metric,
            args.commission_rate,
            args.rep,
            args.section,
        )
        table = KPIS[args.name].compute(conn, request)
    sys.stdout.write(render(table, args.format))
    return 0


def kpi_epilog() -> str:
    width = max(map(len, KPIS))
    lines = [
        f"  {name:<{width}}  {kpi.help}" + (f"  [--by {kpi.by}]" if kpi.by != "-" else "")
        for name, kpi in KPIS.items()
    ]
    return "computations (definitions: docs/kpis.md):\n" + "\n".join(lines)


def _db_init(engine: Engine, _args: argparse.Namespace) -> int:
    migrate.upgrade(engine)
    print(f"schema at head: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _db_backup(engine: Engine, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    counts = backup.backup(engine, args.file, force=args.force)
    took = time.perf_counter() - started
    size = args.file.stat().st_size
    print(f"backup written to {args.file} ({size / 1e6:,.1f} MB) in {took:.1f} s: {_rows(counts)}")
    return 0


def _db_restore(engine: Engine, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    counts = backup.restore(engine, args.file, force=args.force)
    took = time.perf_counter() - started
    print(f"restored {args.file} in {took:.1f} s, schema at head: {_rows(counts)}")
    return 0


def _rows(counts: dict[str, int]) -> str:
    """The row counts of the tables people write, for a line of output."""
    return ", ".join(f"{name} {counts[name]:,}" for name in DATA_TABLES if name in counts)


def _db_demo(engine: Engine, args: argparse.Namespace) -> int:
    migrate.upgrade(engine)
    if args.if_empty and not demo.is_empty(engine):
        print("the database holds data already; demo data not generated")
        return 0
    started = time.perf_counter()
    counts = demo.generate(engine, args.size, args.seed, args.end or date.today())
    elapsed = time.perf_counter() - started
    print(", ".join(f"{table} {count:,}" for table, count in counts.items()))
    print(f"demo data size {args.size} seed {args.seed} generated in {elapsed:.1f} s")
    return 0


def _db_summaries(engine: Engine, args: argparse.Namespace) -> int:
    """``db summaries``: compare (or ``--rebuild``, or ``--roll``) the summaries of
    db/summaries.py."""
    migrate.upgrade(engine)
    if args.roll:
        started = time.perf_counter()
        with write_transaction(engine) as conn:
            counts = summaries.rebuild(conn, summaries.TRAILING)
        rows = ", ".join(f"{name} {count:,} rows" for name, count in counts.items())
        took = time.perf_counter() - started
        print(f"trailing summaries kept for {today()} in {took:.1f} s: {rows}")
        return 0
    if args.rebuild:
        started = time.perf_counter()
        with write_transaction(engine) as conn:
            counts = summaries.rebuild(conn)
            # the cached reads of the facts they summarise are computed again
            bump_data_version(conn, tuple(summaries.SUMMARIES))
        rows = ", ".join(f"{fact} {count:,} rows" for fact, count in counts.items())
        print(f"summaries rebuilt in {time.perf_counter() - started:.1f} s: {rows}")
    with engine.connect() as conn:
        differing = summaries.differences(conn)
    print(", ".join(f"{fact}: {_rows_differ(count)}" for fact, count in differing.items()))
    return 1 if any(differing.values()) else 0


def _rows_differ(count: int) -> str:
    return "1 row differs" if count == 1 else f"{count} rows differ"


def _acting(engine: Engine, username: str | None) -> tuple[str, Scope | None]:
    """Who a CLI write or export acts as: ``--as USER`` (their scope), else the administrator."""
    if username is None:
        return CLI_ADMIN, None
    with engine.connect() as conn:
        acting = users.account(conn, username)
    return acting.username, acting.scope


def _import(engine: Engine, args: argparse.Namespace) -> int:
    username, scope = _acting(engine, args.username)
    show_progress = args.progress or sys.stderr.isatty()
    result = transfer.import_file(
        engine,
        args.table,
        args.file,
        dry_run=args.dry_run,
        username=username,
        scope=scope,
        progress=_progress_line if show_progress else None,
    )
    if show_progress:
        print(file=sys.stderr)
    if not result.ok:
        for error in result.errors:
            print(error, file=sys.stderr)
        if result.error_count > len(result.errors):
            print(f"… and {result.error_count - len(result.errors)} more", file=sys.stderr)
        print(f"{result.error_count} error(s); nothing written", file=sys.stderr)
        return BAD_INPUT
    verb = "would insert" if args.dry_run else "inserted"
    print(
        f"{args.table}: {result.rows} rows, {verb} {result.inserted}, "
        f"updated {result.updated}, unchanged {result.unchanged}"
        + (" (dry run, nothing written)" if args.dry_run else "")
    )
    return 0


def _progress_line(done: int, expected: int) -> None:
    share = f" ({min(done / expected, 1):.0%})" if expected > 0 else ""
    print(f"\r{done:,} rows{share}", end="", file=sys.stderr, flush=True)


def _export(engine: Engine, args: argparse.Namespace) -> int:
    _username, scope = _acting(engine, args.username)
    count = transfer.export_file(engine, args.table, args.file, scope)
    print(f"{args.table}: {count} rows written to {args.file}")
    return 0


def _new_password() -> str:
    """The password piped on stdin, or typed twice unseen at a terminal."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("password: ")
    if getpass.getpass("again: ") != password:
        raise BadInput("the two passwords differ; nothing changed")
    return password


def _user_add(engine: Engine, args: argparse.Namespace) -> int:
    password = _new_password()
    users.strong_password(password, args.username, args.name)
    with engine.begin() as conn:
        stored = users.add_user(
            conn,
            args.username,
            args.name or args.username,
            args.role,
            password,
            regions=args.region,
            rep_id=args.rep,
            email=args.email,
            by=CLI_ADMIN,
        )
    print(f"user {stored} ({args.role}) added")
    return 0


def _user_list(engine: Engine, _args: argparse.Namespace) -> int:
    with engine.connect() as conn:
        accounts = users.user_list(conn)
    print("username\trole\tscope\tstatus\tname\temail")
    for acc in accounts:
        scope = acc.rep_id or ",".join(acc.region_ids) or "all"
        status = "disabled" if acc.disabled else "enabled"
        print(
            f"{acc.username}\t{acc.role.value}\t{scope}\t{status}\t{acc.display_name}\t"
            f"{acc.email or ''}"
        )
    return 0


def _user_email(engine: Engine, args: argparse.Namespace) -> int:
    users.set_email(engine, args.username, args.address, by=CLI_ADMIN)
    print(f"e-mail of {args.username}: {args.address or 'none'}")
    return 0


def _user_passwd(engine: Engine, args: argparse.Namespace) -> int:
    password = _new_password()
    users.strong_password(password, args.username)
    users.set_password(engine, args.username, password, by=CLI_ADMIN)
    print(f"password of {args.username} changed; their open sessions end")
    return 0


def _user_disable(engine: Engine, args: argparse.Namespace) -> int:
    users.set_disabled(engine, args.username, True, by=CLI_ADMIN)
    print(f"user {args.username} disabled; their open sessions end")
    return 0


def _user_enable(engine: Engine, args: argparse.Namespace) -> int:
    users.set_disabled(engine, args.username, False, by=CLI_ADMIN)
    print(f"user {args.username} enabled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
