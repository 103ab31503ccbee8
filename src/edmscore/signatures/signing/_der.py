"""The few DER encodings signing writes, by hand: fixed structures with parts copied as bytes.

asn1crypto builds the same structures (the tests read them back with it), but re-encoding a
certificate's names through it costs tens of milliseconds per signature; here the issuer and
serial are copied from the certificate's own bytes, so they are what the certificate says.
"""

from __future__ import annotations

import functools

import pendulum
from asn1crypto import core

from edmscore.signatures import _tlv

__all__ = ["issuer_and_serial", "oid", "sequence", "set_of", "signing_time", "tlv"]


def tlv(tag: int, body: bytes) -> bytes:
    """One element: the tag octet, the DER length and ``body``."""
    return bytes([tag]) + _tlv.encode_length(len(body)) + body


def sequence(*parts: bytes) -> bytes:
    """A SEQUENCE of the encoded ``parts``."""
    return tlv(0x30, b"".join(parts))


def set_of(parts: list[bytes]) -> bytes:
    """A SET OF the encoded ``parts``, sorted by encoding as DER requires."""
    return tlv(0x31, b"".join(sorted(parts)))


@functools.lru_cache(maxsize=64)
def oid(dotted: str) -> bytes:
    """An OBJECT IDENTIFIER."""
    return bytes(core.ObjectIdentifier(dotted).dump())


def signing_time(moment: pendulum.DateTime) -> bytes:
    """UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5652 11.3), whole seconds."""
    utc = moment.in_tz("UTC")
    if 1950 <= utc.year < 2050:
        return tlv(0x17, utc.strftime("%y%m%d%H%M%SZ").encode("ascii"))
    return tlv(0x18, utc.strftime("%Y%m%d%H%M%SZ").encode("ascii"))


def issuer_and_serial(certificate_der: bytes) -> tuple[bytes, bytes]:
    """The issuer Name and the serial INTEGER of a certificate, as its own bytes."""
    tbs = _tlv.read(certificate_der).children()[0].children()
    offset = 1 if tbs[0].tag == 0xA0 else 0  # [0] version present
    return tbs[offset + 2].raw, tbs[offset].raw
