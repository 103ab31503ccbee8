"""Transfer of closed cases to the archive: the use cases over the acceptance acts.

:class:`TransferService` draws up an acceptance act (акт приема-передачи архивных документов на
хранение) over approved inventories, records the act's acceptance — each case it lists becomes
``TRANSFERRED`` with the act's id, and the audit says who, when and what before and after —
and reads the acts back. Every use case needs the ``archive`` permission (the archivist's role)
in the actor's own organisation. The rules are in :mod:`edmscore.archive._transfer`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

import attrs
import pendulum

from edmscore.access import AccessPolicy, Actor, ActorRef, Permission
from edmscore.archive._case_file import CaseFile, CaseState
from edmscore.archive._inventory import Inventory
from edmscore.archive._package_meta import PackageMetadata
from edmscore.archive._transfer import (
    DEFAULT_HOLDING_YEARS,
    TransferAct,
    TransferDestination,
    TransferState,
    check_transferable,
)
from edmscore.archive.transfer_store import TransferStorage, TransferUnitOfWork
from edmscore.clock import Clock
from edmscore.errors import (
    AccessDenied,
    ArchiveStateError,
    PdfaConversionFailed,
    StateError,
    ValidationError,
)
from edmscore.records._base import ServiceBase

__all__ = ["TransferService"]


class TransferService(ServiceBase):
    """Acceptance acts over a storage that keeps the archive and its transfers.

    ``holding_years`` is how long the body keeps permanent cases before the state archive takes
    them (10 for a regional body; a setting).
    """

    storage: TransferStorage

    def __init__(
        self,
        storage: TransferStorage,
        clock: Clock | None = None,
        *,
        policy: AccessPolicy | None = None,
        holding_years: int = DEFAULT_HOLDING_YEARS,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        if isinstance(holding_years, bool) or not isinstance(holding_years, int):
            raise ValidationError("holding_years", "must be an integer")
        self.storage = storage
        self.holding_years = holding_years

    def _archivist(
        self, uow: TransferUnitOfWork, actor: ActorRef
    ) -> tuple[Actor, pendulum.DateTime]:
        now = self._now()
        me = self._actor(uow, actor, now)
        me.require(Permission.ARCHIVE)
        return me, now

    @staticmethod
    def _own(me: Actor, organisation_id: str) -> None:
        if organisation_id != me.organisation_id:
            raise AccessDenied("the archive of another organisation")

    def _cases(
        self,
        uow: TransferUnitOfWork,
        inventory: Inventory,
        destination: TransferDestination,
        on: pendulum.Date,
    ) -> list[CaseFile]:
        """The cases of ``inventory`` that may go now; raise for any that may not."""
        cases = []
        for row in inventory.rows:
            case = uow.archive.find_case_file(row.case_id)
            if case is None:
                continue  # withdrawn from the office since: nothing to hand over
            if case.state in (CaseState.DESTROYED, CaseState.SELECTED):
                continue
            if destination is TransferDestination.DEPARTMENTAL and (
                case.state is CaseState.TRANSFERRED
            ):
                continue  # already in the organisation's archive
            check_transferable(case, inventory, destination, on,
                               holding_years=self.holding_years)  # fmt: skip
            cases.append(case)
        return cases

    # --- reading -------------------------------------------------------------------------------

    def transfer(self, actor: ActorRef, act_id: str) -> TransferAct:
        """An acceptance act of the actor's organisation."""
        with self.storage.unit_of_work() as uow:
            me, _ = self._archivist(uow, actor)
            found = uow.archive_transfers.transfer(act_id)
            self._own(me, found.organisation_id)
            return found

    def transfers(self, actor: ActorRef) -> tuple[TransferAct, ...]:
        """The acceptance acts of the actor's organisation, by id."""
        with self.storage.unit_of_work() as uow:
            me, _ = self._archivist(uow, actor)
            return tuple(uow.archive_transfers.transfers(me.organisation_id))

    # --- writing -------------------------------------------------------------------------------

    def draw_up(
        self,
        actor: ActorRef,
        act_id: str,
        destination: TransferDestination,
        inventory_ids: Iterable[str],
        *,
        number: str,
        archive_name: str,
        basis: str = "",
        fund: str = "",
        copies: int = 2,
    ) -> TransferAct:
        """Draw up the acceptance act handing the cases of ``inventory_ids`` to ``destination``.

        Each inventory must be approved (for the state archive: a permanent inventory the ЭПК
        approved); each case must be closed long enough (a year for the organisation's archive,
        the holding time for the state archive) and not under a legal hold, else
        :class:`~edmscore.errors.ArchiveStateError`. A case already in a draft act is refused.
        """
        if not isinstance(destination, TransferDestination):
            raise ValidationError("destination", "must be a TransferDestination")
        ids = list(inventory_ids)
        if not ids:
            raise ValidationError("inventory_ids", "at least one inventory")
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            today = self._today(now, uow.directory.organisation(me.organisation_id).timezone)
            inventories = [uow.archive.inventory(i) for i in ids]
            pending = {
                case_id
                for act in uow.archive_transfers.transfers(me.organisation_id)
                if act.state is TransferState.DRAFT
                for case_id in act.case_ids
            }
            chosen: dict[str, list[str]] = {}
            for inventory in inventories:
                self._own(me, inventory.organisation_id)
                for case in self._cases(uow, inventory, destination, today):
                    if case.case_id in pending:
                        raise ArchiveStateError(case.index, case.state.value, "transfer",
                                                "already in a draft acceptance act")  # fmt: skip
                    chosen.setdefault(inventory.id, []).append(case.case_id)
            if not chosen:
                raise StateError("the inventories have no case left to hand over")
            act = TransferAct.of_inventories(
                act_id, me.organisation_id, number, destination, archive_name, today,
                inventories, chosen, copies=copies, basis=basis, fund=fund,
            )  # fmt: skip
            stored = uow.archive_transfers.put_transfer(act, 0)
            self._audit(
                uow, me, now, "archive.transfer_drawn_up", "transfer", act_id, {},
                {"destination": destination.value, "cases": act.total,
                 "inventories": ",".join(r.inventory_id for r in act.rows)},
            )  # fmt: skip
            uow.commit()
            return stored

    def accept(
        self,
        actor: ActorRef,
        act_id: str,
        *,
        handed_over_by: str,
        accepted_by: str,
        on: pendulum.Date | None = None,
    ) -> TransferAct:
        """Record the act signed by both sides: each case listed becomes ``TRANSFERRED``.

        The rules are checked again now (a hold placed since the draft stops the transfer).
        """
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            act = uow.archive_transfers.transfer(act_id)
            self._own(me, act.organisation_id)
            today = self._today(now, uow.directory.organisation(me.organisation_id).timezone)
            day = on if on is not None else today
            accepted = act.accepted(handed_over_by, accepted_by, day)
            for row in act.rows:
                inventory = uow.archive.inventory(row.inventory_id)
                for case_id in row.case_ids:
                    case = uow.archive.case_file(case_id)
                    check_transferable(case, inventory, act.destination, day,
                                       holding_years=self.holding_years)  # fmt: skip
                    moved = attrs.evolve(case, state=CaseState.TRANSFERRED, transfer_id=act_id)
                    uow.archive.put_case_file(moved, case.version)
                    self._audit(
                        uow, me, now, "case.transferred", "case", case_id,
                        {"state": case.state.value, "transfer": case.transfer_id or ""},
                        {"state": moved.state.value, "transfer": act_id},
                        f"акт № {act.number}: {act.destination.label}",
                    )  # fmt: skip
            stored = uow.archive_transfers.put_transfer(accepted, act.version)
            self._audit(uow, me, now, "archive.transfer_accepted", "transfer", act_id,
                        {"state": act.state.value}, {"state": stored.state.value})  # fmt: skip
            uow.commit()
            return stored

    # --- electronic transfer packages ------------------------------------------------------

    def package_case(
        self,
        actor: ActorRef,
        case_id: str,
        out: IO[bytes],
        *,
        package_id: str,
        trust_anchors: Iterable[bytes] = (),
        fund: str = "",
    ) -> PackageMetadata:
        """Write the electronic transfer package of a closed case into ``out``.

        Every PDF file of every card filed into the case goes in with its PDF/A rendition and
        the detached signatures recorded for it (:class:`~edmscore.records.CardSignatures`,
        matched by file name); a file that is not a PDF is a
        :class:`~edmscore.errors.PdfaConversionFailed`. The package is audited on the case.
        """
        from edmscore.archive._package_meta import CaseEntry
        from edmscore.archive.package import PackageDocument, build_package, case_entry
        from edmscore.records.signature_service import signature_records

        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            case = uow.archive.case_file(case_id)
            self._own(me, case.organisation_id)
            if case.state is CaseState.OPEN:
                raise ArchiveStateError(case.index, case.state.value, "package", "the case is open")
            organisation = uow.directory.organisation(me.organisation_id).name
            inventory, number = "", ""
            if case.inventory_id is not None:
                found = uow.archive.inventory(case.inventory_id)
                inventory = found.title
                number = next((r.label for r in found.rows if r.case_id == case_id), "")
            entry: CaseEntry = case_entry(case, inventory=inventory, inventory_number=number)
            records = signature_records(uow)

            def documents() -> Iterator[PackageDocument]:
                for filed in case.documents:
                    card = uow.cards.get(filed.card_id)
                    details = card.details
                    author = ", ".join(c.name for c in details.correspondents)
                    signed = [r for r in records.for_card(card.id) if r.signature_sha256]
                    for file in details.files:
                        if file.media_type != "application/pdf" and not file.name.lower().endswith(
                            ".pdf"
                        ):
                            raise PdfaConversionFailed(
                                f"only PDF files convert (card {filed.number})"
                            )
                        signatures = tuple(
                            uow.blobs.get(str(r.signature_sha256))
                            for r in signed
                            if r.file_name in (None, file.name)
                        )
                        yield PackageDocument(
                            card.id, filed.number, filed.date, filed.title,
                            uow.blobs.get(file.sha256), file.name, details.document_kind,
                            author or organisation, signatures,
                        )  # fmt: skip

            metadata = build_package(
                out, package_id=package_id, organisation=organisation,
                organisation_id=me.organisation_id, case=entry, documents=documents(),
                created=now, fund=fund, trust_anchors=trust_anchors,
            )  # fmt: skip
            self._audit(
                uow, me, now, "archive.package_built", "case", case_id, {},
                {"package": package_id, "documents": len(metadata.documents),
                 "files": len(metadata.files())},
            )  # fmt: skip
            uow.commit()
            return metadata


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
