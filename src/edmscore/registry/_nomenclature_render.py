"""Russian text exports of the nomenclature form and its year-end summary (private).

Re-exported by :mod:`edmscore.registry.nomenclature`.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from edmscore.errors import ValidationError
from edmscore.registry.retention import RetentionCategory, format_retention

if TYPE_CHECKING:
    from edmscore.registry._nomenclature_reports import NomenclatureSummary
    from edmscore.registry.nomenclature import Nomenclature

__all__ = ["render_nomenclature_table", "render_year_end_summary"]

#: The five column headings of the nomenclature form.
NOMENCLATURE_COLUMNS = (
    "Индекс дела",
    "Заголовок дела (тома, части)",
    "Кол-во дел (томов, частей)",
    "Срок хранения дела (тома, части) и № статей по перечню",
    "Примечание",
)
_NOMENCLATURE_WIDTHS = (9, 36, 8, 20, 22)

_SUMMARY_COLUMNS = ("По срокам хранения", "Всего", "В том числе переходящих", "С отметкой «ЭПК»")
_SUMMARY_WIDTHS = (38, 8, 13, 10)


# Keep «ст. 16а» and «2025 г.» on one line: glue them with a no-break space while wrapping.
_GLUE = re.compile(r"(?<=\bст\.) (?=[0-9])|(?<=[0-9]) (?=г\.)")


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        glued = _GLUE.sub("\u00a0", paragraph)
        lines.extend(line.replace("\u00a0", " ") for line in textwrap.wrap(glued, width) or [""])
    return lines


def _rule(widths: Sequence[int], char: str = "-") -> str:
    return "+" + "+".join(char * (width + 2) for width in widths) + "+"


def _row(cells: Sequence[str], widths: Sequence[int]) -> list[str]:
    columns = [_wrap(cell, width) for cell, width in zip(cells, widths, strict=True)]
    height = max(len(column) for column in columns)
    return [
        "| "
        + " | ".join(
            (column[line] if line < len(column) else "").ljust(width)
            for column, width in zip(columns, widths, strict=True)
        )
        + " |"
        for line in range(height)
    ]


def _banner(text: str, widths: Sequence[int]) -> list[str]:
    inner = sum(widths) + 3 * (len(widths) - 1)
    return ["| " + line.center(inner) + " |" for line in _wrap(text, inner)]


def _heading(section_code: str, title: str) -> str:
    return f"{section_code}. {title}"


def render_nomenclature_table(
    nomenclature: Nomenclature, *, fmt: Literal["text", "csv"] = "text"
) -> str:
    """The nomenclature form in Russian: five columns, cases grouped under section headings.

    ``fmt="text"`` gives a bordered plain-text table with a title block, ready to print;
    ``fmt="csv"`` gives CSV with a heading row, each section as a row holding only its heading
    in the title column, then its cases in natural index order.
    """
    if fmt not in ("text", "csv"):
        raise ValidationError("fmt", f"must be 'text' or 'csv', got {fmt!r}")
    groups = [
        (
            _heading(section.code, section.title),
            [
                (
                    case.index,
                    case.title,
                    str(case.volumes),
                    format_retention(case.retention),
                    case.remark,
                )
                for case in nomenclature.cases_in_section(section.code)
            ],
        )
        for section in nomenclature.sections
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(NOMENCLATURE_COLUMNS)
        for heading, rows in groups:
            writer.writerow(("", heading, "", "", ""))
            writer.writerows(rows)
        return buffer.getvalue()

    widths = _NOMENCLATURE_WIDTHS
    lines = ["НОМЕНКЛАТУРА ДЕЛ", f"на {nomenclature.year} год"]
    if nomenclature.approved_on is not None:
        lines.append(f"Утверждена {nomenclature.approved_on.format('DD.MM.YYYY')}")
    lines += ["", _rule(widths), *_row(NOMENCLATURE_COLUMNS, widths), _rule(widths, "=")]
    lines += [*_row(("1", "2", "3", "4", "5"), widths), _rule(widths)]
    for heading, rows in groups:
        lines += [*_banner(heading, widths), _rule(widths)]
        for row in rows:
            lines += [*_row(row, widths), _rule(widths)]
    return "\n".join(lines) + "\n"


def render_year_end_summary(summary: NomenclatureSummary) -> str:
    """The year-end summary (итоговая запись) as a Russian plain-text table."""
    widths = _SUMMARY_WIDTHS
    lines = [
        "Итоговая запись о категориях и количестве дел (томов, частей),",
        f"заведённых в {summary.year} году",
        _rule(widths),
        *_row(_SUMMARY_COLUMNS, widths),
        _rule(widths, "="),
    ]
    rows = [(category.label, summary.for_category(category)) for category in RetentionCategory]
    rows.append(("Итого", summary.total))
    for label, count in rows:
        cells = (label, str(count.total), str(count.carried_over), str(count.epk))
        lines += [*_row(cells, widths), _rule(widths)]
    return "\n".join(lines) + "\n"
