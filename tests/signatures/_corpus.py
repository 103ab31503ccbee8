"""The real PKI corpus under tests/corpus/pki (see its PROVENANCE.md) and BER helpers for tests."""

from __future__ import annotations

import lzma
import re
from functools import cache
from pathlib import Path

from edmscore.signatures import _tlv
from edmscore.signatures._tlv import encode_length

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "pki"
ACCREDITED = CORPUS / "accredited-ca"


@cache
def accredited_ders() -> tuple[bytes, ...]:
    """The 2,403 certificates of the public set of Russian accredited-CA certificates, as DER."""
    data = lzma.decompress((ACCREDITED / "certificates.der.xz").read_bytes())
    ders: list[bytes] = []
    position = 0
    while position < len(data):
        element = _tlv.read(data, position)
        ders.append(data[element.start : element.end])
        position = element.end
    return tuple(ders)


@cache
def accredited_index() -> tuple[tuple[str, str, str | None, str | None], ...]:
    """Per certificate, in order: SHA-256, the CA alias and the list's validity from and to.

    The alias and dates come from the file names the set was published under (the list's
    «Псевдоним», «ПериодДействияС» and «ПериодДействияДо»); names cut at 200 bytes lost them.
    """
    text = lzma.decompress((ACCREDITED / "index.tsv.xz").read_bytes()).decode()
    rows: list[tuple[str, str, str | None, str | None]] = []
    pattern = re.compile(
        r"^certs/(.*)_(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ)_(\d{4}-\d\d-\d\dT\S+Z)\.pem$"
    )
    for line in text.splitlines():
        digest, path = line.split("\t")
        match = pattern.match(path)
        if match is None:
            rows.append((digest, path.removeprefix("certs/").removesuffix(".pem"), None, None))
            continue
        alias, start, end = match.groups()
        rows.append((digest, alias, _iso(start), _iso(end)))
    return tuple(rows)


def _iso(stamp: str) -> str:
    date, _, time = stamp.partition("T")
    return f"{date}T{time[:-1].replace('-', ':')}Z"


def header_ends_in_0x80(der: bytes) -> bool:
    """Whether the outer length header of ``der`` ends in the byte 0x80 (asn1crypto's trap)."""
    element = _tlv.read(der)
    header = der[element.start : element.content_start]
    return len(header) > 2 and header[-1] == 0x80


def tbs_header_ends_in_0x80(der: bytes) -> bool:
    """Whether the TBSCertificate's length header ends in 0x80."""
    tbs = _tlv.read(der).children()[0]
    header = der[tbs.start : tbs.content_start]
    return len(header) > 2 and header[-1] == 0x80


def wrap(tag: int, body: bytes, *, indefinite: bool = False) -> bytes:
    """An element of ``tag`` around ``body``, with a definite or an indefinite length."""
    if indefinite:
        return bytes([tag, 0x80]) + body + b"\x00\x00"
    return bytes([tag]) + encode_length(len(body)) + body


def with_certificates(
    signature: bytes, extra: list[bytes], *, indefinite: bool = False, replace: bool = False
) -> bytes:
    """``signature`` (DER CMS) with ``extra`` added to (or replacing) its certificates.

    The certificate set is outside what a signer signs, so the signature stays valid; the
    signer infos and the content are copied byte for byte. ``indefinite`` writes the
    ContentInfo, SignedData and certificate set with indefinite lengths (BER).
    """
    info = _tlv.read(signature)
    content_type, explicit = info.children()
    signed = explicit.children()[0]
    parts = signed.children()
    rebuilt: list[bytes] = []
    inserted = False
    for part in parts:
        if part.tag == 0xA0:
            old = [] if replace else [c.raw for c in part.children()]
            rebuilt.append(wrap(0xA0, b"".join(old + extra), indefinite=indefinite))
            inserted = True
            continue
        if part.tag == 0x31 and part is parts[-1] and not inserted:
            rebuilt.append(wrap(0xA0, b"".join(extra), indefinite=indefinite))
        rebuilt.append(part.raw)
    body = wrap(0x30, b"".join(rebuilt), indefinite=indefinite)
    return wrap(
        0x30, content_type.raw + wrap(0xA0, body, indefinite=indefinite), indefinite=indefinite
    )


def indefinite_outer(der: bytes) -> bytes:
    """``der`` with its outermost element rewritten with an indefinite length."""
    element = _tlv.read(der)
    return wrap(element.tag, element.content, indefinite=True)


def pem(der: bytes, label: str) -> bytes:
    """The PEM form of ``der``."""
    import base64
    import textwrap

    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode(), 64))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n".encode()


def der_of_pem(data: bytes) -> bytes:
    """The DER inside the first PEM block of ``data``."""
    import base64

    body = re.search(rb"-----BEGIN [A-Z0-9 ]+-----(.*?)-----END", data, re.DOTALL)
    assert body is not None
    return base64.b64decode(b"".join(body.group(1).split()))
