"""Appeals statistics: questions by topic, status, author category and month, terms kept/missed.

Counted per question (as SSTU counts). A question's term is the appeal's consideration term, or
the redirect term when it was redirected by competence; it is *kept* when it closed by then,
*missed* when it closed later or is still open after it, and *in progress* otherwise. The report
holds no personal data: authors appear only as their social status and privileged category.

The counting lives with the appeals (:mod:`edmscore.appeals`): ``AppealsService.statistics``
counts only the appeals whose card the reader may see (the ``read_reports`` permission); this
module re-exports the report's model (and its headers) and prints it as text, CSV and XLSX.
"""

from __future__ import annotations

import csv
import io

from edmscore.appeals import APPEALS_HEADERS, AppealsReport, AppealsRow, build_appeals_report
from edmscore.errors import MissingDependency
from edmscore.reports._table import render_table

__all__ = [
    "APPEALS_HEADERS",
    "AppealsReport",
    "AppealsRow",
    "appeals_csv",
    "appeals_xlsx",
    "build_appeals_report",
    "render_appeals",
]


def render_appeals(report: AppealsReport) -> str:
    """The report as Russian text tables."""
    widths = (40, 8, 14, 11, 7, 12)
    parts = [f"{report.heading} (на {report.today.format('DD.MM.YYYY')})"]
    parts.append(f"Обращений: {report.appeals}")
    for title, rows in report.sections():
        cells = [[str(c) for c in r.cells()] for r in (*rows, report.total)]
        parts.append(f"\n{title}\n" + render_table(APPEALS_HEADERS, cells, widths))
    return "\n".join(parts) + "\n"


def appeals_csv(report: AppealsReport) -> str:
    """The report as CSV (``;``-separated, a section column first), for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(("Раздел", *APPEALS_HEADERS))
    for title, rows in report.sections():
        for row in (*rows, report.total):
            writer.writerow((title, *row.cells()))
    return out.getvalue()


def appeals_xlsx(report: AppealsReport) -> bytes:
    """The report as an XLSX workbook, one sheet per section. Needs the ``xlsx`` extra."""
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:
        raise MissingDependency("openpyxl", "xlsx") from exc
    book = Workbook()
    bold = Font(bold=True)
    for index, (title, rows) in enumerate(report.sections()):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title[:31]
        sheet.append([report.heading, f"на {report.today.format('DD.MM.YYYY')}"])
        sheet.append(list(APPEALS_HEADERS))
        for cell in sheet[2]:
            cell.font = bold
        for row in (*rows, report.total):
            sheet.append(list(row.cells()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
