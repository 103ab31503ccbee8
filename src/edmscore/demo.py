"""The demo: a day of registrations in a small organisation on the embedded default storage."""

from __future__ import annotations

from typing import TextIO


def run_demo(out: TextIO) -> None:
    """Print the demo to ``out``."""
    out.write("edmscore demo\n")
