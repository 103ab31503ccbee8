"""Stamping PDFs made by real producers, on rotated and cropped pages of A4, A3 and Letter.

Each stamped page is rendered by poppler (pdftoppm) before and after: the pixels that changed
must lie inside the boxes the stamper reports, every box must hold changed pixels, and pypdf
must read the marks' text back.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pendulum
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject, RectangleObject

from edmscore.pdf import (
    Anchor,
    CodeMark,
    Corner,
    ESignatureMark,
    Facsimile,
    NearText,
    RegistrationMark,
    RestrictionMark,
    Side,
    SignatureMarkData,
    Stamp,
    stamp_pdf,
)
from edmscore.pdf._render import render_mark

from .conftest import assert_marks_exactly_in, assert_upright, rewrite

DPI = 40
Render = Callable[[bytes, int, int], Image.Image]


def _prepare(pdf: bytes, rotate: int, crop: bool) -> bytes:
    def edit(writer: object) -> None:
        assert isinstance(writer, PdfWriter)
        page = writer.pages[0]
        if rotate:
            page[NameObject("/Rotate")] = NumberObject(rotate)
        if crop:
            media = page.mediabox
            page[NameObject("/CropBox")] = RectangleObject(
                [media.left + 40, media.bottom + 60, media.right - 30, media.top - 20]
            )

    return rewrite(pdf, edit)


@pytest.mark.parametrize("size", ["A4", "A3", "Letter"])
@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_marks_land_in_their_corners(
    libreoffice_pdfs: dict[str, bytes],
    render: Render,
    mark_data: SignatureMarkData,
    size: str,
    rotate: int,
) -> None:
    source = _prepare(libreoffice_pdfs[size], rotate, crop=size == "A4")
    stamps = [
        Stamp(
            ESignatureMark(mark_data), pages="first", placement=Anchor(Corner.BOTTOM_RIGHT, 15, 15)
        ),
        # Forced to their corners: the test is about corners on turned and cropped pages.
        Stamp(RestrictionMark(2), placement=Anchor(Corner.TOP_RIGHT, 10, 10)),
        Stamp(
            RegistrationMark("01-15/123", pendulum.date(2026, 11, 25)),
            placement=Anchor(Corner.TOP_LEFT, 20, 60),
        ),
    ]
    result = stamp_pdf(source, stamps)
    before, after = render(source, 1, DPI), render(result.pdf, 1, DPI)
    # The rendering is the page as the reader sees it: rotated pages are landscape/portrait swapped.
    reader = PdfReader(io.BytesIO(result.pdf))
    page = reader.pages[0]
    box = page.cropbox
    shown_w, shown_h = (box.height, box.width) if rotate in (90, 270) else (box.width, box.height)
    assert abs(after.width - shown_w / 72 * DPI) <= 1
    assert abs(after.height - shown_h / 72 * DPI) <= 1
    assert_marks_exactly_in(before, after, result.placements)
    drawn = render(render_mark(stamps[0].mark).pdf, 1, DPI)
    assert_upright(after, result.placements[0], drawn, DPI)
    # Corners as asked: the e-signature mark bottom right, the ДСП mark top right.
    esig, restriction, registration = result.placements
    width_mm, height_mm = shown_w / 72 * 25.4, shown_h / 72 * 25.4
    assert esig.box_mm[2] == pytest.approx(width_mm - 15, abs=0.2)
    assert esig.box_mm[1] == pytest.approx(15, abs=0.2)
    assert restriction.box_mm[2] == pytest.approx(width_mm - 10, abs=0.2)
    assert restriction.box_mm[3] == pytest.approx(height_mm - 10, abs=0.2)
    assert registration.box_mm[0] == pytest.approx(20, abs=0.2)
    text = page.extract_text()
    for line in ("ДОКУМЕНТ ПОДПИСАН", *mark_data.lines(), "Для служебного пользования"):
        assert line in text
    assert "Министерство финансов области" in text  # the page's own text is still there
    assert "№ 01-15/123 от 25.11.2026" in text


def test_signatory_page_near_text_with_facsimile(
    libreoffice_pdfs: dict[str, bytes],
    render: Render,
    mark_data: SignatureMarkData,
    facsimile_png: bytes,
) -> None:
    source = libreoffice_pdfs["A4"]
    stamps = [
        Stamp(ESignatureMark(mark_data), placement=NearText("Министр финансов области")),
        Stamp(Facsimile(facsimile_png, 35), placement=NearText("Петров П.П.", side=Side.RIGHT)),
    ]
    result = stamp_pdf(source, stamps)
    assert [p.page for p in result.placements] == [2, 2]
    assert [p.how for p in result.placements] == ["near-text", "near-text"]
    esig, facsimile = result.placements
    assert facsimile.box_mm[0] > 30  # right of the name, which starts at the 3 cm margin
    # The e-signature mark hangs below the position line, starting where it starts (3 cm).
    assert esig.box_mm[0] == pytest.approx(30, abs=1.5)
    assert not _overlap(esig.box_mm, facsimile.box_mm)
    assert_marks_exactly_in(render(source, 2, DPI), render(result.pdf, 2, DPI), result.placements)


def test_text_not_found_falls_back(
    libreoffice_pdfs: dict[str, bytes], mark_data: SignatureMarkData
) -> None:
    rule = NearText("Губернатор области", fallback=Anchor(Corner.BOTTOM_LEFT, 25, 30))
    result = stamp_pdf(libreoffice_pdfs["A4"], [Stamp(ESignatureMark(mark_data), placement=rule)])
    (placed,) = result.placements
    assert placed.how == "fallback"
    assert placed.box_mm[:2] == (25.0, 30.0)


def test_ghostscript_pdf(
    ghostscript_pdf: bytes, render: Render, mark_data: SignatureMarkData
) -> None:
    result = stamp_pdf(
        ghostscript_pdf,
        [Stamp(ESignatureMark(mark_data), placement=NearText("J. Smith", side=Side.BELOW))],
    )
    assert result.placements[0].how == "near-text"
    assert_marks_exactly_in(
        render(ghostscript_pdf, 1, DPI), render(result.pdf, 1, DPI), result.placements
    )
    assert "Петров Пётр Петрович" in PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("rotate", [0, 90])
def test_qr_code_on_the_page_decodes(
    libreoffice_pdfs: dict[str, bytes], render: Render, rotate: int
) -> None:
    """zxing-cpp (the reader paperless-ngx recommends) reads the card's link off the page."""
    import zxingcpp

    link = "https://edms.example/cards/2026/01-15-1234?журнал=исх"
    source = _prepare(libreoffice_pdfs["A4"], rotate, crop=False)
    result = stamp_pdf(source, [Stamp(CodeMark(link, size_mm=22, caption="01-15/1234"))])
    (placed,) = result.placements
    assert placed.page == 1
    assert placed.box_mm[2] == pytest.approx((297 if rotate else 210) - 10, abs=0.3)
    found = zxingcpp.read_barcodes(render(result.pdf, 1, 150))
    assert [code.text for code in found] == [link]
    assert "01-15/1234" in PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
