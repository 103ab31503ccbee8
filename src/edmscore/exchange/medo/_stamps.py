"""The stamp images a 2.7 / 2.7.1 container carries: PNGs of the marks ``edmscore.pdf`` draws.

A container holds the registration stamp and each signature mark as images, with their place on
the document's pages in the passport. The text is the marks' own (:class:`RegistrationMark`,
:class:`ESignatureMark` of :mod:`edmscore.pdf`), drawn in the same shipped DejaVu Sans font, in
a frame, at 8 pixels a millimetre.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from edmscore.pdf import ESignatureMark, RegistrationMark, font_path

__all__ = ["registration_stamp_image", "signature_stamp_image", "stamp_image"]

_SCALE = 8  # pixels a millimetre
_HEADING = "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ"


def stamp_image(
    lines: Sequence[str],
    *,
    heading: str | None = None,
    color: tuple[int, int, int] = (31, 60, 136),
    framed: bool = True,
) -> bytes:
    """A PNG (transparent background) of ``lines`` under an optional bold ``heading``."""
    size = 3 * _SCALE
    regular = ImageFont.truetype(font_path(), size)
    bold = ImageFont.truetype(font_path(bold=True), size)
    rows = [(heading, bold)] if heading else []
    rows += [(line, regular) for line in lines]
    pad, gap = 2 * _SCALE, _SCALE
    widths = [int(font.getlength(text)) for text, font in rows]
    width = max(widths, default=0) + 2 * pad
    height = len(rows) * (size + gap) - gap + 2 * pad
    image = Image.new("RGBA", (max(width, 1), max(height, 1)), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    if framed:
        draw.rounded_rectangle(
            (1, 1, width - 2, height - 2), radius=_SCALE, outline=(*color, 255), width=3
        )
    y = pad
    for text, font in rows:
        draw.text((pad, y), text, font=font, fill=(*color, 255))
        y += size + gap
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def registration_stamp_image(mark: RegistrationMark) -> bytes:
    """The registration stamp («№ … от …») as a PNG."""
    return stamp_image(mark.lines(), framed=mark.received)


def signature_stamp_image(mark: ESignatureMark) -> bytes:
    """The e-signature mark (certificate, owner, validity) as a PNG."""
    return stamp_image(mark.data.lines(), heading=_HEADING, color=mark.color)
