"""``edmscore archive year-end``: close a year, draw up its inventories and the destruction act
(``transfer``, ``package`` and ``check-package``: :mod:`edmscore.cli._archive_transfer`).

The store is named by ``--storage MODULE:FACTORY`` (a callable the host writes that returns its
storage) with ``--user`` the archivist's id. The forms are written into ``--out DIR`` as PDF,
XLSX or DOCX; a summary goes to standard output.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from edmscore.errors import EdmsError


def register(subparsers: Any) -> None:
    """Add the ``archive`` subcommand with ``year-end``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "archive",
        help="the archive: year-end closing, inventories, destruction acts, transfer, packages",
    )
    commands = parser.add_subparsers(dest="archive_command", required=True)
    run = commands.add_parser(
        "year-end", help="close the year's cases, draw up inventories and the destruction act"
    )
    run.add_argument(
        "--storage", metavar="MODULE:FACTORY", required=True, help="a callable returning storage"
    )
    run.add_argument("--user", metavar="ID", required=True, help="the archivist's user id")
    run.add_argument("--year", type=int, required=True, help="the year whose cases close")
    run.add_argument("--act-year", type=int, help="the destruction act's year (default: next)")
    run.add_argument("--id-prefix", default="ye", help="prefix of the new records' ids")
    run.add_argument("--out", metavar="DIR", type=Path, help="write the forms into DIR")
    run.add_argument(
        "--format", choices=("pdf", "xlsx", "docx"), default="pdf", help="default: pdf"
    )
    run.set_defaults(handler=_run_year_end)
    from edmscore.cli._archive_transfer import register as register_transfer

    register_transfer(commands)  # transfer, package, check-package


def _run_year_end(args: argparse.Namespace) -> int:
    from edmscore.archive import ArchiveService, render

    module_name, _, factory_name = str(args.storage).partition(":")
    if not module_name or not factory_name:
        print("edmscore archive: --storage needs MODULE:FACTORY", file=sys.stderr)
        return 2
    writers = {
        "pdf": (render.inventory_pdf, render.act_pdf),
        "xlsx": (render.inventory_xlsx, render.act_xlsx),
        "docx": (render.inventory_docx, render.act_docx),
    }
    try:
        storage = getattr(importlib.import_module(module_name), factory_name)()
        with storage.unit_of_work() as uow:
            user = uow.directory.user(args.user)
            organisation = uow.directory.organisation(user.organisation_id).name
        run = ArchiveService(storage).year_end(
            user, args.year, id_prefix=args.id_prefix, act_year=args.act_year
        )
        inventory_writer, act_writer = writers[args.format]
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            for inventory in run.inventories:
                path = args.out / f"{inventory.id}.{args.format}"
                path.write_bytes(inventory_writer(inventory, organisation))
            if run.act is not None:
                path = args.out / f"{run.act.id}.{args.format}"
                path.write_bytes(act_writer(run.act, organisation))
    except EdmsError as exc:
        print(f"edmscore archive year-end: {exc}", file=sys.stderr)
        return 1
    lines = [
        f"Год {run.year}: закрыто дел {len(run.closed)}, переходящих {len(run.carried_over)}",
        *(f"{i.title}: {i.closing_note}" for i in run.inventories),
    ]
    if run.act is not None:
        lines.append(f"Акт № {run.act.number}: {run.act.total_line}")
    if run.act_refused:
        lines.append(f"Акт не составлен: {run.act_refused}")
    lines += [f"Не включено в акт: {b.index} — {b.reason.label}" for b in run.blocked]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
