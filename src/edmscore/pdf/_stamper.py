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
from pypdf import PdfReader
from pypdf.errors import DependencyError

from edmscore._validate import expect
from edmscore.errors import EdmsError, PdfDamaged, PdfLocked, PlacementError, ValidationError
from edmscore.pdf._forms import Draw, Forms, PageEditor, earlier_marks, page_frame
from edmscore.pdf._geometry import Box, PageFrame
from edmscore.pdf._incremental import IncrementalUpdate
from edmscore.pdf._layout import ink_boxes
from edmscore.pdf._marks import (
    CodeMark,
    ESignatureMark,
    Facsimile,
    Mark,
    RegistrationMark,
    RestrictionMark,
)
from edmscore.pdf._pages import PageTree
from edmscore.pdf._pdfa import intent_components, pdfa_claim, pdfa_problems
from edmscore.pdf._placement import (
    MIN_SCALE,
    STANDARD_POSITIONS,
    Fallback,
    Occupancy,
    PageSpec,
    Placement,
    Standard,
    fit_scale,
    place,
    search,
    select_pages,
)
from edmscore.pdf._reading import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    check_permissions,
    docmdp_permission,
    is_signed,
    missing_decoder,
    open_pdf,
)
from edmscore.pdf._text import TextRun, text_runs
from edmscore.pdf._verify import rewrite_verified

__all__ = ["PlacedMark", "Stamp", "StampReport", "StampResult", "stamp_file", "stamp_pdf"]

_MARKS = (ESignatureMark, Facsimile, RegistrationMark, RestrictionMark, CodeMark)


@attrs.frozen
class Stamp:
    """A mark, the pages it goes on and where on each page.

    ``pages`` and ``placement`` default by the kind of mark: e-signature marks and facsimiles go
    on the last page, registration, ДСП marks and codes on the first page, each at its standard
    position (:class:`Standard`), clear of the page's words and images. ``background`` (an RGB
    colour) fills the mark's box under it, so it reads on a dark or busy page.
    """

    mark: Mark = attrs.field(validator=lambda _s, _a, value: expect(value, _MARKS, "Stamp.mark"))
    pages: PageSpec | None = None
    placement: Placement | None = None
    background: tuple[int, int, int] | None = attrs.field(default=None)

    @background.validator
    def _check_background(self, attribute: object, value: tuple[int, int, int] | None) -> None:
        if value is not None and (len(value) != 3 or not all(0 <= c <= 255 for c in value)):
            raise ValidationError("background", f"expected an RGB colour, got {value!r}")


@attrs.frozen
class PlacedMark:
    """Where a mark went: page number (from 1), its box in mm of the page as the reader sees it
    (left, bottom, right, top from the bottom-left corner) and how the spot was chosen:
    ``standard`` (a standard position), ``free-space``, ``scaled`` (scaled down to fit),
    ``new-page`` (on a page added after the one asked for), ``annotation`` (an annotation over
    the page), ``anchor`` (a forced position), ``near-text``, ``fallback`` (NearText's) or
    ``covers-text`` (FreeSpace with ``required=False``)."""

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
    if isinstance(mark, ESignatureMark | Facsimile):
        return "last", Standard()
    return "first", Standard()


def _plain_text(mark: Mark) -> str:
    if isinstance(mark, ESignatureMark):
        return " ".join(("ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ", *mark.data.lines()))
    if isinstance(mark, RegistrationMark | RestrictionMark):
        return " ".join(mark.lines())
    if isinstance(mark, CodeMark):
        return mark.caption or mark.data
    return "Факсимиле подписи"


def _standard_key(mark: Mark) -> str:
    if isinstance(mark, RegistrationMark) and mark.received:
        return "registration-received"
    return _KIND[type(mark)]


