"""The consideration of an appeal run through execution control (:mod:`edmscore.control`).

:func:`execute_through_control` imposes a resolution on the appeal's card with one assignment per
open question, due on the appeal's term of consideration, and records each assignment (and its
executor) on its question. :func:`follow_extension` moves the open assignments' deadlines to the
extended term; :func:`consideration_states` reads where each question's assignment stands. The
appeal stays the record of the question's status and answer (what SSTU receives); the assignment
is how the work is done and controlled.

Putting an appeal on control needs ``impose_resolution`` for its card's department (checked here
before anything is imposed, by :meth:`ControlService.impose` and by
:meth:`AppealsService.link_assignments`); moving the deadlines and reading the assignments are
execution control's use cases, with its permissions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from edmscore._ids import new_id
from edmscore.access import ActorRef, Permission
from edmscore.appeals import _steps as steps
from edmscore.appeals._enums import QuestionStatus
from edmscore.appeals._model import Appeal
from edmscore.appeals.service import AppealsService
from edmscore.errors import ConflictError, EdmsError, StateError

if TYPE_CHECKING:  # edmscore.control is imported when these are used, not with edmscore.appeals
    from edmscore.control import Assignment, AssignmentState, ControlService, Resolution

__all__ = ["consideration_states", "execute_through_control", "follow_extension"]

_OPEN = (QuestionStatus.IN_WORK, QuestionStatus.EXTENDED)
_TEXT = "Рассмотреть обращение и подготовить ответ заявителю"
_EXTENDED = "Продление срока рассмотрения обращения (59-ФЗ, ст. 12)"


def execute_through_control(
    appeals: AppealsService,
    control: ControlService,
    actor: ActorRef,
    appeal_id: str,
    expected_version: int,
    author_id: str,
    executors: Mapping[int, str] | None = None,
    *,
    text: str = _TEXT,
    on_control: bool = True,
) -> tuple[Appeal, Resolution]:
    """Impose the resolution of ``author_id`` on the appeal's card and link its assignments.

    ``executors`` maps question numbers to executors (officials); by default every open question
    without an assignment goes to the executor recorded on it. Each assignment is due on the
    appeal's term. Should recording the links fail, the new assignments are cancelled again.
    """
    from edmscore.control import ItemRequest, ResolutionRequest

    appeal = _controllable(appeals, actor, appeal_id)
    if appeal.version != expected_version:
        raise ConflictError("appeal", appeal_id, expected_version, appeal.version)
    if executors is None:
        executors = {
            q.number: q.executor_id
            for q in appeal.questions
            if q.status in _OPEN and q.assignment_id is None and q.executor_id is not None
        }
    if not executors:
        raise StateError(f"appeal {appeal.number}: no open question with an executor to assign")
    links: dict[int, tuple[str, str]] = {}
    items = []
    for number, executor_id in sorted(executors.items()):
        question = appeal.question(number)
        if question.status not in _OPEN:
            raise StateError(f"question {number} of {appeal.number} is closed")
        assignment_id = new_id()
        links[number] = (executor_id, assignment_id)
        items.append(
            ItemRequest(
                executor_id,
                f"Вопрос {number}: {question.summary}",
                appeal.review_due,
                on_control=on_control,
                controller_id=author_id if on_control else None,
                assignment_id=assignment_id,
                deadline_provisional=appeal.is_provisional("review_due"),
            )
        )
    who = actor
    resolution = control.impose(
        who, ResolutionRequest(appeal.card_id, author_id, text, tuple(items))
    )
    try:
        linked = appeals.link_assignments(actor, appeal_id, expected_version, links)
    except EdmsError:
        for _, assignment_id in links.values():
            assignment = control.get(who, assignment_id)
            control.cancel(who, assignment_id, assignment.version, "Обращение изменено")
        raise
    return linked, resolution


def _controllable(appeals: AppealsService, actor: ActorRef, appeal_id: str) -> Appeal:
    """The appeal, if ``actor`` may put it on control (``impose_resolution`` for its card)."""
    ctx = appeals.context
    now = ctx.clock.now()
    with ctx.storage.unit_of_work() as uow:
        me = steps.acting(ctx, uow, actor, now)
        appeal, _ = steps.changeable_appeal(
            ctx, uow, me, appeal_id, now, Permission.IMPOSE_RESOLUTION
        )
        return appeal


def follow_extension(control: ControlService, actor: ActorRef, appeal: Appeal) -> list[Assignment]:
    """Move the deadline of every open linked assignment to the appeal's (extended or recounted)
    term, with its provisional mark.

    ``actor`` acts for the official who set those deadlines (the resolution's author).
    """
    moved = []
    for question in appeal.questions:
        if question.assignment_id is None:
            continue
        assignment = control.get(actor, question.assignment_id)
        provisional = appeal.is_provisional("review_due")
        if assignment.state.is_closed or (
            assignment.due == appeal.review_due and assignment.due_provisional == provisional
        ):
            continue
        moved.append(
            control.set_deadline(
                actor,
                assignment.id,
                assignment.version,
                appeal.review_due,
                _EXTENDED,
                provisional=provisional,
            )
        )
    return moved


def consideration_states(
    control: ControlService, actor: ActorRef, appeal: Appeal
) -> dict[int, AssignmentState]:
    """Where the linked assignment of each question stands, by question number."""
    return {
        q.number: control.get(actor, q.assignment_id).state
        for q in appeal.questions
        if q.assignment_id is not None
    }
