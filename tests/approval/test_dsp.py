"""ДСП drafts: paper approval where ДСП stays on paper, cleared routes otherwise."""

from __future__ import annotations

import pendulum
import pytest

from edmscore.approval import DraftState, VisaDecision, draft_problems
from edmscore.errors import (
    NotFound,
    PaperApprovalRequired,
    UnclearedParticipant,
    ValidationError,
)
from edmscore.registry import AccessMark
from tests._adapters import AnyStorage

from .conftest import LETTER, build_ministry

CLEARED = frozenset({"author", "lawyer", "minister"})


def test_paper_policy_refuses_an_electronic_cycle_and_records_paper(storage: AnyStorage) -> None:
    m = build_ministry(storage, dsp_electronic=False, cleared=CLEARED)
    # the federal rule: no electronic image of a ДСП document in such an organisation
    with pytest.raises(ValidationError):
        m.create(access=AccessMark.DSP)
    draft = m.create(access=AccessMark.DSP, files=())
    with pytest.raises(PaperApprovalRequired, match="on paper"):
        m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    draft = m.service.record_paper_approval(
        m.users["author"], draft.id, draft.version, pendulum.Date(2026, 3, 2), "Лист на бумаге"
    )
    assert draft.state is DraftState.APPROVED_ON_PAPER
    draft, card = m.service.register(m.users["author"], draft.id, draft.version, m.outgoing.id)
    assert draft.state is DraftState.REGISTERED and draft_problems(draft) == ()
    assert card.details.access is AccessMark.DSP and card.details.files == ()


def test_open_drafts_are_not_approved_on_paper(storage: AnyStorage) -> None:
    m = build_ministry(storage, cleared=CLEARED)
    draft = m.create()
    with pytest.raises(Exception, match="only ДСП"):
        m.service.record_paper_approval(
            m.users["author"], draft.id, draft.version, pendulum.Date(2026, 3, 2)
        )


def test_electronic_policy_refuses_a_route_with_an_uncleared_participant(
    storage: AnyStorage,
) -> None:
    m = build_ministry(storage, dsp_electronic=True, cleared=CLEARED)
    draft = m.create(access=AccessMark.DSP)
    with pytest.raises(UnclearedParticipant, match="Белов"):
        m.service.start_approval(
            m.users["author"], draft.id, draft.version, [m.spec("lawyer", "finance")]
        )
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    with pytest.raises(NotFound):  # an uncleared user does not even see the draft
        m.service.get(m.users["finance"], draft.id)
    draft = m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    draft = m.service.sign(
        m.users["minister"],
        draft.id,
        draft.version,
        LETTER,
        m.signer.sign(LETTER),
        register_in=m.outgoing.id,
    )
    assert draft.state is DraftState.REGISTERED


def test_an_uncleared_signatory_is_refused_on_a_dsp_route(storage: AnyStorage) -> None:
    m = build_ministry(storage, dsp_electronic=True, cleared=frozenset({"author", "lawyer"}))
    draft = m.create(access=AccessMark.DSP)
    with pytest.raises(UnclearedParticipant) as caught:
        m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    assert caught.value.field == "signatory_id"
