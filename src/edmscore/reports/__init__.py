"""Reports a person reads: registration journals (more come with later capabilities)."""

from __future__ import annotations

from edmscore.reports.journal import JOURNAL_HEADERS, journal_rows, render_journal

__all__ = ["JOURNAL_HEADERS", "journal_rows", "render_journal"]
