"""Where a page's ink is: a box for each word of text and each image, in display space.

The page's content is read operator by operator (form XObjects too): the text state and the
current matrix give each glyph's position, the fonts' widths its advance, so a box covers one
word (split at the space character of simple fonts and at wide TJ gaps), not a whole paragraph.
An image's box is the unit square under the current matrix; a large image drawn by the page
itself (a scanned page) is looked at instead: only its cells darker than its paper are ink, so a
mark can go on the empty margin of a scan. Vector drawing (rules, frames) is not ink here: a
mark may sit over an empty table cell.
"""

from __future__ import annotations

import math
from typing import Any

from pypdf import PageObject
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, StreamObject

from edmscore.pdf._geometry import Box, Matrix, PageFrame, _multiply

__all__ = ["ink_boxes"]

_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_OPERATIONS = 400_000
_MAX_BOXES = 60_000
_MAX_DEPTH = 8
_GAP_AS_SPACE = 200.0  # a TJ shift of this many thousandths of an em or more parts two words
_ASCENT, _DESCENT = 0.8, -0.22
_SCAN_SHARE = 0.15  # an image covering this share of the page or more is looked at
_SCAN_CELL = 2.0 * 72.0 / 25.4  # cells of 2 mm
_PAPER_MARGIN = 14  # a cell this much darker than the paper holds ink


