"""The ``edmscore`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``edmscore`` command line; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="edmscore", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="run a day of registrations on the in-memory storage")
    sub.add_parser("version", help="print the version")
    args = parser.parse_args(argv)
    if args.command == "version":
        from edmscore import __version__

        print(__version__)
        return 0
    from edmscore.demo import run_demo

    run_demo(sys.stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
