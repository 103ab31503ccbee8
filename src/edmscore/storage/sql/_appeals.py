"""Citizens' appeals (:mod:`edmscore.appeals`) in the SQL adapter.

An appeal is one row (its card unique) with the whole appeal as a document; its authors'
identity keys and the days its questions' statuses were set are side tables, so the repeat
check (``by_author``) and the period report (``changed_between``) read only what they need.
As in the in-memory adapter, an author key once indexed stays indexed. The period listings
filter by the reader's access scope inside the query, through the appeal's card.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from edmscore.access import AccessScope
from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.codec import decode_json, dumps, encode
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._access import card_visible

if TYPE_CHECKING:
    from edmscore.appeals import Appeal
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = ["SqlAppeals"]


def _appeal_class() -> type[Appeal]:
    from edmscore.appeals import Appeal

    return Appeal


def _days(appeal: Appeal) -> set[dt.date]:
    return {change.on for question in appeal.questions for change in question.history}


def _card_permitted(scope: AccessScope) -> sa.ColumnElement[bool]:
    """The appeal's card exists and the scope permits it."""
    c, a = t.cards.c, t.appeals.c
    condition = sa.exists().where(c.id == a.card_id)
    visible = card_visible(t.cards, scope)
    if visible is not None:
        condition = condition.where(visible)
    return condition


class SqlAppeals:
    """Appeals in ``edms_appeals`` with their author keys and status-change days."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _decode(self, document: str) -> Appeal:
        return decode_json(_appeal_class(), document)

    def _list(self, statement: sa.Select[Any]) -> list[Appeal]:
        a = t.appeals.c
        ordered = statement.order_by(a.registered_on, a.id)
        return [self._decode(d) for d in self._uow.execute(ordered).scalars()]

    def get(self, appeal_id: str) -> Appeal:
        """The appeal, or NotFound."""
        a = t.appeals.c
        document = self._uow.select_by_key(a.document, a.id, appeal_id)
        if document is None:
            raise NotFound("appeal", appeal_id)
        return self._decode(document)

    def by_card(self, card_id: str) -> Appeal:
        """The appeal of the card, or NotFound."""
        a = t.appeals.c
        document = self._uow.select_by_key(a.document, a.card_id, card_id)
        if document is None:
            raise NotFound("appeal of card", card_id)
        return self._decode(document)

    def _index(self, appeal: Appeal, previous: Appeal | None) -> None:
        for key in sorted(appeal.author_keys() - (previous.author_keys() if previous else set())):
            self._uow.insert_ignoring_conflicts(
                t.appeal_authors,
                {
                    "organisation_id": appeal.organisation_id,
                    "author_key": key,
                    "appeal_id": appeal.id,
                },
            )
        for day in sorted(_days(appeal) - (_days(previous) if previous else set())):
            self._uow.insert_ignoring_conflicts(
                t.appeal_changes, {"appeal_id": appeal.id, "day": day}
            )

    def _row(self, appeal: Appeal) -> dict[str, Any]:
        return {
            "id": appeal.id,
            "organisation_id": appeal.organisation_id,
            "card_id": appeal.card_id,
            "registered_on": appeal.registered_on,
            "version": appeal.version,
            "document": dumps(encode(appeal)),
        }

    def add(self, appeal: Appeal) -> None:
        """Store a new appeal (version 1); ConflictError for a taken id or card."""
        if not isinstance(appeal, _appeal_class()):
            raise ValidationError("appeal", "must be an Appeal")
        a = t.appeals.c
        stored = self._uow.select_by_key(a.version, a.id, appeal.id)
        if stored is not None:
            raise ConflictError("appeal", appeal.id, 0, int(stored))
        if self._uow.select_by_key(a.id, a.card_id, appeal.card_id) is not None:
            raise ConflictError("appeal of card", appeal.card_id, 0, 1)
        if appeal.version != 1:
            raise ValidationError("version", "a new appeal starts at version 1")
        if not self._uow.insert_ignoring_conflicts(t.appeals, self._row(appeal)):
            raise ConflictError("appeal", appeal.id, 0, 1)  # taken concurrently
        self._index(appeal, None)

    def update(self, appeal: Appeal, expected_version: int) -> Appeal:
        """Store a changed appeal at ``expected_version``; return it as stored."""
        stored = self.get(appeal.id)
        if stored.version != expected_version:
            raise ConflictError("appeal", appeal.id, expected_version, stored.version)
        if (stored.card_id, stored.organisation_id) != (appeal.card_id, appeal.organisation_id):
            raise ValidationError("appeal", "the card and organisation cannot change")
        new = attrs.evolve(appeal, version=stored.version + 1)
        row = self._row(new)
        del row["id"]
        a = t.appeals.c
        changed = self._uow.execute(
            sa.update(t.appeals)
            .where(a.id == appeal.id, a.version == expected_version)
            .values(**row)
        ).rowcount
        if changed != 1:
            actual = self._uow.select_by_key(a.version, a.id, appeal.id)
            raise ConflictError("appeal", appeal.id, expected_version, int(actual or 0))
        self._index(new, stored)
        return new

    def by_author(self, organisation_id: str, key: str) -> Sequence[Appeal]:
        """Appeals by an author with ``key``, oldest first."""
        a, k = t.appeals.c, t.appeal_authors.c
        return self._list(
            sa.select(a.document).where(
                sa.exists().where(
                    k.organisation_id == organisation_id,
                    k.author_key == key,
                    k.appeal_id == a.id,
                )
            )
        )

    def changed_between(
        self, organisation_id: str, start: dt.date, end: dt.date, scope: AccessScope
    ) -> Sequence[Appeal]:
        """Appeals with a status set in the period whose card the scope permits."""
        a, c = t.appeals.c, t.appeal_changes.c
        return self._list(
            sa.select(a.document).where(
                a.organisation_id == organisation_id,
                sa.exists().where(c.appeal_id == a.id, c.day >= start, c.day <= end),
                _card_permitted(scope),
            )
        )

    def registered_between(
        self, organisation_id: str, start: dt.date, end: dt.date, scope: AccessScope
    ) -> Sequence[Appeal]:
        """Appeals registered in the period whose card the scope permits."""
        a = t.appeals.c
        return self._list(
            sa.select(a.document).where(
                a.organisation_id == organisation_id,
                a.registered_on >= start,
                a.registered_on <= end,
                _card_permitted(scope),
            )
        )
