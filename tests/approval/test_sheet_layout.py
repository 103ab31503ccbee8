"""The sheet's one-pass table draws the page fpdf2's ``table()`` drew: same lines, places, pages.

The reference is the earlier drawing itself (``_render(sheet, fast=False)``, fpdf2's ``table()``
API), rendered in the same test; the expected rows, their order and the page breaks are also
computed from the sheet's rows, independently of either drawing.
"""

from __future__ import annotations

import io
import re

import attrs
import pendulum
import pytest
from fpdf import FPDF
from fpdf.fonts import TTFFont
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops
from pypdf import PageObject, PdfReader

from edmscore.approval import ApprovalSheet, SheetCycle, SheetRow, render_approval_sheet
from edmscore.approval._sheet_pdf import _render
from edmscore.approval._sheet_table import _wrap
from edmscore.pdf import font_path
from tests.pdf.conftest import render_page

Run = tuple[str, float, float]  # text, x, y in points
FIRST_COLUMN_X = 16 / 25.4 * 72  # the table starts at 15 mm, its text 1 mm in

LONG = (
    "Просим уточнить формулировку пункта 3: срок исполнения указан в календарных днях, тогда "
    "как регламент требует рабочих; кроме того, перечень адресатов неполон — нет управления "
    "делами и отдела контроля. Приложение 2 не подписано исполнителем."
)


def _row(number: int) -> SheetRow:
    at = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Yakutsk").add(minutes=7 * number)
    remarks = ""
    if number % 10 == 3:
        remarks = LONG
    elif number % 10 == 7:
        remarks = f"Замечание {number}\nФайл: замечания_{number}.docx"
    return SheetRow(
        number=number,
        stage="Все",
        participant=f"Участников И{number}.О.",
        position=f"Начальник отдела {number} управления делами"
        + (" и документационного обеспечения" if number % 4 == 0 else ""),
        acting_for="Иванов И.И." if number % 9 == 0 else "",
        decision="Согласовано с замечаниями" if remarks else "Согласовано",
        at=None if number % 11 == 0 else at,
        remarks=remarks,
        signature_mark="Электронная виза" if number % 11 else "",
        term_days=3 if number % 5 == 0 else None,
        due=pendulum.date(2026, 3, 5) if number % 5 == 0 else None,
    )


def _sheet(rows: int, cycles: int = 1) -> ApprovalSheet:
    start = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Yakutsk")
    return ApprovalSheet(
        organisation="Министерство цифрового развития и связи Республики Саха (Якутия)",
        document="Письмо: О развитии сетей связи в труднодоступных населённых пунктах",
        draft_number="П-17",
        timezone="Asia/Yakutsk",
        cycles=tuple(
            SheetCycle(
                number=c + 1,
                version_number=c + 1,
                version_sha256="ab" * 32,
                outcome="Отклонён" if c + 1 < cycles else "На подписании",
                started_at=start,
                finished_at=start.add(days=1) if c + 1 < cycles else None,
                rows=tuple(_row(n) for n in range(1, rows + 1)),
            )
            for c in range(cycles)
        ),
        state="На подписании",
    )


def _runs(pdf: bytes) -> list[list[Run]]:
    """Every text run of every page, with its place (pypdf's visitor)."""
    return [_page_runs(page) for page in PdfReader(io.BytesIO(pdf)).pages]


def _page_runs(page: PageObject) -> list[Run]:
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), round(x, 2), round(y, 2)))

    page.extract_text(visitor_text=visit)
    return runs


def _numbers(runs: list[Run]) -> list[int]:
    """The row numbers in the first column, top to bottom."""
    column = [(y, text) for text, x, y in runs if abs(x - FIRST_COLUMN_X) < 1]
    return [int(text) for _, text in sorted(column, reverse=True) if text.isdigit()]


@pytest.mark.parametrize(("rows", "cycles"), [(101, 1), (7, 3), (1, 1)])
def test_the_page_is_the_one_the_table_api_drew(rows: int, cycles: int) -> None:
    sheet = _sheet(rows, cycles)
    fast, reference = render_approval_sheet(sheet), _render(sheet, fast=False)
    assert _runs(fast) == _runs(reference)


