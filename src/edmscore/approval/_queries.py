"""Reading drafts: a draft, its history, the approval sheet, what awaits whom, overdue tasks."""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from edmscore.access import may_see
from edmscore.approval import _machine as machine
from edmscore.approval._enums import DraftState
from edmscore.approval._model import Draft
from edmscore.approval._route import acting_official
from edmscore.approval._service_base import ApprovalBase
from edmscore.approval._sheet import ApprovalSheet, approval_sheet
from edmscore.approval._sheet_pdf import render_approval_sheet
from edmscore.approval._terms import OverdueTask, overdue_signature, overdue_tasks
from edmscore.audit import AuditEvent
from edmscore.directory import User

__all__ = ["ApprovalQueries"]


#: The draft states in which someone owes a visa or a signature.
_OPEN_STATES = frozenset({DraftState.IN_APPROVAL, DraftState.AWAITING_SIGNATURE})


class ApprovalQueries(ApprovalBase):
    """The reading use cases of :class:`~edmscore.approval.ApprovalService`."""

    # --- reading -------------------------------------------------------------------------------

    def get(self, actor: User, draft_id: str) -> Draft:
        """The draft, if ``actor`` may see its card."""
        with self._storage.unit_of_work() as uow:
            return self._load(uow, actor, draft_id)[0]

    def history(self, actor: User, draft_id: str) -> Sequence[AuditEvent]:
        """The draft's audit events, oldest first."""
        with self._storage.unit_of_work() as uow:
            self._load(uow, actor, draft_id)
            return [event for _, event in uow.audit.events(draft_id, limit=100_000)]

    def sheet(self, actor: User, draft_id: str, *, last_cycle_only: bool = False) -> ApprovalSheet:
        """The approval sheet as typed rows."""
        with self._storage.unit_of_work() as uow:
            draft, card = self._load(uow, actor, draft_id)
            organisation = uow.directory.organisation(draft.organisation_id)
            signatory = uow.directory.official(draft.signatory_id)
            return approval_sheet(
                draft,
                organisation=organisation.name,
                document=f"{card.details.document_kind}: {card.details.summary}",
                draft_number=card.number,
                signatory_name=signatory.name.surname_initials,
                timezone=organisation.timezone,
                last_cycle_only=last_cycle_only,
                calendar=self.calendar,
            )

    def sheet_pdf(self, actor: User, draft_id: str, *, last_cycle_only: bool = False) -> bytes:
        """The approval sheet as a PDF (A4)."""
        return render_approval_sheet(self.sheet(actor, draft_id, last_cycle_only=last_cycle_only))

    def awaiting(self, actor: User) -> list[tuple[Draft, int, int]]:
        """Drafts waiting for the actor's visa or signature (or their deputy's).

        Each is (draft, stage index, assignment index); a pending signature is
        ``(draft, len(draft.cycle.stages), 0)`` — one past the last stage.
        """
        self._require_active(actor)
        now = self._now()
        found = []
        with self._storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            day = self._today(now, organisation.timezone)
            subs = uow.substitutions.in_force(organisation.id, day)
            for draft in uow.drafts.list(organisation.id, _OPEN_STATES):
                if not may_see(actor, uow.cards.get(draft.id)):
                    continue
                for s, a, assignment in machine.open_assignments(draft):
                    acting, _ = acting_official(assignment.official_id, day, subs)
                    if actor.official_id in (assignment.official_id, acting):
                        found.append((draft, s, a))
                cycle = draft.cycle
                if draft.state is DraftState.AWAITING_SIGNATURE and cycle is not None:
                    acting, _ = acting_official(cycle.signatory_id, day, subs)
                    if actor.official_id in (cycle.signatory_id, acting):
                        found.append((draft, len(cycle.stages), 0))
        return found

    def overdue(self, actor: User, on: pendulum.Date | None = None) -> list[OverdueTask]:
        """Visas of running stages, and signatures, past their term on the production calendar.

        A signature's task has ``signing`` set (see :func:`~edmscore.approval.overdue_signature`).
        """
        self._require_active(actor)
        now = self._now()
        tasks: list[OverdueTask] = []
        with self._storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            today = on or self._today(now, organisation.timezone)
            zone = organisation.timezone
            for draft in uow.drafts.list(organisation.id, _OPEN_STATES):
                if not may_see(actor, uow.cards.get(draft.id)):
                    continue
                tasks.extend(overdue_tasks(draft, today, self.calendar, zone))
                if draft.state is DraftState.AWAITING_SIGNATURE:
                    name = uow.directory.official(draft.signatory_id).name.surname_initials
                    late = overdue_signature(draft, today, self.calendar, zone, name)
                    if late is not None:
                        tasks.append(late)
        return tasks
