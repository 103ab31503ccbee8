"""Page geometry: the reader's view of a page (crop box, rotation) and boxes in it.

"Display space" is what the reader sees: the visible (crop) box after the page's /Rotate, in
points, origin at the bottom-left corner of what is shown. Marks are placed in display space and
drawn in the page's own user space through :meth:`PageFrame.placement_matrix`, so they read
upright on rotated pages and sit inside offset crop boxes.
"""

from __future__ import annotations

import enum

import attrs

__all__ = ["MM", "Box", "Corner", "Matrix", "PageFrame"]

MM = 72.0 / 25.4
"""Points in one millimetre."""

Matrix = tuple[float, float, float, float, float, float]


class Corner(enum.Enum):
    """A corner of the page as the reader sees it."""

    TOP_LEFT = "top-left"
    TOP_RIGHT = "top-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_RIGHT = "bottom-right"

    @property
    def is_top(self) -> bool:
        """Whether the corner is on the top edge."""
        return self in (Corner.TOP_LEFT, Corner.TOP_RIGHT)

    @property
    def is_left(self) -> bool:
        """Whether the corner is on the left edge."""
        return self in (Corner.TOP_LEFT, Corner.BOTTOM_LEFT)


@attrs.frozen
class Box:
    """An axis-aligned box in display space (points): left, bottom, right, top."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        """The box's width in points."""
        return self.right - self.left

    @property
    def height(self) -> float:
        """The box's height in points."""
        return self.top - self.bottom

    def intersects(self, other: Box, pad: float = 0.0) -> bool:
        """Whether the two boxes overlap (touching edges do not), ``other`` grown by ``pad``."""
        return (
            self.left < other.right + pad
            and other.left - pad < self.right
            and self.bottom < other.top + pad
            and other.bottom - pad < self.top
        )

    def inside(self, other: Box, tol: float = 0.01) -> bool:
        """Whether this box lies within ``other``."""
        return (
            self.left >= other.left - tol
            and self.bottom >= other.bottom - tol
            and self.right <= other.right + tol
            and self.top <= other.top + tol
        )

    def moved(self, dx: float, dy: float) -> Box:
        """The same box shifted by ``dx``, ``dy``."""
        return Box(self.left + dx, self.bottom + dy, self.right + dx, self.top + dy)

    def in_mm(self) -> tuple[float, float, float, float]:
        """The box in millimetres, rounded to 0.1 mm."""
        return (
            round(self.left / MM, 1),
            round(self.bottom / MM, 1),
            round(self.right / MM, 1),
            round(self.top / MM, 1),
        )


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


@attrs.frozen
class PageFrame:
    """A page's visible box in its user space and its rotation (0, 90, 180 or 270, clockwise)."""

    x0: float
    y0: float
    x1: float
    y1: float
    rotate: int

    @classmethod
    def of(cls, box: tuple[float, float, float, float], rotate: int) -> PageFrame:
        """Normalise a crop box (any corner order) and a /Rotate value (any multiple of 90)."""
        left, right = sorted((box[0], box[2]))
        bottom, top = sorted((box[1], box[3]))
        turn = rotate % 360 if rotate % 90 == 0 else 0
        return cls(left, bottom, right, top, turn)

    @property
    def display_width(self) -> float:
        """The width the reader sees, in points."""
        if self.rotate in (90, 270):
            return self.y1 - self.y0
        return self.x1 - self.x0

    @property
    def display_height(self) -> float:
        """The height the reader sees, in points."""
        if self.rotate in (90, 270):
            return self.x1 - self.x0
        return self.y1 - self.y0

    @property
    def display_box(self) -> Box:
        """The whole visible page in display space."""
        return Box(0.0, 0.0, self.display_width, self.display_height)

    def display_to_user(self) -> Matrix:
        """The matrix taking display space to the page's user space."""
        w, h = self.x1 - self.x0, self.y1 - self.y0
        if self.rotate == 90:
            return (0.0, 1.0, -1.0, 0.0, self.x0 + w, self.y0)
        if self.rotate == 180:
            return (-1.0, 0.0, 0.0, -1.0, self.x0 + w, self.y0 + h)
        if self.rotate == 270:
            return (0.0, -1.0, 1.0, 0.0, self.x0, self.y0 + h)
        return (1.0, 0.0, 0.0, 1.0, self.x0, self.y0)

    def user_to_display(self, x: float, y: float) -> tuple[float, float]:
        """A point of the page's user space in display space."""
        px, py = x - self.x0, y - self.y0
        w, h = self.x1 - self.x0, self.y1 - self.y0
        if self.rotate == 90:
            return py, w - px
        if self.rotate == 180:
            return w - px, h - py
        if self.rotate == 270:
            return h - py, px
        return px, py

    def placement_matrix(self, box: Box, natural_width: float, natural_height: float) -> Matrix:
        """The ``cm`` matrix drawing a form of the natural size into ``box`` (display space)."""
        scale_x = box.width / natural_width
        scale_y = box.height / natural_height
        place: Matrix = (scale_x, 0.0, 0.0, scale_y, box.left, box.bottom)
        return _multiply(place, self.display_to_user())
