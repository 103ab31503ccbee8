"""Use cases on citizens' appeals over a storage that keeps them.

:class:`AppealsService` registers an appeal's card and the appeal in one unit of work (so the
journal number stays gapless), and moves its questions through their lifecycle: an executor is
recorded, the term is extended once with a notice, questions are redirected by competence with a
notice, decided with the answer, or left without an answer with the reason. Every change is
audited with the fields before and after.

Each method is a one-line delegation to the use case's function, written top to bottom in its
topic module: reading in ``_reading``, registering in ``_registering``, the questions' lifecycle
in ``_lifecycle``, materials and migration information in ``_materials``, statistics in
``_statistics``; the shared steps (who acts, the visible or changeable appeal, the audited
change) are in ``_steps``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pendulum

from edmscore.access import AccessPolicy, ActorRef
from edmscore.appeals import (
    _lifecycle,
    _materials,
    _reading,
    _recompute,
    _registering,
    _statistics,
)
from edmscore.appeals._context import AppealsContext
from edmscore.appeals._deadlines import AppealTerms
from edmscore.appeals._enums import NoAnswerReason, QuestionStatus
from edmscore.appeals._model import Answer, Appeal, Transfer
from edmscore.appeals._requests import AppealRequest
from edmscore.appeals._statistics import AppealsReport
from edmscore.appeals._topics import TopicClassifier
from edmscore.appeals.ports import AppealsStorage
from edmscore.calendar import DeadlineMove, ProductionCalendar
from edmscore.clock import Clock
from edmscore.directory import Power
from edmscore.records._base import ServiceBase
from edmscore.records.service import RecordsService

__all__ = ["AppealsService"]


class AppealsService(ServiceBase):
    """The appeal use cases. The registration-card use cases are those of :attr:`records`.

    ``AppealsService(storage, calendar, clock, terms=..., classifier=..., policy=...)``:
    ``calendar`` is the production calendar deadlines are counted on; ``terms`` the deadline
    policies (59-FZ / 210-FZ presets by default); ``classifier`` when given checks every topic;
    ``policy`` the access policy (the migration default when not given). Actors are loaded from
    the directory; the permission each use case needs is in ``docs/appeals.md``.
    """

    _power = Power.APPEALS

    def __init__(
        self,
        storage: AppealsStorage,
        calendar: ProductionCalendar,
        clock: Clock | None = None,
        *,
        terms: AppealTerms | None = None,
        classifier: TopicClassifier | None = None,
        policy: AccessPolicy | None = None,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        self.appeals_storage = storage
        self.calendar = calendar
        self.terms = terms if terms is not None else AppealTerms.default()
        self.classifier = classifier
        #: The registration-card use cases the appeals compose (same storage, clock and policy).
        self.records = RecordsService(storage, self.clock, policy=self.policy)

    @property
    def context(self) -> AppealsContext:
        """What the use cases need, as configured now."""
        return AppealsContext(
            self.appeals_storage,
            self.clock,
            self.policy,
            self.calendar,
            self.terms,
            self.classifier,
            self.records,
        )

    # --- reading (``read``) --------------------------------------------------------------------

    def appeal(self, actor: ActorRef, appeal_id: str) -> Appeal:
        """The appeal, if ``actor`` may see its card (NotFound alike for missing and hidden)."""
        return _reading.appeal(self.context, actor, appeal_id)

    def appeal_of_card(self, actor: ActorRef, card_id: str) -> Appeal:
        """The appeal registered under ``card_id``."""
        return _reading.appeal_of_card(self.context, actor, card_id)

    def changed_between(
        self, actor: ActorRef, start: pendulum.Date, end: pendulum.Date
    ) -> Sequence[Appeal]:
        """The actor's organisation's appeals they may see whose status changed in the period."""
        return _reading.changed_between(self.context, actor, start, end)

    def registered_between(
        self, actor: ActorRef, start: pendulum.Date, end: pendulum.Date
    ) -> Sequence[Appeal]:
        """The actor's organisation's appeals they may see registered in ``[start, end]``."""
        return _reading.registered_between(self.context, actor, start, end)

    # --- statistics (``read_reports``) ---------------------------------------------------------

    def statistics(
        self,
        actor: ActorRef,
        start: pendulum.Date,
        end: pendulum.Date,
        *,
        as_of: pendulum.Date | None = None,
        classifier: TopicClassifier | None = None,
    ) -> AppealsReport:
        """The statistics of the appeals registered in ``[start, end]`` the reader may see,
        as of ``as_of`` (today or ``end``, whichever is earlier, by default)."""
        return _statistics.statistics(
            self.context, actor, start, end, as_of=as_of, classifier=classifier
        )

    # --- registration (``handle_appeals``) -----------------------------------------------------

    def register_appeal(self, actor: ActorRef, request: AppealRequest) -> Appeal:
        """Register the appeal's card (journal number) and the appeal, in one unit of work."""
        return _registering.register_appeal(self.context, actor, request)

    def recompute_provisional(
        self, actor: ActorRef, start: pendulum.Date, end: pendulum.Date
    ) -> tuple[DeadlineMove, ...]:
        """Recount the provisional deadlines of the appeals registered in ``[start, end]`` on
        this service's calendar (built with the decree now loaded); each recounted deadline is
        returned, moved or not, and the change is audited."""
        return _recompute.recompute_provisional(self.context, actor, start, end)

    # --- the lifecycle (``handle_appeals``; the control link ``impose_resolution``) ------------

    def assign(
        self,
        actor: ActorRef,
        appeal_id: str,
        expected_version: int,
        question: int,
        executor_id: str,
        *,
        assignment_id: str | None = None,
    ) -> Appeal:
        """Record the question's executor (and the execution-control assignment, when any)."""
        return _lifecycle.assign(
            self.context, actor, appeal_id, expected_version, question, executor_id,
            assignment_id=assignment_id,
        )  # fmt: skip

    def link_assignments(
        self,
        actor: ActorRef,
        appeal_id: str,
        expected_version: int,
        links: Mapping[int, tuple[str, str]],
    ) -> Appeal:
        """Record, in one change, each question's executor and execution-control assignment.

        ``links`` maps a question number to ``(executor official id, assignment id)``.
        """
        return _lifecycle.link_assignments(self.context, actor, appeal_id, expected_version, links)

    def extend(
        self,
        actor: ActorRef,
        appeal_id: str,
        expected_version: int,
        days: int,
        reason: str,
        *,
        notice_text: str = "",
    ) -> Appeal:
        """Extend the term once by up to 30 days and record the notice to the author."""
        return _lifecycle.extend(
            self.context, actor, appeal_id, expected_version, days, reason,
            notice_text=notice_text,
        )  # fmt: skip

    def redirect(
        self,
        actor: ActorRef,
        appeal_id: str,
        expected_version: int,
        transfer: Transfer,
        *,
        questions: Iterable[int] | None = None,
        notice_text: str = "",
    ) -> Appeal:
        """Redirect questions (all in work by default) by competence, with the notice."""
        return _lifecycle.redirect(
            self.context, actor, appeal_id, expected_version, transfer,
            questions=questions, notice_text=notice_text,
        )  # fmt: skip

    def decide(
        self,
        actor: ActorRef,
        appeal_id: str,
        expected_version: int,
        question: int,
        status: QuestionStatus,
        answer: Answer,
        *,
        actions_taken: str = "",
        attachment: tuple[str, bytes] | None = None,
        media_type: str = "application/pdf",
    ) -> Appeal:
        """Close a question on the merits (explained, supported, not supported, answered).

        ``attachment`` (file name, content) is stored in the blob store as the answer's file,
        the one SSTU exports.
        """
        return _lifecycle.decide(
            self.context, actor, appeal_id, expected_version, question, status, answer,
            actions_taken=actions_taken, attachment=attachment, media_type=media_type,
        )  # fmt: skip

    def leave_without_answer(
        self,
        actor: ActorRef,
        appeal_id: str,
        expected_version: int,
        reason: NoAnswerReason,
        *,
        questions: Iterable[int] | None = None,
        notice_text: str = "",
    ) -> Appeal:
        """Leave questions (all open by default) without an answer, recording the reason.

        The author is notified (a notice is recorded) unless the appeal is anonymous.
        """
        return _lifecycle.leave_without_answer(
            self.context, actor, appeal_id, expected_version, reason,
            questions=questions, notice_text=notice_text,
        )  # fmt: skip

    def request_materials(
        self, actor: ActorRef, appeal_id: str, expected_version: int, body: str
    ) -> Appeal:
        """Record a request for documents and materials to ``body``; due in 15 days."""
        return _materials.request_materials(self.context, actor, appeal_id, expected_version, body)

    def materials_received(
        self, actor: ActorRef, appeal_id: str, expected_version: int, request: int
    ) -> Appeal:
        """Record that the materials of request number ``request`` (1, 2, …) arrived today."""
        return _materials.materials_received(
            self.context, actor, appeal_id, expected_version, request
        )

    def forward_migration_information(
        self, actor: ActorRef, appeal_id: str, expected_version: int, transfer: Transfer
    ) -> Appeal:
        """Record the forwarding of information on migration violations (due in 5 days)."""
        return _materials.forward_migration_information(
            self.context, actor, appeal_id, expected_version, transfer
        )
