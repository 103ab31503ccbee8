"""Message digests by OID: SHA from hashlib; Streebog and GOST R 34.11-94 from our GOST code."""

from __future__ import annotations

import hashlib

from edmscore.signatures import _gostlink, _oids
from edmscore.signatures._gostlink import Hasher

_HASHLIB: dict[str, str] = {
    _oids.SHA1: "sha1",
    _oids.SHA224: "sha224",
    _oids.SHA256: "sha256",
    _oids.SHA384: "sha384",
    _oids.SHA512: "sha512",
}
_STREEBOG: dict[str, int] = {_oids.STREEBOG256: 256, _oids.STREEBOG512: 512}


def new_hasher(oid: str, *, accelerated: bool | None = None) -> Hasher | None:
    """A fresh hasher for the digest algorithm ``oid``; ``None`` when it is not supported."""
    name = _HASHLIB.get(oid)
    if name is not None:
        return hashlib.new(name)
    bits = _STREEBOG.get(oid)
    if bits is not None:
        return _gostlink.new_streebog(bits, accelerated=accelerated)
    if oid == _oids.GOST94:
        return _gostlink.new_gost94(accelerated=accelerated)
    return None


def digest(oid: str, data: bytes, *, accelerated: bool | None = None) -> bytes | None:
    """The digest of ``data``; ``None`` when the algorithm is not supported."""
    hasher = new_hasher(oid, accelerated=accelerated)
    if hasher is None:
        return None
    hasher.update(data)
    return hasher.digest()
