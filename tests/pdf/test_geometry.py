"""Display space and user space: rotations and crop boxes, checked as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edmscore.pdf import Box, PageFrame

coordinates = st.floats(min_value=-2000, max_value=2000, allow_nan=False)
sizes = st.floats(min_value=50, max_value=3000, allow_nan=False)
rotations = st.sampled_from([0, 90, 180, 270, -90, 450, 45])


def _apply(matrix: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


@given(coordinates, coordinates, sizes, sizes, rotations, st.data())
def test_display_and_user_space_are_inverse(
    x0: float, y0: float, w: float, h: float, rotate: int, data: st.DataObject
) -> None:
    frame = PageFrame.of((x0 + w, y0, x0, y0 + h), rotate)  # corners in any order
    assert frame.rotate in (0, 90, 180, 270)
    u = data.draw(st.floats(min_value=0, max_value=frame.display_width))
    v = data.draw(st.floats(min_value=0, max_value=frame.display_height))
    x, y = _apply(frame.display_to_user(), u, v)
    # Every displayed point lies in the crop box, and maps back to where it came from.
    assert frame.x0 - 1e-6 <= x <= frame.x1 + 1e-6
    assert frame.y0 - 1e-6 <= y <= frame.y1 + 1e-6
    back = frame.user_to_display(x, y)
    assert abs(back[0] - u) < 1e-6
    assert abs(back[1] - v) < 1e-6


@given(sizes, sizes, st.sampled_from([0, 90, 180, 270]))
def test_placement_keeps_the_mark_upright(w: float, h: float, rotate: int) -> None:
    frame = PageFrame.of((0, 0, w, h), rotate)
    box = Box(10, 20, 40, 30)
    matrix = frame.placement_matrix(box, 60, 20)
    # The mark's own "right" (x axis) must point right for the reader, its "up" point up.
    origin = frame.user_to_display(*_apply(matrix, 0, 0))
    right = frame.user_to_display(*_apply(matrix, 60, 0))
    up = frame.user_to_display(*_apply(matrix, 0, 20))
    assert abs(origin[0] - 10) < 1e-6
    assert abs(origin[1] - 20) < 1e-6
    assert abs(right[0] - 40) < 1e-6
    assert abs(right[1] - 20) < 1e-6
    assert abs(up[0] - 10) < 1e-6
    assert abs(up[1] - 30) < 1e-6


def test_box_relations() -> None:
    one = Box(0, 0, 10, 10)
    assert one.intersects(Box(5, 5, 15, 15))
    assert not one.intersects(Box(10, 0, 20, 10))  # touching is not overlapping
    assert one.intersects(Box(10.5, 0, 20, 10), pad=1)
    assert Box(1, 1, 2, 2).inside(one)
    assert not Box(-1, 1, 2, 2).inside(one)
    assert one.moved(5, -5) == Box(5, -5, 15, 5)
