"""What edmscore needs from storage, as protocols; adapters implement them.

A host gives the service layer a :class:`Storage`; each use case opens one :class:`UnitOfWork`
from it, works through the repositories the unit of work holds, and commits — or, on any error,
rolls back everything it did: cards, counters, nomenclature, directory, audit events and blobs
alike. Leaving the ``with`` block without :meth:`UnitOfWork.commit` rolls back.

Rules every adapter keeps (the contract suite in :mod:`edmscore.testing` checks them):

- ``get`` of a missing key raises :class:`~edmscore.errors.NotFound`; ``add`` of an existing id
  raises :class:`~edmscore.errors.ConflictError` (with expected version 0).
- ``CardRepository.update`` stores the card only if the stored version equals
  ``expected_version`` and stores it with version + 1; otherwise
  :class:`~edmscore.errors.ConflictError`.
- A registration number is unique within its journal and period: ``add``/``update`` raise
  :class:`~edmscore.errors.DuplicateNumber` when another card holds it, and the unit of work
  stays usable afterwards (nothing of the refused card is stored; the caller may go on — the
  registration use case takes the journal's next number when a number typed by hand earlier
  already holds the one the counter gave).
- ``NumberAllocator.next`` is atomic and transactional: concurrent units of work never get the same
  value, and a rolled-back value is given again, so numbers are gapless.
- ``CardRepository.query`` applies the :class:`~edmscore.access.AccessScope` itself: a card the
  scope does not permit is never returned, in any listing.
- ``AuditLog`` is append-only; ``BlobStore.get`` verifies the content against its sha256.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

import attrs
import pendulum

from edmscore._validate import to_frozenset
from edmscore.access import AccessScope
from edmscore.audit import AuditEvent
from edmscore.directory import Department, Official, Organisation, User
from edmscore.registry import AccessMark, CardKind, CardStatus, Journal, RegistrationCard

if TYPE_CHECKING:
    from edmscore.registry.nomenclature import Case, Nomenclature

__all__ = [
    "AuditLog",
    "BlobStore",
    "CardCursor",
    "CardPage",
    "CardQuery",
    "CardRepository",
    "Directory",
    "JournalRepository",
    "NomenclatureRepository",
    "NumberAllocator",
    "Storage",
    "UnitOfWork",
]

#: The most cards one query returns.
MAX_PAGE_SIZE = 1000


@attrs.frozen
class CardCursor:
    """Where a page of cards ended: cards are ordered by (registration time, id)."""

    registered_at: pendulum.DateTime
    card_id: str


def _limit(instance: CardQuery, attribute: attrs.Attribute[int], value: int) -> None:
    from edmscore.errors import ValidationError

    if not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        raise ValidationError("CardQuery.limit", f"must be 1..{MAX_PAGE_SIZE}, got {value!r}")


@attrs.frozen
class CardQuery:
    """Filters for a card search; every given filter must hold (AND). None means any.

    ``text`` matches the summary, the number, the sender's number, correspondents' names and
    the recognised text of the card's files, case-insensitively. ``registered_from`` and
    ``registered_to`` bound the registration date, both inclusive. Results come in
    (registration time, id) order, ``limit`` at a time; pass the previous page's
    ``next_cursor`` as ``after`` for the next page (keyset paging).
    """

    organisation_id: str | None = None
    journal_ids: frozenset[str] | None = attrs.field(default=None, converter=to_frozenset)
    kinds: frozenset[CardKind] | None = attrs.field(default=None, converter=to_frozenset)
    statuses: frozenset[CardStatus] = attrs.field(
        default=frozenset({CardStatus.REGISTERED}), converter=to_frozenset
    )
    registered_from: pendulum.Date | None = None
    registered_to: pendulum.Date | None = None
    number: str | None = None
    text: str | None = None
    executor_id: str | None = None
    case_id: str | None = None
    correspondent_organisation_id: str | None = None
    access: AccessMark | None = None
    linked_to: str | None = None
    limit: int = attrs.field(default=50, validator=_limit)
    after: CardCursor | None = None

    def matches(self, card: RegistrationCard) -> bool:
        """The reference semantics of the filters (access is applied separately)."""
        details = card.details
        if self.organisation_id is not None and card.organisation_id != self.organisation_id:
            return False
        if self.journal_ids is not None and card.registration.journal_id not in self.journal_ids:
            return False
        if self.kinds is not None and details.kind not in self.kinds:
            return False
        if card.status not in self.statuses:
            return False
        day = card.registration.date
        if self.registered_from is not None and day < self.registered_from:
            return False
        if self.registered_to is not None and day > self.registered_to:
            return False
        if self.number is not None and card.registration.number != self.number:
            return False
        if self.executor_id is not None and details.executor_id != self.executor_id:
            return False
        if self.case_id is not None and details.case_id != self.case_id:
            return False
        if self.access is not None and details.access is not self.access:
            return False
        if self.correspondent_organisation_id is not None and not any(
            c.organisation_id == self.correspondent_organisation_id
            for c in (*details.correspondents, *details.addressees)
        ):
            return False
        if self.linked_to is not None and not any(
            link.target_id == self.linked_to for link in details.links
        ):
            return False
        if self.text is not None:
            needle = self.text.casefold()
            haystack = (
                details.summary,
                card.registration.number,
                details.sender_number or "",
                *(c.name for c in details.correspondents),
                *(c.name for c in details.addressees),
                *(f.text for f in details.files if f.text),
            )
            if not any(needle in item.casefold() for item in haystack):
                return False
        if self.after is not None:
            key = (card.registered_at, card.id)
            if key <= (self.after.registered_at, self.after.card_id):
                return False
        return True


@attrs.frozen
class CardPage:
    """One page of a card search; ``next_cursor`` is None on the last page.

    A page holds at most the query's ``limit`` cards (50 by default): a listing that must be
    whole — a printed journal — follows ``next_cursor`` (``CardQuery(after=...)``) until
    :attr:`is_last`, or reads :meth:`RecordsService.query_all`, which does.
    """

    items: tuple[RegistrationCard, ...]
    next_cursor: CardCursor | None

    @property
    def is_last(self) -> bool:
        """Whether no card follows this page."""
        return self.next_cursor is None


class CardRepository(Protocol):
    """Registration cards, with optimistic versions, unique numbers and access-aware search."""

    def get(self, card_id: str) -> RegistrationCard:
        """The card, or NotFound."""
        ...

    def add(self, card: RegistrationCard) -> None:
        """Store a new card (its version must be 1)."""
        ...

    def update(self, card: RegistrationCard, expected_version: int) -> RegistrationCard:
        """Store a changed card if the stored version is ``expected_version``; return it stored."""
        ...

    def query(self, query: CardQuery, scope: AccessScope) -> CardPage:
        """Search; never returns a card ``scope`` does not permit."""
        ...

    def number_holder(self, journal_id: str, period: int, number: str) -> str | None:
        """The id of the card holding ``number`` in the journal and period, if any."""
        ...


class JournalRepository(Protocol):
    """Registration journals."""

    def get(self, journal_id: str) -> Journal:
        """The journal, or NotFound."""
        ...

    def add(self, journal: Journal) -> None:
        """Store a new journal."""
        ...

    def list(self, organisation_id: str) -> Sequence[Journal]:
        """The organisation's journals, by code."""
        ...


