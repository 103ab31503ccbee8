"""File names from hostile input (``@localName``, envelope entries, zip members), checked."""

from __future__ import annotations

import re

from edmscore.errors import MedoUnsafeInput

__all__ = ["check_file_name", "name_key"]

_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)(\..*)?\Z", re.I)
_FORBIDDEN = re.compile(r'[\x00-\x1f/\\:*?"<>|]')


def check_file_name(name: str, *, element: str, source: str | None) -> str:
    """Return ``name`` if it is a plain file name safe to create in a letter folder.

    Refused: path separators, ``..`` and ``.``, drive letters and other colons, absolute paths,
    Windows device names (``CON``, ``NUL.txt``…), control and wildcard characters, trailing dots
    or spaces, empty names, names over 255 characters.
    """
    problem = None
    if not name or len(name) > 255:
        problem = "a file name must have 1 to 255 characters"
    elif name in (".", ".."):
        problem = "a file name cannot be '.' or '..'"
    elif _FORBIDDEN.search(name):
        problem = "a file name cannot hold path separators, drive letters or control characters"
    elif name != name.strip() or name.endswith("."):
        problem = "a file name cannot start or end with a space or end with a dot"
    elif _DEVICES.match(name):
        problem = "a file name cannot be a device name"
    if problem is not None:
        raise MedoUnsafeInput(element, f"{problem}: {name!r}", file=source)
    return name


def name_key(name: str) -> str:
    """The key two names collide on (Windows file systems ignore letter case)."""
    return name.casefold()
