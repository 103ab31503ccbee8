"""Reconciliation of a source and a target: counts per journal and year, gaps and duplicates in
the numbers, and the files the cards name, compared side by side.

A side is a store (anything offering the bulk port) or a folder: a bundle (its
``records/cards.jsonl``) or a legacy import folder (its ``cards.jsonl``, read the way
:func:`~edmscore.backup.import_registry` reads it). Each side is read once, card by card. Per
journal and period it keeps a bitmap of the ``seq`` values met (one bit per number up to the
highest), short digests of the numbers (to find one used twice) and an order-free digest of
the files' hashes, so memory grows with the numbers, not with the cards' size.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from edmscore.backup._verify import read_records
from edmscore.backup.ports import BulkStorage
from edmscore.errors import WrongType
from edmscore.registry import RegistrationCard

__all__ = ["JournalYear", "Reconciliation", "reconcile", "summarise"]

#: How many gaps and duplicates a :class:`JournalYear` lists (all are counted).
LISTED = 100
_MOD = 2**256


@attrs.frozen
class JournalYear:
    """One journal's period on one side."""

    journal_id: str
    period: int
    count: int
    max_seq: int
    #: ``seq`` values below the highest that no card holds (the first :data:`LISTED`).
    gaps: tuple[int, ...]
    gap_count: int
    #: Numbers held by more than one card (the first :data:`LISTED`).
    duplicates: tuple[str, ...]
    duplicate_count: int
    files: int
    #: An order-free digest of the hashes of the files the cards name.
    files_digest: str