class NumberAllocator(Protocol):
    """Counters behind registration numbers: atomic, transactional, gapless."""

    def next(self, counter_key: str) -> int:
        """Allocate the next value of the counter (1 for a new counter)."""
        ...

    def current(self, counter_key: str) -> int:
        """The last value allocated (0 for a new counter)."""
        ...


class NomenclatureRepository(Protocol):
    """Nomenclatures of cases, one per organisation and year, with optimistic versions."""

    def get(self, nomenclature_id: str) -> tuple[Nomenclature, int]:
        """The nomenclature and its version, or NotFound."""
        ...

    def find(self, organisation_id: str, year: int) -> tuple[Nomenclature, int] | None:
        """The organisation's nomenclature for ``year`` with its version, if any."""
        ...

    def add(self, nomenclature: Nomenclature) -> None:
        """Store a new nomenclature (version 1); one per organisation and year."""
        ...

    def update(self, nomenclature: Nomenclature, expected_version: int) -> int:
        """Store a changed nomenclature if at ``expected_version``; return the new version."""
        ...

    def find_case(self, case_id: str) -> tuple[Nomenclature, Case]:
        """The case with its nomenclature, or NotFound."""
        ...


class Directory(Protocol):
    """Organisations, departments, officials and users; ``put_*`` adds or replaces."""

    def put_organisation(self, organisation: Organisation) -> None:
        """Add or replace an organisation."""
        ...

    def organisation(self, organisation_id: str) -> Organisation:
        """The organisation, or NotFound."""
        ...

    def organisation_by_medo_id(self, medo_id: str) -> Organisation | None:
        """The organisation with this MEDO participant id (case-insensitive), if any."""
        ...

    def organisations(self) -> Sequence[Organisation]:
        """Every organisation, by name."""
        ...

    def put_department(self, department: Department) -> None:
        """Add or replace a department."""
        ...

    def department(self, department_id: str) -> Department:
        """The department, or NotFound."""
        ...

    def departments(self, organisation_id: str) -> Sequence[Department]:
        """The organisation's departments, by code."""
        ...

    def put_official(self, official: Official) -> None:
        """Add or replace an official."""
        ...

    def official(self, official_id: str) -> Official:
        """The official, or NotFound."""
        ...

    def officials(self, organisation_id: str) -> Sequence[Official]:
        """The organisation's officials, by name."""
        ...

    def put_user(self, user: User) -> None:
        """Add or replace a user."""
        ...

    def user(self, user_id: str) -> User:
        """The user, or NotFound."""
        ...


