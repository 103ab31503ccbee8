"""Stamping: marks drawn once as Form XObjects, placed on pages by a few bytes of content each.

Every page's original content is left as it is: the page's /Contents becomes an array of a
shared ``q`` stream, the original streams, and a short stream that restores the graphics state
and draws the marks (``q <matrix> cm /Name Do Q``). So the cost per page is a dictionary copy and
one small stream, whatever the page holds, and an incremental update only appends.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import attrs
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)

from edmscore.errors import EdmsError, PdfDamaged, ValidationError
from edmscore.pdf._geometry import Box, Corner, Matrix, PageFrame
from edmscore.pdf._marks import (
    CodeMark,
    ESignatureMark,
    Facsimile,
    Mark,
    RegistrationMark,
    RestrictionMark,
)
from edmscore.pdf._placement import Anchor, PageSpec, Placement, place, select_pages
from edmscore.pdf._reading import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    inherited,
    is_signed,
    open_pdf,
)
from edmscore.pdf._render import RenderedMark, render_mark
from edmscore.pdf._text import TextRun, text_runs

__all__ = ["PlacedMark", "Stamp", "StampReport", "StampResult", "stamp_file", "stamp_pdf"]


@attrs.frozen
class Stamp:
    """A mark, the pages it goes on and where on each page.

    ``pages`` and ``placement`` default by the kind of mark: e-signature marks and facsimiles go
    on the last page, bottom left; registration, ДСП marks and codes on the first page, in their
    conventional corners.
    """

    mark: Mark
    pages: PageSpec | None = None
    placement: Placement | None = None


@attrs.frozen
class PlacedMark:
    """Where a mark went: page number (from 1), its box in mm of the page as the reader sees it
    (left, bottom, right, top from the bottom-left corner) and how the spot was chosen
    (``anchor``, ``near-text``, ``fallback``, ``free-space``, ``covers-text``)."""

    page: int
    kind: str
    box_mm: tuple[float, float, float, float]
    how: str


@attrs.frozen
class StampReport:
    """Where every mark went, and how the file was written (see :func:`stamp_file`)."""

    placements: tuple[PlacedMark, ...]
    incremental: bool
    annotations: bool


@attrs.frozen
class StampResult:
    """The stamped PDF and where every mark went."""

    pdf: bytes = attrs.field(repr=lambda value: f"<{len(value)} bytes>")
    placements: tuple[PlacedMark, ...]
    incremental: bool
    annotations: bool


_KIND = {
    ESignatureMark: "e-signature",
    Facsimile: "facsimile",
    RegistrationMark: "registration",
    RestrictionMark: "restriction",
    CodeMark: "code",
}


def _defaults(mark: Mark) -> tuple[PageSpec, Placement]:
    if isinstance(mark, ESignatureMark):
        return "last", Anchor(Corner.BOTTOM_LEFT, 20.0, 20.0)
    if isinstance(mark, Facsimile):
        return "last", Anchor(Corner.BOTTOM_LEFT, 110.0, 25.0)
    if isinstance(mark, RegistrationMark):
        if mark.received:
            return "first", Anchor(Corner.BOTTOM_RIGHT, 10.0, 30.0)
        return "first", Anchor(Corner.TOP_LEFT, 20.0, 60.0)
    if isinstance(mark, RestrictionMark):
        return "first", Anchor(Corner.TOP_RIGHT, 10.0, 10.0)
    return "first", Anchor(Corner.BOTTOM_RIGHT, 10.0, 10.0)


class _Forms:
    """Each distinct mark drawn once and added to the output once, as a Form XObject."""

    def __init__(self, writer: PdfWriter) -> None:
        self._writer = writer
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
        stream.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): RectangleObject([box.left, box.bottom, box.right, box.top]),
                NameObject("/Resources"): resources.clone(self._writer),
            }
        )
        return self._writer._add_object(stream.flate_encode())


def _fmt(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()


@attrs.frozen
class _Draw:
    """One mark to draw on a page: its form, number, matrix, natural size and plain text."""

    form: IndirectObject
    number: int
    matrix: Matrix
    size: tuple[float, float]
    text: str


class _PageEditor:
    """Adds drawn forms to pages: resources copied per page, content streams shared."""

    def __init__(self, writer: PdfWriter) -> None:
        self._writer = writer
        self._tails: dict[bytes, IndirectObject] = {}

    def _stream(self, data: bytes) -> IndirectObject:
        if data not in self._tails:
            stream = DecodedStreamObject()
            stream.set_data(data)
            self._tails[data] = self._writer._add_object(stream)
        return self._tails[data]

    def _resources_with(
        self, base: object, draws: list[_Draw]
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

    def draw_in_content(self, page: PageObject, draws: list[_Draw]) -> None:
        """Append the marks to the page's content (the original streams stay untouched)."""
        resources, names = self._resources_with(inherited(page, "/Resources"), draws)
        page[NameObject("/Resources")] = resources
        tail = [b"Q\n"]
        for draw, name in zip(draws, names, strict=True):
            numbers = b" ".join(_fmt(v) for v in draw.matrix)
            tail.append(b"q " + numbers + b" cm " + name.encode() + b" Do Q\n")
        contents = ArrayObject([self._stream(b"q\n")])
        original = page.get("/Contents")
        if original is not None:
            resolved = original.get_object()
            if isinstance(resolved, ArrayObject):
                contents.extend(resolved)
            elif isinstance(resolved, StreamObject) and isinstance(original, IndirectObject):
                contents.append(original)
            elif isinstance(resolved, StreamObject):
                contents.append(self._writer._add_object(resolved))
        contents.append(self._stream(b"".join(tail)))
        page[NameObject("/Contents")] = contents

    def draw_as_annotations(self, page: PageObject, draws: list[_Draw]) -> None:
        """Add each mark as a printable /Stamp annotation whose appearance is the mark's form."""
        annots = page.get("/Annots")
        resolved = annots.get_object() if annots is not None else None
        if not isinstance(resolved, ArrayObject):
            resolved = ArrayObject()
            page[NameObject("/Annots")] = resolved
        for draw in draws:
            rect = _user_rect(draw.matrix, draw.size)
            resources, names = self._resources_with(None, [draw])
            numbers = b" ".join(_fmt(v) for v in draw.matrix)
            appearance = DecodedStreamObject()
            appearance.set_data(b"q " + numbers + b" cm " + names[0].encode() + b" Do Q\n")
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
                        {NameObject("/N"): self._writer._add_object(appearance)}
                    ),
                }
            )
            resolved.append(self._writer._add_object(annotation))


