"""What a page's content leaves on the graphics-state stack, so a mark can be drawn clear of it.

A page's content may close more ``q`` than it opens (``Q`` with an empty stack) or leave some
open, with a changed matrix, colour or clip; it may even end inside a text object. The stamper
wraps the content in as many ``q`` as it closes too many, and closes what it leaves open, so
a mark is drawn in the page's default coordinate system whatever the content does.
"""

from __future__ import annotations

import re

import attrs

__all__ = ["Balance", "balance"]

# Literal strings (escapes, two levels of nesting), comments and names: none can hold an
# operator, so they are blanked before the operators are counted.
_LITERAL = rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)"
_SKIP = re.compile(_LITERAL + rb"|%[^\r\n]*|/[^\s()<>\[\]{}/%]*", re.DOTALL)
_DELIM = rb"\s()<>\[\]{}/%"
_OPS = re.compile(rb"(?<![^" + _DELIM + rb"])(q|Q|BT|ET)(?![^" + _DELIM + rb"])")
_INLINE_IMAGE = re.compile(rb"(?<![^" + _DELIM + rb"])BI(?![^" + _DELIM + rb"])")
_TOKEN = re.compile(
    rb"\s+|%[^\r\n]*|<<|>>|<[0-9A-Fa-f\s]*>|/[^\s()<>\[\]{}/%]*|[\[\]{}]|[^\s()<>\[\]{}/%]+"
)
_EI = re.compile(rb"\sEI(?=[\s]|$)")


@attrs.frozen
class Balance:
    """How a content stream leaves the graphics-state stack.

    ``excess_closes`` counts ``Q`` met with nothing of the content's own open; ``left_open``
    the ``q`` still open at the end; ``in_text`` whether it ends inside ``BT`` … ``ET``.
    """

    excess_closes: int = 0
    left_open: int = 0
    in_text: bool = False

    def prefix(self) -> bytes:
        """What goes before the content: one ``q`` for the mark, one per excess ``Q``."""
        return b"q\n" * (1 + self.excess_closes)

    def suffix(self) -> bytes:
        """What goes after it: out of a text object, then back to the page's initial state."""
        return (b"ET\n" if self.in_text else b"") + b"Q\n" * (1 + self.left_open)


def _operators_fast(data: bytes) -> list[bytes] | None:
    """The q/Q/BT/ET operators in order, or None when the content needs the careful reading."""
    if b"BI" in data and _INLINE_IMAGE.search(data) is not None:
        return None
    blanked = _SKIP.sub(b" ", data)
    if b"(" in blanked or b")" in blanked:
        return None  # a literal string nested deeper than the pattern follows
    return _OPS.findall(blanked)


def _skip_literal(data: bytes, at: int) -> int:
    """The index after the literal string that opens at ``at``."""
    depth = 0
    index = at
    size = len(data)
    while index < size:
        char = data[index]
        if char == 0x5C:  # backslash
            index += 2
            continue
        if char == 0x28:
            depth += 1
        elif char == 0x29:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return size


def _operators_careful(data: bytes) -> list[bytes]:
    """The q/Q/BT/ET operators, reading every token (inline images and deep strings too)."""
    found: list[bytes] = []
    index = 0
    size = len(data)
    while index < size:
        if data[index] == 0x28:
            index = _skip_literal(data, index)
            continue
        match = _TOKEN.match(data, index)
        if match is None:
            index += 1
            continue
        token = match.group()
        index = match.end()
        if token in (b"q", b"Q", b"BT", b"ET"):
            found.append(token)
        elif token == b"ID":
            end = _EI.search(data, index)
            index = end.end() if end is not None else size
    return found


def balance(data: bytes) -> Balance:
    """How the content ``data`` (decoded, all its streams joined) leaves the graphics state."""
    operators = _operators_fast(data)
    if operators is None:
        operators = _operators_careful(data)
    depth = excess = 0
    in_text = False
    for op in operators:
        if op == b"q":
            depth += 1
        elif op == b"Q":
            if depth:
                depth -= 1
            else:
                excess += 1
        elif op == b"BT":
            in_text = True
        else:
            in_text = False
    return Balance(excess, depth, in_text)
