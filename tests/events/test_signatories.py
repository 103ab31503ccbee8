"""Signature requests go to each signatory of a draft whose turn came: the co-signers at once
when the route ends, a countersigner when the signature they countersign is in."""

from __future__ import annotations

from edmscore import CardKind, Journal, User
from edmscore.approval import (
    CertificateKeyVerifier,
    DraftFile,
    DraftRequest,
    ParticipantSpec,
    SignatorySpec,
    StageSpec,
    VisaDecision,
)
from edmscore.events import EventType
from edmscore.registry import CardDetails, Correspondent
from edmscore.testing import RawSigner

from ._world import WORKER, installation

LETTER = b"%PDF-1.7 joint order"


def test_each_signatory_is_asked_when_their_turn_comes() -> None:
    edms = installation()
    for key, roles in (("ex2", ("head",)), ("deputy", ("head",)), ("ctl", ("executor",))):
        edms.admin.put_user("admin", User(f"u-{key}", key, "org", key, roles=roles))
    drafts = Journal("pr", "org", "ПР", "Проекты", "П-{seq}", {CardKind.DRAFT})
    edms.admin.create_journal("admin", drafts)
    signer = RawSigner("Орлов Василий Александрович")
    edms.approval.verifier = CertificateKeyVerifier([signer.certificate])
    edms.events.subscribe(WORKER, "signing", types=[EventType.SIGNATURE_REQUESTED])
    details = CardDetails(
        kind=CardKind.DRAFT,
        document_kind="Приказ",
        summary="Совместный приказ",
        addressees=(Correspondent("Министерство"),),
    )
    draft = edms.approval.create_draft(
        "u-ex1",
        DraftRequest("pr", details, CardKind.INTERNAL, "head", (DraftFile("order.pdf", LETTER),)),
    )
    co = (SignatorySpec("ex2"), SignatorySpec("deputy", countersigns="head"))
    draft = edms.approval.start_approval(
        "u-ex1",
        draft.id,
        draft.version,
        [StageSpec("Согласование", (ParticipantSpec("ctl"),))],
        co_signatories=co,
    )
    assert edms.events.read(WORKER, "signing") == []
    draft = edms.approval.give_visa("u-ctl", draft.id, draft.version, VisaDecision.AGREED)
    asked = edms.events.read(WORKER, "signing")
    assert sorted(e.recipients[0] for e in asked) == ["ex2", "head"]  # not the countersigner yet
    assert {e.data["signatory_id"] for e in asked} == {"ex2", "head"}
    edms.approval.sign("u-head", draft.id, draft.version, LETTER, signer.sign(LETTER))
    seen = {e.id for e in asked}
    later = [e for e in edms.events.read(WORKER, "signing") if e.id not in seen]
    assert [e.recipients[0] for e in later] == ["deputy"]