def _user_rect(matrix: Matrix, size: tuple[float, float]) -> list[float]:
    a, b, c, d, e, f = matrix
    width, height = size
    xs = [a * x + c * y + e for x in (0.0, width) for y in (0.0, height)]
    ys = [b * x + d * y + f for x in (0.0, width) for y in (0.0, height)]
    return [min(xs), min(ys), max(xs), max(ys)]


def _frame(page: PageObject) -> PageFrame:
    media = inherited(page, "/MediaBox")
    crop = inherited(page, "/CropBox")
    box = crop if isinstance(crop, ArrayObject) and len(crop) == 4 else media
    if not isinstance(box, ArrayObject) or len(box) != 4:
        box = ArrayObject([FloatObject(0), FloatObject(0), FloatObject(595), FloatObject(842)])
    corners = [float(v.get_object()) for v in box]
    rotate = inherited(page, "/Rotate")
    return PageFrame.of(
        (corners[0], corners[1], corners[2], corners[3]),
        int(rotate) if isinstance(rotate, int | float) else 0,
    )


def _plain_text(mark: Mark) -> str:
    if isinstance(mark, ESignatureMark):
        return " ".join(("ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ", *mark.data.lines()))
    if isinstance(mark, RegistrationMark | RestrictionMark):
        return " ".join(mark.lines())
    if isinstance(mark, CodeMark):
        return mark.caption or mark.data
    return "Факсимиле подписи"


