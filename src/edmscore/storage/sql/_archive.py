"""The archive (:mod:`edmscore.archive`) in the SQL adapter.

Case files, inventories and destruction acts are rows of one table, ``edms_archive``: the kind
and id as the key, the organisation, year and state the listings filter on (one index), the
version the optimistic check compares, and the whole record as a document. The documents filed
into cases are read from ``edms_cards`` in one statement, the fields a case file needs extracted
from the card's document by the database (``jsonb`` on PostgreSQL, ``json_extract`` on SQLite).
"""

from __future__ import annotations

import hashlib
import json
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pendulum
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from edmscore.errors import NotFound, StorageError
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._codec import decode, decode_json, dumps, encode

if TYPE_CHECKING:
    from edmscore.archive import CaseFile, CaseState, DestructionAct, FiledDocument, Inventory
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = [
    "SqlArchive",
    "archive_records",
    "create_archive_tables",
    "export_archive",
    "import_archive_record",
]

R = TypeVar("R")

#: Keys per ``IN (…)`` list and rows per batched statement.
_CHUNK = 500

archive_records = sa.Table(
    "edms_archive",
    t.metadata,
    # case_file, inventory or act
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("organisation_id", sa.String(64), nullable=False),
    # A case file's nomenclature year (0 for inventories and acts) and state.
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("edms_archive_listing_ix", "organisation_id", "kind", "year", "state"),
)


def create_archive_tables(conn: sa.Connection) -> None:
    """Schema 6 step: the archive's table (created if missing)."""
    archive_records.create(conn, checkfirst=True)


class _Memo:
    """What encoding and decoding archive records can reuse, shared by every storage.

    Decoding is a pure function of the stored text, so a record is kept under a digest of its
    text and kind: one read again, or just written (the adapter keeps what it wrote), is not
    decoded again. A case file's documents, checked once and kept through its state changes,
    keep their encoded rows. Both are bounded by the documents they hold, oldest dropped first.
    """

    def __init__(self, documents: int) -> None:
        self._limit = documents
        self._lock = threading.Lock()
        self._records: OrderedDict[bytes, tuple[Any, int]] = OrderedDict()
        self._held = 0
        self._rows: OrderedDict[int, tuple[Sequence[FiledDocument], str]] = OrderedDict()
        self._rows_held = 0

    @staticmethod
    def key(kind: str, text: str) -> bytes:
        """The digest a record's text is kept under."""
        return hashlib.blake2b(f"{kind}\n{text}".encode(), digest_size=32).digest()

    @staticmethod
    def _weight(record: Any) -> int:
        return 1 + len(getattr(record, "documents", ()))

    def record(self, key: bytes) -> Any | None:
        """The record decoded from the text with this key, if kept."""
        with self._lock:
            found = self._records.get(key)
            if found is None:
                return None
            self._records.move_to_end(key)
            return found[0]

    def keep(self, key: bytes, record: Any) -> None:
        """Keep ``record`` as what the text with this key decodes to."""
        weight = self._weight(record)
        with self._lock:
            if key in self._records:
                return
            self._records[key] = (record, weight)
            self._held += weight
            while self._held > self._limit and self._records:
                _, (_, dropped) = self._records.popitem(last=False)
                self._held -= dropped

    def rows(self, documents: Sequence[FiledDocument]) -> str:
        """The documents' compact rows as JSON text (kept per documents object)."""
        with self._lock:
            found = self._rows.get(id(documents))
            if found is not None and found[0] is documents:
                self._rows.move_to_end(id(documents))
                return found[1]
        text = dumps(
            [[d.card_id, d.number, d.date.isoformat(), d.title, d.sheets, d.on_control]
             for d in documents]
        )  # fmt: skip
        with self._lock:
            self._rows[id(documents)] = (documents, text)
            self._rows_held += 1 + len(documents)
            while self._rows_held > self._limit and self._rows:
                _, (dropped, _) = self._rows.popitem(last=False)
                self._rows_held -= 1 + len(dropped)
        return text

    def clear(self) -> None:
        """Forget everything (tests that read back what the database holds)."""
        with self._lock:
            self._records.clear()
            self._rows.clear()
            self._held = self._rows_held = 0


#: Up to about 400,000 documents' worth of records and of encoded rows.
_MEMO = _Memo(400_000)


