"""The signatory's step (``sign``): signing the approved version, refusing to sign; and paper
approval of ДСП drafts (``prepare_draft``)."""

from __future__ import annotations

import hashlib
from typing import Any

import attrs
import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.approval import _machine as machine
from edmscore.approval._context import ApprovalContext
from edmscore.approval._enums import DraftState
from edmscore.approval._joint import accept_signature
from edmscore.approval._model import Cycle, Draft, PaperApproval, SigningDecision
from edmscore.approval._registration import register_signed
from edmscore.approval._route import acting_official
from edmscore.approval._signature_record import record_signing
from edmscore.approval._signer_match import signer_mismatch
from edmscore.approval._steps import load_for_change, save
from edmscore.approval._verifier import VerificationFailure
from edmscore.approval.ports import ApprovalUnitOfWork
from edmscore.directory import Power
from edmscore.errors import (
    AccessDenied,
    ApprovalStateError,
    ApprovedVersionMismatch,
    SignatureRejected,
    ValidationError,
)
from edmscore.registry import FileRef, RegistrationCard
from edmscore.registry.codec import to_primitive

__all__ = [
    "acting_for_official",
    "awaiting_signature",
    "choose_seat",
    "record_paper_approval",
    "refuse_signing",
    "sign",
    "sign_in",
]


def acting_for_official(
    ctx: ApprovalContext,
    uow: ApprovalUnitOfWork,
    me: Actor,
    official_id: str,
    now: pendulum.DateTime,
) -> str | None:
    """None when ``me`` is the official; the official's id when ``me`` is their deputy under a
    substitution in force; :class:`AccessDenied` otherwise."""
    if me.official_id == official_id:
        return None
    day = ctx.today(now, me.organisation.timezone)
    acting, replaced = acting_official(
        official_id, day, uow.substitutions.in_force(me.organisation_id, day), Power.SIGNING
    )
    if replaced is not None and acting == me.official_id:
        return official_id
    raise AccessDenied(f"user {me.login!r} is not the signatory nor acting for them")


def choose_seat(
    ctx: ApprovalContext,
    uow: ApprovalUnitOfWork,
    me: Actor,
    cycle: Cycle,
    now: pendulum.DateTime,
    signatory_id: str | None = None,
) -> tuple[str, str | None]:
    """(the signatory's seat ``me`` acts for, the replaced official or None).

    ``signatory_id`` names the seat; without it, ``me``'s own seat, else one they sign «за» —
    seats still to sign first. :class:`AccessDenied` when ``me`` may act for none.
    """
    seats = cycle.signatory_ids
    if signatory_id is not None:
        if signatory_id not in seats:
            raise ValidationError("signatory_id", "not a signatory of the draft")
        candidates = [signatory_id]
    else:
        candidates = sorted(seats, key=lambda s: cycle.signed_by(s) is not None)
    for seat in candidates:
        if me.official_id == seat:
            return seat, None
    for seat in candidates:
        try:
            return seat, acting_for_official(ctx, uow, me, seat, now)
        except AccessDenied:
            continue
    raise AccessDenied(f"user {me.login!r} is not a signatory nor acting for one")


def _decision(
    uow: ApprovalUnitOfWork,
    me: Actor,
    seat: str,
    acting_for: str | None,
    now: pendulum.DateTime,
    **fields: Any,
) -> SigningDecision:
    acting = uow.directory.official(me.official_id or seat)
    replaced = uow.directory.official(acting_for) if acting_for else None
    return SigningDecision(
        at=now,
        user_id=me.id,
        official_id=acting.id,
        name=acting.name.surname_initials,
        position=acting.position,
        acting_for=acting_for,
        acting_for_name=replaced.name.surname_initials if replaced else "",
        signatory_id=seat,
        **fields,
    )


def awaiting_signature(draft: Draft) -> None:
    """Refuse a draft that is not waiting for its signature."""
    if draft.state is not DraftState.AWAITING_SIGNATURE or draft.cycle is None:
        raise ApprovalStateError(f"draft {draft.id!r} is «{draft.state.label}», not for signing")


