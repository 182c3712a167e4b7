"""SQLAlchemy models for every docs/formats.md table, plus users, user_regions, audit_log and
data_version.

Money is stored exactly as integer cents in ``*_cents`` columns (never binary floats).
``targets.amount`` is cents for the money metrics (revenue, gross_margin, collections) and a
plain count for the count metrics (new_customers, visits).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crm_core.vocabulary import (
    ACTIVITY_STATUS,
    CREDIT,
    GRADE,
    KINDS,
    MARKET_KINDS,
    METRICS,
    OPEN_STATUS,
    OUTCOMES,
    PRIORITY,
    PURPOSES,
    REPORT_STATUS,
    SEVERITY,
    STAGES,
    STATUS,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = String(32)


def choices(codes: tuple[str, ...]) -> dict[str, object]:
    """A column's ``info`` naming the codes it may hold (docs/formats.md); db.formats reads
    each import format off these columns, with ``info["kind"]`` where the type does not say."""
    return {"choices": tuple(codes)}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Region(Base):
    __tablename__ = "regions"
    region_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Rep(Base):
    __tablename__ = "reps"
    rep_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.region_id"), index=True)
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("reps.rep_id"))
    hire_date: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Product(Base):
    __tablename__ = "products"
    product_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(100))


class Customer(Base):
    __tablename__ = "customers"
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.region_id"), index=True)
    owner_rep_id: Mapped[str] = mapped_column(ForeignKey("reps.rep_id"), index=True)
    status: Mapped[str] = mapped_column(String(16), info=choices(STATUS))
    created_on: Mapped[date] = mapped_column(Date)
    priority: Mapped[str | None] = mapped_column(String(16), info=choices(PRIORITY))
    prospect_grade: Mapped[str | None] = mapped_column(String(1), info=choices(GRADE))
    annual_potential_cents: Mapped[int | None] = mapped_column(BigInteger)
    industry: Mapped[str | None] = mapped_column(String(100))
    employees: Mapped[int | None] = mapped_column(Integer)
    credit_rating: Mapped[str | None] = mapped_column(String(1), info=choices(CREDIT))
    credit_limit_cents: Mapped[int | None] = mapped_column(BigInteger)
    payment_terms_days: Mapped[int | None] = mapped_column(Integer)
    contact: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(500))


class Target(Base):
    """One target; ``target_key`` = ``period|metric|region|rep|product`` is the import key."""

    __tablename__ = "targets"
    target_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True, info={"kind": "period"})
    metric: Mapped[str] = mapped_column(String(16), info=choices(METRICS))
    amount: Mapped[int] = mapped_column(BigInteger, info={"kind": "amount"})
    region_id: Mapped[str | None] = mapped_column(ForeignKey("regions.region_id"), index=True)
    rep_id: Mapped[str | None] = mapped_column(ForeignKey("reps.rep_id"), index=True)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.product_id"))


class Order(Base):
    """One order line: a quantity of one product sold to a customer on a day by a rep."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_rep_date", "rep_id", "date"),
        # covering: per-customer revenue, margin and first order without reading the table
        Index("ix_orders_customer_date", "customer_id", "date", "amount_cents", "cost_cents"),
    )
    order_id: Mapped[str] = mapped_column(Id, primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("reps.rep_id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.product_id"))
    quantity: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    cost_cents: Mapped[int] = mapped_column(BigInteger)


