"""Writing drawn marks into a document: one Form XObject per mark, a few bytes per page.

A page's original content streams are never touched: its /Contents becomes an array of a shared
``q`` stream, the original streams and a short stream that restores the graphics state and draws
the marks (``Q q <matrix> cm /Name Do Q``). As many ``q`` and ``Q`` are added as the content
needs to end where it began (see ``_content``), so a mark lands in the page's default coordinate
system. In annotation mode each mark becomes a printable, locked /Stamp annotation whose
appearance draws the mark's form instead.
"""

from __future__ import annotations

import io
import re
from typing import Any

import attrs
from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)

from edmscore.errors import PdfDamaged
from edmscore.pdf._content import balance
from edmscore.pdf._geometry import Box, Matrix, PageFrame
from edmscore.pdf._incremental import IncrementalUpdate
from edmscore.pdf._marks import Mark
from edmscore.pdf._pdfa import strip_soft_masks
from edmscore.pdf._reading import inherited, missing_decoder
from edmscore.pdf._render import RenderedMark, render_mark

__all__ = ["Draw", "Forms", "PageEditor", "earlier_marks", "page_frame"]


class Forms:
    """Each distinct mark drawn once and added to the output once, as a Form XObject."""

    def __init__(self, writer: IncrementalUpdate, *, no_soft_masks: bool = False) -> None:
        self._writer = writer
        self._no_soft_masks = no_soft_masks
        self._rendered: dict[Mark, RenderedMark] = {}
        self._forms: dict[Mark, tuple[IndirectObject, int]] = {}

    def rendered(self, mark: Mark) -> RenderedMark:
        if mark not in self._rendered:
            self._rendered[mark] = render_mark(mark)
        return self._rendered[mark]

    def form(self, mark: Mark) -> tuple[IndirectObject, int]:
        if mark not in self._forms:
            self._forms[mark] = (self._make(self.rendered(mark)), len(self._forms))
        return self._forms[mark]

    def _make(self, rendered: RenderedMark) -> IndirectObject:
        overlay = PdfReader(io.BytesIO(rendered.pdf))
        page = overlay.pages[0]
        contents = page.get_contents()
        stream = DecodedStreamObject()
        stream.set_data(contents.get_data() if contents is not None else b"")
        box = page.mediabox
        resources = page["/Resources"].get_object()
        if not isinstance(resources, DictionaryObject):
            raise PdfDamaged("the drawn mark has no resources")
        copied = self._writer.import_object(resources)
        if self._no_soft_masks:
            strip_soft_masks(copied, self._writer)
        stream.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): RectangleObject([box.left, box.bottom, box.right, box.top]),
                NameObject("/Resources"): copied,
            }
        )
        return self._writer.add(stream.flate_encode())


