"""Consideration through execution control: assignments linked to the appeal's questions."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from edmscore.access import ActorRef
from edmscore.appeals import (
    Appeal,
    AppealsService,
    QuestionRequest,
    consideration_states,
    execute_through_control,
    follow_extension,
)
from edmscore.calendar import russian_calendar
from edmscore.control import AssignmentState, ControlService
from edmscore.errors import ConflictError, StateError

from .conftest import TOPIC, Env, request


def _control(env: Env) -> ControlService:
    return ControlService(env.storage, env.clock, russian_calendar(include_provisional=True))


def test_each_open_question_gets_an_assignment_due_on_the_appeals_term(env: Env) -> None:
    clerk = env.world.clerk
    head, executor = env.world.officials[1].id, env.world.officials[0].id
    questions = (QuestionRequest(TOPIC, "Связь"), QuestionRequest(TOPIC, "Интернет"))
    appeal = env.service.register_appeal(
        clerk, request(env, questions=questions, executor_id=executor)
    )
    control = _control(env)
    linked, resolution = execute_through_control(
        env.service, control, clerk, appeal.id, appeal.version, head
    )
    assert len(resolution.item_ids) == 2
    assert [q.assignment_id for q in linked.questions] == list(resolution.item_ids)
    for question in linked.questions:
        assert question.assignment_id is not None
        assignment = control.get(clerk, question.assignment_id)
        assert (assignment.card_id, assignment.executor_id) == (appeal.card_id, executor)
        assert assignment.due == appeal.review_due
        assert assignment.on_control and assignment.controller_id == head
    assert consideration_states(control, clerk, linked) == {
        1: AssignmentState.OPEN,
        2: AssignmentState.OPEN,
    }
    with pytest.raises(StateError):  # nothing left to assign
        execute_through_control(env.service, control, clerk, linked.id, linked.version, head)

    extended = env.service.extend(clerk, linked.id, linked.version, 15, "Запрошены материалы")
    moved = follow_extension(control, clerk, extended)
    assert [a.due for a in moved] == [extended.review_due] * 2
    assert follow_extension(control, clerk, extended) == []


def test_a_stale_version_imposes_nothing(env: Env) -> None:
    clerk = env.world.clerk
    appeal = env.service.register_appeal(clerk, request(env, executor_id=env.world.officials[0].id))
    control = _control(env)
    with pytest.raises(ConflictError):
        execute_through_control(
            env.service, control, clerk, appeal.id, appeal.version + 1, env.world.officials[1].id
        )
    assert control.resolutions_of(clerk, appeal.card_id) == []


class _FailingToLink(AppealsService):
    """A service whose recording of the links fails (as if the appeal changed meanwhile)."""

    def link_assignments(
        self,
        actor: ActorRef,
        appeal_id: str,
        expected_version: int,
        links: Mapping[int, tuple[str, str]],
    ) -> Appeal:
        raise ConflictError("appeal", appeal_id, expected_version, expected_version + 1)


def test_assignments_are_cancelled_when_the_links_cannot_be_recorded(env: Env) -> None:
    clerk = env.world.clerk
    appeal = env.service.register_appeal(clerk, request(env, executor_id=env.world.officials[0].id))
    control = _control(env)
    failing = _FailingToLink(env.storage, env.service.calendar, env.clock)
    with pytest.raises(ConflictError):
        execute_through_control(
            failing, control, clerk, appeal.id, appeal.version, env.world.officials[1].id
        )
    [resolution] = control.resolutions_of(clerk, appeal.card_id)
    states = [control.get(clerk, i).state for i in resolution.item_ids]
    assert states == [AssignmentState.CANCELLED]
    assert env.service.appeal(clerk, appeal.id).questions[0].assignment_id is None
