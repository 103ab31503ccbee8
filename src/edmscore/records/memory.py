"""The core of the in-memory adapter: cards, journals, counters, the directory, audit, blobs.

All state lives in plain dicts of frozen values. A unit of work holds the storage's lock from
``__enter__`` to ``__exit__`` (units of work are serialised, so each is isolated), and records an
undo entry for every write; rollback replays the entries backwards, commit drops them. Reads
outside a unit of work are not offered: open one.

Capabilities keep their in-memory repositories in their own ``memory`` modules on the same
state and undo log: they derive from :class:`_Journaled` and take a
:class:`MemoryRecordsUnitOfWork`. :class:`edmscore.storage.MemoryStorage` assembles them all.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from edmscore.access import AccessScope
from edmscore.audit import AuditEvent
from edmscore.directory import Department, Official, Organisation, User
from edmscore.errors import (
    ConflictError,
    DuplicateNumber,
    IntegrityError,
    NotFound,
    StateError,
    ValidationError,
)
from edmscore.records.ports import CardPage, CardQuery, page_of
from edmscore.registry import Journal, RegistrationCard

if TYPE_CHECKING:
    from edmscore.records._signature_memory import MemorySignatureRecords
    from edmscore.registry.nomenclature import Case, Nomenclature

__all__ = ["MemoryRecordsStorage", "MemoryRecordsUnitOfWork"]

_MISSING = object()
_T = TypeVar("_T")


class _State:
    """Everything a MemoryStorage holds."""

    def __init__(self) -> None:
        self.cards: dict[str, RegistrationCard] = {}
        self.numbers: dict[tuple[str, int, str], str] = {}
        self.order: list[tuple[Any, str]] = []  # sorted (registered_at, id)
        self.journals: dict[str, Journal] = {}
        self.counters: dict[str, int] = {}
        self.nomenclatures: dict[str, tuple[Nomenclature, int]] = {}
        self.nomenclature_by_year: dict[tuple[str, int], str] = {}
        self.case_owner: dict[str, str] = {}
        self.organisations: dict[str, Organisation] = {}
        self.departments: dict[str, Department] = {}
        self.officials: dict[str, Official] = {}
        self.users: dict[str, User] = {}
        self.audit: list[AuditEvent] = []
        self.blobs: dict[str, bytes] = {}
        #: Tables of capabilities that keep their own aggregates here (approval, control…).
        self.extensions: dict[str, Any] = {}


class _Journaled:
    """Base of the repositories: writes go through :meth:`_set` so they can be undone."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        self._uow = uow
        self._s = uow._state

    def _extension(self, key: str, kind: type[_T]) -> _T:
        """A capability's tables in the storage's state under ``key``, made empty (``kind()``)
        the first time: a new empty table set needs no undo."""
        tables = self._s.extensions.get(key)
        if tables is None:
            tables = self._s.extensions[key] = kind()
        if not isinstance(tables, kind):
            raise TypeError(f"the storage's {key!r} tables are not {kind.__name__}")
        return tables

    def _set(self, table: dict[Any, Any], key: object, value: object) -> None:
        self._uow._check_open()
        old = table.get(key, _MISSING)
        self._uow._undo.append(lambda: _restore(table, key, old))
        table[key] = value

    def _delete(self, table: dict[Any, Any], key: object) -> None:
        self._uow._check_open()
        old = table.pop(key, _MISSING)
        self._uow._undo.append(lambda: _restore(table, key, old))


def _restore(table: dict[Any, Any], key: object, old: object) -> None:
    if old is _MISSING:
        table.pop(key, None)
    else:
        table[key] = old


class _Cards(_Journaled):
    def get(self, card_id: str) -> RegistrationCard:
        card = self._s.cards.get(card_id)
        if card is None:
            raise NotFound("card", card_id)
        return card

    def _claim_number(self, card: RegistrationCard) -> None:
        reg = card.registration
        key = (reg.journal_id, reg.period, reg.number)
        holder = self._s.numbers.get(key)
        if holder is not None and holder != card.id:
            raise DuplicateNumber(reg.journal_id, reg.period, reg.number)
        if holder is None:
            self._set(self._s.numbers, key, card.id)

    def add(self, card: RegistrationCard) -> None:
        if card.id in self._s.cards:
            raise ConflictError("card", card.id, 0, self._s.cards[card.id].version)
        if card.version != 1:
            raise ValidationError("version", "a new card starts at version 1")
        self._claim_number(card)
        self._set(self._s.cards, card.id, card)
        entry = (card.registered_at, card.id)
        order = self._s.order
        bisect.insort(order, entry)
        self._uow._check_open()
        self._uow._undo.append(lambda: order.remove(entry))

    def update(self, card: RegistrationCard, expected_version: int) -> RegistrationCard:
        stored = self.get(card.id)
        if stored.version != expected_version:
            raise ConflictError("card", card.id, expected_version, stored.version)
        if stored.registered_at != card.registered_at:
            raise ValidationError("registered_at", "the registration moment cannot change")
        new = _evolve_version(card, stored.version + 1)
        old_reg = stored.registration
        if (old_reg.journal_id, old_reg.period, old_reg.number) != (
            new.registration.journal_id,
            new.registration.period,
            new.registration.number,
        ):
            self._claim_number(new)
            self._delete(self._s.numbers, (old_reg.journal_id, old_reg.period, old_reg.number))
        self._set(self._s.cards, card.id, new)
        return new

    def query(self, query: CardQuery, scope: AccessScope) -> CardPage:
        cards = self._s.cards
        start = 0
        if query.after is not None:
            start = bisect.bisect_right(
                self._s.order, (query.after.registered_at, query.after.card_id)
            )
        selected = (
            cards[card_id]
            for _, card_id in self._s.order[start:]
            if query.matches(cards[card_id]) and scope.permits(cards[card_id])
        )
        return page_of(selected, query.limit)

    def number_holder(self, journal_id: str, period: int, number: str) -> str | None:
        return self._s.numbers.get((journal_id, period, number))


