"""The approval use cases end to end on the in-memory storage."""

from __future__ import annotations

import hashlib

import attrs
import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.approval import (
    CertificateKeyVerifier,
    CycleOutcome,
    DraftFile,
    DraftState,
    FailureReason,
    ParticipantSpec,
    StageMode,
    StageOutcome,
    Substitution,
    VisaDecision,
    draft_problems,
)
from edmscore.errors import (
    AccessDenied,
    ApprovalStateError,
    ApprovedVersionMismatch,
    ConflictError,
    RouteError,
    SignatureRejected,
    ValidationError,
)
from edmscore.registry import CardKind, LinkType
from edmscore.testing import RawSigner

from .conftest import LETTER, Ministry

V2 = b"%PDF-1.7 letter v2"


def _refused_then_second_version(m: Ministry):  # type: ignore[no-untyped-def]
    draft = m.create()
    draft = m.service.start_approval(
        m.users["author"], draft.id, draft.version, [m.spec("lawyer", "finance")]
    )
    draft = m.service.give_visa(m.users["finance"], draft.id, draft.version, VisaDecision.AGREED)
    draft = m.service.give_visa(
        m.users["lawyer"], draft.id, draft.version, VisaDecision.NOT_AGREED, "Нет обоснования"
    )
    draft = m.service.add_version(
        m.users["author"], draft.id, draft.version, [DraftFile("letter.pdf", V2)]
    )
    return draft


def _to_signature(m: Ministry):  # type: ignore[no-untyped-def]
    draft = _refused_then_second_version(m)
    route = [m.spec("lawyer", "finance"), m.spec("dep1", "dep2", "dep3", quorum=2)]
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, route)
    for key in ("lawyer", "finance", "dep1", "dep3"):
        m.clock.advance(hours=1)
        draft = m.service.give_visa(m.users[key], draft.id, draft.version, VisaDecision.AGREED)
    return draft


def test_the_issue_scenario_ends_registered_as_outgoing(ministry: Ministry) -> None:
    m = ministry
    draft = _refused_then_second_version(m)
    assert draft.state is DraftState.RETURNED
    assert draft.cycles[0].outcome is CycleOutcome.RETURNED
    route = [m.spec("lawyer", "finance"), m.spec("dep1", "dep2", "dep3", quorum=2)]
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, route)
    for key in ("lawyer", "finance", "dep1"):
        draft = m.service.give_visa(m.users[key], draft.id, draft.version, VisaDecision.AGREED)
    assert draft.state is DraftState.IN_APPROVAL
    draft = m.service.give_visa(m.users["dep3"], draft.id, draft.version, VisaDecision.AGREED)
    assert draft.state is DraftState.AWAITING_SIGNATURE
    quorum_stage = draft.cycles[1].stages[1]
    assert (quorum_stage.agreed_count, quorum_stage.quorum) == (2, 2)
    assert quorum_stage.assignments[1].visa is None  # dep2 was not needed
    with pytest.raises(ApprovalStateError):
        m.service.give_visa(m.users["dep2"], draft.id, draft.version, VisaDecision.AGREED)
    draft = m.service.sign(
        m.users["minister"],
        draft.id,
        draft.version,
        V2,
        m.signer.sign(V2),
        register_in=m.outgoing.id,
    )
    assert draft.state is DraftState.REGISTERED
    assert draft_problems(draft) == ()
    card = m.records.get(m.users["author"], str(draft.registered_card_id))
    assert card.kind is CardKind.OUTGOING
    assert card.number == "1-исх"
    assert [f.name for f in card.details.files] == ["letter.pdf", "letter.pdf.sig"]
    assert card.details.files[0].sha256 == hashlib.sha256(V2).hexdigest()
    assert card.details.links[0].target_id == draft.id
    assert card.details.signatories[0].official_id == m.officials["minister"].id
    draft_card = m.records.get(m.users["author"], draft.id)
    assert any(link.target_id == card.id for link in draft_card.details.links)
    assert draft_card.details.files[0].sha256 == hashlib.sha256(V2).hexdigest()
    signature = m.records.read_file(m.users["author"], card.id, "letter.pdf.sig")
    assert m.service.verifier.verify_detached(signature, V2, m.clock.now()) == (
        draft.cycles[1].signing.signer  # type: ignore[union-attr]
    )
    # the first cycle's visas stay in history, on version 1
    first = draft.cycles[0]
    assert {v.version_number for v in first.visas} == {1}
    assert {v.version_number for v in draft.cycles[1].visas} == {2}
    actions = [e.action for e in m.service.history(m.users["author"], draft.id)]
    # the draft shares its id with its РКПД card: the card's events are in its history too
    assert actions[:2] == ["card.registered", "draft.created"]
    assert actions.count("approval.visa") == 6
    assert actions[-3:] == ["approval.signed", "card.linked", "draft.registered"]


