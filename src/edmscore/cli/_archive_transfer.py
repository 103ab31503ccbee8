"""``edmscore archive transfer | package | check-package``: acceptance acts and transfer packages.

``transfer`` draws up (and with ``--accept`` records as accepted) the acceptance act handing the
cases of approved inventories to the organisation's or the state archive, and writes the act as
PDF, XLSX or DOCX; ``package`` writes a closed case's electronic transfer package; and
``check-package`` reads a package and prints each finding (exit 0: complete and intact, 1:
findings, 2: refused as unsafe or unreadable).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pendulum

from edmscore.errors import EdmsError, PackageUnsafe, TransferPackageError


def register(commands: Any) -> None:
    """Add ``transfer``, ``package`` and ``check-package`` to the ``archive`` subcommands."""
    transfer = commands.add_parser(
        "transfer", help="draw up the acceptance act handing cases to an archive"
    )
    _store(transfer)
    transfer.add_argument("--act-id", required=True, help="the new act's id")
    transfer.add_argument("--number", required=True, help="the act's number")
    transfer.add_argument(
        "--destination", choices=("departmental", "state"), default="departmental",
        help="the organisation's archive (default) or the state archive",
    )  # fmt: skip
    transfer.add_argument(
        "--inventory", action="append", required=True, metavar="ID", help="an approved inventory"
    )
    transfer.add_argument("--archive-name", required=True, help="the receiving archive")
    transfer.add_argument("--basis", default="", help="what the transfer rests on")
    transfer.add_argument("--fund", default="", help="the fund's name and number")
    transfer.add_argument("--accept", action="store_true", help="record the act as accepted")
    transfer.add_argument("--handed-over-by", default="", help="who handed over (with --accept)")
    transfer.add_argument("--accepted-by", default="", help="who accepted (with --accept)")
    transfer.add_argument("--out", metavar="DIR", type=Path, help="write the act into DIR")
    transfer.add_argument(
        "--format", choices=("pdf", "xlsx", "docx"), default="pdf", help="default: pdf"
    )
    transfer.set_defaults(handler=_run_transfer)

    package = commands.add_parser("package", help="write a closed case's transfer package")
    _store(package)
    package.add_argument("--case", required=True, metavar="ID", help="the case's id")
    package.add_argument("--package-id", help="the package's id (default: the case's)")
    package.add_argument("--out", required=True, type=Path, metavar="FILE.zip")
    package.add_argument(
        "--trust-anchor",
        action="append",
        default=[],
        type=Path,
        metavar="CERT",
        help="a root certificate (DER or PEM) to check against",
    )
    package.set_defaults(handler=_run_package)

    check = commands.add_parser("check-package", help="read a transfer package and check it")
    check.add_argument("package", type=Path, metavar="FILE.zip")
    check.add_argument("--trust-anchor", action="append", default=[], type=Path, metavar="CERT")
    check.add_argument("--at", help="check as of this ISO date-time (default: now)")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.set_defaults(handler=_run_check)


def _store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--storage", metavar="MODULE:FACTORY", required=True, help="a callable returning storage"
    )
    parser.add_argument("--user", metavar="ID", required=True, help="the archivist's user id")


def _open(args: argparse.Namespace) -> Any:
    module_name, _, factory_name = str(args.storage).partition(":")
    if not module_name or not factory_name:
        raise SystemExit("edmscore archive: --storage needs MODULE:FACTORY")
    return getattr(importlib.import_module(module_name), factory_name)()


def _anchors(paths: list[Path]) -> list[bytes]:
    return [path.read_bytes() for path in paths]


def _run_transfer(args: argparse.Namespace) -> int:
    from edmscore.archive import TransferDestination, TransferService
    from edmscore.archive import transfer_render as render

    writers = {"pdf": render.transfer_pdf, "xlsx": render.transfer_xlsx,
               "docx": render.transfer_docx}  # fmt: skip
    try:
        storage = _open(args)
        with storage.unit_of_work() as uow:
            user = uow.directory.user(args.user)
            organisation = uow.directory.organisation(user.organisation_id).name
        service = TransferService(storage)
        act = service.draw_up(
            user, args.act_id, TransferDestination(args.destination), args.inventory,
            number=args.number, archive_name=args.archive_name, basis=args.basis, fund=args.fund,
        )  # fmt: skip
        if args.accept:
            act = service.accept(user, act.id, handed_over_by=args.handed_over_by,
                                 accepted_by=args.accepted_by)  # fmt: skip
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            path = args.out / f"{act.id}.{args.format}"
            path.write_bytes(writers[args.format](act, organisation))
    except EdmsError as exc:
        print(f"edmscore archive transfer: {exc}", file=sys.stderr)
        return 1
    state = "принят" if act.accepted_on is not None else "составлен"
    sys.stdout.write(f"{act.title} ({state}): {act.total_line}\n")
    return 0


def _run_package(args: argparse.Namespace) -> int:
    from edmscore.archive import TransferService

    try:
        storage = _open(args)
        with storage.unit_of_work() as uow:
            user = uow.directory.user(args.user)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("wb") as out:
            metadata = TransferService(storage).package_case(
                user, args.case, out, package_id=args.package_id or args.case,
                trust_anchors=_anchors(args.trust_anchor),
            )  # fmt: skip
    except (EdmsError, OSError) as exc:
        print(f"edmscore archive package: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(
        f"Дело {metadata.case.index}: документов {len(metadata.documents)}, "
        f"файлов {len(metadata.files())} → {args.out}\n"
    )
    return 0


def _run_check(args: argparse.Namespace) -> int:
    from edmscore.archive.package_reader import read_package

    try:
        at = pendulum.parse(args.at) if args.at else None
        if at is not None and not isinstance(at, pendulum.DateTime):
            raise SystemExit("edmscore archive check-package: --at needs a date and time")
        report = read_package(args.package, trust_anchors=_anchors(args.trust_anchor), at=at)
    except (PackageUnsafe, TransferPackageError, OSError) as exc:
        print(f"edmscore archive check-package: refused: {exc}", file=sys.stderr)
        return 2
    except EdmsError as exc:
        print(f"edmscore archive check-package: {exc}", file=sys.stderr)
        return 2
    if args.json:
        findings = [{"code": f.code, "path": f.path, "message": f.message,
                     "severity": f.severity.value} for f in report.findings]  # fmt: skip
        print(json.dumps({"ok": report.ok, "files": report.files,
                          "signatures_checked": report.signatures_checked,
                          "findings": findings}, ensure_ascii=False, indent=2))  # fmt: skip
    else:
        case = report.metadata.case
        print(f"Пакет {report.metadata.package_id}: дело {case.index} «{case.title}», "
              f"документов {len(report.metadata.documents)}, файлов {report.files}, "
              f"подписей проверено {report.signatures_checked}")  # fmt: skip
        for finding in report.findings:
            print(f"{finding.severity.value}: {finding.code}: {finding.path}: {finding.message}")
        print("Пакет полон и цел." if report.ok else "Пакет не прошёл проверку.")
    return 0 if report.ok else 1
