"""The archive's forms on paper and for editing: PDF (A4, Cyrillic), XLSX and DOCX, typed rows.

- :func:`inventory_pdf`, :func:`act_pdf`, :func:`internal_inventory_pdf` — A4 pages drawn with
  fpdf2 in the DejaVu Sans that :mod:`edmscore.pdf` ships, embedded as a subset with a ToUnicode
  map, so the Russian text is vector text any reader extracts; the column headings repeat on
  every page;
- :func:`inventory_xlsx`, :func:`act_xlsx` — workbooks (the ``xlsx`` extra, openpyxl);
- :func:`inventory_docx`, :func:`act_docx` — Word documents officials edit before signing
  (the ``docx`` extra, python-docx);
- :func:`inventory_rows`, :func:`act_rows` — the same rows as tuples of text, for hosts.

Every form carries the organisation's name, the heading, the table in the form's columns, the
closing note or total, and the lines for signatures and approval.
"""

from __future__ import annotations

import io

import attrs

from edmscore.archive._case_file import Volume
from edmscore.archive._destruction import ACT_HEADERS, DestructionAct
from edmscore.archive._inventory import Inventory
from edmscore.errors import MissingDependency
from edmscore.pdf import font_path

__all__ = [
    "Form",
    "act_docx",
    "act_form",
    "act_pdf",
    "act_rows",
    "act_xlsx",
    "form_docx",
    "form_pdf",
    "form_xlsx",
    "internal_inventory_form",
    "internal_inventory_pdf",
    "inventory_docx",
    "inventory_form",
    "inventory_pdf",
    "inventory_rows",
    "inventory_xlsx",
]

_FAMILY = "EdmsSans"
_INTERNAL_HEADERS = (
    "№ п/п", "Регистрационный индекс документа", "Дата документа", "Заголовок документа",
    "Номера листов дела", "Примечание",
)  # fmt: skip


@attrs.frozen
class Form:
    """A form laid out for any output: heading lines, the table, closing and signature lines."""

    title: str
    heading: tuple[str, ...]
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    rows: tuple[tuple[str, ...], ...]
    closing: tuple[str, ...]
    signatures: tuple[str, ...]
    landscape: bool = False


def inventory_rows(inventory: Inventory) -> tuple[tuple[str, ...], ...]:
    """The inventory's rows in its form's columns."""
    return tuple(row.cells(inventory.kind) for row in inventory.rows)


def act_rows(act: DestructionAct) -> tuple[tuple[str, ...], ...]:
    """The act's rows in its eight columns."""
    return tuple(row.cells() for row in act.rows)


def inventory_form(inventory: Inventory, organisation: str) -> Form:
    """The inventory laid out: «УТВЕРЖДАЮ» block, heading, table, closing note, approval."""
    widths = (12, 22, 80, 30, 20, 16) if not inventory.kind.has_retention_column else (
        12, 20, 64, 28, 26, 16, 14)  # fmt: skip
    approval = (
        f"Утверждено протоколом {inventory.approval.text}"
        if inventory.approval is not None
        else "УТВЕРЖДЕНО протоколом ЭК от «___» ________ 20__ г. № ___"
    )
    return Form(
        inventory.title,
        (organisation, "", inventory.title, inventory.section),
        inventory.headers,
        widths,
        inventory_rows(inventory),
        (inventory.closing_note,),
        (
            "Составитель описи: ______________________ (должность, подпись, расшифровка)",
            f"Дата составления: {inventory.compiled_on.format('DD.MM.YYYY')}",
            approval,
        ),
    )


def act_form(act: DestructionAct, organisation: str) -> Form:
    """The act laid out: heading, statement, table, total, inventories line, signatures."""
    approved = (
        f"УТВЕРЖДАЮ: {act.approved_by}, {act.approved_on.format('DD.MM.YYYY')}"
        if act.approved_by is not None and act.approved_on is not None
        else "УТВЕРЖДАЮ: ______________________ «___» ________ 20__ г."
    )
    heading = (
        organisation,
        approved,
        f"АКТ № {act.number} от {act.drawn_up_on.format('DD.MM.YYYY')}",
        "о выделении к уничтожению документов, не подлежащих хранению",
        "На основании перечня документов с указанием сроков их хранения отобраны "
        "к уничтожению как не имеющие научно-исторической ценности и утратившие практическое "
        "значение документы:",
    )
    closing = [act.total_line]
    if act.inventories_line:
        closing.append(act.inventories_line)
    return Form(
        f"Акт № {act.number} о выделении к уничтожению документов",
        heading,
        ACT_HEADERS,
        (10, 62, 30, 32, 30, 22, 40, 40),
        act_rows(act),
        tuple(closing),
        (
            "Составитель: ______________________ (должность, подпись, расшифровка)",
            "СОГЛАСОВАНО: протокол ЭК от «___» ________ 20__ г. № ___",
        ),
        landscape=True,
    )


