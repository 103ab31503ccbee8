"""Signing a draft through an external signer: the head signs on a phone, an official through a
cloud signing service. The request waits in the draft (``Draft.pending_signature``) until the
value arrives; then the value is assembled into a detached CAdES signature and taken through the
same signing step as a finished signature (:func:`~edmscore.approval._signing.sign_in`).

- ``request_signature``: the signatory (or their deputy «за») names their certificate; it must
  name them (as at signing), the approved version is hashed, the request stored in the draft.
- ``complete_signature``: the value (and the certificate the signer says it used) comes back;
  expired, unknown, answered and tampered answers are refused with typed errors and leave the
  draft as it was (an expired request is dropped from the draft).
- ``cancel_signature_request``: forget the pending request.

A draft with several signatories keeps a request per signatory (``Draft.pending_signatures``):
co-signers are asked at once (in a parallel order), each request a signature of its own over
the approved version that joins the document's CMS when it comes; a countersigner's request is
a countersignature over the signature it countersigns, prepared once that one is in.
"""

from __future__ import annotations

import attrs
import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.approval import _machine as machine
from edmscore.approval._cms_verifier import signer_info
from edmscore.approval._context import ApprovalContext
from edmscore.approval._joint import signer_index
from edmscore.approval._model import Cycle, Draft, PendingSignature
from edmscore.approval._signer_match import signer_mismatch
from edmscore.approval._signing import awaiting_signature, choose_seat, sign_in
from edmscore.approval._steps import load_for_change, save
from edmscore.approval.ports import ApprovalUnitOfWork
from edmscore.errors import (
    AccessDenied,
    ApprovalStateError,
    SignatureRejected,
    SigningRequestExpired,
    SigningRequestUnknown,
)
from edmscore.signatures import Certificate, CertificateInfo, load_certificate
from edmscore.signatures._cms import parse_signed_data
from edmscore.signatures.signing import (
    SigningRequest,
    TimestampAuthority,
    assemble,
    key_algorithm,
    prepare,
    prepare_countersignature,
)

__all__ = ["cancel_signature_request", "complete_signature", "request_signature"]


def _approved_content(uow: ApprovalUnitOfWork, draft: Draft) -> tuple[bytes, int]:
    cycle = draft.cycle
    assert cycle is not None
    main = draft.version_of(cycle.version_number).main
    assert main is not None
    return uow.blobs.get(main.sha256), cycle.number


def request_signature(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    certificate: bytes | Certificate,
    *,
    valid_for: pendulum.Duration | None = None,
    signatory_id: str | None = None,
) -> tuple[Draft, SigningRequest]:
    """Prepare a signatory's signature of the approved version for an external signer."""
    now = ctx.now()
    cert = load_certificate(certificate)
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, _ = load_for_change(ctx, uow, me, draft_id, now, Permission.SIGN)
        awaiting_signature(draft)
        cycle = draft.cycle
        assert cycle is not None
        seat, acting_for = choose_seat(ctx, uow, me, cycle, now, signatory_id)
        machine.require_open_seat(cycle, seat)
        official = uow.directory.official(me.official_id or seat)
        described = signer_info(CertificateInfo.of(cert, key_algorithm(cert).value))
        failure = signer_mismatch(described, official)
        if failure is not None:
            raise SignatureRejected(failure, f"the certificate is not accepted: {failure.detail}")
        content, cycle_number = _approved_content(uow, draft)
        co = cycle.seat(seat)
        if co is not None and co.countersigns is not None:
            request = _countersignature_request(uow, cycle, co.countersigns, cert, now, valid_for)
        else:
            request = prepare(content, cert, detached=True, at=now, valid_for=valid_for)
        pending = PendingSignature(
            request_id=request.id,
            request=request.to_json(),
            requested_at=now,
            expires_at=request.expires_at,
            requested_by=me.id,
            official_id=official.id,
            cycle_number=cycle_number,
            version_number=cycle.version_number,
            acting_for=acting_for,
            signatory_id=seat,
        )
        others = tuple(p for p in draft.pending_signatures if _seat(draft, p) != seat)
        after = attrs.evolve(draft, pending_signatures=(*others, pending))
        stored = save(
            ctx, uow, me, now, "approval.signature_requested", draft, after, expected_version,
            "", {"request_id": request.id, "expires_at": request.expires_at.isoformat(),
                 "signatory_id": seat},
        )  # fmt: skip
        return stored, request


