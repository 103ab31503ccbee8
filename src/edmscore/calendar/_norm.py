"""Working-time norms and office hours: how long a working day is, and when it starts."""

from __future__ import annotations

import datetime as dt

import pendulum
from attrs import field, frozen

from edmscore.errors import ValidationError

__all__ = ["OfficeHours", "WorkNorm"]


def _positive(instance: object, attribute: object, value: float) -> None:
    if not 0 < value <= 168:
        raise ValidationError("hours_per_week", f"must be between 0 and 168, got {value!r}")


@frozen
class WorkNorm:
    """A weekly norm of working hours over a five-day week (норма рабочего времени).

    The day lasts ``hours_per_week / 5`` hours and a shortened pre-holiday day ``shortening``
    minutes less (Labour Code art. 95: one hour). 40 hours give 8 and 7 hours; 36 give 7.2 and 6.2.
    """

    hours_per_week: float = field(default=40, validator=_positive)
    shortening: int = 60
    """Minutes taken off a shortened day."""

    def __attrs_post_init__(self) -> None:
        minutes = self.hours_per_week * 60 / 5
        if minutes != int(minutes):
            raise ValidationError(
                "hours_per_week", f"{self.hours_per_week} h/week is not a whole minute per day"
            )
        if not 0 <= self.shortening < minutes:
            raise ValidationError("shortening", f"must be below the day length, got {minutes}")

    @property
    def day_minutes(self) -> int:
        """Minutes in an ordinary working day."""
        return int(self.hours_per_week * 60 / 5)

    @property
    def shortened_minutes(self) -> int:
        """Minutes in a shortened working day."""
        return self.day_minutes - self.shortening


def _timezone(instance: object, attribute: object, value: str) -> None:
    try:
        pendulum.timezone(value)
    except Exception as exc:  # pendulum raises several kinds for unknown names
        raise ValidationError("timezone", f"unknown time zone {value!r}") from exc


@frozen
class OfficeHours:
    """When an organisation's working day starts, in its time zone.

    A working day runs from ``start`` for as long as the calendar's norm says (8 hours, 7 on a
    shortened day, for a 40-hour week); breaks are not modelled.
    """

    timezone: str = field(default="Europe/Moscow", validator=_timezone)
    start: dt.time = dt.time(9, 0)

    @property
    def start_seconds(self) -> int:
        """Seconds from midnight to the start of the working day."""
        return self.start.hour * 3600 + self.start.minute * 60 + self.start.second
