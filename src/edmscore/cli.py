"""The ``edmscore`` command.

Each capability contributes its own subcommands from a private ``_cli`` module with a
``register(subparsers)`` function; the modules are listed in :data:`_COMMAND_MODULES` and imported
only when the command line is built, so importing :mod:`edmscore` stays cheap.
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
    "edmscore._demo_cli",
    "edmscore.appeals._cli",
    "edmscore.control._cli",
    "edmscore.calendar._cli",
    "edmscore.signatures._cli",
    "edmscore.exchange.medo._cli",
    "edmscore.pdf._cli",
    "edmscore.storage.sql._cli",
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


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
