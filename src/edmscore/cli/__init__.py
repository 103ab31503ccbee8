"""The ``edmscore`` command.

Each capability's subcommands live in a private module of this package with a
``register(subparsers)`` function; :data:`COMMANDS` names each command's module and help line,
and :func:`main` imports only the module of the command it runs, so the command line starts fast
(``edmscore --help`` imports none). The command line
sits on top of everything (it opens the demo's store, prints reports), so no capability imports
it. ``python -m edmscore.cli`` runs it too.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

# One module per capability; each defines ``register(subparsers) -> None``. A registered parser
# sets ``handler`` (a callable taking the parsed namespace and returning the exit code). The
# command's name and one-line help are kept here too, so that ``edmscore --help`` and a command
# import only what they need (tests/test_cli_startup.py checks they match the modules).
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": (
        "edmscore.cli._demo",
        "register a day of documents on the in-memory storage and print the journal",
    ),
    "appeals": ("edmscore.cli._appeals", "citizens' appeals: SSTU export, statistics"),
    "control": (
        "edmscore.cli._control",
        "execution control: discipline report, overdue assignments",
    ),
    "calendar": (
        "edmscore.cli._calendar",
        "production calendar: working days, date arithmetic, year summaries",
    ),
    "verify": (
        "edmscore.cli._signatures",
        "verify a CMS signature (RSA, ECDSA, GOST R 34.10-2012)",
    ),
    "verify-batch": (
        "edmscore.cli._signatures",
        "verify many CMS signatures against one set of trust anchors",
    ),
    "medo": ("edmscore.cli._medo", "MEDO letters, messages and containers"),
    "stamp": (
        "edmscore.cli._pdf",
        "stamp a PDF with the e-signature mark, a facsimile, registration or ДСП marks",
    ),
    "storage": (
        "edmscore.cli._sql",
        "SQL storage: schema migrations, schema version, blob verification",
    ),
    "backup": (
        "edmscore.cli._backup",
        "backup bundles, their verification and restore; legacy registry import",
    ),
    "sign": (
        "edmscore.cli._sign",
        "sign through an external signer: prepare the request, assemble the returned value",
    ),
    "archive": (
        "edmscore.cli._archive",
        "the archive: year-end closing, inventories, destruction acts, transfer, packages",
    ),
    "report": (
        "edmscore.cli._report",
        "analytics reports: document flow, MEDO, approval, discipline, charts",
    ),
    "scan": (
        "edmscore.cli._scanning",
        "scanning: card labels, separator sheets, batches split onto cards, OCR",
    ),
}
_COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(m for m, _ in COMMANDS.values()))


def build_parser(command: str | None = None, *, lazy: bool = False) -> argparse.ArgumentParser:
    """Build the argument parser: every command in full, or (``lazy``) only ``command``.

    A lazy parser lists the other commands by name and help alone and does not import their
    modules, so the command line starts fast.
    """
    parser = argparse.ArgumentParser(
        prog="edmscore", description="Domain logic of an electronic document management system."
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log to stderr: -v warnings (from pypdf too), -vv progress, -vvv debugging",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if not lazy:
        full = set(_COMMAND_MODULES)
    else:
        full = {COMMANDS[command][0]} if command is not None else set()
    registered: set[str] = set()
    for name, (module_name, help_text) in COMMANDS.items():
        if module_name in full:
            if module_name not in registered:
                importlib.import_module(module_name).register(sub)
                registered.add(module_name)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command named on the command line, if any (the first word that is not an option)."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def _configure_logging(verbosity: int) -> None:
    """Library logs (and pypdf's warnings) go to stderr only when asked for with ``-v``."""
    logging.captureWarnings(True)
    root = logging.getLogger()
    if verbosity <= 0:
        # No handler would make Python print warnings through its last-resort handler.
        root.addHandler(logging.NullHandler())
        return
    level = {1: logging.WARNING, 2: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``edmscore`` command line; returns the process exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command(words), lazy=True)
    args = parser.parse_args(words)
    if args.version:
        from edmscore import __version__

        print(__version__)
        return 0
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    _configure_logging(args.verbose)
    try:
        result: int = handler(args)
    except BrokenPipeError:  # the reader went away (`edmscore … | head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return result
