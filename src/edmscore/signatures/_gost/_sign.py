"""GOST R 34.10-2012 signatures (and GOST R 34.10-2001, the same mathematics), in pure Python.

Conventions, the ones OpenSSL's GOST engine and CMS (RFC 4491, RFC 9215) use:

* the digest is the byte string Streebog returns (``streebog256`` for 256-bit curves,
  ``streebog512`` for 512-bit ones); the integer ``e`` of the standard is that byte string read
  **little-endian**, reduced mod ``q`` (0 becomes 1);
* a signature is ``s || r``, each **big-endian** and ``curve.size`` bytes long (64 or 128 bytes in
  all): the standard's vector ``r || s`` written most significant byte first, then halves swapped
  as RFC 4491 §2.2.2 prescribes;
* a public key travels as the content of an OCTET STRING: ``x || y``, each **little-endian** and
  ``curve.size`` bytes long.
"""

from __future__ import annotations

import secrets

from edmscore.errors import ValidationError
from edmscore.signatures._gost._curves import GostCurve
from edmscore.signatures._gost._ec import double_multiply, multiply_base

__all__ = [
    "decode_public_key",
    "encode_public_key",
    "gost_sign",
    "gost_verify",
    "public_key_from_private",
]


def _digest_integer(curve: GostCurve, digest: bytes) -> int:
    if len(digest) != curve.size:
        raise ValidationError(
            "digest", f"expected {curve.size} bytes for {curve.name}, got {len(digest)}"
        )
    return int.from_bytes(digest, "little") % curve.q or 1


def _check_private(curve: GostCurve, private_key: int) -> None:
    if not 0 < private_key < curve.q:
        raise ValidationError("private_key", f"must lie in 1 … q-1 for {curve.name}")


def public_key_from_private(curve: GostCurve, d: int) -> tuple[int, int]:
    """The public key ``d·G`` of the private key ``d`` (``0 < d < q``)."""
    _check_private(curve, d)
    point = multiply_base(curve, d)
    assert point is not None  # d·G is never infinity for 0 < d < q
    return point


def encode_public_key(curve: GostCurve, public_key: tuple[int, int]) -> bytes:
    """The OCTET STRING content of a public key: ``x || y``, little-endian, ``curve.size`` each."""
    x, y = public_key
    if not curve.contains(x, y):
        raise ValidationError("public_key", f"the point is not on {curve.name}")
    return x.to_bytes(curve.size, "little") + y.to_bytes(curve.size, "little")


def decode_public_key(curve: GostCurve, octets: bytes) -> tuple[int, int]:
    """The point of an encoded public key (see :func:`encode_public_key`).

    Accepts the bare ``x || y`` content, or the same wrapped in its DER OCTET STRING header (the
    bytes a SubjectPublicKeyInfo's BIT STRING holds). Raises ``ValidationError`` when the length
    is wrong or the point is not on the curve.
    """
    size = curve.size
    octets = bytes(octets)
    header = b"\x04\x40" if size == 32 else b"\x04\x81\x80"
    if len(octets) == len(header) + 2 * size and octets.startswith(header):
        octets = octets[len(header) :]
    if len(octets) != 2 * size:
        raise ValidationError(
            "public_key", f"expected {2 * size} bytes for {curve.name}, got {len(octets)}"
        )
    x = int.from_bytes(octets[:size], "little")
    y = int.from_bytes(octets[size:], "little")
    if not curve.contains(x, y):
        raise ValidationError("public_key", f"the point is not on {curve.name}")
    return x, y


def gost_sign(curve: GostCurve, private_key: int, digest: bytes, *, k: int | None = None) -> bytes:
    """Sign a digest: ``s || r`` big-endian (see the module notes). ``k`` fixes the nonce (tests).

    Not constant time: meant for tests and test PKIs, not for guarding production keys.
    """
    _check_private(curve, private_key)
    e = _digest_integer(curve, digest)
    q = curve.q
    if k is not None and not 0 < k < q:
        raise ValidationError("k", f"must lie in 1 … q-1 for {curve.name}")
    while True:
        nonce = k if k is not None else 1 + secrets.randbelow(q - 1)
        point = multiply_base(curve, nonce)
        assert point is not None
        r = point[0] % q
        s = (r * private_key + nonce * e) % q
        if r and s:
            break
        if k is not None:
            raise ValidationError("k", "this nonce gives r = 0 or s = 0; choose another")
    return s.to_bytes(curve.size, "big") + r.to_bytes(curve.size, "big")


def gost_verify(
    curve: GostCurve, public_key: tuple[int, int], digest: bytes, signature: bytes
) -> bool:
    """Whether ``signature`` (``s || r``) over ``digest`` is valid for ``public_key``.

    A signature of the wrong length, out-of-range ``r`` or ``s``, or a public key that is not a
    point of the curve (or is a point of order 2) gives ``False``. A digest of the wrong length is a
    caller error (``ValidationError``).
    """
    e = _digest_integer(curve, digest)
    size, q = curve.size, curve.q
    if len(signature) != 2 * size:
        return False
    s = int.from_bytes(signature[:size], "big")
    r = int.from_bytes(signature[size:], "big")
    if not (0 < r < q and 0 < s < q):
        return False
    x, y = public_key
    if not curve.contains(x, y) or y == 0:
        return False
    v = pow(e, -1, q)
    point = double_multiply(curve, s * v % q, -r * v % q, (x, y))
    return point is not None and point[0] % q == r
