"""Opening a host's store from the command line: ``--storage MODULE:FACTORY --user ID``."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from edmscore.directory import User

__all__ = ["open_host_store"]


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
