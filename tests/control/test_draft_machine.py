"""The draft-resolution state machine under random moves: never an illegal state."""

from __future__ import annotations

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from edmscore.control import (
    DraftAction,
    DraftItem,
    DraftResolutionState,
    DraftStep,
    ResolutionDraft,
    draft_transition,
)
from edmscore.errors import DraftResolutionStateError, ValidationError

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Moscow")
MOVES = [a for a in DraftAction if a is not DraftAction.DRAFT]


def _fresh() -> ResolutionDraft:
    return ResolutionDraft(
        "d", "org", "card", "head", "Прошу", (DraftItem("ex", "Ответить"),),
        steps=(DraftStep(DraftAction.DRAFT, T0, "assistant", request_key="k0"),),
    )  # fmt: skip


@given(st.lists(st.tuples(st.sampled_from(MOVES), st.sampled_from(["", "Причина"])), max_size=30))
def test_random_moves_never_reach_an_illegal_state(moves: list[tuple[DraftAction, str]]) -> None:
    draft = _fresh()
    for n, (action, reason) in enumerate(moves, start=1):
        step = DraftStep(action, T0.add(minutes=n), "u", request_key=f"k{n}", note=reason)
        before = draft
        try:
            draft = draft_transition(
                draft, action, step, reason=reason,
                resolution_id="r" if action is DraftAction.APPROVE else None,
            )  # fmt: skip
        except DraftResolutionStateError:
            assert before.state.is_final  # only a decided draft refuses a move
            continue
        except ValidationError:
            assert action is DraftAction.REJECT and not reason
            continue
        assert not before.state.is_final
        assert draft.version == before.version + 1
        assert draft.steps[-1] == step and draft.steps[:-1] == before.steps
        assert (draft.state is DraftResolutionState.APPROVED) == (draft.resolution_id is not None)
        assert draft.state.is_final == (action is not DraftAction.EDIT)
        assert (draft.decided_at is not None) == draft.state.is_final
        assert draft.applied(f"k{n}") == step
    finals = [s for s in draft.steps if s.action is not DraftAction.EDIT]
    assert len(finals) <= 2  # the drafting and at most one decision