def _fmt(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()


@attrs.frozen
class Draw:
    """One mark to draw on a page: its form, number, matrix, natural size and plain text."""

    form: IndirectObject
    number: int
    matrix: Matrix
    size: tuple[float, float]
    text: str
    background: tuple[int, int, int] | None = None

    def operators(self, name: str) -> bytes:
        """``q <matrix> cm [background] /Name Do Q``: the mark drawn into its box."""
        numbers = b" ".join(_fmt(v) for v in self.matrix)
        fill = b""
        if self.background is not None:
            colour = b" ".join(_fmt(c / 255) for c in self.background)
            width, height = (_fmt(v) for v in self.size)
            fill = colour + b" rg 0 0 " + width + b" " + height + b" re f "
        return b"q " + numbers + b" cm " + fill + name.encode() + b" Do Q\n"


def content_data(page: PageObject) -> bytes:
    """The page's content, decoded, its streams joined; a missing decoder is a typed error."""
    try:
        contents = page.get_contents()
        return contents.get_data() if contents is not None else b""
    except DependencyError as exc:
        raise missing_decoder(exc) from exc


class PageEditor:
    """Adds drawn forms to pages: resources copied per page, content streams shared."""

    def __init__(self, writer: IncrementalUpdate) -> None:
        self._writer = writer
        self._tails: dict[bytes, IndirectObject] = {}

    def _stream(self, data: bytes) -> IndirectObject:
        if data not in self._tails:
            stream = DecodedStreamObject()
            stream.set_data(data)
            self._tails[data] = self._writer.add(stream)
        return self._tails[data]

    def _resources_with(
        self, base: object, draws: list[Draw]
    ) -> tuple[DictionaryObject, list[str]]:
        fresh = DictionaryObject()
        if isinstance(base, DictionaryObject):
            fresh.update(base)
        xobjects = DictionaryObject()
        old = fresh.get("/XObject")
        if old is not None and isinstance(old.get_object(), DictionaryObject):
            xobjects.update(old.get_object())
        names = []
        for draw in draws:
            name = f"/EdmsMark{draw.number}"
            while name in xobjects and xobjects[name] != draw.form:
                name += "x"
            xobjects[NameObject(name)] = draw.form
            names.append(name)
        fresh[NameObject("/XObject")] = xobjects
        return fresh, names

    def draw_in_content(self, page: PageObject, draws: list[Draw]) -> None:
        """Append the marks to the page's content (the original streams stay untouched)."""
        state = balance(content_data(page))
        resources, names = self._resources_with(inherited(page, "/Resources"), draws)
        page[NameObject("/Resources")] = resources
        tail = [state.suffix()]
        for draw, name in zip(draws, names, strict=True):
            tail.append(draw.operators(name))
        contents = ArrayObject([self._stream(state.prefix())])
        original = page.get("/Contents")
        if original is not None:
            resolved = original.get_object()
            if isinstance(resolved, ArrayObject):
                contents.extend(resolved)
            elif isinstance(resolved, StreamObject) and isinstance(original, IndirectObject):
                contents.append(original)
            elif isinstance(resolved, StreamObject):
                contents.append(self._writer.add(resolved))
        contents.append(self._stream(b"".join(tail)))
        page[NameObject("/Contents")] = contents
        _written(page).discard("/Resources")
        self._writer.replace(_ref(page), _writable(page))

    def add_page_after(
        self, page: PageObject, size: tuple[float, float], draws: list[Draw]
    ) -> None:
        """A new page of ``size`` right after ``page`` in its parent, carrying ``draws``."""
        resources, names = self._resources_with(None, draws)
        content = b"".join(draw.operators(name) for draw, name in zip(draws, names, strict=True))
        parent_ref = page.raw_get("/Parent") if "/Parent" in page else None
        if not isinstance(parent_ref, IndirectObject):
            raise PdfDamaged("the page has no parent in the page tree: no page can follow it")
        new_page = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Page"),
                NameObject("/Parent"): parent_ref,
                NameObject("/MediaBox"): RectangleObject([0, 0, size[0], size[1]]),
                NameObject("/Resources"): resources,
                NameObject("/Contents"): self._stream(content),
            }
        )
        new_ref = self._writer.add(new_page)
        parent: Any = parent_ref.get_object()
        kids_ref = parent.raw_get("/Kids")
        kids: Any = kids_ref.get_object()
        own = page.indirect_reference.idnum if page.indirect_reference is not None else -1
        position = next(
            (i for i, kid in enumerate(kids) if getattr(kid, "idnum", None) == own),
            len(kids) - 1,
        )
        kids.insert(position + 1, new_ref)
        if isinstance(kids_ref, IndirectObject):
            self._writer.replace(kids_ref, kids)
        node_ref: object = parent_ref
        for _ in range(64):
            if not isinstance(node_ref, IndirectObject):
                break
            node: Any = node_ref.get_object()
            node[NameObject("/Count")] = NumberObject(int(node.get("/Count", 0)) + 1)
            self._writer.replace(node_ref, node)
            node_ref = node.raw_get("/Parent") if "/Parent" in node else None

    def draw_as_annotations(self, page: PageObject, draws: list[Draw]) -> None:
        """Add each mark as a printable /Stamp annotation whose appearance is the mark's form."""
        annots = page.get("/Annots")
        resolved = annots.get_object() if annots is not None else None
        if not isinstance(resolved, ArrayObject):
            resolved = ArrayObject()
            page[NameObject("/Annots")] = resolved
        for draw in draws:
            rect = _user_rect(draw.matrix, draw.size)
            resources, names = self._resources_with(None, [draw])
            appearance = DecodedStreamObject()
            appearance.set_data(draw.operators(names[0]))
            appearance.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): RectangleObject(rect),
                    NameObject("/Resources"): resources,
                }
            )
            annotation = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Stamp"),
                    NameObject("/Rect"): RectangleObject(rect),
                    NameObject("/F"): NumberObject(4 | 128),  # Print, Locked
                    NameObject("/Contents"): TextStringObject(draw.text),
                    NameObject("/NM"): TextStringObject(f"edmscore-{draw.number}-{len(resolved)}"),
                    NameObject("/P"): page.indirect_reference,
                    NameObject("/AP"): DictionaryObject(
                        {NameObject("/N"): self._writer.add(appearance)}
                    ),
                }
            )
            resolved.append(self._writer.add(annotation))
        if isinstance(annots, IndirectObject):
            self._writer.replace(annots, resolved)
        self._writer.replace(_ref(page), _writable(page))


