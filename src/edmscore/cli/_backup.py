"""``edmscore backup``: take, verify and restore bundles, import a legacy registry, reconcile.

Each command works on a SQLite file or a PostgreSQL URL, through :attr:`edmscore.Edms.backups`
and as the user ``--as`` names (checked against the directory; into an empty database, against
the bundle's). Long work shows a progress line on standard error (``--quiet`` hides it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from edmscore.errors import EdmsError


class _ProgressLine:
    """A progress line on standard error: what is being done, how many so far, of how many."""

    def __init__(self, quiet: bool, totals: dict[str, int] | None = None) -> None:
        self.quiet = quiet
        self.totals = totals or {}
        self.last = 0.0
        self.shown = ""

    def __call__(self, what: str, done: int) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        total = self.totals.get(what)
        # A new kind of record is always shown; within one kind, at most five updates a second.
        if what == self.shown and now - self.last < 0.2 and done != total:
            return
        self.last = now
        self.shown = what
        if total:
            filled = int(30 * done / total) if total else 30
            bar = "#" * filled + "." * (30 - filled)
            text = f"{what:<16} [{bar}] {done}/{total}"
        else:
            text = f"{what:<16} {done}"
        sys.stderr.write(f"\r{text:<72}")
        sys.stderr.flush()

    def end(self) -> None:
        if not self.quiet:
            sys.stderr.write("\n")


def _edms(database: str, tiers: str | None = None) -> Any:
    """The installation of ``database``; its files on the tiers the file ``tiers`` (or
    ``EDMS_TIERS``) describes, if any."""
    from edmscore import Edms
    from edmscore.cli._sql import _engine
    from edmscore.cli._tiers import tiered_store, tiers_option
    from edmscore.storage.sql import SqlStorage

    config = tiers_option(tiers)
    blob_store = tiered_store(config) if config else None
    return Edms(SqlStorage(_engine(database), blob_store=blob_store))


def _guarded(run: Any, args: argparse.Namespace) -> int:
    try:
        code: int = run(args)
        return code
    except EdmsError as exc:
        print(f"\nedmscore backup: {exc}", file=sys.stderr)
        return 2


def register(subparsers: Any) -> None:
    """Add ``backup`` with its ``create``, ``verify``, ``restore``, ``import``, ``reconcile``,
    ``check-files`` and ``move-to-cold`` commands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "backup", help="backup bundles, their verification and restore; legacy registry import"
    )
    commands = parser.add_subparsers(dest="backup_command", required=True)
    database = "a SQLite database file or a postgresql:// URL"

    create = commands.add_parser("create", help="write a bundle of the database")
    create.add_argument("database", metavar="DATABASE", help=database)
    create.add_argument("bundle", metavar="BUNDLE", help="the new bundle folder")
    create.add_argument("--as", dest="user", required=True, help="the acting user's id")
    create.add_argument("--organisation", help="only this organisation")
    create.add_argument("--from", dest="date_from", help="first registration date (YYYY-MM-DD)")
    create.add_argument("--to", dest="date_to", help="last registration date (YYYY-MM-DD)")
    create.add_argument("--since", metavar="BUNDLE", help="incremental: what changed since it")
    create.add_argument("--quiet", action="store_true", help="no progress line")
    create.set_defaults(handler=_run_create)

    verify = commands.add_parser("verify", help="check a bundle without restoring it")
    verify.add_argument("bundle", metavar="BUNDLE")
    verify.add_argument("--deep", action="store_true", help="also decode every record")
    verify.set_defaults(handler=_run_verify)

    restore = commands.add_parser("restore", help="restore bundles into the database")
    restore.add_argument("database", metavar="DATABASE", help=database)
    restore.add_argument(
        "bundles", metavar="BUNDLE", nargs="+", help="a whole one, then increments"
    )
    restore.add_argument("--as", dest="user", required=True, help="the acting user's id")
    restore.add_argument("--quiet", action="store_true", help="no progress line")
    restore.set_defaults(handler=_run_restore)

    imports = commands.add_parser("import", help="import a legacy registry folder")
    imports.add_argument("database", metavar="DATABASE", help=database)
    imports.add_argument("source", metavar="FOLDER", help="journals.jsonl, cards.jsonl, files/")
    imports.add_argument("--as", dest="user", required=True, help="the acting user's id")
    imports.add_argument("--organisation", help="the organisation (the user's by default)")
    imports.add_argument("--skip-bad", action="store_true", help="import the good rows only")
    imports.add_argument("--quiet", action="store_true", help="no progress line")
    imports.set_defaults(handler=_run_import)

    reconcile = commands.add_parser(
        "reconcile", help="compare a bundle or folder with the database"
    )
    reconcile.add_argument("database", metavar="DATABASE", help=database)
    reconcile.add_argument("source", metavar="SOURCE", help="a bundle or a legacy registry folder")
    reconcile.add_argument("--as", dest="user", required=True, help="the acting user's id")
    reconcile.set_defaults(handler=_run_reconcile)

    check = commands.add_parser(
        "check-files", help="read every file on every tier back against its hash"
    )
    check.add_argument("database", metavar="DATABASE", help=database)
    check.add_argument("--as", dest="user", required=True, help="the acting user's id")
    check.add_argument("--repair", action="store_true", help="rewrite bad copies from good ones")
    check.add_argument("--quiet", action="store_true", help="no progress line")
    check.set_defaults(handler=_run_check_files)

    cold = commands.add_parser(
        "move-to-cold", help="move the files of closed years to the cold tier"
    )
    cold.add_argument("database", metavar="DATABASE", help=database)
    cold.add_argument("--as", dest="user", required=True, help="the acting user's id")
    cold.add_argument(
        "--through-year", type=int, required=True, help="the last closed year to move"
    )
    cold.add_argument("--quiet", action="store_true", help="no progress line")
    cold.set_defaults(handler=_run_move_to_cold)

    tiers = "a TOML file of the file tiers (default: $EDMS_TIERS; see docs/backup.md)"
    for command in (create, restore, imports, reconcile, check, cold):
        command.add_argument("--tiers", metavar="FILE", help=tiers)


