"""The record kinds a backup holds: how each is written as JSON and read back, and which
organisation and day it belongs to (for bundles of one organisation and period).

A kind's records are what an adapter's :meth:`~edmscore.backup.ports.BulkUnitOfWork.export_records`
yields and :meth:`~edmscore.backup.ports.BulkUnitOfWork.import_records` takes: domain values
(a :class:`~edmscore.registry.RegistrationCard`, a :class:`~edmscore.control.Assignment`, …),
``(nomenclature, version)`` pairs, ``(key, value)`` counters, ``(seq, event)`` audit entries.
Files are not a kind: they travel as a content-addressed tree (see :mod:`._bundle`).

Adding a kind (a new table or aggregate): append a :class:`RecordKind` to :data:`RECORD_KINDS`,
teach both adapters to export and import it (``edmscore.storage._memory_bulk``,
``edmscore.storage.sql._bulk``) and list its SQL tables in ``SQL_TABLES`` there;
``tests/backup/test_coverage.py`` fails until every table of the SQL schema is covered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from edmscore.audit import AuditEvent
from edmscore.directory import Department, Official, Organisation, User
from edmscore.errors import ValidationError
from edmscore.records.codec import decode, encode
from edmscore.registry import Journal, RegistrationCard
from edmscore.registry.codec import card_from_primitive, card_to_primitive

__all__ = ["RECORD_KINDS", "RecordKind", "Slice", "kind_named"]


@attrs.define
class Slice:
    """What a bundle of one organisation and period keeps, learnt while it is written.

    Kinds are written in :data:`RECORD_KINDS` order, so by the time counters, cards and audit
    events are met the organisation's journals, users and (for a period) cards are known.
    """

    organisation_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    counters: set[str] = attrs.field(factory=set)
    users: set[str] = attrs.field(factory=set)
    #: Ids of the cards kept (only remembered when a period is given).
    cards: set[str] = attrs.field(factory=set)

    @property
    def whole(self) -> bool:
        """Whether the bundle keeps everything (no organisation, no period)."""
        return self.organisation_id is None and self.date_from is None and self.date_to is None

    def in_period(self, day: dt.date) -> bool:
        """Whether ``day`` lies in the period (both ends inclusive)."""
        if self.date_from is not None and day < self.date_from:
            return False
        return self.date_to is None or day <= self.date_to

    def of_organisation(self, organisation_id: str) -> bool:
        """Whether a record of ``organisation_id`` belongs to the slice's organisation."""
        return self.organisation_id is None or organisation_id == self.organisation_id

    def on_card(self, record: Any) -> bool:
        """A record hanging off a card: of the organisation and, with a period, of a kept card."""
        if not self.of_organisation(record.organisation_id):
            return False
        if self.date_from is None and self.date_to is None:
            return True
        return str(record.card_id) in self.cards


def _by_organisation(record: Any, s: Slice) -> bool:
    return s.of_organisation(record.organisation_id)


def _organisation(record: Organisation, s: Slice) -> bool:
    return s.of_organisation(record.id)


def _journal(record: Journal, s: Slice) -> bool:
    if not s.of_organisation(record.organisation_id):
        return False
    s.counters.add(record.shared_counter or record.id)
    return True


def _user(record: User, s: Slice) -> bool:
    if not s.of_organisation(record.organisation_id):
        return False
    s.users.add(record.id)
    return True


def _counter(record: tuple[str, int], s: Slice) -> bool:
    return s.organisation_id is None or record[0].split("|", 1)[0] in s.counters


def _nomenclature(record: tuple[Any, int], s: Slice) -> bool:
    return s.of_organisation(record[0].organisation_id)


def _card(record: RegistrationCard, s: Slice) -> bool:
    if not s.of_organisation(record.organisation_id):
        return False
    if s.date_from is None and s.date_to is None:
        return True
    if not s.in_period(record.registration.date):
        return False
    s.cards.add(record.id)
    return True


def _draft(record: Any, s: Slice) -> bool:
    if not s.of_organisation(record.organisation_id):
        return False
    return s.in_period(record.created_at.date())


def _on_card(record: Any, s: Slice) -> bool:
    return s.on_card(record)


