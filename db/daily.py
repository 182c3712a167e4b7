"""The daily tier's data (docs/kpis.md#tracking-daily-weekly-monthly) and its writes: a rep's plan,
their completed visits and
their daily report; a manager's sign-off. Every write checks the actor in the write path, is
one transaction, and is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, Row, and_, case, func, select
from sqlalchemy.exc import IntegrityError

from crm_core import inputs
from crm_core.daily import MAX_DURATION_MIN
from crm_core.periods import next_working_day
from crm_core.scope import Role, Scope
from crm_core.vocabulary import KINDS, OUTCOMES, PURPOSES
from db import queries, summaries
from db.engine import today as engine_today
from db.queries import tuples
from db.schema import Activity, Customer, DailyReport, Rep
from db.scoping import scope_clause
from db.transactions import Whose, audit, bump_data_version, write_transaction
from db.users import Account

activities = Activity.__table__
reports = DailyReport.__table__
customers = Customer.__table__
reps_t = Rep.__table__


class DailyRefused(PermissionError):
    """A daily write that the actor may not make; nothing was written."""


# ---------------------------------------------------------------- read side


def activity_counts(
    conn: Connection,
    scope: Scope,
    day: date,
    last_day: date | None = None,
    by_day: bool = False,
) -> pd.DataFrame:
    """Columns ``rep`` (and ``date`` with ``by_day``), ``planned, done, missed, unplanned,
    effective, open, sales`` for ``day`` (or ``day`` … ``last_day``): planned = on the plan
    whatever became of it; unplanned = done but not planned; effective = done with an outcome
    beyond no contact; open = still planned; sales = done with the outcome sale."""
    a = activities.c

    def count_if(condition: object) -> object:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    keys = [a.rep_id.label("rep"), *([a.date] if by_day else [])]
    query = (
        select(
            *keys,
            count_if(a.planned.is_(True)).label("planned"),
            count_if(summaries.DONE).label("done"),
            count_if(a.status == "missed").label("missed"),
            count_if(and_(a.status == "done", a.planned.is_(False))).label("unplanned"),
            count_if(summaries.EFFECTIVE).label("effective"),
            count_if(a.status == "planned").label("open"),
            count_if(summaries.SALE).label("sales"),
        )
        .where(a.date.between(day, last_day or day), scope_clause(activities, scope))
        .group_by(*keys)
    )
    columns = ["planned", "done", "missed", "unplanned", "effective", "open", "sales"]
    return pd.DataFrame(tuples(conn, query), columns=["rep", *(["date"] * by_day), *columns])


def reports_of(conn: Connection, scope: Scope, day: date) -> pd.DataFrame:
    """Daily reports of ``day`` in scope: ``report_id, rep, submitted_at, status, summary,
    competitor_info, customer_feedback, reviewed_by, reviewed_at, review_comment``."""
    r = reports.c
    query = (
        select(
            r.report_id,
            r.rep_id.label("rep"),
            r.submitted_at,
            r.status,
            r.summary,
            r.competitor_info,
            r.customer_feedback,
            r.reviewed_by,
            r.reviewed_at,
            r.review_comment,
        )
        .where(r.date == day, scope_clause(reports, scope))
        .order_by(r.rep_id)
    )
    columns = [
        "report_id",
        "rep",
        "submitted_at",
        "status",
        "summary",
        "competitor_info",
        "customer_feedback",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    ]
    return pd.DataFrame(tuples(conn, query), columns=columns)


def day_inputs(conn: Connection, scope: Scope, day: date) -> dict[str, pd.DataFrame]:
    """Everything :func:`crm_core.daily.daily_table` needs for ``day`` inside ``scope``."""
    return {
        "reps": queries.reps(conn, scope),
        "counts": activity_counts(conn, scope, day),
        "sales": queries.sales_by(conn, scope, day, day, ["rep"]),
        "collections": queries.collections_by(conn, scope, day, day, ["rep"]),
        "reports": reports_of(conn, scope, day),
    }


def plan_of(conn: Connection, rep_id: str, day: date) -> pd.DataFrame:
    """A rep's activities of ``day`` with customer names, planned ones first."""
    a, c = activities.c, customers.c
    query = (
        select(
            a.activity_id,
            a.customer_id,
            c.name.label("customer"),
            a.kind,
            a.purpose,
            a.status,
            a.planned,
            a.outcome,
        )
        .join_from(activities, customers, a.customer_id == c.customer_id)
        .where(a.rep_id == rep_id, a.date == day)
        .order_by(a.planned.desc(), a.activity_id)
    )
    columns = [
        "activity_id",
        "customer_id",
        "customer",
        "kind",
        "purpose",
        "status",
        "planned",
        "outcome",
    ]
    return pd.DataFrame(tuples(conn, query), columns=columns)