class _Job:
    """One stamping: the pages, what is known of each, and the marks drawn so far."""

    def __init__(self, reader: PdfReader, source: bytes | BinaryIO, options: _Options) -> None:
        self.reader = reader
        self.options = options
        self.update = IncrementalUpdate(reader, source)
        self.pages = PageTree(reader)
        self.forms = Forms(self.update, no_soft_masks=options.no_soft_masks)
        self.editor = PageEditor(self.update)
        self.frames: dict[int, PageFrame] = {}
        self.occupied: dict[int, list[Box]] = {}
        self.ink_cache: dict[int, list[Box]] = {}
        self.runs_cache: dict[int, list[TextRun]] = {}
        self.in_content: dict[int, list[Draw]] = {}
        self.as_annotations: dict[int, list[Draw]] = {}
        self.added: dict[int, list[Draw]] = {}

    def frame(self, index: int) -> PageFrame:
        if index not in self.frames:
            page = self.pages[index]
            self.frames[index] = page_frame(page)
            self.occupied[index] = earlier_marks(page, self.frames[index])
        return self.frames[index]

    def ink(self, index: int) -> list[Box]:
        if index not in self.ink_cache:
            self.ink_cache[index] = ink_boxes(self.pages[index], self.frame(index))
        return self.ink_cache[index]

    def runs(self, index: int) -> list[TextRun]:
        if index not in self.runs_cache:
            self.runs_cache[index] = text_runs(self.pages[index], self.frame(index))
        return self.runs_cache[index]

    def put(self, stamp: Stamp, index: int) -> PlacedMark:
        """Place ``stamp``'s mark on page ``index``; returns where it went."""
        default_pages, default_rule = _defaults(stamp.mark)
        del default_pages
        rule = stamp.placement if stamp.placement is not None else default_rule
        rendered = self.forms.rendered(stamp.mark)
        size = (rendered.width, rendered.height)
        frame = self.frame(index)
        kind = _KIND[type(stamp.mark)]
        target = self.in_content if not self.options.annotations else self.as_annotations
        page_number = index + 1
        if isinstance(rule, Standard):
            found = self._standard(stamp, rule, index, size)
            if found is None:
                return self._fallback(stamp, rule, index, size)
            box, how = found
        else:
            box, how = place(
                rule,
                frame,
                size,
                self.occupied[index],
                lambda: self.runs(index),
                lambda: self.ink(index),
            )
        self.occupied[index].append(box)
        target.setdefault(index, []).append(self._draw(stamp, frame, box, size))
        return PlacedMark(page_number, kind, box.in_mm(), how)

    def _draw(self, stamp: Stamp, frame: PageFrame, box: Box, size: tuple[float, float]) -> Draw:
        form, number = self.forms.form(stamp.mark)
        matrix = frame.placement_matrix(box, size[0], size[1])
        return Draw(form, number, matrix, size, _plain_text(stamp.mark), stamp.background)

    def _standard(
        self, stamp: Stamp, rule: Standard, index: int, size: tuple[float, float]
    ) -> tuple[Box, str] | None:
        frame = self.frame(index)
        positions = rule.positions or STANDARD_POSITIONS[_standard_key(stamp.mark)]
        minimum = (
            rule.min_scale if rule.min_scale is not None else MIN_SCALE[_KIND[type(stamp.mark)]]
        )
        occupancy = Occupancy(frame.display_box, [*self.ink(index), *self.occupied[index]])
        return search(
            positions,
            frame,
            size,
            occupancy,
            min_scale=minimum,
            step_mm=rule.step_mm,
            margin_mm=rule.margin_mm,
        )

    def _fallback(
        self, stamp: Stamp, rule: Standard, index: int, size: tuple[float, float]
    ) -> PlacedMark:
        kind = _KIND[type(stamp.mark)]
        choice = rule.fallback
        if choice is None:
            choice = Fallback.ANNOTATION if self.options.signed else Fallback.NEW_PAGE
        if choice is Fallback.REFUSE:
            raise PlacementError(
                f"no room for the {kind} mark on page {index + 1} without covering its text or"
                " images, even scaled down"
            )
        frame = self.frame(index)
        positions = rule.positions or STANDARD_POSITIONS[_standard_key(stamp.mark)]
        if choice is Fallback.ANNOTATION:
            scale = fit_scale(size, frame.display_box)
            width, height = size[0] * scale, size[1] * scale
            box = positions[0].box(frame, width, height)
            box = box.moved(
                max(0.0, -box.left) - max(0.0, box.right - frame.display_width),
                max(0.0, -box.bottom) - max(0.0, box.top - frame.display_height),
            )
            self.occupied[index].append(box)
            draw = self._draw(stamp, frame, box, size)
            self.as_annotations.setdefault(index, []).append(draw)
            return PlacedMark(index + 1, kind, box.in_mm(), "annotation")
        # A new page the size of this one, as the reader sees it, right after it.
        blank = PageFrame.of((0.0, 0.0, frame.display_width, frame.display_height), 0)
        drawn = self.added.setdefault(index, [])
        taken = [self._added_boxes[id(d)] for d in drawn] if drawn else []
        occupancy = Occupancy(blank.display_box, taken)
        found = search(positions, blank, size, occupancy, min_scale=0.1)
        if found is None:
            raise PlacementError(f"the {kind} mark does not fit even on an added page")
        box = found[0]
        draw = self._draw(stamp, blank, box, size)
        self._added_boxes[id(draw)] = box
        drawn.append(draw)
        return PlacedMark(index + 2, kind, box.in_mm(), "new-page")

    _added_boxes: dict[int, Box]

    def finish(self) -> None:
        """Write every page's marks into the update."""
        for index, draws in self.in_content.items():
            self.editor.draw_in_content(self.pages[index], draws)
        for index, draws in self.as_annotations.items():
            self.editor.draw_as_annotations(self.pages[index], draws)
        for index in sorted(self.added, reverse=True):
            frame = self.frame(index)
            self.editor.add_page_after(
                self.pages[index], (frame.display_width, frame.display_height), self.added[index]
            )


