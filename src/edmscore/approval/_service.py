"""The approval use cases: create a draft, add versions, run cycles, give visas, sign, register.

Each use case takes the acting :class:`~edmscore.directory.User`, opens one unit of work, checks
access (the draft's РКПД card decides who may see it; the author, the participants, the
signatory and their deputies decide who may act), calls the state machine, appends an audit
event and commits. Registration of the signed document happens in the same unit of work as the
draft's last change, so a failed registration leaves the draft signed and unregistered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import attrs
import pendulum

from edmscore._validate import to_tuple
from edmscore.access import may_see
from edmscore.approval import _machine as machine
from edmscore.approval._enums import DraftState, VisaDecision
from edmscore.approval._model import (
    DEFAULT_SIGNING_TERM_DAYS,
    Draft,
    DraftVersion,
    PaperApproval,
    SigningDecision,
)
from edmscore.approval._registration import register_card
from edmscore.approval._resolve import check_cleared, resolve_participant, resolve_stages
from edmscore.approval._route import (
    MAX_TERM_DAYS,
    ParticipantSpec,
    RouteTemplate,
    StageSpec,
    Substitution,
    acting_official,
)
from edmscore.approval._sheet import ApprovalSheet, approval_sheet
from edmscore.approval._sheet_pdf import render_approval_sheet
from edmscore.approval._signer_match import signer_mismatch
from edmscore.approval._terms import OverdueTask, overdue_signature, overdue_tasks
from edmscore.approval._verifier import SignatureVerifier, SignerInfo, VerificationFailure
from edmscore.approval.ports import ApprovalStorage, ApprovalUnitOfWork
from edmscore.audit import AuditEvent
from edmscore.calendar import ProductionCalendar
from edmscore.clock import Clock
from edmscore.directory import Organisation, User
from edmscore.errors import (
    AccessDenied,
    ApprovalStateError,
    ApprovedVersionMismatch,
    PaperApprovalRequired,
    RouteError,
    SignatureRejected,
    ValidationError,
)
from edmscore.registry import (
    AccessMark,
    CardDetails,
    CardKind,
    CardLink,
    FileRef,
    LinkType,
    RegistrationCard,
    Signatory,
)
from edmscore.registry.codec import to_primitive
from edmscore.services._base import ServiceBase
from edmscore.services.records import RecordsService

__all__ = ["ApprovalService", "DraftFile", "DraftRequest"]


@attrs.frozen
class DraftFile:
    """A file handed in by the host: its name, content and media type."""

    name: str
    content: bytes = attrs.field(repr=False)
    media_type: str = "application/octet-stream"


@attrs.frozen
class DraftRequest:
    """What an author submits to create a draft.

    ``details`` describe the draft for its РКПД card (kind ``CardKind.DRAFT``; for an outgoing
    target the addressees too), ``journal_id`` is the journal of drafts that numbers it,
    ``target_kind`` what it becomes when signed, ``files`` the first version (main file first).
    """

    journal_id: str
    details: CardDetails
    target_kind: CardKind
    signatory_id: str
    files: tuple[DraftFile, ...] = attrs.field(default=(), converter=to_tuple)
    note: str = ""
    draft_id: str | None = None


#: The draft states in which someone owes a visa or a signature.
_OPEN_STATES = frozenset({DraftState.IN_APPROVAL, DraftState.AWAITING_SIGNATURE})


def _signing_term(days: int | None) -> int | None:
    """A signing term given to :meth:`ApprovalService.start_approval`, checked."""
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TERM_DAYS:
        raise RouteError(
            "signing_term_days", f"a term of 1 to {MAX_TERM_DAYS} working days, got {days!r}"
        )
    return days


def _view(draft: Draft) -> dict[str, Any]:
    cycle = draft.cycle
    return {
        "state": draft.state.value,
        "version_number": draft.current.number,
        "version_sha256": draft.current.sha256,
        "cycle": None if cycle is None else cycle.number,
        "cycle_outcome": None if cycle is None else cycle.outcome.value,
        "current_stage": None if cycle is None else cycle.current_stage,
        "registered_card_id": draft.registered_card_id,
    }


class ApprovalService(ServiceBase):
    """The approval use cases over an :class:`~edmscore.approval.ApprovalStorage`.

    ``calendar`` gives the working days of terms; ``verifier`` checks signatures at signing.
    """

    def __init__(
        self,
        storage: ApprovalStorage,
        calendar: ProductionCalendar,
        verifier: SignatureVerifier,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(storage, clock)
        self._storage = storage
        self.calendar = calendar
        self.verifier = verifier
        self._records = RecordsService(storage, self.clock)

    # --- configuration -------------------------------------------------------------------------

    def put_route_template(self, actor: User, template: RouteTemplate) -> None:
        """Add or replace a route template of the actor's organisation."""
        self._require_active(actor)
        now = self._now()
        with self._storage.unit_of_work() as uow:
            if template.organisation_id != actor.organisation_id:
                raise AccessDenied("a route template of another organisation")
            uow.route_templates.put(template)
            self._audit(
                uow,
                actor,
                now,
                "route_template.put",
                "route_template",
                template.id,
                {},
                to_primitive(template),
            )
            uow.commit()

    def put_substitution(self, actor: User, substitution: Substitution) -> None:
        """Add or replace a substitution (замещение) of the actor's organisation."""
        self._require_active(actor)
        now = self._now()
        with self._storage.unit_of_work() as uow:
            if substitution.organisation_id != actor.organisation_id:
                raise AccessDenied("a substitution of another organisation")
            for official_id in (substitution.official_id, substitution.deputy_id):
                official = uow.directory.official(official_id)
                if official.organisation_id != actor.organisation_id:
                    raise RouteError("substitution", f"{official.name.full} is of another body")
            uow.substitutions.put(substitution)
            self._audit(
                uow,
                actor,
                now,
                "substitution.put",
                "substitution",
                substitution.id,
                {},
                to_primitive(substitution),
            )
            uow.commit()

    # --- reading -------------------------------------------------------------------------------

    def get(self, actor: User, draft_id: str) -> Draft:
        """The draft, if ``actor`` may see its card."""
        with self._storage.unit_of_work() as uow:
            return self._load(uow, actor, draft_id)[0]

    def history(self, actor: User, draft_id: str) -> Sequence[AuditEvent]:
        """The draft's audit events, oldest first."""
        with self._storage.unit_of_work() as uow:
            self._load(uow, actor, draft_id)
            return [event for _, event in uow.audit.events(draft_id, limit=100_000)]

    def sheet(self, actor: User, draft_id: str, *, last_cycle_only: bool = False) -> ApprovalSheet:
        """The approval sheet as typed rows."""
        with self._storage.unit_of_work() as uow:
            draft, card = self._load(uow, actor, draft_id)
            organisation = uow.directory.organisation(draft.organisation_id)
            signatory = uow.directory.official(draft.signatory_id)
            return approval_sheet(
                draft,
                organisation=organisation.name,
                document=f"{card.details.document_kind}: {card.details.summary}",
                draft_number=card.number,
                signatory_name=signatory.name.surname_initials,
                timezone=organisation.timezone,
                last_cycle_only=last_cycle_only,
                calendar=self.calendar,
            )

    def sheet_pdf(self, actor: User, draft_id: str, *, last_cycle_only: bool = False) -> bytes:
        """The approval sheet as a PDF (A4)."""
        return render_approval_sheet(self.sheet(actor, draft_id, last_cycle_only=last_cycle_only))

    def awaiting(self, actor: User) -> list[tuple[Draft, int, int]]:
        """Drafts waiting for the actor's visa or signature (or their deputy's).

        Each is (draft, stage index, assignment index); a pending signature is
        ``(draft, len(draft.cycle.stages), 0)`` — one past the last stage.
        """
        self._require_active(actor)
        now = self._now()
        found = []
        with self._storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            day = self._today(now, organisation.timezone)
            subs = uow.substitutions.in_force(organisation.id, day)
            for draft in uow.drafts.list(organisation.id, _OPEN_STATES):
                if not may_see(actor, uow.cards.get(draft.id)):
                    continue
                for s, a, assignment in machine.open_assignments(draft):
                    acting, _ = acting_official(assignment.official_id, day, subs)
                    if actor.official_id in (assignment.official_id, acting):
                        found.append((draft, s, a))
                cycle = draft.cycle
                if draft.state is DraftState.AWAITING_SIGNATURE and cycle is not None:
                    acting, _ = acting_official(cycle.signatory_id, day, subs)
                    if actor.official_id in (cycle.signatory_id, acting):
                        found.append((draft, len(cycle.stages), 0))
        return found

    def overdue(self, actor: User, on: pendulum.Date | None = None) -> list[OverdueTask]:
        """Visas of running stages, and signatures, past their term on the production calendar.

        A signature's task has ``signing`` set (see :func:`~edmscore.approval.overdue_signature`).
        """
        self._require_active(actor)
        now = self._now()
        tasks: list[OverdueTask] = []
        with self._storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            today = on or self._today(now, organisation.timezone)
            zone = organisation.timezone
            for draft in uow.drafts.list(organisation.id, _OPEN_STATES):
                if not may_see(actor, uow.cards.get(draft.id)):
                    continue
                tasks.extend(overdue_tasks(draft, today, self.calendar, zone))
                if draft.state is DraftState.AWAITING_SIGNATURE:
                    name = uow.directory.official(draft.signatory_id).name.surname_initials
                    late = overdue_signature(draft, today, self.calendar, zone, name)
                    if late is not None:
                        tasks.append(late)
        return tasks

    # --- the author's steps --------------------------------------------------------------------

    def create_draft(self, actor: User, request: DraftRequest) -> Draft:
        """Create a draft: its РКПД card (numbered in the drafts journal) and version 1."""
        self._require_active(actor)
        if request.details.kind is not CardKind.DRAFT:
            raise ValidationError("details.kind", "a draft's card is of kind DRAFT")
        if request.target_kind is CardKind.OUTGOING and not request.details.addressees:
            raise ValidationError("details.addressees", "an outgoing draft needs its addressees")
        if actor.official_id is None:
            raise AccessDenied(f"user {actor.login!r} acts for no official and cannot author")
        now = self._now()
        with self._storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            signatory = uow.directory.official(request.signatory_id)
            if signatory.organisation_id != organisation.id:
                raise ValidationError("signatory_id", "the signatory is of another organisation")
            refs = self._store_files(uow, request.files)
            details = attrs.evolve(request.details, files=refs)
            card = register_card(
                uow,
                self._records,
                actor,
                organisation,
                request.journal_id,
                details,
                now,
                card_id=request.draft_id,
            )
            draft = Draft(
                id=card.id,
                organisation_id=organisation.id,
                document_kind=details.document_kind,
                target_kind=request.target_kind,
                author_id=actor.official_id,
                author_user_id=actor.id,
                signatory_id=signatory.id,
                access=details.access,
                created_at=now,
                versions=(DraftVersion(1, refs, now, actor.id, request.note),),
            )
            uow.drafts.add(draft)
            self._audit(uow, actor, now, "draft.created", "draft", draft.id, {}, _view(draft))
            uow.commit()
            return draft

    def add_version(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        files: Sequence[DraftFile],
        note: str = "",
    ) -> Draft:
        """A new version of the files (only while no cycle runs); the card gets the new files."""
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, card = self._load(uow, actor, draft_id)
            self._author(actor, draft)
            refs = self._store_files(uow, files)
            version = DraftVersion(len(draft.versions) + 1, refs, now, actor.id, note)
            after = machine.add_version(draft, version)
            organisation = uow.directory.organisation(draft.organisation_id)
            details = self._records.check_details(
                uow,
                actor,
                organisation,
                attrs.evolve(card.details, files=refs),
                card.registration.date.year,
            )
            changed = uow.cards.update(attrs.evolve(card, details=details), card.version)
            self._audit(
                uow,
                actor,
                now,
                "card.updated",
                "card",
                card.id,
                {"files": to_primitive(card.details.files)},
                {"files": to_primitive(changed.details.files)},
            )
            return self._save(
                uow, actor, now, "draft.version_added", draft, after, expected_version, note
            )

    def start_approval(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        route: Sequence[StageSpec] | None = None,
        note: str = "",
        *,
        signing_term_days: int | None = None,
    ) -> Draft:
        """Start a cycle of the current version on ``route`` (default: the kind's template).

        The signatory's term is ``signing_term_days`` working days after the last stage; by
        default the template's when the route is the template's, else
        :data:`~edmscore.approval.DEFAULT_SIGNING_TERM_DAYS`.

        A ДСП draft of an organisation that keeps ДСП on paper is refused with
        :class:`~edmscore.errors.PaperApprovalRequired`; where ДСП runs electronically, a route
        naming anyone without clearance is refused with
        :class:`~edmscore.errors.UnclearedParticipant`.
        """
        signing_term = _signing_term(signing_term_days)
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            self._author(actor, draft)
            organisation = uow.directory.organisation(draft.organisation_id)
            dsp = draft.access is AccessMark.DSP
            if dsp and not organisation.dsp_electronic:
                raise PaperApprovalRequired(
                    f"{organisation.short_name or organisation.name} approves ДСП documents on "
                    "paper: record the paper approval (record_paper_approval) instead"
                )
            if route is None:
                template = uow.route_templates.for_kind(organisation.id, draft.document_kind)
                if template is None:
                    raise RouteError("route", f"no route template for «{draft.document_kind}»")
                route = template.stages
                signing_term = signing_term or template.signing_term_days
            day = self._today(now, organisation.timezone)
            stages = resolve_stages(uow, organisation.id, route, day, dsp=dsp)
            if dsp:
                check_cleared(uow.directory.official(draft.signatory_id), "signatory_id")
            after = machine.start_cycle(
                draft,
                stages,
                now,
                actor.id,
                note,
                signing_term or DEFAULT_SIGNING_TERM_DAYS,
            )
            return self._save(
                uow,
                actor,
                now,
                "approval.started",
                draft,
                after,
                expected_version,
                note,
                {"route": to_primitive(tuple(route))},
            )

    def extend_route(
        self,
        actor: User,
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
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            self._author(actor, draft)
            organisation = uow.directory.organisation(draft.organisation_id)
            day = self._today(now, organisation.timezone)
            dsp = draft.access is AccessMark.DSP
            if new_stage is not None:
                (stage,) = resolve_stages(uow, organisation.id, (new_stage,), day, dsp=dsp)
                after = machine.insert_stage(draft, stage_index, stage)
                added: Any = to_primitive(new_stage)
            else:
                cycle = draft.cycle
                if cycle is None or not 0 <= stage_index < len(cycle.stages):
                    raise RouteError("stage_index", f"no stage {stage_index + 1}")
                subs = uow.substitutions.in_force(organisation.id, day)
                term = cycle.stages[stage_index].term_days
                assignments = tuple(
                    resolve_participant(uow, organisation.id, p, term, subs, day, dsp=dsp)
                    for p in participants
                )
                after = machine.extend_stage(draft, stage_index, assignments)
                added = to_primitive(tuple(participants))
            return self._save(
                uow,
                actor,
                now,
                "approval.route_extended",
                draft,
                after,
                expected_version,
                "",
                {"added": added},
            )

    def recall(self, actor: User, draft_id: str, expected_version: int, reason: str) -> Draft:
        """The author withdraws the running cycle (before signing)."""
        if not reason.strip():
            raise ValidationError("reason", "a recall needs a reason")
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            self._author(actor, draft)
            after = machine.recall(draft, now, reason)
            return self._save(
                uow, actor, now, "approval.recalled", draft, after, expected_version, reason
            )

    # --- participants --------------------------------------------------------------------------

    def give_visa(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        decision: VisaDecision,
        remark: str = "",
        files: Sequence[DraftFile] = (),
    ) -> Draft:
        """The actor's visa on the current version (a deputy's is recorded as acting for)."""
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            organisation = uow.directory.organisation(draft.organisation_id)
            day = self._today(now, organisation.timezone)
            subs = uow.substitutions.in_force(organisation.id, day)
            chosen: tuple[int, int, str | None] | None = None
            for s, a, assignment in machine.open_assignments(draft):
                if actor.official_id == assignment.official_id:
                    chosen = (s, a, assignment.acting_for)
                    break
                acting, replaced = acting_official(assignment.official_id, day, subs)
                if replaced is not None and acting == actor.official_id:
                    chosen = (s, a, assignment.official_id)
                    break
            if chosen is None:
                cycle = draft.cycle
                named = cycle is not None and any(
                    a.official_id == actor.official_id
                    for st in cycle.stages
                    for a in st.assignments
                )
                if named:
                    raise ApprovalStateError("no visa of yours is awaited on this draft now")
                raise AccessDenied(f"user {actor.login!r} is not a participant of this route")
            refs = self._store_files(uow, files)
            s, a, acting_for = chosen
            after = machine.give_visa(
                draft,
                s,
                a,
                decision,
                now,
                actor.id,
                remark=remark,
                files=refs,
                acting_for=acting_for,
            )
            assert after.cycle is not None
            visa = after.cycle.stages[s].assignments[a].visa
            return self._save(
                uow,
                actor,
                now,
                "approval.visa",
                draft,
                after,
                expected_version,
                remark,
                {"visa": to_primitive(visa)},
            )

    # --- signing and registration --------------------------------------------------------------

    def sign(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        content: bytes,
        signature: bytes,
        *,
        register_in: str | None = None,
        manual_number: str | None = None,
    ) -> Draft:
        """Sign the approved version with a detached signature the host obtained.

        ``content`` must be the approved version's main file (else
        :class:`~edmscore.errors.ApprovedVersionMismatch`); the verifier must accept the
        signature, and its certificate must name the official who signs — the signatory, or the
        deputy signing «за» (else :class:`~edmscore.errors.SignatureRejected` with reason
        ``SIGNER_MISMATCH``; see :func:`~edmscore.approval.signer_mismatch`). With
        ``register_in`` the signed document is registered in that journal in the same unit of
        work.
        """
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, card = self._load(uow, actor, draft_id)
            cycle = draft.cycle
            if draft.state is not DraftState.AWAITING_SIGNATURE or cycle is None:
                raise ApprovalStateError(
                    f"draft {draft_id!r} is «{draft.state.label}», not for signing"
                )
            assert cycle.version_sha256 is not None
            offered = hashlib.sha256(content).hexdigest()
            if offered != cycle.version_sha256:
                raise ApprovedVersionMismatch(cycle.version_sha256, offered)
            organisation = uow.directory.organisation(draft.organisation_id)
            acting_for = self._acting(uow, actor, organisation, draft.signatory_id, now)
            result: SignerInfo | VerificationFailure = self.verifier.verify_detached(
                signature, content, now
            )
            if isinstance(result, SignerInfo):
                signing = uow.directory.official(actor.official_id or draft.signatory_id)
                result = signer_mismatch(result, signing) or result
            if isinstance(result, VerificationFailure):
                raise SignatureRejected(
                    result,
                    f"the signature was not accepted: {result.reason.value}: {result.detail}",
                )
            main = draft.version_of(cycle.version_number).main
            assert main is not None
            sig_sha = uow.blobs.put(signature)
            sig_ref = FileRef(
                f"{main.name}.sig", len(signature), sig_sha, "application/octet-stream"
            )
            decision = self._decision(
                uow,
                actor,
                draft,
                acting_for,
                now,
                signed=True,
                content_sha256=offered,
                signature=sig_ref,
                signer=result,
            )
            after = machine.sign(draft, decision)
            stored = self._save(
                uow,
                actor,
                now,
                "approval.signed",
                draft,
                after,
                expected_version,
                "",
                {"signer": to_primitive(result)},
                commit=register_in is None,
            )
            if register_in is None:
                return stored
            registered, _ = self._register(
                uow, actor, stored, card, register_in, manual_number, now
            )
            uow.commit()
            return registered

    def refuse_signing(
        self, actor: User, draft_id: str, expected_version: int, remark: str
    ) -> Draft:
        """The signatory refuses; the draft returns to its author."""
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            if draft.state is not DraftState.AWAITING_SIGNATURE:
                raise ApprovalStateError(
                    f"draft {draft_id!r} is «{draft.state.label}», not for signing"
                )
            organisation = uow.directory.organisation(draft.organisation_id)
            acting_for = self._acting(uow, actor, organisation, draft.signatory_id, now)
            decision = self._decision(
                uow, actor, draft, acting_for, now, signed=False, remark=remark
            )
            after = machine.refuse_signing(draft, decision)
            return self._save(
                uow, actor, now, "approval.signing_refused", draft, after, expected_version, remark
            )

    def record_paper_approval(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        approved_on: pendulum.Date,
        note: str = "",
    ) -> Draft:
        """Record that a ДСП draft was approved and signed on paper (the federal rule)."""
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            self._same_organisation(actor, draft)
            organisation = uow.directory.organisation(draft.organisation_id)
            if approved_on > self._today(now, organisation.timezone):
                raise ValidationError("approved_on", "must not be in the future")
            paper = PaperApproval(
                approved_on, draft.signatory_id, actor.id, now, draft.current.number, note
            )
            after = machine.record_paper_approval(draft, paper)
            return self._save(
                uow, actor, now, "approval.paper_recorded", draft, after, expected_version, note
            )

    def register(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        journal_id: str,
        *,
        manual_number: str | None = None,
    ) -> tuple[Draft, RegistrationCard]:
        """Register the signed draft as an outgoing or internal card, linked to the draft."""
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, card = self._load(uow, actor, draft_id)
            if draft.version != expected_version:
                from edmscore.errors import ConflictError

                raise ConflictError("draft", draft_id, expected_version, draft.version)
            result = self._register(uow, actor, draft, card, journal_id, manual_number, now)
            uow.commit()
            return result

    # --- internals -----------------------------------------------------------------------------

    def _register(
        self,
        uow: ApprovalUnitOfWork,
        actor: User,
        draft: Draft,
        card: RegistrationCard,
        journal_id: str,
        manual_number: str | None,
        now: pendulum.DateTime,
    ) -> tuple[Draft, RegistrationCard]:
        self._same_organisation(actor, draft)
        if draft.state not in (DraftState.SIGNED, DraftState.APPROVED_ON_PAPER):
            raise ApprovalStateError(f"draft {draft.id!r} is «{draft.state.label}», not signed")
        organisation = uow.directory.organisation(draft.organisation_id)
        signatory = uow.directory.official(draft.signatory_id)
        files: tuple[FileRef, ...] = ()
        cycle = draft.cycle
        if draft.state is DraftState.SIGNED and cycle is not None and cycle.signing is not None:
            signed = draft.version_of(cycle.version_number)
            assert cycle.signing.signature is not None
            files = (*signed.files, cycle.signing.signature)
        details = attrs.evolve(
            card.details,
            kind=draft.target_kind,
            files=files,
            links=(CardLink(draft.id, LinkType.RELATED, "Проект документа"),),
            signatories=(
                Signatory(signatory.name.initials_surname, signatory.position, signatory.id),
            ),
            document_date=self._today(now, organisation.timezone),
            case_index=None,
        )
        new_card = register_card(
            uow,
            self._records,
            actor,
            organisation,
            journal_id,
            details,
            now,
            manual_number=manual_number,
        )
        links = (*card.details.links, CardLink(new_card.id, LinkType.RELATED, "Зарегистрирован"))
        linked = attrs.evolve(card, details=attrs.evolve(card.details, links=links))
        stored_card = uow.cards.update(linked, card.version)
        self._audit(
            uow,
            actor,
            now,
            "card.linked",
            "card",
            card.id,
            {"links": to_primitive(card.details.links)},
            {"links": to_primitive(stored_card.details.links)},
        )
        after = machine.mark_registered(draft, new_card.id)
        stored = self._save(
            uow,
            actor,
            now,
            "draft.registered",
            draft,
            after,
            draft.version,
            new_card.number,
            {"card": new_card.number},
            commit=False,
        )
        return stored, new_card

    def _decision(
        self,
        uow: ApprovalUnitOfWork,
        actor: User,
        draft: Draft,
        acting_for: str | None,
        now: pendulum.DateTime,
        **fields: Any,
    ) -> SigningDecision:
        acting = uow.directory.official(actor.official_id or draft.signatory_id)
        replaced = uow.directory.official(acting_for) if acting_for else None
        return SigningDecision(
            at=now,
            user_id=actor.id,
            official_id=acting.id,
            name=acting.name.surname_initials,
            position=acting.position,
            acting_for=acting_for,
            acting_for_name=replaced.name.surname_initials if replaced else "",
            **fields,
        )

    def _acting(
        self,
        uow: ApprovalUnitOfWork,
        actor: User,
        organisation: Organisation,
        official_id: str,
        now: pendulum.DateTime,
    ) -> str | None:
        """None when the actor is the official; the official's id when acting as their deputy."""
        if actor.official_id == official_id:
            return None
        day = self._today(now, organisation.timezone)
        acting, replaced = acting_official(
            official_id, day, uow.substitutions.in_force(organisation.id, day)
        )
        if replaced is not None and acting == actor.official_id:
            return official_id
        raise AccessDenied(f"user {actor.login!r} is not the signatory nor acting for them")

    def _load(
        self, uow: ApprovalUnitOfWork, actor: User, draft_id: str
    ) -> tuple[Draft, RegistrationCard]:
        self._require_active(actor)
        draft = uow.drafts.get(draft_id)
        card = uow.cards.get(draft_id)
        if not may_see(actor, card) or actor.organisation_id != draft.organisation_id:
            raise AccessDenied(f"user {actor.login!r} may not see draft {draft_id!r}")
        return draft, card

    @staticmethod
    def _author(actor: User, draft: Draft) -> None:
        if actor.id != draft.author_user_id and actor.official_id != draft.author_id:
            raise AccessDenied(f"user {actor.login!r} is not the draft's author")

    @staticmethod
    def _same_organisation(actor: User, draft: Draft) -> None:
        if actor.organisation_id != draft.organisation_id:
            raise AccessDenied("a draft of another organisation")

    @staticmethod
    def _store_files(uow: ApprovalUnitOfWork, files: Sequence[DraftFile]) -> tuple[FileRef, ...]:
        refs = []
        for item in files:
            if not isinstance(item, DraftFile):
                raise ValidationError("files", "must be DraftFile values")
            sha256 = uow.blobs.put(item.content)
            refs.append(FileRef(item.name, len(item.content), sha256, item.media_type))
        return tuple(refs)

    def _save(
        self,
        uow: ApprovalUnitOfWork,
        actor: User,
        now: pendulum.DateTime,
        action: str,
        before: Draft,
        after: Draft,
        expected_version: int,
        note: str = "",
        extra: dict[str, Any] | None = None,
        *,
        commit: bool = True,
    ) -> Draft:
        stored = uow.drafts.update(after, expected_version)
        self._audit(
            uow,
            actor,
            now,
            action,
            "draft",
            before.id,
            _view(before),
            {**_view(stored), **(extra or {})},
            note[:4000],
        )
        if commit:
            uow.commit()
        return stored