@attrs.frozen
class Reconciliation:
    """Both sides per (journal, period), and what differs."""

    source: dict[tuple[str, int], JournalYear]
    target: dict[tuple[str, int], JournalYear]
    differences: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether the target holds what the source holds, without gaps or duplicates added."""
        return not self.differences


class _Tally:
    def __init__(self) -> None:
        self.count = 0
        self.seqs = bytearray()
        self.numbers: set[bytes] = set()
        self.duplicates: list[str] = []
        self.duplicate_count = 0
        self.files = 0
        self.digest = 0

    def add(self, card: RegistrationCard) -> None:
        self.count += 1
        reg = card.registration
        if reg.seq is not None:
            index = reg.seq - 1
            if index >= len(self.seqs) * 8:
                self.seqs.extend(bytes(max(len(self.seqs), index // 8 + 1 - len(self.seqs))))
            self.seqs[index // 8] |= 1 << (index % 8)
        key = hashlib.blake2b(reg.number.encode(), digest_size=8).digest()
        if key in self.numbers:
            self.duplicate_count += 1
            if len(self.duplicates) < LISTED:
                self.duplicates.append(reg.number)
        else:
            self.numbers.add(key)
        for ref in card.details.files:
            self.files += 1
            self.digest = (self.digest + int.from_bytes(bytes.fromhex(ref.sha256), "big")) % _MOD

    def result(self, journal_id: str, period: int) -> JournalYear:
        top = 0
        for byte_index in range(len(self.seqs) - 1, -1, -1):
            byte = self.seqs[byte_index]
            if byte:
                top = byte_index * 8 + byte.bit_length()
                break
        gaps: list[int] = []
        gap_count = 0
        for seq in range(1, top):
            index = seq - 1
            if not self.seqs[index // 8] & (1 << (index % 8)):
                gap_count += 1
                if len(gaps) < LISTED:
                    gaps.append(seq)
        return JournalYear(
            journal_id,
            period,
            self.count,
            top,
            tuple(gaps),
            gap_count,
            tuple(self.duplicates),
            self.duplicate_count,
            self.files,
            f"{self.digest:064x}",
        )


def summarise(cards: Iterable[RegistrationCard]) -> dict[tuple[str, int], JournalYear]:
    """Per (journal, period): counts, gaps, duplicates and files of ``cards``."""
    tallies: dict[tuple[str, int], _Tally] = {}
    for card in cards:
        key = (card.registration.journal_id, card.registration.period)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = _Tally()
        tally.add(card)
    return {key: tally.result(*key) for key, tally in sorted(tallies.items())}


def _journal_codes(side: BulkStorage | str | Path) -> dict[str, str]:
    """Journal ids by code of a store (to read a legacy folder naming journals by code)."""
    if isinstance(side, str | Path):
        return {}
    with side.unit_of_work() as uow:
        return {j.code: j.id for j in uow.export_records("journals")}


def _cards_of(
    side: BulkStorage | str | Path, codes: dict[str, str] | None = None
) -> Iterator[RegistrationCard]:
    if isinstance(side, str | Path):
        folder = Path(side)
        if (folder / "records" / "cards.jsonl").is_file():
            yield from read_records(folder, "cards")
        else:
            yield from _legacy_cards(folder, codes or {})
        return
    with side.unit_of_work() as uow:
        yield from uow.export_records("cards")


def _legacy_cards(folder: Path, known: dict[str, str]) -> Iterator[RegistrationCard]:
    """The cards of a legacy import folder as they would be imported (journals by code are
    matched to ``journals.jsonl``, then to the other side's journals; rows that cannot be read
    are left out)."""
    from edmscore.registry.codec import card_from_primitive

    codes: dict[str, str] = dict(known)
    journals = folder / "journals.jsonl"
    if journals.is_file():
        for line in journals.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                codes[str(data.get("code"))] = str(data.get("id"))
    with (folder / "cards.jsonl").open(encoding="utf-8") as source:
        for line in source:
            if not line.strip():
                continue
            try:
                yield card_from_primitive(_legacy_complete(json.loads(line), codes))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue


def _legacy_complete(data: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    reg = dict(data["registration"])
    code = reg.pop("journal", None)
    reg.setdefault("journal_id", codes.get(str(code), str(code)))
    reg.setdefault("period", int(str(reg["date"])[:4]))
    return {
        "id": "-",
        "organisation_id": "-",
        "registered_by": "-",
        "registered_at": f"{reg['date']}T00:00:00+00:00",
        **data,
        "registration": reg,
    }


def reconcile(source: BulkStorage | str | Path, target: BulkStorage | str | Path) -> Reconciliation:
    """Compare ``source`` with ``target`` per journal and period (see the module docstring).

    When ``source`` is a legacy import folder, the target's journals and periods it does not
    hold are left out of the differences (they are the target's own)."""
    for name, value in (("source", source), ("target", target)):
        if not isinstance(value, str | Path) and not hasattr(value, "unit_of_work"):
            raise WrongType(name, "storage, bundle folder or import folder", value)
    left = summarise(_cards_of(source, _journal_codes(target)))
    right = summarise(_cards_of(target, _journal_codes(source)))
    # A legacy registry holds what was imported only: the target's other periods are its own.
    partial = isinstance(source, str | Path) and not (Path(source) / "records").is_dir()
    differences: list[str] = []
    for key in sorted(set(left) | set(right)):
        name = f"journal {key[0]} period {key[1]}"
        a, b = left.get(key), right.get(key)
        if a is None and partial:
            continue
        if a is None:
            differences.append(f"{name}: only in the target ({b.count if b else 0} cards)")
            continue
        if b is None:
            differences.append(f"{name}: missing from the target ({a.count} cards)")
            continue
        if a.count != b.count:
            differences.append(f"{name}: {a.count} cards in the source, {b.count} in the target")
        if b.gap_count > a.gap_count:
            differences.append(f"{name}: {b.gap_count - a.gap_count} more gaps in the target")
        if b.duplicate_count > a.duplicate_count:
            differences.append(f"{name}: {b.duplicate_count} duplicate numbers in the target")
        if (a.files, a.files_digest) != (b.files, b.files_digest):
            differences.append(f"{name}: the files differ")
    return Reconciliation(left, right, tuple(differences))
