"""``edmscore control``: the execution-discipline report and the overdue list on a store.

The store is named by ``--storage MODULE:FACTORY``: a callable the host writes that returns its
storage (one that keeps assignments), with ``--user`` the acting user's id; or ``--demo`` for
the demo's in-memory store (whose clock stands on the demo's day).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from edmscore.cli._store import add_store_options, iso_date, open_host_store
from edmscore.errors import EdmsError


def _store_options(parser: argparse.ArgumentParser) -> None:
    add_store_options(parser)
    parser.add_argument(
        "--as-of",
        dest="as_of",
        metavar="DATE",
        type=iso_date,
        help="count as things stood on this day (default: today in the organisation's zone)",
    )
    parser.add_argument("--out", metavar="FILE", type=Path, help="default: standard output")


def register(subparsers: Any) -> None:
    """Add the ``control`` subcommand with ``report`` and ``overdue``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "control", help="execution control: discipline report, overdue assignments"
    )
    commands = parser.add_subparsers(dest="control_command", required=True)
    report = commands.add_parser(
        "report", help="execution discipline for assignments due in the period"
    )
    _store_options(report)
    report.add_argument(
        "--format", choices=("text", "csv", "xlsx"), default="text", help="default: text"
    )
    report.set_defaults(handler=_run_report)
    overdue = commands.add_parser(
        "overdue", help="assignments due in the period and not done by --as-of"
    )
    _store_options(overdue)
    overdue.add_argument("--format", choices=("text", "csv"), default="text", help="default: text")
    overdue.set_defaults(handler=_run_overdue)


def _open_store(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """(storage, acting user, clock or None) from the options."""
    if args.demo:
        from edmscore.demo import demo_control

        demo = demo_control()
        return demo.storage, demo.clerk, demo.clock
    storage, user = open_host_store(args, "control")
    return storage, user, None


def _report(args: argparse.Namespace) -> Any:
    from edmscore.control import ControlService

    storage, user, clock = _open_store(args)
    return ControlService(storage, clock).discipline(user, args.start, args.end, args.as_of)


def _emit(args: argparse.Namespace, data: bytes, command: str) -> int:
    if args.out is not None:
        args.out.write_bytes(data)
    elif args.format == "xlsx":
        print(f"edmscore control {command}: --format xlsx needs --out FILE", file=sys.stderr)
        return 2
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return 0


def _run_report(args: argparse.Namespace) -> int:
    from edmscore.reports import discipline_csv, discipline_xlsx, render_discipline

    if args.format == "xlsx" and args.out is None:
        print("edmscore control report: --format xlsx needs --out FILE", file=sys.stderr)
        return 2
    try:
        report = _report(args)
        data: bytes
        if args.format == "xlsx":
            data = discipline_xlsx(report)
        elif args.format == "csv":
            data = discipline_csv(report).encode("utf-8-sig")
        else:
            data = render_discipline(report).encode("utf-8")
    except EdmsError as exc:
        print(f"edmscore control report: {exc}", file=sys.stderr)
        return 1
    return _emit(args, data, "report")


def _run_overdue(args: argparse.Namespace) -> int:
    from edmscore.reports import overdue_csv

    try:
        report = _report(args)
    except EdmsError as exc:
        print(f"edmscore control overdue: {exc}", file=sys.stderr)
        return 1
    if args.format == "csv":
        return _emit(args, overdue_csv(report).encode("utf-8-sig"), "overdue")
    lines = [
        f"Просроченные поручения на {report.as_of.strftime('%d.%m.%Y')} "
        f"(сроки {report.period_from.strftime('%d.%m.%Y')}–"
        f"{report.period_to.strftime('%d.%m.%Y')}): {len(report.overdue)}"
    ]
    for line in report.overdue:
        lines.append(
            f"  {line.card_number}: «{line.text}» — {line.executor} ({line.department}), "
            f"срок {line.due.strftime('%d.%m.%Y')}"
            f"{' (предварительно)' if line.provisional else ''}, "
            f"просрочено на {line.days_late} дн. "
            f"({line.working_days_late} раб.)"
        )
    return _emit(args, ("\n".join(lines) + "\n").encode("utf-8"), "overdue")
