"""The transactional outbox: units of work that write their events at commit, in the same
transaction as the change.

:class:`EventingStorage` wraps an installation's storage. Its units of work are the wrapped
storage's, but they remember every audit event appended and every event emitted through
:meth:`EventingUnitOfWork.emit`; ``commit`` turns what was audited into events
(:class:`~edmscore.events._mapping.EventMapper`), appends them to the outbox and then commits
the wrapped unit — so an event exists exactly when the change it reports does. A rollback
forgets them with the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any, Self

from edmscore.audit import AuditEvent
from edmscore.errors import ValidationError
from edmscore.events._mapping import EventMapper
from edmscore.events._model import Event

__all__ = ["EventingStorage", "EventingUnitOfWork"]


class _RecordingAudit:
    """The wrapped audit log, remembering what is appended in this unit of work."""

    def __init__(self, inner: Any, seen: list[AuditEvent]) -> None:
        self._inner = inner
        self._seen = seen

    def append(self, event: AuditEvent) -> int:
        """Append to the audit log and remember the event for the outbox."""
        seq: int = self._inner.append(event)
        self._seen.append(event)
        return seq

    def events(
        self, entity_id: str | None = None, *, after: int = 0, limit: int = 1000
    ) -> Sequence[tuple[int, AuditEvent]]:
        """The audit log's events (see :class:`~edmscore.records.ports.AuditLog`)."""
        found: Sequence[tuple[int, AuditEvent]] = self._inner.events(
            entity_id, after=after, limit=limit
        )
        return found


class _Remembering:
    """A repository of the wrapped unit, remembering each value it hands out or stores by id, so
    that the events of the commit name what the use case saw without reading it again."""

    def __init__(self, inner: Any, seen: dict[str, Any]) -> None:
        self._inner = inner
        self._seen = seen

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def get(self, key: str) -> Any:
        """The wrapped repository's value, remembered."""
        value = self._inner.get(key)
        self._seen[key] = value
        return value

    def add(self, value: Any) -> None:
        """Add through the wrapped repository, remembered."""
        self._inner.add(value)
        self._seen[value.id] = value

    def update(self, value: Any, expected_version: int) -> Any:
        """Update through the wrapped repository; the stored value remembered."""
        stored = self._inner.update(value, expected_version)
        self._seen[value.id] = stored
        return stored


#: The repositories whose values the events name.
_REMEMBERED = ("cards", "assignments", "drafts", "appeals")


class _Cached:
    """A repository read through what the unit of work already saw."""

    def __init__(self, inner: Any, seen: dict[str, Any]) -> None:
        self._inner = inner
        self._seen = seen

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def get(self, key: str) -> Any:
        """The value the unit of work last saw or stored under ``key``, else the stored one."""
        if key in self._seen:
            return self._seen[key]
        return self._inner.get(key)


class _Seen:
    """The wrapped unit of work as the mapper reads it: what the use case saw, then storage."""

    def __init__(self, inner: Any, memo: dict[str, dict[str, Any]]) -> None:
        self._inner = inner
        self._memo = memo

    def __getattr__(self, name: str) -> Any:
        if name in _REMEMBERED:
            return _Cached(getattr(self._inner, name), self._memo.get(name, {}))
        return getattr(self._inner, name)


class EventingUnitOfWork:
    """A unit of work of the wrapped storage that writes its events to the outbox at commit.

    Every repository is the wrapped unit's; :attr:`audit` also remembers what it appends.
    """

    def __init__(self, inner: Any, mapper: EventMapper) -> None:
        self._inner = inner
        self._mapper = mapper
        self._audited: list[AuditEvent] = []
        self._emitted: list[Event] = []
        self._memo: dict[str, dict[str, Any]] = {}
        self.audit = _RecordingAudit(inner.audit, self._audited)

    def __getattr__(self, name: str) -> Any:
        if name in _REMEMBERED:
            return _Remembering(getattr(self._inner, name), self._memo.setdefault(name, {}))
        return getattr(self._inner, name)

    def emit(self, events: Iterable[Event]) -> None:
        """Add events of this unit's change to the outbox at commit (beside the audited ones)."""
        for event in events:
            if not isinstance(event, Event):
                raise ValidationError("events", "must be Events")
            self._emitted.append(event)

    def __enter__(self) -> Self:
        self._inner.__enter__()
        self._forget()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._forget()
        self._inner.__exit__(exc_type, exc, tb)

    def _forget(self) -> None:
        self._audited.clear()
        self._emitted.clear()
        self._memo.clear()

    def commit(self) -> None:
        """Append the events of what was done to the outbox, then commit everything."""
        if self._audited or self._emitted:
            events = self._mapper.events(_Seen(self._inner, self._memo), self._audited)
            events.extend(self._emitted)
            if events:
                self._inner.outbox.append(events)
            self._forget()
        self._inner.commit()

    def rollback(self) -> None:
        """Undo everything since the last commit, the pending events with it."""
        self._forget()
        self._inner.rollback()


class EventingStorage:
    """A storage whose units of work write events to the outbox (see the module docstring).

    Anything else is the wrapped storage's own (its engine, its bulk port…).
    """

    def __init__(self, storage: Any, mapper: EventMapper) -> None:
        self.wrapped = storage
        self._mapper = mapper

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)

    def unit_of_work(self) -> EventingUnitOfWork:
        """Open a unit of work that writes its events to the outbox at commit."""
        return EventingUnitOfWork(self.wrapped.unit_of_work(), self._mapper)
