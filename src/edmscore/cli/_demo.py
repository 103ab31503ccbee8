"""``edmscore demo``: the main job on the embedded default storage."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo", help="register a day of documents on the in-memory storage and print the journal"
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from edmscore.demo import run_demo

    run_demo(sys.stdout)
    return 0
