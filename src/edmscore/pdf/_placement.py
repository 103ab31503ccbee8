"""Where a mark goes: which pages, and where on each (corner anchor, near a text, free space)."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs

from edmscore.errors import PlacementError, ValidationError
from edmscore.pdf._geometry import MM, Box, Corner, PageFrame
from edmscore.pdf._text import TextRun, find_text

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "Anchor",
    "Fallback",
    "FreeSpace",
    "NearText",
    "PageSpec",
    "Placement",
    "Side",
    "Standard",
    "select_pages",
]

PageSpec = str | int | Sequence[int]
"""``"first"``, ``"last"``, ``"all"``, a page number (from 1) or a list of page numbers."""

_GAP = 2 * MM
_PAD = 1 * MM


def select_pages(spec: PageSpec, count: int) -> list[int]:
    """The 0-based page indexes ``spec`` names in a document of ``count`` pages."""
    if isinstance(spec, str):
        word = spec.strip().lower()
        if word == "first":
            return [0]
        if word == "last":
            return [count - 1]
        if word == "all":
            return list(range(count))
        if word.isdigit():
            return select_pages(int(word), count)
        raise ValidationError("pages", f"expected first, last, all or a number, got {spec!r}")
    numbers = [spec] if isinstance(spec, int) else list(spec)
    if not numbers:
        raise ValidationError("pages", "no page named")
    chosen: list[int] = []
    for number in numbers:
        if not 1 <= number <= count:
            raise PlacementError(f"page {number} does not exist (the document has {count})")
        if number - 1 not in chosen:
            chosen.append(number - 1)
    return chosen


def _offset(value: float) -> float:
    if not -1000 <= value <= 1000:
        raise ValidationError("offset", f"offset out of range: {value} mm")
    return float(value)


@attrs.frozen
class Anchor:
    """A corner of the page (as the reader sees it) and offsets inward from it, in mm."""

    corner: Corner = Corner.BOTTOM_LEFT
    dx_mm: float = attrs.field(default=20.0, converter=_offset)
    dy_mm: float = attrs.field(default=20.0, converter=_offset)

    def box(self, frame: PageFrame, width: float, height: float) -> Box:
        """The box of a mark of ``width`` x ``height`` points at this anchor."""
        page_w, page_h = frame.display_width, frame.display_height
        left = self.dx_mm * MM if self.corner.is_left else page_w - self.dx_mm * MM - width
        bottom = page_h - self.dy_mm * MM - height if self.corner.is_top else self.dy_mm * MM
        return Box(left, bottom, left + width, bottom + height)


class Side(enum.Enum):
    """Where a mark goes relative to a text found on the page."""

    BELOW = "below"
    ABOVE = "above"
    LEFT = "left"
    RIGHT = "right"


@attrs.frozen
class NearText:
    """Next to the first occurrence of ``text`` on the page; at ``fallback`` when it is absent."""

    text: str
    side: Side = Side.BELOW
    gap_mm: float = 2.0
    fallback: Anchor = Anchor()

    def __attrs_post_init__(self) -> None:
        if not self.text.strip():
            raise ValidationError("near", "the text to look for is empty")


@attrs.frozen
class FreeSpace:
    """The free spot nearest to ``preferred`` where the mark covers no word or image of the page.

    With ``required`` (the default) a page without such a spot raises
    :class:`~edmscore.errors.PlacementError`; otherwise the mark goes to ``preferred``.
    """

    preferred: Anchor = Anchor()
    step_mm: float = 5.0
    margin_mm: float = 5.0
    required: bool = True


class Fallback(enum.Enum):
    """What :class:`Standard` does when a mark fits nowhere on its page, even scaled down."""

    NEW_PAGE = "new-page"
    """Add a page of the same size after the page and put the mark there."""
    ANNOTATION = "annotation"
    """Put the mark at its first standard position as a /Stamp annotation over the page."""
    REFUSE = "refuse"
    """Raise :class:`~edmscore.errors.PlacementError`."""


def _scale(value: float | None) -> float | None:
    if value is not None and not 0.1 <= value <= 1.0:
        raise ValidationError("min_scale", f"must be in [0.1, 1], got {value}")
    return value


@attrs.frozen
class Standard:
    """The mark's standard positions first (GOST R 7.0.97), then the free spot nearest to them.

    A mark placed this way never covers a word or an image of the page. When it fits nowhere
    at full size it is scaled down in steps of 10 % to ``min_scale`` (``None``: the kind's
    documented minimum: 0.6 for the e-signature mark, whose text stays at 4.5 pt or more, 0.75 for
    a QR code, which stays 15 mm wide, 0.7 for registration and ДСП marks, 0.5 for a facsimile);
    when it fits nowhere even then, ``fallback``
    decides (``None``: a new page, or an annotation for a signed document, whose signatures a
    new page would put in doubt). ``positions`` replaces the kind's standard positions.
    """

    positions: tuple[Anchor, ...] = attrs.field(default=(), converter=tuple)
    min_scale: float | None = attrs.field(default=None, converter=_scale)
    fallback: Fallback | None = None
    margin_mm: float = 5.0
    step_mm: float = 5.0


Placement = Anchor | NearText | FreeSpace | Standard
"""Any placement rule."""

MIN_SCALE = {
    "e-signature": 0.6,
    "facsimile": 0.5,
    "registration": 0.7,
    "restriction": 0.7,
    "code": 0.75,
}
"""The smallest scale of each kind of mark: the e-signature mark's text stays at 4.5 pt or more
(legible at 100 %), a QR code at 15 mm (read by phone cameras), a facsimile at half its width."""

STANDARD_POSITIONS: dict[str, tuple[Anchor, ...]] = {
    # Where the handwritten signature would go: bottom of the last page, left, then right.
    "e-signature": (
        Anchor(Corner.BOTTOM_LEFT, 20.0, 20.0),
        Anchor(Corner.BOTTOM_RIGHT, 10.0, 20.0),
    ),
    "facsimile": (Anchor(Corner.BOTTOM_LEFT, 110.0, 25.0), Anchor(Corner.BOTTOM_RIGHT, 10.0, 45.0)),
    # The receipt mark: bottom right of the first page's face.
    "registration-received": (
        Anchor(Corner.BOTTOM_RIGHT, 10.0, 30.0),
        Anchor(Corner.BOTTOM_RIGHT, 10.0, 10.0),
    ),
    # Date and number: the top left zone of the first page, under the letterhead.
    "registration": (
        Anchor(Corner.TOP_LEFT, 20.0, 60.0),
        Anchor(Corner.TOP_LEFT, 20.0, 10.0),
    ),
    "restriction": (Anchor(Corner.TOP_RIGHT, 10.0, 10.0),),
    # GOST R 7.0.97-2025: bottom right of the first page; top right if needed.
    "code": (Anchor(Corner.BOTTOM_RIGHT, 10.0, 10.0), Anchor(Corner.TOP_RIGHT, 10.0, 10.0)),
}
"""The standard positions of each kind of mark, first preferred."""


def _fit(box: Box, page: Box) -> Box:
    """Shift ``box`` to lie inside ``page`` when it sticks out; fails when it is too big."""
    if box.width > page.width + 0.01 or box.height > page.height + 0.01:
        raise PlacementError(
            f"a mark of {box.width / MM:.0f}x{box.height / MM:.0f} mm does not fit on a page of"
            f" {page.width / MM:.0f}x{page.height / MM:.0f} mm"
        )
    dx = max(0.0, page.left - box.left) - max(0.0, box.right - page.right)
    dy = max(0.0, page.bottom - box.bottom) - max(0.0, box.top - page.top)
    return box.moved(dx, dy)


def fit_scale(size: tuple[float, float], page: Box, margin: float = 0.0) -> float:
    """The scale (at most 1) at which a mark of ``size`` fits on ``page`` inside ``margin``."""
    room_w, room_h = page.width - 2 * margin, page.height - 2 * margin
    if room_w <= 0 or room_h <= 0:
        return 0.0
    return min(1.0, room_w / size[0], room_h / size[1])


def _clear_of(box: Box, occupied: Sequence[Box], upward: bool, page: Box) -> Box:
    """Move ``box`` up or down until it overlaps none of ``occupied``."""
    for _ in range(len(occupied) + 1):
        blocking = [other for other in occupied if box.intersects(other, _PAD)]
        if not blocking:
            break
        if upward:
            box = box.moved(0.0, max(o.top for o in blocking) + _GAP - box.bottom)
        else:
            box = box.moved(0.0, min(o.bottom for o in blocking) - _GAP - box.top)
    if not box.inside(page) or any(box.intersects(o, _PAD) for o in occupied):
        raise PlacementError("the marks do not fit on the page without overlapping")
    return box


def _near(found: Box, rule: NearText, width: float, height: float) -> Box:
    gap = rule.gap_mm * MM
    middle = (found.bottom + found.top) / 2
    if rule.side is Side.BELOW:
        return Box(found.left, found.bottom - gap - height, found.left + width, found.bottom - gap)
    if rule.side is Side.ABOVE:
        return Box(found.left, found.top + gap, found.left + width, found.top + gap + height)
    if rule.side is Side.RIGHT:
        left = found.right + gap
        return Box(left, middle - height / 2, left + width, middle + height / 2)
    right = found.left - gap
    return Box(right - width, middle - height / 2, right, middle + height / 2)


_CELL = 2.0  # points per cell of the occupancy map


class Occupancy:
    """Which parts of a page hold ink or marks, as a map of 2-point cells (Pillow draws it)."""

    def __init__(self, page: Box, blocked: Sequence[Box], pad: float = _PAD) -> None:
        from PIL import Image, ImageDraw

        self.page = page
        width = max(1, math.ceil(page.width / _CELL))
        height = max(1, math.ceil(page.height / _CELL))
        self.image: Image.Image = Image.new("1", (width, height), 0)
        self._draw = ImageDraw.Draw(self.image)
        for box in blocked:
            self.block(box, pad)

    def _cells(self, box: Box) -> tuple[int, int, int, int]:
        top = self.page.top
        return (
            math.floor((box.left - self.page.left) / _CELL),
            math.floor((top - box.top) / _CELL),
            math.ceil((box.right - self.page.left) / _CELL),
            math.ceil((top - box.bottom) / _CELL),
        )

    def block(self, box: Box, pad: float = _PAD) -> None:
        """Mark ``box`` (grown by ``pad``) as taken."""
        x0, y0, x1, y1 = self._cells(
            Box(box.left - pad, box.bottom - pad, box.right + pad, box.top + pad)
        )
        if x1 > x0 and y1 > y0:
            self._draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=1)

    def free(self, box: Box) -> bool:
        """Whether ``box`` lies on the page and touches nothing taken."""
        if not box.inside(self.page):
            return False
        x0, y0, x1, y1 = self._cells(box)
        return self.image.crop((x0, y0, x1, y1)).getbbox() is None


def _spot_near(
    preferred: Box, page: Box, occupancy: Occupancy, step_mm: float, margin_mm: float
) -> Box | None:
    """The free box of ``preferred``'s size nearest to it, on a grid of ``step_mm``."""
    step = max(step_mm, 1.0) * MM
    margin = margin_mm * MM
    width, height = preferred.width, preferred.height
    lefts = [
        page.left + margin + i * step
        for i in range(int((page.width - 2 * margin - width) // step) + 1)
    ]
    bottoms = [
        page.bottom + margin + i * step
        for i in range(int((page.height - 2 * margin - height) // step) + 1)
    ]
    candidates = [(lx, by) for lx in lefts for by in bottoms]
    candidates.sort(key=lambda c: (c[0] - preferred.left) ** 2 + (c[1] - preferred.bottom) ** 2)
    for lx, by in candidates:
        candidate = Box(lx, by, lx + width, by + height)
        if occupancy.free(candidate):
            return candidate
    return None


def search(
    positions: Sequence[Anchor],
    frame: PageFrame,
    size: tuple[float, float],
    occupancy: Occupancy,
    *,
    min_scale: float,
    step_mm: float = 5.0,
    margin_mm: float = 5.0,
) -> tuple[Box, str] | None:
    """The first free standard position, else the free spot nearest to the first one, at full
    size and then scaled down in 10 % steps to ``min_scale``; None when nothing fits."""
    page = frame.display_box
    largest = fit_scale(size, page, margin_mm * MM)
    scale = min(1.0, largest)
    while scale >= min_scale - 1e-9 and scale > 0:
        width, height = size[0] * scale, size[1] * scale
        boxes = [_fit(position.box(frame, width, height), page) for position in positions]
        how = "standard" if scale == 1.0 else "scaled"
        for box in boxes:
            if occupancy.free(box):
                return box, how
        if boxes:
            spot = _spot_near(boxes[0], page, occupancy, step_mm, margin_mm)
            if spot is not None:
                return spot, "free-space" if scale == 1.0 else "scaled"
        scale = round(scale - 0.1, 6)
    return None


def place(
    rule: Placement,
    frame: PageFrame,
    size: tuple[float, float],
    occupied: Sequence[Box],
    runs: Callable[[], list[TextRun]],
    ink: Callable[[], list[Box]],
) -> tuple[Box, str]:
    """The box for a mark of ``size`` points on a page, and how it was chosen.

    ``occupied`` holds the boxes of marks already placed on the page; ``runs`` yields the page's
    text runs and ``ink`` its word and image boxes (called only by the rules that need them).
    A forced position (:class:`Anchor`) is scaled down to fit a page smaller than the mark.
    :class:`Standard` is handled by the stamper with :func:`search`.
    """
    width, height = size
    page = frame.display_box
    shrink = fit_scale(size, page)
    if shrink < 1.0:
        width, height = width * shrink, height * shrink
    if isinstance(rule, Anchor):
        box = _fit(rule.box(frame, width, height), page)
        return _clear_of(box, occupied, not rule.corner.is_top, page), "anchor"
    if isinstance(rule, NearText):
        found = find_text(runs(), rule.text)
        if found is None:
            box = _fit(rule.fallback.box(frame, width, height), page)
            return _clear_of(box, occupied, not rule.fallback.corner.is_top, page), "fallback"
        box = _fit(_near(found, rule, width, height), page)
        return _clear_of(box, occupied, rule.side is Side.ABOVE, page), "near-text"
    if isinstance(rule, Standard):  # pragma: no cover - the stamper searches itself
        raise TypeError("Standard placement is searched by the stamper")
    preferred = _fit(rule.preferred.box(frame, width, height), page)
    occupancy = Occupancy(page, [*ink(), *occupied])
    if occupancy.free(preferred):
        return preferred, "free-space"
    spot = _spot_near(preferred, page, occupancy, rule.step_mm, rule.margin_mm)
    if spot is not None:
        return spot, "free-space"
    if rule.required:
        raise PlacementError("no free space on the page for the mark")
    return _clear_of(preferred, occupied, not rule.preferred.corner.is_top, page), "covers-text"