def test_a_remark_is_required_for_remarks_and_refusals(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    for decision in (VisaDecision.NOT_AGREED, VisaDecision.AGREED_WITH_REMARKS):
        with pytest.raises(ValidationError) as caught:
            m.service.give_visa(m.users["lawyer"], draft.id, draft.version, decision, "  ")
        assert caught.value.field == "remark"
    assert m.service.get(m.users["author"], draft.id).version == draft.version


def test_remark_files_are_stored_and_listed(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    draft = m.service.give_visa(
        m.users["lawyer"],
        draft.id,
        draft.version,
        VisaDecision.NOT_AGREED,
        "См. файл",
        [DraftFile("remarks.txt", "п. 2 неверен".encode())],
    )
    visa = draft.cycles[0].visas[0]
    assert visa.files[0].sha256 == hashlib.sha256("п. 2 неверен".encode()).hexdigest()
    with m.storage.unit_of_work() as uow:
        assert uow.blobs.get(visa.files[0].sha256) == "п. 2 неверен".encode()


def test_the_author_edits_only_while_no_cycle_runs(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    with pytest.raises(ApprovalStateError):
        m.service.add_version(m.users["author"], draft.id, draft.version, [DraftFile("a.pdf", V2)])
    with pytest.raises(AccessDenied):
        m.service.add_version(m.users["lawyer"], draft.id, draft.version, [DraftFile("a.pdf", V2)])


def test_a_version_goes_through_one_cycle_only(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    draft = m.service.recall(m.users["author"], draft.id, draft.version, "Передумал")
    assert draft.state is DraftState.DRAFTING
    assert draft.cycles[0].stages[0].outcome is StageOutcome.CANCELLED
    with pytest.raises(ApprovalStateError, match="new version"):
        m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])


def test_sequential_stage_goes_in_order(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    route = [m.spec("lawyer", "finance", mode=StageMode.SEQUENTIAL)]
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, route)
    with pytest.raises(ApprovalStateError, match="no visa of yours"):
        m.service.give_visa(m.users["finance"], draft.id, draft.version, VisaDecision.AGREED)
    draft = m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    draft = m.service.give_visa(m.users["finance"], draft.id, draft.version, VisaDecision.AGREED)
    assert draft.state is DraftState.AWAITING_SIGNATURE


def test_outsiders_and_stale_versions_are_refused(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    with pytest.raises(AccessDenied):
        m.service.give_visa(m.users["press"], draft.id, draft.version, VisaDecision.AGREED)
    with pytest.raises(ConflictError):
        m.service.give_visa(m.users["lawyer"], draft.id, draft.version - 1, VisaDecision.AGREED)


def test_signing_other_content_than_approved_is_a_typed_error(ministry: Ministry) -> None:
    m = ministry
    draft = _to_signature(m)
    with pytest.raises(ApprovedVersionMismatch) as caught:
        m.service.sign(m.users["minister"], draft.id, draft.version, LETTER, m.signer.sign(LETTER))
    assert caught.value.approved_sha256 == hashlib.sha256(V2).hexdigest()
    assert m.service.get(m.users["author"], draft.id).state is DraftState.AWAITING_SIGNATURE


def test_a_signature_the_verifier_rejects_is_refused(ministry: Ministry) -> None:
    m = ministry
    draft = _to_signature(m)
    stranger = RawSigner("Чужой", algorithm="rsa")
    with pytest.raises(SignatureRejected) as caught:
        m.service.sign(m.users["minister"], draft.id, draft.version, V2, stranger.sign(V2))
    assert caught.value.failure.reason is FailureReason.INVALID_SIGNATURE  # type: ignore[attr-defined]
    with pytest.raises(AccessDenied):
        m.service.sign(m.users["dep1"], draft.id, draft.version, V2, m.signer.sign(V2))


def test_refusing_to_sign_returns_the_draft(ministry: Ministry) -> None:
    m = ministry
    draft = _to_signature(m)
    draft = m.service.refuse_signing(m.users["minister"], draft.id, draft.version, "Не ко времени")
    assert draft.state is DraftState.RETURNED
    assert draft.cycle is not None and draft.cycle.outcome is CycleOutcome.SIGNING_REFUSED
    assert draft_problems(draft) == ()


def test_a_replaced_official_s_deputy_gets_the_visa_and_signs(ministry: Ministry) -> None:
    m = ministry
    day = pendulum.Date(2026, 3, 2)
    for official, deputy in (("lawyer", "press"), ("minister", "first_deputy")):
        m.service.put_substitution(
            m.admin,
            Substitution(
                new_id(),
                m.organisation.id,
                m.officials[official].id,
                m.officials[deputy].id,
                day,
                day.add(days=10),
                "Отпуск",
            ),
        )
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    assignment = draft.cycles[0].stages[0].assignments[0]
    assert assignment.official_id == m.officials["press"].id
    assert assignment.acting_for == m.officials["lawyer"].id
    draft = m.service.give_visa(m.users["press"], draft.id, draft.version, VisaDecision.AGREED)
    assert draft.cycles[0].visas[0].acting_for == m.officials["lawyer"].id
    own = RawSigner("Громов Илья Павлович")
    m.service.verifier = CertificateKeyVerifier([m.signer.certificate, own.certificate])
    with pytest.raises(SignatureRejected) as caught:  # the minister's certificate is not his
        m.service.sign(
            m.users["first_deputy"], draft.id, draft.version, LETTER, m.signer.sign(LETTER)
        )
    assert caught.value.failure.reason is FailureReason.SIGNER_MISMATCH  # type: ignore[attr-defined]
    draft = m.service.sign(
        m.users["first_deputy"], draft.id, draft.version, LETTER, own.sign(LETTER)
    )
    signing = draft.cycles[0].signing
    assert signing is not None and signing.signer is not None
    assert signing.signer.surname == "Громов"
    assert signing is not None and signing.acting_for == m.officials["minister"].id
    rows = m.service.sheet(m.users["author"], draft.id).cycles[0].rows
    assert "замещает Ким Е.С." in rows[0].participant_cell
    assert rows[-1].acting_for == "Соколов А.В."


def test_route_gains_participants_only_after_the_current_stage(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    route = [m.spec("lawyer"), m.spec("dep1")]
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, route)
    extra = [ParticipantSpec(m.officials["dep2"].id)]
    with pytest.raises(ApprovalStateError, match="after its current stage"):
        m.service.extend_route(m.users["author"], draft.id, draft.version, 0, extra)
    draft = m.service.extend_route(m.users["author"], draft.id, draft.version, 1, extra)
    draft = m.service.extend_route(
        m.users["author"], draft.id, draft.version, 2, new_stage=m.spec("finance", name="Финансы")
    )
    assert [len(s.assignments) for s in draft.cycles[0].stages] == [1, 2, 1]
    for key in ("lawyer", "dep1", "dep2", "finance"):
        draft = m.service.give_visa(m.users[key], draft.id, draft.version, VisaDecision.AGREED)
    assert draft.state is DraftState.AWAITING_SIGNATURE


def test_optional_participants_acknowledge_and_never_block(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    stage = attrs.evolve(
        m.spec("lawyer"),
        participants=(
            ParticipantSpec(m.officials["lawyer"].id),
            ParticipantSpec(m.officials["press"].id, optional=True),
        ),
    )
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [stage])
    with pytest.raises(ApprovalStateError, match="acknowledges"):
        m.service.give_visa(m.users["press"], draft.id, draft.version, VisaDecision.NOT_AGREED, "x")
    draft = m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    assert draft.state is DraftState.AWAITING_SIGNATURE
    draft = m.service.give_visa(
        m.users["press"], draft.id, draft.version, VisaDecision.ACKNOWLEDGED
    )
    assert draft.cycles[0].visas[-1].decision is VisaDecision.ACKNOWLEDGED


def test_a_failed_registration_rolls_back_the_signature_too(ministry: Ministry) -> None:
    m = ministry
    draft = _to_signature(m)
    with pytest.raises(ValidationError, match="does not register"):
        m.service.sign(
            m.users["minister"],
            draft.id,
            draft.version,
            V2,
            m.signer.sign(V2),
            register_in=m.internal.id,
        )
    again = m.service.get(m.users["author"], draft.id)
    assert again.state is DraftState.AWAITING_SIGNATURE
    with m.storage.unit_of_work() as uow:
        assert uow.numbers.current(m.internal.counter_key(2026, {})) == 0
    signed = m.service.sign(m.users["minister"], draft.id, draft.version, V2, m.signer.sign(V2))
    registered, card = m.service.register(
        m.users["author"], draft.id, signed.version, m.outgoing.id
    )
    assert registered.registered_card_id == card.id
    assert card.details.links[0].link_type is LinkType.RELATED


def test_route_templates_per_document_kind(ministry: Ministry) -> None:
    from edmscore.approval import RouteTemplate

    m = ministry
    draft = m.create()
    with pytest.raises(RouteError, match="no route template"):
        m.service.start_approval(m.users["author"], draft.id, draft.version)
    template = RouteTemplate(
        new_id(),
        m.organisation.id,
        "письмо",
        "Письма",
        (
            m.spec("lawyer"),
            attrs.evolve(
                m.spec("dep1"),
                participants=(ParticipantSpec(position="Заместитель министра по связи"),),
            ),
        ),
    )
    m.service.put_route_template(m.admin, template)
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version)
    assert draft.cycles[0].stages[1].assignments[0].official_id == m.officials["dep1"].id


def test_overdue_visas_on_the_production_calendar(ministry: Ministry) -> None:
    m = ministry
    # Friday 6 March 2026; 7-8 are the weekend and 9 March is the day off moved from 8 March.
    m.clock.set(pendulum.datetime(2026, 3, 6, 10, 0, tz="Asia/Yakutsk"))
    draft = m.create()
    route = [m.spec("lawyer", term_days=2)]
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, route)
    assert m.service.overdue(m.admin, pendulum.Date(2026, 3, 11)) == []
    (task,) = m.service.overdue(m.admin, pendulum.Date(2026, 3, 13))
    assert task.due == pendulum.Date(2026, 3, 11)
    assert task.working_days_overdue == 2
    assert task.official_id == m.officials["lawyer"].id
    assert [d.id for d, _, _ in m.service.awaiting(m.users["lawyer"])] == [draft.id]
    assert m.service.awaiting(m.users["finance"]) == []
