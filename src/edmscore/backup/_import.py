"""Bulk import of a legacy registry: cards with their original numbers, dates and statuses.

The source is a folder (documented in ``docs/backup.md``)::

    journals.jsonl   optional: journals to create, one per line (the bundle's journal form)
    cards.jsonl      one card per line: the bundle's card form, where ``id``,
                     ``organisation_id``, ``registered_at``, ``registered_by``, ``status``,
                     ``version`` and ``registration.period`` may be left out, and
                     ``registration.journal`` may give the journal's code instead of
                     ``registration.journal_id``
    files/<sha256>   the content of every file a card lists (or already in the store)

One pass, in one unit of work: each row is read, completed and checked (JSON, every field,
the journal is the organisation's and takes the card's kind, the number is not taken twice in
the file nor in the store, each file is at hand and matches its hash) and handed to the
adapter's bulk path in batches. A bad row is reported as (file, row, field, reason); unless
``skip_bad`` is given, any bad row rolls the whole import back (:class:`ImportRejected` listing
them). Counters are then moved past the highest imported ``seq`` of each counter, and one audit
event records the import. A crash mid-way leaves the store as it was (the unit of work never
committed): import again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessScope
from edmscore.audit import AuditEvent, FieldChange
from edmscore.backup._bundle import Progress
from edmscore.backup._kinds import kind_named
from edmscore.backup.ports import BulkUnitOfWork
from edmscore.directory import Organisation
from edmscore.errors import EdmsError, ImportRejected, NotFound, ValidationError
from edmscore.records.ports import CardQuery
from edmscore.registry import CardStatus, Journal
from edmscore.registry.codec import canonical_card, card_from_primitive

__all__ = ["ImportReport", "import_registry"]

#: How many problems an :class:`ImportRejected` lists in full (all are counted).
MAX_PROBLEMS_LISTED = 10_000
_MAX_LINE = 4 * 1024 * 1024


@attrs.frozen
class ImportReport:
    """What an import stored: cards and journals, files, rows skipped, counters moved."""

    import_id: str
    cards: int
    journals: int
    files: int
    skipped: tuple[tuple[str, int, str, str], ...]
    skipped_total: int
    counters: Mapping[str, int]


class _Problems:
    def __init__(self) -> None:
        self.listed: list[tuple[str, int, str, str]] = []
        self.total = 0

    def add(self, file: str, row: int, field: str, reason: str) -> None:
        self.total += 1
        if len(self.listed) < MAX_PROBLEMS_LISTED:
            self.listed.append((file, row, field, reason))


def _rows(path: Path, problems: _Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    name = path.name
    with path.open("rb") as source:
        row = 0
        while line := source.readline(_MAX_LINE + 1):
            row += 1
            if len(line) > _MAX_LINE:
                problems.add(name, row, "", f"a line longer than {_MAX_LINE} bytes")
                source.readline()
                continue
            if not line.strip():
                continue
            try:
                # Decoded here (not by json.loads, which guesses the encoding of every line and
                # lets UTF-8-encoded surrogates through): a file is UTF-8, with a BOM or without.
                text = line.decode("utf-8-sig" if row == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                problems.add(name, row, "", f"not UTF-8 text: {exc}")
                continue
            try:
                data = json.loads(text)
            except ValueError as exc:
                problems.add(name, row, "", f"not JSON: {exc}")
                continue
            if not isinstance(data, dict):
                problems.add(name, row, "", "not a JSON object")
                continue
            yield row, data


class _Importer:
    def __init__(
        self,
        uow: BulkUnitOfWork,
        source: Path,
        organisation: Organisation,
        actor_id: str,
        now: pendulum.DateTime,
        progress: Progress | None,
    ) -> None:
        self.uow = uow
        self.source = source
        self.organisation = organisation
        self.actor_id = actor_id
        self.now = now
        self.progress = progress
        self.problems = _Problems()
        self.journals: dict[str, Journal] = {}
        self.by_code: dict[str, Journal] = {}
        self.busy: set[str] = set()  # journals already holding cards in the store
        self.numbers: set[bytes] = set()
        self.counters: dict[str, int] = {}
        self.departments: dict[str, str | None] = {}
        self.files: set[str] = set()
        self.midnights: dict[pendulum.Date, str] = {}
        self.kinds: dict[str, frozenset[str]] = {}
        self.days: dict[str, pendulum.Date] = {}
        self.cards = 0
        self.zone = pendulum.timezone(organisation.timezone)

    def load_journals(self) -> int:
        for journal in self.uow.journals.list(self.organisation.id):
            self._know(journal, stored=True)
        path = self.source / "journals.jsonl"
        if not path.is_file():
            return 0
        kind = kind_named("journals")
        fresh: list[Journal] = []
        for row, data in _rows(path, self.problems):
            try:
                journal = kind.decode({"organisation_id": self.organisation.id, **data})
            except (EdmsError, ValueError, KeyError, TypeError) as exc:
                self.problems.add(path.name, row, getattr(exc, "field", ""), str(exc))
                continue
            if journal.organisation_id != self.organisation.id:
                self.problems.add(path.name, row, "organisation_id", "another organisation's")
            elif journal.id in self.journals or journal.code in self.by_code:
                self.problems.add(path.name, row, "code", f"journal {journal.code!r} exists")
            else:
                self._know(journal, stored=False)
                fresh.append(journal)
        return self.uow.import_records("journals", fresh)

    def _know(self, journal: Journal, *, stored: bool) -> None:
        self.journals[journal.id] = journal
        self.by_code[journal.code] = journal
        if stored:
            page = self.uow.cards.query(
                CardQuery(journal_ids={journal.id}, statuses=frozenset(CardStatus), limit=1),
                AccessScope.everything(),
            )
            if page.items:
                self.busy.add(journal.id)

    def cards_of_file(self) -> Iterator[dict[str, Any]]:
        """The file's good cards in their canonical primitive form (the adapters' bulk input)."""
        path = self.source / "cards.jsonl"
        if not path.is_file():
            raise ValidationError("source", f"{path} is missing")
        for row, data in _rows(path, self.problems):
            card = self._card(row, data)
            if card is not None:
                self.cards += 1
                if self.progress is not None and self.cards % 10000 == 0:
                    self.progress("cards", self.cards)
                yield card

    def _card(self, row: int, data: dict[str, Any]) -> dict[str, Any] | None:
        name = "cards.jsonl"
        try:
            completed = self._complete(data)
            card = canonical_card(completed)  # plain data where it can, else the card classes
        except ValidationError as exc:
            self.problems.add(name, row, exc.field, str(exc))
            return None
        except (EdmsError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self.problems.add(name, row, "", str(exc))
            return None
        journal = self.journals[card["registration"]["journal_id"]]
        reason = self._check(card, journal)
        if reason is not None:
            self.problems.add(name, row, *reason)
            return None
        self._count(card, journal)
        return card

    def _complete(self, data: dict[str, Any]) -> dict[str, Any]:
        """The row with what may be left out filled in (see the module docstring)."""
        reg = data.get("registration")
        if not isinstance(reg, dict):
            raise ValidationError("registration", "missing or not an object")
        reg = dict(reg)
        code = reg.pop("journal", None)
        if "journal_id" not in reg:
            found = self.by_code.get(str(code))
            if found is None:
                raise ValidationError("registration.journal", f"no journal with code {code!r}")
            reg["journal_id"] = found.id
        journal = self.journals.get(str(reg["journal_id"]))
        if journal is None:
            raise ValidationError(
                "registration.journal_id", f"not a journal of {self.organisation.id!r}"
            )
        day = self._day(reg.get("date"))
        if "period" not in reg:
            reg["period"] = journal.period_of(day)
        registered_at = data.get("registered_at")
        if registered_at is None:
            registered_at = self._midnight(day)
        completed = {
            "id": data.get("id") or new_id(),
            "organisation_id": data.get("organisation_id", self.organisation.id),
            "registered_by": data.get("registered_by", self.actor_id),
            "status": data.get("status", "registered"),
            "version": data.get("version", 1),
            **data,
        }
        completed["registration"] = reg
        completed["registered_at"] = registered_at
        return completed

    def _kinds(self, journal: Journal) -> frozenset[str]:
        """The values of the card kinds ``journal`` takes (worked out once a journal)."""
        found = self.kinds.get(journal.id)
        if found is None:
            found = self.kinds[journal.id] = frozenset(kind.value for kind in journal.kinds)
        return found

    def _day(self, text: object) -> pendulum.Date:
        found = self.days.get(text) if isinstance(text, str) else None
        if found is None:  # checked again on the card
            found = pendulum.Date.fromisoformat(str(text))
            if isinstance(text, str) and len(self.days) < 100_000:
                self.days[text] = found
        return found

    def _midnight(self, day: pendulum.Date) -> str:
        """The start of ``day`` in the organisation's time zone, as text (computed once a day)."""
        found = self.midnights.get(day)
        if found is None:
            moment = pendulum.datetime(day.year, day.month, day.day, tz=self.zone)
            found = self.midnights[day] = moment.isoformat()
        return found

    def _check(self, card: dict[str, Any], journal: Journal) -> tuple[str, str] | None:
        reg, details = card["registration"], card["details"]
        if card["organisation_id"] != self.organisation.id:
            return "organisation_id", "another organisation's card"
        if details["kind"] not in self._kinds(journal):
            return (
                "details.kind",
                f"journal {journal.code!r} does not take {details['kind']}",
            )
        day = self._day(reg["date"])
        if reg["period"] != journal.period_of(day):
            return (
                "registration.period",
                f"{day} falls in period {journal.period_of(day)}",
            )
        number = reg["number"]
        key = hashlib.blake2b(
            f"{reg['journal_id']}\x00{reg['period']}\x00{number}".encode(), digest_size=16
        ).digest()
        if key in self.numbers:
            return (
                "registration.number",
                f"{number!r} appears twice in {journal.code} {reg['period']}",
            )
        if journal.id in self.busy and self.uow.cards.number_holder(
            reg["journal_id"], reg["period"], number
        ):
            return "registration.number", f"{number!r} is taken in the store"
        for ref in details["files"]:
            if ref["sha256"] in self.files:
                continue
            if not self._file(ref["sha256"]):
                return "details.files", f"no content for {ref['name']!r} ({ref['sha256']})"
        self.numbers.add(key)
        return None

    def _file(self, sha256: str) -> bool:
        path = self.source / "files" / sha256
        if path.is_file():
            content = path.read_bytes()
            if hashlib.sha256(content).hexdigest() != sha256:
                return False
            self.uow.blobs.put(content)
        elif not self.uow.blobs.exists(sha256):
            return False
        self.files.add(sha256)
        return True

    def _count(self, card: dict[str, Any], journal: Journal) -> None:
        seq = card["registration"]["seq"]
        if seq is None:
            return
        key = journal.counter_key(card["registration"]["period"], self._values(card, journal))
        if seq > self.counters.get(key, 0):
            self.counters[key] = seq

    def _values(self, card: dict[str, Any], journal: Journal) -> dict[str, str | int | None]:
        if not journal.counter_per:
            return {}
        details, day = card["details"], self._day(card["registration"]["date"])
        department_id = details["department_id"]
        dept: str | None = None
        if department_id is not None:
            if department_id not in self.departments:
                try:
                    code = self.uow.directory.department(department_id).code
                except NotFound:
                    code = None
                self.departments[department_id] = code
            dept = self.departments[department_id]
        letter = None
        if details["applicants"]:
            surname = details["applicants"][0]["name"]["surname"]
            letter = surname.strip()[:1].upper() or None
        return {
            "year": day.year,
            "yy": f"{day.year % 100:02d}",
            "y": str(day.year % 10),
            "case_index": details["case_index"],
            "dept": dept,
            "letter": letter,
            "org": self.organisation.code or None,
            "journal": journal.code,
        }

    def move_counters(self) -> dict[str, int]:
        moved: dict[str, int] = {}
        for key, seq in sorted(self.counters.items()):
            if seq > self.uow.numbers.current(key):
                moved[key] = seq
        self.uow.import_records("counters", sorted(moved.items()))
        return moved