class AuditLog(Protocol):
    """The append-only audit log: no event is ever changed or removed."""

    def append(self, event: AuditEvent) -> int:
        """Append an event; return its sequence number (1, 2, … in append order)."""
        ...

    def events(
        self, entity_id: str | None = None, *, after: int = 0, limit: int = 1000
    ) -> Sequence[tuple[int, AuditEvent]]:
        """Events with their sequence numbers, oldest first, optionally of one entity."""
        ...


class BlobStore(Protocol):
    """File contents addressed by their sha256."""

    def put(self, data: bytes) -> str:
        """Store ``data``; return its sha256 (hex). Storing the same content twice is a no-op."""
        ...

    def get(self, sha256: str) -> bytes:
        """The content; NotFound if absent, IntegrityError if it does not match its hash."""
        ...

    def exists(self, sha256: str) -> bool:
        """Whether content with this hash is stored."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository; rolls back unless committed."""

    @property
    def cards(self) -> CardRepository:
        """Registration cards."""
        ...

    @property
    def journals(self) -> JournalRepository:
        """Registration journals."""
        ...

    @property
    def numbers(self) -> NumberAllocator:
        """Number counters."""
        ...

    @property
    def nomenclatures(self) -> NomenclatureRepository:
        """Nomenclatures of cases."""
        ...

    @property
    def directory(self) -> Directory:
        """The directory."""
        ...

    @property
    def audit(self) -> AuditLog:
        """The audit log."""
        ...

    @property
    def blobs(self) -> BlobStore:
        """File contents."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make everything done in this unit of work durable and visible."""
        ...

    def rollback(self) -> None:
        """Undo everything done in this unit of work."""
        ...


class Storage(Protocol):
    """A host's storage: a factory of units of work."""

    def unit_of_work(self) -> UnitOfWork:
        """Open a unit of work (use it as a context manager)."""
        ...


def page_of(cards: Iterable[RegistrationCard], limit: int) -> CardPage:
    """Build a page from cards already filtered and in order (a helper for adapters)."""
    items: list[RegistrationCard] = []
    for card in cards:
        if len(items) == limit:
            last = items[-1]
            return CardPage(tuple(items), CardCursor(last.registered_at, last.id))
        items.append(card)
    return CardPage(tuple(items), None)
