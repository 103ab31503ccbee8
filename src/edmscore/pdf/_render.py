"""Drawing one mark as a one-page PDF of exactly the mark's size, with fpdf2.

fpdf2 embeds the shipped DejaVu Sans as a subset TrueType font with a ToUnicode map (so the
text is vector text that pypdf reads back), and PNG transparency as a soft mask. The page made
here becomes a Form XObject that every stamped page reuses (see ``_forms``).
"""

from __future__ import annotations

import functools
import io

import attrs
from fpdf import FPDF

from edmscore.errors import MissingDependency, ValidationError
from edmscore.pdf._fonts import font_path
from edmscore.pdf._images import prepare_facsimile, prepare_image
from edmscore.pdf._marks import (
    CodeMark,
    ESignatureMark,
    Facsimile,
    Mark,
    RegistrationMark,
    RestrictionMark,
)

__all__ = ["RenderedMark", "render_mark"]

MM = 72.0 / 25.4
_FAMILY = "EdmsSans"
_HEADING = ("ДОКУМЕНТ ПОДПИСАН", "ЭЛЕКТРОННОЙ ПОДПИСЬЮ")


@attrs.frozen
class RenderedMark:
    """A mark drawn as a one-page PDF; ``width``/``height`` in points."""

    pdf: bytes = attrs.field(repr=False)
    width: float
    height: float


def _new_pdf(*, text: bool = True, bold: bool = False) -> FPDF:
    """A fresh fpdf2 document; fonts are loaded only for marks that print text."""
    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.c_margin = 0
    if text:
        pdf.add_font(_FAMILY, "", font_path())
    if bold:
        pdf.add_font(_FAMILY, "B", font_path(bold=True))
    pdf.set_creator("edmscore")
    return pdf


def _finish(pdf: FPDF, width: float, height: float) -> RenderedMark:
    return RenderedMark(bytes(pdf.output()), width, height)


def _width(pdf: FPDF, text: str, size: float, style: str = "") -> float:
    pdf.set_font(_FAMILY, style, size)
    return float(pdf.get_string_width(text))


def _render_esignature(mark: ESignatureMark) -> RenderedMark:
    pdf = _new_pdf(bold=True)
    pad, head_size, body_size = 2.5 * MM, 8.0, 7.5
    head_lead, body_lead = head_size * 1.3, body_size * 1.35
    body = mark.data.lines()
    head_w = max(_width(pdf, line, head_size, "B") for line in _HEADING)
    body_w = max(_width(pdf, line, body_size) for line in body)
    head_h = head_lead * len(_HEADING)
    emblem = None
    emblem_w = 0.0
    if mark.emblem is not None:
        emblem = prepare_image(mark.emblem, 10.0)
        emblem_h = head_h
        emblem_w = emblem_h * emblem.width_mm / emblem.height_mm
        if emblem_w > 30 * MM:
            emblem_w, emblem_h = 30 * MM, 30 * MM * emblem.height_mm / emblem.width_mm
    gap = 2 * MM if emblem else 0.0
    width = max(mark.width_mm * MM, head_w + emblem_w + gap + 2 * pad, body_w + 2 * pad)
    height = pad + head_h + 1.5 * MM + body_lead * len(body) + pad * 0.8
    pdf.add_page(format=(width, height))
    r, g, b = mark.color
    pdf.set_draw_color(r, g, b)
    pdf.set_text_color(r, g, b)
    pdf.set_line_width(1.0)
    pdf.rect(0.5, 0.5, width - 1, height - 1, round_corners=True, corner_radius=2.5 * MM)
    head_left = pad + emblem_w + gap
    if emblem is not None:
        pdf.image(io.BytesIO(emblem.png), x=pad, y=pad, w=emblem_w, h=emblem_h)
    pdf.set_font(_FAMILY, "B", head_size)
    for i, line in enumerate(_HEADING):
        line_w = pdf.get_string_width(line)
        x = head_left + (width - pad - head_left - line_w) / 2
        pdf.text(x, pad + head_lead * i + head_size, line)
    pdf.set_font(_FAMILY, "", body_size)
    top = pad + head_h + 1.5 * MM
    for i, line in enumerate(body):
        pdf.text(pad, top + body_lead * i + body_size, line)
    return _finish(pdf, width, height)


