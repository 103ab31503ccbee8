"""Who an event is for: the officials an object names, each with their deputy of the day.

A deputy is found by a look-up hook, :data:`DeputyLookup`: the default reads the
substitutions (замещение) the storage keeps (``uow.substitutions``, the approval capability's);
a host with its own source of absences passes another function to :class:`edmscore.Edms`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pendulum

__all__ = ["DeputyLookup", "recipients", "substitution_deputies"]

#: ``(unit of work, official id, day) → the ids of the officials acting for them that day``.
DeputyLookup = Callable[[Any, str, pendulum.Date], Sequence[str]]


def substitution_deputies(uow: Any, official_id: str, day: pendulum.Date) -> Sequence[str]:
    """The deputies of ``official_id`` on ``day`` from the storage's substitutions, if it keeps
    them (none otherwise)."""
    try:
        found = uow.outbox.substitutions_of(official_id)
    except AttributeError:  # a storage without the outbox: the approval repository, if any
        try:
            found = uow.substitutions.of_official(official_id)
        except AttributeError:
            return ()
    return [s.deputy_id for s in found if s.covers(day)]


def recipients(
    uow: Any,
    officials: Iterable[str | None],
    day: pendulum.Date,
    deputies: DeputyLookup | None,
    *,
    with_deputies: Iterable[str | None] = (),
) -> tuple[str, ...]:
    """The officials, each followed by their deputies of ``day`` when they are in
    ``with_deputies`` (the executors: whoever acts for them must know), without repeats."""
    acting = {o for o in with_deputies if o}
    found: list[str] = []
    for official in officials:
        if not official or official in found:
            continue
        found.append(official)
        if deputies is not None and official in acting:
            for deputy in deputies(uow, official, day):
                if deputy not in found:
                    found.append(deputy)
    return tuple(found)
