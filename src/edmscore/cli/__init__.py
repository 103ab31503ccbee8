"""The ``edmscore`` command.

Each capability's subcommands live in a private module of this package with a
``register(subparsers)`` function; the modules are listed in :data:`_COMMAND_MODULES` and imported
only when the command line is built, so importing :mod:`edmscore` stays cheap. The command line
sits on top of everything (it opens the demo's store, prints reports), so no capability imports
it. ``python -m edmscore.cli`` runs it too.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# One module per capability; each defines ``register(subparsers) -> None``. A registered parser
# sets ``handler`` (a callable taking the parsed namespace and returning the exit code).
_COMMAND_MODULES: tuple[str, ...] = (
    "edmscore.cli._demo",
    "edmscore.cli._appeals",
    "edmscore.cli._control",
    "edmscore.cli._calendar",
    "edmscore.cli._signatures",
    "edmscore.cli._medo",
    "edmscore.cli._pdf",
    "edmscore.cli._sql",
    "edmscore.cli._backup",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every capability's subcommands."""
    parser = argparse.ArgumentParser(
        prog="edmscore", description="Domain logic of an electronic document management system."
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")
    for module_name in _COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``edmscore`` command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from edmscore import __version__

        print(__version__)
        return 0
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        result: int = handler(args)
    except BrokenPipeError:  # the reader went away (`edmscore … | head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return result
