"""Dispatch records in the in-memory adapter, inside its undo-logged units of work.

The tables live in ``MemoryStorage``'s state (its ``extensions`` slot, under
``edmscore.dispatch``); every write goes through :meth:`~edmscore.records.memory._Journaled._set`,
so a rollback undoes it with the cards and audit events of the same unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pendulum

from edmscore.access import AccessScope
from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.exchange.dispatch._model import (
    Dispatch,
    DispatchState,
    check_limit,
    checked_update,
)
from edmscore.exchange.medo import uid_key
from edmscore.records.memory import _Journaled

if TYPE_CHECKING:
    from edmscore.records.memory import MemoryRecordsUnitOfWork

__all__ = ["MemoryDispatches"]

_KEY = "edmscore.dispatch"


class _Tables:
    def __init__(self) -> None:
        self.records: dict[str, Dispatch] = {}
        self.by_message: dict[str, str] = {}
        self.by_pair: dict[tuple[str, str], str] = {}
        self.by_card: dict[str, tuple[str, ...]] = {}


class MemoryDispatches(_Journaled):
    """The in-memory :class:`~edmscore.exchange.dispatch.DispatchRepository`."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        self._t = self._extension(_KEY, _Tables)

    def get(self, dispatch_id: str) -> Dispatch:
        """The record, or NotFound."""
        found = self._t.records.get(dispatch_id)
        if found is None:
            raise NotFound("dispatch", dispatch_id)
        return found

    def _claim_messages(self, dispatch: Dispatch) -> None:
        for attempt in dispatch.attempts:
            holder = self._t.by_message.get(attempt.message_uid)
            if holder is not None and holder != dispatch.id:
                raise ConflictError("dispatch message", attempt.message_uid, 0, 1)
        for attempt in dispatch.attempts:
            if attempt.message_uid not in self._t.by_message:
                self._set(self._t.by_message, attempt.message_uid, dispatch.id)

    def add(self, dispatch: Dispatch) -> None:
        """Store a new record."""
        if not isinstance(dispatch, Dispatch):
            raise ValidationError("dispatch", "must be a Dispatch")
        if dispatch.id in self._t.records:
            raise ConflictError("dispatch", dispatch.id, 0, self._t.records[dispatch.id].version)
        pair = (dispatch.card_id, dispatch.recipient)
        if pair in self._t.by_pair:
            raise ConflictError("dispatch of card to recipient", "/".join(pair), 0, 1)
        if dispatch.version != 1:
            raise ValidationError("version", "a new dispatch starts at version 1")
        self._claim_messages(dispatch)
        self._set(self._t.records, dispatch.id, dispatch)
        self._set(self._t.by_pair, pair, dispatch.id)
        ids = self._t.by_card.get(dispatch.card_id, ())
        self._set(self._t.by_card, dispatch.card_id, (*ids, dispatch.id))

    def update(self, dispatch: Dispatch, expected_version: int) -> Dispatch:
        """Store a changed record with a version check."""
        stored = self.get(dispatch.id)
        new = checked_update(stored, dispatch, expected_version)
        self._claim_messages(new)
        self._set(self._t.records, dispatch.id, new)
        return new

    def by_message(self, message_uid: str) -> Dispatch | None:
        """The record that sent the message, if any."""
        dispatch_id = self._t.by_message.get(uid_key(message_uid))
        return None if dispatch_id is None else self._t.records[dispatch_id]

    def find(self, card_id: str, recipient: str) -> Dispatch | None:
        """The record of the card to the recipient, if any."""
        dispatch_id = self._t.by_pair.get((card_id, uid_key(recipient)))
        return None if dispatch_id is None else self._t.records[dispatch_id]

    def of_card(self, card_id: str) -> Sequence[Dispatch]:
        """The card's records, by first sending then id."""
        found = (self._t.records[i] for i in self._t.by_card.get(card_id, ()))
        return sorted(found, key=lambda d: (d.attempts[0].sent_at, d.id))

    def _permitted(self, dispatch: Dispatch, scope: AccessScope) -> bool:
        card = self._s.cards.get(dispatch.card_id)
        return card is not None and scope.permits(card)

    def in_state(
        self,
        organisation_id: str,
        state: DispatchState,
        before: pendulum.DateTime,
        *,
        limit: int = 1000,
        scope: AccessScope | None = None,
    ) -> Sequence[Dispatch]:
        """Records in ``state`` since before ``before``, oldest first; with ``scope``, only
        those whose card it permits (checked before the limit, as the SQL adapter does)."""
        check_limit(limit)
        found = [
            d
            for d in self._t.records.values()
            if d.organisation_id == organisation_id
            and d.state is state
            and d.since < before
            and (scope is None or self._permitted(d, scope))
        ]
        return sorted(found, key=lambda d: (d.since, d.id))[:limit]
