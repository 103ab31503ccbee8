"""Delivery records of sent MEDO letters (:mod:`edmscore.exchange.dispatch`) in the SQL adapter.

A record is one row of ``edms_dispatches`` with the whole record as a document, its card and
recipient unique, and the columns the listing of what is stuck reads from an index alone
(organisation, state, the moment the state was entered). Each attempt's message uid is a row of
``edms_dispatch_messages``: a receipt or notification finds its record by the primary key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pendulum
import sqlalchemy as sa

from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.codec import decode_json, dumps, encode
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._access import card_visible
from edmscore.storage.sql._cards import micros

if TYPE_CHECKING:
    from edmscore.access import AccessScope
    from edmscore.exchange.dispatch import Dispatch, DispatchState
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = ["SqlDispatches"]


def _dispatch_class() -> type[Dispatch]:
    from edmscore.exchange.dispatch import Dispatch

    return Dispatch


def _key(uid: str) -> str:
    from edmscore.exchange.medo import uid_key

    return uid_key(uid)


def _card_visible(scope: AccessScope) -> sa.ColumnElement[bool]:
    """The record's card exists and the scope permits it (the shared rule of the cards)."""
    c, d = t.cards.c, t.dispatches.c
    condition = sa.exists().where(c.id == d.card_id)
    visible = card_visible(t.cards, scope)
    return condition if visible is None else condition.where(visible)


def _row(d: Dispatch) -> dict[str, Any]:
    return {
        "id": d.id,
        "organisation_id": d.organisation_id,
        "card_id": d.card_id,
        "recipient": d.recipient,
        "state": d.state.value,
        "since_us": micros(d.since),
        "first_sent_us": micros(d.attempts[0].sent_at),
        "version": d.version,
        "document": dumps(encode(d)),
    }


class SqlDispatches:
    """Dispatch records in ``edms_dispatches`` and their message uids."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _decode(self, document: str) -> Dispatch:
        return decode_json(_dispatch_class(), document)

    def _list(self, statement: sa.Select[Any]) -> list[Dispatch]:
        return [self._decode(d) for d in self._uow.execute(statement).scalars()]

    def get(self, dispatch_id: str) -> Dispatch:
        """The record, or NotFound."""
        d = t.dispatches.c
        document = self._uow.select_by_key(d.document, d.id, dispatch_id)
        if document is None:
            raise NotFound("dispatch", dispatch_id)
        return self._decode(document)

    def _claim_messages(self, dispatch: Dispatch, known: set[str]) -> None:
        m = t.dispatch_messages.c
        for attempt in dispatch.attempts:
            if attempt.message_uid in known:
                continue
            holder = self._uow.select_by_key(m.dispatch_id, m.message_uid, attempt.message_uid)
            if holder is not None and holder != dispatch.id:
                raise ConflictError("dispatch message", attempt.message_uid, 0, 1)
            if holder is None and not self._uow.insert_ignoring_conflicts(
                t.dispatch_messages,
                {"message_uid": attempt.message_uid, "dispatch_id": dispatch.id},
            ):
                raise ConflictError("dispatch message", attempt.message_uid, 0, 1)

    def add(self, dispatch: Dispatch) -> None:
        """Store a new record (version 1); ConflictError for a taken id, pair or message."""
        if not isinstance(dispatch, _dispatch_class()):
            raise ValidationError("dispatch", "must be a Dispatch")
        d = t.dispatches.c
        stored = self._uow.select_by_key(d.version, d.id, dispatch.id)
        if stored is not None:
            raise ConflictError("dispatch", dispatch.id, 0, int(stored))
        if self.find(dispatch.card_id, dispatch.recipient) is not None:
            pair = f"{dispatch.card_id}/{dispatch.recipient}"
            raise ConflictError("dispatch of card to recipient", pair, 0, 1)
        if dispatch.version != 1:
            raise ValidationError("version", "a new dispatch starts at version 1")
        self._claim_messages(dispatch, set())
        if not self._uow.insert_ignoring_conflicts(t.dispatches, _row(dispatch)):
            raise ConflictError("dispatch", dispatch.id, 0, 1)  # taken concurrently

    def update(self, dispatch: Dispatch, expected_version: int) -> Dispatch:
        """Store a changed record at ``expected_version``; return it as stored."""
        from edmscore.exchange.dispatch._model import checked_update

        stored = self.get(dispatch.id)
        new = checked_update(stored, dispatch, expected_version)
        self._claim_messages(new, {a.message_uid for a in stored.attempts})
        row = _row(new)
        del row["id"]
        d = t.dispatches.c
        changed = self._uow.execute(
            sa.update(t.dispatches)
            .where(d.id == dispatch.id, d.version == expected_version)
            .values(**row)
        ).rowcount
        if changed != 1:
            actual = self._uow.select_by_key(d.version, d.id, dispatch.id)
            raise ConflictError("dispatch", dispatch.id, expected_version, int(actual or 0))
        return new

    def by_message(self, message_uid: str) -> Dispatch | None:
        """The record that sent the message, if any."""
        m = t.dispatch_messages.c
        dispatch_id = self._uow.select_by_key(m.dispatch_id, m.message_uid, _key(message_uid))
        return None if dispatch_id is None else self.get(dispatch_id)

    def find(self, card_id: str, recipient: str) -> Dispatch | None:
        """The record of the card to the recipient, if any."""
        d = t.dispatches.c
        statement = sa.select(d.document).where(
            d.card_id == card_id, d.recipient == _key(recipient)
        )
        found = self._list(statement)
        return found[0] if found else None

    def of_card(self, card_id: str) -> Sequence[Dispatch]:
        """The card's records, by first sending then id."""
        d = t.dispatches.c
        return self._list(
            sa.select(d.document).where(d.card_id == card_id).order_by(d.first_sent_us, d.id)
        )

    def in_state(
        self,
        organisation_id: str,
        state: DispatchState,
        before: pendulum.DateTime,
        *,
        limit: int = 1000,
        scope: AccessScope | None = None,
    ) -> Sequence[Dispatch]:
        """Records in ``state`` since before ``before``, oldest first (one index range); with
        ``scope``, only those whose card row the scope permits, in the same statement."""
        from edmscore.exchange.dispatch._model import check_limit

        check_limit(limit)
        d = t.dispatches.c
        statement = sa.select(d.document).where(
            d.organisation_id == organisation_id,
            d.state == state.value,
            d.since_us < micros(before),
        )
        if scope is not None:
            statement = statement.where(_card_visible(scope))
        return self._list(statement.order_by(d.since_us, d.id).limit(limit))