def _render_facsimile(mark: Facsimile) -> RenderedMark:
    image = prepare_facsimile(mark.image, mark.width_mm)
    width, height = image.width_mm * MM, image.height_mm * MM
    pdf = _new_pdf(text=False)
    pdf.add_page(format=(width, height))
    pdf.image(io.BytesIO(image.png), x=0, y=0, w=width, h=height)
    return _finish(pdf, width, height)


def _render_lines(
    lines: tuple[str, ...], *, size: float, framed: bool, align: str, bold_first: bool = False
) -> RenderedMark:
    pdf = _new_pdf(bold=bold_first)
    pad = 2 * MM if framed else 0.5 * MM
    lead = size * 1.3
    styles = ["B" if bold_first and i == 0 else "" for i in range(len(lines))]
    widths = [_width(pdf, line, size, style) for line, style in zip(lines, styles, strict=True)]
    width = max(widths) + 2 * pad
    height = lead * len(lines) + 2 * pad - (lead - size) + size * 0.25
    pdf.add_page(format=(width, height))
    pdf.set_text_color(0, 0, 0)
    if framed:
        pdf.set_line_width(0.8)
        pdf.rect(0.4, 0.4, width - 0.8, height - 0.8)
    for i, (line, style, line_w) in enumerate(zip(lines, styles, widths, strict=True)):
        pdf.set_font(_FAMILY, style, size)
        if align == "right":
            x = width - pad - line_w
        elif align == "center":
            x = (width - line_w) / 2
        else:
            x = pad
        pdf.text(x, pad + lead * i + size, line)
    return _finish(pdf, width, height)


def _render_code(mark: CodeMark) -> RenderedMark:
    try:
        import segno
    except ImportError as exc:
        raise MissingDependency("segno", "qr") from exc
    try:
        qr = segno.make(mark.data, error="m", micro=False)
    except segno.DataOverflowError as exc:
        raise ValidationError("code.data", f"too much data for a QR code: {exc}") from exc
    matrix = qr.matrix
    quiet = 2
    modules = len(matrix) + 2 * quiet
    side = mark.size_mm * MM
    unit = side / modules
    caption_size = 6.0
    height = side + (caption_size * 1.6 if mark.caption else 0.0)
    pdf = _new_pdf(text=mark.caption is not None)
    width = side
    if mark.caption:
        width = max(side, _width(pdf, mark.caption, caption_size) + 1 * MM)
    pdf.add_page(format=(width, height))
    left = (width - side) / 2
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(left, 0, side, side, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                x = left + (start + quiet) * unit
                y = (row_index + quiet) * unit
                pdf.rect(x, y, (col - start) * unit, unit, style="F")
            else:
                col += 1
    if mark.caption:
        pdf.set_font(_FAMILY, "", caption_size)
        caption_w = pdf.get_string_width(mark.caption)
        pdf.text((width - caption_w) / 2, side + caption_size * 1.1, mark.caption)
    return _finish(pdf, width, height)


@functools.lru_cache(maxsize=32)
def render_mark(mark: Mark) -> RenderedMark:
    """Draw ``mark`` as a one-page PDF exactly the mark's size.

    Marks are frozen values, so the drawings of the last 32 are kept: stamping a batch of
    documents with one signer's mark draws it (and subsets its font) once.
    """
    if isinstance(mark, ESignatureMark):
        return _render_esignature(mark)
    if isinstance(mark, Facsimile):
        return _render_facsimile(mark)
    if isinstance(mark, RegistrationMark):
        align = "center" if mark.received else "left"
        return _render_lines(mark.lines(), size=9.0, framed=mark.received, align=align)
    if isinstance(mark, RestrictionMark):
        return _render_lines(mark.lines(), size=10.0, framed=False, align="right", bold_first=True)
    return _render_code(mark)