def _evolve_version(card: RegistrationCard, version: int) -> RegistrationCard:
    import attrs

    return attrs.evolve(card, version=version)


class _Journals(_Journaled):
    def get(self, journal_id: str) -> Journal:
        journal = self._s.journals.get(journal_id)
        if journal is None:
            raise NotFound("journal", journal_id)
        return journal

    def add(self, journal: Journal) -> None:
        if journal.id in self._s.journals:
            raise ConflictError("journal", journal.id, 0, 1)
        self._set(self._s.journals, journal.id, journal)

    def list(self, organisation_id: str) -> Sequence[Journal]:
        found = [j for j in self._s.journals.values() if j.organisation_id == organisation_id]
        return sorted(found, key=lambda j: j.code)


class _Numbers(_Journaled):
    def next(self, counter_key: str) -> int:
        value = self._s.counters.get(counter_key, 0) + 1
        self._set(self._s.counters, counter_key, value)
        return value

    def current(self, counter_key: str) -> int:
        return self._s.counters.get(counter_key, 0)


class _Nomenclatures(_Journaled):
    def get(self, nomenclature_id: str) -> tuple[Nomenclature, int]:
        found = self._s.nomenclatures.get(nomenclature_id)
        if found is None:
            raise NotFound("nomenclature", nomenclature_id)
        return found

    def find(self, organisation_id: str, year: int) -> tuple[Nomenclature, int] | None:
        nomenclature_id = self._s.nomenclature_by_year.get((organisation_id, year))
        return None if nomenclature_id is None else self._s.nomenclatures[nomenclature_id]

    def _index_cases(self, nomenclature: Nomenclature) -> None:
        for case in nomenclature.cases:
            owner = self._s.case_owner.get(case.id)
            if owner is not None and owner != nomenclature.id:
                raise ConflictError("case", case.id, 0, 1)
            if owner is None:
                self._set(self._s.case_owner, case.id, nomenclature.id)

    def add(self, nomenclature: Nomenclature) -> None:
        key = (nomenclature.organisation_id, nomenclature.year)
        if nomenclature.id in self._s.nomenclatures:
            raise ConflictError("nomenclature", nomenclature.id, 0, 1)
        if key in self._s.nomenclature_by_year:
            raise StateError(f"organisation {key[0]!r} already has a nomenclature for {key[1]}")
        self._index_cases(nomenclature)
        self._set(self._s.nomenclatures, nomenclature.id, (nomenclature, 1))
        self._set(self._s.nomenclature_by_year, key, nomenclature.id)

    def update(self, nomenclature: Nomenclature, expected_version: int) -> int:
        stored, version = self.get(nomenclature.id)
        if version != expected_version:
            raise ConflictError("nomenclature", nomenclature.id, expected_version, version)
        if (stored.organisation_id, stored.year) != (
            nomenclature.organisation_id,
            nomenclature.year,
        ):
            raise ValidationError("nomenclature", "organisation and year cannot change")
        removed = {c.id for c in stored.cases} - {c.id for c in nomenclature.cases}
        if removed:
            raise ValidationError("cases", f"cases cannot be removed: {sorted(removed)}")
        self._index_cases(nomenclature)
        self._set(self._s.nomenclatures, nomenclature.id, (nomenclature, version + 1))
        return version + 1

    def find_case(self, case_id: str) -> tuple[Nomenclature, Case]:
        owner = self._s.case_owner.get(case_id)
        if owner is None:
            raise NotFound("case", case_id)
        nomenclature, _ = self._s.nomenclatures[owner]
        return nomenclature, nomenclature.case_by_id(case_id)


def _by_id(table: dict[str, Any], what: str, key: str) -> Any:
    found = table.get(key)
    if found is None:
        raise NotFound(what, key)
    return found