def _stamp(
    reader: PdfReader,
    stamps: Sequence[Stamp],
    incremental: bool,
    annotations: bool,
    out: BinaryIO,
) -> tuple[PlacedMark, ...]:
    writer = PdfWriter(reader, incremental=True) if incremental else PdfWriter(clone_from=reader)
    forms = _Forms(writer)
    editor = _PageEditor(writer)
    count = len(writer.pages)
    per_page: dict[int, list[_Draw]] = {}
    occupied: dict[int, list[Box]] = {}
    frames: dict[int, PageFrame] = {}
    runs_cache: dict[int, list[TextRun]] = {}
    placed: list[PlacedMark] = []
    for stamp in stamps:
        default_pages, default_rule = _defaults(stamp.mark)
        pages = select_pages(stamp.pages if stamp.pages is not None else default_pages, count)
        rule = stamp.placement if stamp.placement is not None else default_rule
        rendered = forms.rendered(stamp.mark)
        text = _plain_text(stamp.mark)
        for index in pages:
            page = writer.pages[index]
            if index not in frames:
                frames[index] = _frame(page)
            frame = frames[index]

            def runs(index: int = index, frame: PageFrame = frame) -> list[TextRun]:
                if index not in runs_cache:
                    runs_cache[index] = text_runs(reader.pages[index], frame)
                return runs_cache[index]

            box, how = place(
                rule, frame, (rendered.width, rendered.height), occupied.get(index, []), runs
            )
            occupied.setdefault(index, []).append(box)
            form, number = forms.form(stamp.mark)
            matrix = frame.placement_matrix(box, rendered.width, rendered.height)
            size = (rendered.width, rendered.height)
            per_page.setdefault(index, []).append(_Draw(form, number, matrix, size, text))
            placed.append(PlacedMark(index + 1, _KIND[type(stamp.mark)], box.in_mm(), how))
    for index, draws in per_page.items():
        if annotations:
            editor.draw_as_annotations(writer.pages[index], draws)
        else:
            editor.draw_in_content(writer.pages[index], draws)
    writer.write(out)
    return tuple(placed)


def _run(
    source: bytes | BinaryIO,
    stamps: Sequence[Stamp],
    out: BinaryIO,
    *,
    incremental: bool | None,
    annotations: bool | None,
    max_bytes: int,
    max_pages: int,
) -> StampReport:
    if not stamps:
        raise ValidationError("stamps", "no mark to place")
    reader = open_pdf(source, max_bytes=max_bytes, max_pages=max_pages)
    try:
        use_incremental = is_signed(reader) if incremental is None else incremental
        use_annotations = use_incremental if annotations is None else annotations
        placed = _stamp(reader, stamps, use_incremental, use_annotations, out)
    except EdmsError:
        raise
    except Exception as exc:  # a damaged object met while stamping; no pypdf error may leak
        raise PdfDamaged(f"the PDF cannot be stamped: {type(exc).__name__}: {exc}") from exc
    return StampReport(placed, use_incremental, use_annotations)


def stamp_pdf(
    data: bytes,
    stamps: Sequence[Stamp],
    *,
    incremental: bool | None = None,
    annotations: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> StampResult:
    """Stamp ``data`` (a PDF) with ``stamps``; returns the new PDF and where each mark went.

    ``incremental`` appends the marks as an incremental update, so the original bytes stay a
    prefix of the output and existing signatures stay valid. ``None`` (the default) chooses it
    when the document is signed. ``annotations`` adds the marks as printable, locked /Stamp
    annotations instead of page content (what a signature's modification policy allows after
    signing); by default it follows ``incremental``. Marks on one page never overlap each other.
    """
    out = io.BytesIO()
    report = _run(
        data,
        stamps,
        out,
        incremental=incremental,
        annotations=annotations,
        max_bytes=max_bytes,
        max_pages=max_pages,
    )
    return StampResult(out.getvalue(), report.placements, report.incremental, report.annotations)


def stamp_file(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    stamps: Sequence[Stamp],
    *,
    incremental: bool | None = None,
    annotations: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> StampReport:
    """Stamp the file ``source`` into a new file ``target`` (never the same file).

    The input is read as needed rather than loaded whole, and the output is streamed to
    ``target`` + ``.part`` and renamed when complete, so a failure leaves no partial target.
    Options as for :func:`stamp_pdf`.
    """
    src, dst = Path(source), Path(target)
    if dst.exists() and dst.resolve() == src.resolve():
        raise ValidationError("target", "the output must be a new file, not the input")
    partial = dst.with_name(dst.name + ".part")
    try:
        with src.open("rb") as reading, partial.open("wb") as writing:
            report = _run(
                reading,
                stamps,
                writing,
                incremental=incremental,
                annotations=annotations,
                max_bytes=max_bytes,
                max_pages=max_pages,
            )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(dst)
    return report
