"""A bounded BER/DER reader that keeps every element's place in the original buffer.

Signed bytes (a TBSCertificate, a TBSCertList, a SignerInfo's signed attributes) must be hashed
exactly as they were received. asn1crypto re-encodes a value whose length header ends in the
byte ``0x80`` (it takes it for an indefinite length) and then fails on what its tables do not
know, so the verifier never asks it for signed bytes: it walks the structure here and slices the
original buffer. Indefinite lengths (BER) are read too; :meth:`Tlv.der` re-encodes them with
definite lengths for the rare structure that arrives that way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

MAX_DEPTH = 48
MAX_CHILDREN = 100_000

# Universal tags the reader names.
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
SEQUENCE = 0x30
SET = 0x31


class TlvError(ValueError):
    """Malformed BER: the message says what and where."""


class Tlv:
    """One element: its identifier octet and where its header, content and element end."""

    __slots__ = (
        "_children",
        "buf",
        "content_end",
        "content_start",
        "depth",
        "end",
        "indefinite",
        "start",
        "tag",
    )

    def __init__(
        self,
        buf: bytes,
        tag: int,
        start: int,
        content_start: int,
        content_end: int,
        end: int,
        *,
        indefinite: bool = False,
        depth: int = 0,
    ) -> None:
        self.buf = buf
        self.depth = depth  # how deep the element is nested (bounded by MAX_DEPTH)
        self.tag = tag  # the first identifier octet (class, constructed bit, low tag number)
        self.start = start
        self.content_start = content_start
        self.content_end = content_end
        self.end = end  # exclusive; for an indefinite length it includes end-of-contents
        self.indefinite = indefinite
        self._children: list[Tlv] | None = None

    def __repr__(self) -> str:
        return f"Tlv(tag=0x{self.tag:02x}, start={self.start}, end={self.end})"

    @property
    def constructed(self) -> bool:
        """Whether the element is constructed."""
        return bool(self.tag & 0x20)

    @property
    def raw(self) -> bytes:
        """The element exactly as received, header included."""
        return self.buf[self.start : self.end]

    @property
    def content(self) -> bytes:
        """The content octets as received."""
        return self.buf[self.content_start : self.content_end]

    @property
    def context_number(self) -> int | None:
        """The tag number of a context-specific element (``[0]`` → 0), else ``None``."""
        return self.tag & 0x1F if self.tag & 0xC0 == 0x80 else None

    def children(self) -> list[Tlv]:
        """The elements inside a constructed element, in order."""
        if self._children is None:
            if not self.tag & 0x20:
                raise TlvError(f"element at offset {self.start} is not constructed")
            self._children = list(
                _children(self.buf, self.content_start, self.content_end, self.depth + 1)
            )
        return self._children

    def has_indefinite(self) -> bool:
        """Whether this element or any inside it uses an indefinite length."""
        if self.indefinite:
            return True
        if not self.constructed or b"\x00\x00" not in self.buf[self.content_start : self.end]:
            return False  # an indefinite length inside would end with two zero octets
        return any(c.has_indefinite() for c in self.children())

    def der(self) -> bytes:
        """The element with every indefinite length made definite (the original otherwise)."""
        if not self.has_indefinite():
            return self.raw
        body = b"".join(child.der() for child in self.children())
        return self.buf[self.start : self.start + _identifier_length(self)] + (
            encode_length(len(body)) + body
        )


def _identifier_length(tlv: Tlv) -> int:
    if tlv.tag & 0x1F != 0x1F:
        return 1
    index = tlv.start + 1
    while tlv.buf[index] & 0x80:
        index += 1
    return index - tlv.start + 1


def encode_length(length: int) -> bytes:
    """The DER length octets of ``length``."""
    if length < 0x80:
        return bytes([length])
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def read(buf: bytes, pos: int = 0, end: int | None = None, *, depth: int = 0) -> Tlv:
    """The element starting at ``pos`` (it must end by ``end``, the buffer's end by default)."""
    if end is None:
        end = len(buf)
    if depth > MAX_DEPTH:
        raise TlvError("elements nested too deeply")
    if pos + 2 > end:
        raise TlvError(f"truncated element at offset {pos}")
    tag = buf[pos]
    index = pos + 1
    if tag & 0x1F == 0x1F:  # high tag number form
        for _ in range(4):
            if index >= end:
                raise TlvError(f"truncated tag at offset {pos}")
            more = buf[index] & 0x80
            index += 1
            if not more:
                break
        else:
            raise TlvError(f"tag number too large at offset {pos}")
    if index >= end:
        raise TlvError(f"truncated length at offset {pos}")
    first = buf[index]
    index += 1
    if first == 0x80:
        if not tag & 0x20:
            raise TlvError(f"indefinite length on a primitive element at offset {pos}")
        content_start = index
        cursor = index
        count = 0
        while True:
            if cursor + 2 > end:
                raise TlvError(f"missing end-of-contents for the element at offset {pos}")
            if buf[cursor] == 0 and buf[cursor + 1] == 0:
                return Tlv(
                    buf, tag, pos, content_start, cursor, cursor + 2, indefinite=True, depth=depth
                )
            child = read(buf, cursor, end, depth=depth + 1)
            cursor = child.end
            count += 1
            if count > MAX_CHILDREN:
                raise TlvError("too many elements")
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count > 8 or first == 0xFF:
            raise TlvError(f"bad length octets at offset {pos}")
        if index + count > end:
            raise TlvError(f"truncated length at offset {pos}")
        length = int.from_bytes(buf[index : index + count], "big")
        index += count
    if index + length > end:
        raise TlvError(f"element at offset {pos} claims {length} bytes, only {end - index} remain")
    return Tlv(buf, tag, pos, index, index + length, index + length, depth=depth)


def _children(buf: bytes, pos: int, end: int, depth: int) -> Iterator[Tlv]:
    count = 0
    while pos < end:
        child = read(buf, pos, end, depth=depth)
        yield child
        pos = child.end
        count += 1
        if count > MAX_CHILDREN:
            raise TlvError("too many elements")


def expect(tlv: Tlv, tag: int, what: str) -> Tlv:
    """``tlv`` itself when its tag is ``tag``; else :class:`TlvError` naming ``what``."""
    if tlv.tag != tag:
        raise TlvError(f"{what}: expected tag 0x{tag:02x}, found 0x{tlv.tag:02x}")
    return tlv


@functools.lru_cache(maxsize=1024)
def decode_oid(content: bytes) -> str:
    """The dotted form of an OBJECT IDENTIFIER's content octets."""
    if not content or content[-1] & 0x80:
        raise TlvError("malformed object identifier")
    parts: list[int] = []
    value = 0
    for octet in content:
        value = (value << 7) | (octet & 0x7F)
        if not octet & 0x80:
            parts.append(value)
            value = 0
    first = parts[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return ".".join(str(p) for p in head + parts[1:])


def decode_integer(content: bytes) -> int:
    """The value of an INTEGER's content octets (two's complement)."""
    if not content:
        raise TlvError("empty integer")
    return int.from_bytes(content, "big", signed=True)


def octets(tlv: Tlv) -> bytes:
    """The value of an OCTET STRING, primitive or constructed (BER chunks joined)."""
    if not tlv.constructed:
        return tlv.content
    return b"".join(octets(chunk) for chunk in tlv.children())


def bit_string_bytes(tlv: Tlv) -> bytes:
    """The bytes of a primitive BIT STRING (the unused-bits octet dropped)."""
    content = tlv.content
    if tlv.constructed or not content:
        raise TlvError("malformed bit string")
    return content[1:]


def first_element_length(data: bytes) -> int | None:
    """The length of the first complete element of ``data``, or ``None`` if it is not one."""
    try:
        return read(data).end
    except TlvError:
        return None
