"""Draft resolutions and acquaintance sheets (:mod:`edmscore.control`) in SQL.

Each is kept as one JSON document per row with the columns its queries filter on, versioned
like assignments. The tables are created by the schema-6 step :func:`create_tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import sqlalchemy as sa

from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.storage.sql._codec import decode_json, dumps, encode
from edmscore.storage.sql._schema import _ID, metadata

if TYPE_CHECKING:
    from edmscore.control import AcquaintanceSheet, ResolutionDraft
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = ["SqlAcquaintances", "SqlResolutionDrafts", "create_tables"]

resolution_drafts = sa.Table(
    "edms_resolution_drafts",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("card_id", _ID, nullable=False, index=True),
    sa.Column("head_id", _ID, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("edms_resolution_drafts_head_ix", "head_id", "state"),
)

acquaintances = sa.Table(
    "edms_acquaintances",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("card_id", _ID, nullable=False, index=True),
    sa.Column("open", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("edms_acquaintances_open_ix", "organisation_id", "open"),
)


def create_tables(conn: sa.Connection) -> None:
    """Schema 6 step: create the draft-resolution and acquaintance tables."""
    resolution_drafts.create(conn, checkfirst=True)
    acquaintances.create(conn, checkfirst=True)


_V = TypeVar("_V")


class _Versioned(Generic[_V]):
    _table: sa.Table
    _what = ""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _cls(self) -> type[_V]:
        raise NotImplementedError

    def _columns(self, item: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _row(self, item: Any) -> dict[str, Any]:
        return {
            "id": item.id,
            "organisation_id": item.organisation_id,
            "card_id": item.card_id,
            "version": item.version,
            "document": dumps(encode(item)),
            **self._columns(item),
        }

    def get(self, item_id: str) -> _V:
        """The stored value, or NotFound."""
        c = self._table.c
        document = self._uow.select_by_key(c.document, c.id, item_id)
        if document is None:
            raise NotFound(self._what, item_id)
        return decode_json(self._cls(), document)

    def add(self, item: _V) -> None:
        """Store a new value (version 1); ConflictError for a taken id."""
        found: Any = item
        if found.version != 1:
            raise ValidationError("version", f"a new {self._what} starts at version 1")
        if not self._uow.insert_ignoring_conflicts(self._table, self._row(found)):
            c = self._table.c
            stored = self._uow.select_by_key(c.version, c.id, found.id)
            raise ConflictError(self._what, found.id, 0, int(stored or 0))

    def update(self, item: _V, expected_version: int) -> _V:
        """Store a changed value if at ``expected_version``; return it as stored."""
        given: Any = item
        stored: Any = self.get(given.id)
        if stored.version != expected_version:
            raise ConflictError(self._what, given.id, expected_version, stored.version)
        if (stored.organisation_id, stored.card_id) != (given.organisation_id, given.card_id):
            raise ValidationError(self._what, "organisation and card cannot change")
        new: _V = attrs.evolve(given, version=stored.version + 1)
        row = self._row(new)
        del row["id"]
        c = self._table.c
        changed = self._uow.execute(
            sa.update(self._table)
            .where(c.id == given.id, c.version == expected_version)
            .values(**row)
        ).rowcount
        if changed != 1:
            actual = self._uow.select_by_key(c.version, c.id, given.id)
            raise ConflictError(self._what, given.id, expected_version, int(actual or 0))
        return new

    def _all(self, statement: sa.Select[Any]) -> list[_V]:
        cls = self._cls()
        return [decode_json(cls, d) for d in self._uow.execute(statement).scalars()]

    def of_card(self, card_id: str) -> Sequence[_V]:
        """The card's values, by id."""
        c = self._table.c
        return self._all(sa.select(c.document).where(c.card_id == card_id).order_by(c.id))


class SqlResolutionDrafts(_Versioned["ResolutionDraft"]):
    """Draft resolutions in ``edms_resolution_drafts``."""

    _table = resolution_drafts
    _what = "draft resolution"

    def _cls(self) -> type[ResolutionDraft]:
        from edmscore.control import ResolutionDraft

        return ResolutionDraft

    def _columns(self, item: Any) -> dict[str, Any]:
        return {"head_id": item.head_id, "state": item.state.value}

    def awaiting(self, head_id: str) -> Sequence[ResolutionDraft]:
        """The drafts waiting for the head's decision, by id."""
        c = self._table.c
        return self._all(
            sa.select(c.document).where(c.head_id == head_id, c.state == "drafted").order_by(c.id)
        )


class SqlAcquaintances(_Versioned["AcquaintanceSheet"]):
    """Acquaintance sheets in ``edms_acquaintances``."""

    _table = acquaintances
    _what = "acquaintance"

    def _cls(self) -> type[AcquaintanceSheet]:
        from edmscore.control import AcquaintanceSheet

        return AcquaintanceSheet

    def _columns(self, item: Any) -> dict[str, Any]:
        return {"open": bool(item.pending) and item.closed_at is None}

    def open_sheets(self, organisation_id: str) -> Sequence[AcquaintanceSheet]:
        """The organisation's sheets someone has not yet acknowledged, by id."""
        c = self._table.c
        return self._all(
            sa.select(c.document)
            .where(c.organisation_id == organisation_id, c.open.is_(True))
            .order_by(c.id)
        )
