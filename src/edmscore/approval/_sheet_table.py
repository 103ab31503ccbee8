"""The sheet's table drawn in one pass: the page fpdf2's ``table()`` draws, without its cost.

fpdf2's table measures every cell with a dry-run ``multi_cell`` and then draws it with a second
one, and its line breaker sums the width of the whole line again for every character it adds.
Here each cell is wrapped once, with the font's width table and fpdf2's own rule (a line ends at
``\\n``; a line that would overflow breaks at its last space, else before the character that
overflows; the space at a break is dropped), and the same geometry follows: row height = the
tallest cell, text centred vertically, a row that does not fit starts a new page under the
repeated heading row, the heading never alone at the foot of a page. The lines are placed with
``text()`` where ``cell()`` would put them, the borders with the ``TableCellStyle`` commands the
table itself uses.

Text fpdf2 breaks by other rules (soft hyphens, no-break and typographic spaces, form feeds) and
rows too tall for a page are left to ``table()``: :func:`plan_table` returns ``None`` for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
from fpdf import FPDF
from fpdf.enums import TableCellStyle
from fpdf.fonts import FontFace, TTFFont
from fpdf.line_break import BREAKING_SPACE_SYMBOLS_STR

__all__ = ["TablePlan", "draw_table", "plan_table"]

_TOLERANCE = 1e-9  # fpdf2's FloatTolerance: a line overflows when it is wider by more than this
_SPECIAL = frozenset(BREAKING_SPACE_SYMBOLS_STR.replace(" ", "") + "\u00a0\u00ad\f")
_BORDER = TableCellStyle(left=True, bottom=True, right=True, top=True)


class _Unwrappable(Exception):
    """A character wider than its column (fpdf2 raises its own error) or a core font."""


@attrs.frozen
class _Row:
    cells: tuple[tuple[str, ...], ...]  # the lines of each cell, () for an empty cell
    text_heights: tuple[float, ...]
    height: float


@attrs.frozen
class TablePlan:
    """Every cell wrapped and every row measured, ready for :func:`draw_table`."""

    widths: tuple[float, ...]
    lines_height: float
    heading: _Row
    body: tuple[_Row, ...]
    heading_style: FontFace
    body_style: FontFace


def _wrap(text: str, cw: Mapping[int, float], size_pt: float, k: float, width: float) -> list[str]:
    """The lines fpdf2's ``multi_cell`` makes of ``text`` (no markdown, left aligned)."""
    text = text.replace("\r", "")
    lines: list[str] = []
    i, n = 0, len(text)
    while i < n:
        start, total, hint = i, 0.0, -1
        while i < n:
            char = text[i]
            if char == "\n":
                lines.append(text[start:i])
                i += 1
                break
            char_width = cw[ord(char)]
            # The same expressions fpdf2 evaluates, so the floats round alike.
            if (total * size_pt * 0.001) / k + (char_width * size_pt * 0.001) / k - width > (
                _TOLERANCE
            ):
                if char == " ":
                    lines.append(text[start:i])
                    i += 1
                elif hint >= 0:
                    lines.append(text[start:hint])
                    i = hint + 1
                elif i == start:
                    raise _Unwrappable
                else:
                    lines.append(text[start:i])
                break
            if char == " ":
                hint = i
            total += char_width
            i += 1
        else:
            if total:
                lines.append(text[start:])
    return lines or [""]


def _row(pdf: FPDF, texts: Sequence[str], widths: Sequence[float], line_height: float) -> _Row:
    font = pdf.current_font
    if not isinstance(font, TTFFont):
        raise _Unwrappable  # core fonts measure by other tables; not the sheet's case
    cw: Mapping[int, float] = font.cw
    size_pt, k, margin = pdf.font_size_pt, pdf.k, pdf.c_margin
    cells: list[tuple[str, ...]] = []
    heights: list[float] = []
    for text, width in zip(texts, widths, strict=True):
        if not text:
            cells.append(())
            heights.append(0)
            continue
        room = width
        room -= margin
        room -= margin
        lines = _wrap(text, cw, size_pt, k, room)
        cells.append(tuple(lines))
        height = 0.0
        for _ in lines:
            height += line_height
        heights.append(height)
    tallest = max(heights)
    return _Row(tuple(cells), tuple(heights), tallest if tallest else line_height)