class Payment(Base):
    """Money collected from a customer on a day, credited to a rep."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_rep_date", "rep_id", "date"),)
    payment_id: Mapped[str] = mapped_column(Id, primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("reps.rep_id"))
    amount_cents: Mapped[int] = mapped_column(BigInteger)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_rep_date", "rep_id", "date"),
        # covering: done activities counted by day, month or rep
        Index("ix_activities_date_status", "date", "status", "rep_id", "kind", "outcome"),
        # covering: last call and visit, cost-to-serve and minutes per customer
        Index(
            "ix_activities_customer_status",
            "customer_id",
            "status",
            "kind",
            "date",
            "cost_cents",
            "duration_min",
        ),  # fmt: skip
    )
    activity_id: Mapped[str] = mapped_column(Id, primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("reps.rep_id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    kind: Mapped[str] = mapped_column(String(8), info=choices(KINDS))
    purpose: Mapped[str] = mapped_column(String(16), info=choices(PURPOSES))
    status: Mapped[str] = mapped_column(String(8), info=choices(ACTIVITY_STATUS))
    planned: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str | None] = mapped_column(String(16), info=choices(OUTCOMES))
    duration_min: Mapped[int | None] = mapped_column(Integer)
    cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)


class DailyReport(Base):
    __tablename__ = "daily_reports"
    __table_args__ = (Index("ix_daily_reports_rep_date", "rep_id", "date"),)
    report_id: Mapped[str] = mapped_column(Id, primary_key=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("reps.rep_id"))
    date: Mapped[date] = mapped_column(Date, index=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    summary: Mapped[str | None] = mapped_column(Text)
    competitor_info: Mapped[str | None] = mapped_column(Text)
    customer_feedback: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), info=choices(REPORT_STATUS))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    review_comment: Mapped[str | None] = mapped_column(Text)


class Opportunity(Base):
    __tablename__ = "opportunities"
    __table_args__ = (
        # the pipeline's cohort: deals created in the 12 months to a day
        Index("ix_opportunities_created_on", "created_on", "opportunity_id"),
        # deals open on a day: not closed (NULL) or closed after it (db.pipeline.open_on)
        Index("ix_opportunities_closed_on", "closed_on", "created_on"),
    )
    opportunity_id: Mapped[str] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("reps.rep_id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    stage: Mapped[str] = mapped_column(String(16), index=True, info=choices(STAGES))
    created_on: Mapped[date] = mapped_column(Date)
    expected_close: Mapped[date] = mapped_column(Date, index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    lost_reason: Mapped[str | None] = mapped_column(String(300))


class OpportunityStage(Base):
    __tablename__ = "opportunity_stages"
    __table_args__ = (
        # covering: a deal's stage history in order (stays, last stage by a day)
        Index("ix_opportunity_stages_history", "opportunity_id", "entered_on", "stage"),
    )
    opportunity_id: Mapped[str] = mapped_column(
        ForeignKey("opportunities.opportunity_id"), primary_key=True
    )
    stage: Mapped[str] = mapped_column(String(16), primary_key=True, info=choices(STAGES))
    entered_on: Mapped[date] = mapped_column(Date)


class MarketReport(Base):
    __tablename__ = "market_reports"
    report_id: Mapped[str] = mapped_column(Id, primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("reps.rep_id"), index=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.customer_id"))
    kind: Mapped[str] = mapped_column(String(24), info=choices(MARKET_KINDS))
    severity: Mapped[str] = mapped_column(String(8), info=choices(SEVERITY))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), info=choices(OPEN_STATUS))
    resolved_on: Mapped[date | None] = mapped_column(Date)


class User(Base):
    """A person who signs in. ``role`` is director|manager|rep; a rep user names its rep."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    rep_id: Mapped[str | None] = mapped_column(ForeignKey("reps.rep_id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # A disabled user cannot sign in, and their open sessions end on the next rerun.
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Every sign-in cookie carries the version it was issued under; signing out, a new
    # password or disabling the user increments it, so older cookies stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Where the Monday report is sent (report weekly --send); none: not sent.
    email: Mapped[str | None] = mapped_column(String(320))


class LoginFailure(Base):
    """Failed sign-ins in a row, per user (``user:NAME``) and per client (``client:ADDRESS``),
    for the lockout; a successful sign-in removes both rows."""

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_at: Mapped[datetime] = mapped_column(DateTime)


class ReportDelivery(Base):
    """A Monday report sent by e-mail: a second run for the same week sends only what was not
    sent (a failed or new recipient), never a duplicate."""

    __tablename__ = "report_deliveries"
    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime] = mapped_column(DateTime)


