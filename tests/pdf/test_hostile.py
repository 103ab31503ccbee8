"""Hostile and odd input: typed errors for broken files, correct stamps on odd structures."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter

from edmscore.errors import (
    PdfDamaged,
    PdfEmpty,
    PdfEncrypted,
    PdfError,
    PdfTooLarge,
    ValidationError,
)
from edmscore.pdf import ESignatureMark, SignatureMarkData, Stamp, stamp_file, stamp_pdf

from .conftest import raw_pdf, stream

Render = Callable[[bytes, int, int], Image.Image]

_PAGE_TEXT = "BT /F1 14 Tf 72 700 Td (Odd structure) Tj ET"


def _stamps(data: SignatureMarkData) -> list[Stamp]:
    return [Stamp(ESignatureMark(data), pages="all")]


def _minimal(page_extra: str = "", pages_extra: str = "", contents: str | None = None) -> bytes:
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [3 0 R] /Count 1 {pages_extra} >>",
        f"<< /Type /Page /Parent 2 0 R {page_extra} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if contents is not None:
        objects.append(contents)
    return raw_pdf(objects)


def test_corrupt_truncated_and_foreign_files(mark_data: SignatureMarkData) -> None:
    good = _minimal("/MediaBox [0 0 595 842]")
    with pytest.raises(PdfEmpty):
        stamp_pdf(b"", _stamps(mark_data))
    with pytest.raises(PdfDamaged, match="not a PDF"):
        stamp_pdf(b"GIF89a" + bytes(range(256)) * 8, _stamps(mark_data))
    with pytest.raises(PdfError):
        stamp_pdf(good[:40], _stamps(mark_data))
    with pytest.raises(PdfTooLarge):
        stamp_pdf(good, _stamps(mark_data), max_bytes=100)


def test_no_pages_and_too_many_pages(mark_data: SignatureMarkData) -> None:
    empty = raw_pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"])
    with pytest.raises(PdfEmpty):
        stamp_pdf(empty, _stamps(mark_data))
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PdfTooLarge):
        stamp_pdf(out.getvalue(), _stamps(mark_data), max_pages=2)


def test_encrypted_pdf_is_refused(mark_data: SignatureMarkData) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="user", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PdfEncrypted):
        stamp_pdf(out.getvalue(), _stamps(mark_data))


def test_no_stamps_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        stamp_pdf(_minimal("/MediaBox [0 0 595 842]"), [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_bytes_never_leak_a_pypdf_error(data: st.DataObject) -> None:
    good = _minimal(
        "/MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 4 0 R >> >>",
        contents=stream(_PAGE_TEXT),
    )
    damaged = bytearray(good)
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        at = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
        damaged[at] = data.draw(st.integers(min_value=0, max_value=255))
    cut = data.draw(st.integers(min_value=len(damaged) // 2, max_value=len(damaged)))
    mark = SignatureMarkData("ab", "Иванов И.И.", "2025-01-01", "2026-01-01")
    try:
        result = stamp_pdf(bytes(damaged[:cut]), [Stamp(ESignatureMark(mark))])
    except PdfError:
        return
    assert result.pdf.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "pdf"),
    [
        ("no /Resources, no /Contents", _minimal("/MediaBox [0 0 595 842]")),
        (
            "inherited /MediaBox, /Resources, /Rotate",
            _minimal(
                "/Contents 5 0 R",
                "/MediaBox [0 0 842 595] /Rotate 90 /Resources << /Font << /F1 4 0 R >> >>",
                contents=stream(_PAGE_TEXT),
            ),
        ),
        (
            "content array leaving a scaled CTM and a red fill colour",
            raw_pdf(
                [
                    "<< /Type /Catalog /Pages 2 0 R >>",
                    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [5 0 R 6 0 R]"
                    " /Resources << /Font << /F1 4 0 R >> >> >>",
                    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                    stream("2 0 0 2 0 0 cm 1 0 0 rg"),
                    stream("BT /F1 7 Tf 36 350 Td (Odd structure) Tj ET"),
                ]
            ),
        ),
        (
            "crop box reaching beyond the media box",
            _minimal(
                "/MediaBox [0 0 595 842] /CropBox [-100 -100 800 1000] /Contents 5 0 R"
                " /Resources << /Font << /F1 4 0 R >> >>",
                contents=stream(_PAGE_TEXT),
            ),
        ),
        (
            "negative media box origin",
            _minimal(
                "/MediaBox [-300 -400 295 442] /Contents 5 0 R"
                " /Resources << /Font << /F1 4 0 R >> >>",
                contents=stream("BT /F1 14 Tf -228 300 Td (Odd structure) Tj ET"),
            ),
        ),
    ],
)
def test_odd_structures_stamp_correctly(
    name: str, pdf: bytes, render: Render, mark_data: SignatureMarkData
) -> None:
    result = stamp_pdf(pdf, _stamps(mark_data))
    page = PdfReader(io.BytesIO(result.pdf)).pages[0]
    text = page.extract_text()
    assert "ДОКУМЕНТ ПОДПИСАН" in text, name
    if "no /Contents" not in name:
        assert "Odd structure" in text, name
    # The mark renders at 20 mm from the bottom-left corner, at its natural size, upright.
    image = render(result.pdf, 1, 25)
    left, bottom, right, top = result.placements[0].box_mm
    scale = 25 / 25.4
    inside = image.crop(
        (
            int(left * scale) + 1,
            int(image.height - top * scale) + 1,
            int(right * scale) - 1,
            int(image.height - bottom * scale) - 1,
        )
    )
    colours: list[Any] = inside.getcolors(maxcolors=1_000_000) or []
    blue = sum(count for count, (r, g, b) in colours if b > r + 40 and b > g + 20)
    assert blue > 20, name  # the mark's blue frame and text are there


def test_stamp_file_writes_a_new_file(tmp_path: Path, mark_data: SignatureMarkData) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(_minimal("/MediaBox [0 0 595 842]"))
    original = source.read_bytes()
    with pytest.raises(ValidationError):
        stamp_file(source, source, _stamps(mark_data))
    target = tmp_path / "out.pdf"
    report = stamp_file(source, target, _stamps(mark_data))
    assert report.placements[0].page == 1
    assert "ДОКУМЕНТ ПОДПИСАН" in PdfReader(target).pages[0].extract_text()
    assert source.read_bytes() == original
    assert not list(tmp_path.glob("*.part"))
    # A failure leaves neither the target nor a partial file behind.
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    with pytest.raises(PdfError):
        stamp_file(broken, tmp_path / "never.pdf", _stamps(mark_data))
    assert not (tmp_path / "never.pdf").exists()
    assert not list(tmp_path.glob("*.part"))
    with pytest.raises(PdfTooLarge):
        stamp_file(source, tmp_path / "big.pdf", _stamps(mark_data), max_bytes=10)
