"""Reports a person reads: registration journals, appeals statistics."""

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
from edmscore.reports.journal import JOURNAL_HEADERS, journal_rows, render_journal

__all__ = [
    "APPEALS_HEADERS",
    "JOURNAL_HEADERS",
    "AppealsReport",
    "AppealsRow",
    "appeals_csv",
    "appeals_xlsx",
    "build_appeals_report",
    "journal_rows",
    "render_appeals",
    "render_journal",
]