def _ref(page: PageObject) -> IndirectObject:
    if page.indirect_reference is None:
        raise PdfDamaged("a page that is not an indirect object cannot be updated")
    return page.indirect_reference


def _written(page: PageObject) -> set[str]:
    """The keys the page tree walk copied in from the page's ancestors (not to be written)."""
    found: set[str] = page.__dict__.setdefault("edms_inherited", set())
    return found


def _writable(page: PageObject) -> DictionaryObject:
    """The page's own dictionary: without what it only inherits from its ancestors."""
    skip = _written(page)
    if not skip:
        return page
    return DictionaryObject({NameObject(k): v for k, v in page.items() if k not in skip})


def _user_rect(matrix: Matrix, size: tuple[float, float]) -> list[float]:
    a, b, c, d, e, f = matrix
    width, height = size
    xs = [a * x + c * y + e for x in (0.0, width) for y in (0.0, height)]
    ys = [b * x + d * y + f for x in (0.0, width) for y in (0.0, height)]
    return [min(xs), min(ys), max(xs), max(ys)]


def _box(value: object) -> tuple[float, float, float, float] | None:
    if not isinstance(value, ArrayObject) or len(value) != 4:
        return None
    x0, y0, x1, y1 = (float(v.get_object()) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def page_frame(page: PageObject) -> PageFrame:
    """The page's visible box and rotation, inherited attributes included.

    The visible box is the crop box clipped to the media box, as viewers show it; a page
    without a usable media box is taken as A4.
    """
    media = _box(inherited(page, "/MediaBox")) or (0.0, 0.0, 595.0, 842.0)
    crop = _box(inherited(page, "/CropBox")) or media
    visible = (
        max(crop[0], media[0]),
        max(crop[1], media[1]),
        min(crop[2], media[2]),
        min(crop[3], media[3]),
    )
    if visible[2] - visible[0] < 1 or visible[3] - visible[1] < 1:
        visible = media  # a crop box outside the media box: viewers fall back to the media box
    rotate = inherited(page, "/Rotate")
    return PageFrame.of(visible, int(rotate) if isinstance(rotate, int | float) else 0)


_EARLIER_DRAW = re.compile(rb"q ((?:-?[0-9.]+ ){6})cm (/EdmsMark[0-9x]+) Do Q")
_TAIL_LIMIT = 4096


def _display_box(frame: PageFrame, rect: tuple[float, float, float, float]) -> Box:
    corners = [frame.user_to_display(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return Box(min(xs), min(ys), max(xs), max(ys))


def earlier_marks(page: PageObject, frame: PageFrame) -> list[Box]:
    """Boxes (display space) of the marks edmscore put on this page in an earlier stamping.

    They are found by what this module writes: the short content streams drawing /EdmsMark
    forms, and /Stamp annotations named ``edmscore-…``; a later mark is kept off them.
    """
    boxes: list[Box] = []
    annots = page.get("/Annots")
    listed = annots.get_object() if annots is not None else None
    for ref in listed if isinstance(listed, ArrayObject) else []:
        annotation = ref.get_object()
        if not isinstance(annotation, DictionaryObject):
            continue
        if str(annotation.get("/NM", "")).startswith("edmscore-"):
            rect = _box(annotation.get("/Rect"))
            if rect is not None:
                boxes.append(_display_box(frame, rect))
    contents = page.get("/Contents")
    resolved = contents.get_object() if contents is not None else None
    resources = inherited(page, "/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(resolved, ArrayObject) or not isinstance(xobjects, DictionaryObject):
        return boxes
    # Only the last stream can be one this module wrote: short, unfiltered, drawing /EdmsMark.
    stream = resolved[-1].get_object() if len(resolved) else None
    if not isinstance(stream, StreamObject) or "/Filter" in stream:
        return boxes
    data = stream.get_data()  # unfiltered: no decoding
    if len(data) > _TAIL_LIMIT:
        return boxes
    for numbers, name in _EARLIER_DRAW.findall(data):
        form = xobjects.get(name.decode())
        bbox = _box(form.get_object().get("/BBox")) if form is not None else None
        if bbox is None:
            continue
        a, b, c, d, e, f = (float(v) for v in numbers.split())
        corners = [(a * x + c * y + e, b * x + d * y + f) for x in bbox[::2] for y in bbox[1::2]]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        boxes.append(_display_box(frame, (min(xs), min(ys), max(xs), max(ys))))
    return boxes
