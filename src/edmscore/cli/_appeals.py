"""``edmscore appeals``: the SSTU batch and the appeals report on a store.

The store is named by ``--storage MODULE:FACTORY``: a callable the host writes that returns its
storage (one that keeps appeals), with ``--user`` the acting user's id; or ``--demo`` for the
demo's in-memory store.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pendulum

from edmscore.cli._store import add_store_options, open_host_store
from edmscore.errors import EdmsError


def register(subparsers: Any) -> None:
    """Add the ``appeals`` subcommand with ``sstu`` and ``report``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "appeals", help="citizens' appeals: SSTU export, statistics"
    )
    commands = parser.add_subparsers(dest="appeals_command", required=True)
    sstu = commands.add_parser(
        "sstu", help="write the SSTU JSON of every appeal whose status changed in the period"
    )
    add_store_options(sstu)
    sstu.add_argument("--out", metavar="DIR", type=Path, required=True)
    sstu.add_argument("--department", metavar="GUID", help="this body's id in SSTU")
    sstu.set_defaults(handler=_run_sstu)
    report = commands.add_parser("report", help="appeals registered in the period, by group")
    add_store_options(report)
    report.add_argument(
        "--format", choices=("text", "csv", "xlsx"), default="text", help="default: text"
    )
    report.add_argument("--out", metavar="FILE", type=Path, help="default: standard output")
    report.add_argument(
        "--topics", metavar="FILE", type=Path, help="the topic classifier (JSON or CSV) for titles"
    )
    report.set_defaults(handler=_run_report)


def _open_store(args: argparse.Namespace) -> tuple[Any, Any, str]:
    """(storage, acting user, SSTU department id) from the options."""
    if args.demo:
        from edmscore.demo import demo_appeals

        demo = demo_appeals()
        return demo.storage, demo.clerk, demo.department_id
    storage, user = open_host_store(args, "appeals")
    return storage, user, ""


def _service(storage: Any) -> Any:
    from edmscore.appeals import AppealsService
    from edmscore.calendar import russian_calendar

    return AppealsService(storage, russian_calendar())


def _run_sstu(args: argparse.Namespace) -> int:
    from edmscore.appeals import export_sstu_batch

    try:
        storage, user, department = _open_store(args)
        department = args.department or department
        if not department:
            print("edmscore appeals sstu: --department GUID is needed", file=sys.stderr)
            return 2
        result = export_sstu_batch(
            _service(storage), user, args.start, args.end, department, args.out
        )
    except EdmsError as exc:
        print(f"edmscore appeals sstu: {exc}", file=sys.stderr)
        return 1
    for path in result.written:
        print(path)
    for number, reason in result.failed:
        print(f"not exported: {number}: {reason}", file=sys.stderr)
    print(
        f"{len(result.written)} written, {len(result.failed)} failed "
        f"({args.start.isoformat()} – {args.end.isoformat()})",
        file=sys.stderr,
    )
    return 0 if result.ok else 1


def _run_report(args: argparse.Namespace) -> int:
    from edmscore.reports import appeals_csv, appeals_xlsx, render_appeals

    try:
        storage, user, _ = _open_store(args)
        today = pendulum.today().date()
        classifier = None
        if args.topics is not None:
            from edmscore.appeals import load_topics

            classifier = load_topics(args.topics)
        report = _service(storage).statistics(
            user, args.start, args.end, as_of=min(today, args.end), classifier=classifier
        )
        data: bytes
        if args.format == "xlsx":
            data = appeals_xlsx(report)
        elif args.format == "csv":
            data = appeals_csv(report).encode("utf-8-sig")
        else:
            data = render_appeals(report).encode("utf-8")
    except EdmsError as exc:
        print(f"edmscore appeals report: {exc}", file=sys.stderr)
        return 1
    if args.out is not None:
        args.out.write_bytes(data)
    elif args.format == "xlsx":
        print("edmscore appeals report: --format xlsx needs --out FILE", file=sys.stderr)
        return 2
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return 0