def customers_of(conn: Connection, rep_id: str) -> pd.DataFrame:
    """``customer_id, name, priority`` of a rep's own customers, key customers first."""
    c = customers.c
    order = case((c.priority == "key", 0), (c.priority == "normal", 1), else_=2)
    query = (
        select(c.customer_id, c.name, c.priority)
        .where(c.owner_rep_id == rep_id, c.status != "lost")
        .order_by(order, c.name)
    )
    return pd.DataFrame(tuples(conn, query), columns=["customer_id", "name", "priority"])


def sign_off_queue(conn: Connection, scope: Scope) -> pd.DataFrame:
    """Submitted reports awaiting sign-off in scope, oldest first: ``report_id, rep, name,
    date, submitted_at, summary, competitor_info, customer_feedback`` and the day's figures
    ``planned, done, effective, sales``."""
    r = reports.c
    query = (
        select(
            r.report_id,
            r.rep_id.label("rep"),
            reps_t.c.name,
            r.date,
            r.submitted_at,
            r.summary,
            r.competitor_info,
            r.customer_feedback,
        )
        .join_from(reports, reps_t, reps_t.c.rep_id == r.rep_id)
        .where(r.status == "submitted", scope_clause(reports, scope))
        .order_by(r.date, r.submitted_at)
    )
    columns = [
        "report_id",
        "rep",
        "name",
        "date",
        "submitted_at",
        "summary",
        "competitor_info",
        "customer_feedback",
    ]
    queue = pd.DataFrame(tuples(conn, query), columns=columns)
    return _with_day_figures(conn, scope, queue)


DAY_FIGURES = ["planned", "done", "effective", "sales"]


def _with_day_figures(conn: Connection, scope: Scope, queue: pd.DataFrame) -> pd.DataFrame:
    """``queue`` with each report's day in numbers (:func:`activity_counts` of that rep on
    that day): activities planned, done, effective and ending in a sale."""
    if queue.empty:
        return queue.assign(**{name: pd.Series(dtype="int64") for name in DAY_FIGURES})
    counts = activity_counts(conn, scope, min(queue.date), max(queue.date), by_day=True)
    merged = queue.merge(counts[["rep", "date", *DAY_FIGURES]], on=["rep", "date"], how="left")
    return merged.fillna({name: 0 for name in DAY_FIGURES}).astype(
        {name: "int64" for name in DAY_FIGURES}
    )


# ---------------------------------------------------------------- write side


def _own_rep(account: Account) -> str:
    if account.role is not Role.REP or not account.rep_id:
        raise DailyRefused("only a rep keeps their own plan and daily report")
    return account.rep_id


def plan_activity(
    engine: Engine,
    account: Account,
    day: date,
    customer_id: str,
    kind: str,
    purpose: str,
    today: date,
) -> str:
    """Add a planned call or visit for today or the next working day; returns its ID."""
    rep_id = _own_rep(account)
    if day not in (today, next_working_day(today)):
        raise DailyRefused(f"plans are made for today or the next working day, not {day}")
    if kind not in KINDS or purpose not in PURPOSES:
        raise DailyRefused(
            f"kind must be {'|'.join(KINDS)} and purpose one of {'|'.join(PURPOSES)}"
        )
    activity_id = f"W{day:%Y%m%d}{uuid.uuid4().hex[:10].upper()}"
    with write_transaction(engine) as conn:
        customer = _customer(conn, customer_id)
        if customer is None or customer.owner_rep_id != rep_id:
            raise DailyRefused(f"{customer_id} is not one of your customers")
        twice = conn.scalar(
            select(activities.c.activity_id).where(
                activities.c.rep_id == rep_id,
                activities.c.customer_id == customer_id,
                activities.c.date == day,
                activities.c.kind == kind,
                activities.c.planned.is_(True),
            )
        )
        if twice is not None:
            raise DailyRefused(f"a {kind} of {customer_id} is on the plan of {day} already")
        row = {
            "activity_id": activity_id,
            "date": day,
            "rep_id": rep_id,
            "customer_id": customer_id,
            "kind": kind,
            "purpose": purpose,
            "status": "planned",
            "planned": True,
        }
        conn.execute(activities.insert().values(**row))
        audit(conn, account.username, "activities", activity_id, None, row)
        summaries.kept_after(conn, "activities", [row])
        bump_data_version(conn, ("activities",), _whose_activity(rep_id, customer, day))
    return activity_id


