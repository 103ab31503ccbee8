"""The card repository of the SQL adapter: rows, side tables, version checks and the search.

A search compiles :class:`~edmscore.records.ports.CardQuery` and the
:class:`~edmscore.access.AccessScope` into one SELECT: the access rule is part of the WHERE
clause, so a card the scope does not permit never leaves the database.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pendulum
import sqlalchemy as sa

from edmscore.access import AccessScope
from edmscore.errors import ConflictError, DuplicateNumber, NotFound, ValidationError
from edmscore.records.codec import card_from_json, dumps
from edmscore.records.ports import CardCursor, CardPage, CardQuery
from edmscore.registry import RegistrationCard
from edmscore.registry.codec import card_to_primitive
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._access import card_visible, visible_branches
from edmscore.storage.sql._errors import UniqueViolation
from edmscore.storage.sql._text import search_text_of

if TYPE_CHECKING:
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = [
    "CARD_COLUMNS",
    "SqlCards",
    "has_side_rows",
    "micros",
    "primitive_copy_line",
    "primitive_row",
    "primitive_side_rows",
    "primitive_values",
]


def micros(moment: pendulum.DateTime) -> int:
    """Microseconds since the epoch (UTC) of an aware moment (exact, any year)."""
    return calendar.timegm(moment.utctimetuple()) * 1_000_000 + moment.microsecond


def _row(card: RegistrationCard) -> dict[str, Any]:
    return primitive_row(card_to_primitive(card), micros(card.registered_at))


def _fts_text(details: Mapping[str, Any]) -> str:
    return " ".join(
        (
            details["summary"],
            *(c["name"] for c in details["correspondents"]),
            *(c["name"] for c in details["addressees"]),
            *(f["text"] for f in details["files"] if f.get("text")),
        )
    ).replace("\x00", " ")


@functools.lru_cache(maxsize=8192)
def _micros_of(text: str) -> int:
    return micros(pendulum.instance(datetime.datetime.fromisoformat(text)))


@functools.lru_cache(maxsize=8192)
def _day_of(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


#: The columns of ``edms_cards`` in the order :func:`primitive_values` gives them.
CARD_COLUMNS: tuple[str, ...] = tuple(t.cards.c.keys())


def primitive_values(card: Mapping[str, Any], registered_us: int | None = None) -> tuple[Any, ...]:
    """The ``edms_cards`` row of a card in its canonical primitive form, as values in
    :data:`CARD_COLUMNS` order (what the bulk path copies)."""
    reg, details = card["registration"], card["details"]
    return (
        card["id"],
        card["organisation_id"],
        reg["journal_id"],
        reg["period"],
        reg["number"],
        reg["seq"],
        _day_of(reg["date"]),
        _micros_of(card["registered_at"]) if registered_us is None else registered_us,
        details["kind"],
        card["status"],
        details["access"],
        details["executor_id"],
        details["department_id"],
        details["case_id"],
        details["on_control"],
        card["version"],
        search_text_of(card),
        _fts_text(details),
        dumps(card),
    )


def _copied(text: str) -> str:
    """``text`` as a field of PostgreSQL's COPY text format (backslash escapes)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copied_or_null(text: str | None) -> str:
    return "\\N" if text is None else _copied(text)


def primitive_copy_line(card: Mapping[str, Any]) -> str:
    """:func:`primitive_values` as one line of ``COPY edms_cards (CARD_COLUMNS)`` in the text
    format, written directly (what the PostgreSQL bulk path sends)."""
    reg, details = card["registration"], card["details"]
    seq = reg["seq"]
    return (
        "\t".join(
            (
                _copied(card["id"]),
                _copied(card["organisation_id"]),
                _copied(reg["journal_id"]),
                str(reg["period"]),
                _copied(reg["number"]),
                "\\N" if seq is None else str(seq),
                _day_of(reg["date"]).isoformat(),
                str(_micros_of(card["registered_at"])),
                details["kind"],
                card["status"],
                details["access"],
                _copied_or_null(details["executor_id"]),
                _copied_or_null(details["department_id"]),
                _copied_or_null(details["case_id"]),
                "t" if details["on_control"] else "f",
                str(card["version"]),
                _copied(search_text_of(card)),
                _copied(_fts_text(details)),
                _copied(dumps(card)),
            )
        )
        + "\n"
    )


def has_side_rows(card: Mapping[str, Any]) -> bool:
    """Whether :func:`primitive_side_rows` gives the card any row (most legacy cards: none)."""
    details = card["details"]
    if details["access_list"] or details["shared_with"] or details["links"] or details["files"]:
        return True
    parties = (*details["correspondents"], *details["addressees"])
    return any(c["organisation_id"] is not None for c in parties)


def primitive_row(card: Mapping[str, Any], registered_us: int | None = None) -> dict[str, Any]:
    """The ``edms_cards`` row of a card in its canonical primitive form (``card_to_primitive``),
    built without the card object: what the bulk path stores."""
    return dict(zip(CARD_COLUMNS, primitive_values(card, registered_us), strict=True))


