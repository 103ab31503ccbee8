"""``edmscore report NAME``: an analytics report of a store as text, CSV, XLSX, a chart or a
one-page PDF dashboard.

``NAME`` is one of :data:`edmscore.reports.analytics.REPORTS` or ``all`` (every report: one
workbook with a sheet each for ``xlsx``, the dashboard for ``pdf``). The store is named by
``--storage MODULE:FACTORY`` (a callable returning an :class:`edmscore.Edms`, or a storage run
with the strict policy) with ``--user``, or ``--demo`` for a generated region's government.
A progress bar goes to standard error while the reports are counted and written (when it is a
terminal, or with ``--progress``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from edmscore.cli._store import iso_date
from edmscore.errors import EdmsError

_FORMATS = ("text", "csv", "xlsx", "png", "svg", "pdf")
_BINARY = {"xlsx", "png", "pdf"}


def register(subparsers: Any) -> None:
    """Add the ``report`` subcommand."""
    from edmscore.reports.analytics import REPORTS

    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report", help="analytics reports: document flow, MEDO, approval, discipline, charts"
    )
    parser.add_argument("name", choices=(*REPORTS, "all"), metavar="NAME", help="|".join(REPORTS))
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--storage",
        metavar="MODULE:FACTORY",
        help="a callable returning the host's Edms (or its storage)",
    )
    where.add_argument("--demo", action="store_true", help="a generated region's government")
    parser.add_argument("--user", metavar="ID", help="the reader's user id (with --storage)")
    parser.add_argument("--from", dest="start", metavar="DATE", type=iso_date, required=True)
    parser.add_argument("--to", dest="end", metavar="DATE", type=iso_date, required=True)
    parser.add_argument("--org", metavar="ID", help="one organisation and everything under it")
    parser.add_argument("--format", choices=_FORMATS, default="text", help="default: text")
    parser.add_argument("--out", metavar="FILE", type=Path, help="default: standard output")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on standard error (default: when it is a terminal)",
    )
    parser.set_defaults(handler=_run)


class Progress:
    """A one-line progress bar on a stream: ``[######    ] 3/5 label``."""

    def __init__(self, total: int, stream: TextIO | None, width: int = 24) -> None:
        self.total, self.stream, self.width, self.done = total, stream, width, 0

    def step(self, label: str) -> None:
        """Count one step done and redraw."""
        self.done += 1
        if self.stream is None:
            return
        filled = self.width * self.done // max(self.total, 1)
        bar = "#" * filled + " " * (self.width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {label:<20}")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _open(args: argparse.Namespace) -> tuple[Any, str]:
    from edmscore import Edms

    if args.demo:
        from edmscore.demo._analytics import build_region
        from edmscore.storage import MemoryStorage

        storage = MemoryStorage()
        region = build_region(storage, with_demo_day=True)
        return Edms(storage, clock=region.clock, policy=region.policy), region.reader.id
    module_name, _, factory_name = str(args.storage).partition(":")
    if not module_name or not factory_name:
        raise SystemExit("edmscore report: --storage needs MODULE:FACTORY")
    if not args.user:
        raise SystemExit("edmscore report: --storage needs --user")
    made = getattr(importlib.import_module(module_name), factory_name)()
    return (made if isinstance(made, Edms) else Edms(made)), str(args.user)


def _text(report: Any) -> str:
    from edmscore.reports._table import render_table
    from edmscore.reports.export import _text as cell

    body = [[cell(c) for c in row] for row in report.rows]
    if report.total is not None:
        body.append([cell(c) for c in report.total])
    widths = [
        min(max([len(h), *(len(r[i]) for r in body)]), 40) for i, h in enumerate(report.headers)
    ]
    return f"{report.heading}\n{render_table(report.headers, body, widths)}\n"


def _render(reports: list[Any], fmt: str, title: str) -> bytes:
    from edmscore.reports import export

    if fmt == "text":
        return "\n".join(_text(r) for r in reports).encode("utf-8")
    if fmt == "csv":
        return "\r\n".join(export.report_csv(r) for r in reports).encode("utf-8-sig")
    if fmt == "xlsx":
        return export.reports_xlsx(reports)
    from edmscore.reports import charts

    if fmt == "pdf":
        return charts.dashboard_pdf(reports, title)
    draw: Callable[[Any], bytes] = charts.chart_png if fmt == "png" else charts.chart_svg
    return draw(reports[0])


def _run(args: argparse.Namespace) -> int:
    from edmscore.reports.analytics import REPORTS

    names = list(REPORTS) if args.name == "all" else [args.name]
    if args.format in _BINARY and args.out is None:
        print(f"edmscore report: --format {args.format} needs --out FILE", file=sys.stderr)
        return 2
    if args.format in ("png", "svg") and len(names) > 1:
        print("edmscore report: a chart is drawn for one report, not all", file=sys.stderr)
        return 2
    show = sys.stderr.isatty() if args.progress is None else args.progress
    progress = Progress(len(names) + 2, sys.stderr if show else None)
    try:
        edms, reader = _open(args)
        progress.step("хранилище открыто")
        reports = []
        for name in names:
            reports.append(
                REPORTS[name](edms, reader, args.start, args.end, organisation_id=args.org)
            )
            progress.step(name)
        data = _render(reports, args.format, "Аналитика документооборота")
        progress.step("готово")
    except EdmsError as exc:
        print(f"edmscore report: {exc}", file=sys.stderr)
        return 1
    if args.out is not None:
        args.out.write_bytes(data)
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return 0
