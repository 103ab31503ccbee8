"""Shared steps of the archive's adapters: version checks, ordering, documents from cards."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import attrs

from edmscore.archive._case_file import CaseFile, FiledDocument
from edmscore.archive._destruction import DestructionAct
from edmscore.archive._inventory import Inventory
from edmscore.errors import ConflictError, ValidationError
from edmscore.registry import RegistrationCard
from edmscore.registry._nomenclature_checks import index_sort_key

__all__ = ["batch_of", "case_order", "document_of", "kind_of", "next_version"]

T = TypeVar("T", CaseFile, Inventory, DestructionAct)

_KINDS: dict[type, str] = {CaseFile: "case_file", Inventory: "inventory", DestructionAct: "act"}


def kind_of(value: object) -> str:
    """The stored kind of an archive record."""
    kind = _KINDS.get(type(value))
    if kind is None:
        raise ValidationError("record", f"not an archive record: {type(value).__name__}")
    return kind


def key_of(value: CaseFile | Inventory | DestructionAct) -> str:
    """The record's id."""
    return value.case_id if isinstance(value, CaseFile) else value.id


def next_version(value: T, stored_version: int | None, expected_version: int) -> T:
    """``value`` at its next version, if ``expected_version`` is the stored one (0: none)."""
    kind_of(value)
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError("expected_version", "must be an integer")
    actual = stored_version or 0
    if actual != expected_version:
        raise ConflictError(kind_of(value), key_of(value), expected_version, actual)
    return attrs.evolve(value, version=expected_version + 1)


def batch_of(changes: Iterable[tuple[CaseFile, int]]) -> list[tuple[CaseFile, int]]:
    """The changes of a ``put_case_files`` call, checked: case files with integer expected
    versions, each case at most once."""
    checked = list(changes)
    seen: set[str] = set()
    for position, change in enumerate(checked):
        if not isinstance(change, tuple) or len(change) != 2:
            raise ValidationError(f"changes.{position}", "must be (case file, expected version)")
        case, expected = change
        if not isinstance(case, CaseFile):
            raise ValidationError(f"changes.{position}", f"not a case file: {case!r}")
        if isinstance(expected, bool) or not isinstance(expected, int):
            raise ValidationError("expected_version", "must be an integer")
        if case.case_id in seen:
            raise ValidationError(f"changes.{position}", f"case {case.case_id!r} given twice")
        seen.add(case.case_id)
    return checked


def case_order(case: CaseFile) -> tuple[object, ...]:
    """Listing order of case files: year, natural case index, id."""
    return (case.year, index_sort_key(case.index), case.case_id)


def document_of(card: RegistrationCard) -> FiledDocument:
    """A filed card as a document of its case."""
    details = card.details
    sheets = details.sheets + sum(e.sheets for e in details.enclosures)
    return FiledDocument(
        card.id,
        card.registration.number,
        details.document_date or card.registration.date,
        details.summary,
        max(sheets, 1),
        details.on_control,
    )
