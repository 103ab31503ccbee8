"""The electronic-signature details of a card and the result of their check (card items 18–19).

The federal records rules list, among a registration card's items, the details of the document's
electronic signature and the result of its check. A :class:`SignatureRecord` keeps both for one
signature of one card: who signed (as the certificate names the holder), the certificate (serial,
issuer, validity, fingerprint), when (and whether a timestamp proves it), the verdict with its
reason, the CAdES level and the long-term evidence behind the verdict. Records are appended,
never changed: a later check of the same signature is a new record.

Incoming MEDO letters and signed approval drafts record their signatures through
:class:`~edmscore.records.CardSignatures`; the host reads them there, with the card's access
rules applied.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Protocol

import attrs
import pendulum

from edmscore._validate import aware_datetime, non_empty_text, optional_text, text
from edmscore.signatures import CertificateInfo, SignerReport, VerificationReport
from edmscore.signatures.ltv import LtvReport, LtvSignerReport

__all__ = [
    "EvidenceNote",
    "SignatureOrigin",
    "SignatureRecord",
    "SignatureRecordRepository",
]


class SignatureOrigin(enum.Enum):
    """Where the signature on the card came from."""

    MEDO = "medo"  # an incoming MEDO letter's signature
    APPROVAL = "approval"  # the signatory's signature of an approved draft
    HOST = "host"  # a signature the host checked and recorded itself

    @property
    def label(self) -> str:
        """The Russian name shown on the card."""
        return {
            SignatureOrigin.MEDO: "поступила по МЭДО",
            SignatureOrigin.APPROVAL: "подписание проекта",
            SignatureOrigin.HOST: "проверена оператором",
        }[self]


@attrs.frozen
class EvidenceNote:
    """One piece of long-term evidence, as the card keeps it."""

    kind: str = attrs.field(validator=non_empty_text(64))
    status: str = attrs.field(validator=non_empty_text(32))
    time: pendulum.DateTime | None = None
    issuer: str | None = attrs.field(default=None, validator=optional_text(1000))


@attrs.frozen
class SignatureRecord:
    """A signature of a card and the result of its check (items 18 and 19 of the card).

    ``verdict`` is ``valid``, ``invalid`` or ``indeterminate`` (the values of
    :class:`edmscore.signatures.Status`); ``reason`` the reason code when not valid.
    ``signing_time_source`` says whether ``signing_time`` is proved by a timestamp
    (``timestamp``), only claimed by the signer (``signed_attribute``) or unknown (``none``).
    ``checked_by`` is the user who had it checked, None when the system checked it (a MEDO
    letter on arrival).
    """

    id: str = attrs.field(validator=non_empty_text(64))
    card_id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    origin: SignatureOrigin
    signer: str = attrs.field(validator=non_empty_text(1000))
    certificate_serial: str = attrs.field(validator=non_empty_text(128))
    certificate_issuer: str = attrs.field(validator=text(1000))
    certificate_sha256: str = attrs.field(validator=text(64))
    certificate_not_before: pendulum.DateTime = attrs.field(validator=aware_datetime)
    certificate_not_after: pendulum.DateTime = attrs.field(validator=aware_datetime)
    verdict: str = attrs.field(validator=non_empty_text(32))
    checked_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    signing_time: pendulum.DateTime | None = None
    signing_time_source: str = "none"
    reason: str | None = attrs.field(default=None, validator=optional_text(64))
    level: str | None = attrs.field(default=None, validator=optional_text(64))
    proof: str | None = attrs.field(default=None, validator=optional_text(4000))
    evidence: tuple[EvidenceNote, ...] = ()
    file_name: str | None = attrs.field(default=None, validator=optional_text(255))
    signature_sha256: str | None = attrs.field(default=None, validator=optional_text(64))
    checked_by: str | None = attrs.field(default=None, validator=optional_text(64))

    @property
    def valid(self) -> bool:
        """Whether the check found the signature valid."""
        return self.verdict == "valid"

    @property
    def check_result(self) -> str:
        """The result of the check in Russian, as the card shows it (item 19)."""
        text_ = {
            "valid": "Подпись действительна",
            "invalid": "Подпись недействительна",
            "indeterminate": "Действительность подписи не установлена",
        }.get(self.verdict, self.verdict)
        moment = self.checked_at.in_tz("UTC").format("DD.MM.YYYY HH:mm")
        return f"{text_} (проверено {moment} UTC)"

    @classmethod
    def from_report(
        cls,
        report: VerificationReport | LtvReport,
        *,
        id: str,
        card_id: str,
        organisation_id: str,
        origin: SignatureOrigin,
        file_name: str | None = None,
        signature_sha256: str | None = None,
        checked_by: str | None = None,
        signer_index: int = 0,
    ) -> SignatureRecord:
        """The record of signer ``signer_index`` of a verification report (plain or long-term).

        A report whose signer's certificate was not found cannot fill the card's items:
        :class:`~edmscore.errors.ValidationError`.
        """
        from edmscore.errors import ValidationError

        if not 0 <= signer_index < len(report.signers):
            raise ValidationError("report", f"the report has no signer number {signer_index}")
        chosen = report.signers[signer_index]
        ltv: LtvSignerReport | None = chosen if isinstance(chosen, LtvSignerReport) else None
        signer: SignerReport = chosen.signer if isinstance(chosen, LtvSignerReport) else chosen
        cert: CertificateInfo | None = signer.certificate
        if cert is None:
            raise ValidationError("report", "the signer's certificate is not in the report")
        reason = chosen.reason
        return cls(
            id=id,
            card_id=card_id,
            organisation_id=organisation_id,
            origin=origin,
            signer=cert.fields.full_name or cert.subject,
            certificate_serial=cert.serial,
            certificate_issuer=cert.issuer,
            certificate_sha256=cert.sha256,
            certificate_not_before=cert.not_before,
            certificate_not_after=cert.not_after,
            verdict=chosen.status.value,
            checked_at=report.checked_at,
            signing_time=signer.signing_time,
            signing_time_source=signer.signing_time_source.value,
            reason=None if reason is None else reason.value,
            level=None if ltv is None else ltv.level.value,
            proof=None if ltv is None else ltv.proof,
            evidence=()
            if ltv is None
            else tuple(
                EvidenceNote(e.kind.value, e.status.value, e.time, e.issuer) for e in ltv.evidence
            ),
            file_name=file_name,
            signature_sha256=signature_sha256,
            checked_by=checked_by,
        )


class SignatureRecordRepository(Protocol):
    """Where a unit of work keeps signature records (append-only)."""

    def add(self, record: SignatureRecord) -> None:
        """Store a new record; ConflictError when its id is taken."""
        ...

    def get(self, record_id: str) -> SignatureRecord:
        """The record, or NotFound."""
        ...

    def for_card(self, card_id: str) -> Sequence[SignatureRecord]:
        """The card's records, oldest check first."""
        ...
