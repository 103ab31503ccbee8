"""The SQL adapter's bulk path (:class:`edmscore.backup.ports.BulkUnitOfWork`).

Listing streams one ``SELECT … ORDER BY`` key through a server-side cursor (PostgreSQL orders
with the "C" collation, SQLite's BINARY collation is already code-point order), decoding
``_BATCH`` rows at a time, so memory stays bounded whatever the table's size.

Storing new cards — what restores and legacy imports are made of — goes in batches, each
written first as if all its cards were new (the unique indexes check ids and numbers) inside a
savepoint: the rows and side rows in one ``executemany`` per table, or on PostgreSQL with
psycopg through ``COPY … FROM STDIN``, the card rows streaming to the server while the caller
reads and checks the next cards. A batch the indexes refuse is rolled back to its savepoint and
stored carefully: a stored card replaced, a taken number a typed error. Audit events go the
same batched way. Every other kind, and a card that is
already stored, goes through its repository (``add`` at version 1 or ``update``, which keep the
side tables right) and is then pinned as given: version and document written as they came.
Everything runs inside the unit of work's transaction: a failure or a crash stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.dialects import postgresql

from edmscore.errors import (
    ConflictError,
    DuplicateNumber,
    EdmsError,
    StorageError,
    ValidationError,
)
from edmscore.records.codec import (
    audit_to_json,
    card_from_json,
    card_to_json,
    decode_json,
    dumps,
    encode,
    loads,
)
from edmscore.registry.codec import canonical_card, card_from_primitive, card_to_primitive
from edmscore.storage.sql import _control_extras as _extras
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._cards import (
    CARD_COLUMNS,
    has_side_rows,
    primitive_copy_line,
    primitive_row,
    primitive_side_rows,
)
from edmscore.storage.sql._errors import UniqueViolation, translate
from edmscore.storage.sql._text import fts_words

if TYPE_CHECKING:
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = [
    "SQL_TABLES",
    "export_card_primitives",
    "export_records",
    "import_records",
    "stored_blobs",
]

_BATCH = 2000

#: The tables each kind fills (its own first, then the side tables its repository keeps); the
#: coverage test checks that together with ``edms_schema_version`` they are the whole schema.
SQL_TABLES: dict[str, tuple[str, ...]] = {
    "organisations": ("edms_organisations",),
    "departments": ("edms_departments",),
    "officials": ("edms_officials",),
    "users": ("edms_users",),
    "journals": ("edms_journals",),
    "counters": ("edms_counters",),
    "nomenclatures": ("edms_nomenclatures", "edms_nomenclature_cases"),
    "cards": (
        "edms_cards",
        "edms_card_parties",
        "edms_card_readers",
        "edms_card_shares",
        "edms_card_links",
        "edms_card_files",
    ),
    "resolutions": ("edms_resolutions",),
    "assignments": ("edms_assignments",),
    "drafts": ("edms_drafts",),
    "route_templates": ("edms_route_templates",),
    "substitutions": ("edms_substitutions",),
    "resolution_drafts": ("edms_resolution_drafts",),
    "acquaintances": ("edms_acquaintances",),
    "appeals": ("edms_appeals", "edms_appeal_authors", "edms_appeal_changes"),
    "dispatches": ("edms_dispatches", "edms_dispatch_messages"),
    "signature_records": ("edms_signature_records",),
    "outbox_events": ("edms_outbox",),
    "outbox_subscriptions": ("edms_outbox_subscriptions", "edms_outbox_acks"),
    "archive": ("edms_archive",),
    "archive_transfers": ("edms_archive_transfers",),
    "audit": ("edms_audit",),
    "<files>": ("edms_blobs",),
}

_FTS = sa.table("edms_cards_fts", sa.column("card_id"), sa.column("words"))


def _class(path: str, name: str) -> Callable[[], type[Any]]:
    def load() -> type[Any]:
        import importlib

        cls: type[Any] = getattr(importlib.import_module(path), name)
        return cls

    return load


#: Kinds kept as one document per row with an ``id`` key: (table, class of the document).
_DOCUMENTS: dict[str, tuple[sa.Table, Callable[[], type[Any]]]] = {
    "organisations": (t.organisations, _class("edmscore.directory", "Organisation")),
    "departments": (t.departments, _class("edmscore.directory", "Department")),
    "officials": (t.officials, _class("edmscore.directory", "Official")),
    "users": (t.users, _class("edmscore.directory", "User")),
    "journals": (t.journals, _class("edmscore.registry", "Journal")),
    "resolutions": (t.resolutions, _class("edmscore.control", "Resolution")),
    "assignments": (t.assignments, _class("edmscore.control", "Assignment")),
    "drafts": (t.drafts, _class("edmscore.approval", "Draft")),
    "route_templates": (t.route_templates, _class("edmscore.approval", "RouteTemplate")),
    "substitutions": (t.substitutions, _class("edmscore.approval", "Substitution")),
    "resolution_drafts": (_extras.resolution_drafts, _class("edmscore.control", "ResolutionDraft")),
    "acquaintances": (_extras.acquaintances, _class("edmscore.control", "AcquaintanceSheet")),
    "appeals": (t.appeals, _class("edmscore.appeals", "Appeal")),
    "dispatches": (t.dispatches, _class("edmscore.exchange.dispatch", "Dispatch")),
    "signature_records": (
        t.signature_records,
        _class("edmscore.records.signature_records", "SignatureRecord"),
    ),
}

_KNOWN = frozenset(SQL_TABLES) - {"<files>"}


def _ordered(uow: SqlUnitOfWork, column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return column if uow._sqlite else column.collate("C")


def _stream(uow: SqlUnitOfWork, statement: sa.Select[Any]) -> Iterator[Any]:
    result = uow.execute(statement.execution_options(stream_results=True, yield_per=_BATCH))
    yield from result


def export_records(uow: SqlUnitOfWork, kind: str) -> Iterator[Any]:
    """Every record of ``kind`` in key order, streamed."""
    uow._check_open()
    if kind not in _KNOWN:
        raise ValidationError("kind", f"unknown record kind {kind!r}")
    return _export(uow, kind)


def _export(uow: SqlUnitOfWork, kind: str) -> Iterator[Any]:
    if kind == "cards":
        c = t.cards.c
        for row in _stream(uow, sa.select(c.document).order_by(_ordered(uow, c.id))):
            yield card_from_json(row[0])
    elif kind == "counters":
        k = t.counters.c
        for row in _stream(uow, sa.select(k.key, k.value).order_by(_ordered(uow, k.key))):
            yield str(row[0]), int(row[1])
    elif kind == "nomenclatures":
        from edmscore.registry.nomenclature import Nomenclature

        n = t.nomenclatures.c
        statement = sa.select(n.document, n.version).order_by(_ordered(uow, n.id))
        for row in _stream(uow, statement):
            yield decode_json(Nomenclature, row[0]), int(row[1])
    elif kind.startswith("outbox_"):
        yield from _export_outbox(uow, kind)
    elif kind == "archive":
        from edmscore.storage.sql._archive import export_archive

        yield from export_archive(uow, _stream)
    elif kind == "archive_transfers":
        from edmscore.storage.sql._archive_transfers import export_transfers

        yield from export_transfers(uow, _stream)
    elif kind == "audit":
        from edmscore.audit import AuditEvent

        a = t.audit.c
        for row in _stream(uow, sa.select(a.seq, a.document).order_by(a.seq)):
            yield int(row[0]), decode_json(AuditEvent, row[1])
    else:
        table, cls = _DOCUMENTS[kind]
        statement = sa.select(table.c.document).order_by(_ordered(uow, table.c.id))
        decoded = cls()
        for row in _stream(uow, statement):
            yield decode_json(decoded, row[0])


def _export_outbox(uow: SqlUnitOfWork, kind: str) -> Iterator[Any]:
    from edmscore.events import Event, Subscription

    o = t.outbox.c
    if kind == "outbox_events":
        for row in _stream(uow, sa.select(o.document).order_by(o.seq)):
            yield Event.from_primitive(loads(row[0]))
        return
    s, a = t.outbox_subscriptions.c, t.outbox_acks.c
    subscriptions: Any = uow.execute(
        sa.select(s.name, s.document).order_by(_ordered(uow, s.name))
    ).all()
    for name, document in subscriptions:
        acked = (
            uow.execute(
                sa.select(o.id)
                .join(t.outbox_acks, a.seq == o.seq)
                .where(a.subscription == name)
                .order_by(o.seq)
            )
            .scalars()
            .all()
        )
        yield Subscription.from_primitive(loads(document)), tuple(acked)


def export_card_primitives(uow: SqlUnitOfWork) -> Iterator[dict[str, Any]]:
    """Every card's canonical primitive form in id order, streamed (no card objects)."""
    c = t.cards.c
    for row in _stream(uow, sa.select(c.document).order_by(_ordered(uow, c.id))):
        try:
            yield canonical_card(loads(row[0]))
        except ValidationError as exc:
            raise StorageError(f"a stored card cannot be read back: {exc}") from exc


