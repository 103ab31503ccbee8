"""The approval aggregate: a draft with its versions, cycles, stages, assignments and visas.

Everything is frozen; the transitions in :mod:`edmscore.approval._machine` return new values
and the service layer stores them with a version check. Names and positions are copied into
assignments when a cycle starts, so the sheet prints what was true then.
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    aware_datetime,
    date_value,
    instance_of,
    non_empty_text,
    non_negative_int,
    optional_text,
    positive_int,
    sha256_hex,
    text,
    to_date,
    to_tuple,
    tuple_of,
)
from edmscore._validate import (
    optional as maybe,
)
from edmscore.approval._enums import (
    CycleOutcome,
    DraftState,
    StageMode,
    StageOutcome,
    VisaDecision,
)
from edmscore.approval._verifier import SignerInfo
from edmscore.errors import ValidationError
from edmscore.registry import AccessMark, CardKind, FileRef

__all__ = [
    "DEFAULT_SIGNING_TERM_DAYS",
    "Assignment",
    "CoSignatory",
    "Cycle",
    "Draft",
    "DraftVersion",
    "PaperApproval",
    "PendingSignature",
    "SigningDecision",
    "Stage",
    "Visa",
]


@attrs.frozen
class DraftVersion:
    """A version of the draft's files; the first file is the document that gets signed.

    ``sha256`` is the main file's hash: the approved version's hash that signing must match.
    """

    number: int = attrs.field(validator=positive_int)
    files: tuple[FileRef, ...] = attrs.field(converter=to_tuple, validator=tuple_of(FileRef))
    created_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    created_by: str = attrs.field(validator=non_empty_text(64))
    note: str = attrs.field(default="", validator=text(2000))

    def __attrs_post_init__(self) -> None:
        names = [f.name for f in self.files]
        if len(set(names)) != len(names):
            raise ValidationError("files", "two files with the same name in one version")

    @property
    def main(self) -> FileRef | None:
        """The main file (the document itself), or None for a paper-only version."""
        return self.files[0] if self.files else None

    @property
    def sha256(self) -> str | None:
        """The main file's sha256 (None without files)."""
        return self.files[0].sha256 if self.files else None


@attrs.frozen
class Visa:
    """A decision given on one version: who, when, for whom (замещение), with what remark.

    ``official_id`` is the official who gave it — the deputy, when one acted for the assigned
    official; ``name`` and ``position`` are theirs as printed on the sheet (empty on visas
    recorded before they were kept: the assignment's are shown) and ``acting_for_name`` the
    replaced official's.
    """

    decision: VisaDecision = attrs.field(validator=instance_of(VisaDecision))
    at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    user_id: str = attrs.field(validator=non_empty_text(64))
    official_id: str = attrs.field(validator=non_empty_text(64))
    version_number: int = attrs.field(validator=positive_int)
    version_sha256: str | None = attrs.field(validator=maybe(sha256_hex))
    remark: str = attrs.field(default="", validator=text(4000))
    files: tuple[FileRef, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(FileRef)
    )
    acting_for: str | None = attrs.field(default=None, validator=optional_text(64))
    name: str = attrs.field(default="", validator=text(300))
    position: str = attrs.field(default="", validator=text(500))
    acting_for_name: str = attrs.field(default="", validator=text(300))

    def __attrs_post_init__(self) -> None:
        if self.decision.needs_remark and not self.remark.strip():
            raise ValidationError("remark", f"«{self.decision.label}» needs a remark")


@attrs.frozen
class Assignment:
    """One participant of a stage as resolved when the cycle started, and their visa.

    ``official_id`` acts; ``acting_for`` is the official they replace (замещение), if any.
    """

    official_id: str = attrs.field(validator=non_empty_text(64))
    name: str = attrs.field(validator=non_empty_text(300))
    position: str = attrs.field(validator=text(500))
    optional: bool = attrs.field(default=False, validator=instance_of(bool))
    term_days: int = attrs.field(default=3, validator=positive_int)
    acting_for: str | None = attrs.field(default=None, validator=optional_text(64))
    acting_for_name: str = attrs.field(default="", validator=text(300))
    activated_at: pendulum.DateTime | None = attrs.field(
        default=None, validator=maybe(aware_datetime)
    )
    visa: Visa | None = attrs.field(default=None, validator=maybe(instance_of(Visa)))


