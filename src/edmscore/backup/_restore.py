"""Restoring bundles into any adapter that offers the bulk port, all or nothing.

A whole (non-incremental) bundle goes into an empty store; an incremental one onto a store whose
audit log ends exactly where the bundle's base ended. Each bundle is restored in one unit of
work: first verified (nothing is written from a damaged bundle), then every kind imported, then
— before the commit — read back from the store and compared with the manifest (same records,
byte for byte, in the same order; for a bundle of one organisation or period the audit events
by count, since the store numbers them anew). Any failure, a crash included, rolls back the
bundle's unit of work. A chain of bundles is resumable: the store's last audit sequence tells
which bundles are in (:func:`restore_bundles` skips those), so running it again after a crash
goes on from the first bundle not committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import attrs

from edmscore.backup._bundle import (
    Progress,
    card_primitives,
    file_path,
    header_line,
    primitive_line,
    record_line,
)
from edmscore.backup._kinds import RECORD_KINDS
from edmscore.backup._manifest import Manifest
from edmscore.backup._verify import (
    read_card_primitives,
    read_file_hashes,
    read_records,
    verify_bundle,
)
from edmscore.backup.ports import BulkStorage, BulkUnitOfWork
from edmscore.errors import BundleError, IntegrityError, StateError

__all__ = ["RestoreReport", "last_audit_seq", "restore_bundles", "store_is_empty"]


@attrs.frozen
class RestoreReport:
    """What a restore did: per bundle restored, its manifest hash and the records per kind."""

    restored: tuple[str, ...]
    skipped: tuple[str, ...]
    counts: dict[str, int]
    files: int


def store_is_empty(uow: BulkUnitOfWork) -> bool:
    """Whether the store holds no record of any kind and no file."""
    for kind in RECORD_KINDS:
        if next(iter(uow.export_records(kind.name)), None) is not None:
            return False
    return next(iter(uow.stored_blobs()), None) is None


def last_audit_seq(uow: BulkUnitOfWork) -> int:
    """The sequence of the store's last audit event (0 for none): a galloping then binary
    search over ``events(after=…, limit=1)``, so a long log costs a few dozen look-ups."""

    def beyond(seq: int) -> bool:
        return bool(uow.audit.events(after=seq, limit=1))

    low, high = 0, 1  # an event after low; find a high with none after it
    if not beyond(low):
        return 0
    while beyond(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if beyond(middle):
            low = middle
        else:
            high = middle
    return high


def _check_chain(manifests: Sequence[Manifest]) -> None:
    for previous, current in pairwise(manifests):
        if current.base_sha256 != previous.sha256:
            raise BundleError(
                "manifest.json",
                f"bundle {current.sha256[:12]} does not follow {previous.sha256[:12]}",
            )


def restore_bundles(
    storage: BulkStorage,
    bundles: Sequence[str | Path],
    *,
    progress: Progress | None = None,
    authorise: Callable[[BulkUnitOfWork], None] | None = None,
) -> RestoreReport:
    """Restore ``bundles`` (a whole one and the incremental ones after it, in order).

    ``authorise`` is called inside each bundle's unit of work after its records are in and
    before the commit (the entry point checks the actor there, so a refusal restores nothing).
    """
    roots = [Path(b) for b in bundles]
    if not roots:
        raise StateError("no bundle to restore")
    manifests = [verify_bundle(root).raise_if_damaged() for root in roots]
    _check_chain(manifests)
    restored: list[str] = []
    skipped: list[str] = []
    counts: dict[str, int] = {}
    files = 0
    for root, manifest in zip(roots, manifests, strict=True):
        with storage.unit_of_work() as uow:
            if _already_in(uow, manifest):
                skipped.append(manifest.sha256)
                continue
            done = _restore_one(uow, root, manifest, progress)
            if authorise is not None:
                authorise(uow)
            uow.commit()
        for name, count in done.items():
            counts[name] = counts.get(name, 0) + count
        files += manifest.files.count
        restored.append(manifest.sha256)
    return RestoreReport(tuple(restored), tuple(skipped), counts, files)


def _already_in(uow: BulkUnitOfWork, manifest: Manifest) -> bool:
    """Whether the store already holds this bundle (a resumed chain); StateError if it cannot
    take it."""
    last = last_audit_seq(uow)
    if not manifest.incremental:
        if store_is_empty(uow):
            return False
        raise StateError("a whole bundle is restored into an empty store only")
    base = manifest.base_audit_seq or 0
    if last == base:
        return False
    if last >= manifest.audit_seq > base:  # restored before (a chain run again after a crash)
        return True
    raise StateError(
        f"the store's audit log ends at {last}; this bundle follows one that ended at {base}"
    )


def _restore_one(
    uow: BulkUnitOfWork, root: Path, manifest: Manifest, progress: Progress | None
) -> dict[str, int]:
    done: dict[str, int] = {}
    for kind in RECORD_KINDS:
        if kind.name == "cards" and getattr(uow, "takes_card_primitives", False):
            records = read_card_primitives(root)  # no card object per line
        else:
            records = read_records(root, kind.name)
        if progress is not None:
            records = _counting(records, kind.name, progress)
        done[kind.name] = uow.import_records(kind.name, records)
    count = 0
    for sha256 in read_file_hashes(root):
        content = file_path(root, sha256).read_bytes()
        if hashlib.sha256(content).hexdigest() != sha256:
            raise BundleError(f"files/{sha256}", "its content does not match its hash")
        uow.blobs.put(content)
        if progress is not None and count % 1000 == 0:
            progress("files", count)
    if not manifest.incremental:
        _compare(uow, manifest)
    return done


def _counting(records: Any, name: str, progress: Progress) -> Any:
    count = 0
    for record in records:
        yield record
        count += 1
        if count % 10000 == 0:
            progress(name, count)
    progress(name, count)


def _compare(uow: BulkUnitOfWork, manifest: Manifest) -> None:
    """Read the store back and compare it with the manifest (IntegrityError naming the kind)."""
    for kind in RECORD_KINDS:
        summary = manifest.records[kind.name]
        digest = hashlib.sha256(header_line(kind))
        count = 0
        primitives = card_primitives(uow) if kind.name == "cards" else None
        if primitives is not None:
            for primitive in primitives:
                digest.update(primitive_line(primitive))
                count += 1
        else:
            for record in uow.export_records(kind.name):
                digest.update(record_line(kind, record))
                count += 1
        if count != summary.count:
            raise IntegrityError(
                f"after restore the store holds {count} {kind.name}, the bundle {summary.count}"
            )
        renumbered = kind.name == "audit" and not manifest.whole
        if not renumbered and digest.hexdigest() != summary.sha256:
            raise IntegrityError(f"after restore the store's {kind.name} differ from the bundle's")
    listed = sum(1 for _ in uow.stored_blobs())
    if manifest.whole and listed != manifest.files.count:
        raise IntegrityError(
            f"after restore the store holds {listed} files, the bundle {manifest.files.count}"
        )
