"""GOST R 34.11-94, the legacy hash of GOST R 34.10-2001 signatures, in pure Python.

The hash runs the GOST 28147-89 block cipher as its compression step; the cipher's substitution
boxes are a parameter. CMS and certificates use the CryptoPro set (OID ``1.2.643.2.2.30.1``,
RFC 4357 §11.2); the standard's own examples use the test set (``1.2.643.2.2.30.0``). Both are
here.

Byte order, as OpenSSL's ``md_gost94`` and CMS have it: a 256-bit vector of the standard is a
32-byte string read **little-endian** (byte 0 is the least significant), message blocks are taken
in order, the last one padded with zero bytes, and the digest is the final state's bytes in the
same order. With the test set the empty message hashes to ``ce85b99c…49490f8d`` and with the
CryptoPro set to ``981e5f3c…4cd656c0``.

Speed: a few hundred kilobytes a second; :func:`new_gost94` uses OpenSSL's GOST provider when it
loads (``accelerated``), as the Streebog functions do.
"""

from __future__ import annotations

from typing import Final

from edmscore.errors import ValidationError

__all__ = [
    "OID_GOST94_CRYPTOPRO",
    "OID_GOST94_TEST",
    "AcceleratedGost94",
    "Gost94",
    "gost94",
    "new_gost94",
]

OID_GOST94_TEST: Final = "1.2.643.2.2.30.0"
OID_GOST94_CRYPTOPRO: Final = "1.2.643.2.2.30.1"

# Substitution boxes, k8 first (the top nibble of a 32-bit word) down to k1 (the bottom one).
_SBOXES: Final[dict[str, tuple[tuple[int, ...], ...]]] = {
    OID_GOST94_CRYPTOPRO: (
        (0x1, 0x3, 0xA, 0x9, 0x5, 0xB, 0x4, 0xF, 0x8, 0x6, 0x7, 0xE, 0xD, 0x0, 0x2, 0xC),
        (0xD, 0xE, 0x4, 0x1, 0x7, 0x0, 0x5, 0xA, 0x3, 0xC, 0x8, 0xF, 0x6, 0x2, 0x9, 0xB),
        (0x7, 0x6, 0x2, 0x4, 0xD, 0x9, 0xF, 0x0, 0xA, 0x1, 0x5, 0xB, 0x8, 0xE, 0xC, 0x3),
        (0x7, 0x6, 0x4, 0xB, 0x9, 0xC, 0x2, 0xA, 0x1, 0x8, 0x0, 0xE, 0xF, 0xD, 0x3, 0x5),
        (0x4, 0xA, 0x7, 0xC, 0x0, 0xF, 0x2, 0x8, 0xE, 0x1, 0x6, 0x5, 0xD, 0xB, 0x9, 0x3),
        (0x7, 0xF, 0xC, 0xE, 0x9, 0x4, 0x1, 0x0, 0x3, 0xB, 0x5, 0x2, 0x6, 0xA, 0x8, 0xD),
        (0x5, 0xF, 0x4, 0x0, 0x2, 0xD, 0xB, 0x9, 0x1, 0x7, 0x6, 0x3, 0xC, 0xE, 0xA, 0x8),
        (0xA, 0x4, 0x5, 0x6, 0x8, 0x1, 0x3, 0x7, 0xD, 0xC, 0xE, 0x0, 0x9, 0x2, 0xB, 0xF),
    ),
    OID_GOST94_TEST: (
        (0x1, 0xF, 0xD, 0x0, 0x5, 0x7, 0xA, 0x4, 0x9, 0x2, 0x3, 0xE, 0x6, 0xB, 0x8, 0xC),
        (0xD, 0xB, 0x4, 0x1, 0x3, 0xF, 0x5, 0x9, 0x0, 0xA, 0xE, 0x7, 0x6, 0x8, 0x2, 0xC),
        (0x4, 0xB, 0xA, 0x0, 0x7, 0x2, 0x1, 0xD, 0x3, 0x6, 0x8, 0x5, 0x9, 0xC, 0xF, 0xE),
        (0x6, 0xC, 0x7, 0x1, 0x5, 0xF, 0xD, 0x8, 0x4, 0xA, 0x9, 0xE, 0x0, 0x3, 0xB, 0x2),
        (0x7, 0xD, 0xA, 0x1, 0x0, 0x8, 0x9, 0xF, 0xE, 0x4, 0x6, 0xC, 0xB, 0x2, 0x5, 0x3),
        (0x5, 0x8, 0x1, 0xD, 0xA, 0x3, 0x4, 0x2, 0xE, 0xF, 0xC, 0x7, 0x6, 0x0, 0x9, 0xB),
        (0xE, 0xB, 0x4, 0xC, 0x6, 0xD, 0xF, 0xA, 0x2, 0x3, 0x8, 0x1, 0x0, 0x7, 0x5, 0x9),
        (0x4, 0xA, 0x9, 0x2, 0xD, 0x8, 0x0, 0xE, 0x6, 0xB, 0x1, 0xC, 0x7, 0xF, 0x5, 0x3),
    ),
}