@attrs.frozen
class Stage:
    """A stage of a cycle: its assignments, mode, quorum k (None: all) and where it is."""

    name: str = attrs.field(validator=non_empty_text(200))
    mode: StageMode = attrs.field(validator=instance_of(StageMode))
    quorum: int | None = attrs.field(validator=maybe(positive_int))
    term_days: int = attrs.field(validator=positive_int)
    assignments: tuple[Assignment, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(Assignment)
    )
    outcome: StageOutcome = attrs.field(
        default=StageOutcome.PENDING, validator=instance_of(StageOutcome)
    )
    started_at: pendulum.DateTime | None = attrs.field(
        default=None, validator=maybe(aware_datetime)
    )
    finished_at: pendulum.DateTime | None = attrs.field(
        default=None, validator=maybe(aware_datetime)
    )

    @property
    def required(self) -> tuple[Assignment, ...]:
        """The required (not optional) assignments: the n of k of n."""
        return tuple(a for a in self.assignments if not a.optional)

    @property
    def needed(self) -> int:
        """The k of k of n: the quorum, or every required participant when there is none."""
        return self.quorum if self.quorum is not None else len(self.required)

    @property
    def agreed_count(self) -> int:
        """Required participants who agreed (with or without remarks)."""
        return sum(1 for a in self.required if a.visa is not None and a.visa.decision.agrees)

    @property
    def refused_count(self) -> int:
        """Required participants who did not agree."""
        return sum(
            1
            for a in self.required
            if a.visa is not None and a.visa.decision is VisaDecision.NOT_AGREED
        )


