"""Appeals in the in-memory adapter, inside its undo-logged units of work.

The tables live in ``MemoryStorage``'s state (its ``extensions`` slot, under
``edmscore.appeals``); every write goes through :meth:`~edmscore.records.memory._Journaled._set`,
so a rollback undoes it with the cards, counters and audit events of the same unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from edmscore.access import AccessScope
from edmscore.appeals._model import Appeal
from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.memory import _Journaled

if TYPE_CHECKING:
    from edmscore.records.memory import MemoryRecordsUnitOfWork

__all__ = ["MemoryAppeals"]

_KEY = "edmscore.appeals"


class _Tables:
    def __init__(self) -> None:
        self.appeals: dict[str, Appeal] = {}
        self.by_card: dict[str, str] = {}
        self.by_key: dict[tuple[str, str], tuple[str, ...]] = {}


def _order(appeal: Appeal) -> tuple[dt.date, str]:
    return (appeal.registered_on, appeal.id)


class MemoryAppeals(_Journaled):
    """The in-memory :class:`~edmscore.appeals.AppealRepository`."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        self._t = self._extension(_KEY, _Tables)

    def get(self, appeal_id: str) -> Appeal:
        """The appeal, or NotFound."""
        found = self._t.appeals.get(appeal_id)
        if found is None:
            raise NotFound("appeal", appeal_id)
        return found

    def by_card(self, card_id: str) -> Appeal:
        """The appeal of the card, or NotFound."""
        appeal_id = self._t.by_card.get(card_id)
        if appeal_id is None:
            raise NotFound("appeal of card", card_id)
        return self._t.appeals[appeal_id]

    def _index(self, appeal: Appeal) -> None:
        for key in appeal.author_keys():
            slot = (appeal.organisation_id, key)
            ids = self._t.by_key.get(slot, ())
            if appeal.id not in ids:
                self._set(self._t.by_key, slot, (*ids, appeal.id))

    def add(self, appeal: Appeal) -> None:
        """Store a new appeal."""
        if not isinstance(appeal, Appeal):
            raise ValidationError("appeal", "must be an Appeal")
        if appeal.id in self._t.appeals:
            raise ConflictError("appeal", appeal.id, 0, self._t.appeals[appeal.id].version)
        if appeal.card_id in self._t.by_card:
            raise ConflictError("appeal of card", appeal.card_id, 0, 1)
        if appeal.version != 1:
            raise ValidationError("version", "a new appeal starts at version 1")
        self._set(self._t.appeals, appeal.id, appeal)
        self._set(self._t.by_card, appeal.card_id, appeal.id)
        self._index(appeal)

    def update(self, appeal: Appeal, expected_version: int) -> Appeal:
        """Store a changed appeal with a version check."""
        stored = self.get(appeal.id)
        if stored.version != expected_version:
            raise ConflictError("appeal", appeal.id, expected_version, stored.version)
        if (stored.card_id, stored.organisation_id) != (appeal.card_id, appeal.organisation_id):
            raise ValidationError("appeal", "the card and organisation cannot change")
        new = attrs.evolve(appeal, version=stored.version + 1)
        self._set(self._t.appeals, appeal.id, new)
        self._index(new)
        return new

    def by_author(self, organisation_id: str, key: str) -> Sequence[Appeal]:
        """Appeals by an author with ``key``, oldest first."""
        ids = self._t.by_key.get((organisation_id, key), ())
        return sorted((self._t.appeals[i] for i in ids), key=_order)

    def _visible(self, found: Iterable[Appeal], scope: AccessScope) -> list[Appeal]:
        cards = self._s.cards
        permitted = (a for a in found if a.card_id in cards and scope.permits(cards[a.card_id]))
        return sorted(permitted, key=_order)

    def changed_between(
        self, organisation_id: str, start: dt.date, end: dt.date, scope: AccessScope
    ) -> Sequence[Appeal]:
        """Appeals with a status set in the period whose card the scope permits."""
        return self._visible(
            (
                a
                for a in self._t.appeals.values()
                if a.organisation_id == organisation_id and a.status_changed_between(start, end)
            ),
            scope,
        )

    def registered_between(
        self, organisation_id: str, start: dt.date, end: dt.date, scope: AccessScope
    ) -> Sequence[Appeal]:
        """Appeals registered in the period whose card the scope permits."""
        return self._visible(
            (
                a
                for a in self._t.appeals.values()
                if a.organisation_id == organisation_id and start <= a.registered_on <= end
            ),
            scope,
        )
