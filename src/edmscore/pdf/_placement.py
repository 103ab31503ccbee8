"""Where a mark goes: which pages, and where on each (corner anchor, near a text, free space)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence

import attrs

from edmscore.errors import PlacementError, ValidationError
from edmscore.pdf._geometry import MM, Box, Corner, PageFrame
from edmscore.pdf._text import TextRun, find_text

__all__ = ["Anchor", "FreeSpace", "NearText", "PageSpec", "Placement", "Side", "select_pages"]

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
    """The free spot nearest to ``preferred`` where the mark covers no text of the page.

    With ``required`` (the default) a page without such a spot raises
    :class:`~edmscore.errors.PlacementError`; otherwise the mark goes to ``preferred``.
    """

    preferred: Anchor = Anchor()
    step_mm: float = 5.0
    margin_mm: float = 5.0
    required: bool = True


Placement = Anchor | NearText | FreeSpace
"""Any placement rule."""


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


def _free_spot(preferred: Box, rule: FreeSpace, page: Box, blocked: Sequence[Box]) -> Box | None:
    step = max(rule.step_mm, 1.0) * MM
    margin = rule.margin_mm * MM
    width, height = preferred.width, preferred.height
    lefts: list[float] = []
    x = margin
    while x + width <= page.right - margin + 0.01:
        lefts.append(x)
        x += step
    bottoms: list[float] = []
    y = margin
    while y + height <= page.top - margin + 0.01:
        bottoms.append(y)
        y += step
    candidates = [Box(lx, by, lx + width, by + height) for lx in lefts for by in bottoms]
    candidates.insert(0, preferred)
    candidates.sort(
        key=lambda c: (c.left - preferred.left) ** 2 + (c.bottom - preferred.bottom) ** 2
    )
    for candidate in candidates:
        if candidate.inside(page) and not any(candidate.intersects(b, _PAD) for b in blocked):
            return candidate
    return None


def place(
    rule: Placement,
    frame: PageFrame,
    size: tuple[float, float],
    occupied: Sequence[Box],
    runs: Callable[[], list[TextRun]],
) -> tuple[Box, str]:
    """The box for a mark of ``size`` points on a page, and how it was chosen.

    ``occupied`` holds the boxes of marks already placed on the page; ``runs`` yields the page's
    text runs (called only by the rules that need them).
    """
    width, height = size
    page = frame.display_box
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
    preferred = _fit(rule.preferred.box(frame, width, height), page)
    blocked = [run.box for run in runs()] + list(occupied)
    spot = _free_spot(preferred, rule, page, blocked)
    if spot is not None:
        return spot, "free-space"
    if rule.required:
        raise PlacementError("no free space on the page for the mark")
    return _clear_of(preferred, occupied, not rule.preferred.corner.is_top, page), "covers-text"
