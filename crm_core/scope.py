"""Row-level access scope (docs/roles.md).

A :class:`Scope` says which regions and reps a viewer may see. It is made once from the
signed-in user and handed to every query; filters can only *narrow* it (:meth:`Scope.narrow`),
never widen it. ``None`` means "no restriction on this axis".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    DIRECTOR = "director"
    MANAGER = "manager"
    REP = "rep"


@dataclass(frozen=True)
class Scope:
    """What one viewer may see.

    ``region_ids``: the regions whose customers (and their orders, payments, activities,
    opportunities) are visible; ``None`` = all. ``rep_ids``: the reps whose own rows are visible;
    ``None`` = all reps inside the visible regions.
    """

    role: Role
    region_ids: frozenset[str] | None = None
    rep_ids: frozenset[str] | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls(Role.DIRECTOR)

    @classmethod
    def for_manager(cls, region_ids: Iterable[str]) -> Scope:
        return cls(Role.MANAGER, region_ids=frozenset(region_ids))

    @classmethod
    def for_rep(cls, rep_id: str, region_id: str | None = None) -> Scope:
        regions = frozenset([region_id]) if region_id else None
        return cls(Role.REP, region_ids=regions, rep_ids=frozenset([rep_id]))

    def narrow(
        self,
        region_ids: Iterable[str] | None = None,
        rep_ids: Iterable[str] | None = None,
    ) -> Scope:
        """The intersection of this scope with a filter; a filter never widens a scope."""
        return Scope(
            self.role,
            _intersect(self.region_ids, region_ids),
            _intersect(self.rep_ids, rep_ids),
        )

    @property
    def is_unrestricted(self) -> bool:
        """Every region and every rep: no row is out of this scope."""
        return self.region_ids is None and self.rep_ids is None

    @property
    def is_empty(self) -> bool:
        return self.region_ids == frozenset() or self.rep_ids == frozenset()


def _intersect(mine: frozenset[str] | None, other: Iterable[str] | None) -> frozenset[str] | None:
    if other is None:
        return mine
    wanted = frozenset(other)
    return wanted if mine is None else mine & wanted


@dataclass(frozen=True)
class FactFilter:
    """Filters on facts that are not about access: products and customer tiers (priority).

    ``None`` = no filter. Products apply to facts that have a product (orders); tiers apply to
    every fact with a customer."""

    product_ids: frozenset[str] | None = None
    tiers: frozenset[str] | None = None
