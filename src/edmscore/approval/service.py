"""The approval use cases: create a draft, add versions, run cycles, give visas, sign, register.

Each use case takes ``actor`` — a :class:`~edmscore.access.Principal`, a user id, a ``User``
(counted only as its id) or a resolved :class:`~edmscore.access.Actor` — and loads the acting
user from the directory in its unit of work; it checks the permission it needs (see
``docs/approval.md``), that the draft is visible (its РКПД card decides; a hidden draft is
:class:`~edmscore.errors.NotFound` like a missing one), and who may act on it (the author, the
participants, the signatory and their deputies under substitutions); it calls the state
machine, appends an audit event and commits. Registration of the signed document happens in the
same unit of work as the draft's last change, so a failed registration leaves the draft signed
and unregistered.

Each use case is written once, as a function of a topic module — ``_drafting`` (drafts and
versions), ``_routing`` (cycles and route configuration), ``_visas``, ``_signing``,
``_registration``, ``_queries`` — over the :class:`ApprovalContext` this service builds.
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from edmscore.access import AccessPolicy, ActorRef
from edmscore.approval import (
    _drafting,
    _external,
    _queries,
    _registration,
    _routing,
    _signing,
    _visas,
)
from edmscore.approval._context import ApprovalContext
from edmscore.approval._enums import StageMode, VisaDecision
from edmscore.approval._model import Draft
from edmscore.approval._requests import DraftFile, DraftRequest
from edmscore.approval._route import (
    ParticipantSpec,
    RouteTemplate,
    SignatorySpec,
    StageSpec,
    Substitution,
)
from edmscore.approval._sheet import ApprovalSheet
from edmscore.approval._sheet_pdf import render_approval_sheet
from edmscore.approval._terms import OverdueTask
from edmscore.approval._verifier import SignatureVerifier
from edmscore.approval.ports import ApprovalStorage
from edmscore.audit import AuditEvent
from edmscore.calendar import ProductionCalendar
from edmscore.clock import Clock
from edmscore.directory import Power
from edmscore.records._base import ServiceBase
from edmscore.records.service import RecordsService
from edmscore.registry import RegistrationCard
from edmscore.signatures import Certificate
from edmscore.signatures.signing import SigningRequest, TimestampAuthority

__all__ = ["ApprovalService", "DraftFile", "DraftRequest"]


class ApprovalService(ServiceBase):
    """The approval use cases over an :class:`~edmscore.approval.ApprovalStorage`.

    ``calendar`` gives the working days of terms; ``verifier`` checks signatures at signing.
    It holds a :class:`~edmscore.records.RecordsService` (``records``, same policy) for the
    cards of drafts and of signed documents.
    """

    _power = Power.APPROVAL

    def __init__(
        self,
        storage: ApprovalStorage,
        calendar: ProductionCalendar,
        verifier: SignatureVerifier,
        clock: Clock | None = None,
        *,
        policy: AccessPolicy | None = None,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        self.records = RecordsService(storage, self.clock, policy=self.policy)
        self._ctx = ApprovalContext(
            storage=storage,
            calendar=calendar,
            verifier=verifier,
            records=self.records,
            now=self._now,
            actor=self._actor,
            today=self._today,
            audit=self._audit,
        )

    @property
    def calendar(self) -> ProductionCalendar:
        """The production calendar of terms (replaceable)."""
        return self._ctx.calendar

    @calendar.setter
    def calendar(self, value: ProductionCalendar) -> None:
        self._ctx.calendar = value

    @property
    def verifier(self) -> SignatureVerifier:
        """The signature verifier used at signing (replaceable)."""
        return self._ctx.verifier

    @verifier.setter
    def verifier(self, value: SignatureVerifier) -> None:
        self._ctx.verifier = value

    # --- drafts (prepare_draft) ----------------------------------------------------------------

    def create_draft(self, actor: ActorRef, request: DraftRequest) -> Draft:
        """Create a draft: its РКПД card (numbered in the drafts journal) and version 1."""
        return _drafting.create_draft(self._ctx, actor, request)

    def add_version(
        self,
        actor: ActorRef,
        draft_id: str,
        expected_version: int,
        files: Sequence[DraftFile],
        note: str = "",
    ) -> Draft:
        """A new version of the files (only while no cycle runs); the card gets the new files."""
        return _drafting.add_version(self._ctx, actor, draft_id, expected_version, files, note)

    # --- configuration -------------------------------------------------------------------------

    def put_route_template(self, actor: ActorRef, template: RouteTemplate) -> None:
        """Add or replace a route template of the actor's organisation."""
        _routing.put_route_template(self._ctx, actor, template)

    def put_substitution(self, actor: ActorRef, substitution: Substitution) -> None:
        """Add or replace a substitution (замещение) of the actor's organisation."""
        _routing.put_substitution(self._ctx, actor, substitution)

    # --- the cycle (prepare_draft) -------------------------------------------------------------

    def start_approval(
        self,
        actor: ActorRef,
        draft_id: str,
        expected_version: int,
        route: Sequence[StageSpec] | None = None,
        note: str = "",
        *,
        signing_term_days: int | None = None,
        co_signatories: Sequence[SignatorySpec] | None = None,
        signing_order: StageMode | None = None,
    ) -> Draft:
        """Start a cycle of the current version on ``route`` (default: the kind's template).

        ``co_signatories`` sign with the draft's signatory — co-signers of a joint document,
        countersigners of a given signature — in ``signing_order`` (parallel by default, or
        sequential in the listed order after the draft's signatory); by default the template's
        when the route is the template's. The draft is signed when every signature is in.

        The signatory's term is ``signing_term_days`` working days after the last stage; by
        default the template's when the route is the template's, else
        :data:`~edmscore.approval.DEFAULT_SIGNING_TERM_DAYS`.

        A ДСП draft of an organisation that keeps ДСП on paper is refused with
        :class:`~edmscore.errors.PaperApprovalRequired`; where ДСП runs electronically, a route
        naming anyone without clearance is refused with
        :class:`~edmscore.errors.UnclearedParticipant`.
        """
        return _routing.start_approval(
            self._ctx, actor, draft_id, expected_version, route, note,
            signing_term_days=signing_term_days, co_signatories=co_signatories,
            signing_order=signing_order,
        )  # fmt: skip

    def extend_route(
        self,
        actor: ActorRef,
        draft_id: str,
        expected_version: int,
        stage_index: int,
        participants: Sequence[ParticipantSpec] = (),
        *,
        new_stage: StageSpec | None = None,
    ) -> Draft:
        """Add participants to a later stage, or insert ``new_stage`` at ``stage_index``.

        Only stages after the current one change: a running route never gains participants in
        the stage under way or before it.
        """
        return _routing.extend_route(
            self._ctx, actor, draft_id, expected_version, stage_index, participants,
            new_stage=new_stage,
        )  # fmt: skip

    def recall(self, actor: ActorRef, draft_id: str, expected_version: int, reason: str) -> Draft:
        """The author withdraws the running cycle (before signing)."""
        return _routing.recall(self._ctx, actor, draft_id, expected_version, reason)

    # --- visas (approve) -----------------------------------------------------------------------

    def give_visa(
        self,
        actor: ActorRef,
        draft_id: str,
        expected_version: int,
        decision: VisaDecision,
        remark: str = "",
        files: Sequence[DraftFile] = (),
    ) -> Draft:
        """The actor's visa on the current version (a deputy's is recorded as acting for)."""
        return _visas.give_visa(
            self._ctx, actor, draft_id, expected_version, decision, remark, files
        )

    # --- signing (sign) and registration (register) --------------------------------------------

    def sign(
        self,
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
        """Sign the approved version with a detached signature the host obtained.

        ``content`` must be the approved version's main file (else
        :class:`~edmscore.errors.ApprovedVersionMismatch`); the verifier must accept the
        signature, and its certificate must name the official who signs — the signatory, or the
        deputy signing «за» (else :class:`~edmscore.errors.SignatureRejected` with reason
        ``SIGNER_MISMATCH``; see :func:`~edmscore.approval.signer_mismatch`). With
        ``register_in`` the signed document is registered in that journal in the same unit of
        work, once every signature is in.

        With several signatories the actor signs for their own seat (or the one they sign «за»;
        ``signatory_id`` names it when they hold more than one); the signature must be the
        seat's turn (:func:`~edmscore.approval.open_signatories`) and joins the document's CMS:
        a co-signer's adds one signer, a countersigner's one countersignature on the signature
        they countersign (checked by a :class:`~edmscore.approval.CountersignatureVerifier`).
        The draft stays «На подписании» until the last signature.
        """
        return _signing.sign(
            self._ctx, actor, draft_id, expected_version, content, signature,
            register_in=register_in, manual_number=manual_number, signatory_id=signatory_id,
        )  # fmt: skip

    def request_signature(
        self,
        actor: ActorRef,
        draft_id: str,
        expected_version: int,
        certificate: bytes | Certificate,
        *,
        valid_for: pendulum.Duration | None = None,
        signatory_id: str | None = None,
    ) -> tuple[Draft, SigningRequest]:
        """Prepare the signature of the approved version for an external signer (a phone, a
        cloud signing service): a CAdES-BES :class:`~edmscore.signatures.signing.SigningRequest`
        for ``certificate``, kept in the draft (``pending_signature``) until the value comes.

        The same checks as :meth:`sign`: the actor is the signatory or their deputy «за», and
        the certificate names them (else :class:`~edmscore.errors.SignatureRejected`). The host
        sends ``request.to_be_signed`` (or its hash) to the signer.

        With several signatories each asks for their own seat (``signatory_id`` as in
        :meth:`sign`); the draft keeps one request per signatory (``pending_signatures``) and a
        new request of a signatory replaces their earlier one. A countersigner's request is a
        countersignature of the signature they countersign, so it is asked once that one is in.
        """
        return _external.request_signature(
            self._ctx, actor, draft_id, expected_version, certificate, valid_for=valid_for,
            signatory_id=signatory_id,
        )  # fmt: skip

    def complete_signature(
        self,
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
        """Sign the draft with the value the external signer returned for ``request_id``.

        The value is assembled into a detached CMS (CAdES-T with a ``timestamper``), checked at
        once, and the draft signed as by :meth:`sign` (and registered with ``register_in``).
        Refused, leaving the draft as it was: an unknown or already answered request
        (:class:`~edmscore.errors.SigningRequestUnknown`), a value that does not verify
        (:class:`~edmscore.errors.SignatureValueInvalid`), another certificate
        (:class:`~edmscore.errors.SignerCertificateMismatch`); an expired request
        (:class:`~edmscore.errors.SigningRequestExpired`) is dropped from the draft.
        """
        return _external.complete_signature(
            self._ctx, actor, draft_id, expected_version, request_id, value,
            certificate=certificate, timestamper=timestamper, register_in=register_in,
            manual_number=manual_number,
        )  # fmt: skip

    def cancel_signature_request(
        self, actor: ActorRef, draft_id: str, expected_version: int, request_id: str
    ) -> Draft:
        """Forget the draft's pending external signing request."""
        return _external.cancel_signature_request(
            self._ctx, actor, draft_id, expected_version, request_id
        )

    def refuse_signing(
        self,
        actor: ActorRef,
        draft_id: str,
        expected_version: int,
        remark: str,
        *,
        signatory_id: str | None = None,
    ) -> Draft:
        """A signatory refuses; the draft returns to its author (one refusal of a signatory
        still to sign ends the cycle, whatever the order; the signatures given stay in it)."""
        return _signing.refuse_signing(
            self._ctx, actor, draft_id, expected_version, remark, signatory_id=signatory_id
        )

    def record_paper_approval(
        self,
        actor: ActorRef,
        draft_id: str,
        expected_version: int,
        approved_on: pendulum.Date,
        note: str = "",
    ) -> Draft:
        """Record that a ДСП draft was approved and signed on paper (the federal rule)."""
        return _signing.record_paper_approval(
            self._ctx, actor, draft_id, expected_version, approved_on, note
        )

    def register(
        self,
        actor: ActorRef,
        draft_id: str,
        expected_version: int,
        journal_id: str,
        *,
        manual_number: str | None = None,
    ) -> tuple[Draft, RegistrationCard]:
        """Register the signed draft as an outgoing or internal card, linked to the draft."""
        return _registration.register(
            self._ctx, actor, draft_id, expected_version, journal_id, manual_number=manual_number
        )

    # --- reading (read) ------------------------------------------------------------------------

    def get(self, actor: ActorRef, draft_id: str) -> Draft:
        """The draft, if ``actor`` may see its card (NotFound alike for a hidden one)."""
        return _queries.get(self._ctx, actor, draft_id)

    def history(self, actor: ActorRef, draft_id: str) -> Sequence[AuditEvent]:
        """The draft's audit events, oldest first."""
        return _queries.history(self._ctx, actor, draft_id)

    def sheet(
        self, actor: ActorRef, draft_id: str, *, last_cycle_only: bool = False
    ) -> ApprovalSheet:
        """The approval sheet as typed rows."""
        return _queries.sheet(self._ctx, actor, draft_id, last_cycle_only=last_cycle_only)

    def sheet_pdf(self, actor: ActorRef, draft_id: str, *, last_cycle_only: bool = False) -> bytes:
        """The approval sheet as a PDF (A4)."""
        return render_approval_sheet(self.sheet(actor, draft_id, last_cycle_only=last_cycle_only))

    def awaiting(self, actor: ActorRef) -> list[tuple[Draft, int, int]]:
        """Drafts waiting for the actor's visa or signature (or their deputy's).

        Each is (draft, stage index, assignment index); a pending signature is
        ``(draft, len(draft.cycle.stages), i)`` — one past the last stage, ``i`` the signatory's
        place in ``Cycle.signatory_ids`` (0 for the draft's own signatory).
        """
        return _queries.awaiting(self._ctx, actor)

    def overdue(self, actor: ActorRef, on: pendulum.Date | None = None) -> list[OverdueTask]:
        """Visas of running stages, and signatures, past their term on the production calendar.

        A signature's task has ``signing`` set (see :func:`~edmscore.approval.overdue_signature`).
        """
        return _queries.overdue(self._ctx, actor, on)
