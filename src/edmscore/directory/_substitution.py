"""Substitutions (замещение, исполнение обязанностей): who acts for an absent official, when, how.

A :class:`Substitution` names the absent official, their deputy, the period (both ends
included) and the powers handed over (all of them when none is listed). It is resolved at the
time of each action — a substitution that starts while a cycle of approval or an assignment is
already running counts from its first day — and every record made under it names both the
deputy and the official they stood for.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import attrs
import pendulum

from edmscore._validate import (
    date_value,
    frozenset_of,
    non_empty_text,
    text,
    to_date,
    to_frozenset,
)
from edmscore.errors import RouteError, ValidationError

__all__ = ["MAX_CHAIN", "Power", "Substitution", "SubstitutionSource", "acting_official"]


class Power(enum.Enum):
    """A power a substitution hands over to the deputy."""

    #: Seeing, reporting and accepting the absent official's assignments (контроль исполнения).
    CONTROL = "control"
    #: Visas on drafts (согласование).
    APPROVAL = "approval"
    #: Signing «за» the absent signatory (подписание).
    SIGNING = "signing"
    #: Citizens' appeals (обращения граждан).
    APPEALS = "appeals"
    #: Registering documents and their cards (регистрация).
    REGISTRATION = "registration"

    @property
    def label(self) -> str:
        """The Russian name of the power."""
        return _LABELS[self]


_LABELS = {
    Power.CONTROL: "контроль исполнения",
    Power.APPROVAL: "согласование",
    Power.SIGNING: "подписание",
    Power.APPEALS: "обращения граждан",
    Power.REGISTRATION: "регистрация",
}


def _powers(value: object) -> object:
    items = to_frozenset(value)
    if isinstance(items, frozenset):
        try:
            return frozenset(Power(v) if isinstance(v, str) else v for v in items)
        except ValueError:
            raise ValidationError("powers", "not a known power") from None
    return items


@attrs.frozen
class Substitution:
    """Who acts for an official over a period, both ends included (замещение, врио).

    ``powers`` lists what the deputy may do for the official; empty means every power.
    """

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    official_id: str = attrs.field(validator=non_empty_text(64))
    deputy_id: str = attrs.field(validator=non_empty_text(64))
    starts_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    ends_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    reason: str = attrs.field(default="", validator=text(500))
    powers: frozenset[Power] = attrs.field(
        default=frozenset(), converter=_powers, validator=frozenset_of(Power)
    )

    def __attrs_post_init__(self) -> None:
        if self.deputy_id == self.official_id:
            raise RouteError("deputy_id", "an official cannot substitute for themselves")
        if self.ends_on < self.starts_on:
            raise RouteError("ends_on", "the substitution ends before it starts")

    def covers(self, day: pendulum.Date) -> bool:
        """Whether the substitution is in force on ``day``."""
        return self.starts_on <= day <= self.ends_on

    def grants(self, power: Power | None) -> bool:
        """Whether the deputy holds ``power`` under it (None: any power at all)."""
        return power is None or not self.powers or power in self.powers

    def _key(self) -> tuple[Any, ...]:
        return (self.starts_on, self.id)


class SubstitutionSource(Protocol):
    """Where the substitutions of an organisation are read (a unit of work's repository)."""

    def in_force(self, organisation_id: str, day: pendulum.Date) -> Sequence[Substitution]:
        """The organisation's substitutions covering ``day``."""
        ...


#: How far a chain of substitutions is followed (a deputy who is absent too, …).
MAX_CHAIN = 5


def acting_official(
    official_id: str,
    day: pendulum.Date,
    substitutions: Iterable[Substitution],
    power: Power | None = None,
) -> tuple[str, str | None]:
    """Who acts for ``official_id`` on ``day``: ``(acting id, replaced id or None)``.

    Only substitutions handing over ``power`` count (any, when None). A chain (the deputy is
    absent too) is followed up to :data:`MAX_CHAIN` steps; a loop or a longer chain is a
    :class:`~edmscore.errors.RouteError`. Where several substitutions of one official overlap,
    the one that started last wins.
    """
    in_force: dict[str, Substitution] = {}
    for item in substitutions:
        if item.covers(day) and item.grants(power):
            held = in_force.get(item.official_id)
            if held is None or item._key() > held._key():
                in_force[item.official_id] = item
    current, seen = official_id, {official_id}
    for _ in range(MAX_CHAIN):
        found = in_force.get(current)
        if found is None:
            return current, (official_id if current != official_id else None)
        current = found.deputy_id
        if current in seen:
            raise RouteError("substitutions", f"substitutions of {official_id!r} form a loop")
        seen.add(current)
    if current in in_force:
        raise RouteError("substitutions", f"a chain of more than {MAX_CHAIN} substitutions")
    return current, official_id
