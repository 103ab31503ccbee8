"""Opening a host's store from the command line: ``--storage MODULE:FACTORY --user ID``.

Shared by the commands that work on a host's data (``edmscore appeals``, ``edmscore control``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
from typing import Any

import pendulum

from edmscore.directory import User

__all__ = ["add_store_options", "iso_date", "open_host_store"]


def iso_date(text: str) -> pendulum.Date:
    """An argparse type: an ISO date (YYYY-MM-DD) as a pendulum Date."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from exc
    return pendulum.Date(day.year, day.month, day.day)


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """``--storage MODULE:FACTORY`` or ``--demo``, ``--user ID``, the period ``--from``/``--to``."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--storage", metavar="MODULE:FACTORY", help="a callable returning the host's storage"
    )
    where.add_argument("--demo", action="store_true", help="the demo's in-memory store")
    parser.add_argument("--user", metavar="ID", help="the acting user's id (with --storage)")
    parser.add_argument("--from", dest="start", metavar="DATE", type=iso_date, required=True)
    parser.add_argument("--to", dest="end", metavar="DATE", type=iso_date, required=True)


def open_host_store(args: argparse.Namespace, command: str) -> tuple[Any, User]:
    """The storage a host's factory returns, and the acting user read from it.

    ``args.storage`` names ``module:factory`` (a callable returning a storage); ``args.user`` the
    acting user's id. A malformed option ends the command with a message naming ``command``.
    """
    module_name, _, factory_name = str(args.storage).partition(":")
    if not module_name or not factory_name:
        raise SystemExit(f"edmscore {command}: --storage needs MODULE:FACTORY")
    if not args.user:
        raise SystemExit(f"edmscore {command}: --storage needs --user")
    factory = getattr(importlib.import_module(module_name), factory_name)
    storage = factory()
    with storage.unit_of_work() as uow:
        user = uow.directory.user(args.user)
    return storage, user
