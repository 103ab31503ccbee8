"""The one function that takes a backup: :func:`write_bundle`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from edmscore.backup._bundle import BundleWriter, Progress
from edmscore.backup._kinds import Slice
from edmscore.backup._manifest import Manifest
from edmscore.backup._verify import verify_bundle
from edmscore.backup.ports import BulkStorage
from edmscore.errors import ValidationError

__all__ = ["write_bundle"]


def _version() -> str:
    """The installed edmscore's version (read from its metadata: importing the package's root
    from here would loop back through the entry point)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("edmscore")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


def write_bundle(
    storage: BulkStorage,
    target: str | Path,
    *,
    created_at: str,
    organisation_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    since: str | Path | None = None,
    progress: Progress | None = None,
) -> Manifest:
    """Write a bundle of ``storage`` into the new folder ``target``; its manifest.

    Everything is read in one unit of work (one consistent view). ``organisation_id`` and the
    period (``date_from``/``date_to``, by registration date) narrow it; ``since`` names an
    earlier bundle of the whole installation (verified first): only what audit events after it
    name (cards, resolutions, assignments, drafts, appeals, dispatches), every record of the
    small kinds (directory, journals, counters, nomenclatures, templates, substitutions), the
    audit events after it and the files the written records name go in.
    """
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError("date_from", "after date_to")
    base = None
    if since is not None:
        base = verify_bundle(since).raise_if_damaged()
        if not base.whole:
            raise ValidationError("since", "an incremental bundle follows a whole one")
    scope = Slice(organisation_id, date_from, date_to)
    with storage.unit_of_work() as uow:
        snapshot = getattr(uow, "consistent_reads", None)
        if snapshot is not None:
            snapshot()
        writer = BundleWriter(
            uow,
            Path(target),
            created_at=created_at,
            edmscore_version=_version(),
            scope=scope,
            base=base,
            progress=progress,
        )
        return writer.write()
