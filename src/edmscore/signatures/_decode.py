"""Turning PEM, base64 or DER input into bounded DER bytes."""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from collections.abc import Iterator

from edmscore.errors import SignatureError
from edmscore.signatures._tlv import first_element_length

_PEM = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)-----END \1-----", re.DOTALL | re.ASCII)
_BASE64 = re.compile(rb"^[A-Za-z0-9+/=\s]+$")
_BOM = b"\xef\xbb\xbf"
_PADDING = b" \t\r\n\x00"

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

    Tolerates what OpenSSL tolerates in everyday files: DER followed by line ends, spaces or NUL
    bytes (dropped), PEM with text before ``-----BEGIN``, and a UTF-8 byte order mark before PEM
    or base64. Raises ``error`` when the input is empty, larger than ``limit`` bytes or none of
    these forms.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise error(f"{what}: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) > limit * 2 + 4096:
        raise error(f"{what}: input larger than {limit} bytes")
    if data[:1] == b"\x30" and (b"-----BEGIN" not in data or _is_one_element(data)):
        der = _trim_der(data)
    else:
        text = data.removeprefix(_BOM).strip()
        if not text.strip(b"\x00"):
            raise error(f"{what}: empty input")
        match = _PEM.search(text) if b"-----BEGIN" in text else None
        if match is not None:
            der = _b64(match.group(2), what, error)
        elif b"-----BEGIN" in text:
            raise error(f"{what}: a PEM block without its END line")
        elif _BASE64.match(text.rstrip(b"\x00")):
            der = _b64(text.rstrip(b"\x00"), what, error)
        else:
            raise error(f"{what}: neither DER, PEM nor base64")
        der = _trim_der(der)
    if len(der) > limit:
        raise error(f"{what}: input larger than {limit} bytes")
    if not der or der[0] != 0x30:
        raise error(f"{what}: the DER does not start with a SEQUENCE")
    return der


def _is_one_element(data: bytes) -> bool:
    """Whether ``data`` is one BER element, padding after it aside."""
    length = first_element_length(data)
    return length is not None and not data[length:].strip(_PADDING)


def _trim_der(data: bytes) -> bytes:
    """``data`` without the padding after its one element (line ends, spaces, NUL bytes)."""
    length = first_element_length(data)
    if length is not None and length < len(data) and not data[length:].strip(_PADDING):
        return data[:length]
    return data


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