def primitive_side_rows(card: Mapping[str, Any]) -> dict[sa.Table, list[dict[str, str]]]:
    """:func:`_side_rows` of a card in its canonical primitive form."""
    details, card_id = card["details"], card["id"]
    parties = {
        c["organisation_id"]
        for c in (*details["correspondents"], *details["addressees"])
        if c["organisation_id"] is not None
    }
    return {
        t.card_parties: [{"card_id": card_id, "organisation_id": o} for o in sorted(parties)],
        t.card_readers: [{"card_id": card_id, "user_id": u} for u in details["access_list"]],
        t.card_shares: [{"card_id": card_id, "organisation_id": o} for o in details["shared_with"]],
        t.card_links: [
            {"card_id": card_id, "target_id": x}
            for x in sorted({link["target_id"] for link in details["links"]})
        ],
        t.card_files: [
            {"card_id": card_id, "sha256": s}
            for s in sorted({f["sha256"] for f in details["files"]})
        ],
    }


def _side_rows(card: RegistrationCard) -> dict[sa.Table, list[dict[str, str]]]:
    details = card.details
    parties = {
        c.organisation_id
        for c in (*details.correspondents, *details.addressees)
        if c.organisation_id is not None
    }
    return {
        t.card_parties: [{"card_id": card.id, "organisation_id": o} for o in sorted(parties)],
        t.card_readers: [{"card_id": card.id, "user_id": u} for u in sorted(details.access_list)],
        t.card_shares: [
            {"card_id": card.id, "organisation_id": o} for o in sorted(details.shared_with)
        ],
        t.card_links: [
            {"card_id": card.id, "target_id": x}
            for x in sorted({link.target_id for link in details.links})
        ],
        t.card_files: [
            {"card_id": card.id, "sha256": s} for s in sorted({f.sha256 for f in details.files})
        ],
    }


def _number_holder() -> sa.Select[Any]:
    c = t.cards.c
    return sa.select(c.id).where(
        c.journal_id == sa.bindparam("journal_id"),
        c.period == sa.bindparam("period"),
        c.number == sa.bindparam("number"),
    )


