"""GOST R 34.11-2012 (Streebog-256 and Streebog-512): streaming objects in pure Python.

Byte order: a message is the byte string you hash, and a digest is the byte string OpenSSL's
``md_gost12_256`` / ``md_gost12_512`` and CMS carry. The standard writes its vectors the other way
round (most significant byte first), so its examples appear reversed byte for byte.
"""

from __future__ import annotations

from typing import ClassVar

from edmscore.signatures._gost._streebog_kernel import MASK512, process

__all__ = ["Streebog256", "Streebog512"]

_BLOCK = 64


class _Streebog:
    """The common streaming machinery; the subclasses fix the digest size and the IV."""

    __slots__ = ("_buffer", "_h", "_n", "_sigma")

    name: ClassVar[str]
    digest_size: ClassVar[int]
    block_size: ClassVar[int] = _BLOCK
    _iv: ClassVar[int]

    def __init__(self, data: bytes | bytearray | memoryview = b"") -> None:
        self._h = self._iv
        self._n = 0
        self._sigma = 0
        self._buffer = b""
        if data:
            self.update(data)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        """Hash more bytes (any contiguous buffer; nothing is copied but a partial block)."""
        view = memoryview(data).cast("B")
        if self._buffer:
            need = _BLOCK - len(self._buffer)
            self._buffer += bytes(view[:need])
            view = view[need:]
            if len(self._buffer) < _BLOCK:
                return
            self._h, self._n, self._sigma = process(self._h, self._n, self._sigma, self._buffer)
            self._buffer = b""
        full = len(view) - len(view) % _BLOCK
        if full:
            self._h, self._n, self._sigma = process(self._h, self._n, self._sigma, view[:full])
        self._buffer = bytes(view[full:])

    def copy(self) -> _Streebog:
        """An independent copy of the current state."""
        other = object.__new__(type(self))
        other._h, other._n, other._sigma = self._h, self._n, self._sigma
        other._buffer = self._buffer
        return other

    def digest(self) -> bytes:
        """The digest of everything hashed so far (the object stays usable)."""
        tail = self._buffer
        padded = tail + b"\x01" + bytes(_BLOCK - 1 - len(tail))
        h, _, sigma = process(self._h, self._n, self._sigma, padded)
        n = (self._n + 8 * len(tail)) & MASK512
        h = process(h, 0, 0, n.to_bytes(_BLOCK, "little"))[0]
        h = process(h, 0, 0, sigma.to_bytes(_BLOCK, "little"))[0]
        return h.to_bytes(_BLOCK, "little")[_BLOCK - self.digest_size :]

    def hexdigest(self) -> str:
        """The digest as lowercase hexadecimal."""
        return self.digest().hex()


class Streebog256(_Streebog):
    """Streebog with a 256-bit digest (OID 1.2.643.7.1.1.2.2), pure Python; hashlib-like."""

    __slots__ = ()
    name = "streebog256"
    digest_size = 32
    _iv = int.from_bytes(b"\x01" * _BLOCK, "little")

    def copy(self) -> Streebog256:
        """An independent copy of the current state."""
        other = super().copy()
        assert isinstance(other, Streebog256)
        return other


class Streebog512(_Streebog):
    """Streebog with a 512-bit digest (OID 1.2.643.7.1.1.2.3), pure Python; hashlib-like."""

    __slots__ = ()
    name = "streebog512"
    digest_size = 64
    _iv = 0

    def copy(self) -> Streebog512:
        """An independent copy of the current state."""
        other = super().copy()
        assert isinstance(other, Streebog512)
        return other