def _date(text: str | None) -> Any:
    import pendulum

    return None if text is None else pendulum.Date.fromisoformat(text)


def _run_create(args: argparse.Namespace) -> int:
    def run(options: argparse.Namespace) -> int:
        progress = _ProgressLine(options.quiet)
        manifest = _edms(options.database, options.tiers).backups.backup(
            options.user,
            options.bundle,
            organisation_id=options.organisation,
            date_from=_date(options.date_from),
            date_to=_date(options.date_to),
            since=options.since,
            progress=progress,
        )
        progress.end()
        for name, summary in sorted(manifest.records.items()):
            print(f"{name:<16} {summary.count}")
        print(f"{'files':<16} {manifest.files.count} ({manifest.files.bytes} bytes)")
        print(f"manifest sha256  {manifest.sha256}")
        return 0

    return _guarded(run, args)


def _run_verify(args: argparse.Namespace) -> int:
    from edmscore.backup import verify_bundle

    report = verify_bundle(args.bundle, deep=args.deep)
    for problem in report.problems:
        print(f"damaged: {problem.part}: {problem.reason}")
    if report.manifest is not None:
        total = sum(s.count for s in report.manifest.records.values())
        print(f"records: {total}, files: {report.manifest.files.count}")
    print("ok" if report.ok else "PROBLEMS FOUND")
    return 0 if report.ok else 1