class Action(Base):
    """An action decided in the Monday meeting (crm_core.actions): about a rep or a region,
    owned by a user, due on a day; ``week`` is the ISO week of the report it was decided on.
    ``region_id`` is the region of a region action (a rep action is scoped by its rep's
    region now, so it follows a rep who changes region)."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    week: Mapped[str] = mapped_column(String(8), index=True)
    rep_id: Mapped[str | None] = mapped_column(ForeignKey("reps.rep_id"), index=True)
    region_id: Mapped[str | None] = mapped_column(ForeignKey("regions.region_id"))
    owner: Mapped[str] = mapped_column(ForeignKey("users.username"))
    due: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(64))


class DealVersion(Base):
    """A deal as it stood at the end of ``day`` (issue 38.2): written by every import that
    created or changed it, and for every deal that existed when the history began (migration
    0017), so that what moved between two days can be told."""

    __tablename__ = "deal_history"
    opportunity_id: Mapped[str] = mapped_column(Id, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    rep_id: Mapped[str] = mapped_column(Id)
    stage: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    expected_close: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)


class ForecastEntry(Base):
    """A rep's forecast of a month (``kind`` submitted) or their manager's adjustment of it
    (``adjusted``, with a note; a figure left ``None`` is not adjusted), dated on the day it was
    made (crm_core.forecasts). Never updated: the call's history is the rows."""

    __tablename__ = "forecasts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("reps.rep_id"))
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(10))
    commit_cents: Mapped[int | None] = mapped_column(BigInteger)
    best_case_cents: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date)
    made_by: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_forecasts_month_rep_id", "month", "rep_id"),)


class AlertChannel(Base):
    """Where a region's alerts of the day go (issue 37.3): an e-mail address, or the webhook
    URL of a WeCom (企业微信) or DingTalk (钉钉) group robot, with DingTalk's optional signing
    secret."""

    __tablename__ = "alert_channels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.region_id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AlertDelivery(Base):
    """An alert message of a day sent to one recipient (``channel:ID`` or ``user:NAME``): a
    second run for the same day sends only what was not sent."""

    __tablename__ = "alert_deliveries"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(100), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime)


class UserRegion(Base):
    """The region(s) a manager is scoped to."""

    __tablename__ = "user_regions"
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), primary_key=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.region_id"), primary_key=True)


