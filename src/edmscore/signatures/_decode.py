"""Turning PEM, base64 or DER input into bounded DER bytes."""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from collections.abc import Iterator

from edmscore.errors import SignatureError

_PEM = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)-----END \1-----", re.DOTALL | re.ASCII)
_BASE64 = re.compile(rb"^[A-Za-z0-9+/=\s]+$")

# Exceptions asn1crypto and the standard library raise on bad encodings.
PARSE_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
    UnicodeError,
    NotImplementedError,
)


def to_der(data: bytes, *, what: str, limit: int, error: type[SignatureError]) -> bytes:
    """Return the DER bytes of ``data`` given as DER, PEM or bare base64.

    Raises ``error`` when the input is empty, larger than ``limit`` bytes or neither form.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise error(f"{what}: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) > limit * 2 + 4096:
        raise error(f"{what}: input larger than {limit} bytes")
    stripped = data.strip()
    if not stripped:
        raise error(f"{what}: empty input")
    if data[:1] == b"\x30":
        der = data
    elif stripped.startswith(b"-----BEGIN"):
        match = _PEM.search(stripped)
        if match is None:
            raise error(f"{what}: a PEM block without its END line")
        der = _b64(match.group(2), what, error)
    elif _BASE64.match(stripped):
        der = _b64(stripped, what, error)
    else:
        raise error(f"{what}: neither DER, PEM nor base64")
    if len(der) > limit:
        raise error(f"{what}: input larger than {limit} bytes")
    if not der or der[0] != 0x30:
        raise error(f"{what}: the DER does not start with a SEQUENCE")
    return der


def split_pem(data: bytes) -> list[bytes]:
    """Every PEM block of ``data`` as DER (a bundle of certificates or CRLs); ``[]`` if none."""
    return [
        base64.b64decode(re.sub(rb"\s+", b"", m.group(2)) or b"", validate=False)
        for m in _PEM.finditer(data)
    ]


def _b64(text: bytes, what: str, error: type[SignatureError]) -> bytes:
    compact = re.sub(rb"\s+", b"", text)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise error(f"{what}: bad base64 ({exc})") from None


@contextlib.contextmanager
def guarded(what: str, error: type[SignatureError]) -> Iterator[None]:
    """Turn any decoding failure inside the block into ``error`` naming ``what``."""
    try:
        yield
    except SignatureError:
        raise
    except PARSE_ERRORS as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise error(f"{what}: {message[:200]}") from None
