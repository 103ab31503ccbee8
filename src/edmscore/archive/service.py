"""The archive's use cases: close the year, inventories, destruction acts, holds, deleted cards.

Every use case takes the acting user, resolves them from the directory, needs the ``archive``
permission (the archivist's role has it) in the actor's own organisation, writes through one unit
of work and leaves audit events: who, when, what before and after.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import attrs
import pendulum

from edmscore.access import AccessPolicy, Actor, ActorRef, Permission
from edmscore.archive._case_file import DEFAULT_VOLUME_SHEETS, CaseFile, CaseState
from edmscore.archive._destruction import (
    ActState,
    Blocked,
    DestructionAct,
    DestructionSelection,
    select_for_destruction,
)
from edmscore.archive._inventory import (
    CommissionApproval,
    Inventory,
    InventoryKind,
    inventory_kind_of,
)
from edmscore.archive._transfer import TransferDestination, TransferState
from edmscore.archive.ports import ArchiveStorage, ArchiveUnitOfWork
from edmscore.clock import Clock
from edmscore.errors import AccessDenied, ArchiveStateError, NotFound, StateError, ValidationError
from edmscore.records._base import ServiceBase
from edmscore.records.ports import CardPage, CardQuery
from edmscore.registry import CardStatus
from edmscore.registry.nomenclature import Case, Nomenclature
from edmscore.registry.retention import RetentionKind

__all__ = ["ArchiveService", "YearEnd"]

#: Fixed terms of personnel records in the standard list (50 years, 75 before 2003).
_PERSONNEL_TERMS = frozenset({50, 75})


#: The states a case may be selected for destruction from (see :func:`select_for_destruction`).
_DESTRUCTIBLE = [CaseState.CLOSED, CaseState.INVENTORIED, CaseState.TRANSFERRED]


def _departmental_acts(uow: ArchiveUnitOfWork, organisation_id: str) -> frozenset[str]:
    """The ids of the accepted acts that handed cases to the organisation's own archive
    (none on a host storage without acceptance acts)."""
    transfers = getattr(uow, "archive_transfers", None)
    if transfers is None:
        return frozenset()
    return frozenset(
        act.id
        for act in transfers.transfers(organisation_id)
        if act.destination is TransferDestination.DEPARTMENTAL
        and act.state is TransferState.ACCEPTED
    )


@attrs.frozen
class YearEnd:
    """What a year-end run did: cases closed and carried over, inventories, the act, blocks."""

    year: int
    closed: tuple[CaseFile, ...]
    carried_over: tuple[CaseFile, ...]
    inventories: tuple[Inventory, ...] = ()
    act: DestructionAct | None = None
    blocked: tuple[Blocked, ...] = ()
    #: Why no act was drawn up though cases had run out (inventories not yet approved…).
    act_refused: str = ""


def _is_personnel(case: Case, personnel: Collection[str]) -> bool:
    if case.id in personnel:
        return True
    period = case.retention
    return period.kind is RetentionKind.YEARS and period.years in _PERSONNEL_TERMS


class ArchiveService(ServiceBase):
    """The archive's use cases over an :class:`~edmscore.archive.ports.ArchiveStorage`.

    ``volume_sheets`` is the sheet limit of a volume (250 by the records rules).
    """

    storage: ArchiveStorage

    def __init__(
        self,
        storage: ArchiveStorage,
        clock: Clock | None = None,
        *,
        policy: AccessPolicy | None = None,
        volume_sheets: int = DEFAULT_VOLUME_SHEETS,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        self.storage = storage
        self.volume_sheets = volume_sheets

    # --- helpers -------------------------------------------------------------------------------

    def _archivist(
        self, uow: ArchiveUnitOfWork, actor: ActorRef
    ) -> tuple[Actor, pendulum.DateTime]:
        now = self._now()
        me = self._actor(uow, actor, now)
        me.require(Permission.ARCHIVE)
        return me, now

    @staticmethod
    def _own(me: Actor, organisation_id: str) -> None:
        if organisation_id != me.organisation_id:
            raise AccessDenied("the archive of another organisation")

    def _day(self, uow: ArchiveUnitOfWork, me: Actor, now: pendulum.DateTime) -> pendulum.Date:
        """Today in the organisation's time zone."""
        return self._today(now, uow.directory.organisation(me.organisation_id).timezone)

    def _fresh(
        self, uow: ArchiveUnitOfWork, organisation_id: str, case: Case, year: int
    ) -> CaseFile:
        """The stored case file of ``case``, or a new open one."""
        stored = uow.archive.find_case_file(case.id)
        if stored is not None:
            return stored
        return self._new_file(organisation_id, case, year)

    def _new_file(self, organisation_id: str, case: Case, year: int) -> CaseFile:
        """A new open case file of ``case``."""
        return CaseFile(
            case.id, organisation_id, year, case.index, case.title, case.retention,
            carried_over_from=case.carried_over_from, carried_over_to=case.carried_over_to,
            volume_sheets=self.volume_sheets, notes=case.notes,
        )  # fmt: skip

    @staticmethod
    def _state_audit(case: CaseFile) -> dict[str, object]:
        return {"state": case.state.value, "index": case.index, "hold": case.hold}

    # --- reading -------------------------------------------------------------------------------

    def case_file(self, actor: ActorRef, case_id: str) -> CaseFile:
        """The case file as it stands: an open case with the documents filed into it so far."""
        with self.storage.unit_of_work() as uow:
            me, _ = self._archivist(uow, actor)
            nomenclature, case = uow.nomenclatures.find_case(case_id)
            self._own(me, nomenclature.organisation_id)
            found = self._fresh(uow, nomenclature.organisation_id, case, nomenclature.year)
            if found.state is CaseState.OPEN:
                documents = uow.archive.filed_documents(found.organisation_id, [case_id])
                found = attrs.evolve(found, documents=documents.get(case_id, ()))
            return found

    def case_files(
        self, actor: ActorRef, *, years: Collection[int] | None = None
    ) -> tuple[CaseFile, ...]:
        """The stored case files of the actor's organisation (of ``years``)."""
        with self.storage.unit_of_work() as uow:
            me, _ = self._archivist(uow, actor)
            return tuple(uow.archive.case_files(me.organisation_id, years=years))

    def inventory(self, actor: ActorRef, inventory_id: str) -> Inventory:
        """An inventory of the actor's organisation."""
        with self.storage.unit_of_work() as uow:
            me, _ = self._archivist(uow, actor)
            found = uow.archive.inventory(inventory_id)
            self._own(me, found.organisation_id)
            return found

    def act(self, actor: ActorRef, act_id: str) -> DestructionAct:
        """A destruction act of the actor's organisation."""
        with self.storage.unit_of_work() as uow:
            me, _ = self._archivist(uow, actor)
            found = uow.archive.act(act_id)
            self._own(me, found.organisation_id)
            return found

    def acts(self, actor: ActorRef) -> tuple[DestructionAct, ...]:
        """The destruction acts of the actor's organisation, by id."""
        with self.storage.unit_of_work() as uow:
            me, _ = self._archivist(uow, actor)
            return tuple(uow.archive.acts(me.organisation_id))

    def inventories(self, actor: ActorRef) -> tuple[Inventory, ...]:
        """The inventories of the actor's organisation, by id."""
        with self.storage.unit_of_work() as uow:
            me, _ = self._archivist(uow, actor)
            return tuple(uow.archive.inventories(me.organisation_id))

    def deleted_cards(self, actor: ActorRef, query: CardQuery) -> CardPage:
        """Cards deleted from registration in the actor's organisation, for archivists only.

        ``query`` filters as in a card search (text, dates, journal, case…); its statuses are
        replaced by «deleted». Each listed card is audited as read by the archivist.
        """
        if not isinstance(query, CardQuery):
            raise ValidationError("query", "must be a CardQuery")
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            query = attrs.evolve(
                query, organisation_id=me.organisation_id, statuses=frozenset({CardStatus.DELETED})
            )
            page = uow.cards.query(query, me.scope())
            ids = ",".join(card.id for card in page.items)
            self._audit(uow, me, now, "archive.deleted_listed", "organisation",
                        me.organisation_id, {}, {"cards": ids})  # fmt: skip
            uow.commit()
            return page

    # --- the year end --------------------------------------------------------------------------

    def close_year(self, actor: ActorRef, year: int, *, personnel: Collection[str] = ()) -> YearEnd:
        """Close the organisation's cases of ``year`` on 31 December, building their files.

        Cases carried over to a later year stay open; cases of the year before carried over into
        ``year`` close now. ``personnel`` names cases of personnel records besides those with the
        standard list's personnel terms (50 or 75 years).
        """
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            organisation_id = me.organisation_id
            on = pendulum.date(year, 12, 31)
            work: list[tuple[Nomenclature, int, Case]] = []
            found = uow.nomenclatures.find(organisation_id, year)
            if found is None:
                raise NotFound("nomenclature", (organisation_id, year))
            nomenclatures = {found[0].id: found}
            work += [(found[0], found[1], case) for case in found[0].cases]
            earlier = uow.nomenclatures.find(organisation_id, year - 1)
            if earlier is not None:
                nomenclatures[earlier[0].id] = earlier
                work += [
                    (earlier[0], earlier[1], case)
                    for case in earlier[0].cases
                    if case.carried_over_to == year and not case.is_closed
                ]
            case_ids = [case.id for _, _, case in work]
            documents = uow.archive.filed_documents(organisation_id, case_ids)
            stored = uow.archive.find_case_files(case_ids)
            changes: list[tuple[CaseFile, int]] = []
            closes: list[bool] = []
            closing_ids: dict[str, list[str]] = {}
            for nomenclature, _, case in work:
                current = stored.get(case.id) or self._new_file(
                    organisation_id, case, nomenclature.year
                )
                if current.state is not CaseState.OPEN:
                    continue
                updated = attrs.evolve(
                    current,
                    documents=documents.get(case.id, ()),
                    personnel=_is_personnel(case, personnel),
                )
                if case.carried_over_to is not None and case.carried_over_to > year:
                    changes.append((updated, current.version))
                    closes.append(False)
                    continue
                if not case.is_closed:
                    closing_ids.setdefault(nomenclature.id, []).append(case.id)
                closing = case.closed_on or on
                updated = attrs.evolve(updated, state=CaseState.CLOSED, closed_on=closing)
                changes.append((updated, current.version))
                closes.append(True)
            written = uow.archive.put_case_files(changes)
            closed = [case for case, closes_now in zip(written, closes, strict=True) if closes_now]
            carried = [
                case for case, closes_now in zip(written, closes, strict=True) if not closes_now
            ]
            for nomenclature_id, ids in closing_ids.items():
                nomenclature, version = nomenclatures[nomenclature_id]
                uow.nomenclatures.update(nomenclature.close_cases(ids, on), version)
            self._audit(
                uow, me, now, "archive.year_closed", "organisation", organisation_id, {},
                {"year": year, "closed": len(closed), "carried_over": len(carried)},
            )  # fmt: skip
            uow.commit()
            return YearEnd(year, tuple(closed), tuple(carried))

    def draw_up_inventory(
        self,
        actor: ActorRef,
        inventory_id: str,
        kind: InventoryKind,
        year: int,
        *,
        number: str = "1",
        start: int | None = None,
    ) -> Inventory:
        """The annual inventory of ``kind`` for the closed cases of ``year`` not yet listed.

        Numbers continue the organisation's earlier inventories of the kind unless ``start``.
        """
        if not isinstance(kind, InventoryKind):
            raise ValidationError("kind", "must be an InventoryKind")
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            closed = uow.archive.case_files(
                me.organisation_id, years=[year], states=[CaseState.CLOSED]
            )
            stored = self._draw_up_inventory(
                uow, me, now, inventory_id, kind, year, closed, number, start
            )
            uow.commit()
            return stored

    def _draw_up_inventory(
        self,
        uow: ArchiveUnitOfWork,
        me: Actor,
        now: pendulum.DateTime,
        inventory_id: str,
        kind: InventoryKind,
        year: int,
        closed: Iterable[CaseFile],
        number: str,
        start: int | None,
    ) -> Inventory:
        """Draw up the inventory of ``kind`` over the ``closed`` cases of ``year`` (listed once)."""
        organisation_id = me.organisation_id
        cases = [case for case in closed if inventory_kind_of(case) is kind]
        if not cases:
            raise StateError(f"no closed {kind.value} cases of {year} to list")
        if start is None:
            earlier = [i for i in uow.archive.inventories(organisation_id) if i.kind is kind]
            start = max((i.last_number for i in earlier), default=0) + 1
        today = self._day(uow, me, now)
        inventory = Inventory.of_cases(
            inventory_id, organisation_id, kind, number, cases, today, start=start
        )
        stored = uow.archive.put_inventory(inventory, 0)
        uow.archive.put_case_files(
            [
                (attrs.evolve(case, state=CaseState.INVENTORIED, inventory_id=inventory_id),
                 case.version)
                for case in cases
            ]
        )  # fmt: skip
        self._audit(
            uow, me, now, "archive.inventory_drawn_up", "inventory", inventory_id, {},
            {"kind": kind.value, "year": year, "cases": len(cases)},
        )  # fmt: skip
        return stored

    def approve_inventory(
        self, actor: ActorRef, inventory_id: str, approval: CommissionApproval
    ) -> Inventory:
        """Record the expert commission's approval of an inventory (by its minutes)."""
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            inventory = uow.archive.inventory(inventory_id)
            self._own(me, inventory.organisation_id)
            stored = uow.archive.put_inventory(inventory.approved(approval), inventory.version)
            self._audit(
                uow, me, now, "archive.inventory_approved", "inventory", inventory_id, {},
                {"approval": approval.text},
            )  # fmt: skip
            uow.commit()
            return stored

    def consolidate(
        self, actor: ActorRef, inventory_id: str, inventory_ids: Iterable[str], *, number: str
    ) -> Inventory:
        """A consolidated inventory over several years' approved inventories of one kind."""
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            parts = [uow.archive.inventory(i) for i in inventory_ids]
            for part in parts:
                self._own(me, part.organisation_id)
            inventory = Inventory.consolidated(inventory_id, number, parts, self._day(uow, me, now))
            stored = uow.archive.put_inventory(inventory, 0)
            self._audit(
                uow, me, now, "archive.inventory_consolidated", "inventory", inventory_id, {},
                {"parts": ",".join(p.id for p in parts)},
            )  # fmt: skip
            uow.commit()
            return stored

    # --- holds ---------------------------------------------------------------------------------

    def place_hold(self, actor: ActorRef, case_id: str, reason: str) -> CaseFile:
        """Keep a case from destruction (a court's or an inspector's request…) until lifted."""
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a legal hold needs its reason")
        return self._set_hold(actor, case_id, reason.strip())

    def lift_hold(self, actor: ActorRef, case_id: str) -> CaseFile:
        """Lift a case's legal hold."""
        return self._set_hold(actor, case_id, None)

    def _set_hold(self, actor: ActorRef, case_id: str, reason: str | None) -> CaseFile:
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            nomenclature, case = uow.nomenclatures.find_case(case_id)
            self._own(me, nomenclature.organisation_id)
            current = self._fresh(uow, nomenclature.organisation_id, case, nomenclature.year)
            gone = current.state is CaseState.DESTROYED or (
                current.state is CaseState.TRANSFERRED
                and current.transfer_id not in _departmental_acts(uow, current.organisation_id)
            )
            if gone:  # a case in the organisation's own archive can still be held
                raise ArchiveStateError(case.index, current.state.value, "hold", "too late")
            stored = uow.archive.put_case_file(attrs.evolve(current, hold=reason), current.version)
            action = "archive.hold_placed" if reason is not None else "archive.hold_lifted"
            self._audit(uow, me, now, action, "case", case_id, self._state_audit(current),
                        self._state_audit(stored))  # fmt: skip
            uow.commit()
            return stored

    # --- destruction ---------------------------------------------------------------------------

    def candidates(
        self, actor: ActorRef, act_year: int, *, epk_agreed: bool = False
    ) -> DestructionSelection:
        """The cases an act for ``act_year`` would list, and the expired ones it would leave out."""
        with self.storage.unit_of_work() as uow:
            me, _ = self._archivist(uow, actor)
            return self._selection(uow, me.organisation_id, act_year, epk_agreed)

    @staticmethod
    def _selection(
        uow: ArchiveUnitOfWork, organisation_id: str, act_year: int, epk_agreed: bool
    ) -> DestructionSelection:
        candidates = uow.archive.case_files(organisation_id, states=_DESTRUCTIBLE)
        controlled = uow.archive.cases_under_control(
            organisation_id, [c.case_id for c in candidates]
        )
        return select_for_destruction(
            candidates,
            act_year,
            epk_agreed=epk_agreed,
            controlled=controlled,
            departmental=_departmental_acts(uow, organisation_id),
        )

    def draw_up_act(
        self,
        actor: ActorRef,
        act_id: str,
        act_year: int,
        *,
        number: str,
        agreement: CommissionApproval | None = None,
    ) -> tuple[DestructionAct, tuple[Blocked, ...]]:
        """The destruction act of the cases whose term ran out by 1 January of ``act_year``.

        Cases under a legal hold or open control are left out, and «ЭПК»-marked ones unless the
        commission's ``agreement`` is given; they come back as :class:`Blocked`. The permanent
        inventories of every year a listed case comes from must be approved first.
        """
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            drawn = self._draw_up_act(uow, me, now, act_id, act_year, number, agreement)
            if drawn is None:
                raise StateError(f"no case has run out by 1 January {act_year}")
            uow.commit()
            return drawn

    def _draw_up_act(
        self,
        uow: ArchiveUnitOfWork,
        me: Actor,
        now: pendulum.DateTime,
        act_id: str,
        act_year: int,
        number: str,
        agreement: CommissionApproval | None,
    ) -> tuple[DestructionAct, tuple[Blocked, ...]] | None:
        """Draw up the act in ``uow``; None when no case has run out."""
        organisation_id = me.organisation_id
        listed = uow.archive.case_files(organisation_id, states=_DESTRUCTIBLE)
        controlled = uow.archive.cases_under_control(organisation_id, [c.case_id for c in listed])
        selection = select_for_destruction(
            listed,
            act_year,
            epk_agreed=agreement is not None,
            controlled=controlled,
            departmental=_departmental_acts(uow, organisation_id),
        )
        if not selection.cases:
            return None
        inventories = uow.archive.inventories(organisation_id)
        self._check_inventories(selection.cases, listed, inventories)
        act = DestructionAct.of_cases(
            act_id, organisation_id, number, act_year, self._day(uow, me, now), selection.cases,
            inventories, agreement,
        )  # fmt: skip
        stored = uow.archive.put_act(act, 0)
        uow.archive.put_case_files(
            [
                (attrs.evolve(case, state=CaseState.SELECTED, act_id=act_id), case.version)
                for case in selection.cases
            ]
        )
        self._audit(
            uow, me, now, "archive.act_drawn_up", "act", act_id, {},
            {"cases": len(selection.cases), "blocked": len(selection.blocked)},
        )  # fmt: skip
        return stored, selection.blocked

    @staticmethod
    def _check_inventories(
        cases: Iterable[CaseFile], listed: Iterable[CaseFile], inventories: Iterable[Inventory]
    ) -> None:
        """Every year of the act with permanent cases (among those still kept in the office,
        ``listed``) has an approved permanent inventory."""
        years = {case.year for case in cases}
        approved = {
            year
            for i in inventories
            if i.kind is InventoryKind.PERMANENT and i.is_approved
            for year in i.years
        }
        permanent_years = {
            case.year
            for case in listed
            if case.year in years and inventory_kind_of(case) is InventoryKind.PERMANENT
        }
        missing = sorted(permanent_years - approved)
        if missing:
            raise StateError(
                "the permanent inventories of "
                + ", ".join(str(y) for y in missing)
                + " must be approved before an act for those years"
            )

    def approve_act(
        self, actor: ActorRef, act_id: str, *, approved_by: str, on: pendulum.Date
    ) -> DestructionAct:
        """Record the head's approval of the act (who and on which date)."""
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            act = uow.archive.act(act_id)
            self._own(me, act.organisation_id)
            stored = uow.archive.put_act(act.approved(approved_by, on), act.version)
            self._audit(uow, me, now, "archive.act_approved", "act", act_id,
                        {"state": act.state.value}, {"state": stored.state.value})  # fmt: skip
            uow.commit()
            return stored

    def destroy(
        self, actor: ActorRef, act_id: str, *, remove_files: bool = False
    ) -> DestructionAct:
        """Carry out an approved act: its cases destroyed, their cards marked in the audit.

        Checked again now: no case under a legal hold or open control, none before its term.
        ``remove_files`` takes the electronic files off the cards (the policy of the
        organisation); otherwise they stay, and only the cases' state changes.
        """
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            act = uow.archive.act(act_id)
            self._own(me, act.organisation_id)
            if act.state is not ActState.APPROVED:
                raise StateError(f"act {act.number} is {act.state.value}, not approved")
            today = self._day(uow, me, now)
            case_ids = [row.case_id for row in act.rows]
            controlled = uow.archive.cases_under_control(act.organisation_id, case_ids)
            found = uow.archive.find_case_files(case_ids)
            changes: list[tuple[CaseFile, int]] = []
            for row in act.rows:
                case = found.get(row.case_id)
                if case is None:
                    raise NotFound("case file", row.case_id)
                self._check_destroyable(case, act_id, today, row.case_id in controlled)
                destroyed = attrs.evolve(case, state=CaseState.DESTROYED)
                changes.append((destroyed, case.version))
                self._audit(uow, me, now, "case.destroyed", "case", case.case_id,
                            self._state_audit(case), self._state_audit(destroyed),
                            f"акт № {act.number}")  # fmt: skip
                for document in case.documents:
                    self._mark_card(uow, me, now, document.card_id, act, remove_files)
            uow.archive.put_case_files(changes)
            stored = uow.archive.put_act(
                act.executed(me.id, today, files_removed=remove_files), act.version
            )
            uow.commit()
            return stored

    @staticmethod
    def _check_destroyable(
        case: CaseFile, act_id: str, today: pendulum.Date, controlled: bool
    ) -> None:
        if case.state is not CaseState.SELECTED or case.act_id != act_id:
            raise ArchiveStateError(case.index, case.state.value, "destroy", "not in this act")
        if case.hold is not None:
            raise ArchiveStateError(case.index, case.state.value, "destroy", "under a legal hold")
        if controlled:
            raise ArchiveStateError(case.index, case.state.value, "destroy", "under open control")
        disposal = case.disposal_year
        if disposal is None or disposal > today.year:
            raise ArchiveStateError(case.index, case.state.value, "destroy", "term not run out")

    def _mark_card(
        self,
        uow: ArchiveUnitOfWork,
        me: Actor,
        now: pendulum.DateTime,
        card_id: str,
        act: DestructionAct,
        remove_files: bool,
    ) -> None:
        card = uow.cards.get(card_id)
        before = {"files": len(card.details.files)}
        if remove_files and card.details.files:
            changed = attrs.evolve(card, details=attrs.evolve(card.details, files=()))
            uow.cards.update(changed, card.version)
        after = {"files": 0 if remove_files else len(card.details.files)}
        self._audit(uow, me, now, "card.destroyed", "card", card_id, before, after,
                    f"акт № {act.number}")  # fmt: skip

    # --- the whole year-end run ------------------------------------------------------------------

    def year_end(
        self,
        actor: ActorRef,
        year: int,
        *,
        id_prefix: str,
        act_year: int | None = None,
        personnel: Collection[str] = (),
    ) -> YearEnd:
        """Close ``year``, draw up its inventories (each kind that has cases), and the
        destruction act for ``act_year`` (default: the next year) if any case has run out."""
        closing = self.close_year(actor, year, personnel=personnel)
        kinds = {inventory_kind_of(case) for case in closing.closed} - {None}
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            closed = uow.archive.case_files(
                me.organisation_id, years=[year], states=[CaseState.CLOSED]
            )
            inventories = [
                self._draw_up_inventory(
                    uow,
                    me,
                    now,
                    f"{id_prefix}-{kind.value}-{year}",
                    kind,
                    year,
                    closed,
                    "1",
                    None,
                )
                for kind in InventoryKind
                if kind in kinds
            ]
            uow.commit()
        target = act_year or year + 1
        act: DestructionAct | None = None
        blocked: tuple[Blocked, ...] = ()
        refused = ""
        with self.storage.unit_of_work() as uow:
            me, now = self._archivist(uow, actor)
            try:
                drawn = self._draw_up_act(
                    uow, me, now, f"{id_prefix}-act-{target}", target, f"{target}-1", None
                )
            except StateError as error:  # the inventories of those years are not approved yet
                refused = str(error)
                drawn = None
            if drawn is not None:
                act, blocked = drawn
                uow.commit()
        return attrs.evolve(
            closing, inventories=tuple(inventories), act=act, blocked=blocked, act_refused=refused
        )
