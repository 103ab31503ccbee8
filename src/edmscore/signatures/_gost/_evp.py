"""The accelerated path for GOST signature verification: OpenSSL's GOST engine through ``ctypes``.

The pure-Python verification (``gost_verify``) takes about ten milliseconds a signature; the
system OpenSSL with Debian's ``libengine-gost-openssl`` takes well under one. On first use (never
at import) :func:`evp_available` loads the ``gost`` engine into the process's libcrypto (the one
Python's ``hashlib`` uses), makes it the default only for public-key methods and their ASN.1
(so it decodes GOST SubjectPublicKeyInfo and verifies GOST R 34.10-2001/2012 signatures), and
checks it against the pure implementation with a known good and a known bad signature; any
failure means "not available", never an error.

:func:`evp_verify` takes the DER SubjectPublicKeyInfo, the digest (in OpenSSL's byte order, as
everywhere here) and the signature ``s || r``, and answers True, False, or ``None`` when OpenSSL
cannot decide (a key it cannot decode): the caller then uses the pure implementation.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

__all__ = ["evp_available", "evp_verify"]

_ENGINE_METHOD_PKEY_METHS = 0x0200
_ENGINE_METHOD_PKEY_ASN1_METHS = 0x0400

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _bind(lib: Any) -> None:
    lib.ENGINE_by_id.restype = ctypes.c_void_p
    lib.ENGINE_by_id.argtypes = [ctypes.c_char_p]
    lib.ENGINE_init.argtypes = [ctypes.c_void_p]
    lib.ENGINE_set_default.argtypes = [ctypes.c_void_p, ctypes.c_uint]
    lib.d2i_PUBKEY.restype = ctypes.c_void_p
    lib.d2i_PUBKEY.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_long]
    lib.EVP_PKEY_free.argtypes = [ctypes.c_void_p]
    lib.EVP_PKEY_CTX_new.restype = ctypes.c_void_p
    lib.EVP_PKEY_CTX_new.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.EVP_PKEY_CTX_free.argtypes = [ctypes.c_void_p]
    lib.EVP_PKEY_verify_init.argtypes = [ctypes.c_void_p]
    lib.EVP_PKEY_verify.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_char_p,
        ctypes.c_size_t,
    ]
    lib.ERR_clear_error.argtypes = []


def _load() -> Any | None:
    from edmscore.signatures._gost._accel import _libcrypto_candidates

    for path in _libcrypto_candidates():
        try:
            lib: Any = ctypes.CDLL(path)
            _bind(lib)
        except (OSError, AttributeError):
            continue
        lib.ENGINE_load_builtin_engines()
        engine = lib.ENGINE_by_id(b"gost")
        if not engine:
            lib.ERR_clear_error()
            continue
        methods = _ENGINE_METHOD_PKEY_METHS | _ENGINE_METHOD_PKEY_ASN1_METHS
        if lib.ENGINE_init(engine) != 1 or lib.ENGINE_set_default(engine, methods) != 1:
            lib.ERR_clear_error()
            continue
        return lib
    return None


def _raw_verify(lib: Any, spki: bytes, digest: bytes, signature: bytes) -> bool | None:
    cursor = ctypes.c_char_p(spki)
    key = lib.d2i_PUBKEY(None, ctypes.byref(cursor), len(spki))
    if not key:
        lib.ERR_clear_error()
        return None
    context = lib.EVP_PKEY_CTX_new(key, None)
    try:
        if not context or lib.EVP_PKEY_verify_init(context) != 1:
            lib.ERR_clear_error()
            return None
        result = int(lib.EVP_PKEY_verify(context, signature, len(signature), digest, len(digest)))
        lib.ERR_clear_error()
        return result == 1
    finally:
        if context:
            lib.EVP_PKEY_CTX_free(context)
        lib.EVP_PKEY_free(key)


def _self_test(lib: Any) -> bool:
    """A signature made by the pure code verifies through OpenSSL, and a changed one does not."""
    from asn1crypto import core

    from edmscore.signatures import _asn1
    from edmscore.signatures._gost._curves import CURVES_BY_OID, OID_CRYPTOPRO_A
    from edmscore.signatures._gost._sign import (
        encode_public_key,
        gost_sign,
        public_key_from_private,
    )

    curve = CURVES_BY_OID[OID_CRYPTOPRO_A]
    private = 0x1D19CE9891EC3B28C2B1F5CD4C2A7A0A3C3B1E3E1F6A5D4C3B2A19080706050
    octets = encode_public_key(curve, public_key_from_private(curve, private))
    spki = _asn1.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "1.2.643.7.1.1.1.1",
                "parameters": _asn1.GostPublicKeyParameters(
                    {
                        "public_key_param_set": OID_CRYPTOPRO_A,
                        "digest_param_set": "1.2.643.7.1.1.2.2",
                    }
                ),
            },
            "public_key": core.OctetString(octets).dump(),
        }
    ).dump()
    digest = bytes(range(1, 33))
    signature = gost_sign(curve, private, digest, k=0x5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A)
    bad = signature[:-1] + bytes([signature[-1] ^ 1])
    return _raw_verify(lib, spki, digest, signature) is True and (
        _raw_verify(lib, spki, digest, bad) is False
    )


def evp_available() -> bool:
    """Whether OpenSSL's GOST engine verifies GOST signatures in this process (probed once)."""
    with _lock:
        if "lib" not in _state:
            lib = None
            try:
                lib = _load()
                if lib is not None and not _self_test(lib):
                    lib = None
            except (OSError, AttributeError, ValueError, TypeError):
                lib = None
            _state["lib"] = lib
        return _state["lib"] is not None


def evp_verify(spki: bytes, digest: bytes, signature: bytes) -> bool | None:
    """True/False from OpenSSL's GOST engine; ``None`` when it is absent or cannot decide."""
    if not evp_available():
        return None
    return _raw_verify(_state["lib"], spki, digest, signature)