def _customer(conn: Connection, customer_id: str) -> Row | None:
    """The ``region_id`` and ``owner_rep_id`` of ``customer_id`` (None: no such customer)."""
    c = customers.c
    return conn.execute(
        select(c.region_id, c.owner_rep_id).where(c.customer_id == customer_id)
    ).first()


def _whose_activity(rep_id: str, customer: Row, day: date) -> Whose:
    """An activity of ``day`` belongs to its ``customer``'s region (:func:`_customer`) and is
    seen by its rep and by the customer's owner (the customer's last contact)."""
    reps = frozenset([rep_id, customer.owner_rep_id])
    return Whose(frozenset([customer.region_id]), reps, frozenset([day]))


def _whose_report(conn: Connection, rep_id: str, day: date) -> Whose:
    """A daily report of ``day`` belongs to its rep's region."""
    region = conn.scalar(select(reps_t.c.region_id).where(reps_t.c.rep_id == rep_id))
    return Whose(frozenset([region]), frozenset([rep_id]), frozenset([day]))


def complete_activity(
    engine: Engine,
    account: Account,
    activity_id: str,
    outcome: str | None,
    duration_min: int | None = None,
    notes: str | None = None,
    today: date | None = None,
) -> None:
    """Mark one of the rep's planned activities done (with its furthest outcome) or missed
    (``outcome`` None), no earlier than its day (``today``: the as-of day); a duration of 0 to
    :data:`MAX_DURATION_MIN` minutes."""
    rep_id = _own_rep(account)
    if outcome is not None and outcome not in OUTCOMES:
        raise DailyRefused(f"outcome must be one of {'|'.join(OUTCOMES)}")
    if duration_min is not None and not 0 <= duration_min <= MAX_DURATION_MIN:
        raise DailyRefused(
            f"duration: expected 0 to {MAX_DURATION_MIN} minutes, found {duration_min}"
        )
    notes = _free_text(notes, "notes")
    today = today or engine_today()
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(
                activities.c.rep_id,
                activities.c.status,
                activities.c.date,
                activities.c.customer_id,
            ).where(activities.c.activity_id == activity_id)
        ).first()
        if row is None or row.rep_id != rep_id:
            raise DailyRefused(f"{activity_id} is not one of your activities")
        if row.status != "planned":
            raise DailyRefused(f"{activity_id} is {row.status} already")
        if row.date > today:
            raise DailyRefused(f"{activity_id} is planned for {row.date}: record it on that day")
        new = {
            "status": "done" if outcome else "missed",
            "outcome": outcome,
            "duration_min": duration_min,
            "notes": notes,
        }
        conn.execute(
            activities.update().where(activities.c.activity_id == activity_id).values(**new)
        )
        audit(conn, account.username, "activities", activity_id, {"status": "planned"}, new)
        summaries.kept_after(conn, "activities", [row._mapping])
        whose = _whose_activity(rep_id, _customer(conn, row.customer_id), row.date)
        bump_data_version(conn, ("activities",), whose)


@dataclass(frozen=True)
class ReportText:
    summary: str
    competitor_info: str = ""
    customer_feedback: str = ""


def submit_report(
    engine: Engine, account: Account, day: date, text: ReportText, now: datetime
) -> str:
    """Submit (or, after it was returned, resubmit) the rep's report of ``day``."""
    rep_id = _own_rep(account)
    if not text.summary.strip():
        raise DailyRefused("the summary of the day is required")
    _free_text(text.summary, "summary")
    _free_text(text.competitor_info, "competitor information")
    _free_text(text.customer_feedback, "customer feedback")
    if day > now.date():
        raise DailyRefused("a report cannot be submitted before its day")
    values = {
        "submitted_at": now.replace(microsecond=0),
        "summary": text.summary.strip(),
        "competitor_info": text.competitor_info.strip() or None,
        "customer_feedback": text.customer_feedback.strip() or None,
        "status": "submitted",
    }
    try:
        return _write_report(engine, account.username, rep_id, day, values, now)
    except IntegrityError:  # the same report inserted by a second submit at the same moment
        raise DailyRefused(f"the report of {day} was submitted already") from None


