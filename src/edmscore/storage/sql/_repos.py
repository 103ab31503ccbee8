"""Journals, counters, nomenclatures, the directory and the audit log of the SQL adapter."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from edmscore.audit import AuditEvent
from edmscore.directory import Department, Official, Organisation, User
from edmscore.errors import ConflictError, NotFound, StateError, ValidationError
from edmscore.records.codec import audit_to_json, decode, decode_json, dumps, encode, loads
from edmscore.registry import Journal
from edmscore.storage.sql import _schema as t

if TYPE_CHECKING:
    from edmscore.registry.nomenclature import Case, Nomenclature
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = ["SqlAudit", "SqlDirectory", "SqlJournals", "SqlNomenclatures", "SqlNumbers"]


class _Repo:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _document(self, table: sa.Table, cls: type[Any], key: str) -> Any:
        """The row's document decoded as ``cls``, or None."""
        document = self._uow.select_by_key(table.c.document, table.c.id, key)
        return None if document is None else decode_json(cls, document)

    def _documents(self, cls: type[Any], statement: sa.Select[Any]) -> list[Any]:
        return [decode_json(cls, d) for d in self._uow.execute(statement).scalars()]

    def _put(self, table: sa.Table, row: dict[str, Any]) -> None:
        """Insert or replace a row by its id."""
        key = row["id"]
        values = {k: v for k, v in row.items() if k != "id"}
        changed = self._uow.execute(
            sa.update(table).where(table.c.id == key).values(**values)
        ).rowcount
        if changed == 0:
            self._uow.execute(sa.insert(table).values(**row))


class SqlJournals(_Repo):
    """Journals in ``edms_journals``."""

    # A stored journal never changes and is never deleted (the port has neither path), so the
    # storage remembers the journals its units of work read or added, once they commit.

    def get(self, journal_id: str) -> Journal:
        """The journal, or NotFound."""
        cached = self._uow.known_journal(journal_id)
        if cached is not None:
            return cached
        journal: Journal | None = self._document(t.journals, Journal, journal_id)
        if journal is None:
            raise NotFound("journal", journal_id)
        self._uow.remember_journal(journal)
        return journal

    def add(self, journal: Journal) -> None:
        """Store a new journal; ConflictError if the id is taken."""
        row = {"id": journal.id, "organisation_id": journal.organisation_id}
        row["document"] = dumps(encode(journal))
        if not self._uow.insert_ignoring_conflicts(t.journals, row):
            raise ConflictError("journal", journal.id, 0, 1)
        self._uow.remember_journal(journal)

    def list(self, organisation_id: str) -> Sequence[Journal]:
        """The organisation's journals, by code."""
        found: list[Journal] = self._documents(
            Journal,
            sa.select(t.journals.c.document).where(t.journals.c.organisation_id == organisation_id),
        )
        return sorted(found, key=lambda j: j.code)


class SqlNumbers(_Repo):
    """Counters in ``edms_counters``: one row per key, changed inside the unit of work.

    The upsert takes the row's lock until the transaction ends, so concurrent registrations on
    one counter queue up, and a rollback gives the value back: numbers stay gapless.
    """

    def next(self, counter_key: str) -> int:
        """Allocate the next value (1 for a new counter)."""
        return self._uow.increment(counter_key)

    def current(self, counter_key: str) -> int:
        """The last value allocated (0 for a new counter)."""
        value = self._uow.select_by_key(t.counters.c.value, t.counters.c.key, counter_key)
        return int(value or 0)


def _nomenclature_class() -> type[Nomenclature]:
    try:
        from edmscore.registry.nomenclature import Nomenclature
    except ImportError as exc:  # pragma: no cover - until the nomenclature module lands
        raise StateError("this edmscore has no nomenclature model") from exc
    return Nomenclature


#: Nomenclatures decoded from their stored text, by a digest of it (decoding is a pure function
#: of the text; a nomenclature of thousands of cases takes a second to decode, and the year end
#: reads one, then ``update`` reads it again to check the change).
_NOMENCLATURES: OrderedDict[bytes, Nomenclature] = OrderedDict()
_NOMENCLATURES_LOCK = threading.Lock()


def _decoded_nomenclature(text: str) -> Nomenclature:
    key = hashlib.blake2b(text.encode(), digest_size=32).digest()
    with _NOMENCLATURES_LOCK:
        found = _NOMENCLATURES.get(key)
        if found is not None:
            _NOMENCLATURES.move_to_end(key)
            return found
    decoded: Nomenclature = decode_json(_nomenclature_class(), text)
    with _NOMENCLATURES_LOCK:
        _NOMENCLATURES[key] = decoded
        while len(_NOMENCLATURES) > 32:
            _NOMENCLATURES.popitem(last=False)
    return decoded