class SqlCards:
    """Cards in ``edms_cards`` and their side tables."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def get(self, card_id: str) -> RegistrationCard:
        """The card, or NotFound."""
        document = self._uow.select_by_key(t.cards.c.document, t.cards.c.id, card_id)
        if document is None:
            raise NotFound("card", card_id)
        return card_from_json(document)

    def number_holder(self, journal_id: str, period: int, number: str) -> str | None:
        """The id of the card holding the number in the journal and period, if any."""
        rows = self._uow.run(
            "number-holder",
            _number_holder,
            {"journal_id": journal_id, "period": period, "number": number},
        )
        return str(rows[0][0]) if rows else None

    def _write_side(self, card: RegistrationCard, previous: RegistrationCard | None) -> None:
        new = _side_rows(card)
        old = _side_rows(previous) if previous is not None else None
        for table, rows in new.items():
            if old is not None:
                if old[table] == rows:
                    continue
                self._uow.execute(sa.delete(table).where(table.c.card_id == card.id))
            if rows:
                insert = self._uow._cached(
                    f"insert:{table.name}", lambda table=table: sa.insert(table)
                )
                self._uow.execute(insert, rows)
        self._uow.index_words(card, previous is not None)

    def add(self, card: RegistrationCard) -> None:
        """Store a new card (version 1); ConflictError for a taken id, DuplicateNumber."""
        if card.version != 1:
            raise ValidationError("version", "a new card starts at version 1")
        inserted = self._uow.insert_ignoring_conflicts(t.cards, _row(card))
        if not inserted:
            stored = self._uow.scalar(sa.select(t.cards.c.version).where(t.cards.c.id == card.id))
            if stored is not None:
                raise ConflictError("card", card.id, 0, stored)
            reg = card.registration
            raise DuplicateNumber(reg.journal_id, reg.period, reg.number)
        self._write_side(card, None)

    def update(self, card: RegistrationCard, expected_version: int) -> RegistrationCard:
        """Store a changed card at ``expected_version``; return it with the version bumped."""
        import attrs

        stored = self.get(card.id)
        if stored.version != expected_version:
            raise ConflictError("card", card.id, expected_version, stored.version)
        if stored.registered_at != card.registered_at:
            raise ValidationError("registered_at", "the registration moment cannot change")
        new = attrs.evolve(card, version=stored.version + 1)
        old_reg, reg = stored.registration, new.registration
        if (old_reg.journal_id, old_reg.period, old_reg.number) != (
            reg.journal_id,
            reg.period,
            reg.number,
        ):
            holder = self.number_holder(reg.journal_id, reg.period, reg.number)
            if holder is not None and holder != card.id:
                raise DuplicateNumber(reg.journal_id, reg.period, reg.number)
        row = _row(new)
        del row["id"]
        try:
            changed = self._uow.execute(
                sa.update(t.cards)
                .where(t.cards.c.id == card.id, t.cards.c.version == expected_version)
                .values(**row)
            ).rowcount
        except UniqueViolation as exc:
            raise DuplicateNumber(reg.journal_id, reg.period, reg.number) from exc
        if changed != 1:
            actual = self._uow.scalar(sa.select(t.cards.c.version).where(t.cards.c.id == card.id))
            raise ConflictError("card", card.id, expected_version, int(actual or 0))
        self._write_side(new, stored)
        return new

    def query(self, query: CardQuery, scope: AccessScope) -> CardPage:
        """Search; the access scope is applied inside the SQL."""
        return self._page(query, scope, ())

    def search(self, words: str, query: CardQuery, scope: AccessScope) -> CardPage:
        """Full-text search of summaries and correspondents' names, with ``query``'s filters.

        Every word must occur in some inflected form (Russian stemming: «дорога» finds «дорог»,
        «дорогах»); see the storage docs for what each dialect finds.
        """
        return self._page(query, scope, (self._uow.fts_condition(words),))

    def _page(
        self, query: CardQuery, scope: AccessScope, extra: Iterable[sa.ColumnElement[bool]]
    ) -> CardPage:
        c = t.cards.c
        conditions = [*_conditions(query, self._uow.contains), *extra]
        if _narrowed(query):
            # An index on the query's own condition finds the rows: the rule as one condition
            # filters them cheaply, and one plan costs less than a union of branches.
            visible = card_visible(t.cards, scope)
            branches = None if visible is None else [visible]
        else:
            branches = visible_branches(t.cards, scope)

        # The page's keys first (an index can answer that alone), then its documents; with an
        # access rule, the first keys of each branch of it (each on its own index), merged.
        def first_keys(*where: sa.ColumnElement[bool]) -> sa.Select[Any]:
            return (
                sa.select(c.id, c.registered_us)
                .where(*conditions, *where)
                .order_by(c.registered_us, c.id)
                .limit(query.limit + 1)
            )

        if branches is None or len(branches) == 1:
            keys = first_keys(*(branches or ())).subquery("page")
        else:
            parts = [first_keys(b).subquery(f"branch{i}") for i, b in enumerate(branches)]
            merged = sa.union(*(sa.select(p.c.id, p.c.registered_us) for p in parts)).subquery(
                "merged"
            )
            keys = (
                sa.select(merged.c.id, merged.c.registered_us)
                .order_by(merged.c.registered_us, merged.c.id)
                .limit(query.limit + 1)
                .subquery("page")
            )
        statement = (
            sa.select(c.document)
            .join_from(keys, t.cards, t.cards.c.id == keys.c.id)
            .order_by(keys.c.registered_us, keys.c.id)
        )
        documents = self._uow.execute(statement).scalars().all()
        items = [card_from_json(d) for d in documents[: query.limit]]
        cursor = None
        if len(documents) > query.limit:
            last = items[-1]
            cursor = CardCursor(last.registered_at, last.id)
        return CardPage(tuple(items), cursor)


def _narrowed(query: CardQuery) -> bool:
    """The query names something an index finds few cards by (a journal, an executor, …)."""
    return any(
        wanted is not None
        for wanted in (
            query.organisation_id,
            query.journal_ids,
            query.number,
            query.executor_id,
            query.case_id,
            query.correspondent_organisation_id,
            query.linked_to,
        )
    )


def _conditions(query: CardQuery, contains: Any) -> list[sa.ColumnElement[bool]]:
    c = t.cards.c
    where: list[sa.ColumnElement[bool]] = [c.status.in_(sorted(s.value for s in query.statuses))]
    if query.organisation_id is not None:
        where.append(c.organisation_id == query.organisation_id)
    if query.journal_ids is not None:
        where.append(c.journal_id.in_(sorted(query.journal_ids)))
    if query.kinds is not None:
        where.append(c.kind.in_(sorted(k.value for k in query.kinds)))
    if query.registered_from is not None:
        where.append(c.reg_date >= query.registered_from)
    if query.registered_to is not None:
        where.append(c.reg_date <= query.registered_to)
    if query.number is not None:
        where.append(c.number == query.number)
    if query.executor_id is not None:
        where.append(c.executor_id == query.executor_id)
    if query.case_id is not None:
        where.append(c.case_id == query.case_id)
    if query.access is not None:
        where.append(c.access == query.access.value)
    if query.correspondent_organisation_id is not None:
        where.append(
            sa.exists().where(
                t.card_parties.c.card_id == c.id,
                t.card_parties.c.organisation_id == query.correspondent_organisation_id,
            )
        )
    if query.linked_to is not None:
        where.append(
            sa.exists().where(
                t.card_links.c.card_id == c.id, t.card_links.c.target_id == query.linked_to
            )
        )
    if query.text is not None:
        where.append(contains(c.search_text, query.text))
    if query.after is not None:
        us = micros(query.after.registered_at)
        where.append(
            sa.or_(
                c.registered_us > us,
                sa.and_(c.registered_us == us, c.id > query.after.card_id),
            )
        )
    return where
