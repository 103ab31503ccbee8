"""Barcode symbols: the module matrix zxing-cpp encodes, drawn as vector bars or as a PNG.

A symbol is kept as its matrix of dark modules (without the quiet zone): one row for Code128,
a square for DataMatrix and QR. Labels and separator sheets draw it as filled rectangles, so it
prints sharp at any printer resolution; a PNG is made only for a mark stamped on a PDF page.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Iterator

import attrs
from PIL import Image

from edmscore.errors import ValidationError
from edmscore.scanning._zxing import zxing

__all__ = ["Symbol", "Symbology", "encode"]


class Symbology(enum.Enum):
    """The barcode symbologies labels and separator sheets are printed in."""

    CODE128 = "code128"  #: linear; read by every handheld scanner
    DATAMATRIX = "datamatrix"  #: 2D, small and robust; the default
    QR = "qr"  #: 2D

    @property
    def linear(self) -> bool:
        """Whether the symbol is one row of bars."""
        return self is Symbology.CODE128

    @property
    def quiet_modules(self) -> int:
        """The quiet zone the symbology needs on each side, in modules."""
        return {"code128": 10, "datamatrix": 1, "qr": 4}[self.value]


@attrs.frozen
class Symbol:
    """An encoded barcode: its symbology, text and rows of dark (True) modules."""

    symbology: Symbology
    text: str
    rows: tuple[tuple[bool, ...], ...] = attrs.field(repr=False)

    @property
    def width(self) -> int:
        """Modules across (quiet zone excluded)."""
        return len(self.rows[0])

    @property
    def height(self) -> int:
        """Modules down (1 for a linear symbol)."""
        return len(self.rows)

    def runs(self) -> Iterator[tuple[int, int, int]]:
        """(row, first column, length) of each horizontal run of dark modules."""
        for y, row in enumerate(self.rows):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    yield y, start, x - start
                else:
                    x += 1

    def png(self, module_px: int = 4, bar_height_px: int = 60) -> bytes:
        """The symbol as a PNG, quiet zone included (for a mark stamped on a page)."""
        quiet = self.symbology.quiet_modules
        width = (self.width + 2 * quiet) * module_px
        linear = self.symbology.linear
        row_px = bar_height_px if linear else module_px
        top = 0 if linear else quiet * module_px
        height = bar_height_px if linear else width
        image = Image.new("L", (width, height), 255)
        for y, x, length in self.runs():
            left = (x + quiet) * module_px
            box = (left, top + y * row_px, left + length * module_px, top + (y + 1) * row_px)
            image.paste(0, box)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return out.getvalue()


def encode(text: str, symbology: Symbology) -> Symbol:
    """Encode ``text`` (printable ASCII) in ``symbology``."""
    if not text or not text.isascii() or not text.isprintable():
        raise ValidationError("text", "a barcode carries printable ASCII text")
    z = zxing()
    fmt = {
        Symbology.CODE128: z.BarcodeFormat.Code128,
        Symbology.DATAMATRIX: z.BarcodeFormat.DataMatrix,
        Symbology.QR: z.BarcodeFormat.QRCode,
    }[symbology]
    image = memoryview(z.write_barcode_to_image(z.create_barcode(text, fmt), add_quiet_zones=False))
    height, width = image.shape or (0, 0)
    data = image.tobytes()
    if symbology.linear:
        rows: tuple[tuple[bool, ...], ...] = (tuple(data[x] < 128 for x in range(width)),)
    else:
        rows = tuple(tuple(data[y * width + x] < 128 for x in range(width)) for y in range(height))
    return Symbol(symbology, text, rows)