class _Directory(_Journaled):
    def put_organisation(self, organisation: Organisation) -> None:
        self._set(self._s.organisations, organisation.id, organisation)

    def organisation(self, organisation_id: str) -> Organisation:
        result: Organisation = _by_id(self._s.organisations, "organisation", organisation_id)
        return result

    def organisation_by_medo_id(self, medo_id: str) -> Organisation | None:
        wanted = medo_id.casefold()
        for organisation in self._s.organisations.values():
            if organisation.medo_id is not None and organisation.medo_id.casefold() == wanted:
                return organisation
        return None

    def organisations(self) -> Sequence[Organisation]:
        return sorted(self._s.organisations.values(), key=lambda o: (o.name, o.id))

    def put_department(self, department: Department) -> None:
        self._set(self._s.departments, department.id, department)

    def department(self, department_id: str) -> Department:
        result: Department = _by_id(self._s.departments, "department", department_id)
        return result

    def departments(self, organisation_id: str) -> Sequence[Department]:
        found = [d for d in self._s.departments.values() if d.organisation_id == organisation_id]
        return sorted(found, key=lambda d: d.code)

    def put_official(self, official: Official) -> None:
        self._set(self._s.officials, official.id, official)

    def official(self, official_id: str) -> Official:
        result: Official = _by_id(self._s.officials, "official", official_id)
        return result

    def officials(self, organisation_id: str) -> Sequence[Official]:
        found = [o for o in self._s.officials.values() if o.organisation_id == organisation_id]
        return sorted(found, key=lambda o: (o.name.full, o.id))

    def put_user(self, user: User) -> None:
        self._set(self._s.users, user.id, user)

    def user(self, user_id: str) -> User:
        result: User = _by_id(self._s.users, "user", user_id)
        return result


class _Audit(_Journaled):
    def append(self, event: AuditEvent) -> int:
        if not isinstance(event, AuditEvent):
            raise ValidationError("event", "must be an AuditEvent")
        self._uow._check_open()
        log = self._s.audit
        log.append(event)
        self._uow._undo.append(log.pop)
        return len(log)

    def events(
        self, entity_id: str | None = None, *, after: int = 0, limit: int = 1000
    ) -> Sequence[tuple[int, AuditEvent]]:
        found: list[tuple[int, AuditEvent]] = []
        for seq in range(after + 1, len(self._s.audit) + 1):
            event = self._s.audit[seq - 1]
            if entity_id is None or event.entity_id == entity_id:
                found.append((seq, event))
                if len(found) == limit:
                    break
        return found


class _Blobs(_Journaled):
    def __init__(self, uow: MemoryRecordsUnitOfWork, max_size: int) -> None:
        super().__init__(uow)
        self._max_size = max_size

    def put(self, data: bytes) -> str:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise ValidationError("data", "must be bytes")
        if len(data) > self._max_size:
            raise ValidationError("data", f"larger than the limit of {self._max_size} bytes")
        content = bytes(data)
        digest = hashlib.sha256(content).hexdigest()
        if digest not in self._s.blobs:
            self._set(self._s.blobs, digest, content)
        return digest

    def get(self, sha256: str) -> bytes:
        content = self._s.blobs.get(sha256)
        if content is None:
            raise NotFound("blob", sha256)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise IntegrityError(f"blob {sha256} does not match its hash")
        return content

    def exists(self, sha256: str) -> bool:
        return sha256 in self._s.blobs


class MemoryRecordsUnitOfWork:
    """A unit of work over the core repositories; see the module docstring."""

    def __init__(self, storage: MemoryRecordsStorage) -> None:
        self._storage = storage
        self._state = storage._state
        self._undo: list[Callable[[], object]] = []
        self._open = False
        self.cards = _Cards(self)
        self.journals = _Journals(self)
        self.numbers = _Numbers(self)
        self.nomenclatures = _Nomenclatures(self)
        self.directory = _Directory(self)
        self.audit = _Audit(self)
        self.blobs = _Blobs(self, storage.max_blob_size)

    @property
    def signature_records(self) -> MemorySignatureRecords:
        """Signature records of cards (:mod:`edmscore.records.signature_records`)."""
        from edmscore.records._signature_memory import MemorySignatureRecords

        return MemorySignatureRecords(self)

    def _check_open(self) -> None:
        if not self._open:
            raise StateError("the unit of work is not open: use it in a `with` block")

    def __enter__(self) -> Self:
        if self._open:
            raise StateError("the unit of work is already open")
        self._storage._lock.acquire()
        self._open = True
        self._undo.clear()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self._open = False
            self._storage._lock.release()

    def commit(self) -> None:
        """Keep every change made so far."""
        self._check_open()
        self._undo.clear()

    def rollback(self) -> None:
        """Undo every change made since the last commit."""
        while self._undo:
            self._undo.pop()()


class MemoryRecordsStorage:
    """The in-memory storage of the core repositories: plain dicts, one lock, undo-log transactions.

    ``max_blob_size`` bounds one file's content (default 512 MiB). Hosts use
    :class:`edmscore.storage.MemoryStorage`, which adds every capability's repositories.
    """

    def __init__(self, *, max_blob_size: int = 512 * 1024 * 1024) -> None:
        self._state = _State()
        self._lock = threading.RLock()
        self.max_blob_size = max_blob_size

    def unit_of_work(self) -> MemoryRecordsUnitOfWork:
        """Open a unit of work."""
        return MemoryRecordsUnitOfWork(self)
