"""Approval of drafts: routes, visas, signing, registration of the signed document, the sheet.

A draft (проект документа) has its РКПД card and versions of its files. A cycle takes the
current version through a route of sequential or parallel stages (k-of-n quorums, deputies,
terms in working days); a refusal returns it to the author, a new version starts a new cycle;
after the last stage the signatory — or several: co-signers of a joint document, countersigners
of a given signature, each signing into one CMS — signs with a detached signature checked
through the
:class:`SignatureVerifier` port (:class:`CmsSignatureVerifier` over ``edmscore.signatures``)
and made with the acting official's own certificate, and the signed draft is registered as an
outgoing or internal card. :class:`ApprovalService` holds the use cases;
:func:`render_approval_sheet` prints the approval sheet (лист согласования). See
``docs/approval.md``.
"""

from __future__ import annotations

from edmscore.approval._cms_verifier import CmsSignatureVerifier
from edmscore.approval._enums import (
    CycleOutcome,
    DraftState,
    StageMode,
    StageOutcome,
    VisaDecision,
)
from edmscore.approval._machine import draft_problems, newly_open_signatories, open_signatories
from edmscore.approval._model import (
    DEFAULT_SIGNING_TERM_DAYS,
    Assignment,
    CoSignatory,
    Cycle,
    Draft,
    DraftVersion,
    PaperApproval,
    PendingSignature,
    SigningDecision,
    Stage,
    Visa,
)
from edmscore.approval._raw_verifier import CertificateKeyVerifier
from edmscore.approval._route import (
    ParticipantSpec,
    RouteTemplate,
    SignatorySpec,
    StageSpec,
    Substitution,
    acting_official,
)
from edmscore.approval._sheet import ApprovalSheet, SheetCycle, SheetRow, approval_sheet
from edmscore.approval._sheet_pdf import append_approval_sheet, render_approval_sheet
from edmscore.approval._signer_match import normalise_name, signer_mismatch
from edmscore.approval._terms import (
    SIGNING_STAGE,
    OverdueTask,
    assignment_due,
    overdue_signature,
    overdue_signatures,
    overdue_tasks,
    signing_due,
    stage_due,
)
from edmscore.approval._verifier import (
    CountersignatureVerifier,
    FailureReason,
    SignatureVerifier,
    SignerInfo,
    VerificationFailure,
)
from edmscore.approval.ports import (
    ApprovalStorage,
    ApprovalUnitOfWork,
    DraftRepository,
    RouteTemplateRepository,
    SubstitutionRepository,
)
from edmscore.approval.service import ApprovalService, DraftFile, DraftRequest

__all__ = [
    "DEFAULT_SIGNING_TERM_DAYS",
    "SIGNING_STAGE",
    "ApprovalService",
    "ApprovalSheet",
    "ApprovalStorage",
    "ApprovalUnitOfWork",
    "Assignment",
    "CertificateKeyVerifier",
    "CmsSignatureVerifier",
    "CoSignatory",
    "CountersignatureVerifier",
    "Cycle",
    "CycleOutcome",
    "Draft",
    "DraftFile",
    "DraftRepository",
    "DraftRequest",
    "DraftState",
    "DraftVersion",
    "FailureReason",
    "OverdueTask",
    "PaperApproval",
    "ParticipantSpec",
    "PendingSignature",
    "RouteTemplate",
    "RouteTemplateRepository",
    "SheetCycle",
    "SheetRow",
    "SignatorySpec",
    "SignatureVerifier",
    "SignerInfo",
    "SigningDecision",
    "Stage",
    "StageMode",
    "StageOutcome",
    "StageSpec",
    "Substitution",
    "SubstitutionRepository",
    "VerificationFailure",
    "Visa",
    "VisaDecision",
    "acting_official",
    "append_approval_sheet",
    "approval_sheet",
    "assignment_due",
    "draft_problems",
    "newly_open_signatories",
    "normalise_name",
    "open_signatories",
    "overdue_signature",
    "overdue_signatures",
    "overdue_tasks",
    "render_approval_sheet",
    "signer_mismatch",
    "signing_due",
    "stage_due",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