def _num(value: Any, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


class _Font:
    """A font's code length and advance widths (in text space units per unit of size)."""

    __slots__ = ("default", "first", "scale", "two_byte", "wide", "widths")

    def __init__(self, font: object) -> None:
        self.two_byte = False
        self.first = 0
        self.widths: list[float] = []
        self.wide: dict[int, float] = {}
        self.default = 0.5
        self.scale = 0.001
        if not isinstance(font, DictionaryObject):
            return
        subtype = font.get("/Subtype")
        if subtype == "/Type0":
            self.two_byte = True
            descendants = font.get("/DescendantFonts")
            descendants = descendants.get_object() if descendants is not None else None
            cid = descendants[0].get_object() if isinstance(descendants, ArrayObject) else None
            if isinstance(cid, DictionaryObject):
                self.default = _num(cid.get("/DW"), 1000.0) / 1000.0
                self._read_w(cid.get("/W"))
            else:
                self.default = 1.0
            return
        if subtype == "/Type3":
            matrix = font.get("/FontMatrix")
            matrix = matrix.get_object() if matrix is not None else None
            if isinstance(matrix, ArrayObject) and matrix:
                self.scale = abs(_num(matrix[0], 0.001)) or 0.001
        widths = font.get("/Widths")
        widths = widths.get_object() if widths is not None else None
        if isinstance(widths, ArrayObject):
            self.first = int(_num(font.get("/FirstChar")))
            self.widths = [_num(w.get_object()) * self.scale for w in widths[:4096]]
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else None
            if isinstance(descriptor, DictionaryObject) and "/MissingWidth" in descriptor:
                self.default = _num(descriptor["/MissingWidth"]) * self.scale

    def _read_w(self, value: object) -> None:
        array = value.get_object() if value is not None else None  # type: ignore[attr-defined]
        if not isinstance(array, ArrayObject):
            return
        items = [item.get_object() for item in array[:20_000]]
        index = 0
        while index + 1 < len(items):
            start = int(_num(items[index]))
            following = items[index + 1]
            if isinstance(following, ArrayObject):
                for offset, width in enumerate(following[:65_536]):
                    self.wide[start + offset] = _num(width) / 1000.0
                index += 2
            elif index + 2 < len(items):
                end, width = int(_num(following)), _num(items[index + 2]) / 1000.0
                for code in range(start, min(end, start + 65_536) + 1):
                    self.wide[code] = width
                index += 3
            else:
                break

    def codes(self, data: bytes) -> list[int]:
        """The character codes in a string shown with this font."""
        if self.two_byte:
            return [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]
        return list(data)

    def width(self, code: int) -> float:
        """The advance of ``code`` per unit of font size."""
        if self.two_byte:
            return self.wide.get(code, self.default)
        index = code - self.first
        if 0 <= index < len(self.widths):
            return self.widths[index] or self.default
        return self.default


class _Reader:
    """Walks content streams, collecting word and image boxes in the page's user space."""

    def __init__(self, page: PageObject, area: float) -> None:
        self.page = page
        self.area = area
        self.boxes: list[tuple[float, float, float, float]] = []
        self.operations = 0
        self._fonts: dict[int, _Font] = {}

    def _font(self, resources: DictionaryObject, name: object) -> _Font:
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        ref = fonts.raw_get(name) if isinstance(fonts, DictionaryObject) and name in fonts else None
        key = id(ref.get_object()) if ref is not None else 0
        if key not in self._fonts:
            self._fonts[key] = _Font(ref.get_object() if ref is not None else None)
        return self._fonts[key]

    def _add(self, matrix: Matrix, x0: float, y0: float, x1: float, y1: float) -> None:
        if len(self.boxes) >= _MAX_BOXES:
            return
        a, b, c, d, e, f = matrix
        xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
        ys = [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)]
        self.boxes.append((min(xs), min(ys), max(xs), max(ys)))

    def run(self, content: object, resources: object, ctm: Matrix, depth: int) -> None:
        if depth > _MAX_DEPTH or not isinstance(resources, DictionaryObject):
            resources = DictionaryObject()
        try:
            operations = ContentStream(content, self.page.pdf).operations
        except DependencyError:
            raise  # a missing decoder is the caller's to report, not an empty page
        except Exception:  # unreadable content draws nothing a reader sees either
            return
        stack: list[Matrix] = []
        tm = tlm = _IDENTITY
        font = _Font(None)
        size = leading = rise = char_space = word_space = 0.0
        scale = 1.0
        for operands, operator in operations:
            self.operations += 1
            if self.operations > _MAX_OPERATIONS:
                return
            op = operator
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                if stack:
                    ctm = stack.pop()
            elif op == b"cm" and len(operands) == 6:
                ctm = _multiply(tuple(_num(v) for v in operands), ctm)  # type: ignore[arg-type]
            elif op == b"BT":
                tm = tlm = _IDENTITY
            elif op == b"Tf" and len(operands) == 2:
                font = self._font(resources, operands[0])
                size = _num(operands[1])
            elif op == b"Tc" and operands:
                char_space = _num(operands[0])
            elif op == b"Tw" and operands:
                word_space = _num(operands[0])
            elif op == b"Tz" and operands:
                scale = _num(operands[0], 100.0) / 100.0
            elif op == b"TL" and operands:
                leading = _num(operands[0])
            elif op == b"Ts" and operands:
                rise = _num(operands[0])
            elif op in (b"Td", b"TD") and len(operands) == 2:
                tx, ty = _num(operands[0]), _num(operands[1])
                if op == b"TD":
                    leading = -ty
                tlm = _multiply((1.0, 0.0, 0.0, 1.0, tx, ty), tlm)
                tm = tlm
            elif op == b"Tm" and len(operands) == 6:
                tlm = tm = tuple(_num(v) for v in operands)  # type: ignore[assignment]
            elif op == b"T*":
                tlm = _multiply((1.0, 0.0, 0.0, 1.0, 0.0, -leading), tlm)
                tm = tlm
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                if op in (b"'", b'"'):
                    if op == b'"' and len(operands) == 3:
                        word_space, char_space = _num(operands[0]), _num(operands[1])
                    tlm = _multiply((1.0, 0.0, 0.0, 1.0, 0.0, -leading), tlm)
                    tm = tlm
                items = operands[-1] if operands else b""
                parts = items if isinstance(items, ArrayObject | list) else [items]
                state = (font, size, char_space, word_space, scale, rise)
                tm = self._show(parts, tm, ctm, state)
            elif op == b"Do" and operands:
                self._draw(resources, operands[0], ctm, depth)
            elif op == b"INLINE IMAGE":
                self._add(ctm, 0.0, 0.0, 1.0, 1.0)

    def _show(self, parts: list[Any], tm: Matrix, ctm: Matrix, state: tuple[Any, ...]) -> Matrix:
        font, size, char_space, word_space, scale, rise = state
        x = 0.0
        start: float | None = None
        low, high = (_DESCENT * size + rise, _ASCENT * size + rise)
        matrix = _multiply(tm, ctm)

        def close(end: float) -> None:
            nonlocal start
            if start is not None and end > start:
                self._add(matrix, start, low, end, high)
            start = None

        for part in parts:
            if isinstance(part, str | bytes):
                raw = part.get_original_bytes() if hasattr(part, "get_original_bytes") else part
                data = raw if isinstance(raw, bytes) else str(raw).encode("latin-1", "replace")
                for code in font.codes(data):
                    advance = (font.width(code) * size + char_space) * scale
                    if code == 32 and not font.two_byte:
                        close(x)
                        x += advance + word_space * scale
                        continue
                    if start is None:
                        start = x
                    x += advance
            else:
                shift = _num(part)
                if shift >= _GAP_AS_SPACE:
                    close(x)
                x -= shift / 1000.0 * size * scale
        close(x)
        return _multiply((1.0, 0.0, 0.0, 1.0, x, 0.0), tm)

    def _draw(self, resources: DictionaryObject, name: object, ctm: Matrix, depth: int) -> None:
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not isinstance(xobjects, DictionaryObject) or name not in xobjects:
            return
        xobject = xobjects[name].get_object()
        if not isinstance(xobject, StreamObject):
            return
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            shown = abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])
            if depth == 0 and shown >= _SCAN_SHARE * self.area and self._scan(xobject, name, ctm):
                return
            self._add(ctm, 0.0, 0.0, 1.0, 1.0)
        elif subtype == "/Form" and depth < _MAX_DEPTH:
            matrix = xobject.get("/Matrix")
            matrix = matrix.get_object() if matrix is not None else None
            form_matrix: Matrix = _IDENTITY
            if isinstance(matrix, ArrayObject) and len(matrix) == 6:
                form_matrix = tuple(_num(v) for v in matrix)  # type: ignore[assignment]
            inner = xobject.get("/Resources")
            inner = inner.get_object() if inner is not None else resources
            self.run(xobject, inner, _multiply(form_matrix, ctm), depth + 1)

    def _scan(self, xobject: StreamObject, name: object, ctm: Matrix) -> bool:
        """Add the boxes of the dark cells of a large image; False when it cannot be read."""
        from PIL import Image

        try:
            image = _small_image(xobject, self.page, name)
        except Exception:  # an image Pillow cannot read is taken as ink all over
            return False
        if image is None or image.width < 2 or image.height < 2:
            return False
        width_pt = math.hypot(ctm[0], ctm[1])
        height_pt = math.hypot(ctm[2], ctm[3])
        columns = max(1, min(400, round(width_pt / _SCAN_CELL)))
        rows = max(1, min(600, round(height_pt / _SCAN_CELL)))
        grey = image.convert("L").resize((columns, rows), Image.Resampling.BOX)
        values = grey.tobytes()
        paper = sorted(values)[int(len(values) * 0.9)]
        dark = paper - _PAPER_MARGIN
        for row in range(rows):
            line = values[row * columns : (row + 1) * columns]
            top, bottom = 1.0 - row / rows, 1.0 - (row + 1) / rows
            start: int | None = None
            for column in range(columns + 1):
                inked = column < columns and line[column] < dark
                if inked and start is None:
                    start = column
                elif not inked and start is not None:
                    self._add(ctm, start / columns, bottom, column / columns, top)
                    start = None
        return True


