"""The monthly SSTU batch: every appeal whose question status changed in the period, one file each.

An appeal that breaks the format's rules does not stop the batch: it is listed in the result
with the reason, and no partial file is left behind.
"""

from __future__ import annotations

import calendar as _calendar
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

import attrs
import pendulum

from edmscore.appeals._sstu import SstuAttachment, SstuOptions, sstu_appeal, write_sstu
from edmscore.appeals.service import AppealsService
from edmscore.directory import User
from edmscore.errors import SstuError, ValidationError
from edmscore.records.ports import BlobStore

__all__ = ["BatchResult", "export_sstu_batch", "month_period"]


@attrs.frozen
class BatchResult:
    """What a batch wrote, and which appeals it could not export and why."""

    start: pendulum.Date
    end: pendulum.Date
    written: tuple[Path, ...]
    failed: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        """Whether every appeal of the period was exported."""
        return not self.failed


def _opener(blobs: BlobStore) -> Callable[[SstuAttachment], IO[bytes]]:
    def open_blob(attachment: SstuAttachment) -> IO[bytes]:
        return io.BytesIO(blobs.get(attachment.sha256))

    return open_blob


def month_period(year: int, month: int) -> tuple[pendulum.Date, pendulum.Date]:
    """The first and last day of a month."""
    if not 1 <= month <= 12:
        raise ValidationError("month", f"must be 1..12, got {month}")
    return pendulum.Date(year, month, 1), pendulum.Date(
        year, month, _calendar.monthrange(year, month)[1]
    )


def export_sstu_batch(
    service: AppealsService,
    actor: User,
    start: pendulum.Date,
    end: pendulum.Date,
    department_id: str,
    out_dir: Path,
    options: SstuOptions | None = None,
) -> BatchResult:
    """Write ``<registration date>-<appeal id>.json`` into ``out_dir`` for every appeal whose
    status changed in ``[start, end]`` (both inclusive) and that ``actor`` may see."""
    if end < start:
        raise ValidationError("end", "the period ends before it starts")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    failed: list[tuple[str, str]] = []
    for appeal in service.changed_between(actor, start, end):
        target = out_dir / f"{appeal.registered_on.isoformat()}-{appeal.id}.json"
        partial = target.with_suffix(".part")
        try:
            doc = sstu_appeal(appeal, department_id, options)
            with service.appeals_storage.unit_of_work() as uow, partial.open("wb") as out:
                write_sstu(doc, out, _opener(uow.blobs))
            os.replace(partial, target)
            written.append(target)
        except (SstuError, ValidationError) as exc:
            partial.unlink(missing_ok=True)
            failed.append((appeal.number, str(exc)))
    return BatchResult(start, end, tuple(written), tuple(failed))
