"""Reports a person reads: registration journals, execution discipline, appeals statistics;
and analytics over the organisation tree (:mod:`edmscore.reports.analytics`) with its read
model (:mod:`edmscore.reports.rows`), CSV/XLSX (:mod:`edmscore.reports.export`), charts
(:mod:`edmscore.reports.charts`) and dataframes (:mod:`edmscore.reports.frames`)."""

from __future__ import annotations

from edmscore.reports.analytics import REPORTS, ChartSpec, Report
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
from edmscore.reports.export import report_csv, report_xlsx
from edmscore.reports.journal import JOURNAL_HEADERS, journal_rows, render_journal
from edmscore.reports.rows import READ_MODEL_VERSION

__all__ = [
    "APPEALS_HEADERS",
    "JOURNAL_HEADERS",
    "READ_MODEL_VERSION",
    "REPORTS",
    "AppealsReport",
    "AppealsRow",
    "ChartSpec",
    "DisciplineReport",
    "DisciplineRow",
    "OverdueLine",
    "Report",
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
    "report_csv",
    "report_xlsx",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
