"""Reading zip archives from strangers: names (cp866), member counts, sizes and ratios bounded."""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from edmscore.errors import MedoFileExists, MedoFormatError, MedoUnsafeInput
from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits
from edmscore.exchange.medo._names import check_file_name, name_key

__all__ = ["SafeZip", "member_name"]

_UTF8_FLAG = 0x800
# Everything zipfile and its decompressors raise on a broken, encrypted or exotic member:
# BadZipFile, truncated streams (EOFError), zlib and lzma errors, NotImplementedError (an
# unsupported compression or strong encryption), RuntimeError (an encrypted member without a
# password), ValueError and IndexError (malformed headers, an empty member name).
_ZIP_FAILURES = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    IndexError,
    KeyError,
    OverflowError,
)


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's real name: UTF-8 when flagged, else the DOS code page Russian tools use (cp866).

    Python decodes unflagged names as cp437; the bytes are recovered and decoded as cp866.
    """
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    return raw.decode("cp866")


class SafeZip:
    """A zip archive whose members were all checked before any is read."""

    def __init__(self, data: bytes, *, source: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.source = source
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except _ZIP_FAILURES as exc:
            raise MedoFormatError("container", f"not a zip archive: {exc}", file=source) from None
        infos = self._zip.infolist()
        if len(infos) > limits.max_members:
            raise MedoUnsafeInput(
                "container", f"{len(infos)} members, at most {limits.max_members}", file=source
            )
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.names: dict[str, str] = {}
        total = 0
        for info in infos:
            name = member_name(info)
            if not name:
                raise MedoUnsafeInput("container", "a member has an empty name", file=source)
            if info.flag_bits & 0x1:
                raise MedoFormatError(name, "is encrypted; a container is not", file=source)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise MedoFormatError(
                    name,
                    f"uses compression method {info.compress_type}; "
                    "a container is stored or deflated",
                    file=source,
                )
            if info.is_dir():
                raise MedoUnsafeInput(name, "a container holds no folders", file=source)
            check_file_name(name, element="container member", source=source)
            if name_key(name) in self.members:
                raise MedoUnsafeInput(name, "the name appears twice in the archive", file=source)
            if info.file_size > limits.max_file_bytes:
                raise MedoUnsafeInput(name, f"unpacks to {info.file_size} bytes", file=source)
            if info.file_size > max(info.compress_size, 1) * limits.max_ratio:
                raise MedoUnsafeInput(
                    name, f"compression ratio above {limits.max_ratio} (a zip bomb?)", file=source
                )
            total += info.file_size
            if total > limits.max_total_bytes:
                raise MedoUnsafeInput("container", "unpacks to more than allowed", file=source)
            self.members[name_key(name)] = info
            self.names[name_key(name)] = name

    def list(self) -> tuple[str, ...]:
        """The member names, decoded."""
        return tuple(self.names.values())

    def has(self, name: str) -> bool:
        """Whether a member of this name (any letter case) exists."""
        return name_key(name) in self.members

    def chunks(self, name: str) -> Iterator[bytes]:
        """A member's content in chunks, never more than its declared size."""
        info = self.members.get(name_key(name))
        if info is None:
            raise MedoFormatError(name, "is not in the container", file=self.source)
        read = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(1024 * 1024):
                    read += len(chunk)
                    if read > info.file_size:
                        raise MedoUnsafeInput(name, "is larger than declared", file=self.source)
                    yield chunk
        except _ZIP_FAILURES as exc:
            raise MedoFormatError(name, f"cannot be unpacked: {exc}", file=self.source) from None

    def read(self, name: str) -> bytes:
        """A member's whole content."""
        return b"".join(self.chunks(name))

    def extract(self, name: str, folder: Path) -> Path:
        """Write one member into ``folder`` under its checked name; returns the path.

        An existing file is never overwritten: :class:`~edmscore.errors.MedoFileExists`.
        """
        target = folder / self.names[name_key(name)]
        try:
            out = target.open("xb")
        except FileExistsError:
            raise MedoFileExists(
                name, "a file of this name is already there", file=str(folder)
            ) from None
        with out:
            for chunk in self.chunks(name):
                out.write(chunk)
        return target