_MAX_SIDE = 1200


def _small_image(xobject: StreamObject, page: PageObject, name: object) -> Any:
    """The image, decoded at a reduced size where the codec allows it (JPEG, JPEG 2000)."""
    import io

    from PIL import Image

    filters = xobject.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    names = list(filters) if isinstance(filters, ArrayObject) else [filters] if filters else []
    last = names[-1] if names else None
    if last in ("/DCTDecode", "/JPXDecode") and len(names) == 1:
        image = Image.open(io.BytesIO(xobject._data))
        if last == "/DCTDecode":
            image.draft("L", (_MAX_SIDE, _MAX_SIDE))
        else:
            side = max(image.size)
            reduce = 0
            while side > _MAX_SIDE * 2 and reduce < 5:
                side //= 2
                reduce += 1
            image.reduce = reduce  # type: ignore[method-assign,assignment]
        image.load()
        return image
    width, height = int(_num(xobject.get("/Width"))), int(_num(xobject.get("/Height")))
    bits = int(_num(xobject.get("/BitsPerComponent"), 8))
    space = xobject.get("/ColorSpace")
    mode = {"/DeviceGray": "L", "/DeviceRGB": "RGB", "/DeviceCMYK": "CMYK"}.get(str(space))
    if all(n in ("/FlateDecode", "/LZWDecode") for n in names) and mode and bits == 8:
        data = xobject.get_data()
        decoded = Image.frombytes(mode, (width, height), data[: width * height * len(mode)])
        return decoded if mode != "CMYK" else decoded.convert("RGB")
    masked = xobject.get("/ImageMask") is True or (bits == 1 and mode == "L")
    if masked and all(n in ("/FlateDecode", "/LZWDecode") for n in names):
        return Image.frombytes("1", (width, height), xobject.get_data())
    if last == "/CCITTFaxDecode":
        return page.images[str(name)].image
    return None


def ink_boxes(page: PageObject, frame: PageFrame) -> list[Box]:
    """Boxes of the page's words and images in display space, clipped to the visible page.

    Words are boxed one by one; a large image the page draws itself (a scan) is boxed by its
    2 mm cells that are darker than its paper.
    """
    area = (frame.x1 - frame.x0) * (frame.y1 - frame.y0)
    reader = _Reader(page, area)
    contents = page.get_contents()
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    if contents is not None:
        reader.run(contents, resources, _IDENTITY, 0)
    visible = frame.display_box
    boxes: list[Box] = []
    for x0, y0, x1, y1 in reader.boxes:
        corners = [frame.user_to_display(x, y) for x in (x0, x1) for y in (y0, y1)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        box = Box(min(xs), min(ys), max(xs), max(ys))
        if box.intersects(visible):
            boxes.append(box)
    return boxes
