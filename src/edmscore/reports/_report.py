"""The shape every analytics report has: a title, column headings, rows, a totals row, a chart."""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = ["Cell", "ChartSpec", "Report"]

#: What a report's cell holds: text, a whole number, a decimal or a date.
Cell = str | int | float | dt.date | None


@attrs.frozen
class ChartSpec:
    """How a report is drawn: ``kind`` ``bar`` (grouped columns) or ``line``; categories from
    column ``category``, one series per column in ``series`` (indexes into the headings)."""

    kind: str
    category: int
    series: tuple[int, ...]
    title: str
    y_title: str = "Количество"
    #: Sum the series over rows of the same category (a fact table drawn by one of its columns).
    aggregate: bool = False


@attrs.frozen
class Report:
    """One analytics report as computed for one reader, period and filters.

    ``rows`` are in a fixed order (so a report is reproducible for a fixed clock); ``total`` is
    the totals row (None when totals make no sense); ``numeric`` are the indexes of numeric
    columns. ``as_of`` is the reader's day the report was computed on.
    """

    name: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    organisation: str
    chart: ChartSpec | None = None
    numeric: tuple[int, ...] = ()

    @property
    def heading(self) -> str:
        """«Title за DD.MM.YYYY–DD.MM.YYYY (организация)»."""
        span = f"{self.period_from:%d.%m.%Y}–{self.period_to:%d.%m.%Y}"
        return f"{self.title} за {span} ({self.organisation})"

    def column(self, index: int) -> list[Cell]:
        """The values of one column over the rows (the totals row left out)."""
        return [row[index] for row in self.rows]

    def chart_rows(self) -> list[tuple[str, tuple[float, ...]]]:
        """What the chart draws: (category, one value per series), summed per category when the
        chart aggregates, in row order otherwise."""
        spec = self.chart
        if spec is None:
            return []
        drawn: dict[str, list[float]] = {}
        out: list[tuple[str, list[float]]] = []
        for row in self.rows:
            category = str(row[spec.category]).strip()
            values = [_number(row[i]) for i in spec.series]
            if spec.aggregate and category in drawn:
                drawn[category][:] = [a + b for a, b in zip(drawn[category], values, strict=True)]
                continue
            drawn[category] = values
            out.append((category, values))
        if spec.aggregate:
            out.sort(key=lambda item: -item[1][0])
        return [(category, tuple(values)) for category, values in out]


def _number(value: Cell) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