def _audit(record: tuple[int, AuditEvent], s: Slice) -> bool:
    event = record[1]
    if not s.in_period(event.at.date()):
        return False
    if s.organisation_id is None:
        return True
    return event.actor_id in s.users or event.entity_id in s.cards


def _plain(cls: type[Any]) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    return encode, lambda data: decode(cls, data)


def _nomenclature_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    from edmscore.registry.nomenclature import Nomenclature

    def write(record: tuple[Any, int]) -> Any:
        return {"nomenclature": encode(record[0]), "version": record[1]}

    def read(data: Any) -> tuple[Any, int]:
        return decode(Nomenclature, data["nomenclature"]), _int(data, "version")

    return write, read


def _int(data: Mapping[str, Any], key: str) -> int:
    value = data[key]
    if type(value) is not int:
        raise ValidationError(key, f"must be an integer, got {value!r}")
    return value


def _counter_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def write(record: tuple[str, int]) -> Any:
        return {"key": record[0], "value": record[1]}

    def read(data: Any) -> tuple[str, int]:
        key = data["key"]
        if not isinstance(key, str) or not key:
            raise ValidationError("key", "must be a non-empty string")
        return key, _int(data, "value")

    return write, read


def _audit_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def write(record: tuple[int, AuditEvent]) -> Any:
        return {"event": encode(record[1]), "seq": record[0]}

    def read(data: Any) -> tuple[int, AuditEvent]:
        return _int(data, "seq"), decode(AuditEvent, data["event"])

    return write, read


def _card_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    return card_to_primitive, card_from_primitive


def _archive_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """Case files, inventories and destruction acts, each tagged with its kind."""
    from edmscore.archive import CaseFile, DestructionAct, Inventory

    classes: dict[str, type[Any]] = {
        "case_file": CaseFile,
        "inventory": Inventory,
        "act": DestructionAct,
    }
    tags = {cls: tag for tag, cls in classes.items()}

    def write(record: Any) -> Any:
        return {"kind": tags[type(record)], "record": encode(record)}

    def read(data: Any) -> Any:
        cls = classes.get(str(data.get("kind"))) if isinstance(data, dict) else None
        if cls is None:
            raise ValidationError("kind", "not an archive record")
        return decode(cls, data["record"])

    return write, read


def _archive_key(record: Any) -> str:
    from edmscore.archive import CaseFile

    if isinstance(record, CaseFile):
        return f"case_file:{record.case_id}"
    return f"{type(record).__name__}:{record.id}"


def _lazy(path: str, name: str) -> Callable[[], tuple[Callable[[Any], Any], Callable[[Any], Any]]]:
    """The codec of a capability's class, imported when first used."""

    def build() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
        import importlib

        return _plain(getattr(importlib.import_module(path), name))

    return build


def _outbox_event_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    from edmscore.events import Event

    return (lambda event: event.to_primitive()), Event.from_primitive


def _outbox_event(record: Any, s: Slice) -> bool:
    return s.of_organisation(record.organisation_id) and s.in_period(record.at.date())


def _subscription_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """A subscription with the ids of the events it acknowledged."""
    from edmscore.events import Subscription

    def write(record: tuple[Any, tuple[str, ...]]) -> Any:
        return {"subscription": record[0].to_primitive(), "acknowledged": list(record[1])}

    def read(data: Any) -> tuple[Any, tuple[str, ...]]:
        acknowledged = data["acknowledged"]
        if not isinstance(acknowledged, list) or not all(isinstance(i, str) for i in acknowledged):
            raise ValidationError("acknowledged", "must be a list of event ids")
        return Subscription.from_primitive(data["subscription"]), tuple(acknowledged)

    return write, read


