"""The one place that reaches the GOST primitives in :mod:`edmscore.signatures._gost`.

The primitives are imported lazily, so the rest of the verifier works (and reports GOST
signatures as an unsupported algorithm) in a build without them.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import Any, Protocol


class Hasher(Protocol):
    """The hashlib-like object digests are computed with."""

    def update(self, data: bytes, /) -> None:
        """Feed more data."""

    def digest(self) -> bytes:
        """The digest of everything fed so far."""


@functools.cache
def _module() -> ModuleType | None:
    try:
        return importlib.import_module("edmscore.signatures._gost")
    except ImportError:
        return None


def available() -> bool:
    """Whether the GOST primitives are part of this build."""
    return _module() is not None


def accelerated_available() -> bool:
    """Whether the system OpenSSL's GOST provider can be used in this process."""
    module = _module()
    return bool(module is not None and module.accelerated_available())


def new_streebog(bits: int, *, accelerated: bool | None = None) -> Hasher | None:
    """A fresh Streebog hasher of 256 or 512 bits, or ``None`` without the primitives."""
    module = _module()
    if module is None:
        return None
    hasher: Hasher = module.new_streebog(bits, accelerated=accelerated)
    return hasher


def new_gost94(*, accelerated: bool | None = None) -> Hasher | None:
    """A fresh GOST R 34.11-94 hasher (CryptoPro S-boxes), or ``None`` without the primitives."""
    module = _module()
    if module is None:
        return None
    hasher: Hasher = module.new_gost94(accelerated=accelerated)
    return hasher


def curve(oid: str) -> Any | None:
    """The GOST curve registered under a parameter-set OID, or ``None``."""
    module = _module()
    if module is None:
        return None
    return module.CURVES_BY_OID.get(oid)


def curve_oid(curve_value: Any) -> str:
    """The parameter-set OID a curve is registered under (the first one, when several)."""
    module = _module()
    assert module is not None
    for oid, value in module.CURVES_BY_OID.items():
        if value is curve_value:
            return str(oid)
    raise LookupError("curve not registered")


def verify(curve_value: Any, key_octets: bytes, digest: bytes, signature: bytes) -> bool:
    """Verify a GOST R 34.10-2012 signature over ``digest`` (the Streebog output)."""
    module = _module()
    assert module is not None
    try:
        point = module.decode_public_key(curve_value, key_octets)
    except (ValueError, TypeError):
        return False
    return bool(module.gost_verify(curve_value, point, digest, signature))


def verify_accelerated(
    public_key_info: bytes, digest: bytes, signature: bytes, *, accelerated: bool | None
) -> bool | None:
    """OpenSSL's answer for a GOST signature when allowed and available, else ``None``."""
    module = _module()
    if module is None or accelerated is False:
        return None
    answer = module.evp_verify(public_key_info, digest, signature)
    return None if answer is None else bool(answer)


def sign(curve_value: Any, private_key: int, digest: bytes) -> bytes:
    """Sign ``digest`` (the Streebog output) with a GOST private key."""
    module = _module()
    assert module is not None
    return bytes(module.gost_sign(curve_value, private_key, digest))


def public_key_octets(curve_value: Any, private_key: int) -> bytes:
    """The encoded public key (the OCTET STRING content) of a GOST private key."""
    module = _module()
    assert module is not None
    point = module.public_key_from_private(curve_value, private_key)
    return bytes(module.encode_public_key(curve_value, point))


def curve_order(curve_value: Any) -> int:
    """The order of the curve's base point subgroup."""
    return int(curve_value.q)
