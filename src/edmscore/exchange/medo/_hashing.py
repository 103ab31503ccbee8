"""Streaming file hashes, and the hash algorithms a receipt's ``hashCodes`` may name."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from edmscore.errors import MedoUnsafeInput

__all__ = ["hash_file", "hashlib_name", "new_hash"]

_CHUNK = 1024 * 1024
# Names and OIDs seen for the algorithms, mapped to hashlib names.
_ALIASES = {
    "sha256": "sha256",
    "sha-256": "sha256",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "sha512": "sha512",
    "sha-512": "sha512",
    "2.16.840.1.101.3.4.2.3": "sha512",
    "sha1": "sha1",
    "sha-1": "sha1",
    "gost r 34.11-2012 256": "md_gost12_256",
    "gost3411-2012-256": "md_gost12_256",
    "streebog256": "md_gost12_256",
    "1.2.643.7.1.1.2.2": "md_gost12_256",
    "gost r 34.11-2012 512": "md_gost12_512",
    "gost3411-2012-512": "md_gost12_512",
    "streebog512": "md_gost12_512",
    "1.2.643.7.1.1.2.3": "md_gost12_512",
}


def hashlib_name(algorithm: str) -> str | None:
    """The hashlib name of an algorithm named in a receipt, or ``None`` if unknown."""
    return _ALIASES.get(algorithm.strip().lower())


_STREEBOG_BITS = {"md_gost12_256": 256, "md_gost12_512": 512}


def new_hash(name: str) -> Any | None:
    """A new hash object, or ``None`` when ``name`` is not a hash this library can compute.

    GOST R 34.11-2012 (``md_gost12_256`` / ``md_gost12_512``) comes from
    :func:`edmscore.signatures.new_streebog`: OpenSSL's GOST provider when it loads, else the
    pure-Python Streebog, so receipts' GOST hash codes are always checked.
    """
    bits = _STREEBOG_BITS.get(name)
    if bits is not None:
        from edmscore.signatures import new_streebog

        return new_streebog(bits)
    try:
        return hashlib.new(name)
    except (ValueError, TypeError):
        return None


def hash_file(path: Path, *, names: tuple[str, ...], max_bytes: int) -> tuple[int, dict[str, str]]:
    """Read ``path`` once in chunks; return its size and its hex digests under each name."""
    hashes = {n: h for n in names if (h := new_hash(n)) is not None}
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise MedoUnsafeInput(
                    path.name, f"is larger than the {max_bytes} bytes allowed", file=str(path)
                )
            for h in hashes.values():
                h.update(chunk)
    return size, {n: h.hexdigest() for n, h in hashes.items()}
