"""Labels, separator sheets and the code stamped on a first page read back with zxing-cpp
from pages rendered by poppler, the way a scanner sees them."""

from __future__ import annotations

import io

import pendulum
import pytest
import zxingcpp
from pypdf import PdfReader

from edmscore.errors import ValidationError
from edmscore.pdf import stamp_pdf
from edmscore.scanning import (
    Label,
    LabelLayout,
    Symbology,
    card_code,
    code_stamp,
    label_pdf,
    separator_code,
    separator_pdf,
)
from edmscore.testing.scanning import render_pdf_page, text_page_pdf

LABEL = Label("0123456789abcdef0123456789abcdef", "вх-17", pendulum.date(2026, 12, 7))


def _codes(pdf: bytes, page: int = 1, dpi: int = 200) -> set[str]:
    return {b.text for b in zxingcpp.read_barcodes(render_pdf_page(pdf, page, dpi))}


@pytest.mark.parametrize("symbology", list(Symbology))
def test_a_label_reads_back_in_every_symbology(symbology: Symbology) -> None:
    layout = LabelLayout(100, 30, symbology) if symbology.linear else LabelLayout(58, 40, symbology)
    pdf = label_pdf([LABEL], layout)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == layout.width_mm
    assert _codes(pdf, dpi=300) == {card_code(LABEL.card_id)}


def test_a_sheet_holds_a_grid_and_each_label_reads() -> None:
    labels = [Label(f"{n:032x}", f"вх-{n}", pendulum.date(2026, 12, 7)) for n in range(1, 26)]
    pdf = label_pdf(labels, LabelLayout(70, 37, columns=3, rows=8))
    assert _codes(pdf, 1) == {card_code(label.card_id) for label in labels[:24]}
    assert _codes(pdf, 2) == {card_code(labels[24].card_id)}


def test_code128_on_a_narrow_label_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least"):
        label_pdf([LABEL], LabelLayout(40, 30, Symbology.CODE128))


def test_separator_sheets_read_either_way_up() -> None:
    pdf = separator_pdf([None, LABEL])
    assert _codes(pdf, 1, 100) == {separator_code()}
    assert _codes(pdf, 2, 100) == {separator_code(LABEL.card_id)}


def test_the_code_goes_on_the_first_page_clear_of_the_text() -> None:
    letter = text_page_pdf("Письмо", "О ремонте кровли", 1)
    result = stamp_pdf(letter, [code_stamp(LABEL)])
    assert result.pdf.startswith(letter)  # an incremental update
    (placed,) = result.placements
    assert placed.page == 1 and placed.box_mm[0] > 105 and placed.box_mm[1] < 60  # bottom right
    assert _codes(result.pdf, 1, 300) == {card_code(LABEL.card_id)}