def _encode_record(record: Any) -> str:
    """The record as JSON text; a case file's documents as compact rows (thousands per case)."""
    from edmscore.archive import CaseFile

    if not isinstance(record, CaseFile):
        return dumps(encode(record))
    head = dumps(encode(attrs.evolve(record, documents=())))
    rows = _MEMO.rows(record.documents)
    for mark in (',"documents":[]', '{"documents":[]'):  # a key: a string's quotes are escaped
        at = head.find(mark)
        if at >= 0:
            return f"{head[:at]}{mark[:-2]}{rows}{head[at + len(mark) :]}"
    raise StorageError("a case file encodes without its documents")  # pragma: no cover


def _decode_record(kind: str, text: str) -> Any:
    """A record from :func:`_encode_record` text (decoded once per distinct text)."""
    key = _MEMO.key(kind, text)
    found = _MEMO.record(key)
    if found is None:
        found = _decode_text(kind, text)
        _MEMO.keep(key, found)
    return found


def _decode_text(kind: str, text: str) -> Any:
    from edmscore.archive import CaseFile

    cls = _classes()[kind]
    if cls is not CaseFile:
        return decode_json(cls, text)
    try:
        data = json.loads(text)
        rows = data.pop("documents")
        data["documents"] = []
        case = decode(CaseFile, data)
        documents = _documents_of(rows)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise StorageError(f"a stored case file cannot be read back: {exc}") from exc
    return attrs.evolve(case, documents=documents)


def _documents_of(rows: list[list[Any]]) -> list[FiledDocument]:
    """Documents from their compact rows (each date parsed once per call)."""
    from edmscore.archive import FiledDocument

    dates: dict[str, pendulum.Date] = {}
    documents = []
    for card_id, number, day, title, sheets, on_control in rows:
        date = dates.get(day)
        if date is None:
            date = dates[day] = pendulum.Date.fromisoformat(day)
        documents.append(FiledDocument(card_id, number, date, title, sheets, bool(on_control)))
    return documents


#: Filing order (``FiledDocument.order``), read in C.
_FILING_ORDER = operator.attrgetter("date", "number", "card_id")

# The registered cards filed into the cases, one row each: case, card, number, the document's
# date (its own or the registration's), title, sheets, enclosures (when there are any) and control.
# The card's JSON is parsed once per card (the lateral subquery); the enclosures' sheets are summed
# by the caller, so that no correlated subquery keeps PostgreSQL from sharing the scan among its
# parallel workers.
_PG_DOCUMENTS = """
SELECT c.case_id, c.id, c.number,
    coalesce(x.d ->> 'document_date', to_char(c.reg_date, 'YYYY-MM-DD')),
    x.d ->> 'summary', x.d ->> 'sheets', nullif(x.d -> 'enclosures', '[]'::jsonb)::text,
    c.on_control
FROM edms_cards AS c
CROSS JOIN LATERAL (SELECT c.document::jsonb -> 'details' AS d OFFSET 0) AS x
WHERE c.organisation_id = :org AND c.status = 'registered' AND c.case_id = ANY(:ids)
"""
_SQLITE_DOCUMENTS = """
SELECT c.case_id, c.id, c.number,
    coalesce(json_extract(c.document, '$.details.document_date'), c.reg_date),
    json_extract(c.document, '$.details.summary'),
    json_extract(c.document, '$.details.sheets'),
    nullif(json_extract(c.document, '$.details.enclosures'), '[]'),
    c.on_control
FROM edms_cards AS c
WHERE c.organisation_id = :org AND c.status = 'registered' AND c.case_id IN :ids
"""


def _classes() -> dict[str, Any]:
    from edmscore.archive import CaseFile, DestructionAct, Inventory

    return {"case_file": CaseFile, "inventory": Inventory, "act": DestructionAct}


def _meta(record: Any) -> tuple[str, str, int, str]:
    """Kind, id, year and state columns of a record."""
    from edmscore.archive import CaseFile, DestructionAct, Inventory

    if isinstance(record, CaseFile):
        return "case_file", record.case_id, record.year, record.state.value
    if isinstance(record, Inventory):
        return "inventory", record.id, 0, "approved" if record.is_approved else "draft"
    if isinstance(record, DestructionAct):
        return "act", record.id, record.act_year, record.state.value
    raise StorageError(f"not an archive record: {type(record).__name__}")


def _values(row: Any) -> tuple[Any, ...]:
    """A result row as a plain tuple."""
    return tuple(row)


def _row(case: CaseFile) -> dict[str, Any]:
    """The ``edms_archive`` row of a case file."""
    return {
        "kind": "case_file",
        "id": case.case_id,
        "organisation_id": case.organisation_id,
        "year": case.year,
        "state": case.state.value,
        "version": case.version,
        "document": _encode_record(case),
    }


