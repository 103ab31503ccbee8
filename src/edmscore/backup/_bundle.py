"""Writing a bundle: every kind streamed to its JSON Lines file, the files to the tree.

The bundle is written into ``<target>.partial`` and renamed to ``<target>`` once the manifest
and its hash are in place, so an interrupted backup never leaves something that looks whole.
Records are encoded one at a time and files copied one at a time: memory stays bounded by the
largest record or file (plus, for a bundle of one organisation and period, the ids of the
period's cards and the hashes of their files).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from edmscore.backup._kinds import RECORD_KINDS, RecordKind, Slice, blob_refs
from edmscore.backup._manifest import FORMAT, FileSummary, KindSummary, Manifest, write_manifest
from edmscore.backup.ports import BulkUnitOfWork
from edmscore.errors import StateError, ValidationError

__all__ = [
    "BundleWriter",
    "Progress",
    "card_primitives",
    "file_path",
    "header_line",
    "primitive_line",
    "record_line",
]

#: Called as work goes on with (what, how many done so far).
Progress = Callable[[str, int], None]

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
_CHUNK = 1024 * 1024


def record_line(kind: RecordKind, record: Any) -> bytes:
    """One record as its JSON Lines line (UTF-8, keys sorted, no spaces, a newline)."""
    return (_ENCODER.encode(kind.encode(record)) + "\n").encode("utf-8")


def primitive_line(primitive: Any) -> bytes:
    """A record already in its primitive form as its JSON Lines line."""
    return (_ENCODER.encode(primitive) + "\n").encode("utf-8")


def card_primitives(uow: BulkUnitOfWork) -> Iterator[Any] | None:
    """Every card in its canonical primitive form when the adapter lists them so
    (``export_card_primitives``, no card object each), else None."""
    export = getattr(uow, "export_card_primitives", None)
    return None if export is None else cast(Iterator[Any], export())


def header_line(kind: RecordKind) -> bytes:
    """The first line of a kind's file: the format, the kind and its line format version."""
    return (
        _ENCODER.encode({"format": FORMAT, "kind": kind.name, "version": kind.version}) + "\n"
    ).encode()


def file_path(root: Path, sha256: str) -> Path:
    """Where a file with this hash lives in a bundle."""
    return root / "files" / sha256[:2] / sha256[2:4] / sha256


class _HashingFile:
    """A binary file that hashes, counts and sizes what is written to it."""

    def __init__(self, path: Path) -> None:
        self._file: IO[bytes] = path.open("wb")
        self.hash = hashlib.sha256()
        self.bytes = 0

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self.hash.update(data)
        self.bytes += len(data)

    def close(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()


class BundleWriter:
    """Writes one bundle from one unit of work (a consistent view of the store)."""

    def __init__(
        self,
        uow: BulkUnitOfWork,
        target: Path,
        *,
        created_at: str,
        edmscore_version: str,
        scope: Slice,
        base: Manifest | None = None,
        progress: Progress | None = None,
    ) -> None:
        if target.exists():
            raise StateError(f"{target} exists: a bundle is never written over")
        if base is not None and not scope.whole:
            raise ValidationError("since", "incremental bundles are of the whole installation")
        self._uow = uow
        self._target = target
        self._partial = target.with_name(target.name + ".partial")
        self._created_at = created_at
        self._version = edmscore_version
        self._scope = scope
        self._base = base
        self._progress = progress or (lambda what, done: None)
        self._refs: set[str] = set()
        self._changed: set[str] | None = None
        self._audit_seq = 0

    def write(self) -> Manifest:
        """Write the bundle; its manifest (with the manifest's hash)."""
        if self._partial.exists():
            shutil.rmtree(self._partial)
        (self._partial / "records").mkdir(parents=True)
        (self._partial / "files").mkdir()
        if self._base is not None:
            self._changed = self._changed_since(self._base.audit_seq)
        records = {kind.name: self._write_kind(kind) for kind in RECORD_KINDS}
        files = self._write_files()
        manifest = Manifest(
            created_at=self._created_at,
            edmscore_version=self._version,
            organisation_id=self._scope.organisation_id,
            date_from=self._scope.date_from,
            date_to=self._scope.date_to,
            audit_seq=self._audit_seq,
            base_sha256=None if self._base is None else self._base.sha256,
            base_audit_seq=None if self._base is None else self._base.audit_seq,
            records=records,
            files=files,
        )
        manifest = write_manifest(self._partial, manifest)
        _fsync_dir(self._partial)
        self._partial.rename(self._target)
        return manifest

    def _changed_since(self, seq: int) -> set[str]:
        """Ids audit events after ``seq`` name: what changed since the base bundle."""
        if seq > 0:
            found = self._uow.audit.events(after=seq - 1, limit=1)
            if not found or found[0][0] != seq:
                raise ValidationError("since", "the base bundle is not of this store's history")
        changed: set[str] = set()
        after = seq
        while True:
            page = self._uow.audit.events(after=after, limit=1000)
            if not page:
                return changed
            changed.update(event.entity_id for _, event in page)
            after = page[-1][0]

    def _keeps(self, kind: RecordKind, record: Any) -> bool:
        if not kind.keep(record, self._scope):
            return False
        if self._base is None:
            return True
        if kind.name == "audit":
            return int(record[0]) > self._base.audit_seq
        if kind.tracked:
            assert self._changed is not None
            return kind.key(record) in self._changed
        return True

    def _write_kind(self, kind: RecordKind) -> KindSummary:
        out = _HashingFile(self._partial / "records" / f"{kind.name}.jsonl")
        count = 0
        collect = not self._scope.whole or self._base is not None
        try:
            out.write(header_line(kind))
            whole = self._scope.whole and self._base is None
            primitives = card_primitives(self._uow) if kind.name == "cards" and whole else None
            for primitive in primitives or ():  # every card is kept: no slice to judge by
                out.write(primitive_line(primitive))
                count += 1
                if count % 10000 == 0:
                    self._progress(kind.name, count)
            for record in self._uow.export_records(kind.name) if primitives is None else ():
                if kind.name == "audit":
                    self._audit_seq = int(record[0])
                if not self._keeps(kind, record):
                    continue
                primitive = kind.encode(record)
                if collect:
                    self._refs.update(blob_refs(primitive))
                out.write((_ENCODER.encode(primitive) + "\n").encode("utf-8"))
                count += 1
                if count % 10000 == 0:
                    self._progress(kind.name, count)
        finally:
            out.close()
        self._progress(kind.name, count)
        return KindSummary(kind.version, count, out.bytes, out.hash.hexdigest())

    def _hashes(self) -> Iterator[str]:
        if self._scope.whole and self._base is None:
            yield from self._uow.stored_blobs()
        else:
            yield from sorted(self._refs)

    def _write_files(self) -> FileSummary:
        listing = _HashingFile(self._partial / "files" / "list.txt")
        count = size = missing = 0
        try:
            for sha256 in self._hashes():
                if not self._uow.blobs.exists(sha256):
                    missing += 1
                    continue
                content = self._uow.blobs.get(sha256)  # checked against its hash
                path = file_path(self._partial, sha256)
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("wb") as out:
                    out.write(content)
                listing.write(f"{sha256}\n".encode("ascii"))
                count += 1
                size += len(content)
                if count % 1000 == 0:
                    self._progress("files", count)
        finally:
            listing.close()
        self._progress("files", count)
        return FileSummary(count, size, listing.hash.hexdigest(), missing)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory descriptors
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
