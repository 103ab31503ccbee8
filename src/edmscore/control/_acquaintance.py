"""Acquaintance (ознакомление): a document sent to a list of people, each of whom acknowledges it.

An :class:`AcquaintanceSheet` (лист ознакомления) names the card, the people to acquaint, when
it was sent and by when they should have read it. Each acknowledgment is recorded with its time
(once: acknowledging again changes nothing). Reminders are due for those who have not read it,
every ``remind_every_days`` working days after the sending or the last reminder.
"""

from __future__ import annotations

import attrs
import pendulum

from edmscore._validate import (
    aware_datetime,
    instance_of,
    non_empty_text,
    optional_text,
    positive_int,
    text,
    to_tuple,
    tuple_of,
)
from edmscore._validate import optional as maybe
from edmscore.errors import ValidationError

__all__ = ["MAX_PEOPLE", "Acknowledgment", "AcquaintanceSheet", "Reminder"]

#: The most people one sheet lists.
MAX_PEOPLE = 2000


@attrs.frozen
class Acknowledgment:
    """One person's «ознакомлен»: who and when."""

    user_id: str = attrs.field(validator=non_empty_text(64))
    at: pendulum.DateTime = attrs.field(validator=aware_datetime)


@attrs.frozen
class Reminder:
    """A reminder a host sent to one person."""

    user_id: str = attrs.field(validator=non_empty_text(64))
    at: pendulum.DateTime = attrs.field(validator=aware_datetime)


def _people(owner: object, attribute: attrs.Attribute[object], value: tuple[str, ...]) -> None:
    if not value:
        raise ValidationError("user_ids", "a sheet lists at least one person")
    if len(value) > MAX_PEOPLE:
        raise ValidationError("user_ids", f"a sheet lists at most {MAX_PEOPLE} people")
    if len(set(value)) != len(value):
        raise ValidationError("user_ids", "a person is listed twice")


@attrs.frozen
class AcquaintanceSheet:
    """A list of acquaintance (лист ознакомления) with a card and who has read it."""

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    card_id: str = attrs.field(validator=non_empty_text(64))
    sent_by: str = attrs.field(validator=non_empty_text(64))
    sent_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    user_ids: tuple[str, ...] = attrs.field(converter=to_tuple, validator=[tuple_of(str), _people])
    note: str = attrs.field(default="", validator=text(2000))
    due: pendulum.Date | None = attrs.field(default=None)
    remind_every_days: int = attrs.field(default=1, validator=positive_int)
    acknowledgments: tuple[Acknowledgment, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Acknowledgment)
    )
    reminders: tuple[Reminder, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Reminder)
    )
    sent_on_behalf_of: str | None = attrs.field(default=None, validator=optional_text(64))
    version: int = attrs.field(default=1, validator=positive_int)
    closed_at: pendulum.DateTime | None = attrs.field(default=None, validator=maybe(aware_datetime))

    @due.validator
    def _check_due(self, attribute: attrs.Attribute[object], value: object) -> None:
        if value is not None:
            instance_of(pendulum.Date)(self, attribute, value)

    def __attrs_post_init__(self) -> None:
        listed = set(self.user_ids)
        if any(a.user_id not in listed for a in self.acknowledgments):
            raise ValidationError("acknowledgments", "someone not on the list acknowledged")

    def acknowledged(self, user_id: str) -> Acknowledgment | None:
        """The person's acknowledgment, if they have read it."""
        return next((a for a in self.acknowledgments if a.user_id == user_id), None)

    @property
    def pending(self) -> tuple[str, ...]:
        """Who has not yet acknowledged, in the list's order."""
        done = {a.user_id for a in self.acknowledgments}
        return tuple(u for u in self.user_ids if u not in done)

    def last_reminded(self, user_id: str) -> pendulum.DateTime:
        """When the person was last reminded (the sending counts as the first notice)."""
        times = [r.at for r in self.reminders if r.user_id == user_id]
        return max(times, default=self.sent_at)