class AuditEntry(Base):
    """Who changed what, when: ``old_value`` → ``new_value`` as JSON text."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(64))
    table_name: Mapped[str] = mapped_column(String(64))
    row_key: Mapped[str] = mapped_column(String(300))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class DataVersion(Base):
    """A single counter bumped by every write."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class TableVersion(Base):
    """A counter per data table, bumped by every write that changes the table; a cached read
    is keyed on the versions of the tables it reads, so a visit written does not evict the
    targets."""

    __tablename__ = "table_versions"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class ScopedVersion(Base):
    """A counter per table written by reps all day (activities, daily reports) and per region,
    rep or ISO week whose rows a write changed (``axis`` 'region', 'rep' or 'week'), or
    ``axis`` '*' for a write to any rows; a read inside a region or for a rep, or of the whole
    company up to a past day, is keyed on these, so a visit in one region keeps the other
    regions' pages cached, and today's visits last week's report. A row is created by its
    first write."""

    __tablename__ = "scoped_versions"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    axis: Mapped[str] = mapped_column(String(8), primary_key=True)
    axis_id: Mapped[str] = mapped_column(Id, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class RepMonthKey:
    """The key of a summary by month × rep × the customer's region and tier (the tier is
    '' for none), first in each summary's columns."""

    month: Mapped[str] = mapped_column(String(7), primary_key=True, sort_order=-1)
    rep_id: Mapped[str] = mapped_column(Id, primary_key=True, sort_order=-1)
    region_id: Mapped[str] = mapped_column(Id, primary_key=True, sort_order=-1)
    priority: Mapped[str] = mapped_column(String(16), primary_key=True, sort_order=-1)


class OrderMonth(RepMonthKey, Base):
    """Orders summed per month × rep × the customer's region and tier × product: a summary
    kept in the transaction of every write (:mod:`db.summaries`); the sales measures read
    whole months here and only the days at a window's edges from ``orders``."""

    __tablename__ = "order_months"
    product_id: Mapped[str] = mapped_column(Id, primary_key=True)
    revenue_cents: Mapped[int] = mapped_column(BigInteger)
    cost_cents: Mapped[int] = mapped_column(BigInteger)
    orders: Mapped[int] = mapped_column(BigInteger)


class PaymentMonth(RepMonthKey, Base):
    """Payments summed per month × rep × the customer's region and tier (see
    :class:`OrderMonth`)."""

    __tablename__ = "payment_months"
    collections_cents: Mapped[int] = mapped_column(BigInteger)
    payments: Mapped[int] = mapped_column(BigInteger)


class ActivityMonth(RepMonthKey, Base):
    """Done activities counted per month × rep × the customer's region and tier: done,
    effective (an outcome beyond no contact) and sales (see :class:`OrderMonth`)."""

    __tablename__ = "activity_months"
    done: Mapped[int] = mapped_column(BigInteger)
    effective: Mapped[int] = mapped_column(BigInteger)
    sales: Mapped[int] = mapped_column(BigInteger)


class FirstOrder(Base):
    """Each customer's first order day (a summary kept like :class:`OrderMonth`): new
    customers of a window are those whose first order falls in it."""

    __tablename__ = "first_orders"
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    first_date: Mapped[date] = mapped_column(Date, index=True)


class OrderYear(Base):
    """Each customer's first order day in each year it ordered, and the months of that year it
    ordered in (bit ``m - 1`` for month ``m``; a summary kept like :class:`OrderMonth`): the
    customer base of every year (active, lost, new; attrition) and of any 12 months from a few
    rows per customer instead of all of its orders."""

    __tablename__ = "order_years"
    __table_args__ = {"sqlite_with_rowid": False}  # the rows in key order: grouped per customer
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    year: Mapped[str] = mapped_column(String(4), primary_key=True)
    first_date: Mapped[date] = mapped_column(Date)
    months: Mapped[int] = mapped_column(Integer)


class LastContact(Base):
    """Each customer's last done call and visit (a summary kept like :class:`OrderMonth`):
    the contact cadence."""

    __tablename__ = "last_contacts"
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    last_call_on: Mapped[date | None] = mapped_column(Date)
    last_visit_on: Mapped[date | None] = mapped_column(Date)


class TrailingOrder(Base):
    """Each customer's orders of the 365 days up to the kept day (:class:`SummaryDay`), a
    summary kept like :class:`FirstOrder` and rolled to a new day by the first write of that
    day: the customers' revenue and margin of the trailing 12 months from one row each."""

    __tablename__ = "trailing_orders"
    __table_args__ = {"sqlite_with_rowid": False}  # one seek per customer, not two
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    revenue_cents: Mapped[int] = mapped_column(BigInteger)
    margin_cents: Mapped[int] = mapped_column(BigInteger)


class TrailingActivity(Base):
    """Each customer's done activities of the 365 days up to the kept day, kept like
    :class:`TrailingOrder`: cost to serve and time spent of the trailing 12 months."""

    __tablename__ = "trailing_activities"
    __table_args__ = {"sqlite_with_rowid": False}  # one seek per customer, not two
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    cost_cents: Mapped[int] = mapped_column(BigInteger)
    minutes: Mapped[int] = mapped_column(BigInteger)


class StageStay(Base):
    """Each stage history entry (:class:`OpportunityStage`) with the day the deal left the
    stage (its next entry, by day then stage order, lost last; none yet: still in it) and, for
    a stage of the progress, the first day the deal entered a later one (none: the furthest it
    got). Kept by every write of the history: a cohort's stays and furthest stages as of any
    day from one row per entry (db.pipeline.conversion_counts)."""

    __tablename__ = "stage_stays"
    __table_args__ = {"sqlite_with_rowid": False}  # a deal's entries together: one seek each
    opportunity_id: Mapped[str] = mapped_column(Id, primary_key=True)
    stage: Mapped[str] = mapped_column(String(16), primary_key=True)
    entered_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    superseded_on: Mapped[date | None] = mapped_column(Date)


class SummaryDay(Base):
    """The day a trailing summary is kept for (one row per summary table; none: not kept)."""

    __tablename__ = "summary_days"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date)


class SavedView(Base):
    """A page with its filters and page state saved under a name by its owner (issue 40.1):
    ``params`` holds the page's URL parameters as JSON (crm_core.saved_views)."""

    __tablename__ = "saved_views"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(ForeignKey("users.username"))
    name: Mapped[str] = mapped_column(String(80))
    page: Mapped[str] = mapped_column(String(32))
    params: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("owner", "name"),)


class SavedViewShare(Base):
    """Who else may open a saved view: a username, or ``*`` for everyone."""

    __tablename__ = "saved_view_shares"
    view_id: Mapped[int] = mapped_column(
        ForeignKey("saved_views.id", ondelete="CASCADE"), primary_key=True
    )
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
