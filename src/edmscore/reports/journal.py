"""The registration journal as a person reads it: a table in Russian, one row per card."""

from __future__ import annotations

from collections.abc import Iterable

from edmscore.registry import CardKind, RegistrationCard
from edmscore.reports._table import render_table

__all__ = ["JOURNAL_HEADERS", "journal_rows", "render_journal"]

#: Column headings of the printed journal.
JOURNAL_HEADERS = (
    "Рег. №",
    "Дата",
    "Вид",
    "Корреспондент / адресат",
    "Исх. № и дата",
    "Краткое содержание",
    "Дело",
)
_WIDTHS = (12, 10, 12, 26, 14, 34, 7)


def _party(card: RegistrationCard) -> str:
    details = card.details
    if details.kind is CardKind.INCOMING:
        return "; ".join(c.name for c in details.correspondents)
    if details.kind is CardKind.APPEAL:
        return "; ".join(a.name.full for a in details.applicants)
    if details.kind is CardKind.OUTGOING:
        return "; ".join(c.name for c in details.addressees)
    return "; ".join(s.name for s in details.signatories)


def _sender_ref(card: RegistrationCard) -> str:
    details = card.details
    parts = []
    if details.sender_number:
        parts.append(f"№ {details.sender_number}")
    if details.sender_date:
        parts.append(f"от {details.sender_date.format('DD.MM.YYYY')}")
    return " ".join(parts)


def journal_rows(cards: Iterable[RegistrationCard]) -> list[tuple[str, ...]]:
    """One row of strings per card, in the order given."""
    rows: list[tuple[str, ...]] = []
    for card in cards:
        details = card.details
        summary = details.summary
        if details.access.value == "dsp":
            summary = f"[ДСП] {summary}"
        rows.append(
            (
                card.number,
                card.registration.date.format("DD.MM.YYYY"),
                details.document_kind,
                _party(card),
                _sender_ref(card),
                summary,
                details.case_index or "",
            )
        )
    return rows


def render_journal(title: str, cards: Iterable[RegistrationCard]) -> str:
    """The journal as a bordered text table under ``title``."""
    table = render_table(JOURNAL_HEADERS, journal_rows(cards), _WIDTHS)
    return f"{title}\n{table}\n"