def import_registry(
    uow: BulkUnitOfWork,
    source: str | Path,
    organisation_id: str,
    *,
    actor_id: str,
    now: pendulum.DateTime,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a legacy registry into ``uow`` (the caller commits; see the module docstring).

    ImportRejected lists the bad rows when there are any and ``skip_bad`` is not given; the
    caller's unit of work then holds changes it must roll back (leaving it without commit does).
    """
    folder = Path(source)
    if not folder.is_dir():
        raise ValidationError("source", f"{folder} is not a folder")
    organisation = uow.directory.organisation(organisation_id)
    importer = _Importer(uow, folder, organisation, actor_id, now, progress)
    journals = importer.load_journals()
    cards: Iterator[Any] = importer.cards_of_file()
    if not getattr(uow, "takes_card_primitives", False):  # a host's adapter takes the objects
        cards = (card_from_primitive(card) for card in cards)
    uow.import_records("cards", cards)
    problems = importer.problems
    if problems.total and not skip_bad:
        raise ImportRejected(problems.listed, problems.total)
    moved = importer.move_counters()
    import_id = new_id()
    uow.audit.append(
        AuditEvent(
            at=now,
            actor_id=actor_id,
            action="import_registry",
            entity_type="import",
            entity_id=import_id,
            changes=(
                FieldChange("cards", None, str(importer.cards)),
                FieldChange("journals", None, str(journals)),
                FieldChange("files", None, str(len(importer.files))),
                FieldChange("skipped_rows", None, str(problems.total)),
            ),
            note=f"bulk import into {organisation.id} from {folder.name}",
        )
    )
    return ImportReport(
        import_id,
        importer.cards,
        journals,
        len(importer.files),
        tuple(problems.listed),
        problems.total,
        moved,
    )
