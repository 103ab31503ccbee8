"""The counts reports share, whichever adapter computed them: registrations by key, and how
assignments due in a period stand (on time, late, overdue, open in time)."""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = ["ExecutionCounts", "RegistrationKey", "classify"]

#: (organisation, kind, journal, channel, "YYYY-MM") → count.
RegistrationKey = tuple[str, str, str, str, str]


@attrs.frozen
class ExecutionCounts:
    """Assignments counted for discipline, due in the period: how they stand on ``as_of``."""

    total: int = 0
    on_time: int = 0
    late: int = 0
    overdue_open: int = 0
    open_in_time: int = 0

    def plus(self, other: ExecutionCounts) -> ExecutionCounts:
        """The sum of both."""
        return ExecutionCounts(
            *(a + b for a, b in zip(attrs.astuple(self), attrs.astuple(other), strict=True))
        )


def classify(due: dt.date, completed_on: dt.date | None, as_of: dt.date) -> ExecutionCounts:
    """One assignment's contribution to the counts."""
    if completed_on is not None and completed_on <= as_of:
        if completed_on <= due:
            return ExecutionCounts(1, 1, 0, 0, 0)
        return ExecutionCounts(1, 0, 1, 0, 0)
    if due < as_of:
        return ExecutionCounts(1, 0, 0, 1, 0)
    return ExecutionCounts(1, 0, 0, 0, 1)