_MASK32: Final = 0xFFFFFFFF
_MASK64: Final = (1 << 64) - 1
_MASK256: Final = (1 << 256) - 1
# The constant C3 of the key schedule (C2 = C4 = 0), as the standard writes it.
_C3: Final = 0xFF00FFFF000000FFFF0000FF00FFFF0000FF00FF00FF00FFFF00FF00FF00FF00


def _tables(sbox: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], ...]:
    """For each byte of a word, its substitution shifted into place and rotated left by 11."""
    k = sbox[::-1]  # k[0] is k1
    tables = []
    for position in range(4):
        low, high = k[2 * position], k[2 * position + 1]
        row = []
        for byte in range(256):
            value = ((high[byte >> 4] << 4) | low[byte & 0xF]) << (8 * position)
            row.append(((value << 11) | (value >> 21)) & _MASK32)
        tables.append(tuple(row))
    return tuple(tables)


_TABLES: dict[str, tuple[tuple[int, ...], ...]] = {}


def _encrypt(tables: tuple[tuple[int, ...], ...], key: int, block: int) -> int:
    """GOST 28147-89 encryption of a 64-bit block (little-endian halves) with a 256-bit key."""
    t0, t1, t2, t3 = tables
    k = [(key >> (32 * i)) & _MASK32 for i in range(8)]
    order = k + k + k + k[::-1]
    n1 = block & _MASK32
    n2 = block >> 32
    for index in range(0, 32, 2):
        x = (n1 + order[index]) & _MASK32
        n2 ^= t0[x & 0xFF] ^ t1[(x >> 8) & 0xFF] ^ t2[(x >> 16) & 0xFF] ^ t3[x >> 24]
        x = (n2 + order[index + 1]) & _MASK32
        n1 ^= t0[x & 0xFF] ^ t1[(x >> 8) & 0xFF] ^ t2[(x >> 16) & 0xFF] ^ t3[x >> 24]
    return n1 << 32 | n2


def _a(y: int) -> int:
    """A(y4‖y3‖y2‖y1) = (y1 ⊕ y2)‖y4‖y3‖y2, 64-bit words, y1 the least significant."""
    y1 = y & _MASK64
    y2 = (y >> 64) & _MASK64
    return ((y1 ^ y2) << 192) | (y >> 64)


def _p(y: int) -> int:
    """The byte permutation P: byte 8i+k of the input goes to byte i+4k (bytes from 0)."""
    source = y.to_bytes(32, "little")
    out = bytearray(32)
    for i in range(4):
        for k in range(8):
            out[i + 4 * k] = source[8 * i + k]
    return int.from_bytes(out, "little")


def _psi(y: int, rounds: int) -> int:
    """ψ applied ``rounds`` times: shift by a 16-bit word, feeding back six words' XOR."""
    for _ in range(rounds):
        feedback = (y ^ (y >> 16) ^ (y >> 32) ^ (y >> 48) ^ (y >> 192) ^ (y >> 240)) & 0xFFFF
        y = (y >> 16) | (feedback << 240)
    return y


def _step(tables: tuple[tuple[int, ...], ...], h: int, m: int) -> int:
    """The compression function: H' = f(H, M)."""
    u, v = h, m
    keys = [_p(u ^ v)]
    for constant in (0, _C3, 0):
        u = _a(u) ^ constant
        v = _a(_a(v))
        keys.append(_p(u ^ v))
    s = 0
    for index, key in enumerate(keys):
        s |= _encrypt(tables, key, (h >> (64 * index)) & _MASK64) << (64 * index)
    return _psi(h ^ _psi(m ^ _psi(s, 12), 1), 61)