def internal_inventory_form(volume: Volume, case_title: str, index: str) -> Form:
    """The internal inventory of one volume of a case."""
    title = f"ВНУТРЕННЯЯ ОПИСЬ документов дела № {index}, том {volume.number}"
    return Form(
        title,
        (title, case_title),
        _INTERNAL_HEADERS,
        (12, 34, 24, 70, 24, 16),
        tuple(row.cells() for row in volume.internal_inventory()),
        (volume.internal_inventory_total(),),
        ("Составитель: ______________________ (должность, подпись, расшифровка)",),
    )


# --- PDF -----------------------------------------------------------------------------------


def form_pdf(form: Form) -> bytes:
    """The form as a PDF of A4 pages, the column headings repeated on each page."""
    from fpdf import FPDF
    from fpdf.enums import TableCellFillMode
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="L" if form.landscape else "P", unit="mm", format="A4")
    pdf.set_creator("edmscore")
    pdf.set_title(form.title)
    pdf.set_lang("ru-RU")
    pdf.add_font(_FAMILY, "", font_path())
    pdf.add_font(_FAMILY, "B", font_path(bold=True))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    scale = (pdf.epw) / sum(form.widths)
    for n, line in enumerate(form.heading):
        if not line:
            continue
        bold = n == 0 or line.startswith(("АКТ", "ВНУТРЕННЯЯ", "Опись"))
        pdf.set_font(_FAMILY, "B" if bold else "", 11 if bold else 10)
        pdf.multi_cell(0, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(2)
    pdf.set_font(_FAMILY, "", 8)
    with pdf.table(
        col_widths=tuple(w * scale for w in form.widths),
        line_height=4,
        text_align="LEFT",
        cell_fill_mode=TableCellFillMode.NONE,
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        table.row(form.headers)
        table.row(tuple(str(n) for n in range(1, len(form.headers) + 1)))
        for cells in form.rows:
            table.row(cells)
    pdf.ln(4)
    pdf.set_font(_FAMILY, "", 10)
    for line in (*form.closing, "", *form.signatures):
        pdf.multi_cell(0, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def inventory_pdf(inventory: Inventory, organisation: str) -> bytes:
    """The inventory as an A4 PDF."""
    return form_pdf(inventory_form(inventory, organisation))


def act_pdf(act: DestructionAct, organisation: str) -> bytes:
    """The destruction act as an A4 PDF (landscape: eight columns)."""
    return form_pdf(act_form(act, organisation))


def internal_inventory_pdf(volume: Volume, case_title: str, index: str) -> bytes:
    """The internal inventory of a volume as an A4 PDF."""
    return form_pdf(internal_inventory_form(volume, case_title, index))


# --- XLSX ----------------------------------------------------------------------------------


def form_xlsx(form: Form) -> bytes:
    """The form as a workbook: heading lines, the table with bold headings, closing lines."""
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped, unused-ignore]
    except ModuleNotFoundError as exc:
        raise MissingDependency("openpyxl", "xlsx") from exc
    book = Workbook()
    sheet = book.active
    sheet.title = form.title[:31]
    for line in form.heading:
        sheet.append([line])
    sheet.append([])
    sheet.append(list(form.headers))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cells in form.rows:
        sheet.append([int(c) if c.isdigit() else c for c in cells])
    sheet.append([])
    for line in (*form.closing, *form.signatures):
        sheet.append([line])
    letters = "ABCDEFGHIJ"
    for n, width in enumerate(form.widths):
        sheet.column_dimensions[letters[n]].width = max(6, width * 0.6)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def inventory_xlsx(inventory: Inventory, organisation: str) -> bytes:
    """The inventory as an XLSX workbook."""
    return form_xlsx(inventory_form(inventory, organisation))


def act_xlsx(act: DestructionAct, organisation: str) -> bytes:
    """The destruction act as an XLSX workbook."""
    return form_xlsx(act_form(act, organisation))


# --- DOCX ----------------------------------------------------------------------------------


def form_docx(form: Form) -> bytes:
    """The form as a Word document: heading paragraphs, a table, closing and signature lines."""
    try:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm, Pt
    except ModuleNotFoundError as exc:
        raise MissingDependency("python-docx", "docx") from exc
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if form.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(15))
    document.core_properties.title = form.title
    document.core_properties.language = "ru-RU"
    for line in form.heading:
        if line:
            document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(form.headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, form.headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = Pt(9)
    for cells in form.rows:
        row = table.add_row().cells
        for cell, text in zip(row, cells, strict=True):
            cell.text = text
    for line in (*form.closing, *form.signatures):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def inventory_docx(inventory: Inventory, organisation: str) -> bytes:
    """The inventory as a DOCX document."""
    return form_docx(inventory_form(inventory, organisation))


def act_docx(act: DestructionAct, organisation: str) -> bytes:
    """The destruction act as a DOCX document."""
    return form_docx(act_form(act, organisation))


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