class SqlNomenclatures(_Repo):
    """Nomenclatures in ``edms_nomenclatures``; cases indexed in ``edms_nomenclature_cases``."""

    def _read(self, row: Any) -> tuple[Nomenclature, int]:
        return _decoded_nomenclature(row.document), int(row.version)

    def get(self, nomenclature_id: str) -> tuple[Nomenclature, int]:
        """The nomenclature and its version, or NotFound."""
        n = t.nomenclatures.c
        row = self._uow.execute(
            sa.select(n.document, n.version).where(n.id == nomenclature_id)
        ).first()
        if row is None:
            raise NotFound("nomenclature", nomenclature_id)
        return self._read(row)

    def find(self, organisation_id: str, year: int) -> tuple[Nomenclature, int] | None:
        """The organisation's nomenclature for the year, if any."""
        n = t.nomenclatures.c
        row = self._uow.execute(
            sa.select(n.document, n.version).where(
                n.organisation_id == organisation_id, n.year == year
            )
        ).first()
        return None if row is None else self._read(row)

    def _index_cases(self, nomenclature: Nomenclature) -> None:
        ids = [case.id for case in nomenclature.cases]
        found: Sequence[Any] = self._uow.execute(
            sa.select(t.nomenclature_cases.c.case_id, t.nomenclature_cases.c.nomenclature_id).where(
                t.nomenclature_cases.c.case_id.in_(ids)
            )
        ).all()
        owners: dict[str, str] = {str(row[0]): str(row[1]) for row in found}
        for case_id in ids:
            owner = owners.get(case_id)
            if owner is not None and owner != nomenclature.id:
                raise ConflictError("case", case_id, 0, 1)
        new = [
            {"case_id": case_id, "nomenclature_id": nomenclature.id}
            for case_id in ids
            if case_id not in owners
        ]
        if new:
            self._uow.execute(sa.insert(t.nomenclature_cases), new)

    def add(self, nomenclature: Nomenclature) -> None:
        """Store a new nomenclature (version 1); one per organisation and year."""
        n = t.nomenclatures.c
        if self._uow.scalar(sa.select(n.id).where(n.id == nomenclature.id)) is not None:
            raise ConflictError("nomenclature", nomenclature.id, 0, 1)
        key = (nomenclature.organisation_id, nomenclature.year)
        if self.find(*key) is not None:
            raise StateError(f"organisation {key[0]!r} already has a nomenclature for {key[1]}")
        self._index_cases(nomenclature)
        self._uow.execute(
            sa.insert(t.nomenclatures).values(
                id=nomenclature.id,
                organisation_id=nomenclature.organisation_id,
                year=nomenclature.year,
                version=1,
                document=dumps(encode(nomenclature)),
            )
        )

    def update(self, nomenclature: Nomenclature, expected_version: int) -> int:
        """Store a changed nomenclature at ``expected_version``; return the new version."""
        stored, version = self.get(nomenclature.id)
        if version != expected_version:
            raise ConflictError("nomenclature", nomenclature.id, expected_version, version)
        if (stored.organisation_id, stored.year) != (
            nomenclature.organisation_id,
            nomenclature.year,
        ):
            raise ValidationError("nomenclature", "organisation and year cannot change")
        removed = {c.id for c in stored.cases} - {c.id for c in nomenclature.cases}
        if removed:
            raise ValidationError("cases", f"cases cannot be removed: {sorted(removed)}")
        self._index_cases(nomenclature)
        n = t.nomenclatures.c
        changed = self._uow.execute(
            sa.update(t.nomenclatures)
            .where(n.id == nomenclature.id, n.version == expected_version)
            .values(version=version + 1, document=dumps(encode(nomenclature)))
        ).rowcount
        if changed != 1:
            _, actual = self.get(nomenclature.id)
            raise ConflictError("nomenclature", nomenclature.id, expected_version, actual)
        return version + 1

    def find_case(self, case_id: str) -> tuple[Nomenclature, Case]:
        """The case with its nomenclature, or NotFound."""
        owner = self._uow.scalar(
            sa.select(t.nomenclature_cases.c.nomenclature_id).where(
                t.nomenclature_cases.c.case_id == case_id
            )
        )
        if owner is None:
            raise NotFound("case", case_id)
        nomenclature, _ = self.get(str(owner))
        return nomenclature, nomenclature.case_by_id(case_id)


