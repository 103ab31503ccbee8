"""Marks at their standard positions on a real-looking letter, kept clear of its text.

A one-page letter whose text fills the page down to the signatory: the e-signature mark and the
facsimile find the free space below it, the receipt mark its bottom-right corner; a white
background keeps each readable. A second document, full to the edge, gets its mark on an added
page instead of over the text. Both outputs are incremental updates: the input is a prefix.
"""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image, ImageDraw

from edmscore.pdf import (
    ESignatureMark,
    Facsimile,
    Fallback,
    RegistrationMark,
    SignatureMarkData,
    Stamp,
    Standard,
    font_path,
    stamp_pdf,
)


def letter(lines: int, wide_from: int) -> bytes:
    """An A4 letter: ``lines`` lines of Cyrillic text, across the page from ``wide_from`` on."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", font_path())
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for number in range(lines):
        text = f"Строка {number + 1} текста письма о развитии сетей связи в области."
        pdf.cell(0, 6, text if number < wide_from else f"{text} {text}")
        pdf.ln(6)
    return bytes(pdf.output())


def signature() -> bytes:
    image = Image.new("RGBA", (600, 220), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(30, 180), (200, 40), (330, 190), (570, 60)], fill="navy", width=9)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def main() -> None:
    data = SignatureMarkData("01d5a0e1c2b3", "Петров Пётр Петрович", "2025-03-01", "2026-06-01")
    white = (255, 255, 255)
    source = letter(30, 28)
    result = stamp_pdf(
        source,
        [
            Stamp(ESignatureMark(data), background=white),
            Stamp(Facsimile(signature(), 35), background=white),
            Stamp(RegistrationMark("457-вх", "2026-11-25", "Минфин области", received=True)),
        ],
    )
    assert result.pdf.startswith(source) and result.incremental
    for placed in result.placements:
        assert placed.how in ("standard", "free-space"), placed
    full = letter(44, 0)
    crowded = stamp_pdf(
        full, [Stamp(ESignatureMark(data), placement=Standard(fallback=Fallback.NEW_PAGE))]
    )
    (placed,) = crowded.placements
    assert placed.how in ("new-page", "scaled"), placed
    hows = [p.how for p in result.placements]
    print(f"letter: {hows}; full page: {placed.how} on page {placed.page}")


if __name__ == "__main__":
    main()
