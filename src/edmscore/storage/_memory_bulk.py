"""The in-memory adapter's bulk path (:class:`edmscore.backup.ports.BulkUnitOfWork`).

Listing reads the tables in key order. Storing goes through the repositories — ``add`` for a new
record, ``update`` for a stored one — so their indexes (numbers, order, author keys, message
uids, deadlines) stay right, then pins the record as given (its version included) in the same
undo log: a rollback undoes the whole import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from edmscore.errors import ValidationError
from edmscore.registry.codec import card_from_primitive

if TYPE_CHECKING:
    from edmscore.storage.memory import MemoryUnitOfWork

__all__ = ["MEMORY_TABLES", "export_records", "import_records", "stored_blobs"]

#: What of the in-memory state each kind covers (the coverage test compares it with the state).
MEMORY_TABLES: dict[str, tuple[str, ...]] = {
    "organisations": ("organisations",),
    "departments": ("departments",),
    "officials": ("officials",),
    "users": ("users",),
    "journals": ("journals",),
    "counters": ("counters",),
    "nomenclatures": ("nomenclatures", "nomenclature_by_year", "case_owner"),
    "cards": ("cards", "numbers", "order"),
    "resolutions": ("edmscore.control.resolutions",),
    "assignments": ("edmscore.control.assignments", "edmscore.control.by_due"),
    "drafts": ("approval.drafts",),
    "route_templates": ("approval.templates",),
    "substitutions": ("approval.substitutions",),
    "resolution_drafts": ("edmscore.control.resolution_drafts",),
    "acquaintances": ("edmscore.control.acquaintances",),
    "appeals": ("edmscore.appeals.appeals", "edmscore.appeals.by_card", "edmscore.appeals.by_key"),
    "dispatches": (
        "edmscore.dispatch.records",
        "edmscore.dispatch.by_message",
        "edmscore.dispatch.by_pair",
        "edmscore.dispatch.by_card",
    ),
    "signature_records": ("edmscore.signature_records",),
    "outbox_events": ("edmscore.outbox.events", "edmscore.outbox.by_id", "edmscore.outbox.by_key"),
    "outbox_subscriptions": (
        "edmscore.outbox.subscriptions",
        "edmscore.outbox.floors",
        "edmscore.outbox.acks",
    ),
    "archive": (
        "edmscore.archive.case_files",
        "edmscore.archive.inventories",
        "edmscore.archive.acts",
    ),
    "archive_transfers": ("edmscore.archive_transfers",),
    "audit": ("audit",),
    "<files>": ("blobs",),
}


def _table(uow: MemoryUnitOfWork, kind: str) -> dict[str, Any]:
    s = uow._state
    core: dict[str, dict[str, Any]] = {
        "organisations": s.organisations,
        "departments": s.departments,
        "officials": s.officials,
        "users": s.users,
        "journals": s.journals,
        "counters": s.counters,
        "nomenclatures": s.nomenclatures,
        "cards": s.cards,
    }
    if kind in core:
        return core[kind]
    repo: Any = _repo(uow, kind)
    tables: dict[str, Callable[[], dict[str, Any]]] = {
        "resolutions": lambda: repo._t,
        "assignments": lambda: repo._t,
        "drafts": lambda: repo._t.drafts,
        "route_templates": lambda: repo._t.templates,
        "substitutions": lambda: repo._t.substitutions,
        "resolution_drafts": lambda: repo._t,
        "acquaintances": lambda: repo._t,
        "appeals": lambda: repo._t.appeals,
        "dispatches": lambda: repo._t.records,
        "signature_records": lambda: repo._records,
    }
    return tables[kind]()


def _repo(uow: MemoryUnitOfWork, kind: str) -> object:
    repos: dict[str, Callable[[], object]] = {
        "resolutions": lambda: uow.resolutions,
        "assignments": lambda: uow.assignments,
        "drafts": lambda: uow.drafts,
        "route_templates": lambda: uow.route_templates,
        "substitutions": lambda: uow.substitutions,
        "resolution_drafts": lambda: uow.resolution_drafts,
        "acquaintances": lambda: uow.acquaintances,
        "appeals": lambda: uow.appeals,
        "dispatches": lambda: uow.dispatches,
        "signature_records": lambda: uow.signature_records,
        "cards": lambda: uow.cards,
    }
    return repos[kind]()


_KNOWN = frozenset(MEMORY_TABLES) - {"<files>"}


def export_records(uow: MemoryUnitOfWork, kind: str) -> Iterator[Any]:
    """Every record of ``kind`` in key order (a snapshot taken now)."""
    uow._check_open()
    if kind not in _KNOWN:
        raise ValidationError("kind", f"unknown record kind {kind!r}")
    if kind == "audit":
        return iter(list(enumerate(uow._state.audit, start=1)))
    if kind.startswith("outbox_"):
        return _export_outbox(uow, kind)
    if kind == "archive":
        t = uow.archive._t
        return iter(
            [t.acts[k] for k in sorted(t.acts)]
            + [t.case_files[k] for k in sorted(t.case_files)]
            + [t.inventories[k] for k in sorted(t.inventories)]
        )
    if kind == "archive_transfers":
        acts = uow.archive_transfers._t
        return iter([acts[k] for k in sorted(acts)])
    table = _table(uow, kind)
    keys = sorted(table)
    if kind == "counters":
        return iter([(k, table[k]) for k in keys])
    return iter([table[k] for k in keys])


def _export_outbox(uow: MemoryUnitOfWork, kind: str) -> Iterator[Any]:
    tables = uow.outbox._t
    if kind == "outbox_events":
        return iter(list(tables.events))
    found = []
    for name in sorted(tables.subscriptions):
        acked = sorted(seq for (sub, seq) in tables.acks if sub == name)
        found.append((tables.subscriptions[name], tuple(tables.events[s - 1].id for s in acked)))
    return iter(found)


def stored_blobs(uow: MemoryUnitOfWork) -> Iterator[str]:
    """Every stored file's hash, in order."""
    uow._check_open()
    return iter(sorted(uow._state.blobs))


