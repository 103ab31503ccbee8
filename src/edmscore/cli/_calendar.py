"""``edmscore calendar``: working days, date arithmetic and year summaries from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from edmscore.errors import EdmsError


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from exc


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calendar",
        metavar="FILE",
        action="append",
        help="use an imported calendar instead of the federal one (xmlcalendar .xml or .json, "
        "or a plain list); repeat for several years",
    )
    parser.add_argument(
        "--provisional",
        action="store_true",
        help="include provisional years of the federal data (decree not confirmed)",
    )
    parser.add_argument(
        "--hours-per-week", type=float, default=40, help="working-time norm (default 40)"
    )


def register(subparsers: Any) -> None:
    """Add the ``calendar`` subcommand and its ``workdays``, ``add`` and ``year`` commands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "calendar", help="production calendar: working days, date arithmetic, year summaries"
    )
    commands = parser.add_subparsers(dest="calendar_command", required=True)

    workdays = commands.add_parser(
        "workdays", help="number of working days in [FROM, TO], both dates included"
    )
    workdays.add_argument("start", metavar="FROM", type=_iso_date)
    workdays.add_argument("end", metavar="TO", type=_iso_date)
    _common(workdays)
    workdays.set_defaults(handler=_run_workdays)

    add = commands.add_parser("add", help="the date N working days after DATE (N may be < 0)")
    add.add_argument("date", metavar="DATE", type=_iso_date)
    add.add_argument("n", metavar="N", type=int)
    _common(add)
    add.set_defaults(handler=_run_add)

    year = commands.add_parser("year", help="a year's summary: working days, days off, hours")
    year.add_argument("year", metavar="YEAR", type=int)
    _common(year)
    year.set_defaults(handler=_run_year)


def _calendar(args: argparse.Namespace) -> Any:
    from edmscore.calendar import WorkNorm, load_calendar, russian_calendar

    norm = WorkNorm(args.hours_per_week)
    if args.calendar:
        return load_calendar(args.calendar, norm=norm)
    return russian_calendar(include_provisional=args.provisional, norm=norm)


def _guarded(args: argparse.Namespace, body: Any) -> int:
    try:
        body(_calendar(args))
    except EdmsError as exc:
        print(f"edmscore calendar: {exc}", file=sys.stderr)
        return 1
    return 0


def _run_workdays(args: argparse.Namespace) -> int:
    return _guarded(args, lambda cal: print(cal.count_working_days(args.start, args.end)))


def _run_add(args: argparse.Namespace) -> int:
    return _guarded(args, lambda cal: print(cal.add_working_days(args.date, args.n).isoformat()))


def _run_year(args: argparse.Namespace) -> int:
    from edmscore.calendar import year_summary

    def show(cal: Any) -> None:
        summary = year_summary(cal, args.year)
        decree = summary.decree
        print(f"year: {summary.year} ({summary.status.value})")
        if not summary.status.confirmed:
            print("provisional: no decree loaded for this year; deadlines reaching it may move")
        if decree is not None:
            print(f"decree: {decree.cite()} {decree.source}".rstrip())
        print(f"calendar days: {summary.calendar_days}")
        print(f"working days: {summary.working_days}")
        print(f"days off: {summary.days_off}")
        shortened = ", ".join(day.isoformat() for day in summary.shortened) or "none"
        print(f"shortened days: {len(summary.shortened)} ({shortened})")
        print(f"working hours ({summary.norm.hours_per_week:g} h/week): {summary.working_hours:g}")
        print("month  working  off  hours")
        for month in summary.months:
            print(
                f"{month.month:5d}  {month.working_days:7d}  {month.days_off:3d}  "
                f"{month.working_hours:g}"
            )

    return _guarded(args, show)