class Gost94:
    """A hashlib-like GOST R 34.11-94 object (pure Python)."""

    name = "gost94"
    digest_size = 32
    block_size = 32

    def __init__(self, data: bytes = b"", *, sbox: str = OID_GOST94_CRYPTOPRO) -> None:
        if sbox not in _SBOXES:
            raise ValidationError("sbox", f"unknown GOST R 34.11-94 parameter set {sbox}")
        if sbox not in _TABLES:
            _TABLES[sbox] = _tables(_SBOXES[sbox])
        self._sbox = sbox
        self._tables = _TABLES[sbox]
        self._h = 0
        self._sum = 0
        self._length = 0
        self._pending = b""
        if data:
            self.update(data)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        """Hash more bytes."""
        buffer = self._pending + bytes(data)
        full = len(buffer) - len(buffer) % 32
        tables, h, total = self._tables, self._h, self._sum
        for start in range(0, full, 32):
            block = int.from_bytes(buffer[start : start + 32], "little")
            h = _step(tables, h, block)
            total = (total + block) & _MASK256
        self._h, self._sum = h, total
        self._length += full * 8
        self._pending = buffer[full:]

    def digest(self) -> bytes:
        """The digest of everything so far (the object stays usable)."""
        h, total, length = self._h, self._sum, self._length
        if self._pending:
            block = int.from_bytes(self._pending, "little")
            h = _step(self._tables, h, block)
            total = (total + block) & _MASK256
            length += len(self._pending) * 8
        h = _step(self._tables, h, length & _MASK256)
        h = _step(self._tables, h, total)
        return h.to_bytes(32, "little")

    def hexdigest(self) -> str:
        """The digest so far, in hexadecimal."""
        return self.digest().hex()

    def copy(self) -> Gost94:
        """An independent copy."""
        other = Gost94(sbox=self._sbox)
        other._h, other._sum, other._length = self._h, self._sum, self._length
        other._pending = self._pending
        return other


def gost94(data: bytes, *, sbox: str = OID_GOST94_CRYPTOPRO) -> bytes:
    """GOST R 34.11-94 of ``data`` (CryptoPro S-boxes unless ``sbox`` names the test set)."""
    return Gost94(data, sbox=sbox).digest()


class AcceleratedGost94:
    """GOST R 34.11-94 from OpenSSL's GOST provider (CryptoPro S-boxes), hashlib-like.

    OpenSSL hashes the empty message differently from the standard (it compresses one zero
    block first); that one case is answered in pure Python.
    """

    name = "gost94"
    digest_size = 32
    block_size = 32

    def __init__(self, data: bytes = b"") -> None:
        import hashlib

        self._hash = hashlib.new("md_gost94")
        self._empty = True
        if data:
            self.update(data)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        """Hash more bytes."""
        if len(data):
            self._empty = False
            self._hash.update(data)

    def digest(self) -> bytes:
        """The digest of everything so far."""
        if self._empty:
            return gost94(b"")
        return bytes(self._hash.digest())

    def hexdigest(self) -> str:
        """The digest so far, in hexadecimal."""
        return self.digest().hex()


def new_gost94(data: bytes = b"", *, accelerated: bool | None = None) -> Gost94 | AcceleratedGost94:
    """A GOST R 34.11-94 object with the CryptoPro S-boxes (the ones CMS uses).

    ``accelerated``: ``None`` uses OpenSSL's GOST provider when it loads, ``False`` pure Python,
    ``True`` requires the provider (``ValidationError`` without it). Digests are identical.
    """
    from edmscore.signatures._gost._accel import accelerated_available

    if accelerated is None:
        accelerated = accelerated_available() and _openssl_has_gost94()
    elif accelerated and not (accelerated_available() and _openssl_has_gost94()):
        raise ValidationError(
            "accelerated", "the system OpenSSL GOST provider (gostprov) cannot be loaded"
        )
    if accelerated:
        return AcceleratedGost94(data)
    return Gost94(data)


_OPENSSL_GOST94: dict[str, bool] = {}


def _openssl_has_gost94() -> bool:
    if "ok" not in _OPENSSL_GOST94:
        import hashlib

        try:
            _OPENSSL_GOST94["ok"] = hashlib.new("md_gost94", b"abc").digest() == gost94(b"abc")
        except (ValueError, TypeError):
            _OPENSSL_GOST94["ok"] = False
    return _OPENSSL_GOST94["ok"]
