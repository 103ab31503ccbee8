"""MEDO exchange use cases: receive and register a letter, refuse it, send a signed card, notify.

:class:`ExchangeService` wires :mod:`edmscore.exchange.medo` to the registry, the approval and
the control capabilities. Each use case takes the acting user, opens one unit of work, checks
access, appends an audit event and commits:

- :meth:`~ExchangeService.receive` pre-fills an incoming card from a received letter, stores its
  files, their detached signatures and the message itself in the blob store, checks the
  signatures through the MEDO verifier, registers the card and returns it with the
  «зарегистрирован» notification to send back; :meth:`~ExchangeService.refuse` gives the
  refusal instead;
- :meth:`~ExchangeService.send` builds the letters of a registered outgoing card and its
  signatures; :meth:`~ExchangeService.send_signed_draft` does it for a draft signed and
  registered through :mod:`edmscore.approval`, its signature turned into a MEDO one;
- :meth:`~ExchangeService.executor_assigned` builds «назначен исполнитель» from an assignment
  of :mod:`edmscore.control`; :meth:`~ExchangeService.reply_received` links a notification that
  came back to the outgoing card it is about;
- delivery control (on a storage that keeps :mod:`edmscore.exchange.dispatch` records): sending
  records each addressee's attempt, :meth:`~ExchangeService.receipt_received` marks it delivered
  (or not accepted), a «зарегистрирован» / «отказано» notification marks it registered with the
  recipient's number and date, or refused; :meth:`~ExchangeService.dispatches` lists a card's
  records and :meth:`~ExchangeService.overdue` what waits too long, in working days.

Not imported by ``edmscore.exchange`` itself, so reading MEDO formats does not load the approval
and control capabilities: ``from edmscore.exchange.service import ExchangeService``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs
import pendulum

from edmscore.access import AccessPolicy, may_see
from edmscore.approval import DraftRepository, DraftState
from edmscore.calendar import ProductionCalendar
from edmscore.clock import Clock
from edmscore.control import Assignment
from edmscore.directory import Organisation, User
from edmscore.errors import AccessDenied, MedoFormatError, NotFound, StateError
from edmscore.exchange._delivery import Stuck, apply_notification, record_sent, repository
from edmscore.exchange._delivery_service import DeliveryUseCases
from edmscore.exchange._parts import (
    assignment_notification,
    participant,
    received_message_ref,
    signing_signature,
)
from edmscore.exchange.dispatch import Dispatch
from edmscore.exchange.medo import (
    Acknowledgment,
    DetachedSignature,
    DetachedVerifier,
    DocumentAccepted,
    DocumentRefused,
    IncomingDraft,
    Letter,
    Message,
    Notification,
    OutgoingLetter,
    RefusalReason,
    document_uid_for,
    incoming_draft,
    outgoing_messages,
    parse_message,
    uid_key,
)
from edmscore.records.ports import Storage, UnitOfWork
from edmscore.records.service import RecordsService, RegistrationRequest
from edmscore.registry import CardKind, FileRef, RegistrationCard

__all__ = ["ExchangeService", "Received", "ReplyLink", "Sent", "Stuck"]


@attrs.frozen
class Received:
    """A registered incoming card, the notification to send back, and what the check found."""

    card: RegistrationCard
    notification: Message
    incoming: IncomingDraft


@attrs.frozen
class Sent:
    """The letters of one sending, and the addressees that need another delivery method.

    ``already_delivered`` names (by MEDO id) the addressees a later attempt leaves out because
    their delivery record says the letter reached them.
    """

    card: RegistrationCard
    letters: tuple[OutgoingLetter, ...]
    without_medo: tuple[str, ...]
    already_delivered: tuple[str, ...] = ()


@attrs.frozen
class ReplyLink:
    """A notification that came back, the outgoing card it is about, and its delivery record.

    ``dispatch`` is the record of the card to the notification's sender as it is now (None when
    the storage keeps no records or none matches).
    """

    card: RegistrationCard
    notification: Notification
    dispatch: Dispatch | None = None


def _files(letter: Letter) -> dict[str, bytes]:
    contents: dict[str, bytes] = {}
    for item in letter.files:
        contents[item.name] = letter.path(item.name).read_bytes()
    return contents


class ExchangeService(DeliveryUseCases):
    """The MEDO exchange use cases over a :class:`~edmscore.storage.Storage`.

    ``verifier`` checks the detached signatures of received letters
    (:class:`~edmscore.exchange.medo.CmsVerifier` over ``edmscore.signatures``); without one they
    are reported as not checked. The organisation's ``medo_id`` is its MEDO participant id.
    ``calendar`` counts the working days of :meth:`overdue` (default: the federal production
    calendar of Russia with its provisional next year).
    """

    def __init__(
        self,
        storage: Storage,
        *,
        verifier: DetachedVerifier | None = None,
        clock: Clock | None = None,
        calendar: ProductionCalendar | None = None,
        policy: AccessPolicy | None = None,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        self.verifier = verifier
        self._calendar = calendar
        self._records = RecordsService(storage, self.clock, policy=self.policy)

    # --- receiving -----------------------------------------------------------------------------

    def check(self, actor: User, letter: Letter) -> IncomingDraft:
        """The pre-filled card, signature checks and warnings of a letter, nothing stored."""
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            return self._incoming(uow, organisation, letter, now)

    def receive(
        self,
        actor: User,
        letter: Letter,
        journal_id: str,
        *,
        manual_number: str | None = None,
    ) -> Received:
        """Register a received document letter as an incoming card.

        The letter's files and detached signatures, and the message XML itself, are stored in
        the blob store and listed on the card (each file's digest is checked against the one
        taken when the letter was read). The signatures are checked through the verifier; their
        outcomes and the warnings come back in ``incoming`` and in the audit event.
        """
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            source = participant(organisation)
            incoming = self._incoming(uow, organisation, letter, now)
            refs = list(incoming.details.files)
            for ref in refs:
                self._put(uow, letter, ref)
            message_bytes = (letter.folder / letter.message_name).read_bytes()
            sha256 = uow.blobs.put(message_bytes)
            refs.append(FileRef(letter.message_name, len(message_bytes), sha256, "application/xml"))
            details = attrs.evolve(incoming.details, files=tuple(refs))
            request = RegistrationRequest(journal_id, details, manual_number=manual_number)
            card = self._records.register_in(uow, actor, request, now)
            notification = incoming.registered(card, source=source, time=now)
            self._audit(
                uow,
                actor,
                now,
                "medo.received",
                "card",
                card.id,
                {},
                {
                    "document_uid": incoming.document_uid,
                    "sender": incoming.sender.uid,
                    "message_uid": letter.message.header.uid,
                    "signatures": {c.signature_name: c.status.value for c in incoming.signatures},
                    "warnings": list(incoming.warnings),
                    "notification_uid": notification.header.uid,
                },
            )
            uow.commit()
            return Received(card, notification, incoming)

    def refuse(
        self,
        actor: User,
        letter: Letter,
        reason: RefusalReason,
        *,
        comment: str | None = None,
    ) -> Message:
        """«Отказано в регистрации» for a received letter; the refusal is audited, nothing else."""
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            incoming = self._incoming(uow, organisation, letter, now)
            notification = incoming.refused(
                reason, source=participant(organisation), time=now, comment=comment
            )
            self._audit(
                uow,
                actor,
                now,
                "medo.refused",
                "medo_document",
                uid_key(incoming.document_uid),
                {},
                {
                    "sender": incoming.sender.uid,
                    "reason": reason.name,
                    "notification_uid": notification.header.uid,
                },
                comment or "",
            )
            uow.commit()
            return notification

    # --- sending -------------------------------------------------------------------------------

    def send(
        self,
        actor: User,
        card_id: str,
        signatures: Sequence[DetachedSignature],
        *,
        contents: Mapping[str, bytes] | None = None,
        attempt: int = 1,
    ) -> Sent:
        """The letters of a registered, signed outgoing card, one per addressee with a MEDO id.

        ``signatures`` are the files' detached signatures; a card file that is one of them
        travels as a signature, not as an enclosure. ``contents`` default to the blob store's.
        Addressees without a directory organisation or a MEDO id come back in ``without_medo``.
        """
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            sent = self._send(uow, actor, card_id, signatures, contents, attempt, now)
            uow.commit()
            return sent

    def send_signed_draft(self, actor: User, draft_id: str, *, attempt: int = 1) -> Sent:
        """Send the outgoing card a signed draft was registered as, with the draft's signature.

        The storage must keep drafts (an :class:`~edmscore.approval.ApprovalStorage`).
        """
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            drafts = cast(DraftRepository | None, getattr(uow, "drafts", None))
            if drafts is None:
                raise StateError("this storage keeps no drafts (not an ApprovalStorage)")
            draft = drafts.get(draft_id)
            if draft.organisation_id != actor.organisation_id:
                raise AccessDenied("a draft of another organisation")
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
            signature = signing_signature(
                signing, main.name, uow.blobs.get(signing.signature.sha256)
            )
            sent = self._send(uow, actor, draft.registered_card_id, [signature], None, attempt, now)
            uow.commit()
            return sent

    # --- notifications -------------------------------------------------------------------------

    def executor_assigned(
        self,
        actor: User,
        card_id: str,
        assignment: Assignment,
        *,
        head_id: str | None = None,
    ) -> Message:
        """«Назначен исполнитель» for an assignment on an incoming card that came by MEDO."""
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            card = self._visible(uow, actor, card_id)
            received = self._received(uow, card)
            organisation = uow.directory.organisation(card.organisation_id)
            message = assignment_notification(
                received,
                card,
                assignment,
                official=uow.directory.official,
                organisation=organisation,
                source=participant(organisation),
                time=now,
                head_id=head_id,
            )
            self._audit(
                uow,
                actor,
                now,
                "medo.notified",
                "card",
                card.id,
                {},
                {
                    "event": "executor_assigned",
                    "assignment": assignment.id,
                    "notification_uid": message.header.uid,
                },
            )
            uow.commit()
            return message

    def reply_received(self, actor: User, reply: Message) -> ReplyLink | None:
        """Link a notification about a document this organisation sent to its outgoing card.

        The notification's ``@id`` names the card and its document uid must be the card's
        (:func:`~edmscore.exchange.medo.document_uid_for`); otherwise, and for receipts (which
        name only the message), ``None``. A linked notification is audited on the card.
        """
        self._require_active(actor)
        content = reply.content
        if isinstance(content, Acknowledgment) or not isinstance(content, Notification):
            return None
        now = self._now()
        with self.storage.unit_of_work() as uow:
            try:
                card = uow.cards.get(content.id or "")
            except NotFound:
                return None
            if (
                card.organisation_id != actor.organisation_id
                or card.kind is not CardKind.OUTGOING
                or uid_key(document_uid_for(card)) != uid_key(content.document_uid)
            ):
                return None
            if not may_see(actor, card):
                raise AccessDenied(f"user {actor.login!r} may not see card {card.id!r}")
            records = repository(uow)
            moved = None if records is None else apply_notification(records, card, reply)
            fields = {"from": reply.header.source.uid, **_event_fields(content)}
            if moved is not None:
                fields["dispatch"] = moved[1].id
                fields["state"] = moved[1].state.value
            self._audit(
                uow,
                actor,
                now,
                "medo.notification_received",
                "card",
                card.id,
                {"state": moved[0].state.value} if moved is not None else {},
                fields,
                content.comment or "",
            )
            uow.commit()
            return ReplyLink(card, content, None if moved is None else moved[1])

    # --- internals -----------------------------------------------------------------------------

    def _incoming(
        self, uow: UnitOfWork, organisation: Organisation, letter: Letter, now: pendulum.DateTime
    ) -> IncomingDraft:
        return incoming_draft(
            letter,
            directory=uow.directory,
            received_on=self._today(now, organisation.timezone),
            verifier=self.verifier,
        )

    @staticmethod
    def _put(uow: UnitOfWork, letter: Letter, ref: FileRef) -> None:
        content = letter.path(ref.name).read_bytes()
        if uow.blobs.put(content) != ref.sha256 or len(content) != ref.size:
            raise MedoFormatError("files", f"{ref.name!r} changed since the letter was read")

    def _send(
        self,
        uow: UnitOfWork,
        actor: User,
        card_id: str,
        signatures: Sequence[DetachedSignature],
        contents: Mapping[str, bytes] | None,
        attempt: int,
        now: pendulum.DateTime,
    ) -> Sent:
        card = self._visible(uow, actor, card_id)
        if card.organisation_id != actor.organisation_id:
            raise AccessDenied("a card of another organisation")
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
        self._audit(
            uow,
            actor,
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

    @staticmethod
    def _received(uow: UnitOfWork, card: RegistrationCard) -> Message:
        ref = received_message_ref(card)
        if ref is None:
            raise StateError(f"card {card.id!r} keeps no MEDO message it came with")
        return parse_message(uow.blobs.get(ref.sha256), source=ref.name)


def _event_fields(notification: Notification) -> dict[str, Any]:
    event = notification.event
    fields: dict[str, Any] = {
        "document_uid": notification.document_uid,
        "event": type(event).__name__,
        "time": event.time.isoformat(),
    }
    if isinstance(event, DocumentAccepted):
        fields["their_number"] = event.num.number
        fields["their_date"] = None if event.num.date is None else event.num.date.isoformat()
    if isinstance(event, DocumentRefused):
        fields["reason"] = event.reason.name
    return fields
