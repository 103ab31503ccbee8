"""The execution-discipline report (отчёт об исполнительской дисциплине) as text, CSV and XLSX.

The report itself — :class:`DisciplineReport` with its rows and overdue lines, and
:func:`build_discipline_report` — belongs to execution control (:mod:`edmscore.control`) and is
re-exported here; this module draws it as a text table, CSV, and XLSX
(``pip install '.[xlsx]'`` in a clone).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from edmscore.control import (
    DISCIPLINE_HEADERS,
    OVERDUE_HEADERS,
    DisciplineReport,
    DisciplineRow,
    OverdueLine,
    build_discipline_report,
)
from edmscore.errors import MissingDependency
from edmscore.reports._table import render_table

__all__ = [
    "DISCIPLINE_HEADERS",
    "OVERDUE_HEADERS",
    "DisciplineReport",
    "DisciplineRow",
    "OverdueLine",
    "build_discipline_report",
    "discipline_csv",
    "discipline_xlsx",
    "overdue_csv",
    "render_discipline",
]


def _number(value: str | int | float) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def render_discipline(report: DisciplineReport) -> str:
    """The report as text tables in Russian: by department, by executor, the overdue list."""
    widths = (28, 5, 9, 12, 11, 12, 6, 10, 10)
    parts = [report.heading, "", "По подразделениям"]

    def table(rows: Sequence[DisciplineRow]) -> str:
        body = [tuple(_number(c) for c in row.cells()) for row in (*rows, report.total)]
        return render_table(DISCIPLINE_HEADERS, body, widths)

    parts += [table(report.by_department), "", "По исполнителям", table(report.by_executor)]
    if report.overdue:
        lines = [tuple(_number(c) for c in line.cells()) for line in report.overdue]
        parts += ["", "Просроченные поручения"]
        parts.append(render_table(OVERDUE_HEADERS, lines, (14, 30, 20, 18, 16, 11, 11)))
    return "\n".join(parts) + "\n"


def discipline_csv(report: DisciplineReport, delimiter: str = ";") -> str:
    """The department and executor rows as CSV (a first column says which), then the total.

    Semicolons and decimal commas by default, as spreadsheet programs in Russian expect.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(("Разрез", *DISCIPLINE_HEADERS))
    for section, rows in (
        ("подразделение", report.by_department),
        ("исполнитель", report.by_executor),
    ):
        for row in rows:
            writer.writerow((section, *(_number(c) for c in row.cells())))
    writer.writerow(("итого", *(_number(c) for c in report.total.cells())))
    return out.getvalue()


def overdue_csv(report: DisciplineReport, delimiter: str = ";") -> str:
    """The overdue list as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(OVERDUE_HEADERS)
    for line in report.overdue:
        writer.writerow(tuple(_number(c) for c in line.cells()))
    return out.getvalue()


def discipline_xlsx(report: DisciplineReport) -> bytes:
    """The report as an XLSX workbook: one sheet per section. Needs the ``xlsx`` extra."""
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:
        raise MissingDependency("openpyxl", "xlsx") from exc
    book = Workbook()
    bold = Font(bold=True)
    sheets: list[tuple[str, Sequence[str], list[tuple[str | int | float, ...]]]] = [
        (
            "По подразделениям",
            DISCIPLINE_HEADERS,
            [r.cells() for r in (*report.by_department, report.total)],
        ),
        (
            "По исполнителям",
            DISCIPLINE_HEADERS,
            [r.cells() for r in (*report.by_executor, report.total)],
        ),
        ("Просроченные", OVERDUE_HEADERS, [line.cells() for line in report.overdue]),
    ]
    for index, (name, headers, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        sheet.append([report.heading])
        sheet.append(list(headers))
        for cell in sheet[2]:
            cell.font = bold
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
