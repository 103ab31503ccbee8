"""Draft resolutions end to end: an assistant drafts, the head approves, edits or rejects."""

from __future__ import annotations

import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.access import Principal
from edmscore.control import (
    DraftResolutionState,
    ItemRequest,
    ResolutionRequest,
)
from edmscore.directory import Power, Substitution
from edmscore.errors import AccessDenied, DraftResolutionStateError, ValidationError
from tests.control.conftest import Office

D = pendulum.Date


def _request(office: Office) -> ResolutionRequest:
    item = ItemRequest(office.deputy.id, "Подготовить ответ", deadline=D(2026, 3, 20))
    return ResolutionRequest(office.card.id, office.governor.id, "Прошу рассмотреть", (item,))


def _assistant(office: Office) -> str:
    return office.world.clerk.id


def test_only_approval_imposes_the_resolution(office: Office) -> None:
    c, head = office.control, office.user(office.governor).id
    made = c.draft_resolution(_assistant(office), _request(office), "k1", "d-1")
    assert made.state is DraftResolutionState.DRAFTED
    assert c.resolutions_of(head, office.card.id) == []
    assert [d.id for d in c.drafts_awaiting(head)] == ["d-1"]
    # a retried call (lost answer) returns the same draft and creates nothing more
    again = c.draft_resolution(_assistant(office), _request(office), "k1", "d-1")
    assert again == made
    edited = c.edit_draft(head, "d-1", "k2", text="Прошу подготовить ответ к 20.03")
    assert edited.state is DraftResolutionState.DRAFTED and edited.version == 2
    approved = c.approve_draft(head, "d-1", "k3")
    assert approved.state is DraftResolutionState.APPROVED
    assert c.approve_draft(head, "d-1", "k3") == approved  # retried: nothing new
    (resolution,) = c.resolutions_of(head, office.card.id)
    assert resolution.id == approved.resolution_id
    assert resolution.text == "Прошу подготовить ответ к 20.03"
    assert resolution.author_id == office.governor.id
    (assignment_id,) = resolution.item_ids
    assert c.get(head, assignment_id).executors[0] == office.deputy.id
    assert c.drafts_awaiting(head) == []
    with pytest.raises(DraftResolutionStateError):
        c.reject_draft(head, "d-1", "k4", "Поздно")
    with pytest.raises(ValidationError):  # the key of the approval, for another move
        c.reject_draft(head, "d-1", "k3", "Поздно")
    # the audit shows the draft's moves and the resolution imposed, by the people who made them
    trail = [(e.action, e.actor_id) for e in c.draft_history(head, "d-1")]
    assert trail == [
        ("resolution_draft.drafted", _assistant(office)),
        ("resolution_draft.edited", head),
        ("resolution.imposed", head),
        ("resolution_draft.approved", head),
    ]


def test_rejection_makes_nothing_and_needs_a_reason(office: Office) -> None:
    c, head = office.control, office.user(office.governor).id
    c.draft_resolution(_assistant(office), _request(office), "k1", "d-2")
    with pytest.raises(ValidationError):
        c.reject_draft(head, "d-2", "k2", "  ")
    rejected = c.reject_draft(head, "d-2", "k3", "Не по существу")
    assert rejected.state is DraftResolutionState.REJECTED and rejected.reason == "Не по существу"
    assert c.resolutions_of(head, office.card.id) == []
    with pytest.raises(DraftResolutionStateError):
        c.approve_draft(head, "d-2", "k4")


def test_only_the_head_or_their_deputy_decides(office: Office) -> None:
    c = office.control
    c.draft_resolution(_assistant(office), _request(office), "k1", "d-3")
    with pytest.raises(AccessDenied):  # the drafter may edit and withdraw, not approve
        c.approve_draft(_assistant(office), "d-3", "k2")
    with pytest.raises(AccessDenied):
        c.approve_draft(office.user(office.chief).id, "d-3", "k2")
    with office.storage.unit_of_work() as uow:
        uow.substitutions.put(
            Substitution(
                new_id(), office.world.organisation.id, office.governor.id, office.deputy.id,
                D(2026, 3, 2), D(2026, 3, 9), powers={Power.CONTROL},
            )
        )  # fmt: skip
        uow.commit()
    governor, deputy = office.user(office.governor), office.user(office.deputy)
    acting = Principal(deputy.id, on_behalf_of=governor.id)
    assert [d.id for d in c.drafts_awaiting(acting)] == ["d-3"]
    approved = c.approve_draft(acting, "d-3", "k3")
    assert approved.steps[-1].user_id == deputy.id
    assert approved.steps[-1].on_behalf_of == governor.id
    (event,) = [e for e in c.draft_history(governor.id, "d-3") if e.action == "resolution.imposed"]
    assert (event.actor_id, event.on_behalf_of) == (deputy.id, governor.id)


def test_the_drafter_withdraws(office: Office) -> None:
    c = office.control
    c.draft_resolution(_assistant(office), _request(office), "k1", "d-4")
    with pytest.raises(AccessDenied):
        c.withdraw_draft(office.user(office.governor).id, "d-4", "k2")
    withdrawn = c.withdraw_draft(_assistant(office), "d-4", "k3")
    assert withdrawn.state is DraftResolutionState.WITHDRAWN
    assert [d.state for d in c.drafts_of_card(_assistant(office), office.card.id)] == [
        DraftResolutionState.WITHDRAWN
    ]
