"""Charts of analytics reports as PNG and SVG, and a one-page PDF dashboard for the leadership.

Needs the ``charts`` extra (matplotlib). Drawing is pinned so the same report gives the same
picture on every machine: matplotlib's non-interactive Agg backend (no display), the DejaVu Sans
font matplotlib ships (it has Cyrillic), fixed sizes, no creation dates in SVG or PDF, a fixed
SVG id salt. Labels are Russian, as a person reads them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from edmscore.errors import MissingDependency, ValidationError
from edmscore.reports._report import Report

__all__ = ["chart_png", "chart_svg", "dashboard_pdf"]

#: The pinned drawing settings (applied inside a ``rc_context``, the host's settings untouched).
_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "svg.hashsalt": "edmscore",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "figure.dpi": 100,
    "axes.prop_cycle": None,  # replaced by the palette below
}
_PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a50021")
_MAX_CATEGORIES = 16


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingDependency("matplotlib", "charts") from exc
    from matplotlib.figure import Figure

    return matplotlib, Figure


@contextmanager
def _pinned() -> Iterator[Any]:
    matplotlib, figure = _pyplot()
    from cycler import cycler

    settings = dict(_RC)
    settings["axes.prop_cycle"] = cycler(color=list(_PALETTE))
    with matplotlib.rc_context(settings):
        yield figure


def _short(label: object, limit: int = 28) -> str:
    text = str(label).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _draw(report: Report, axes: Any) -> None:
    spec = report.chart
    if spec is None:
        raise ValidationError("report", f"report {report.name!r} has no chart")
    rows = report.chart_rows()
    if spec.kind == "bar" and len(spec.series) == 1:  # the largest first, the rest left out
        rows.sort(key=lambda r: -r[1][0])
    rows = rows[:_MAX_CATEGORIES]
    labels = [_short(category) for category, _ in rows]
    positions = list(range(len(rows)))
    count = len(spec.series)
    width = 0.8 / max(count, 1)
    for n, index in enumerate(spec.series):
        values = [r[1][n] for r in rows]
        name = report.headers[index]
        if spec.kind == "line":
            axes.plot(positions, values, marker="o", label=name)
        else:
            offset = (n - (count - 1) / 2) * width
            axes.bar([p + offset for p in positions], values, width, label=name)
    axes.set_title(spec.title)
    axes.set_ylabel(spec.y_title)
    axes.set_xticks(positions)
    axes.set_xticklabels(labels, rotation=35, ha="right")
    axes.grid(axis="y", linewidth=0.4, alpha=0.6)
    if count > 1:
        axes.legend(fontsize=7, frameon=False)
    if not rows:
        axes.text(0.5, 0.5, "Нет данных", ha="center", va="center", transform=axes.transAxes)


def _figure(report: Report, size: tuple[float, float]) -> Any:
    with _pinned() as figure_class:
        figure = figure_class(figsize=size, layout="constrained")
        _draw(report, figure.add_subplot())
        return figure


def _save(figure: Any, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    with _pinned():
        figure.savefig(out, format=fmt, **options)
    return out.getvalue()


def chart_png(report: Report, *, size: tuple[float, float] = (8.0, 4.5), dpi: int = 100) -> bytes:
    """The report's chart as PNG (``size`` in inches)."""
    return _save(_figure(report, size), "png", dpi=dpi, metadata={"Software": None})


def chart_svg(report: Report, *, size: tuple[float, float] = (8.0, 4.5)) -> bytes:
    """The report's chart as SVG (text drawn as paths, so it looks the same without the font)."""
    return _save(_figure(report, size), "svg", metadata={"Date": None, "Creator": None})


def dashboard_pdf(reports: Sequence[Report], title: str) -> bytes:
    """A one-page A4 landscape dashboard: ``title``, then up to four reports' charts in a 2×2
    grid, each with its totals line."""
    if not reports:
        raise ValidationError("reports", "a dashboard needs at least one report")
    shown = [r for r in reports if r.chart is not None][:4]
    with _pinned() as figure_class:
        figure = figure_class(figsize=(11.69, 8.27), layout="constrained")
        first = reports[0]
        span = f"{first.period_from:%d.%m.%Y}–{first.period_to:%d.%m.%Y}"
        figure.suptitle(f"{title}\n{first.organisation}, {span}", fontsize=13)
        grid = figure.subplots(2, 2, squeeze=False)
        for index, axes in enumerate(grid.flat):
            if index >= len(shown):
                axes.set_axis_off()
                continue
            report = shown[index]
            _draw(report, axes)
            if report.total is not None:
                pairs = [f"{report.headers[i]}: {report.total[i]}" for i in report.numeric[:3]]
                axes.set_xlabel("; ".join(pairs), fontsize=7)
        meta = {"CreationDate": None, "ModDate": None, "Producer": "edmscore", "Title": title}
        return _save(figure, "pdf", metadata=meta)


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())
