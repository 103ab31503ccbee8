"""Registration journals (журналы регистрации / группы документов) and their counters.

A journal owns a number template (:mod:`edmscore.registry.numbering`), a reset period and a
counter scope. The counter is identified by :meth:`Journal.counter_key`: the journal's own id, or
a shared key when several journals draw from one sequence (``shared_counter``), plus the period,
plus the values of ``counter_per`` fields (for instance ``("letter",)`` gives every first letter of
an applicant's surname its own sequence, ``("dept",)`` every department its own).

The storage allocates counter values inside the registering unit of work, so a registration that
fails after allocating rolls its value back with everything else: numbers stay gapless.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    field_name,
    instance_of,
    non_empty_text,
    optional_text,
    text,
    to_frozenset,
    to_tuple,
)
from edmscore.errors import ValidationError
from edmscore.registry._enums import AccessMark, CardKind
from edmscore.registry.numbering import TEMPLATE_FIELDS, NumberTemplate, clean_number

__all__ = ["Journal", "ResetPeriod"]


class ResetPeriod(enum.Enum):
    """When a journal's counter starts again from 1."""

    YEARLY = "yearly"
    NEVER = "never"


def _template(value: object) -> object:
    return NumberTemplate.parse(value) if isinstance(value, str) else value


def _counter_per(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    name = field_name(attribute, owner)
    if not isinstance(value, tuple):
        raise ValidationError(name, "must be a tuple of template field names")
    for item in value:
        if item not in TEMPLATE_FIELDS or item in ("seq", "year", "yy", "y"):
            raise ValidationError(name, f"cannot split a counter by {item!r}")


def _kinds(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    name = field_name(attribute, owner)
    if not isinstance(value, frozenset) or not value:
        raise ValidationError(name, "must name at least one card kind")
    for item in value:
        if not isinstance(item, CardKind):
            raise ValidationError(name, f"not a CardKind: {item!r}")


@attrs.frozen
class Journal:
    """A registration journal of an organisation.

    ``kinds`` are the card kinds it registers; ``access`` restricts it to cards with that mark
    (a ДСП journal takes only ДСП cards; None takes any); ``template`` may be given as a string
    and is parsed — and rejected — at construction.
    """

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    code: str = attrs.field(validator=non_empty_text(32))
    name: str = attrs.field(validator=non_empty_text(500))
    template: NumberTemplate = attrs.field(
        converter=_template, validator=instance_of(NumberTemplate)
    )
    kinds: frozenset[CardKind] = attrs.field(converter=to_frozenset, validator=_kinds)
    reset: ResetPeriod = attrs.field(default=ResetPeriod.YEARLY, validator=instance_of(ResetPeriod))
    counter_per: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_counter_per
    )
    shared_counter: str | None = attrs.field(default=None, validator=optional_text(64))
    access: AccessMark | None = attrs.field(default=None)
    department_id: str | None = attrs.field(default=None, validator=optional_text(64))
    description: str = attrs.field(default="", validator=text(2000))
    numbers_ignore_case: bool = attrs.field(default=True)
    """The journal's rule for numbers typed by hand: numbers that differ only in letter case are
    the same number (see :meth:`normalise_number`)."""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.numbers_ignore_case, bool):
            raise ValidationError("Journal.numbers_ignore_case", "must be a bool")
        missing = set(self.counter_per) - self.template.fields
        if missing:
            raise ValidationError(
                "counter_per", f"splits the counter by {sorted(missing)} not in the template"
            )
        if self.access is not None and not isinstance(self.access, AccessMark):
            raise ValidationError("Journal.access", "must be an AccessMark or None")

    def normalise_number(self, number: str) -> str:
        """A number typed by hand as this journal stores and compares it.

        Always :func:`~edmscore.registry.numbering.clean_number` (NFC, trimmed, one space inside,
        Latin look-alikes made Cyrillic in a Cyrillic number). When the journal ignores case, a
        number of the template's shape takes the template's letter case (``ВХ-1`` in a
        ``вх-{seq}`` journal is ``вх-1``) and any other number is kept in capitals; so « вх-1»,
        «вх-1 », «ВХ-1» and «вх-1» are one number, and a second registration under it is
        :class:`~edmscore.errors.DuplicateNumber`.
        """
        if not isinstance(number, str):
            raise ValidationError("manual_number", f"must be a string, got {type(number).__name__}")
        plain = clean_number(number, cyrillic=self.template.cyrillic)
        if not plain:
            raise ValidationError("manual_number", "must not be empty")
        if not self.numbers_ignore_case:
            return plain
        recased = self.template.recase(plain)
        return recased if recased is not None else plain.upper()

    def period_of(self, day: pendulum.Date) -> int:
        """The counter period a registration on ``day`` falls in (its year, or 0 if never reset)."""
        return day.year if self.reset is ResetPeriod.YEARLY else 0

    def counter_key(self, period: int, values: Mapping[str, str | int | None]) -> str:
        """The key of the counter a registration draws from (see the module docstring)."""
        parts = [self.shared_counter or self.id, str(period)]
        parts.extend(f"{name}={values.get(name)}" for name in self.counter_per)
        return "|".join(parts)