@attrs.frozen
class SigningDecision:
    """A signatory's decision at the end of a cycle: signed (verified signer) or refused.

    ``signatory_id`` is the route's signatory the decision answers for (the official of the
    seat: the replaced one when a deputy signs «за»); None on decisions stored before drafts had
    several signatories, which answer for the cycle's ``signatory_id``. ``signature`` is the
    signature file; when ``combined`` it is the document's CMS as it stood after this signature
    (each signature of a draft with several signatories adds its signer, or its countersignature,
    to the CMS of the ones before), else this signature alone (a raw signature, or one made
    before drafts had several signatories). ``value_sha256`` is the SHA-256 of the signer's
    signature value in the CMS, which finds it for a countersignature.
    """

    signed: bool = attrs.field(validator=instance_of(bool))
    at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    user_id: str = attrs.field(validator=non_empty_text(64))
    official_id: str = attrs.field(validator=non_empty_text(64))
    name: str = attrs.field(validator=non_empty_text(300))
    position: str = attrs.field(validator=text(500))
    acting_for: str | None = attrs.field(default=None, validator=optional_text(64))
    acting_for_name: str = attrs.field(default="", validator=text(300))
    remark: str = attrs.field(default="", validator=text(4000))
    content_sha256: str | None = attrs.field(default=None, validator=maybe(sha256_hex))
    signature: FileRef | None = attrs.field(default=None, validator=maybe(instance_of(FileRef)))
    signer: SignerInfo | None = attrs.field(default=None, validator=maybe(instance_of(SignerInfo)))
    signatory_id: str | None = attrs.field(default=None, validator=optional_text(64))
    value_sha256: str | None = attrs.field(default=None, validator=maybe(sha256_hex))
    combined: bool = attrs.field(default=False, validator=instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.signed and (self.signature is None or self.signer is None):
            raise ValidationError("signature", "a signing needs the verified signature")
        if not self.signed and not self.remark.strip():
            raise ValidationError("remark", "a refusal to sign needs a remark")


@attrs.frozen
class CoSignatory:
    """One more signatory of a cycle, resolved when the cycle started: a co-signer of a joint
    document (совместный документ), or the countersigner of another signatory's signature
    (заверительная подпись) when ``countersigns`` names that signatory's official id."""

    official_id: str = attrs.field(validator=non_empty_text(64))
    name: str = attrs.field(validator=non_empty_text(300))
    position: str = attrs.field(default="", validator=text(500))
    countersigns: str | None = attrs.field(default=None, validator=optional_text(64))

    def __attrs_post_init__(self) -> None:
        if self.countersigns == self.official_id:
            raise ValidationError("countersigns", "a signatory does not countersign themselves")


#: The signatory's term in working days when the route template does not give one.
DEFAULT_SIGNING_TERM_DAYS = 1


@attrs.frozen
class Cycle:
    """One pass of one version through the route, ending in a refusal, a recall or a signature."""

    number: int = attrs.field(validator=positive_int)
    version_number: int = attrs.field(validator=positive_int)
    version_sha256: str | None = attrs.field(validator=maybe(sha256_hex))
    started_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    started_by: str = attrs.field(validator=non_empty_text(64))
    stages: tuple[Stage, ...] = attrs.field(converter=to_tuple, validator=tuple_of(Stage))
    signatory_id: str = attrs.field(validator=non_empty_text(64))
    outcome: CycleOutcome = attrs.field(
        default=CycleOutcome.RUNNING, validator=instance_of(CycleOutcome)
    )
    current_stage: int = attrs.field(default=0, validator=non_negative_int)
    finished_at: pendulum.DateTime | None = attrs.field(
        default=None, validator=maybe(aware_datetime)
    )
    signing: SigningDecision | None = attrs.field(
        default=None, validator=maybe(instance_of(SigningDecision))
    )
    note: str = attrs.field(default="", validator=text(2000))
    signing_term_days: int = attrs.field(default=DEFAULT_SIGNING_TERM_DAYS, validator=positive_int)
    co_signatories: tuple[CoSignatory, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(CoSignatory)
    )
    signing_order: StageMode = attrs.field(
        default=StageMode.PARALLEL, validator=instance_of(StageMode)
    )
    signatures: tuple[SigningDecision, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(SigningDecision)
    )

    def __attrs_post_init__(self) -> None:
        seats = self.signatory_ids
        if len(set(seats)) != len(seats):
            raise ValidationError("co_signatories", "an official signs a document once")
        for index, co in enumerate(self.co_signatories, start=1):
            if co.countersigns is None:
                continue
            if co.countersigns not in seats[:index]:
                raise ValidationError(
                    "co_signatories", "a countersigner follows the signatory they countersign"
                )
            target = self.seat(co.countersigns)
            if target is not None and target.countersigns is not None:
                raise ValidationError("co_signatories", "a countersignature is on a signature")

    @property
    def signatory_ids(self) -> tuple[str, ...]:
        """Every signatory of the cycle in the route's order: the draft's signatory first."""
        return (self.signatory_id, *(c.official_id for c in self.co_signatories))

    def seat(self, official_id: str) -> CoSignatory | None:
        """The co-signatory with this official id (None for the draft's own signatory)."""
        return next((c for c in self.co_signatories if c.official_id == official_id), None)

    @property
    def given_signatures(self) -> tuple[SigningDecision, ...]:
        """The signatures given so far in this cycle, in the order they came.

        A cycle stored before drafts had several signatories keeps its one signature in
        ``signing`` only; it is read from there.
        """
        if self.signatures:
            return self.signatures
        return (self.signing,) if self.signing is not None and self.signing.signed else ()

    def signed_by(self, official_id: str) -> SigningDecision | None:
        """The signature given for the seat of ``official_id``, if any."""
        for decision in self.given_signatures:
            if (decision.signatory_id or self.signatory_id) == official_id:
                return decision
        return None

    @property
    def latest_signature(self) -> FileRef | None:
        """The document's CMS with every signature given so far (None before the first)."""
        given = self.given_signatures
        return given[-1].signature if given else None

    @property
    def signing_started_at(self) -> pendulum.DateTime | None:
        """When the draft went to the signatory: the last stage's end, once every stage is done."""
        if not self.stages or any(s.outcome is not StageOutcome.COMPLETED for s in self.stages):
            return None
        return self.stages[-1].finished_at

    @property
    def visas(self) -> tuple[Visa, ...]:
        """Every visa of the cycle, stage by stage."""
        return tuple(a.visa for s in self.stages for a in s.assignments if a.visa is not None)


@attrs.frozen
class PaperApproval:
    """A ДСП draft approved and signed on paper, recorded instead of an electronic cycle."""

    approved_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    signatory_id: str = attrs.field(validator=non_empty_text(64))
    recorded_by: str = attrs.field(validator=non_empty_text(64))
    recorded_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    version_number: int = attrs.field(validator=positive_int)
    note: str = attrs.field(default="", validator=text(2000))


@attrs.frozen
class PendingSignature:
    """A signature requested from an external signer (a phone, a cloud service) and not yet back.

    ``request`` is the :class:`~edmscore.signatures.signing.SigningRequest` in its JSON form;
    the draft keeps it until the value arrives, the request is cancelled or a step moves the
    draft on. ``cycle_number`` and ``version_number`` tie it to the cycle it was asked in;
    ``signatory_id`` names the signatory's seat it answers for (None on requests stored before
    drafts had several signatories: the draft's signatory).
    """

    request_id: str = attrs.field(validator=non_empty_text(64))
    request: str = attrs.field(repr=False, validator=non_empty_text(1 << 20))
    requested_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    expires_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    requested_by: str = attrs.field(validator=non_empty_text(64))
    official_id: str = attrs.field(validator=non_empty_text(64))
    cycle_number: int = attrs.field(validator=positive_int)
    version_number: int = attrs.field(validator=positive_int)
    acting_for: str | None = attrs.field(default=None, validator=optional_text(64))
    signatory_id: str | None = attrs.field(default=None, validator=optional_text(64))


def _kind(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in (CardKind.OUTGOING, CardKind.INTERNAL):
        raise ValidationError("target_kind", "a draft becomes an outgoing or internal document")


@attrs.frozen
class Draft:
    """A draft document (проект документа) under approval; its id is its РКПД card's id.

    ``version`` is the optimistic-concurrency version of the aggregate (not a file version:
    those are ``versions``).
    """

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    document_kind: str = attrs.field(validator=non_empty_text(200))
    target_kind: CardKind = attrs.field(validator=_kind)
    author_id: str = attrs.field(validator=non_empty_text(64))
    author_user_id: str = attrs.field(validator=non_empty_text(64))
    signatory_id: str = attrs.field(validator=non_empty_text(64))
    access: AccessMark = attrs.field(validator=instance_of(AccessMark))
    created_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    versions: tuple[DraftVersion, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(DraftVersion)
    )
    cycles: tuple[Cycle, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Cycle)
    )
    state: DraftState = attrs.field(default=DraftState.DRAFTING, validator=instance_of(DraftState))
    paper_approval: PaperApproval | None = attrs.field(
        default=None, validator=maybe(instance_of(PaperApproval))
    )
    registered_card_id: str | None = attrs.field(default=None, validator=optional_text(64))
    version: int = attrs.field(default=1, validator=positive_int)
    _pending_signature: PendingSignature | None = attrs.field(
        default=None, validator=maybe(instance_of(PendingSignature)), alias="pending_signature"
    )
    pending_signatures: tuple[PendingSignature, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(PendingSignature)
    )

    def __attrs_post_init__(self) -> None:
        if self._pending_signature is not None:
            # A draft stored with one pending request (``pending_signature``): it joins the
            # tuple, so the draft reads and writes in the shape of several signatories.
            known = {p.request_id for p in self.pending_signatures}
            if self._pending_signature.request_id not in known:
                joined = (self._pending_signature, *self.pending_signatures)
                object.__setattr__(self, "pending_signatures", joined)
            object.__setattr__(self, "_pending_signature", None)
        if len({p.request_id for p in self.pending_signatures}) != len(self.pending_signatures):
            raise ValidationError("pending_signatures", "two requests with the same id")
        if not self.versions:
            raise ValidationError("versions", "a draft has at least one version")
        numbers = [v.number for v in self.versions]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValidationError("versions", "versions are numbered 1, 2, … in order")

    @property
    def pending_signature(self) -> PendingSignature | None:
        """The first pending external signing request (the only one of a draft with one
        signatory); every one is in ``pending_signatures``."""
        return self.pending_signatures[0] if self.pending_signatures else None

    @property
    def current(self) -> DraftVersion:
        """The latest version."""
        return self.versions[-1]

    @property
    def cycle(self) -> Cycle | None:
        """The latest cycle, if any."""
        return self.cycles[-1] if self.cycles else None

    def version_of(self, number: int) -> DraftVersion:
        """The version with this number."""
        if not 1 <= number <= len(self.versions):
            raise ValidationError("version_number", f"no version {number}")
        return self.versions[number - 1]
