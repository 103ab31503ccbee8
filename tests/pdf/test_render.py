"""Marks drawn as PDF: vector text in the embedded subset font, readable back by pypdf."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, cast

import pendulum
import pytest
import segno
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from edmscore.pdf import (
    CodeMark,
    ESignatureMark,
    Facsimile,
    RegistrationMark,
    RestrictionMark,
    SignatureMarkData,
    font_path,
)
from edmscore.pdf._render import MM, render_mark

from .conftest import signature_image


def _fonts(pdf: bytes) -> list[DictionaryObject]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    resources: Any = page["/Resources"].get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        return []
    return [value.get_object() for value in fonts.get_object().values()]


def test_shipped_font_and_licence_are_package_data() -> None:
    import pathlib

    regular = pathlib.Path(font_path())
    assert regular.is_file()
    assert regular.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert pathlib.Path(font_path(bold=True)).is_file()
    licence = regular.with_name("LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream" in licence
    assert "Permission is hereby granted" in licence


def test_esignature_mark_text_is_embedded_subset_with_tounicode(
    mark_data: SignatureMarkData,
) -> None:
    rendered = render_mark(ESignatureMark(mark_data))
    text = PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text()
    for line in ("ДОКУМЕНТ ПОДПИСАН", "ЭЛЕКТРОННОЙ ПОДПИСЬЮ", *mark_data.lines()):
        assert line in text
    fonts = _fonts(rendered.pdf)
    assert len(fonts) == 2  # regular and bold
    for font in fonts:
        assert "/ToUnicode" in font
        font = cast(Any, font)
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        program = descriptor["/FontFile2"].get_object().get_data()
        # A subset: tagged name, and far smaller than the 740 KiB font shipped.
        assert str(font["/BaseFont"])[7] == "+"
        assert len(program) < 60_000
    assert rendered.width >= 75 * MM


def test_long_owner_widens_the_frame(mark_data: SignatureMarkData) -> None:
    import attrs

    short = render_mark(ESignatureMark(mark_data))
    long_name = "Константинопольский-Щербатов Максимилиан Александрович"
    long = render_mark(ESignatureMark(attrs.evolve(mark_data, owner=long_name)))
    assert long.width > short.width
    assert long_name in PdfReader(io.BytesIO(long.pdf)).pages[0].extract_text()


def test_emblem_sits_left_of_the_heading(mark_data: SignatureMarkData) -> None:
    emblem = io.BytesIO()
    Image.new("RGB", (100, 120), (200, 30, 30)).save(emblem, format="PNG")
    plain = render_mark(ESignatureMark(mark_data, width_mm=20))
    framed = render_mark(ESignatureMark(mark_data, emblem=emblem.getvalue(), width_mm=20))
    page: Any = PdfReader(io.BytesIO(framed.pdf)).pages[0]
    assert len(page["/Resources"]["/XObject"]) == 1
    assert framed.width >= plain.width


def test_facsimile_keeps_transparency_as_soft_mask() -> None:
    rendered = render_mark(Facsimile(signature_image("RGBA"), width_mm=50))
    page: Any = PdfReader(io.BytesIO(rendered.pdf)).pages[0]
    images = list(page["/Resources"]["/XObject"].values())
    assert len(images) == 1
    assert "/SMask" in images[0].get_object()
    assert abs(rendered.width - 50 * MM) < 0.01
    assert _fonts(rendered.pdf) == []  # no font for an image-only mark


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        (RestrictionMark(12), ["Для служебного пользования", "Экз. № 12"]),
        (
            RegistrationMark("01-15/123", pendulum.date(2026, 11, 25), "Минфин", received=True),
            ["Минфин", "Вх. № 01-15/123", "от 25.11.2026"],
        ),
        (RegistrationMark("7-П", pendulum.date(2026, 1, 9)), ["№ 7-П от 09.01.2026"]),
        (CodeMark("edms:card:123", caption="РК № 123"), ["РК № 123"]),
    ],
)
def test_text_marks_read_back(
    mark: RestrictionMark | RegistrationMark | CodeMark, expected: list[str]
) -> None:
    text = PdfReader(io.BytesIO(render_mark(mark).pdf)).pages[0].extract_text()
    for line in expected:
        assert line in text


def test_qr_code_modules_render_where_segno_puts_them(
    render: Callable[[bytes, int, int], Image.Image],
) -> None:
    data = "https://edms.example/card/2026/01-15-123"
    rendered = render_mark(CodeMark(data, size_mm=40))
    matrix = segno.make(data, error="m", micro=False).matrix
    dpi = 150
    image = render(rendered.pdf, 1, dpi).convert("L")
    modules = len(matrix) + 4  # two quiet modules a side
    unit = image.width / modules
    mismatches = 0
    for row, values in enumerate(matrix):
        for col, dark in enumerate(values):
            x = int((col + 2 + 0.5) * unit)
            y = int((row + 2 + 0.5) * unit)
            if (cast(int, image.getpixel((x, y))) < 128) != bool(dark):
                mismatches += 1
    assert mismatches == 0


def test_public_surface_is_sorted_and_resolvable() -> None:
    import edmscore.pdf

    assert list(edmscore.pdf.__all__) == sorted(edmscore.pdf.__all__)
    for name in edmscore.pdf.__all__:
        assert hasattr(edmscore.pdf, name), name


def test_drawings_are_kept_for_equal_marks(mark_data: SignatureMarkData) -> None:
    first = render_mark(ESignatureMark(mark_data))
    assert render_mark(ESignatureMark(mark_data)) is first
    assert render_mark(ESignatureMark(mark_data, width_mm=90)) is not first


def test_text_outside_the_shipped_font_is_refused_naming_the_field() -> None:
    from edmscore.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        SignatureMarkData("ab", "王小明", "2025-01-01", "2026-01-01")
    assert caught.value.field == "owner"
    assert "U+738B" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        RegistrationMark("01-15/1", "2026-01-01", organisation="Минфин ✈")
    assert caught.value.field == "organisation"
    # Everything a Russian document needs is there, Tatar and Bashkir letters included.
    SignatureMarkData("ab", "Ғәлиев Өмәр Һади-улы «№ 5» — ₽", "2025-01-01", "2026-01-01")
