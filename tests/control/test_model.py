"""The state machine table and the validation of resolutions and assignments."""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import pendulum
import pytest

from edmscore.calendar import MONTHLY_REPORT, QUARTERLY_REPORT, STANDING, Period
from edmscore.control import (
    MOVES,
    TRANSITIONS,
    AssignmentAction,
    AssignmentKind,
    AssignmentState,
    Recurrence,
    Resolution,
    check_transition,
)
from edmscore.errors import IllegalTransition, StateError, ValidationError
from edmscore.testing.control_builders import make_assignment

D = pendulum.Date


@pytest.mark.parametrize(
    ("current", "action"), list(itertools.product(AssignmentState, AssignmentAction))
)
def test_every_action_is_either_in_the_table_or_refused_naming_both_states(
    current: AssignmentState, action: AssignmentAction
) -> None:
    if (current, action) in TRANSITIONS:
        assert check_transition(current, action) is TRANSITIONS[(current, action)]
        return
    with pytest.raises(IllegalTransition) as caught:
        check_transition(current, action)
    error = caught.value
    assert isinstance(error, StateError)
    assert error.current == current.value and error.action == action.value
    assert error.target in {s.value for s in AssignmentState}
    assert current.value in str(error) and error.target in str(error)


def test_closed_states_are_final_and_accept_needs_a_report() -> None:
    for current, _ in TRANSITIONS:
        assert not current.is_closed
    assert (AssignmentState.OPEN, AssignmentAction.ACCEPT) not in TRANSITIONS
    assert (AssignmentState.OPEN, AssignmentState.DONE) in MOVES  # by completing, not accepting
    assert AssignmentState.DONE.title == "исполнено"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due": None}, "Assignment.due"),
        ({"on_control": True, "controller_id": None}, "Assignment.controller_id"),
        ({"co_executor_ids": ("executor",)}, "Assignment.co_executor_ids"),
        ({"co_executor_ids": ("x", "x")}, "Assignment.co_executor_ids"),
        ({"depth": 1}, "Assignment.depth"),
        ({"parent_id": "p"}, "Assignment.depth"),
        ({"due": D(2026, 3, 1)}, "Assignment.due"),
        ({"completed_on": D(2026, 3, 1)}, "Assignment.completed_on"),
        ({"text": ""}, "Assignment.text"),
        ({"due": "2026-03-10"}, "Assignment.due"),
    ],
)
def test_an_invalid_assignment_names_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(make_assignment("card"), **changes)
    assert caught.value.field == field


def test_information_needs_no_deadline_and_never_recurs() -> None:
    info = make_assignment("card", kind=AssignmentKind.INFORMATION)
    assert info.due is None and not info.counts_for_discipline
    recurrence = Recurrence(Period.MONTH, D(2026, 3, 2), D(2026, 5, 31), MONTHLY_REPORT)
    with pytest.raises(ValidationError):
        attrs.evolve(info, recurrence=recurrence)


def test_a_resolution_needs_distinct_items() -> None:
    with pytest.raises(ValidationError):
        Resolution("r", "org", "card", "author", "Текст", D(2026, 3, 2), ())
    with pytest.raises(ValidationError):
        Resolution("r", "org", "card", "author", "Текст", D(2026, 3, 2), ("a", "a"))


@pytest.mark.parametrize(
    ("period", "starts", "until", "policy", "expected"),
    [
        (Period.MONTH, D(2026, 3, 15), D(2026, 5, 1), MONTHLY_REPORT, [(3, 1), (4, 1), (5, 1)]),
        (Period.QUARTER, D(2026, 2, 10), D(2026, 7, 1), QUARTERLY_REPORT, [(1, 1), (4, 1), (7, 1)]),
        (Period.YEAR, D(2026, 6, 1), D(2026, 12, 31), STANDING, [(1, 1)]),
    ],
)
def test_recurrence_periods_start_on_period_boundaries(
    period: Period,
    starts: pendulum.Date,
    until: pendulum.Date,
    policy: object,
    expected: list[tuple[int, int]],
) -> None:
    recurrence = Recurrence(period, starts, until, policy)  # type: ignore[arg-type]
    periods = recurrence.periods()
    assert [(first.month, first.day) for first, _ in periods] == expected
    for first, last in periods:
        assert first <= last
    for (_, last), (following, _) in itertools.pairwise(periods):
        assert last.add(days=1) == following
    assert periods[-1][1] >= until


def test_a_recurrence_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError):
        Recurrence(Period.MONTH, D(2026, 3, 2), D(2026, 3, 1), MONTHLY_REPORT)