class SqlDirectory(_Repo):
    """Organisations, departments, officials and users, one document per row."""

    def _get(self, table: sa.Table, cls: type[Any], what: str, key: str) -> Any:
        found = self._document(table, cls, key)
        if found is None:
            raise NotFound(what, key)
        return found

    def put_organisation(self, organisation: Organisation) -> None:
        """Add or replace an organisation."""
        medo = organisation.medo_id.casefold() if organisation.medo_id is not None else None
        self._put(
            t.organisations,
            {"id": organisation.id, "medo_key": medo, "document": dumps(encode(organisation))},
        )

    def organisation(self, organisation_id: str) -> Organisation:
        """The organisation, or NotFound."""
        result: Organisation = self._get(
            t.organisations, Organisation, "organisation", organisation_id
        )
        return result

    def organisation_by_medo_id(self, medo_id: str) -> Organisation | None:
        """The organisation with this MEDO id (case-insensitive), if any."""
        found: list[Organisation] = self._documents(
            Organisation,
            sa.select(t.organisations.c.document)
            .where(t.organisations.c.medo_key == medo_id.casefold())
            .order_by(t.organisations.c.id),
        )
        return found[0] if found else None

    def organisations(self) -> Sequence[Organisation]:
        """Every organisation, by name."""
        found: list[Organisation] = self._documents(
            Organisation, sa.select(t.organisations.c.document)
        )
        return sorted(found, key=lambda o: (o.name, o.id))

    def put_department(self, department: Department) -> None:
        """Add or replace a department."""
        self._put(
            t.departments,
            {
                "id": department.id,
                "organisation_id": department.organisation_id,
                "document": dumps(encode(department)),
            },
        )

    def department(self, department_id: str) -> Department:
        """The department, or NotFound."""
        result: Department = self._get(t.departments, Department, "department", department_id)
        return result

    def departments(self, organisation_id: str) -> Sequence[Department]:
        """The organisation's departments, by code."""
        found: list[Department] = self._documents(
            Department,
            sa.select(t.departments.c.document).where(
                t.departments.c.organisation_id == organisation_id
            ),
        )
        return sorted(found, key=lambda d: d.code)

    def put_official(self, official: Official) -> None:
        """Add or replace an official."""
        self._put(
            t.officials,
            {
                "id": official.id,
                "organisation_id": official.organisation_id,
                "document": dumps(encode(official)),
            },
        )

    def official(self, official_id: str) -> Official:
        """The official, or NotFound."""
        result: Official = self._get(t.officials, Official, "official", official_id)
        return result

    def officials(self, organisation_id: str) -> Sequence[Official]:
        """The organisation's officials, by name."""
        found: list[Official] = self._documents(
            Official,
            sa.select(t.officials.c.document).where(
                t.officials.c.organisation_id == organisation_id
            ),
        )
        return sorted(found, key=lambda o: (o.name.full, o.id))

    def put_user(self, user: User) -> None:
        """Add or replace a user."""
        self._put(t.users, {"id": user.id, "document": dumps(encode(user))})

    def user(self, user_id: str) -> User:
        """The user, or NotFound."""
        result: User = self._get(t.users, User, "user", user_id)
        return result


class SqlAudit(_Repo):
    """The audit log in ``edms_audit``: insert and select only.

    Sequence numbers increase in append order; a rolled-back event may leave a gap on PostgreSQL.
    The schema's triggers refuse UPDATE, DELETE (and, on PostgreSQL, TRUNCATE) of the table.
    """

    def append(self, event: AuditEvent) -> int:
        """Append an event; return its sequence number."""
        if not isinstance(event, AuditEvent):
            raise ValidationError("event", "must be an AuditEvent")
        return self._uow.insert_returning_key(
            t.audit, {"entity_id": event.entity_id, "document": audit_to_json(event)}
        )

    def events(
        self, entity_id: str | None = None, *, after: int = 0, limit: int = 1000
    ) -> Sequence[tuple[int, AuditEvent]]:
        """Events with their sequence numbers, oldest first, optionally of one entity."""
        a = t.audit.c
        statement = sa.select(a.seq, a.document).where(a.seq > after)
        if entity_id is not None:
            statement = statement.where(a.entity_id == entity_id)
        rows: Sequence[Any] = self._uow.execute(statement.order_by(a.seq).limit(limit)).all()
        return [(int(row[0]), decode(AuditEvent, loads(row[1]))) for row in rows]