def import_records(uow: MemoryUnitOfWork, kind: str, records: Iterable[Any]) -> int:
    """Store records as given, replacing those with the same key; the count stored."""
    uow._check_open()
    if kind not in _KNOWN:
        raise ValidationError("kind", f"unknown record kind {kind!r}")
    store = _STORES[kind]
    count = 0
    for record in records:
        store(uow, record)
        count += 1
    return count


def _put(name: str) -> Callable[[MemoryUnitOfWork, Any], None]:
    def store(uow: MemoryUnitOfWork, record: Any) -> None:
        getattr(uow.directory, f"put_{name}")(record)

    return store


def _journal(uow: MemoryUnitOfWork, record: Any) -> None:
    stored = uow._state.journals.get(record.id)
    if stored is None:
        uow.journals.add(record)
    elif stored != record:
        uow.cards._set(uow._state.journals, record.id, record)


def _counter(uow: MemoryUnitOfWork, record: tuple[str, int]) -> None:
    key, value = record
    uow.cards._set(uow._state.counters, key, value)


def _nomenclature(uow: MemoryUnitOfWork, record: tuple[Any, int]) -> None:
    nomenclature, version = record
    stored = uow._state.nomenclatures.get(nomenclature.id)
    if stored is None:
        uow.nomenclatures.add(nomenclature)
    else:
        uow.nomenclatures.update(nomenclature, stored[1])
    uow.cards._set(uow._state.nomenclatures, nomenclature.id, (nomenclature, version))


def _versioned(kind: str) -> Callable[[MemoryUnitOfWork, Any], None]:
    """Add (at version 1) or update through the repository, then pin the record as given."""

    def store(uow: MemoryUnitOfWork, record: Any) -> None:
        repo: Any = _repo(uow, kind)
        table = _table(uow, kind)
        stored = table.get(record.id)
        if stored is None:
            repo.add(attrs.evolve(record, version=1))
        elif hasattr(repo, "update"):
            repo.update(record, stored.version)
        repo._set(table, record.id, record)
        if kind == "assignments" and record.due is not None:
            repo._set(repo._by_due.setdefault(record.due.toordinal(), {}), record.id, record)

    return store


def _replaced(kind: str) -> Callable[[MemoryUnitOfWork, Any], None]:
    def store(uow: MemoryUnitOfWork, record: Any) -> None:
        repo: Any = _repo(uow, kind)
        repo.put(record)

    return store


def _signature_record(uow: MemoryUnitOfWork, record: Any) -> None:
    """Signature records are append-only: a record is stored as given under its id."""
    repo: Any = _repo(uow, "signature_records")
    repo._set(repo._records, record.id, record)


def _card(uow: MemoryUnitOfWork, record: Any) -> None:
    """A card, given as such or in its canonical primitive form (what bulk imports hand)."""
    if isinstance(record, Mapping):
        record = card_from_primitive(record)
    _versioned("cards")(uow, record)


def _archive_record(uow: MemoryUnitOfWork, record: Any) -> None:
    """An archive record is stored as given, its version kept."""
    from edmscore.archive import CaseFile, Inventory

    repo = uow.archive
    if isinstance(record, CaseFile):
        repo._set(repo._t.case_files, record.case_id, record)
    elif isinstance(record, Inventory):
        repo._set(repo._t.inventories, record.id, record)
    else:
        repo._set(repo._t.acts, record.id, record)


def _archive_transfer(uow: MemoryUnitOfWork, record: Any) -> None:
    """An acceptance act is stored as given, its version kept."""
    uow.archive_transfers.restore(record)


def _audit(uow: MemoryUnitOfWork, record: tuple[int, Any]) -> None:
    uow.audit.append(record[1])


def _outbox_event(uow: MemoryUnitOfWork, record: Any) -> None:
    """Events never change: one already stored (by id or dedupe key) stays as it is."""
    uow.outbox.append([record])


def _outbox_subscription(uow: MemoryUnitOfWork, record: tuple[Any, tuple[str, ...]]) -> None:
    uow.outbox.subscribe(record[0])
    uow.outbox.acknowledge(record[0].name, record[1])


_STORES: dict[str, Callable[[MemoryUnitOfWork, Any], None]] = {
    "organisations": _put("organisation"),
    "departments": _put("department"),
    "officials": _put("official"),
    "users": _put("user"),
    "journals": _journal,
    "counters": _counter,
    "nomenclatures": _nomenclature,
    "cards": _card,
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
    "audit": _audit,
}