def _seat(draft: Draft, pending: PendingSignature) -> str:
    return pending.signatory_id or draft.signatory_id


def _countersignature_request(
    uow: ApprovalUnitOfWork,
    cycle: Cycle,
    countersigned: str,
    cert: Certificate,
    now: pendulum.DateTime,
    valid_for: pendulum.Duration | None,
) -> SigningRequest:
    """A countersignature over the signature of ``countersigned`` in the document's CMS."""
    target = cycle.signed_by(countersigned)
    latest = cycle.given_signatures[-1] if cycle.given_signatures else None
    if (
        target is None
        or target.value_sha256 is None
        or latest is None
        or not latest.combined
        or latest.signature is None
    ):
        raise ApprovalStateError("the countersigned signature is not a CMS signer to countersign")
    joint = uow.blobs.get(latest.signature.sha256)
    index = signer_index(parse_signed_data(joint).signers, target.value_sha256)
    if index is None:
        raise ApprovalStateError("the countersigned signature is not in the document's CMS")
    return prepare_countersignature(joint, cert, index=index, at=now, valid_for=valid_for)


def _pending(draft: Draft, request_id: str, me: Actor) -> PendingSignature:
    pending = next((p for p in draft.pending_signatures if p.request_id == request_id), None)
    cycle = draft.cycle
    if pending is None or cycle is None or pending.cycle_number != cycle.number:
        raise SigningRequestUnknown(f"the draft waits for no signing request {request_id!r}")
    if pending.requested_by != me.id:
        raise AccessDenied(f"user {me.login!r} did not request this signature")
    return pending


def _without(draft: Draft, request_id: str) -> Draft:
    kept = tuple(p for p in draft.pending_signatures if p.request_id != request_id)
    return attrs.evolve(draft, pending_signatures=kept)


def complete_signature(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    request_id: str,
    value: bytes,
    *,
    certificate: bytes | Certificate | None = None,
    timestamper: TimestampAuthority | None = None,
    register_in: str | None = None,
    manual_number: str | None = None,
) -> Draft:
    """Assemble the returned value and sign the draft with it (see
    :meth:`ApprovalService.complete_signature`)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, card = load_for_change(ctx, uow, me, draft_id, now, Permission.SIGN)
        pending = _pending(draft, request_id, me)  # a duplicate answer finds none
        awaiting_signature(draft)
        request = SigningRequest.from_json(pending.request)
        if request.expired(now):
            after = _without(draft, request_id)
            save(
                ctx, uow, me, now, "approval.signature_request_expired", draft, after,
                expected_version, "", {"request_id": request_id},
            )  # fmt: skip
            raise SigningRequestExpired(f"the signing request {request_id} has expired")
        content, _ = _approved_content(uow, draft)
        assembled = assemble(
            request, value, content, at=now, certificate=certificate, timestamper=timestamper
        )
        return sign_in(
            ctx, uow, me, draft, card, expected_version, content, assembled.signature, now,
            register_in=register_in, manual_number=manual_number,
            extra={"request_id": request_id, "timestamped": assembled.timestamped},
            signatory_id=_seat(draft, pending),
        )  # fmt: skip


def cancel_signature_request(
    ctx: ApprovalContext, actor: ActorRef, draft_id: str, expected_version: int, request_id: str
) -> Draft:
    """Forget the draft's pending request (a value that still comes is refused)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, _ = load_for_change(ctx, uow, me, draft_id, now, Permission.SIGN)
        _pending(draft, request_id, me)
        after = _without(draft, request_id)
        return save(
            ctx, uow, me, now, "approval.signature_request_cancelled", draft, after,
            expected_version, "", {"request_id": request_id},
        )  # fmt: skip
