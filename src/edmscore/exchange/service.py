"""MEDO exchange use cases: receive and register a letter, refuse it, send a signed card, notify.

:class:`ExchangeService` wires :mod:`edmscore.exchange.medo` to the registry, the approval and
the control capabilities. Each use case takes who acts (an :data:`~edmscore.access.ActorRef`:
the actor is loaded from the directory), opens one unit of work, checks the permission and the
visibility rule of :mod:`edmscore.access`, appends an audit event and commits:

- receiving (:mod:`._receiving`): :meth:`~ExchangeService.check`,
  :meth:`~ExchangeService.receive` (registered in the actor's organisation through the composed
  :class:`~edmscore.records.service.RecordsService`) and :meth:`~ExchangeService.refuse`;
- sending (:mod:`._sending`): :meth:`~ExchangeService.send` and
  :meth:`~ExchangeService.send_signed_draft`, each letter's attempt recorded for delivery control;
- what goes and comes back (:mod:`._answers`): :meth:`~ExchangeService.executor_assigned`,
  :meth:`~ExchangeService.receipt_received`, :meth:`~ExchangeService.reply_received`;
- delivery control listings (:mod:`._tracking`): :meth:`~ExchangeService.dispatches`,
  :meth:`~ExchangeService.overdue`, :meth:`~ExchangeService.failed`.

Not imported by ``edmscore.exchange`` itself, so reading MEDO formats does not load the approval
and control capabilities: ``from edmscore.exchange.service import ExchangeService``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from edmscore.access import AccessPolicy, ActorRef
from edmscore.calendar import ProductionCalendar, russian_calendar
from edmscore.clock import Clock
from edmscore.control import Assignment
from edmscore.exchange import _answers, _receiving, _sending, _tracking
from edmscore.exchange._context import ExchangeContext
from edmscore.exchange._delivery import Stuck
from edmscore.exchange._results import Received, ReplyLink, Sent
from edmscore.exchange.dispatch import Dispatch
from edmscore.exchange.medo import (
    DetachedSignature,
    DetachedVerifier,
    IncomingDraft,
    Letter,
    Message,
    RefusalReason,
)
from edmscore.records._base import ServiceBase
from edmscore.records.ports import Storage
from edmscore.records.service import RecordsService

__all__ = ["ExchangeService", "Received", "ReplyLink", "Sent", "Stuck"]


class ExchangeService(ServiceBase):
    """The MEDO exchange use cases over a :class:`~edmscore.storage.Storage`.

    ``verifier`` checks the detached signatures of received letters
    (:class:`~edmscore.exchange.medo.CmsVerifier` over ``edmscore.signatures``); without one they
    are reported as not checked. The organisation's ``medo_id`` is its MEDO participant id.
    ``calendar`` counts the working days of :meth:`overdue` (default: the federal production
    calendar of Russia, years without a decree on the Labour Code). ``policy`` is the installation's
    :class:`~edmscore.access.AccessPolicy` (default: the migration default, see ``docs/access.md``).
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

    @property
    def calendar(self) -> ProductionCalendar:
        """The production calendar :meth:`overdue` counts working days on."""
        if self._calendar is None:
            self._calendar = russian_calendar(include_provisional=True)
        return self._calendar

    def _context(self) -> ExchangeContext:
        return ExchangeContext(
            storage=self.storage,
            clock=self.clock,
            policy=self.policy,
            records=self._records,
            calendar=lambda: self.calendar,
            verifier=self.verifier,
        )

    # --- receiving -----------------------------------------------------------------------------

    def check(self, actor: ActorRef, letter: Letter) -> IncomingDraft:
        """The pre-filled card, signature checks and warnings of a letter, nothing stored."""
        return _receiving.check(self._context(), actor, letter)

    def receive(
        self,
        actor: ActorRef,
        letter: Letter,
        journal_id: str,
        *,
        manual_number: str | None = None,
    ) -> Received:
        """Register a received document letter as an incoming card of the actor's organisation.

        The letter's files and detached signatures, and the message XML itself, are stored in
        the blob store and listed on the card (each file's digest is checked against the one
        taken when the letter was read). The signatures are checked through the verifier; their
        outcomes and the warnings come back in ``incoming`` and in the audit event. A restriction
        mark that is not recognised registers the card ДСП with a note asking a person to read
        it (:attr:`Received.classification_review_needed`, also in the audit event).
        """
        return _receiving.receive(self._context(), actor, letter, journal_id, manual_number)

    def refuse(
        self,
        actor: ActorRef,
        letter: Letter,
        reason: RefusalReason,
        *,
        comment: str | None = None,
    ) -> Message:
        """«Отказано в регистрации» for a received letter; the refusal is audited, nothing else."""
        return _receiving.refuse(self._context(), actor, letter, reason, comment)

    # --- sending -------------------------------------------------------------------------------

    def send(
        self,
        actor: ActorRef,
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
        return _sending.send(self._context(), actor, card_id, signatures, contents, attempt)

    def send_signed_draft(self, actor: ActorRef, draft_id: str, *, attempt: int = 1) -> Sent:
        """Send the outgoing card a signed draft was registered as, with the draft's signature.

        The storage must keep drafts (an :class:`~edmscore.approval.ApprovalStorage`).
        """
        return _sending.send_signed_draft(self._context(), actor, draft_id, attempt)

    # --- notifications -------------------------------------------------------------------------

    def executor_assigned(
        self,
        actor: ActorRef,
        card_id: str,
        assignment: Assignment,
        *,
        head_id: str | None = None,
    ) -> Message:
        """«Назначен исполнитель» for an assignment on an incoming card that came by MEDO."""
        return _answers.executor_assigned(self._context(), actor, card_id, assignment, head_id)

    def reply_received(self, actor: ActorRef, reply: Message) -> ReplyLink | None:
        """Link a notification about a document this organisation sent to its outgoing card.

        The notification's ``@id`` names the card and its document uid must be the card's
        (:func:`~edmscore.exchange.medo.document_uid_for`); otherwise, and for receipts (which
        name only the message), ``None``. A linked notification is audited on the card.
        """
        return _answers.reply_received(self._context(), actor, reply)

    def receipt_received(self, actor: ActorRef, receipt: Message) -> Dispatch | None:
        """Apply a receipt (квитанция) to the delivery record of the message it acknowledges.

        An accepting receipt marks the letter delivered, one that says "not accepted" marks it
        failed (a new attempt may then be sent). Anything but a receipt, a receipt of a message
        this organisation did not send, or one not from that message's recipient gives None; a
        storage that keeps no delivery records too. A changed record is audited on the card as
        ``medo.receipt_received``, with the receipt's ``hashCodes`` checked against the card's
        files (``hash_codes``: file name → ``match``, ``mismatch``…; a mismatch is reported, not
        raised); a receipt contradicting what is known raises
        :class:`~edmscore.errors.DispatchStateError` and changes nothing.
        """
        return _answers.receipt_received(self._context(), actor, receipt)

    # --- delivery control ----------------------------------------------------------------------

    def dispatches(self, actor: ActorRef, card_id: str) -> tuple[Dispatch, ...]:
        """The delivery records of an outgoing card, one per addressee, by first sending.

        Empty when nothing was sent (or the storage keeps no records); NotFound for a card the
        actor may not see, as for a missing one.
        """
        return _tracking.dispatches(self._context(), actor, card_id)

    def overdue(
        self,
        actor: ActorRef,
        *,
        delivery_days: int = 1,
        registration_days: int = 3,
        limit: int = 1000,
    ) -> tuple[Stuck, ...]:
        """Letters of the actor's organisation waiting too long, most overdue first.

        Sent with no receipt ``delivery_days`` working days after the day they were sent, or
        delivered but not registered by the recipient ``registration_days`` working days after
        delivery, on the production calendar (:attr:`calendar`), days taken in the
        organisation's time zone. Records of cards the actor may not see (ДСП) are left out.
        """
        return _tracking.overdue(self._context(), actor, delivery_days, registration_days, limit)

    def failed(self, actor: ActorRef, *, limit: int = 1000) -> tuple[Dispatch, ...]:
        """Letters of the actor's organisation a recipient's system did not accept (its receipt
        said so), awaiting a new attempt (:meth:`send` with the next ``attempt``), oldest first.

        Records of cards the actor may not see (ДСП) are left out.
        """
        return _tracking.failed(self._context(), actor, limit)


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
