"""Files on more than one tier: a hot file store, a replica on another volume or in an
S3-compatible object store, and a cold tier for closed years.

:class:`TieredBlobStore` is a :class:`~edmscore.storage.sql.FileBlobStore` (give it to
:class:`~edmscore.storage.sql.SqlStorage` as ``blob_store``) whose files also live on other
tiers, each a :class:`Tier`:

- the **replica** holds a copy of every hot file. With ``write_through`` (the default) each file
  is copied when its unit of work commits, before the database commits: a replica that cannot
  be written fails the commit, so no card refers to a file the replica lacks. Without it, or
  after the replica was away, :meth:`TieredBlobStore.replicate` copies what is missing;
- the **cold** tier takes files that are no longer worked on (:meth:`TieredBlobStore.move_to_cold`
  copies, reads the copy back and checks its hash, and only then removes the hot file). Cards
  do not change: files are addressed by their hash and reads fall through hot → cold → replica,
  each copy checked against its hash;
- :meth:`TieredBlobStore.check_tiers` reads every copy on every tier back, reports damaged and
  missing ones per tier and, asked to, repairs each from an intact copy.

Two tiers ship: :class:`DirectoryTier` (a folder, say on another volume) and :class:`S3Tier`
(a bucket of an S3-compatible object store through boto3; the ``s3`` extra).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs

from edmscore.errors import (
    IntegrityError,
    MissingDependency,
    NotFound,
    StorageError,
    ValidationError,
)
from edmscore.storage.sql._blobs import BlobReport, FileBlobStore

__all__ = [
    "DirectoryTier",
    "S3Tier",
    "Tier",
    "TierCheck",
    "TierReport",
    "TieredBlobStore",
]

_SHA256 = re.compile(r"[0-9a-f]{64}")


@runtime_checkable
class Tier(Protocol):
    """Somewhere whole files are kept by their sha256 (no checking: the tiered store checks)."""

    name: str

    def write(self, sha256: str, content: bytes) -> None:
        """Keep ``content`` under ``sha256``, replacing any copy there (atomically)."""
        ...

    def read(self, sha256: str) -> bytes:
        """The content kept under ``sha256``; NotFound when there is none."""
        ...

    def contains(self, sha256: str) -> bool:
        """Whether something is kept under ``sha256``."""
        ...

    def stored(self) -> Iterator[str]:
        """Every hash kept, in code-point order."""
        ...

    def delete(self, sha256: str) -> None:
        """Remove the copy under ``sha256`` if there is one."""
        ...


def _fsync_dir(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


class DirectoryTier:
    """A tier in a folder (``root/ab/cd/abcd…``, the file store's layout), written atomically."""

    def __init__(self, root: str | os.PathLike[str], *, name: str = "directory") -> None:
        self.root = Path(root)
        self.name = name
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise NotFound("blob", sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def write(self, sha256: str, content: bytes) -> None:
        """Write to a temporary file, fsync, rename into place."""
        target = self._path(sha256)
        staged = target.parent / f".{secrets.token_hex(8)}.part"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(staged, "xb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(staged, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                staged.unlink(missing_ok=True)
            raise StorageError(f"{self.name}: blob {sha256} cannot be written: {exc}") from exc

    def read(self, sha256: str) -> bytes:
        """The kept content; NotFound when absent."""
        try:
            return self._path(sha256).read_bytes()
        except FileNotFoundError:
            raise NotFound("blob", sha256) from None
        except OSError as exc:
            raise StorageError(f"{self.name}: blob {sha256} cannot be read: {exc}") from exc

    def contains(self, sha256: str) -> bool:
        """Whether the file exists."""
        return bool(_SHA256.fullmatch(sha256)) and self._path(sha256).is_file()

    def stored(self) -> Iterator[str]:
        """Every kept hash, in order."""
        for path in sorted(self.root.glob("??/??/*")):
            if _SHA256.fullmatch(path.name) and path.is_file():
                yield path.name

    def delete(self, sha256: str) -> None:
        """Remove the file if it is there."""
        self._path(sha256).unlink(missing_ok=True)


class S3Tier:
    """A tier in a bucket of an S3-compatible object store (AWS S3, MinIO, Ceph RGW, …).

    Objects are named ``prefix + sha256``. Give a boto3 S3 ``client``, or the keyword arguments
    of ``boto3.client("s3", …)`` (``endpoint_url``, ``region_name``, credentials); without
    boto3 installed that is a :class:`~edmscore.errors.MissingDependency` naming the ``s3``
    extra. The bucket must exist.
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        client: Any = None,
        name: str = "s3",
        **client_options: Any,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.name = name
        if client is None:
            try:
                import boto3
            except ImportError as exc:
                raise MissingDependency("boto3", "s3") from exc
            client = boto3.client("s3", **client_options)
        self.client = client

    def _key(self, sha256: str) -> str:
        if not _SHA256.fullmatch(sha256):
            raise NotFound("blob", sha256)
        return self.prefix + sha256

    def _failed(self, exc: Exception, doing: str, sha256: str) -> StorageError:
        return StorageError(f"{self.name}: blob {sha256} cannot be {doing}: {exc}")

    @staticmethod
    def _absent(exc: Exception) -> bool:
        response = getattr(exc, "response", None) or {}
        code = str(response.get("Error", {}).get("Code", ""))
        return code in ("404", "NoSuchKey", "NotFound")

    def write(self, sha256: str, content: bytes) -> None:
        """PUT the object (an S3 PUT replaces an object whole, never partly)."""
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(sha256), Body=content)
        except Exception as exc:  # botocore raises many classes; each becomes a StorageError
            raise self._failed(exc, "written", sha256) from exc

    def read(self, sha256: str) -> bytes:
        """GET the object; NotFound when absent."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))
            content: bytes = answer["Body"].read()
        except NotFound:
            raise
        except Exception as exc:
            if self._absent(exc):
                raise NotFound("blob", sha256) from None
            raise self._failed(exc, "read", sha256) from exc
        return content

    def contains(self, sha256: str) -> bool:
        """HEAD the object."""
        if not _SHA256.fullmatch(sha256):
            return False
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except Exception as exc:
            if self._absent(exc):
                return False
            raise self._failed(exc, "looked up", sha256) from exc
        return True

    def stored(self) -> Iterator[str]:
        """Every kept hash, listed page by page (S3 lists keys in code-point order)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", ()):
                name = str(item["Key"])[len(self.prefix) :]
                if _SHA256.fullmatch(name):
                    yield name

    def delete(self, sha256: str) -> None:
        """DELETE the object (absent is fine)."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(sha256))
        except Exception as exc:
            raise self._failed(exc, "deleted", sha256) from exc


@attrs.frozen
class TierCheck:
    """One tier's copies read back: how many, which are damaged, which are missing."""

    tier: str
    checked: int
    corrupt: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@attrs.frozen
class TierReport:
    """What :meth:`TieredBlobStore.check_tiers` found per tier, what it repaired, what is lost
    (no intact copy on any tier)."""

    tiers: tuple[TierCheck, ...]
    repaired: tuple[tuple[str, str], ...] = ()
    lost: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every copy on every tier was present and intact (before any repair)."""
        return not self.lost and all(not t.corrupt and not t.missing for t in self.tiers)


def _intact(content: bytes, sha256: str) -> bool:
    return hashlib.sha256(content).hexdigest() == sha256


class _HotTier:
    """The store's own folder seen as a tier (for checking and repairing)."""

    name = "hot"

    def __init__(self, store: TieredBlobStore) -> None:
        self._store = store

    def write(self, sha256: str, content: bytes) -> None:
        staged = self._store._stage(content)
        self._store.path_of(sha256).unlink(missing_ok=True)
        FileBlobStore._publish(self._store, staged, sha256)

    def read(self, sha256: str) -> bytes:
        try:
            return self._store.path_of(sha256).read_bytes()
        except FileNotFoundError:
            raise NotFound("blob", sha256) from None

    def contains(self, sha256: str) -> bool:
        return self._store.path_of(sha256).is_file()

    def stored(self) -> Iterator[str]:
        return FileBlobStore.stored(self._store)

    def delete(self, sha256: str) -> None:
        self._store.path_of(sha256).unlink(missing_ok=True)


class TieredBlobStore(FileBlobStore):
    """A file store with a replica and a cold tier (see the module docstring)."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        replica: Tier | None = None,
        cold: Tier | None = None,
        write_through: bool = True,
        max_size: int = 512 * 1024 * 1024,
    ) -> None:
        names = [t.name for t in (replica, cold) if t is not None]
        if len(set(names)) != len(names) or "hot" in names:
            raise ValidationError("tiers", "the replica and the cold tier need distinct names")
        super().__init__(root, max_size=max_size)
        self.replica = replica
        self.cold = cold
        self.write_through = write_through
        self.hot = _HotTier(self)

    def _publish(self, staged: Path, sha256: str) -> None:
        content = staged.read_bytes() if self.write_through and self.replica else b""
        super()._publish(staged, sha256)
        if self.write_through and self.replica is not None and not self.replica.contains(sha256):
            self.replica.write(sha256, content)

    def _fallbacks(self) -> list[Tier]:
        return [tier for tier in (self.cold, self.replica) if tier is not None]

    def read(self, sha256: str) -> bytes:
        """The content from the first tier holding an intact copy (hot, cold, replica)."""
        try:
            return super().read(sha256)
        except (NotFound, IntegrityError) as first:
            for tier in self._fallbacks():
                try:
                    content = tier.read(sha256)
                except NotFound:
                    continue
                if _intact(content, sha256):
                    return content
            raise first

    def contains(self, sha256: str) -> bool:
        """Whether some tier holds the file (hot, then cold, then replica)."""
        if super().contains(sha256):
            return True
        return any(tier.contains(sha256) for tier in self._fallbacks())

    def stored(self) -> Iterator[str]:
        """Every hash the hot and cold tiers hold (the replica holds copies of these)."""
        hot = set(super().stored())
        cold = set(self.cold.stored()) if self.cold is not None else set()
        return iter(sorted(hot | cold))

    def verify(self, expected: set[str] | None = None) -> BlobReport:
        """Read every hot and cold file back; with ``expected``, report those on no tier."""
        report = self.check_tiers(expected)
        checks = [t for t in report.tiers if t.tier != getattr(self.replica, "name", None)]
        corrupt = sorted({h for t in checks for h in t.corrupt})
        return BlobReport(sum(t.checked for t in checks), tuple(corrupt), report.lost)

    def replicate(self) -> int:
        """Copy to the replica every hot file it lacks; how many were copied."""
        if self.replica is None:
            return 0
        have = set(self.replica.stored())
        copied = 0
        for sha256 in FileBlobStore.stored(self):
            if sha256 not in have:
                self.replica.write(sha256, FileBlobStore.read(self, sha256))
                copied += 1
        return copied

    def move_to_cold(
        self, hashes: Iterable[str], *, progress: Callable[[str, int], None] | None = None
    ) -> int:
        """Move the given hot files to the cold tier (copy, read back, check, then remove the
        hot file); how many moved. Files already cold or not hot are left alone. ``progress``
        is told ``("moved to cold", count)`` after each file."""
        if self.cold is None:
            raise StorageError("this store has no cold tier")
        moved = 0
        for sha256 in sorted(set(hashes)):
            if not _SHA256.fullmatch(sha256) or not self.path_of(sha256).is_file():
                continue
            content = FileBlobStore.read(self, sha256)
            self.cold.write(sha256, content)
            if not _intact(self.cold.read(sha256), sha256):
                raise IntegrityError(f"{self.cold.name}: the copy of blob {sha256} differs")
            self.path_of(sha256).unlink()
            moved += 1
            if progress is not None:
                progress("moved to cold", moved)
        return moved

    def check_tiers(
        self,
        expected: set[str] | None = None,
        *,
        repair: bool = False,
        progress: Callable[[str, int], None] | None = None,
    ) -> TierReport:
        """Read every copy on every tier back (see the module docstring).

        A file belongs on hot or cold (where it is) and on the replica; ``expected`` adds the
        hashes that must be somewhere (the files cards list). With ``repair``, a damaged or
        missing copy is written again from an intact one. ``progress`` is told
        ``(tier name, copies read)`` as each tier is read.
        """
        tiers: list[Tier] = [self.hot]
        if self.cold is not None:
            tiers.append(self.cold)
        contents: dict[str, dict[str, bool]] = {}  # hash -> tier name -> intact
        for tier in [*tiers, *([self.replica] if self.replica else [])]:
            for done, sha256 in enumerate(tier.stored(), 1):
                contents.setdefault(sha256, {})[tier.name] = _intact(tier.read(sha256), sha256)
                if progress is not None:
                    progress(tier.name, done)
        wanted = set(contents) | (expected or set())
        checks: list[TierCheck] = []
        repaired: list[tuple[str, str]] = []
        lost: list[str] = []
        homes = {"hot": self.hot, **{t.name: t for t in tiers[1:]}}
        damaged: dict[str, list[str]] = {name: [] for name in homes}
        absent: dict[str, list[str]] = {name: [] for name in homes}
        if self.replica is not None:
            damaged[self.replica.name], absent[self.replica.name] = [], []
        for sha256 in sorted(wanted):
            found = contents.get(sha256, {})
            primary = [name for name in homes if name in found]
            if not primary:  # on neither hot nor cold: it belongs hot
                absent["hot"].append(sha256)
                primary = ["hot"]
            needs = list(primary)
            if self.replica is not None:
                needs.append(self.replica.name)
            for name in needs:
                if name not in found:
                    if name not in absent or sha256 not in absent[name]:
                        absent[name].append(sha256)
                elif not found[name]:
                    damaged[name].append(sha256)
            good = [name for name, intact in found.items() if intact]
            if not good:
                lost.append(sha256)
                continue
            if repair:
                source = {**homes, **({self.replica.name: self.replica} if self.replica else {})}
                bad = [n for n in needs if not found.get(n, False)]
                if bad:
                    content = source[good[0]].read(sha256)
                    for name in bad:
                        source[name].write(sha256, content)
                        repaired.append((name, sha256))
        counted = {name: sum(1 for f in contents.values() if name in f) for name in damaged}
        for name in damaged:
            checks.append(TierCheck(name, counted[name], tuple(damaged[name]), tuple(absent[name])))
        return TierReport(tuple(checks), tuple(repaired), tuple(lost))


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
