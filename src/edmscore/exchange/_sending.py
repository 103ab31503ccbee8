"""Sending a registered card, or the card a signed draft became, over MEDO (and again).

Both need ``exchange`` for the card's department and a card of the actor's organisation that
the actor may see (a hidden card, or another organisation's draft, is answered as missing).
Each letter's attempt is recorded for delivery control when the storage keeps records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import attrs
import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.approval import DraftRepository, DraftState
from edmscore.directory import Organisation
from edmscore.errors import NotFound, StateError
from edmscore.exchange._context import ExchangeContext
from edmscore.exchange._delivery import record_sent, repository
from edmscore.exchange._parts import participant, signing_signature
from edmscore.exchange._results import Sent
from edmscore.exchange.medo import (
    DetachedSignature,
    OutgoingLetter,
    document_uid_for,
    outgoing_messages,
)
from edmscore.records._steps import audit, deny, visible_card
from edmscore.records.ports import UnitOfWork

__all__ = ["send", "send_signed_draft"]


def send(
    ctx: ExchangeContext,
    actor: ActorRef,
    card_id: str,
    signatures: Sequence[DetachedSignature],
    contents: Mapping[str, bytes] | None,
    attempt: int,
) -> Sent:
    """The letters of a registered outgoing card of the actor's organisation (``exchange``)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        sent = _send(uow, me, card_id, signatures, contents, attempt, now)
        uow.commit()
        return sent


def send_signed_draft(ctx: ExchangeContext, actor: ActorRef, draft_id: str, attempt: int) -> Sent:
    """Send the card a signed draft of the actor's organisation was registered as."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_somewhere(Permission.EXCHANGE)
        drafts = cast(DraftRepository | None, getattr(uow, "drafts", None))
        if drafts is None:
            raise StateError("this storage keeps no drafts (not an ApprovalStorage)")
        draft = drafts.get(draft_id)
        if draft.organisation_id != me.organisation_id:
            deny(uow, me, now, "draft", draft_id, f"a draft of another organisation ({me.login!r})")
            raise NotFound("draft", draft_id)
        cycle = draft.cycle
        if (
            draft.state is not DraftState.REGISTERED
            or draft.registered_card_id is None
            or cycle is None
            or cycle.signing is None
            or cycle.signing.signature is None
        ):
            raise StateError(f"draft {draft_id!r} is not signed electronically and registered")
        main = draft.version_of(cycle.version_number).main
        assert main is not None  # a signed version has its document
        signing = cycle.signing
        assert signing.signature is not None
        signature = signing_signature(signing, main.name, uow.blobs.get(signing.signature.sha256))
        sent = _send(uow, me, draft.registered_card_id, [signature], None, attempt, now)
        uow.commit()
        return sent


def _send(
    uow: UnitOfWork,
    me: Actor,
    card_id: str,
    signatures: Sequence[DetachedSignature],
    contents: Mapping[str, bytes] | None,
    attempt: int,
    now: pendulum.DateTime,
) -> Sent:
    card = visible_card(uow, me, card_id, now)
    me.require_own(card.organisation_id, "a card")
    me.require(Permission.EXCHANGE, card.details.department_id)
    organisation = uow.directory.organisation(card.organisation_id)
    signature_names = {s.signature_name.casefold() for s in signatures}
    files = tuple(f for f in card.details.files if f.name.casefold() not in signature_names)
    if contents is None:
        contents = {f.name: uow.blobs.get(f.sha256) for f in files}
    recipients: list[Organisation] = []
    unresolved: list[str] = []
    for addressee in card.details.addressees:
        if addressee.organisation_id is None:
            unresolved.append(addressee.name)
        else:
            recipients.append(uow.directory.organisation(addressee.organisation_id))
    built, without = outgoing_messages(
        attrs.evolve(card, details=attrs.evolve(card.details, files=files)),
        sender=organisation,
        source=participant(organisation),
        recipients=recipients,
        contents=contents,
        signatures=signatures,
        time=now,
        attempt=attempt,
    )
    letters: list[OutgoingLetter] = list(built)
    left_out: list[OutgoingLetter] = []
    records = repository(uow)
    if records is not None:
        letters, left_out = record_sent(
            records, card, document_uid_for(card), built, recipients, attempt, now
        )
    audit(
        uow,
        me,
        now,
        "medo.sent",
        "card",
        card.id,
        {},
        {
            "document_uid": document_uid_for(card),
            "attempt": attempt,
            "recipients": [letter.destination.uid for letter in letters],
            "message_uids": [letter.message.header.uid for letter in letters],
            "without_medo": [*without, *unresolved],
            "already_delivered": [letter.destination.uid for letter in left_out],
        },
    )
    return Sent(
        card,
        tuple(letters),
        (*without, *unresolved),
        tuple(letter.destination.uid for letter in left_out),
    )
