"""Signing, refusing to sign, paper approval of ДСП drafts, registering the signed document."""

from __future__ import annotations

import hashlib
from typing import Any

import attrs
import pendulum

from edmscore.approval import _machine as machine
from edmscore.approval._enums import DraftState
from edmscore.approval._model import Draft, PaperApproval, SigningDecision
from edmscore.approval._registration import register_card
from edmscore.approval._route import acting_official
from edmscore.approval._service_base import ApprovalBase
from edmscore.approval._signer_match import signer_mismatch
from edmscore.approval._verifier import SignerInfo, VerificationFailure
from edmscore.approval.ports import ApprovalUnitOfWork
from edmscore.directory import Organisation, User
from edmscore.errors import (
    AccessDenied,
    ApprovalStateError,
    ApprovedVersionMismatch,
    SignatureRejected,
    ValidationError,
)
from edmscore.registry import CardLink, FileRef, LinkType, RegistrationCard, Signatory
from edmscore.registry.codec import to_primitive

__all__ = ["ApprovalSigning"]


class ApprovalSigning(ApprovalBase):
    """Signing and registration of :class:`~edmscore.approval.ApprovalService`."""

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
