"""Blob stores for the SQL adapter: a table in the database, or files on disk.

Both are content-addressed by sha256 and verify the content on every read. The table store
(``edms_blobs``) is part of the unit of work's transaction. The file store writes each new blob to
a temporary file (fsynced) when it is put, and renames it into place when the unit of work
commits — before the database commits, so a committed card never refers to a missing file; a
rolled-back unit of work deletes its temporary files. An interrupted commit leaves at worst an
unreferenced blob, never a damaged one.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import sqlalchemy as sa

from edmscore.errors import IntegrityError, NotFound, StorageError, ValidationError
from edmscore.storage.sql import _schema as t

if TYPE_CHECKING:
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = ["BlobReport", "FileBlobStore", "SqlBlobs"]

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20


def _content(data: object, max_size: int) -> bytes:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ValidationError("data", "must be bytes")
    if len(data) > max_size:
        raise ValidationError("data", f"larger than the limit of {max_size} bytes")
    return bytes(data)


def _checked(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise NotFound("blob", sha256)
    return sha256


@attrs.frozen
class BlobReport:
    """The outcome of verifying stored blobs: how many were read, which are damaged or missing."""

    checked: int
    corrupt: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every blob was present and intact."""
        return not self.corrupt and not self.missing


class FileBlobStore:
    """Blobs as files under ``root``: ``root/ab/cd/abcd…`` (the sha256), written atomically.

    ``max_size`` bounds one blob (default 512 MiB). Share one store between processes freely:
    equal content has equal names, and renames are atomic.
    """

    def __init__(self, root: str | os.PathLike[str], *, max_size: int = 512 * 1024 * 1024) -> None:
        self.root = Path(root)
        self.max_size = max_size
        self._tmp = self.root / "tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        """Where the blob ``sha256`` lives (whether or not it exists)."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _stage(self, content: bytes) -> Path:
        staged = self._tmp / f"{secrets.token_hex(16)}.part"
        with open(staged, "xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        return staged

    def _publish(self, staged: Path, sha256: str) -> None:
        target = self.path_of(sha256)
        if target.exists():
            staged.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
        # The rename, and any directory just created for it, must survive a power cut too.
        for folder in (target.parent, target.parent.parent, self.root):
            handle = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)

    def read(self, sha256: str) -> bytes:
        """The committed content, verified; NotFound or IntegrityError."""
        try:
            content = self.path_of(_checked(sha256)).read_bytes()
        except FileNotFoundError:
            raise NotFound("blob", sha256) from None
        except OSError as exc:
            raise StorageError(f"blob {sha256} cannot be read: {exc}") from exc
        if hashlib.sha256(content).hexdigest() != sha256:
            raise IntegrityError(f"blob {sha256} does not match its hash")
        return content

    def contains(self, sha256: str) -> bool:
        """Whether a committed blob with this hash exists (not verified)."""
        return bool(_SHA256.fullmatch(sha256)) and self.path_of(sha256).is_file()

    def stored(self) -> Iterator[str]:
        """The hashes of every committed blob."""
        for path in sorted(self.root.glob("??/??/*")):
            if _SHA256.fullmatch(path.name) and path.is_file():
                yield path.name

    def _intact(self, sha256: str) -> bool:
        digest = hashlib.sha256()
        with open(self.path_of(sha256), "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    def verify(self, expected: set[str] | None = None) -> BlobReport:
        """Read every blob back; with ``expected`` hashes, also report those that are absent."""
        checked, corrupt = 0, []
        present = set()
        for sha256 in self.stored():
            checked += 1
            present.add(sha256)
            if not self._intact(sha256):
                corrupt.append(sha256)
        missing = sorted((expected or set()) - present)
        return BlobReport(checked, tuple(corrupt), tuple(missing))

    def session(self) -> FileBlobSession:
        """A transactional view for one unit of work."""
        return FileBlobSession(self)


class FileBlobSession:
    """The blobs one unit of work put, staged until :meth:`publish` or :meth:`discard`."""

    def __init__(self, store: FileBlobStore) -> None:
        self._store = store
        self._staged: dict[str, Path] = {}

    def put(self, data: bytes) -> str:
        """Stage ``data``; return its sha256."""
        content = _content(data, self._store.max_size)
        digest = hashlib.sha256(content).hexdigest()
        if digest not in self._staged and not self._store.contains(digest):
            self._staged[digest] = self._store._stage(content)
        return digest

    def get(self, sha256: str) -> bytes:
        """Staged or committed content, verified."""
        staged = self._staged.get(sha256)
        if staged is not None:
            content = staged.read_bytes()
            if hashlib.sha256(content).hexdigest() != sha256:
                raise IntegrityError(f"blob {sha256} does not match its hash")
            return content
        return self._store.read(sha256)

    def exists(self, sha256: str) -> bool:
        """Whether the blob is staged here or committed."""
        return sha256 in self._staged or self._store.contains(sha256)

    def publish(self) -> None:
        """Move staged blobs into place (called just before the database commits)."""
        while self._staged:
            sha256, staged = self._staged.popitem()
            self._store._publish(staged, sha256)

    def discard(self) -> None:
        """Delete staged blobs (on rollback)."""
        while self._staged:
            _, staged = self._staged.popitem()
            staged.unlink(missing_ok=True)


class SqlBlobs:
    """Blobs in the ``edms_blobs`` table, inside the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork, max_size: int) -> None:
        self._uow = uow
        self._max_size = max_size

    def put(self, data: bytes) -> str:
        """Store ``data``; return its sha256."""
        content = _content(data, self._max_size)
        digest = hashlib.sha256(content).hexdigest()
        self._uow.insert_ignoring_conflicts(
            t.blobs, {"sha256": digest, "size": len(content), "content": content}
        )
        return digest

    def get(self, sha256: str) -> bytes:
        """The content, verified; NotFound or IntegrityError."""
        content = self._uow.scalar(sa.select(t.blobs.c.content).where(t.blobs.c.sha256 == sha256))
        if content is None:
            raise NotFound("blob", sha256)
        content = bytes(content)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise IntegrityError(f"blob {sha256} does not match its hash")
        return content

    def exists(self, sha256: str) -> bool:
        """Whether the blob is stored."""
        found = self._uow.scalar(sa.select(t.blobs.c.sha256).where(t.blobs.c.sha256 == sha256))
        return found is not None


class FileBlobs:
    """The :class:`~edmscore.records.ports.BlobStore` of a unit of work over a file store."""

    def __init__(self, uow: SqlUnitOfWork, session: FileBlobSession) -> None:
        self._uow = uow
        self._session = session

    def put(self, data: bytes) -> str:
        """Stage ``data`` for this unit of work; return its sha256."""
        self._uow._check_open()
        return self._session.put(data)

    def get(self, sha256: str) -> bytes:
        """The content, verified; NotFound or IntegrityError."""
        self._uow._check_open()
        return self._session.get(sha256)

    def exists(self, sha256: str) -> bool:
        """Whether the blob is stored (or staged in this unit of work)."""
        self._uow._check_open()
        return self._session.exists(sha256)
