"""The approval sheet as a printable A4 page (or pages), standalone or appended to a document.

Drawn with fpdf2 in the DejaVu Sans that :mod:`edmscore.pdf` ships, embedded as a subset with a
ToUnicode map, so the Russian text is vector text that pypdf and other readers extract.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from edmscore.approval._sheet import ApprovalSheet, SheetCycle, SheetRow
from edmscore.approval._sheet_table import draw_table, is_split, plain_text, plan_table
from edmscore.pdf import font_path
from edmscore.pdf._append import append_pages
from edmscore.pdf._reading import DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES

__all__ = ["append_approval_sheet", "render_approval_sheet"]

_FAMILY = "EdmsSans"
_HEADER = ("№", "Участник, должность", "Решение", "Дата и время", "Замечания", "Отметка о подписи")
_WIDTHS = (8, 48, 27, 22, 45, 30)
_LINE_HEIGHT = 4
_HEADING_FILL = (235, 235, 235)


def _cells(row: SheetRow) -> tuple[str, ...]:
    at = "" if row.at is None else row.at.format("DD.MM.YYYY HH:mm")
    return (
        str(row.number),
        row.participant_cell,
        row.decision_cell,
        at,
        row.remarks,
        row.signature_mark,
    )


def _fpdf_table(pdf: FPDF, rows: list[tuple[str, ...]]) -> None:
    """The same table through fpdf2's ``table()``: for text :func:`plan_table` leaves to it."""
    with pdf.table(
        col_widths=_WIDTHS,
        line_height=_LINE_HEIGHT,
        text_align="LEFT",
        cell_fill_mode=TableCellFillMode.NONE,
        headings_style=FontFace(emphasis="BOLD", fill_color=_HEADING_FILL),
        first_row_as_headings=True,
        width=sum(_WIDTHS),
    ) as table:
        table.row(_HEADER)
        for cells in rows:
            table.row(cells)


def _cycle_table(pdf: FPDF, cycle: SheetCycle, fast: bool) -> None:
    pdf.set_font(_FAMILY, "B", 10)
    pdf.multi_cell(0, 5, cycle.heading, align="L", new_x="LMARGIN", new_y="NEXT")
    started = cycle.started_at.format("DD.MM.YYYY HH:mm")
    finished = "" if cycle.finished_at is None else cycle.finished_at.format("DD.MM.YYYY HH:mm")
    pdf.set_font(_FAMILY, "", 8)
    line = f"Начат {started}" + (f", завершён {finished}" if finished else "")
    if cycle.version_sha256:
        line += f"; SHA-256 версии: {cycle.version_sha256}"
    pdf.multi_cell(0, 4, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    rows = [_cells(row) for row in cycle.rows]
    plan = plan_table(pdf, _HEADER, rows, _WIDTHS, _LINE_HEIGHT, _HEADING_FILL) if fast else None
    if plan is None and fast:
        # Text fpdf2 breaks by rules of its own goes through its table(), unless a row is taller
        # than a page: table() refuses that, so such a table is drawn here with plain spaces.
        plain = [tuple(plain_text(text) for text in row) for row in rows]
        plan = plan_table(pdf, _HEADER, plain, _WIDTHS, _LINE_HEIGHT, _HEADING_FILL)
        if plan is not None and not is_split(plan, len(rows)):
            plan = None
    if plan is not None:
        draw_table(pdf, plan)
    else:
        _fpdf_table(pdf, rows)
    pdf.ln(4)


def render_approval_sheet(sheet: ApprovalSheet) -> bytes:
    """The sheet as a PDF of A4 pages (a long history runs over several)."""
    return _render(sheet, fast=True)


def _render(sheet: ApprovalSheet, *, fast: bool) -> bytes:
    """The sheet's PDF; ``fast=False`` draws every table with fpdf2's ``table()`` (reference)."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_creator("edmscore")
    pdf.set_title("Лист согласования")
    pdf.add_font(_FAMILY, "", font_path())
    pdf.add_font(_FAMILY, "B", font_path(bold=True))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(_FAMILY, "", 9)
    pdf.multi_cell(0, 4.5, sheet.organisation, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(_FAMILY, "B", 14)
    pdf.cell(0, 8, "ЛИСТ СОГЛАСОВАНИЯ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FAMILY, "", 10)
    pdf.multi_cell(0, 5, sheet.document, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FAMILY, "", 8)
    pdf.multi_cell(
        0,
        4,
        f"Проект № {sheet.draft_number}. Состояние: {sheet.state}. Время: {sheet.timezone}.",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    if not sheet.cycles:
        pdf.set_font(_FAMILY, "", 10)
        pdf.cell(0, 6, "Проект на согласование не направлялся.", new_x="LMARGIN", new_y="NEXT")
    for cycle in sheet.cycles:
        _cycle_table(pdf, cycle, fast)
    return bytes(pdf.output())


def append_approval_sheet(
    document: bytes,
    sheet: ApprovalSheet,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> bytes:
    """``document`` (a PDF) with the sheet's pages after its last page.

    The pages are appended by an incremental update: the document's bytes stay a prefix of the
    result, nothing of them is rewritten, so nothing of the document can be lost (and a
    signature over it still covers the revision it signed). A damaged, password-protected,
    locked, empty or oversized document is a :class:`~edmscore.errors.PdfError`.
    """
    return append_pages(
        document, render_approval_sheet(sheet), max_bytes=max_bytes, max_pages=max_pages
    )