def _run_restore(args: argparse.Namespace) -> int:
    from edmscore.backup import read_manifest

    def run(options: argparse.Namespace) -> int:
        totals: dict[str, int] = {}
        for bundle in options.bundles:
            for name, summary in read_manifest(Path(bundle)).records.items():
                totals[name] = max(totals.get(name, 0), summary.count)
        progress = _ProgressLine(options.quiet, totals)
        edms = _edms(options.database, options.tiers)
        report = edms.backups.restore(options.user, options.bundles, progress=progress)
        progress.end()
        print(f"restored {len(report.restored)} bundle(s), skipped {len(report.skipped)}")
        for name, count in sorted(report.counts.items()):
            print(f"{name:<16} {count}")
        print(f"{'files':<16} {report.files}")
        return 0

    return _guarded(run, args)


def _run_import(args: argparse.Namespace) -> int:
    from edmscore.errors import ImportRejected

    def run(options: argparse.Namespace) -> int:
        progress = _ProgressLine(options.quiet)
        try:
            report = _edms(options.database, options.tiers).backups.import_registry(
                options.user,
                options.source,
                organisation_id=options.organisation,
                skip_bad=options.skip_bad,
                progress=progress,
            )
        except ImportRejected as exc:
            progress.end()
            for file, row, field, reason in exc.problems:
                print(f"{file}:{row}: {field or '-'}: {reason}")
            print(f"{exc.total} bad row(s); nothing imported")
            return 1
        progress.end()
        for file, row, field, reason in report.skipped:
            print(f"skipped {file}:{row}: {field or '-'}: {reason}")
        print(f"imported {report.cards} cards, {report.journals} journals, {report.files} files")
        for key, value in sorted(report.counters.items()):
            print(f"counter {key} -> {value}")
        return 0

    return _guarded(run, args)


def _run_reconcile(args: argparse.Namespace) -> int:
    def run(options: argparse.Namespace) -> int:
        edms = _edms(options.database, options.tiers)
        result = edms.backups.reconcile(options.user, options.source)
        print(f"{'journal':<34} {'period':>6} {'source':>8} {'target':>8} {'gaps':>6} {'dups':>6}")
        for key in sorted(set(result.source) | set(result.target)):
            a, b = result.source.get(key), result.target.get(key)
            gaps = b.gap_count if b else 0
            dups = b.duplicate_count if b else 0
            print(
                f"{key[0]:<34} {key[1]:>6} {a.count if a else 0:>8} {b.count if b else 0:>8} "
                f"{gaps:>6} {dups:>6}"
            )
        for line in result.differences:
            print(f"differs: {line}")
        print("ok" if result.ok else "DIFFERENCES FOUND")
        return 0 if result.ok else 1

    return _guarded(run, args)


def _run_check_files(args: argparse.Namespace) -> int:
    def run(options: argparse.Namespace) -> int:
        progress = _ProgressLine(options.quiet)
        report = _edms(options.database, options.tiers).backups.check_files(
            options.user, repair=options.repair, progress=progress
        )
        progress.end()
        print(f"{'tier':<16} {'files':>8} {'damaged':>8} {'missing':>8}")
        for check in report.tiers:
            print(
                f"{check.tier:<16} {check.checked:>8} {len(check.corrupt):>8} "
                f"{len(check.missing):>8}"
            )
            for sha256 in check.corrupt:
                print(f"damaged: {check.tier}: {sha256}")
            for sha256 in check.missing:
                print(f"missing: {check.tier}: {sha256}")
        for tier, sha256 in report.repaired:
            print(f"repaired: {tier}: {sha256}")
        for sha256 in report.lost:
            print(f"lost: {sha256} (no intact copy on any tier)")
        if report.ok:
            print("ok")
            return 0
        if options.repair and not report.lost:
            print("repaired")
            return 0
        print("PROBLEMS FOUND")
        return 1

    return _guarded(run, args)


def _run_move_to_cold(args: argparse.Namespace) -> int:
    def run(options: argparse.Namespace) -> int:
        progress = _ProgressLine(options.quiet)
        moved = _edms(options.database, options.tiers).backups.move_to_cold(
            options.user, through_year=options.through_year, progress=progress
        )
        progress.end()
        print(f"moved {moved} file(s) of {options.through_year} and earlier to the cold tier")
        return 0

    return _guarded(run, args)
