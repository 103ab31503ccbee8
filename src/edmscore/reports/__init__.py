"""Reports a person reads: registration journals, execution discipline, appeals statistics."""

from __future__ import annotations

from edmscore.reports.appeals import (
    APPEALS_HEADERS,
    AppealsReport,
    AppealsRow,
    appeals_csv,
    appeals_xlsx,
    build_appeals_report,
    render_appeals,
)
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
    "APPEALS_HEADERS",
    "JOURNAL_HEADERS",
    "AppealsReport",
    "AppealsRow",
    "DisciplineReport",
    "DisciplineRow",
    "OverdueLine",
    "appeals_csv",
    "appeals_xlsx",
    "build_appeals_report",
    "build_discipline_report",
    "discipline_csv",
    "discipline_xlsx",
    "journal_rows",
    "overdue_csv",
    "render_appeals",
    "render_discipline",
    "render_journal",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
