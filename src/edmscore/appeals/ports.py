"""What appeals need from storage, as protocols beside the core ones.

The core :class:`~edmscore.storage.UnitOfWork` stays as it is; a storage that keeps appeals offers
an :class:`AppealsUnitOfWork` — the same unit of work with an ``appeals`` repository — through an
:class:`AppealsStorage`. The in-memory adapter does (``MemoryStorage``); the contract suite
:mod:`edmscore.testing.appeals_contract` checks any other.

Rules every adapter keeps:

- ``get`` and ``by_card`` of a missing appeal raise :class:`~edmscore.errors.NotFound`; ``add`` of
  an existing id, or of a second appeal for one card, raises :class:`~edmscore.errors.ConflictError`
  (expected version 0); a new appeal has version 1.
- ``update`` stores the appeal only if the stored version equals ``expected_version`` and stores
  it with version + 1; otherwise :class:`~edmscore.errors.ConflictError`.
- ``by_author`` finds the organisation's appeals that any of whose authors has the key
  (:meth:`~edmscore.appeals.Author.keys`), oldest registration first. It is the 59-FZ repeat
  check's scan of the whole organisation, not a listing for a person: no scope.
- ``changed_between`` returns the organisation's appeals with a question status set within the
  period (both ends inclusive), by registration date then id; ``registered_between`` those
  registered within it. Both take the reader's :class:`~edmscore.access.AccessScope` and never
  return an appeal whose card is missing or not permitted by it (filtered inside the query).
- Writes belong to the unit of work: a rollback undoes them with everything else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from edmscore.access import AccessScope
from edmscore.appeals._model import Appeal
from edmscore.records.ports import UnitOfWork

__all__ = ["AppealRepository", "AppealsStorage", "AppealsUnitOfWork"]


class AppealRepository(Protocol):
    """Citizens' appeals, with optimistic versions, found by card, author and period."""

    def get(self, appeal_id: str) -> Appeal:
        """The appeal, or NotFound."""
        ...

    def by_card(self, card_id: str) -> Appeal:
        """The appeal registered under the card, or NotFound."""
        ...

    def add(self, appeal: Appeal) -> None:
        """Store a new appeal (version 1)."""
        ...

    def update(self, appeal: Appeal, expected_version: int) -> Appeal:
        """Store a changed appeal if the stored version is ``expected_version``; return it."""
        ...

    def by_author(self, organisation_id: str, key: str) -> Sequence[Appeal]:
        """The organisation's appeals by an author with identity ``key``, oldest first."""
        ...

    def changed_between(
        self, organisation_id: str, start: dt.date, end: dt.date, scope: AccessScope
    ) -> Sequence[Appeal]:
        """The organisation's appeals with a question status set in ``[start, end]`` whose card
        ``scope`` permits."""
        ...

    def registered_between(
        self, organisation_id: str, start: dt.date, end: dt.date, scope: AccessScope
    ) -> Sequence[Appeal]:
        """The organisation's appeals registered in ``[start, end]`` whose card ``scope``
        permits."""
        ...


class AppealsUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that also keeps appeals."""

    @property
    def appeals(self) -> AppealRepository:
        """Citizens' appeals."""
        ...


class AppealsStorage(Protocol):
    """A storage whose units of work keep appeals."""

    def unit_of_work(self) -> AppealsUnitOfWork:
        """Open a unit of work (use it as a context manager)."""
        ...
