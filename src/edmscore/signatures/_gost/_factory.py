"""Choosing between pure Python and OpenSSL Streebog; the one-shot helpers."""

from __future__ import annotations

from typing import Protocol

from edmscore.errors import ValidationError
from edmscore.signatures._gost._accel import AcceleratedStreebog, accelerated_available
from edmscore.signatures._gost._streebog import Streebog256, Streebog512

__all__ = ["StreebogHash", "new_streebog", "streebog256", "streebog512"]


class StreebogHash(Protocol):
    """What every Streebog object offers, pure or accelerated (the ``hashlib`` interface)."""

    @property
    def name(self) -> str:
        """``"streebog256"`` or ``"streebog512"``."""

    @property
    def digest_size(self) -> int:
        """32 or 64."""

    @property
    def block_size(self) -> int:
        """64."""

    def update(self, data: bytes | bytearray | memoryview) -> None:
        """Hash more bytes."""

    def digest(self) -> bytes:
        """The digest so far."""

    def hexdigest(self) -> str:
        """The digest so far, in hexadecimal."""

    def copy(self) -> StreebogHash:
        """An independent copy."""


def new_streebog(bits: int, data: bytes = b"", *, accelerated: bool | None = None) -> StreebogHash:
    """A new Streebog-256 or Streebog-512 object.

    ``accelerated``: ``None`` uses OpenSSL's GOST provider when :func:`accelerated_available`,
    else pure Python; ``False`` always pure Python; ``True`` requires the provider
    (``ValidationError`` without it). Both give identical digests.
    """
    if bits not in (256, 512):
        raise ValidationError("bits", f"Streebog has 256 or 512 bits, not {bits}")
    if accelerated is None:
        accelerated = accelerated_available()
    elif accelerated and not accelerated_available():
        raise ValidationError(
            "accelerated", "the system OpenSSL GOST provider (gostprov) cannot be loaded"
        )
    if accelerated:
        return AcceleratedStreebog(bits, data)
    return Streebog256(data) if bits == 256 else Streebog512(data)


def streebog256(data: bytes) -> bytes:
    """Streebog-256 of ``data``, in the byte order OpenSSL and CMS use."""
    return new_streebog(256, data).digest()


def streebog512(data: bytes) -> bytes:
    """Streebog-512 of ``data``, in the byte order OpenSSL and CMS use."""
    return new_streebog(512, data).digest()
