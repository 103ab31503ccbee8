"""The monthly SSTU batch: every appeal whose question status changed in the period, one file each.

An appeal that breaks the format's rules does not stop the batch: it is listed in the result
with the reason, and no partial file is left behind.

The export needs ``handle_appeals``: it takes the appeals of the actor's organisation that they
may see (the storage filters by their scope) and exports those of the departments their
``handle_appeals`` covers; any other is listed in the result as not exported. Exporting the
appeal of a ДСП card is audited (``appeal.exported``).
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

from edmscore.access import ActorRef, Permission
from edmscore.appeals import _steps as steps
from edmscore.appeals._model import Appeal
from edmscore.appeals._sstu import SstuAttachment, SstuOptions, sstu_appeal, write_sstu
from edmscore.appeals.service import AppealsService
from edmscore.errors import SstuError, ValidationError
from edmscore.records.ports import BlobStore
from edmscore.registry import RegistrationCard

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
    actor: ActorRef,
    start: pendulum.Date,
    end: pendulum.Date,
    department_id: str,
    out_dir: Path,
    options: SstuOptions | None = None,
) -> BatchResult:
    """Write ``<registration date>-<appeal id>.json`` into ``out_dir`` for every appeal whose
    status changed in ``[start, end]`` (both inclusive) and that ``actor`` may see.

    Needs ``handle_appeals``; an appeal of a department it does not cover is listed as failed.
    ``department_id`` is the body's id in SSTU.
    """
    if end < start:
        raise ValidationError("end", "the period ends before it starts")
    ctx = service.context
    now = ctx.clock.now()
    with ctx.storage.unit_of_work() as uow:
        me = steps.acting(ctx, uow, actor, now)
        me.require_somewhere(Permission.HANDLE_APPEALS)
        found = uow.appeals.changed_between(me.organisation_id, start, end, me.scope())
        chosen: list[tuple[Appeal, RegistrationCard]] = [
            (appeal, uow.cards.get(appeal.card_id)) for appeal in found
        ]
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    failed: list[tuple[str, str]] = []
    for appeal, card in chosen:
        if not me.has(Permission.HANDLE_APPEALS, card.details.department_id):
            failed.append((appeal.number, "the permission 'handle_appeals' does not cover it"))
            continue
        target = out_dir / f"{appeal.registered_on.isoformat()}-{appeal.id}.json"
        partial = target.with_suffix(".part")
        try:
            doc = sstu_appeal(appeal, department_id, options)
            with ctx.storage.unit_of_work() as uow, partial.open("wb") as out:
                write_sstu(doc, out, _opener(uow.blobs))
                steps.audit_read(uow, me, now, "appeal.exported", card, appeal)
                uow.commit()
            os.replace(partial, target)
            written.append(target)
        except (SstuError, ValidationError) as exc:
            partial.unlink(missing_ok=True)
            failed.append((appeal.number, str(exc)))
    return BatchResult(start, end, tuple(written), tuple(failed))
