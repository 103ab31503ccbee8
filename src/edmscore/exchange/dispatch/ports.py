"""What delivery control needs from storage, as protocols beside the core ones.

The core :class:`~edmscore.storage.UnitOfWork` stays as it is; a storage that keeps dispatch
records offers a :class:`DispatchUnitOfWork` — the same unit of work with a ``dispatches``
repository — through a :class:`DispatchStorage`. The in-memory and SQL adapters do; the contract
suite :mod:`edmscore.testing.dispatch_contract` checks any other.

Rules every adapter keeps:

- ``get`` of a missing record raises :class:`~edmscore.errors.NotFound`; ``add`` of an existing
  id, of a second record for one (card, recipient), or of a message uid another record holds
  raises :class:`~edmscore.errors.ConflictError` (expected version 0); a new record has
  version 1.
- ``update`` stores the record only if the stored version equals ``expected_version`` and stores
  it with version + 1; otherwise :class:`~edmscore.errors.ConflictError`. The card, recipient
  and organisation cannot change, nor can an attempt be removed (a
  :class:`~edmscore.errors.ValidationError`).
- ``by_message`` finds the record one of whose attempts sent the message (uids compare
  case-insensitively, braces ignored); ``of_card`` lists a card's records by first sending then
  id; ``in_state`` the organisation's records in a state entered before a moment
  (:attr:`~edmscore.exchange.dispatch.Dispatch.since`), oldest first, at most ``limit``; given
  an :class:`~edmscore.access.AccessScope`, only records whose card exists and the scope permits
  (the adapter filters before the limit: SQL through the card row, never in Python afterwards).
- Writes belong to the unit of work: a rollback undoes them with everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pendulum

from edmscore.access import AccessScope
from edmscore.exchange.dispatch._model import Dispatch, DispatchState
from edmscore.records.ports import UnitOfWork

__all__ = ["DispatchRepository", "DispatchStorage", "DispatchUnitOfWork"]


class DispatchRepository(Protocol):
    """Delivery records of sent letters, found by message uid, card and state."""

    def get(self, dispatch_id: str) -> Dispatch:
        """The record, or NotFound."""
        ...

    def add(self, dispatch: Dispatch) -> None:
        """Store a new record (version 1)."""
        ...

    def update(self, dispatch: Dispatch, expected_version: int) -> Dispatch:
        """Store a changed record if the stored version is ``expected_version``; return it."""
        ...

    def by_message(self, message_uid: str) -> Dispatch | None:
        """The record whose attempts include the message ``message_uid``, if any."""
        ...

    def find(self, card_id: str, recipient: str) -> Dispatch | None:
        """The record of the card to the recipient (a MEDO id, any letter case), if any."""
        ...

    def of_card(self, card_id: str) -> Sequence[Dispatch]:
        """The card's records, by first sending then id."""
        ...

    def in_state(
        self,
        organisation_id: str,
        state: DispatchState,
        before: pendulum.DateTime,
        *,
        limit: int = 1000,
        scope: AccessScope | None = None,
    ) -> Sequence[Dispatch]:
        """The organisation's records in ``state`` since before ``before``, oldest first.

        With ``scope``, only records of cards the scope permits (None: every record, for the
        library's own scans).
        """
        ...


class DispatchUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that also keeps dispatch records."""

    @property
    def dispatches(self) -> DispatchRepository:
        """Delivery records of sent letters."""
        ...


class DispatchStorage(Protocol):
    """A storage whose units of work keep dispatch records."""

    def unit_of_work(self) -> DispatchUnitOfWork:
        """Open a unit of work (use it as a context manager)."""
        ...