def test_a_101_row_sheet_reads_back_in_order_over_several_pages() -> None:
    sheet = _sheet(101)
    pdf = render_approval_sheet(sheet)
    pages = _runs(pdf)
    assert len(pages) == len(_runs(_render(sheet, fast=False))) > 1
    # Every row once, in order; no row split between pages; the heading on every page.
    per_page = [_numbers(runs) for runs in pages]
    assert [n for numbers in per_page for n in numbers] == list(range(1, 102))
    for runs, numbers in zip(pages, per_page, strict=True):
        assert numbers and [text for text, _, _ in runs].count("Участник, должность") == 1
    # The heading row sits above the first row of each page; rows go down the page.
    for runs in pages:
        heading_y = next(y for text, _, y in runs if text == "Участник, должность")
        rows_y = [y for text, x, y in runs if abs(x - FIRST_COLUMN_X) < 1 and text.isdigit()]
        assert rows_y == sorted(rows_y, reverse=True) and heading_y > rows_y[0]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = re.sub(r"\s+", " ", text)
    for row in sheet.cycles[0].rows:
        assert row.participant in text and row.position.split()[0] in text
        if row.at is not None:
            assert row.at.format("DD.MM.YYYY HH:mm").split()[0] in text
    # The long remark wraps onto several lines and reads back whole.
    assert re.sub(r"\s+", " ", LONG) in flat
    long_lines = [t for t, _, _ in pages[0] if t and t in LONG and len(t) > 10]
    assert len(long_lines) >= 4


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(
        st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюя АБВЯ.,;:-—«»()0123456789\n\r№W")),
        max_size=160,
    ),
    width=st.sampled_from([8.0, 22.0, 27.0, 30.0, 45.0, 48.0]),
    bold=st.booleans(),
)
def test_wrapping_equals_fpdf2_multi_cell(text: str, width: float, bold: bool) -> None:
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font("S", "B" if bold else "", font_path(bold=bold))
    pdf.add_page()
    pdf.set_font("S", "B" if bold else "", 8)
    expected = pdf.multi_cell(width, 4, text, align="L", dry_run=True, output="LINES")
    room = width
    room -= pdf.c_margin
    room -= pdf.c_margin
    font = pdf.current_font
    assert isinstance(font, TTFFont)
    assert _wrap(text, font.cw, 8, pdf.k, room) == expected


def test_text_fpdf2_breaks_by_other_rules_goes_through_the_table_api() -> None:
    sheet = _sheet(3)
    odd = SheetRow(4, "Все", "Ким\u00a0Е.С.", "Юрист", "", "Согласовано", None, "пере\u00adнос", "")
    cycle = sheet.cycles[0]
    sheet = ApprovalSheet(
        sheet.organisation,
        sheet.document,
        sheet.draft_number,
        sheet.timezone,
        (SheetCycle(1, 1, None, "Идёт", cycle.started_at, None, (*cycle.rows, odd)),),
        sheet.state,
    )
    pdf = render_approval_sheet(sheet)
    assert _runs(pdf) == _runs(_render(sheet, fast=False))
    assert "Ким" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _image(pdf: bytes, page: int) -> Image.Image:
    return render_page(pdf, page, dpi=40)


def test_pages_render_to_the_same_pixels() -> None:
    sheet = _sheet(40, 2)
    fast, reference = render_approval_sheet(sheet), _render(sheet, fast=False)
    count = len(PdfReader(io.BytesIO(fast)).pages)
    assert count == len(PdfReader(io.BytesIO(reference)).pages) > 1
    for page in (1, count):
        assert ImageChops.difference(_image(fast, page), _image(reference, page)).getbbox() is None


def _words_in_order(pdf: bytes) -> list[str]:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return text.split()


@pytest.mark.parametrize("space", [" ", "\u00a0"])
def test_a_remark_taller_than_a_page_runs_on_over_the_next_pages_whole(space: str) -> None:
    # The longest remark a visa takes (4,000 characters), many lines of it: fpdf2's table()
    # refuses a row taller than a page; the sheet splits it and loses no word.
    words = [f"слово{i}" for i in range(500)]
    remark = "\n".join(space.join(words[i : i + 5]) for i in range(0, 500, 5))[:4000]
    tall = SheetRow(
        number=2,
        stage="Все",
        participant="Петров П.П.",
        position="Заместитель министра",
        acting_for="",
        decision="Согласовано с замечаниями",
        at=pendulum.datetime(2026, 3, 2, 10, tz="Asia/Yakutsk"),
        remarks=remark,
        signature_mark="Электронная виза",
        term_days=None,
        due=None,
    )
    base = _sheet(3)
    cycle = base.cycles[0]
    rows = (cycle.rows[0], tall, cycle.rows[2])
    sheet = attrs.evolve(base, cycles=(attrs.evolve(cycle, rows=rows),))
    pdf = render_approval_sheet(sheet)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3  # about 100 lines of 4 mm do not fit one A4 page
    expected = remark.replace("\u00a0", " ").split()
    found = [w for w in _words_in_order(pdf) if w.startswith("слово")]
    assert found == expected  # every word, once, in order
    numbers = [n for page in _runs(pdf) for n in _numbers(page)]
    assert numbers[0] == 1 and numbers[-1] == 3 and 2 in numbers