@attrs.frozen
class RecordKind:
    """One kind of record a bundle keeps, as the file ``records/<name>.jsonl``.

    ``version`` is the version of the kind's line format (raised when the encoding changes, so
    an older reader refuses a newer file instead of misreading it). ``key`` gives the id a
    record is known by (incremental bundles replace by it; restore and reconciliation compare by
    it). ``keep`` decides whether a record belongs to a :class:`Slice` (and notes what later
    kinds need). ``tracked`` says whether audit events name its records by id, so an
    incremental bundle can pick the changed ones; untracked kinds go whole into every bundle.
    """

    name: str
    version: int
    codec: Callable[[], tuple[Callable[[Any], Any], Callable[[Any], Any]]] = attrs.field(repr=False)
    key: Callable[[Any], str] = attrs.field(repr=False)
    keep: Callable[[Any, Slice], bool] = attrs.field(repr=False)
    tracked: bool = False

    def encode(self, record: Any) -> Any:
        """The record as JSON-ready primitives."""
        return _codecs(self)[0](record)

    def decode(self, data: Any) -> Any:
        """The record from :meth:`encode` output (ValidationError or StorageError if damaged)."""
        return _codecs(self)[1](data)


_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {}


def _codecs(kind: RecordKind) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    found = _CODECS.get(kind.name)
    if found is None:
        found = _CODECS[kind.name] = kind.codec()
    return found


def _id(record: Any) -> str:
    return str(record.id)


#: Every kind, in the order bundles are written and restored.
RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind("organisations", 1, lambda: _plain(Organisation), _id, _organisation),
    RecordKind("departments", 1, lambda: _plain(Department), _id, _by_organisation),
    RecordKind("officials", 1, lambda: _plain(Official), _id, _by_organisation),
    RecordKind("users", 1, lambda: _plain(User), _id, _user),
    RecordKind("journals", 1, lambda: _plain(Journal), _id, _journal),
    RecordKind("counters", 1, _counter_codec, lambda r: str(r[0]), _counter),
    RecordKind("nomenclatures", 1, _nomenclature_codec, lambda r: str(r[0].id), _nomenclature),
    RecordKind("cards", 1, _card_codec, _id, _card, True),
    RecordKind("resolutions", 1, _lazy("edmscore.control", "Resolution"), _id, _on_card, True),
    RecordKind("assignments", 1, _lazy("edmscore.control", "Assignment"), _id, _on_card, True),
    RecordKind("drafts", 1, _lazy("edmscore.approval", "Draft"), _id, _draft, True),
    RecordKind(
        "route_templates", 1, _lazy("edmscore.approval", "RouteTemplate"), _id, _by_organisation
    ),
    RecordKind(
        "substitutions", 1, _lazy("edmscore.approval", "Substitution"), _id, _by_organisation
    ),
    RecordKind(
        "resolution_drafts", 1, _lazy("edmscore.control", "ResolutionDraft"), _id, _on_card, True
    ),
    RecordKind(
        "acquaintances", 1, _lazy("edmscore.control", "AcquaintanceSheet"), _id, _on_card, True
    ),
    RecordKind("appeals", 1, _lazy("edmscore.appeals", "Appeal"), _id, _on_card, True),
    RecordKind(
        "dispatches", 1, _lazy("edmscore.exchange.dispatch", "Dispatch"), _id, _on_card, True
    ),
    RecordKind(
        "signature_records",
        1,
        _lazy("edmscore.records.signature_records", "SignatureRecord"),
        _id,
        _on_card,
    ),
    RecordKind("outbox_events", 1, _outbox_event_codec, _id, _outbox_event),
    RecordKind(
        "outbox_subscriptions",
        1,
        _subscription_codec,
        lambda r: str(r[0].name),
        lambda r, s: s.of_organisation(r[0].organisation_id),
    ),
    RecordKind("archive", 1, _archive_codec, _archive_key, _by_organisation),
    RecordKind(
        "archive_transfers",
        1,
        _lazy("edmscore.archive._transfer", "TransferAct"),
        _id,
        _by_organisation,
    ),
    RecordKind("audit", 1, _audit_codec, lambda r: str(r[0]), _audit),
)

_BY_NAME = {kind.name: kind for kind in RECORD_KINDS}


def kind_named(name: str) -> RecordKind:
    """The kind called ``name``; ValidationError for an unknown one."""
    found = _BY_NAME.get(name)
    if found is None:
        raise ValidationError("kind", f"unknown record kind {name!r}")
    return found


def blob_refs(primitive: Any) -> Iterator[str]:
    """Every file hash an encoded record names (values of ``sha256`` keys, at any depth)."""
    stack = [primitive]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "sha256" and isinstance(value, str) and len(value) == 64:
                    yield value
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))