def stored_blobs(uow: SqlUnitOfWork) -> Iterator[str]:
    """Every stored file's hash, in order (the database's or the file store's)."""
    uow._check_open()
    store = uow._storage.blob_store
    if store is not None:
        return iter(sorted(store.stored()))
    b = t.blobs.c
    return (str(row[0]) for row in _stream(uow, sa.select(b.sha256).order_by(b.sha256)))


def import_records(uow: SqlUnitOfWork, kind: str, records: Iterable[Any]) -> int:
    """Store records as given, replacing those with the same key; the count stored."""
    uow._check_open()
    if kind not in _KNOWN:
        raise ValidationError("kind", f"unknown record kind {kind!r}")
    if kind == "cards":
        return _import_cards(uow, records)
    if kind == "audit":
        return _import_audit(uow, records)
    store = _STORES[kind]
    count = 0
    for record in records:
        store(uow, record)
        count += 1
    return count


# --- the batched paths ---------------------------------------------------------------------


def _copy_available(uow: SqlUnitOfWork) -> bool:
    if uow._sqlite or not uow._storage._driver_path:
        return False
    return uow._storage.engine.dialect.driver == "psycopg"


def _write_rows(uow: SqlUnitOfWork, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table``: COPY on PostgreSQL with psycopg, else ``executemany``."""
    if not rows:
        return
    if _copy_available(uow):
        columns = list(rows[0])
        conn = uow._connection()
        raw: Any = conn.connection.dbapi_connection
        names = ", ".join(f'"{name}"' for name in columns)
        try:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(tuple(row[name] for name in columns))
        except raw.Error as exc:
            raise _translated(uow, exc, f"COPY {table.name}", raw) from exc
        return
    uow.execute(sa.insert(table), rows)


def _translated(uow: SqlUnitOfWork, exc: Exception, sql: str, raw: Any) -> Exception:
    from edmscore.storage.sql._storage import _wrap

    return translate(_wrap(uow._storage.engine.dialect, exc, sql, raw, None))


def _existing(uow: SqlUnitOfWork, column: sa.Column[Any], keys: list[str]) -> set[str]:
    found = uow.execute(sa.select(column).where(column.in_(keys))).scalars()
    return {str(k) for k in found}


def _primitive(record: Any) -> Mapping[str, Any]:
    """A card in its canonical primitive form: given so, or encoded from the card."""
    if isinstance(record, Mapping):
        return record
    return card_to_primitive(record)


def _import_cards(uow: SqlUnitOfWork, records: Iterable[Any]) -> int:
    """Store cards in batches, each first optimistically, then carefully if a key clashed.

    A batch is written as if every card were new (the unique indexes are the check) inside a
    savepoint; on PostgreSQL its rows stream to ``COPY`` as they come, so the server stores them
    while the caller reads and checks the next ones. When a unique index refuses the batch (a
    card already stored, a number taken), it is rolled back to the savepoint and stored the
    careful way: stored cards replaced, a taken number a :class:`DuplicateNumber`.
    """
    count = 0
    iterator = (_primitive(record) for record in records)
    copy = _copy_available(uow)
    while True:
        batch: list[Mapping[str, Any]] = []
        _savepoint(uow, "SAVEPOINT edms_bulk")
        try:
            if copy:
                _copy_fresh(uow, iterator, batch)
            else:
                _insert_fresh(uow, iterator, batch)
        except UniqueViolation:
            _savepoint(uow, "ROLLBACK TO SAVEPOINT edms_bulk")
            _store_carefully(uow, batch)
        _savepoint(uow, "RELEASE SAVEPOINT edms_bulk")
        if not batch:
            return count
        count += len(batch)


def _savepoint(uow: SqlUnitOfWork, statement: str) -> None:
    try:
        uow._connection().exec_driver_sql(statement)
    except sa_exc.SQLAlchemyError as exc:
        raise translate(exc) from exc


def _side_rows(cards: list[Mapping[str, Any]]) -> dict[sa.Table, list[dict[str, Any]]]:
    side: dict[sa.Table, list[dict[str, Any]]] = {}
    for card in cards:
        for table, rows in primitive_side_rows(card).items():
            if rows:
                side.setdefault(table, []).extend(rows)
    return side


class _CardCopy:
    """``COPY edms_cards`` streamed row by row, ended whenever another statement needs the
    connection (the caller's iterator may read or write in the same unit of work) and opened
    again at the next row. A COPY that fails when ended so is rolled back to the batch's
    savepoint, so the statement that interrupted it runs, and its error is kept in ``failed``
    for the bulk path to act on (an error raised inside the caller's iterator would end it)."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow
        self.raw: Any = uow._connection().connection.dbapi_connection
        names = ", ".join(f'"{name}"' for name in CARD_COLUMNS)
        self.statement = f"COPY edms_cards ({names}) FROM STDIN"
        self.cursor: Any = None
        self.context: Any = None
        self.copy: Any = None
        self.failed: Exception | None = None

    def write(self, line: str) -> None:
        if self.copy is None:
            self.cursor = self.raw.cursor()
            self.context = self.cursor.copy(self.statement)
            self.copy = self.context.__enter__()
            self.uow._interrupt = self._interrupted
        self.copy.write(line)

    def end(self, error: BaseException | None = None) -> None:
        """End the COPY: store what was sent (or, given the ``error``, abandon it)."""
        context, cursor = self.context, self.cursor
        if context is None:
            return
        self.uow._interrupt = None
        self.context = self.copy = self.cursor = None
        try:
            if error is None:
                context.__exit__(None, None, None)
            else:
                context.__exit__(type(error), error, error.__traceback__)
        except self.raw.Error as exc:
            if error is None:
                raise _translated(self.uow, exc, "COPY edms_cards", self.raw) from exc
        finally:
            cursor.close()

    def _interrupted(self) -> None:
        try:
            self.end()
        except EdmsError as exc:
            self.failed = exc
            self.raw.cursor().execute("ROLLBACK TO SAVEPOINT edms_bulk")


def _copy_fresh(
    uow: SqlUnitOfWork, cards: Iterator[Mapping[str, Any]], batch: list[Mapping[str, Any]]
) -> None:
    """COPY the next batch of ``cards`` (collected in ``batch``) and their side rows; the rows
    stream to the server as the cards come."""
    copier = _CardCopy(uow)
    sided: list[Mapping[str, Any]] = []
    try:
        for card in islice(cards, _BATCH):
            batch.append(card)
            if has_side_rows(card):
                sided.append(card)
            if copier.failed is None:
                copier.write(primitive_copy_line(card))
    except BaseException as exc:
        copier.end(exc)
        raise
    copier.end()
    if copier.failed is not None:
        raise copier.failed
    for table, rows in _side_rows(sided).items():
        _write_rows(uow, table, rows)


def _insert_fresh(
    uow: SqlUnitOfWork, cards: Iterator[Mapping[str, Any]], batch: list[Mapping[str, Any]]
) -> None:
    """Insert the next batch of ``cards`` (collected in ``batch``) with ``executemany``."""
    batch.extend(islice(cards, _BATCH))
    _write_rows(uow, t.cards, [primitive_row(card) for card in batch])
    for table, rows in _side_rows(batch).items():
        _write_rows(uow, table, rows)
    if uow._sqlite and batch:
        uow.execute(
            sa.insert(_FTS),
            [{"card_id": card["id"], "words": fts_words(_fts_text(card))} for card in batch],
        )


def _store_carefully(uow: SqlUnitOfWork, batch: list[Mapping[str, Any]]) -> None:
    """Store ``batch`` checking each key: stored cards replaced, clashes typed errors."""
    stored = _existing(uow, t.cards.c.id, [card["id"] for card in batch])
    fresh = [card for card in batch if card["id"] not in stored]
    if len({c["id"] for c in fresh}) != len(fresh):
        seen: set[str] = set()
        for card in fresh:
            if card["id"] in seen:
                raise ConflictError("card", card["id"], 0, card["version"])
            seen.add(card["id"])
    _claim_numbers(uow, fresh)
    _insert_fresh(uow, iter(fresh), [])
    for card in batch:
        if card["id"] in stored:
            _replace_card(uow, card_from_primitive(card))


def _claim_numbers(uow: SqlUnitOfWork, cards: list[Mapping[str, Any]]) -> None:
    """DuplicateNumber for a number taken twice in the batch or by a stored card."""
    keys: dict[tuple[str, int, str], str] = {}
    for card in cards:
        reg = card["registration"]
        key = (reg["journal_id"], reg["period"], reg["number"])
        if key in keys:
            raise DuplicateNumber(*key)
        keys[key] = card["id"]
    if not keys:
        return
    c = t.cards.c
    groups: dict[tuple[str, int], list[str]] = {}
    for journal_id, period, number in keys:
        groups.setdefault((journal_id, period), []).append(number)
    for (journal_id, period), numbers in groups.items():  # on the unique index, per journal
        statement: Any
        if uow._sqlite:
            statement = (
                sa.select(c.number)
                .where(c.journal_id == journal_id, c.period == period, c.number.in_(numbers))
                .limit(1)
            )
        else:
            # One probe of the unique index per number. ``number IN (…) LIMIT 1`` lets the
            # planner walk the journal's whole period hoping for an early match, which on an
            # import that finds none costs every stored card of the period per batch.
            given = (
                sa.func.unnest(sa.literal(numbers, postgresql.ARRAY(sa.Text)))
                .table_valued("number")
                .render_derived()
            )
            probe = (
                sa.select(c.number)
                .where(c.journal_id == journal_id, c.period == period, c.number == given.c.number)
                .limit(1)
                .lateral("probe")
            )
            statement = sa.select(probe.c.number).select_from(given.join(probe, sa.true())).limit(1)
        taken = uow.execute(statement).scalar()
        if taken is not None:
            raise DuplicateNumber(journal_id, period, str(taken))


def _fts_text(card: Mapping[str, Any]) -> str:
    details = card["details"]
    return " ".join(
        (
            details["summary"],
            *(c["name"] for c in details["correspondents"]),
            *(c["name"] for c in details["addressees"]),
            *(f["text"] for f in details["files"] if f.get("text")),
        )
    )


def _replace_card(uow: SqlUnitOfWork, card: Any) -> None:
    current = uow.cards.get(card.id)
    uow.cards.update(card, current.version)
    c = t.cards.c
    uow.execute(
        sa.update(t.cards)
        .where(c.id == card.id)
        .values(version=card.version, document=card_to_json(card))
    )


def _import_audit(uow: SqlUnitOfWork, records: Iterable[Any]) -> int:
    count = 0
    iterator = iter(records)
    while batch := list(islice(iterator, _BATCH)):
        rows = [{"entity_id": e.entity_id, "document": audit_to_json(e)} for _, e in batch]
        _write_rows(uow, t.audit, rows)
        count += len(batch)
    return count


# --- one record at a time ------------------------------------------------------------------


def _pin(uow: SqlUnitOfWork, table: sa.Table, record: Any) -> None:
    uow.execute(
        sa.update(table)
        .where(table.c.id == record.id)
        .values(version=record.version, document=dumps(encode(record)))
    )


def _put(name: str) -> Callable[[SqlUnitOfWork, Any], None]:
    def store(uow: SqlUnitOfWork, record: Any) -> None:
        getattr(uow.directory, f"put_{name}")(record)

    return store


def _journal(uow: SqlUnitOfWork, record: Any) -> None:
    j = t.journals.c
    if uow.select_by_key(j.id, j.id, record.id) is None:
        uow.journals.add(record)
    else:  # journals do not change; a replaced one is written as it came
        uow.execute(
            sa.update(t.journals).where(j.id == record.id).values(document=dumps(encode(record)))
        )


def _counter(uow: SqlUnitOfWork, record: tuple[str, int]) -> None:
    key, value = record
    k = t.counters.c
    uow.execute(sa.delete(t.counters).where(k.key == key))
    uow.execute(sa.insert(t.counters).values(key=key, value=value))


def _nomenclature(uow: SqlUnitOfWork, record: tuple[Any, int]) -> None:
    nomenclature, version = record
    n = t.nomenclatures.c
    stored = uow.select_by_key(n.version, n.id, nomenclature.id)
    if stored is None:
        uow.nomenclatures.add(nomenclature)
    else:
        uow.nomenclatures.update(nomenclature, int(stored))
    uow.execute(sa.update(t.nomenclatures).where(n.id == nomenclature.id).values(version=version))


def _versioned(kind: str) -> Callable[[SqlUnitOfWork, Any], None]:
    def store(uow: SqlUnitOfWork, record: Any) -> None:
        table, _ = _DOCUMENTS[kind]
        repo = getattr(uow, kind)
        stored = uow.select_by_key(table.c.version, table.c.id, record.id)
        if stored is None:
            repo.add(attrs.evolve(record, version=1))
        elif hasattr(repo, "update"):
            repo.update(record, int(stored))
        _pin(uow, table, record)

    return store


def _replaced(kind: str) -> Callable[[SqlUnitOfWork, Any], None]:
    def store(uow: SqlUnitOfWork, record: Any) -> None:
        getattr(uow, kind).put(record)

    return store


def _outbox_event(uow: SqlUnitOfWork, record: Any) -> None:
    """Events never change: one already stored (by id or dedupe key) stays as it is."""
    uow.outbox.append([record])


def _outbox_subscription(uow: SqlUnitOfWork, record: tuple[Any, tuple[str, ...]]) -> None:
    uow.outbox.subscribe(record[0])
    uow.outbox.acknowledge(record[0].name, record[1])


def _signature_record(uow: SqlUnitOfWork, record: Any) -> None:
    """Signature records are append-only: a record is stored as given under its id."""
    r = t.signature_records.c
    uow.execute(sa.delete(t.signature_records).where(r.id == record.id))
    uow.signature_records.add(record)


def _archive_transfer(uow: SqlUnitOfWork, record: Any) -> None:
    """An acceptance act is stored as given, its version kept."""
    from edmscore.storage.sql._archive_transfers import import_transfer

    import_transfer(uow, record)


def _archive_record(uow: SqlUnitOfWork, record: Any) -> None:
    """An archive record is stored as given, its version kept."""
    from edmscore.storage.sql._archive import import_archive_record

    import_archive_record(uow, record)


_STORES: dict[str, Callable[[SqlUnitOfWork, Any], None]] = {
    "organisations": _put("organisation"),
    "departments": _put("department"),
    "officials": _put("official"),
    "users": _put("user"),
    "journals": _journal,
    "counters": _counter,
    "nomenclatures": _nomenclature,
    "resolutions": _versioned("resolutions"),
    "assignments": _versioned("assignments"),
    "drafts": _versioned("drafts"),
    "route_templates": _replaced("route_templates"),
    "substitutions": _replaced("substitutions"),
    "resolution_drafts": _versioned("resolution_drafts"),
    "acquaintances": _versioned("acquaintances"),
    "appeals": _versioned("appeals"),
    "dispatches": _versioned("dispatches"),
    "signature_records": _signature_record,
    "outbox_events": _outbox_event,
    "outbox_subscriptions": _outbox_subscription,
    "archive": _archive_record,
    "archive_transfers": _archive_transfer,
}
