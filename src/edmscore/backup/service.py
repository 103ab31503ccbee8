"""The use cases of backup, restore, import and reconciliation, with the actor's checks.

Who may do what (:class:`~edmscore.access.Permission`): ``backup`` takes bundles of the actor's
own organisation; with ``administer_system`` too, of the whole installation, of any
organisation and incremental ones. ``restore`` with ``administer_system`` restores bundles; into
an empty store the actor is looked up in the restored directory, inside the restore's unit of
work and before it commits, so a refusal restores nothing. ``import_records`` imports a legacy
registry into the actor's own organisation (any organisation with ``administer_system``).
Verifying a bundle reads only the bundle and needs no actor. Checking the file tiers and moving
closed years to the cold tier (a :class:`~edmscore.storage.tiers.TieredBlobStore`) need
``backup`` and ``administer_system``, and are audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from edmscore._ids import new_id
from edmscore.access import AccessPolicy, Actor, ActorRef, Permission, resolve_actor
from edmscore.audit import AuditEvent, FieldChange
from edmscore.backup._bundle import Progress
from edmscore.backup._import import ImportReport, import_registry
from edmscore.backup._manifest import Manifest
from edmscore.backup._reconcile import Reconciliation, reconcile
from edmscore.backup._restore import RestoreReport, restore_bundles, store_is_empty
from edmscore.backup._verify import VerifyReport, verify_bundle
from edmscore.backup._write import write_bundle
from edmscore.backup.ports import BulkStorage, BulkUnitOfWork
from edmscore.clock import Clock, SystemClock
from edmscore.errors import PermissionDenied, ValidationError
from edmscore.storage.tiers import TieredBlobStore, TierReport

__all__ = ["BackupService"]


class BackupService:
    """Backups, restores, legacy imports and reconciliations of one storage."""

    def __init__(
        self,
        storage: BulkStorage,
        clock: Clock | None = None,
        *,
        policy: AccessPolicy | None = None,
    ) -> None:
        self.storage = storage
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.policy = policy if policy is not None else AccessPolicy.legacy_permissive()

    def _actor(self, uow: BulkUnitOfWork, who: ActorRef) -> Actor:
        return resolve_actor(uow.directory, who, self.policy, self.clock.now().date())

    def _require_for(
        self, actor: Actor, permission: Permission, organisation_id: str | None
    ) -> None:
        actor.require(permission)
        if organisation_id == actor.organisation_id:
            return
        if not actor.has(Permission.ADMINISTER_SYSTEM):
            what = "the whole installation" if organisation_id is None else "another organisation"
            raise PermissionDenied(
                Permission.ADMINISTER_SYSTEM.value, what, message=f"{permission.value} of {what}"
            )

    def backup(
        self,
        who: ActorRef,
        target: str | Path,
        *,
        organisation_id: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        since: str | Path | None = None,
        progress: Progress | None = None,
    ) -> Manifest:
        """Write a bundle into the new folder ``target`` (see :func:`.write_bundle`)."""
        with self.storage.unit_of_work() as uow:
            actor = self._actor(uow, who)
            self._require_for(actor, Permission.BACKUP, organisation_id)
            if since is not None and not actor.has(Permission.ADMINISTER_SYSTEM):
                raise PermissionDenied(Permission.ADMINISTER_SYSTEM.value, "incremental backup")
        return write_bundle(
            self.storage,
            target,
            created_at=self.clock.now().isoformat(),
            organisation_id=organisation_id,
            date_from=date_from,
            date_to=date_to,
            since=since,
            progress=progress,
        )

    @staticmethod
    def verify(bundle: str | Path, *, deep: bool = False) -> VerifyReport:
        """Check a bundle without restoring it (no actor: it reads only the bundle)."""
        return verify_bundle(bundle, deep=deep)

    def restore(
        self, who: ActorRef, bundles: Sequence[str | Path], *, progress: Progress | None = None
    ) -> RestoreReport:
        """Restore a whole bundle and the incremental ones after it, all or nothing per bundle."""
        with self.storage.unit_of_work() as uow:
            empty = store_is_empty(uow)
            if not empty:
                self._check_restorer(self._actor(uow, who))

        def authorise(uow: BulkUnitOfWork) -> None:
            if empty:  # the actor is the restored installation's own administrator
                self._check_restorer(self._actor(uow, who))

        return restore_bundles(self.storage, bundles, progress=progress, authorise=authorise)

    @staticmethod
    def _check_restorer(actor: Actor) -> None:
        actor.require(Permission.RESTORE)
        actor.require(Permission.ADMINISTER_SYSTEM)

    def import_registry(
        self,
        who: ActorRef,
        source: str | Path,
        *,
        organisation_id: str | None = None,
        skip_bad: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import a legacy registry into the organisation (the actor's own by default)."""
        with self.storage.unit_of_work() as uow:
            actor = self._actor(uow, who)
            target = organisation_id or actor.organisation_id
            self._require_for(actor, Permission.IMPORT_RECORDS, target)
            report = import_registry(
                uow,
                source,
                target,
                actor_id=actor.id,
                now=self.clock.now(),
                skip_bad=skip_bad,
                progress=progress,
            )
            uow.commit()
        return report

    def reconcile(self, who: ActorRef, source: Any) -> Reconciliation:
        """Compare ``source`` (a bundle, an import folder or another store) with this storage."""
        with self.storage.unit_of_work() as uow:
            actor = self._actor(uow, who)
            self._require_for(actor, Permission.BACKUP, None)
        return reconcile(source, self.storage)

    # --- files on more than one tier -----------------------------------------------------------

    def _tiered(self) -> TieredBlobStore:
        store = getattr(self.storage, "blob_store", None)
        if not isinstance(store, TieredBlobStore):
            raise ValidationError("blob_store", "the storage keeps its files on one tier")
        return store

    def _files_by_year(
        self, uow: BulkUnitOfWork, progress: Progress | None = None
    ) -> dict[str, int]:
        """Each listed file's hash and the latest year a card listing it was registered in."""
        latest: dict[str, int] = {}
        for done, card in enumerate(uow.export_records("cards"), 1):
            if progress is not None and done % 1000 == 0:
                progress("cards", done)
            year = card.registration.date.year
            for ref in card.details.files:
                if latest.get(ref.sha256, 0) < year:
                    latest[ref.sha256] = year
        return latest

    def _audit(self, uow: BulkUnitOfWork, actor: Actor, action: str, **changes: str) -> None:
        uow.audit.append(
            AuditEvent(
                at=self.clock.now(),
                actor_id=actor.id,
                action=action,
                entity_type="files",
                entity_id=new_id(),
                changes=tuple(FieldChange(k, None, v) for k, v in sorted(changes.items())),
            )
        )

    def check_files(
        self, who: ActorRef, *, repair: bool = False, progress: Progress | None = None
    ) -> TierReport:
        """Read every file on every tier back and check its hash (the scheduled verification);
        with ``repair``, write damaged or missing copies again from an intact one. Every file a
        card lists must be on some tier. ``progress`` is told (tier, copies read) as it goes."""
        store = self._tiered()
        with self.storage.unit_of_work() as uow:
            actor = self._actor(uow, who)
            self._require_for(actor, Permission.BACKUP, None)
            listed = set(self._files_by_year(uow, progress))
            report = store.check_tiers(listed, repair=repair, progress=progress)
            self._audit(
                uow,
                actor,
                "check_files",
                ok=str(report.ok),
                repaired=str(len(report.repaired)),
                lost=str(len(report.lost)),
            )
            uow.commit()
        return report

    def move_to_cold(
        self, who: ActorRef, *, through_year: int, progress: Progress | None = None
    ) -> int:
        """Move to the cold tier the files of cards registered in closed years (up to
        ``through_year``, before the current one) that no later card lists; cards do not change
        and reads fall through. How many files moved (``progress`` is told after each)."""
        store = self._tiered()
        if through_year >= self.clock.now().year:
            raise ValidationError("through_year", f"{through_year} is not a closed year")
        with self.storage.unit_of_work() as uow:
            actor = self._actor(uow, who)
            self._require_for(actor, Permission.BACKUP, None)
            latest = self._files_by_year(uow, progress)
            moved = store.move_to_cold(
                (h for h, year in latest.items() if year <= through_year), progress=progress
            )
            self._audit(
                uow, actor, "move_to_cold", through_year=str(through_year), files=str(moved)
            )
            uow.commit()
        return moved
