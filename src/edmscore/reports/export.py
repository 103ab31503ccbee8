"""Analytics reports as CSV and as XLSX workbooks with native Excel charts.

CSV: ``;``-separated, decimal commas and ``DD.MM.YYYY`` dates, as spreadsheet programs in
Russian expect; the heading, the column headings, the rows, the totals row. XLSX (the ``xlsx``
extra, openpyxl): the heading in row 1, bold headings in row 2 frozen above the rows, widths
fitted to the text, dates and decimals formatted, a bold totals row, and the report's chart as a
native Excel chart (``<c:barChart>`` or ``<c:lineChart>``) over the rows beside the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from edmscore.errors import MissingDependency, ValidationError
from edmscore.reports._report import Cell, Report

__all__ = ["report_csv", "report_xlsx", "reports_xlsx"]

_MAX_WIDTH = 60


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") or "0"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def report_csv(report: Report, delimiter: str = ";") -> str:
    """The report as CSV: heading, column headings, rows and the totals row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow((report.heading,))
    writer.writerow(report.headers)
    for row in report.rows:
        writer.writerow(tuple(_text(c) for c in row))
    if report.total is not None:
        writer.writerow(tuple(_text(c) for c in report.total))
    return out.getvalue()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _openpyxl() -> Any:
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:
        raise MissingDependency("openpyxl", "xlsx") from exc
    return Workbook


def report_xlsx(report: Report, *, chart: bool = True) -> bytes:
    """The report as an XLSX workbook with its chart (``chart=False``: the table alone).

    Needs the ``xlsx`` extra (openpyxl); written in openpyxl's streaming mode, so large reports
    take little memory.
    """
    return reports_xlsx([report], chart=chart)


def reports_xlsx(reports: Sequence[Report], *, chart: bool = True) -> bytes:
    """Several reports in one XLSX workbook, a sheet each (and a chart sheet where one sums)."""
    if not reports:
        raise ValidationError("reports", "a workbook needs at least one report")
    book = _openpyxl()(write_only=True)
    names: set[str] = set()
    for report in reports:
        _write_sheet(book, report, chart=chart, names=names)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _unique(name: str, names: set[str]) -> str:
    base, n = name[:31], 1
    while name[:31] in names:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]} {n}"
    names.add(name[:31])
    return name[:31]


def _write_sheet(book: Any, report: Report, *, chart: bool, names: set[str]) -> None:
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]

    sheet = book.create_sheet(_unique(report.title, names))
    bold = Font(bold=True)
    width = len(report.headers)
    widths = [len(h) for h in report.headers]
    for row in report.rows[:2000]:  # widths from a sample: enough to fit, cheap on large reports
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(_text(value)))
    for i, w in enumerate(widths):
        sheet.column_dimensions[_column_letter(i)].width = min(w + 2, _MAX_WIDTH)
    sheet.freeze_panes = "A3"
    title = WriteOnlyCell(sheet, report.heading)
    title.font = Font(bold=True, size=12)
    sheet.append([title])
    headings = []
    for h in report.headers:
        cell = WriteOnlyCell(sheet, h)
        cell.font = bold
        headings.append(cell)
    sheet.append(headings)
    sample = report.rows[0] if report.rows else ()
    floats = {i for i, v in enumerate(sample) if isinstance(v, float)}
    dates = {i for i, v in enumerate(sample) if isinstance(v, dt.date)}
    styled = sorted(floats | dates)
    for row in report.rows:
        if not styled:
            sheet.append(row)
            continue
        cells: list[object] = list(row)
        for i in styled:
            cell = WriteOnlyCell(sheet, row[i])
            cell.number_format = "DD.MM.YYYY" if i in dates else "0.00"
            cells[i] = cell
        sheet.append(cells)
    if report.total is not None:
        totals = []
        for value in report.total:
            cell = WriteOnlyCell(sheet, value)
            cell.font = bold
            totals.append(cell)
        sheet.append(totals)
    if chart and report.chart is not None and report.rows:
        if report.chart.aggregate:  # the chart draws a summary: it goes on a sheet of its own
            sheet = _summary_sheet(book, report, bold, _unique("Диаграмма", names))
            sheet.add_chart(_chart(report, sheet, summary=True), "D2")
        else:
            sheet.add_chart(_chart(report, sheet), f"{_column_letter(width + 1)}3")


def _summary_sheet(book: Any, report: Report, bold: Any, name: str) -> Any:
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped, unused-ignore]

    spec = report.chart
    assert spec is not None
    sheet = book.create_sheet(name)
    sheet.column_dimensions["A"].width = 40
    headings = []
    for h in (report.headers[spec.category], *(report.headers[i] for i in spec.series)):
        cell = WriteOnlyCell(sheet, h)
        cell.font = bold
        headings.append(cell)
    sheet.append(headings)
    for category, values in report.chart_rows():
        sheet.append([category, *values])
    return sheet


def _chart(report: Report, sheet: object, *, summary: bool = False) -> object:
    from openpyxl.chart import (  # type: ignore[import-untyped, unused-ignore]
        BarChart,
        LineChart,
        Reference,
    )
    from openpyxl.chart.data_source import (  # type: ignore[import-untyped, unused-ignore]
        AxDataSource,
        StrRef,
    )

    spec = report.chart
    assert spec is not None
    if summary:  # the summary sheet: categories in A, series in B… from row 2
        first, last, heading_row = 2, 1 + len(report.chart_rows()), 1
        columns = [2 + n for n in range(len(spec.series))]
        category_column = 1
    else:
        first, last, heading_row = 3, 2 + len(report.rows), 2
        columns = [i + 1 for i in spec.series]
        category_column = spec.category + 1
    made = LineChart() if spec.kind == "line" else BarChart()
    made.title = spec.title
    made.y_axis.title = spec.y_title
    made.height, made.width = 9, 18
    for column in columns:
        data = Reference(sheet, min_col=column, min_row=heading_row, max_row=last)
        made.add_data(data, titles_from_data=True)
    categories = Reference(sheet, min_col=category_column, min_row=first, max_row=last)
    for series in made.series:  # the categories are text: a string reference, as Excel writes
        series.cat = AxDataSource(strRef=StrRef(f=str(categories)))
    return made


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())
