"""Reports a person reads: registration journals, execution discipline."""

from __future__ import annotations

from edmscore.reports.discipline import (
    DisciplineReport,
    DisciplineRow,
    OverdueLine,
    build_discipline_report,
    discipline_csv,
    discipline_xlsx,
    overdue_csv,
    render_discipline,
)
from edmscore.reports.journal import JOURNAL_HEADERS, journal_rows, render_journal

__all__ = [
    "JOURNAL_HEADERS",
    "DisciplineReport",
    "DisciplineRow",
    "OverdueLine",
    "build_discipline_report",
    "discipline_csv",
    "discipline_xlsx",
    "journal_rows",
    "overdue_csv",
    "render_discipline",
    "render_journal",
]
