"""Stamping: which marks go on which pages and where; the public ``stamp_pdf``/``stamp_file``.

Each distinct mark is drawn once and written once (``_forms``); every page it goes on costs a
dictionary copy and a shared content stream, whatever the page holds, and an incremental update
only appends.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import attrs
from pypdf import PdfReader, PdfWriter

from edmscore._validate import expect
from edmscore.errors import EdmsError, PdfDamaged, PdfLocked, ValidationError
from edmscore.pdf._forms import Draw, Forms, PageEditor, earlier_marks, page_frame
from edmscore.pdf._geometry import Box, Corner, PageFrame
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
    docmdp_permission,
    is_signed,
    open_pdf,
)
from edmscore.pdf._text import TextRun, text_runs

__all__ = ["PlacedMark", "Stamp", "StampReport", "StampResult", "stamp_file", "stamp_pdf"]

_MARKS = (ESignatureMark, Facsimile, RegistrationMark, RestrictionMark, CodeMark)


@attrs.frozen
class Stamp:
    """A mark, the pages it goes on and where on each page.

    ``pages`` and ``placement`` default by the kind of mark: e-signature marks and facsimiles go
    on the last page, bottom left; registration, ДСП marks and codes on the first page, in their
    conventional corners.
    """

    mark: Mark = attrs.field(validator=lambda _s, _a, value: expect(value, _MARKS, "Stamp.mark"))
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
    forms = Forms(writer)
    editor = PageEditor(writer)
    count = len(writer.pages)
    per_page: dict[int, list[Draw]] = {}
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
                frames[index] = page_frame(page)
                occupied[index] = earlier_marks(page, frames[index])
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
            per_page.setdefault(index, []).append(Draw(form, number, matrix, size, text))
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
    expect(stamps, (list, tuple), "stamps")
    if not stamps:
        raise ValidationError("stamps", "no mark to place")
    for number, stamp in enumerate(stamps):
        expect(stamp, Stamp, f"stamps[{number}]")
    reader = open_pdf(source, max_bytes=max_bytes, max_pages=max_pages)
    try:
        level = docmdp_permission(reader)
        if level is not None and level < 3:
            raise PdfLocked(
                f"the document is certified with DocMDP permission {level}: adding a mark"
                " (content or annotation) would break the certification"
            )
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