def plan_table(
    pdf: FPDF,
    heading: Sequence[str],
    rows: Sequence[Sequence[str]],
    col_widths: Sequence[float],
    line_height: float,
    heading_fill: tuple[int, int, int],
) -> TablePlan | None:
    """The table at the current font, or ``None`` where only fpdf2's ``table()`` draws it alike."""
    texts = [*heading, *(text for row in rows for text in row)]
    if any(not _SPECIAL.isdisjoint(text) for text in texts):
        return None
    total = float(sum(col_widths))
    widths = tuple((w / sum(col_widths)) * total for w in col_widths)
    body_style = pdf.font_face()
    heading_style = FontFace.combine(body_style, FontFace(emphasis="BOLD", fill_color=heading_fill))
    assert heading_style is not None
    try:
        body = tuple(_row(pdf, row, widths, line_height) for row in rows)
        with pdf.use_font_face(heading_style):
            head = _row(pdf, heading, widths, line_height)
    except _Unwrappable:
        return None
    room = pdf.page_break_trigger - pdf.t_margin
    if head.height > room:
        return None  # fpdf2 refuses such a row with its own error
    pieces = tuple(piece for row in body for piece in _pieces(row, room - head.height, line_height))
    return TablePlan(widths, line_height, head, pieces, heading_style, body_style)


def _pieces(row: _Row, room: float, line_height: float) -> tuple[_Row, ...]:
    """``row``, or its parts when it is taller than a page under the heading: each part takes
    the next lines of every cell, as many as fit, so a long remark runs on over the next page
    instead of being refused (fpdf2's ``table()`` would raise) or cut."""
    if row.height <= room:
        return (row,)
    per_page = max(1, int(room // line_height))
    parts = []
    for start in range(0, max(len(lines) for lines in row.cells), per_page):
        cells = tuple(lines[start : start + per_page] for lines in row.cells)
        heights = tuple(len(lines) * line_height for lines in cells)
        parts.append(_Row(cells, heights, max(heights)))
    return tuple(parts)


def plain_text(text: str) -> str:
    """``text`` without the characters fpdf2 breaks lines by its own rules: special spaces
    become spaces, soft hyphens go, a form feed becomes a new line (no word is lost)."""
    if _SPECIAL.isdisjoint(text):
        return text
    out = []
    for char in text:
        if char == "\u00ad":
            continue
        out.append("\n" if char == "\f" else " " if char in _SPECIAL else char)
    return "".join(out)


def is_split(plan: TablePlan, rows: int) -> bool:
    """Whether some of the ``rows`` body rows had to be split over pages."""
    return len(plan.body) != rows


def _draw_row(pdf: FPDF, plan: TablePlan, row: _Row, xs: Sequence[float], heading: bool) -> None:
    style = plan.heading_style if heading else plan.body_style
    y = pdf.y
    for j, lines in enumerate(row.cells):
        x = xs[j]
        width = plan.widths[j]
        pdf.x = x
        _BORDER.draw_cell_border(pdf, x, y, x + width, y + row.height, style.fill_color)
        if lines:
            pdf.y += (row.height - row.text_heights[j]) / 2
            if heading:
                with pdf.use_font_face(style):
                    _draw_lines(pdf, lines, x, plan.lines_height)
            else:  # the body's style is the current one
                _draw_lines(pdf, lines, x, plan.lines_height)
        pdf.y = y
    pdf.ln(row.height)


def _draw_lines(pdf: FPDF, lines: Sequence[str], x: float, height: float) -> None:
    # Where ``cell()`` puts a line's baseline: a cell margin in, .5 line + .3 font size down.
    x += pdf.c_margin
    for line in lines:
        if line:
            pdf.text(x, pdf.y + 0.5 * height + 0.3 * pdf.font_size, line)
        pdf.y += height


def draw_table(pdf: FPDF, plan: TablePlan) -> None:
    """Draw the planned table at the current position, breaking pages as fpdf2's table does."""
    margin = pdf.l_margin
    pdf.l_margin = (pdf.w - sum(plan.widths)) / 2
    pdf.x = pdf.l_margin
    xs = [pdf.l_margin]
    for width in plan.widths:
        xs.append(xs[-1] + width)
    if plan.body and pdf.will_page_break(plan.heading.height + plan.body[0].height):
        _new_page(pdf)
    for i, row in enumerate((plan.heading, *plan.body)):
        if pdf.will_page_break(row.height):
            _new_page(pdf)
            if i >= 1:
                _draw_row(pdf, plan, plan.heading, xs, heading=True)
        _draw_row(pdf, plan, row, xs, heading=i == 0)
    pdf.l_margin = margin
    pdf.x = margin


def _new_page(pdf: FPDF) -> None:
    x = pdf.x
    pdf.add_page(same=True)
    pdf.x = x
