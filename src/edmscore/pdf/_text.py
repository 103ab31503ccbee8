"""Where a page's text is: runs from pypdf's text extraction, as boxes in display space.

pypdf reports each text run's matrix and font size but not its width; the width is estimated
from the character count (0.55 em a character), which is enough to keep marks off the text.
"""

from __future__ import annotations

import math
import re
from typing import Any

import attrs
from pypdf import PageObject

from edmscore.pdf._geometry import Box, PageFrame, _multiply

__all__ = ["TextRun", "find_text", "text_runs"]

_EM_PER_CHAR = 0.55
_MAX_RUNS = 50_000


@attrs.frozen
class TextRun:
    """One run of text with its box in display space."""

    text: str
    box: Box


def text_runs(page: PageObject, frame: PageFrame) -> list[TextRun]:
    """The page's text runs (non-blank) with their boxes in display space."""
    runs: list[TextRun] = []

    def visit(text: str, cm: Any, tm: Any, font_dict: Any, font_size: Any) -> None:
        if not text.strip() or len(runs) >= _MAX_RUNS:
            return
        matrix = _multiply(
            tuple(float(v) for v in tm),  # type: ignore[arg-type]
            tuple(float(v) for v in cm),  # type: ignore[arg-type]
        )
        scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]))
        size = float(font_size or 1.0) * (scale or 1.0)
        advance = len(text.rstrip("\n")) * _EM_PER_CHAR * size
        # The run's baseline direction in user space, to lay its box out along it.
        norm = math.hypot(matrix[0], matrix[1]) or 1.0
        ux, uy = matrix[0] / norm, matrix[1] / norm
        vx, vy = -uy, ux
        x, y = matrix[4], matrix[5]
        corners = [
            (x + ux * da + vx * dv, y + uy * da + vy * dv)
            for da in (0.0, advance)
            for dv in (-0.25 * size, 0.85 * size)
        ]
        shown = [frame.user_to_display(cx, cy) for cx, cy in corners]
        xs = [p[0] for p in shown]
        ys = [p[1] for p in shown]
        runs.append(TextRun(text, Box(min(xs), min(ys), max(xs), max(ys))))

    page.extract_text(visitor_text=visit)
    return runs


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _match(pieces: list[tuple[str, TextRun]], want: str, joiner: str) -> list[TextRun]:
    """The runs an occurrence of ``want`` touches in the pieces joined by ``joiner``."""
    if not want:
        return []
    joined = ""
    spans: list[tuple[int, int, TextRun]] = []
    for piece, run in pieces:
        if joiner == "":
            piece = piece.replace(" ", "")
        if joined:
            joined += joiner
        spans.append((len(joined), len(joined) + len(piece), run))
        joined += piece
    at = joined.find(want)
    if at < 0:
        return []
    end = at + len(want)
    return [run for start, stop, run in spans if start < end and stop > at]


def find_text(runs: list[TextRun], needle: str) -> Box | None:
    """The box of the first occurrence of ``needle`` (case and spacing ignored), or None.

    Runs on one line (same baseline in display space) are joined with a space, and failing
    that with nothing (for text set letter by letter), so a name split into runs is still
    found; the box returned covers the runs the occurrence touches.
    """
    want = _normalise(needle)
    if not want:
        return None
    lines: list[list[TextRun]] = []
    for run in sorted(runs, key=lambda r: (-round(r.box.bottom), r.box.left)):
        if lines and abs(lines[-1][0].box.bottom - run.box.bottom) < 2.0:
            lines[-1].append(run)
        else:
            lines.append([run])
    for line in lines:
        line.sort(key=lambda r: r.box.left)
        pieces = [(_normalise(run.text), run) for run in line]
        pieces = [(piece, run) for piece, run in pieces if piece]
        found = _match(pieces, want, " ") or _match(pieces, want.replace(" ", ""), "")
        if found:
            return Box(
                min(r.box.left for r in found),
                min(r.box.bottom for r in found),
                max(r.box.right for r in found),
                max(r.box.top for r in found),
            )
    return None
