"""The control service: resolutions, assignments and execution control over a ControlStorage.

Each public method delegates to one use case written top to bottom in a topic module:
:mod:`~edmscore.control._commands` (impose, pass down, report, acknowledge, accept, return,
cancel), :mod:`~edmscore.control._deadline_commands` (extensions, deadline changes, periodic
items), :mod:`~edmscore.control._queries` (reading, searches, trees, control lists, the summary)
and :mod:`~edmscore.control._discipline_use_case` (the discipline report). The steps they share are
functions in :mod:`~edmscore.control._steps`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

import pendulum

from edmscore.access import AccessPolicy, ActorRef
from edmscore.audit import AuditEvent
from edmscore.calendar import (
    DeadlineMove,
    DeadlinePolicy,
    ProductionCalendar,
    instruction_presets,
    russian_calendar,
)
from edmscore.clock import Clock
from edmscore.control import (
    _acquaintance_commands,
    _commands,
    _deadline_commands,
    _discipline_use_case,
    _draft_commands,
    _queries,
    _recompute,
)
from edmscore.control._acquaintance import AcquaintanceSheet
from edmscore.control._acquaintance_commands import AcquaintanceLine, ReminderDue
from edmscore.control._discipline import DisciplineReport
from edmscore.control._drafting import DraftAction, ResolutionDraft
from edmscore.control._model import Assignment, Resolution
from edmscore.control._requests import (
    ControlItem,
    ControlSummary,
    ItemRequest,
    Progress,
    ReportFile,
    ResolutionRequest,
)
from edmscore.control._steps import ControlContext
from edmscore.control.ports import AssignmentPage, AssignmentQuery, ControlStorage
from edmscore.directory import Power
from edmscore.records._base import ServiceBase

__all__ = ["ControlService"]


class ControlService(ServiceBase):
    """Every control use case over a :class:`~edmscore.control.ControlStorage`.

    ``ControlService(storage, clock, calendar, policy=...)``: the calendar defaults to the
    federal production calendar of Russia (years without a decree on the Labour Code), the policy to
    :meth:`AccessPolicy.legacy_permissive` (the migration default). Every use case takes the
    acting user (:data:`~edmscore.access.ActorRef`) and loads them from the directory.

    Permissions: :meth:`impose` needs ``impose_resolution`` (for the card's department);
    :meth:`pass_down`, :meth:`report`, :meth:`acknowledge`, :meth:`request_extension`
    ``execute``; :meth:`accept`, :meth:`return_for_rework`, :meth:`cancel`,
    :meth:`decide_extension`, :meth:`set_deadline`, :meth:`generate_occurrences` ``control``;
    the reading ones (:meth:`get`, :meth:`query`, :meth:`assignments`, :meth:`subtree`,
    :meth:`progress`, :meth:`overdue`, :meth:`due_soon`, :meth:`summary`, :meth:`history`…)
    ``read``; :meth:`discipline` ``read_reports``.
    """

    _power = Power.CONTROL

    storage: ControlStorage

    def __init__(
        self,
        storage: ControlStorage,
        clock: Clock | None = None,
        calendar: ProductionCalendar | None = None,
        *,
        policy: AccessPolicy | None = None,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        self.storage = storage
        self.calendar = (
            calendar if calendar is not None else russian_calendar(include_provisional=True)
        )

    @property
    def _ctx(self) -> ControlContext:
        """What the use cases need, from this service's current dependencies."""
        return ControlContext(self.storage, self.clock, self.calendar, self.policy)

    # --- resolutions and execution -------------------------------------------------------------

    def impose(self, actor: ActorRef, request: ResolutionRequest) -> Resolution:
        """Impose a resolution on a card: store it and one assignment per item.

        The actor may be the author or a clerk entering the author's resolution; the audit
        records who did it. Items on control put the card on control.
        """
        return _commands.impose(self._ctx, actor, request)

    def pass_down(
        self, actor: ActorRef, parent_id: str, text: str, items: Sequence[ItemRequest]
    ) -> Resolution:
        """A sub-resolution: the parent's executor passes the assignment down to others.

        Every new deadline must not be later than the parent's
        (:class:`~edmscore.errors.DeadlineAfterParent`); the parent must be open.
        """
        return _commands.pass_down(self._ctx, actor, parent_id, text, items)

    def report(
        self,
        actor: ActorRef,
        assignment_id: str,
        expected_version: int,
        text: str,
        files: Sequence[ReportFile] = (),
    ) -> Assignment:
        """An execution report by one of the executors.

        The responsible executor's report completes the assignment: it goes to the controller
        (REPORTED) when on control, or is done at once. A co-executor's report is recorded.
        The responsible executor cannot complete it while a sub-assignment on control is open.
        """
        return _commands.report(self._ctx, actor, assignment_id, expected_version, text, files)

    def acknowledge(self, actor: ActorRef, assignment_id: str, expected_version: int) -> Assignment:
        """An executor acknowledges an assignment «к сведению»: it is done."""
        return _commands.acknowledge(self._ctx, actor, assignment_id, expected_version)

    def accept(self, actor: ActorRef, assignment_id: str, expected_version: int) -> Assignment:
        """The controller accepts the report: the assignment leaves control (снять с контроля)."""
        return _commands.accept(self._ctx, actor, assignment_id, expected_version)

    def return_for_rework(
        self, actor: ActorRef, assignment_id: str, expected_version: int, reason: str
    ) -> Assignment:
        """The controller returns the report with a reason: the assignment is open again."""
        return _commands.return_for_rework(
            self._ctx, actor, assignment_id, expected_version, reason
        )

    def cancel(
        self, actor: ActorRef, assignment_id: str, expected_version: int, reason: str
    ) -> Assignment:
        """The author cancels the assignment, and with it every open one below it."""
        return _commands.cancel(self._ctx, actor, assignment_id, expected_version, reason)

    # --- deadlines -----------------------------------------------------------------------------

    def request_extension(
        self,
        actor: ActorRef,
        assignment_id: str,
        expected_version: int,
        new_due: dt.date,
        reason: str,
    ) -> Assignment:
        """An executor asks to move the deadline (перенос срока), giving a reason."""
        return _deadline_commands.request_extension(
            self._ctx, actor, assignment_id, expected_version, new_due, reason
        )

    def decide_extension(
        self,
        actor: ActorRef,
        assignment_id: str,
        expected_version: int,
        approve: bool,
        comment: str = "",
    ) -> Assignment:
        """Who set the deadline approves (the deadline moves) or rejects the pending request."""
        return _deadline_commands.decide_extension(
            self._ctx, actor, assignment_id, expected_version, approve, comment
        )

    def set_deadline(
        self,
        actor: ActorRef,
        assignment_id: str,
        expected_version: int,
        new_due: dt.date,
        reason: str,
        *,
        provisional: bool = False,
    ) -> Assignment:
        """Who set the deadline changes it directly; kept in the deadline history.

        ``provisional`` marks a date counted elsewhere into a year without its decree (an
        appeal's extended term); a date a person chose is exact.
        """
        return _deadline_commands.set_deadline(
            self._ctx, actor, assignment_id, expected_version, new_due, reason,
            provisional=provisional,
        )  # fmt: skip

    def generate_occurrences(
        self, actor: ActorRef, assignment_id: str, through: dt.date
    ) -> list[Assignment]:
        """Create the occurrences of a periodic assignment for every period begun by ``through``.

        Each occurrence reports on one period and has its own deadline by the schedule's policy;
        ones already generated are not repeated. Returns the new occurrences.
        """
        return _deadline_commands.generate_occurrences(self._ctx, actor, assignment_id, through)

    def recompute_provisional(
        self,
        actor: ActorRef,
        due_from: dt.date,
        due_to: dt.date,
        policies: Mapping[str, DeadlinePolicy] | None = None,
    ) -> tuple[DeadlineMove, ...]:
        """Recount the provisional deadlines due in ``[due_from, due_to]`` on this service's
        calendar (built with the decree now loaded); each is returned, moved or not.

        ``policies`` maps a deadline's basis code to its policy (default: the instruction
        presets and «без срока»); moved deadlines enter the history, every change is audited.
        """
        known = dict(policies) if policies is not None else dict(instruction_presets())
        return _recompute.recompute_provisional(self._ctx, actor, due_from, due_to, known)

    # --- reading -------------------------------------------------------------------------------

    def get(self, actor: ActorRef, assignment_id: str) -> Assignment:
        """The assignment; :class:`NotFound` alike for a missing one and one the actor may not
        see (on a card hidden from them)."""
        return _queries.get(self._ctx, actor, assignment_id)

    def resolution(self, actor: ActorRef, resolution_id: str) -> Resolution:
        """The resolution (NotFound alike for a missing and a hidden one)."""
        return _queries.resolution(self._ctx, actor, resolution_id)

    def resolutions_of(self, actor: ActorRef, card_id: str) -> Sequence[Resolution]:
        """The card's resolutions and sub-resolutions, oldest first."""
        return _queries.resolutions_of(self._ctx, actor, card_id)

    def history(self, actor: ActorRef, assignment_id: str) -> Sequence[AuditEvent]:
        """The assignment's audit events, oldest first."""
        return _queries.history(self._ctx, actor, assignment_id)

    def query(self, actor: ActorRef, query: AssignmentQuery) -> AssignmentPage:
        """One page of assignments the actor may see, of their organisation unless the query
        names another (then the actor's access scope decides what is seen)."""
        return _queries.query(self._ctx, actor, query)

    def assignments(self, actor: ActorRef, query: AssignmentQuery) -> Iterator[Assignment]:
        """Every assignment matching ``query``, page by page (one unit of work per page)."""
        return _queries.assignments(self._ctx, actor, query)

    def subtree(self, actor: ActorRef, assignment_id: str) -> list[Assignment]:
        """The assignment and every one passed down from it, depth first, by deadline."""
        return _queries.subtree(self._ctx, actor, assignment_id)

    def progress(self, actor: ActorRef, assignment_id: str) -> Progress:
        """How the sub-assignments below an assignment stand: the parent sees their progress."""
        return _queries.progress(self._ctx, actor, assignment_id)

    def overdue(
        self,
        actor: ActorRef,
        *,
        executor_id: str | None = None,
        department_id: str | None = None,
        controller_id: str | None = None,
        on_control: bool | None = None,
    ) -> list[ControlItem]:
        """Assignments not reported whose deadline has passed today (in the organisation's zone)."""
        filters = _queries.ListFilters(executor_id, department_id, controller_id, on_control)
        return _queries.overdue(self._ctx, actor, filters)

    def due_soon(
        self,
        actor: ActorRef,
        working_days: int,
        *,
        executor_id: str | None = None,
        department_id: str | None = None,
        controller_id: str | None = None,
        on_control: bool | None = None,
    ) -> list[ControlItem]:
        """Assignments not reported that fall due within ``working_days`` working days.

        Today included: 0 lists those due today; 3 those due by the third working day from
        today, on the production calendar.
        """
        filters = _queries.ListFilters(executor_id, department_id, controller_id, on_control)
        return _queries.due_soon(self._ctx, actor, working_days, filters)

    def summary(self, actor: ActorRef, due_soon_days: int = 3) -> ControlSummary:
        """The day's control summary: open, on control, awaiting acceptance, due, overdue."""
        return _queries.summary(self._ctx, actor, due_soon_days)

    def discipline(
        self,
        actor: ActorRef,
        period_from: dt.date,
        period_to: dt.date,
        as_of: dt.date | None = None,
    ) -> DisciplineReport:
        """The execution-discipline report of the actor's organisation for assignments due in
        ``[period_from, period_to]``, as things stood on ``as_of`` (default today); it counts
        only assignments on cards the actor may see."""
        return _discipline_use_case.discipline(self._ctx, actor, period_from, period_to, as_of)

    # --- draft resolutions (проекты резолюций) -----------------------------------------------

    def draft_resolution(
        self,
        actor: ActorRef,
        request: ResolutionRequest,
        request_key: str,
        draft_id: str | None = None,
    ) -> ResolutionDraft:
        """An assistant's draft of the head's resolution (``draft_resolution``); nothing is
        imposed until the head approves. A retry with the same id and key answers the draft."""
        return _draft_commands.draft(self._ctx, actor, request, request_key, draft_id)

    def approve_draft(
        self,
        actor: ActorRef,
        draft_id: str,
        request_key: str,
        *,
        text: str | None = None,
        items: Sequence[ItemRequest] | None = None,
    ) -> ResolutionDraft:
        """The head (or their deputy) approves the draft, with edits if given: the resolution
        and its assignments are imposed in the same unit of work (``impose_resolution``)."""
        return _draft_commands.decide(
            self._ctx, actor, draft_id, DraftAction.APPROVE, request_key, text=text, items=items
        )

    def edit_draft(
        self,
        actor: ActorRef,
        draft_id: str,
        request_key: str,
        *,
        text: str | None = None,
        items: Sequence[ItemRequest] | None = None,
    ) -> ResolutionDraft:
        """The head, their deputy or the drafter changes a waiting draft's text or items."""
        return _draft_commands.decide(
            self._ctx, actor, draft_id, DraftAction.EDIT, request_key, text=text, items=items
        )

    def reject_draft(
        self, actor: ActorRef, draft_id: str, request_key: str, reason: str
    ) -> ResolutionDraft:
        """The head (or their deputy) rejects the draft, with a reason."""
        return _draft_commands.decide(
            self._ctx, actor, draft_id, DraftAction.REJECT, request_key, reason=reason
        )

    def withdraw_draft(self, actor: ActorRef, draft_id: str, request_key: str) -> ResolutionDraft:
        """The drafter withdraws a draft still waiting."""
        return _draft_commands.decide(self._ctx, actor, draft_id, DraftAction.WITHDRAW, request_key)

    def draft(self, actor: ActorRef, draft_id: str) -> ResolutionDraft:
        """A draft resolution on a card the actor may see."""
        return _draft_commands.get_draft(self._ctx, actor, draft_id)

    def drafts_awaiting(self, actor: ActorRef) -> list[ResolutionDraft]:
        """Drafts waiting for the actor's decision (as the head, or acting for them)."""
        return _draft_commands.drafts_awaiting(self._ctx, actor)

    def draft_history(self, actor: ActorRef, draft_id: str) -> list[AuditEvent]:
        """The draft's audit trail and that of the resolution it became, in order."""
        return _draft_commands.draft_history(self._ctx, actor, draft_id)

    def drafts_of_card(self, actor: ActorRef, card_id: str) -> list[ResolutionDraft]:
        """The card's draft resolutions."""
        return _draft_commands.drafts_of_card(self._ctx, actor, card_id)

    # --- acquaintance (ознакомление) ---------------------------------------------------------

    def send_for_acquaintance(
        self,
        actor: ActorRef,
        card_id: str,
        user_ids: Sequence[str],
        *,
        due: pendulum.Date | None = None,
        note: str = "",
        remind_every_days: int = 1,
        sheet_id: str | None = None,
    ) -> AcquaintanceSheet:
        """Send a card for acquaintance to a list of people (``send_for_acquaintance``)."""
        return _acquaintance_commands.send(
            self._ctx, actor, card_id, user_ids, due=due, note=note,
            remind_every_days=remind_every_days, sheet_id=sheet_id,
        )  # fmt: skip

    def acknowledge_acquaintance(self, actor: ActorRef, sheet_id: str) -> AcquaintanceSheet:
        """The actor's «ознакомлен», recorded with its time (once)."""
        return _acquaintance_commands.acknowledge(self._ctx, actor, sheet_id)

    def acquaintance_report(self, actor: ActorRef, sheet_id: str) -> list[AcquaintanceLine]:
        """Who has read the card and when; those not yet have no time."""
        return _acquaintance_commands.report(self._ctx, actor, sheet_id)

    def acquaintances_of_card(self, actor: ActorRef, card_id: str) -> list[AcquaintanceSheet]:
        """The card's acquaintance sheets."""
        return _acquaintance_commands.sheets_of_card(self._ctx, actor, card_id)

    def acquaintance_reminders_due(self, actor: ActorRef) -> list[ReminderDue]:
        """Everyone due a reminder of a sheet they have not read (for a host to deliver)."""
        return _acquaintance_commands.reminders_due(self._ctx, actor)

    def record_acquaintance_reminders(
        self, actor: ActorRef, sheet_id: str, user_ids: Sequence[str]
    ) -> AcquaintanceSheet:
        """Note the reminders a host delivered, so they are not due again at once."""
        return _acquaintance_commands.record_reminders(self._ctx, actor, sheet_id, user_ids)
