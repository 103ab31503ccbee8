"""The accelerated path: Streebog from the system OpenSSL's GOST provider, when it loads.

Python's ``hashlib`` asks the process's OpenSSL (libcrypto 3) for digests by name. Debian's
``libengine-gost-openssl`` ships a provider module, ``gostprov``; once it is loaded into the
default library context, ``hashlib.new("md_gost12_256")`` works and runs at OpenSSL's speed.
:func:`accelerated_available` loads it on first call (never at import) through ``ctypes`` and
checks the result against known digests; any failure means "not available", never an error.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import threading
from typing import Any

__all__ = ["AcceleratedStreebog", "accelerated_available"]

_NAMES = {256: "md_gost12_256", 512: "md_gost12_512"}
# Streebog of the empty message, in OpenSSL's byte order (the standard's examples, reversed).
_EMPTY = {
    256: bytes.fromhex("3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb"),
    512: bytes.fromhex(
        "8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7"
        "362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a"
    ),
}

_lock = threading.Lock()
_state: dict[str, bool] = {}


def _works() -> bool:
    try:
        return all(hashlib.new(name, b"").digest() == _EMPTY[bits] for bits, name in _NAMES.items())
    except (ValueError, TypeError):
        return False


def _libcrypto_candidates() -> list[str]:
    """Paths of the libcrypto libraries mapped into this process (``hashlib``'s among them)."""
    try:
        import _hashlib  # noqa: F401  (makes sure hashlib's libcrypto is mapped)
    except ImportError:  # a Python built without OpenSSL
        return []
    paths: list[str] = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.rstrip("\n").split(" ")[-1]
                if "/libcrypto" in path and ".so" in path and path not in paths:
                    paths.append(path)
    except OSError:  # not Linux: ask the loader
        found = ctypes.util.find_library("crypto")
        if found is not None:
            paths.append(found)
    return paths


def _load_provider(path: str) -> bool:
    try:
        lib: Any = ctypes.CDLL(path)
        load = lib.OSSL_PROVIDER_load
        available = lib.OSSL_PROVIDER_available
    except (OSError, AttributeError):  # not libcrypto 3
        return False
    load.restype = ctypes.c_void_p
    load.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    available.restype = ctypes.c_int
    available.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    # Let OpenSSL activate the providers its configuration asks for (normally "default") before
    # loading one explicitly, which would stop that implicit activation; nothing else is forced.
    available(None, b"default")
    return bool(load(None, b"gostprov"))


def _probe() -> bool:
    if _works():
        return True
    return any(_load_provider(path) and _works() for path in _libcrypto_candidates())


def accelerated_available() -> bool:
    """Whether Streebog from the system OpenSSL's GOST provider can be used in this process.

    The first call tries to load the provider (the result is remembered); nothing happens at
    import time. Install it on Debian/Ubuntu with ``apt-get install libengine-gost-openssl``.
    """
    with _lock:
        if "available" not in _state:
            _state["available"] = _probe()
        return _state["available"]


class AcceleratedStreebog:
    """A hashlib-like Streebog object backed by OpenSSL; create it with ``new_streebog``."""

    __slots__ = ("_hash", "digest_size", "name")
    block_size = 64

    def __init__(
        self, bits: int, data: bytes | bytearray | memoryview = b"", *, _hash: Any = None
    ) -> None:
        self.name = f"streebog{bits}"
        self.digest_size = bits // 8
        self._hash = _hash if _hash is not None else hashlib.new(_NAMES[bits])
        if data:
            self._hash.update(data)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        """Hash more bytes."""
        self._hash.update(data)

    def digest(self) -> bytes:
        """The digest of everything hashed so far (the object stays usable)."""
        result: bytes = self._hash.digest()
        return result

    def hexdigest(self) -> str:
        """The digest as lowercase hexadecimal."""
        return self.digest().hex()

    def copy(self) -> AcceleratedStreebog:
        """An independent copy of the current state."""
        return AcceleratedStreebog(self.digest_size * 8, _hash=self._hash.copy())
