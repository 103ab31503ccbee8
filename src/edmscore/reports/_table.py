"""Plain-text tables with wrapped cells, for printed journals and lists."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

__all__ = ["render_table"]


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> str:
    """Render a bordered table; cells wrap to their column's width."""
    if not len(headers) == len(widths):
        raise ValueError("one width per column")
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def lines_of(cells: Sequence[str]) -> list[str]:
        wrapped = [textwrap.wrap(cell, w) or [""] for cell, w in zip(cells, widths, strict=True)]
        height = max(len(column) for column in wrapped)
        out = []
        for i in range(height):
            parts = [
                (column[i] if i < len(column) else "").ljust(w)
                for column, w in zip(wrapped, widths, strict=True)
            ]
            out.append("| " + " | ".join(parts) + " |")
        return out

    result = [rule, *lines_of(headers), rule.replace("-", "=")]
    for row in rows:
        result.extend(lines_of(row))
        result.append(rule)
    return "\n".join(result)