def _write_report(
    engine: Engine, username: str, rep_id: str, day: date, values: dict, now: datetime
) -> str:
    r = reports.c
    with write_transaction(engine) as conn:
        old = (
            conn.execute(select(reports).where(r.rep_id == rep_id, r.date == day))
            .mappings()
            .first()
        )
        if old is not None and old["status"] != "returned":
            raise DailyRefused(f"the report of {day} is {old['status']} already")
        if old is None:
            report_id = f"DR{day:%Y%m%d}{rep_id}"
            conn.execute(
                reports.insert().values(report_id=report_id, rep_id=rep_id, date=day, **values)
            )
        else:
            report_id = old["report_id"]
            resubmitted = conn.execute(
                reports.update()
                .where(r.report_id == report_id, r.status == "returned")
                .values(**values)
            )
            if resubmitted.rowcount != 1:
                raise DailyRefused(f"the report of {day} was submitted already")
        before = None if old is None else {"status": old["status"]}
        audit(conn, username, "daily_reports", report_id, before, {"status": "submitted"}, at=now)
        bump_data_version(conn, ("daily_reports",), _whose_report(conn, rep_id, day))
    return report_id


def review_report(
    engine: Engine, account: Account, report_id: str, approve: bool, comment: str, now: datetime
) -> None:
    """A manager approves or returns (a comment required) a submitted report of a rep in
    their regions."""
    if account.role is not Role.MANAGER:
        raise DailyRefused("only the rep's manager signs off daily reports")
    if not approve and not comment.strip():
        raise DailyRefused("say what to fix: a returned report needs a comment")
    _free_text(comment, "comment")
    r = reports.c
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(r.status, r.rep_id, r.date, reps_t.c.region_id)
            .join_from(reports, reps_t, reps_t.c.rep_id == r.rep_id)
            .where(r.report_id == report_id)
        ).first()
        if row is None or row.region_id not in account.region_ids:
            raise DailyRefused(f"{report_id} is not a report of your regions")
        if row.status != "submitted":
            raise _reviewed_already(conn, report_id)
        status = "approved" if approve else "returned"
        values = {
            "status": status,
            "reviewed_by": account.username,
            "reviewed_at": now.replace(microsecond=0),
            "review_comment": comment.strip() or None,
        }
        # Only a report still awaiting sign-off changes: of two managers signing off at once,
        # the second one's update finds it reviewed (PostgreSQL re-reads the row after the
        # first commits; SQLite serialises writers) and is refused, naming who was first.
        changed = conn.execute(
            reports.update()
            .where(r.report_id == report_id, r.status == "submitted")
            .values(**values)
        )
        if changed.rowcount != 1:
            raise _reviewed_already(conn, report_id)
        audit(
            conn,
            account.username,
            "daily_reports",
            report_id,
            {"status": "submitted"},
            {"status": status, "comment": comment.strip()},
            at=now,
        )
        bump_data_version(
            conn,
            ("daily_reports",),
            Whose(frozenset([row.region_id]), frozenset([row.rep_id]), frozenset([row.date])),
        )


def _free_text(text: str | None, what: str) -> str | None:
    """``text`` within the bounds of free text (crm_core.inputs), else :class:`DailyRefused`."""
    try:
        return inputs.free_text(text, what)
    except inputs.InputRefused as refused:
        raise DailyRefused(str(refused)) from None


def approve_many(
    engine: Engine, account: Account, report_ids: list[str], now: datetime
) -> tuple[int, list[str]]:
    """Approve each of ``report_ids`` (one transaction each, the same rules as one by one);
    returns how many were approved and the refusals, in words."""
    approved, refused = 0, []
    for report_id in report_ids:
        try:
            review_report(engine, account, report_id, True, "", now)
            approved += 1
        except DailyRefused as no:
            refused.append(str(no))
    return approved, refused


def _reviewed_already(conn: Connection, report_id: str) -> DailyRefused:
    r = reports.c
    row = conn.execute(select(r.status, r.reviewed_by).where(r.report_id == report_id)).first()
    if row is not None and row.reviewed_by and row.status in ("approved", "returned"):
        return DailyRefused(f"{report_id} was already reviewed by {row.reviewed_by} ({row.status})")
    status = row.status if row is not None else "gone"
    return DailyRefused(f"{report_id} is {status}, not awaiting sign-off")
