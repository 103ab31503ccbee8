"""Clocks: the only way edmscore learns the time, so every rule can be replayed in tests."""

from __future__ import annotations

from typing import Protocol

import pendulum

__all__ = ["Clock", "FixedClock", "SystemClock"]


class Clock(Protocol):
    """Something that tells the current moment (time-zone aware)."""

    def now(self) -> pendulum.DateTime:
        """Return the current moment."""
        ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> pendulum.DateTime:
        """Return the current moment in UTC."""
        return pendulum.now("UTC")


class FixedClock:
    """A clock standing still at a set moment until moved; for tests, demos and replays."""

    def __init__(self, moment: pendulum.DateTime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs a time-zone aware moment")
        self._moment = moment

    def now(self) -> pendulum.DateTime:
        """Return the set moment."""
        return self._moment

    def set(self, moment: pendulum.DateTime) -> None:
        """Move the clock to ``moment``."""
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs a time-zone aware moment")
        self._moment = moment

    def advance(self, **delta: float) -> pendulum.DateTime:
        """Move the clock forward by a duration (pendulum keywords: hours=, minutes=, days=)."""
        self._moment = self._moment.add(**delta)  # type: ignore[arg-type]
        return self._moment
