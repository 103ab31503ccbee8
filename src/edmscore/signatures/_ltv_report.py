"""The long-term verdict: the CAdES level, each piece of evidence, the report per signer."""

from __future__ import annotations

import enum
import json
from typing import Any

import attrs
import pendulum

from edmscore.signatures._report import (
    CertificateInfo,
    Finding,
    Reason,
    SignerReport,
    Status,
    _plain,
)

__all__ = [
    "Evidence",
    "EvidenceKind",
    "EvidenceSource",
    "Level",
    "LtvReport",
    "LtvSignerReport",
]


class Level(enum.Enum):
    """The CAdES form a signer's attributes amount to (ETSI TS 101 733 / RFC 5126)."""

    BES = "CAdES-BES"
    T = "CAdES-T"
    C = "CAdES-C"
    X_LONG = "CAdES-X Long"
    X_LONG_TYPE_1 = "CAdES-X Long Type 1"
    X_LONG_TYPE_2 = "CAdES-X Long Type 2"
    A = "CAdES-A"


class EvidenceKind(enum.Enum):
    """What a piece of long-term evidence is."""

    SIGNATURE_TIMESTAMP = "signature_timestamp"
    CADES_C_TIMESTAMP = "cades_c_timestamp"
    REFERENCES_TIMESTAMP = "references_timestamp"
    ARCHIVE_TIMESTAMP = "archive_timestamp"
    REFERENCES = "references"
    OCSP_RESPONSE = "ocsp_response"
    CRL = "crl"


class EvidenceSource(enum.Enum):
    """Where a piece of evidence came from."""

    EMBEDDED = "embedded"  # inside the signature
    GIVEN = "given"  # passed by the host
    FETCHED = "fetched"  # fetched through the host's OCSP fetcher


@attrs.frozen
class Evidence:
    """One piece of evidence and what it proved.

    ``time`` is the time it attests (a timestamp's genTime, an OCSP response's thisUpdate, a
    CRL's thisUpdate); ``issuer`` who vouches for it (the TSA, the OCSP responder, the CRL's
    issuer); ``subject`` what it is about.
    """

    kind: EvidenceKind
    status: Status
    source: EvidenceSource
    time: pendulum.DateTime | None
    issuer: str | None
    subject: str
    findings: tuple[Finding, ...] = ()


@attrs.frozen
class LtvSignerReport:
    """The long-term verdict on one signer, with the evidence behind it.

    ``proof_time`` is the earliest time a valid timestamp proves the signature existed;
    ``proof`` says it in words when the verdict rests on it (an expired certificate, say).
    ``signer`` describes the signer and the certificates as :func:`verify` does.
    """

    status: Status
    findings: tuple[Finding, ...]
    level: Level
    proof_time: pendulum.DateTime | None
    proof: str | None
    evidence: tuple[Evidence, ...]
    signer: SignerReport

    @property
    def reason(self) -> Reason | None:
        """The first reason behind the verdict, ``None`` when valid."""
        if self.status is Status.VALID:
            return None
        return attrs.evolve(self.signer, status=self.status, findings=self.findings).reason

    @property
    def certificate(self) -> CertificateInfo | None:
        """The signer's certificate."""
        return self.signer.certificate


@attrs.frozen
class LtvReport:
    """The long-term verdict on a CMS signature, with a report per signer."""

    status: Status
    reason: Reason | None
    signers: tuple[LtvSignerReport, ...]
    checked_at: pendulum.DateTime
    detached: bool

    @property
    def valid(self) -> bool:
        """Whether the overall status is ``valid``."""
        return self.status is Status.VALID

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready values."""
        result: dict[str, Any] = _plain(self)
        for out, signer in zip(result["signers"], self.signers, strict=True):
            out["reason"] = _plain(signer.reason)
        return result

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as a JSON document (UTF-8 text, Cyrillic kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
