"""Placement rules: page selection, several marks without overlap, free space off the text."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from edmscore.errors import PlacementError, ValidationError
from edmscore.pdf import (
    Anchor,
    Corner,
    ESignatureMark,
    Fallback,
    FreeSpace,
    NearText,
    PageFrame,
    PageSpec,
    SignatureMarkData,
    Stamp,
    Standard,
    stamp_pdf,
)
from edmscore.pdf._geometry import MM, Box
from edmscore.pdf._placement import select_pages
from edmscore.pdf._text import find_text, text_runs

from .conftest import raw_pdf, stream


def _text_page_pdf(
    lines: Sequence[tuple[float, float, str]], pages: int = 1, size: tuple[int, int] = (595, 842)
) -> bytes:
    """A PDF (by hand, Helvetica) with the given lines of text at (x, y) on each page."""
    content = "".join(f"BT /F1 12 Tf {x} {y} Td ({text}) Tj ET\n" for x, y, text in lines)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]} {size[1]}]"
            f" /Contents {5 + 2 * i} 0 R"
            " /Resources << /Font << /F1 3 0 R >> >> >>"
        )
        objects.append(stream(content))
    return raw_pdf(objects)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("first", [0]),
        ("last", [4]),
        ("all", [0, 1, 2, 3, 4]),
        (3, [2]),
        ("2", [1]),
        ([5, 1, 5], [4, 0]),
    ],
)
def test_select_pages(spec: PageSpec, expected: list[int]) -> None:
    assert select_pages(spec, 5) == expected


def test_select_pages_refuses_what_is_not_there() -> None:
    with pytest.raises(PlacementError):
        select_pages([6], 5)
    with pytest.raises(PlacementError):
        select_pages(0, 5)
    with pytest.raises(ValidationError):
        select_pages("middle", 5)
    with pytest.raises(ValidationError):
        select_pages([], 5)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=2, max_value=4), st.sampled_from(list(Corner)))
def test_several_signers_never_overlap(count: int, corner: Corner) -> None:
    source = _text_page_pdf([(72, 760, "Text")])
    marks = [
        Stamp(
            ESignatureMark(
                SignatureMarkData(
                    format(1000 + i, "x"), f"Подписант {i}", "2025-01-01", "2026-01-01"
                )
            ),
            pages="first",
            placement=Anchor(corner, 15, 15),
        )
        for i in range(count)
    ]
    result = stamp_pdf(source, marks)
    boxes = [Box(*p.box_mm) for p in result.placements]
    for i, one in enumerate(boxes):
        assert one.inside(Box(0, 0, 210, 297.1))
        for other in boxes[i + 1 :]:
            assert not one.intersects(other)
    text = PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
    assert all(f"Подписант {i}" in text for i in range(count))


def test_too_many_marks_for_the_page_is_a_placement_error(mark_data: SignatureMarkData) -> None:
    source = _text_page_pdf([(20, 100, "Text")], size=(320, 240))  # a small card
    marks = [
        Stamp(
            ESignatureMark(attrs.evolve(mark_data, serial_hex=f"{i:x}")),
            pages="first",
            placement=Standard(fallback=Fallback.REFUSE),
        )
        for i in range(1, 5)
    ]
    with pytest.raises(PlacementError):
        stamp_pdf(source, marks)


def test_marks_that_do_not_fit_go_to_an_added_page(mark_data: SignatureMarkData) -> None:
    source = _text_page_pdf([(20, 100, "Text")], size=(320, 240))  # a small card
    marks = [
        Stamp(ESignatureMark(attrs.evolve(mark_data, serial_hex=f"{i:x}")), pages="first")
        for i in range(1, 5)
    ]
    result = stamp_pdf(source, marks)
    hows = [placed.how for placed in result.placements]
    assert "new-page" in hows, hows
    reader = PdfReader(io.BytesIO(result.pdf))
    assert len(reader.pages) == 2
    moved = [p for p in result.placements if p.how == "new-page"]
    assert {p.page for p in moved} == {2}
    assert all(p.page == 1 for p in result.placements if p.how != "new-page")
    text = reader.pages[1].extract_text()
    for placed in moved:
        index = result.placements.index(placed)
        assert f"Сертификат {index + 1:x}" in text.replace("\n", " ")
    # The added page is the size of the card, and no mark on it overlaps another.
    assert [round(float(v)) for v in reader.pages[1].mediabox] == [0, 0, 320, 240]
    boxes = [Box(*p.box_mm) for p in moved]
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_free_space_avoids_the_text(mark_data: SignatureMarkData) -> None:
    # Text lines fill the bottom part of the page where the mark would go by default.
    lines = [
        (40, 30 + 14 * i, "Lorem ipsum dolor sit amet, consectetur adipiscing elit")
        for i in range(12)
    ]
    source = _text_page_pdf(lines)
    rule = FreeSpace(preferred=Anchor(Corner.BOTTOM_LEFT, 15, 15))
    result = stamp_pdf(source, [Stamp(ESignatureMark(mark_data), pages="first", placement=rule)])
    (placed,) = result.placements
    assert placed.how == "free-space"
    reader = PdfReader(io.BytesIO(source))
    runs = text_runs(reader.pages[0], PageFrame.of((0, 0, 595, 842), 0))
    assert len(runs) == 12
    mark = Box(*(v * MM for v in placed.box_mm))
    assert not any(mark.intersects(run.box) for run in runs)
    # It is the nearest free spot: just above the text block, not far up the page.
    assert placed.box_mm[1] < 100


def test_free_space_on_a_full_page(mark_data: SignatureMarkData) -> None:
    lines = [(5, 5 + 12 * i, "W" * 90) for i in range(70)]
    source = _text_page_pdf(lines)
    with pytest.raises(PlacementError, match="free space"):
        stamp_pdf(source, [Stamp(ESignatureMark(mark_data), pages="first", placement=FreeSpace())])
    lenient = FreeSpace(required=False)
    result = stamp_pdf(source, [Stamp(ESignatureMark(mark_data), pages="first", placement=lenient)])
    assert result.placements[0].how == "covers-text"


def test_find_text_joins_runs_of_a_line() -> None:
    source = _text_page_pdf([(72, 700, "Glava"), (110, 700, "goroda"), (72, 650, "Ivanov I.I.")])
    runs = text_runs(PdfReader(io.BytesIO(source)).pages[0], PageFrame.of((0, 0, 595, 842), 0))
    found = find_text(runs, "glava  GORODA")
    assert found is not None
    assert found.left == pytest.approx(72)
    assert find_text(runs, "Petrov") is None
    # Text set letter by letter (one run a glyph) is still found.
    letters = [(300 + 8 * i, 500, letter) for i, letter in enumerate("Sidorov")]
    spaced = _text_page_pdf(letters)
    runs = text_runs(PdfReader(io.BytesIO(spaced)).pages[0], PageFrame.of((0, 0, 595, 842), 0))
    found = find_text(runs, "SIDOROV")
    assert found is not None
    assert found.left == pytest.approx(300)
    assert found.right > 340
    below = stamp_pdf(
        source, [Stamp(ESignatureMark(_data()), placement=NearText("Ivanov I.I."))]
    ).placements[0]
    assert below.how == "near-text"
    assert below.box_mm[3] < 650 / MM  # its top is below the baseline of the name


def test_every_page_gets_the_mark_once() -> None:
    source = _text_page_pdf([(72, 700, "Page text")], pages=7)
    result = stamp_pdf(source, [Stamp(ESignatureMark(_data()), pages="all")])
    assert [p.page for p in result.placements] == list(range(1, 8))
    reader = PdfReader(io.BytesIO(result.pdf))
    for page in reader.pages:
        assert page.extract_text().count("ДОКУМЕНТ ПОДПИСАН") == 1
    # One Form XObject shared by all the pages.
    pages: list[Any] = list(reader.pages)
    forms = {page["/Resources"]["/XObject"].raw_get("/EdmsMark0").idnum for page in pages}
    assert len(forms) == 1


def _data() -> SignatureMarkData:
    return SignatureMarkData("abc", "Иванов Иван Иванович", "2025-01-01", "2026-01-01")


def test_a_stamped_file_can_be_stamped_again() -> None:
    source = _text_page_pdf([(72, 700, "Page text")])
    first = stamp_pdf(source, [Stamp(ESignatureMark(_data()), pages="first")])
    other = SignatureMarkData("def", "Сидорова Анна Павловна", "2025-01-01", "2026-01-01")
    second = stamp_pdf(first.pdf, [Stamp(ESignatureMark(other), pages="first")])
    page: Any = PdfReader(io.BytesIO(second.pdf)).pages[0]
    text = page.extract_text()
    assert "Иванов Иван Иванович" in text
    assert "Сидорова Анна Павловна" in text
    assert sorted(page["/Resources"]["/XObject"]) == ["/EdmsMark0", "/EdmsMark0x"]
    # The later mark is kept off the earlier one: it takes the next standard position.
    earlier, later = Box(*first.placements[0].box_mm), Box(*second.placements[0].box_mm)
    assert not earlier.intersects(later)
    assert second.placements[0].how == "standard"


@pytest.mark.parametrize("rotate", [0, 90])
def test_a_later_annotation_mark_avoids_the_earlier_one(rotate: int) -> None:
    source = _text_page_pdf([(72, 700, "Page text")])
    if rotate:
        reader = PdfReader(io.BytesIO(source))
        writer = PdfWriter(clone_from=reader)
        writer.pages[0].rotate(rotate)
        out = io.BytesIO()
        writer.write(out)
        source = out.getvalue()
    rule = Anchor(Corner.TOP_RIGHT, 10, 10)
    first = stamp_pdf(source, [Stamp(ESignatureMark(_data()), "first", rule)], annotations=True)
    other = SignatureMarkData("def", "Сидорова Анна Павловна", "2025-01-01", "2026-01-01")
    second = stamp_pdf(first.pdf, [Stamp(ESignatureMark(other), "first", rule)], annotations=True)
    earlier, later = Box(*first.placements[0].box_mm), Box(*second.placements[0].box_mm)
    assert not earlier.intersects(later)
    assert later.top < earlier.bottom  # stacked downwards from the top corner