def export_archive(uow: SqlUnitOfWork, stream: Callable[..., Iterator[Any]]) -> Iterator[Any]:
    """Every archive record, by kind then id (the bulk port's export)."""
    a = archive_records.c
    order = [a.kind, a.id] if uow._sqlite else [a.kind.collate("C"), a.id.collate("C")]
    statement = sa.select(a.kind, a.document).order_by(*order)
    for kind, document in stream(uow, statement):
        yield _decode_record(kind, document)  # a case file's documents are compact rows


def import_archive_record(uow: SqlUnitOfWork, record: Any) -> None:
    """Store an archive record as given, its version kept, replacing one with its key."""
    kind, key, year, state = _meta(record)
    a = archive_records.c
    uow.execute(sa.delete(archive_records).where(a.kind == kind, a.id == key))
    uow.execute(
        sa.insert(archive_records).values(
            kind=kind,
            id=key,
            organisation_id=record.organisation_id,
            year=year,
            state=state,
            version=record.version,
            document=_encode_record(record),
        )
    )


class SqlArchive:
    """Case files, inventories and destruction acts in ``edms_archive``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    # --- generic versioned records -------------------------------------------------------------

    def _get(self, kind: str, record_id: str) -> Any | None:
        a = archive_records.c
        document = self._uow.execute(
            sa.select(a.document).where(a.kind == kind, a.id == record_id)
        ).scalar_one_or_none()
        return None if document is None else _decode_record(kind, document)

    def _put(self, kind: str, record: Any, key: str, year: int, state: str, expected: int) -> Any:
        from edmscore.archive._records import next_version

        a = archive_records.c
        stored = self._uow.execute(
            sa.select(a.version).where(a.kind == kind, a.id == key)
        ).scalar_one_or_none()
        new = next_version(record, stored, expected)
        values = {
            "organisation_id": new.organisation_id,
            "year": year,
            "state": state,
            "version": new.version,
            "document": _encode_record(new),
        }
        if stored is None:
            if not self._uow.insert_ignoring_conflicts(
                archive_records, {"kind": kind, "id": key, **values}
            ):
                next_version(record, 1, expected)  # taken concurrently: a ConflictError
        else:
            changed = self._uow.execute(
                sa.update(archive_records)
                .where(a.kind == kind, a.id == key, a.version == expected)
                .values(**values)
            ).rowcount
            if changed != 1:
                next_version(record, expected + 1, expected)  # changed concurrently
        _MEMO.keep(_MEMO.key(kind, values["document"]), new)
        return new

    def _list(self, kind: str, organisation_id: str, *conditions: Any) -> list[Any]:
        a = archive_records.c
        statement = (
            sa.select(a.document)
            .where(a.kind == kind, a.organisation_id == organisation_id, *conditions)
            .order_by(a.id)
        )
        return [_decode_record(kind, d) for d in self._uow.execute(statement).scalars()]

    # --- case files ----------------------------------------------------------------------------

    def case_file(self, case_id: str) -> CaseFile:
        """The case file, or NotFound."""
        found = self.find_case_file(case_id)
        if found is None:
            raise NotFound("case file", case_id)
        return found

    def find_case_file(self, case_id: str) -> CaseFile | None:
        """The case file, if any."""
        found: CaseFile | None = self._get("case_file", case_id)
        return found

    def put_case_file(self, case_file: CaseFile, expected_version: int) -> CaseFile:
        """Store a new (0) or changed case file."""
        new: CaseFile = self._put(
            "case_file",
            case_file,
            case_file.case_id,
            case_file.year,
            case_file.state.value,
            expected_version,
        )
        return new

    def find_case_files(self, case_ids: Collection[str]) -> Mapping[str, CaseFile]:
        """The stored case files of ``case_ids``, by case id (one statement per 500 ids)."""
        a = archive_records.c
        wanted = list(dict.fromkeys(case_ids))
        found: dict[str, CaseFile] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            statement = sa.select(a.id, a.document).where(a.kind == "case_file", a.id.in_(chunk))
            for row in self._uow.execute(statement):
                key, document = _values(row)
                found[key] = _decode_record("case_file", document)
        return {k: found[k] for k in wanted if k in found}

    def put_case_files(self, changes: Sequence[tuple[CaseFile, int]]) -> Sequence[CaseFile]:
        """Store several case files over their expected versions: the stored versions read in
        one statement per 500 cases, the new ones inserted and the changed ones updated in
        batches (``executemany``), each update still conditioned on its expected version."""
        from edmscore.archive._records import batch_of, next_version

        checked = batch_of(changes)
        a = archive_records.c
        keys = [case.case_id for case, _ in checked]
        stored: dict[str, int] = {}
        for start in range(0, len(keys), _CHUNK):
            statement = sa.select(a.id, a.version).where(
                a.kind == "case_file", a.id.in_(keys[start : start + _CHUNK])
            )
            for row in self._uow.execute(statement):
                key, version = _values(row)
                stored[key] = version
        new = [next_version(case, stored.get(case.case_id), expected) for case, expected in checked]
        rows = [_row(case) for case in new]
        inserts = [row for row in rows if row["id"] not in stored]
        updates = [
            {**{f"b_{k}": v for k, v in row.items()}, "b_expected": row["version"] - 1}
            for row in rows
            if row["id"] in stored
        ]
        if inserts:
            self._insert_new(inserts, checked)
        if updates:
            update = (
                sa.update(archive_records)
                .where(
                    a.kind == sa.bindparam("b_kind"),
                    a.id == sa.bindparam("b_id"),
                    a.version == sa.bindparam("b_expected"),
                )
                .values(
                    organisation_id=sa.bindparam("b_organisation_id"),
                    year=sa.bindparam("b_year"),
                    state=sa.bindparam("b_state"),
                    version=sa.bindparam("b_version"),
                    document=sa.bindparam("b_document"),
                )
            )
            changed = 0
            for start in range(0, len(updates), _CHUNK):
                changed += self._uow.execute(update, updates[start : start + _CHUNK]).rowcount
            if changed != len(updates):
                self._raise_changed(checked, [r for r in rows if r["id"] in stored])
        for case, written in zip(new, rows, strict=True):  # what each text decodes to: kept
            _MEMO.keep(_MEMO.key("case_file", written["document"]), case)
        return new

    def _insert_new(self, rows: list[dict[str, Any]], checked: list[tuple[CaseFile, int]]) -> None:
        """Insert new case files; a key taken meanwhile by another transaction conflicts."""
        a = archive_records.c
        statement = self._uow._insert(archive_records).on_conflict_do_nothing().returning(a.id)
        inserted = 0
        for start in range(0, len(rows), _CHUNK):
            inserted += len(self._uow.execute(statement, rows[start : start + _CHUNK]).all())
        if inserted != len(rows):
            self._raise_changed(checked, rows)

    def _raise_changed(
        self, checked: list[tuple[CaseFile, int]], rows: list[dict[str, Any]]
    ) -> None:
        """The ConflictError of the first case not stored as this batch wrote it (another
        transaction wrote it between our read and our write)."""
        from edmscore.archive._records import next_version

        a = archive_records.c
        ours = {row["id"]: (row["version"], row["document"]) for row in rows}
        keys = list(ours)
        current: dict[str, tuple[int, str]] = {}
        for start in range(0, len(keys), _CHUNK):
            statement = sa.select(a.id, a.version, a.document).where(
                a.kind == "case_file", a.id.in_(keys[start : start + _CHUNK])
            )
            for row in self._uow.execute(statement):
                key, version, document = _values(row)
                current[key] = (version, document)
        for case, expected in checked:
            if case.case_id in ours and current.get(case.case_id) != ours[case.case_id]:
                found = current.get(case.case_id)
                next_version(case, expected + 1 if found is None else found[0], expected)
        next_version(checked[0][0], checked[0][1] + 1, checked[0][1])

    def case_files(
        self,
        organisation_id: str,
        *,
        years: Collection[int] | None = None,
        states: Collection[CaseState] | None = None,
    ) -> Sequence[CaseFile]:
        """The organisation's case files of ``years`` in ``states``."""
        from edmscore.archive._records import case_order

        a = archive_records.c
        conditions = []
        if years is not None:
            conditions.append(a.year.in_(sorted(set(years))))
        if states is not None:
            conditions.append(a.state.in_(sorted({s.value for s in states})))
        found: list[CaseFile] = self._list("case_file", organisation_id, *conditions)
        return sorted(found, key=case_order)

    # --- inventories and acts ------------------------------------------------------------------

    def inventory(self, inventory_id: str) -> Inventory:
        """The inventory, or NotFound."""
        found: Inventory | None = self._get("inventory", inventory_id)
        if found is None:
            raise NotFound("inventory", inventory_id)
        return found

    def put_inventory(self, inventory: Inventory, expected_version: int) -> Inventory:
        """Store a new (0) or changed inventory."""
        state = "approved" if inventory.is_approved else "draft"
        new: Inventory = self._put("inventory", inventory, inventory.id, 0, state, expected_version)
        return new

    def inventories(self, organisation_id: str) -> Sequence[Inventory]:
        """The organisation's inventories, by id."""
        found: list[Inventory] = self._list("inventory", organisation_id)
        return found

    def act(self, act_id: str) -> DestructionAct:
        """The act, or NotFound."""
        found: DestructionAct | None = self._get("act", act_id)
        if found is None:
            raise NotFound("destruction act", act_id)
        return found

    def put_act(self, act: DestructionAct, expected_version: int) -> DestructionAct:
        """Store a new (0) or changed act."""
        new: DestructionAct = self._put(
            "act", act, act.id, act.act_year, act.state.value, expected_version
        )
        return new

    def acts(self, organisation_id: str) -> Sequence[DestructionAct]:
        """The organisation's acts, by id."""
        found: list[DestructionAct] = self._list("act", organisation_id)
        return found

    # --- documents filed into cases ------------------------------------------------------------

    def _documents_statement(self) -> tuple[Any, int]:
        """The statement reading the filed cards (see ``_PG_DOCUMENTS``) and how many case ids
        it takes at once: PostgreSQL takes them all as one array (one scan, which the database
        may share among parallel workers), SQLite a list of up to 500."""
        if self._uow._storage.dialect == "postgresql":
            ids = sa.bindparam("ids", type_=postgresql.ARRAY(sa.Text))
            return sa.text(_PG_DOCUMENTS).bindparams(ids), 0
        return sa.text(_SQLITE_DOCUMENTS).bindparams(sa.bindparam("ids", expanding=True)), _CHUNK

    def cases_under_control(
        self, organisation_id: str, case_ids: Collection[str]
    ) -> frozenset[str]:
        """Which of ``case_ids`` have a registered card under open control: one statement on
        PostgreSQL (the ids as one array), lists of 500 ids on SQLite."""
        wanted = sorted(set(case_ids))
        c = t.cards.c
        found: set[str] = set()
        postgres = self._uow._storage.dialect == "postgresql"
        step = (len(wanted) or 1) if postgres else _CHUNK
        for start in range(0, len(wanted), step):
            chunk = wanted[start : start + step]
            among = (
                c.case_id == sa.func.any(sa.literal(chunk, postgresql.ARRAY(sa.Text)))
                if postgres
                else c.case_id.in_(chunk)
            )
            statement = (
                sa.select(c.case_id)
                .where(
                    c.organisation_id == organisation_id,
                    c.status == "registered",
                    c.on_control.is_(True),
                    among,
                )
                .distinct()
            )
            found.update(self._uow.execute(statement).scalars())
        return frozenset(found)

    def filed_documents(
        self, organisation_id: str, case_ids: Collection[str]
    ) -> Mapping[str, Sequence[FiledDocument]]:
        """The registered cards filed into ``case_ids``, by case id, in filing order."""
        from edmscore.archive import FiledDocument

        wanted = sorted(set(case_ids))
        found: dict[str, list[FiledDocument]] = {case_id: [] for case_id in wanted}
        statement, chunk = self._documents_statement()
        dates: dict[str, pendulum.Date] = {}
        for start in range(0, len(wanted), chunk or len(wanted) or 1):
            ids = wanted[start : start + chunk] if chunk else wanted
            rows = self._uow.execute(statement, {"org": organisation_id, "ids": ids}).all()
            for row in rows:
                case_id, card_id, number, day, title, sheets, enclosures, on_control = _values(row)
                try:
                    date = dates.get(day)
                    if date is None:
                        date = dates[day] = pendulum.Date.fromisoformat(day)
                    extra = 0
                    if enclosures:
                        extra = sum(int(e.get("sheets", 0)) for e in json.loads(enclosures))
                    document = FiledDocument(
                        card_id, number, date, title, max(int(sheets or 0) + extra, 1),
                        bool(on_control),
                    )  # fmt: skip
                except (ValueError, TypeError, AttributeError) as exc:
                    raise StorageError(f"card {card_id} cannot be read as a document") from exc
                found[case_id].append(document)
        return {k: sorted(v, key=_FILING_ORDER) for k, v in found.items()}
