"""The fonts shipped with the package: where they are, and which characters they draw."""

from __future__ import annotations

import functools
from importlib import resources

from edmscore.errors import ValidationError

__all__ = ["check_text", "font_path"]


def font_path(bold: bool = False) -> str:
    """The path of the shipped DejaVu Sans font file (regular or bold)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return str(resources.files("edmscore.pdf").joinpath("fonts").joinpath(name))


@functools.cache
def _covered() -> frozenset[int]:
    """The characters both shipped fonts can draw (read from their cmaps once, when first used)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    sets = []
    for bold in (False, True):
        with TTFont(font_path(bold=bold), lazy=True) as font:
            sets.append(frozenset(font.getBestCmap()))
    return sets[0] & sets[1]


def check_text(field: str, text: str) -> None:
    """Refuse text with a character the shipped font cannot draw (rather than print a box)."""
    covered = _covered()
    for char in text:
        if ord(char) not in covered:
            raise ValidationError(
                field, f"character {char!r} (U+{ord(char):04X}) is not in the shipped font"
            )
