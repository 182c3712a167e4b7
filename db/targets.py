"""Targets: reading the tree for the editor and saving a breakdown (docs/roles.md,
docs/kpis.md#targets).

The rules hold here, in the write path, whatever the UI shows: a rep cannot change targets; a
manager changes only rep targets of reps in their regions, and their reps must still sum to
each region target exactly (the region total is the director's); a director changes anything,
and a changed region total re-splits the reps under it in proportion to their current targets.
Every save is one transaction with an audit entry per changed row, and is refused as a whole
when any sum of the tree would break (the message names it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from crm_core.breakdown import allocate, mismatches, weights_or_equal
from crm_core.scope import Role
from db.formats import target_key
from db.queries import tuples
from db.schema import Customer, Rep, Target
from db.transactions import audit, bump_data_version, write_transaction
from db.users import Account

targets_t = Target.__table__
COLUMNS = ["period", "metric", "amount", "region_id", "rep_id", "product_id"]


class TargetRefused(PermissionError):
    """A save that breaks a rule; nothing was written."""


@dataclass(frozen=True)
class Cell:
    """One target row to write. Money metrics in cents, counts as counts."""

    period: str
    metric: str
    amount: int
    region_id: str | None = None
    rep_id: str | None = None
    product_id: str | None = None

    @property
    def key(self) -> str:
        return target_key(self.period, self.metric, self.region_id, self.rep_id, self.product_id)


def tree(conn: Connection, metric: str, months: Sequence[str]) -> pd.DataFrame:
    """Every target row of ``metric`` in ``months`` (columns :data:`COLUMNS`)."""
    query = select(*[targets_t.c[c] for c in COLUMNS]).where(
        targets_t.c.metric == metric, targets_t.c.period.in_(list(months))
    )
    frame = pd.DataFrame(tuples(conn, query), columns=COLUMNS).astype(object)
    return frame.where(frame.notna(), None)


def potential_by_rep(conn: Connection, rep_ids: Iterable[str]) -> dict[str, int]:
    """Σ annual potential (cents) of each rep's customers (a weight source for reps)."""
    query = (
        select(Customer.owner_rep_id, func.coalesce(func.sum(Customer.annual_potential_cents), 0))
        .where(Customer.owner_rep_id.in_(list(rep_ids)))
        .group_by(Customer.owner_rep_id)
    )
    return {rep: int(total) for rep, total in conn.execute(query)}


def save(engine: Engine, account: Account, cells: Sequence[Cell], at: date | None = None) -> int:
    """Write ``cells`` for ``account``; returns the number of rows changed. Raises
    :class:`TargetRefused` (nothing written) when a rule or a sum would break."""
    if account.role is Role.REP:
        raise TargetRefused("a rep cannot change targets")
    with write_transaction(engine) as conn:
        if account.role is Role.MANAGER:
            _check_manager(conn, account, cells)
            planned = list(cells)
        else:
            planned = list(cells) + _cascade_to_reps(conn, cells)
        changed = _write(conn, account.username, planned)
        check_sums(conn, {(cell.metric, cell.period) for cell in planned})
        if changed:
            bump_data_version(conn, ("targets",))
    return changed


def _check_manager(conn: Connection, account: Account, cells: Sequence[Cell]) -> None:
    mine = set(account.region_ids)
    rep_ids = {cell.rep_id for cell in cells if cell.rep_id}
    region_of = dict(
        conn.execute(select(Rep.rep_id, Rep.region_id).where(Rep.rep_id.in_(rep_ids))).all()
    )
    for cell in cells:
        if cell.rep_id is None:
            raise TargetRefused(
                f"{cell.metric} {cell.period}: a manager cannot change a region or company "
                "total; that is the director's"
            )
        if cell.region_id not in mine or region_of.get(cell.rep_id) not in mine:
            raise TargetRefused(
                f"{cell.rep_id} {cell.period}: not in your regions ({', '.join(sorted(mine))})"
            )
        region_total = Cell(cell.period, cell.metric, 0, cell.region_id, None, cell.product_id)
        if (
            conn.scalar(
                select(targets_t.c.amount).where(targets_t.c.target_key == region_total.key)
            )
            is None
        ):
            raise TargetRefused(
                f"{cell.metric} {cell.period}: region {cell.region_id} has no target yet; "
                "the director sets it first"
            )


def _cascade_to_reps(conn: Connection, cells: Sequence[Cell]) -> list[Cell]:
    """Rep rows under a changed region total, re-split in proportion to their current targets
    (unless the same save sets them)."""
    explicit = {cell.key for cell in cells}
    cascaded: list[Cell] = []
    for cell in cells:
        if cell.rep_id is not None or cell.region_id is None:
            continue
        reps = conn.execute(
            select(targets_t.c.rep_id, targets_t.c.amount)
            .where(
                targets_t.c.period == cell.period,
                targets_t.c.metric == cell.metric,
                targets_t.c.region_id == cell.region_id,
                targets_t.c.rep_id.is_not(None),
                targets_t.c.product_id.is_(None)
                if cell.product_id is None
                else targets_t.c.product_id == cell.product_id,
            )
            .order_by(targets_t.c.rep_id)
        ).all()
        if not reps:
            continue
        weights, _ = weights_or_equal([amount for _rep, amount in reps])
        for (rep, _old), amount in zip(reps, allocate(cell.amount, weights), strict=True):
            new = Cell(cell.period, cell.metric, amount, cell.region_id, rep, cell.product_id)
            if new.key not in explicit:
                cascaded.append(new)
    return cascaded


def _write(conn: Connection, username: str, cells: Sequence[Cell]) -> int:
    changed = 0
    for cell in cells:
        old = conn.scalar(select(targets_t.c.amount).where(targets_t.c.target_key == cell.key))
        if old == cell.amount:
            continue
        values = {c: getattr(cell, c) for c in COLUMNS}
        if old is None:
            conn.execute(targets_t.insert().values(target_key=cell.key, **values))
        else:
            conn.execute(
                targets_t.update()
                .where(targets_t.c.target_key == cell.key)
                .values(amount=cell.amount)
            )
        audit(
            conn,
            username,
            "targets",
            cell.key,
            None if old is None else {"amount": old},
            {"amount": cell.amount},
        )
        changed += 1
    return changed


def check_sums(conn: Connection, touched: Iterable[tuple[str, str]]) -> None:
    """Refuse (roll back) when a sum of the tree breaks in one of the ``(metric, period)``
    pairs ``touched`` (by an editor's save or by an import)."""
    problems = []
    for metric, period in sorted(set(touched)):
        problems += mismatches(tree(conn, metric, [period]))
    if problems:
        raise TargetRefused("; ".join(str(p) for p in problems[:5]))