@attrs.frozen
class _Options:
    annotations: bool
    signed: bool
    no_soft_masks: bool


def _renumber(placed: list[PlacedMark], added: dict[int, list[Draw]]) -> tuple[PlacedMark, ...]:
    """Page numbers in the output: each added page shifts the pages after it by one."""
    if not added:
        return tuple(placed)
    targets = sorted(added)
    result = []
    for mark in placed:
        if mark.how == "new-page":
            index = mark.page - 2
            shift = sum(1 for t in targets if t < index)
            result.append(attrs.evolve(mark, page=mark.page + shift))
        else:
            shift = sum(1 for t in targets if t < mark.page - 1)
            result.append(attrs.evolve(mark, page=mark.page + shift))
    return tuple(result)


def _stamp(
    reader: PdfReader,
    source: bytes | BinaryIO,
    stamps: Sequence[Stamp],
    options: _Options,
) -> tuple[IncrementalUpdate, tuple[PlacedMark, ...], list[int]]:
    job = _Job(reader, source, options)
    job._added_boxes = {}
    count = len(job.pages)
    placed: list[PlacedMark] = []
    for stamp in stamps:
        default_pages, _ = _defaults(stamp.mark)
        pages = select_pages(stamp.pages if stamp.pages is not None else default_pages, count)
        for index in pages:
            placed.append(job.put(stamp, index))
    job.finish()
    touched = sorted({*job.in_content, *job.as_annotations})
    return job.update, _renumber(placed, job.added), touched


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
        signed = is_signed(reader)
        use_incremental = True if incremental is None else incremental
        if (signed or reader.is_encrypted) and not use_incremental:
            what = "signed" if signed else "encrypted"
            raise ValidationError(
                "incremental", f"a {what} document can only be stamped by an incremental update"
            )
        use_annotations = signed if annotations is None else annotations
        check_permissions(reader, use_annotations)
        claim = pdfa_claim(reader)
        components = intent_components(reader) if claim is not None else None
        if components is not None and components != 3:
            # The marks are drawn in DeviceRGB, which PDF/A allows only under an RGB intent.
            raise PdfLocked(
                f"the document's {claim} output intent has {components} colour components:"
                " marks drawn in RGB would break its conformance"
            )
        options = _Options(use_annotations, signed, claim is not None and claim.part == 1)
        update, placed, _ = _stamp(reader, source, stamps, options)
        if claim is not None:
            problems = pdfa_problems(list(update.new_objects()), claim.part)
            if problems:
                raise PdfDamaged(f"the marks would break the document's {claim}: {problems[0]}")
        if use_incremental:
            update.write(out)
        else:
            buffer = io.BytesIO()
            update.write(buffer)
            rewrite_verified(buffer.getvalue(), out, max_pages=max_pages)
    except EdmsError:
        raise
    except DependencyError as exc:  # a stream filter whose optional decoder is missing
        raise missing_decoder(exc) from exc
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

    By default (``incremental`` ``None`` or ``True``) the marks are appended as an incremental
    update: the original bytes stay a prefix of the output, nothing of them is parsed and written
    back, so nothing can be lost, and existing signatures stay valid. ``incremental=False``
    rewrites the whole file, then checks the result against the input (same pages, resources,
    images, fonts and content) and raises :class:`~edmscore.errors.PdfRewriteLoss` rather than
    return a document that lost something; a signed document is never rewritten.
    ``annotations`` adds the marks as printable, locked /Stamp annotations instead of page
    content (what a signature's modification policy allows after signing); by default it is
    chosen for signed documents. Marks on one page never overlap each other.

    A document with an empty user password (an owner password only) is stamped when its
    permissions allow the change, and refused with :class:`~edmscore.errors.PdfLocked` when they
    do not; one that needs a password to open is :class:`~edmscore.errors.PdfEncrypted`.
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