def sign(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    content: bytes,
    signature: bytes,
    *,
    register_in: str | None = None,
    manual_number: str | None = None,
    signatory_id: str | None = None,
) -> Draft:
    """Sign the approved version with a detached signature (see
    :meth:`ApprovalService.sign`); ``register_in`` also needs ``register`` for that journal."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, card = load_for_change(ctx, uow, me, draft_id, now, Permission.SIGN)
        return sign_in(
            ctx, uow, me, draft, card, expected_version, content, signature, now,
            register_in=register_in, manual_number=manual_number, signatory_id=signatory_id,
        )  # fmt: skip


def sign_in(
    ctx: ApprovalContext,
    uow: ApprovalUnitOfWork,
    me: Actor,
    draft: Draft,
    card: RegistrationCard,
    expected_version: int,
    content: bytes,
    signature: bytes,
    now: pendulum.DateTime,
    *,
    register_in: str | None,
    manual_number: str | None,
    extra: dict[str, Any] | None = None,
    signatory_id: str | None = None,
) -> Draft:
    """The signing step inside an open unit of work: the checks, the records, the save (and the
    registration with ``register_in`` once every signature is in); a pending external request
    of the seat is answered by it."""
    awaiting_signature(draft)
    cycle = draft.cycle
    assert cycle is not None and cycle.version_sha256 is not None
    offered = hashlib.sha256(content).hexdigest()
    if offered != cycle.version_sha256:
        raise ApprovedVersionMismatch(cycle.version_sha256, offered)
    seat, acting_for = choose_seat(ctx, uow, me, cycle, now, signatory_id)
    machine.require_open_seat(cycle, seat)
    latest = cycle.given_signatures[-1] if cycle.given_signatures else None
    accumulated = (
        uow.blobs.get(latest.signature.sha256)
        if latest is not None and latest.combined and latest.signature is not None
        else None
    )
    result = accept_signature(ctx, cycle, seat, content, signature, accumulated, now)
    if not isinstance(result, VerificationFailure):
        signing = uow.directory.official(me.official_id or seat)
        failure = signer_mismatch(result.signer, signing)
        result = failure or result
    if isinstance(result, VerificationFailure):
        raise SignatureRejected(
            result, f"the signature was not accepted: {result.reason.value}: {result.detail}"
        )
    main = draft.version_of(cycle.version_number).main
    assert main is not None
    stored_bytes = result.stored
    sig_sha = uow.blobs.put(stored_bytes)
    name = f"{main.name}.sig"
    if not result.combined and cycle.given_signatures:
        name = f"{main.name}.{len(cycle.given_signatures) + 1}.sig"
    sig_ref = FileRef(name, len(stored_bytes), sig_sha, "application/octet-stream")
    decision = _decision(
        uow, me, seat, acting_for, now,
        signed=True, content_sha256=offered, signature=sig_ref, signer=result.signer,
        value_sha256=result.value_sha256, combined=result.combined,
    )  # fmt: skip
    record_signing(uow, me, card, signature, result.signer, main.name, now)
    signed = machine.sign(draft, decision)
    pending = tuple(
        p for p in draft.pending_signatures if (p.signatory_id or draft.signatory_id) != seat
    )
    after = attrs.evolve(signed, pending_signatures=pending)
    complete = after.state is DraftState.SIGNED
    stored = save(
        ctx, uow, me, now, "approval.signed" if complete else "approval.signature_given",
        draft, after, expected_version, "",
        {"signer": to_primitive(result.signer), "signatory_id": seat, **(extra or {})},
        commit=register_in is None or not complete,
    )  # fmt: skip
    if register_in is None or not complete:
        return stored
    registered, _ = register_signed(ctx, uow, me, stored, card, register_in, manual_number, now)
    uow.commit()
    return registered


def refuse_signing(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    remark: str,
    *,
    signatory_id: str | None = None,
) -> Draft:
    """A signatory (or their deputy) refuses, with ``sign``; the draft returns to its author."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, _ = load_for_change(ctx, uow, me, draft_id, now, Permission.SIGN)
        awaiting_signature(draft)
        cycle = draft.cycle
        assert cycle is not None
        seat, acting_for = choose_seat(ctx, uow, me, cycle, now, signatory_id)
        decision = _decision(uow, me, seat, acting_for, now, signed=False, remark=remark)
        after = attrs.evolve(machine.refuse_signing(draft, decision), pending_signatures=())
        return save(
            ctx, uow, me, now, "approval.signing_refused", draft, after, expected_version, remark
        )


def record_paper_approval(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    approved_on: pendulum.Date,
    note: str = "",
) -> Draft:
    """Record that a ДСП draft was approved and signed on paper (``prepare_draft``)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, _ = load_for_change(ctx, uow, me, draft_id, now, Permission.PREPARE_DRAFT)
        if approved_on > ctx.today(now, me.organisation.timezone):
            raise ValidationError("approved_on", "must not be in the future")
        paper = PaperApproval(
            approved_on, draft.signatory_id, me.id, now, draft.current.number, note
        )
        after = machine.record_paper_approval(draft, paper)
        return save(
            ctx, uow, me, now, "approval.paper_recorded", draft, after, expected_version, note
        )
