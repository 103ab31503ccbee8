"""Revocation of a signer's path as of the proof time: OCSP responses, CRLs, the host's fetcher.

Revocation data speaks for a time when it was issued after it (or its validity covers it); a
certificate revoked before that time is revoked, one revoked after it is not.
"""

from __future__ import annotations

import itertools

import attrs
import pendulum

from edmscore.signatures._certificate import Certificate, Crl
from edmscore.signatures._ltv_report import Evidence, EvidenceKind, EvidenceSource
from edmscore.signatures._path import SignedObjectChecker
from edmscore.signatures._report import Finding, Reason, Status, verdict
from edmscore.signatures.ocsp import (
    CLOCK_SKEW,
    CertStatus,
    OcspFetcher,
    OcspResponse,
    build_ocsp_request,
    check_ocsp,
    load_ocsp_response,
    ocsp_urls,
)

__all__ = ["Inputs", "revocation"]


@attrs.frozen
class Inputs:
    """What every check of one verification shares: anchors, pool, revocation data, time."""

    anchors: tuple[Certificate, ...]
    pool: tuple[Certificate, ...]
    crls: tuple[tuple[Crl, EvidenceSource], ...]
    ocsp: tuple[tuple[OcspResponse, EvidenceSource], ...]
    at: pendulum.DateTime
    checker: SignedObjectChecker
    accelerated: bool | None
    fetcher: OcspFetcher | None


def revocation(
    chain: tuple[Certificate, ...],
    moment: pendulum.DateTime,
    inputs: Inputs,
    evidence: list[Evidence],
) -> list[Finding]:
    """Revocation of every certificate of the path but the anchor, as of ``moment``."""
    if not inputs.crls and not inputs.ocsp and inputs.fetcher is None:
        return []
    findings: list[Finding] = []
    for cert, issuer in itertools.pairwise(chain):
        status, when = _ocsp_status(cert, issuer, moment, inputs, evidence, fetched=False)
        if status is None:
            status, when = _crl_status(cert, issuer, moment, inputs, evidence)
        if status is None and inputs.fetcher is not None:
            status, when = _ocsp_status(cert, issuer, moment, inputs, evidence, fetched=True)
        if status is None:
            findings.append(
                Finding(
                    Reason.REVOCATION_UNKNOWN,
                    f"no revocation data of «{issuer.subject}» covers «{cert.subject}» at "
                    f"{moment.isoformat()}",
                )
            )
        elif status is CertStatus.REVOKED and when is not None and when <= moment:
            findings.append(
                Finding(
                    Reason.REVOKED,
                    f"«{cert.subject}» (serial {cert.serial_hex}) was revoked at "
                    f"{when.isoformat()}",
                )
            )
    return findings


def _fresh(
    this_update: pendulum.DateTime, next_update: pendulum.DateTime | None, moment: pendulum.DateTime
) -> bool:
    if this_update + CLOCK_SKEW >= moment:
        return True  # issued after the time in question: it speaks for it
    return next_update is not None and this_update <= moment <= next_update


def _ocsp_status(
    cert: Certificate,
    issuer: Certificate,
    moment: pendulum.DateTime,
    inputs: Inputs,
    evidence: list[Evidence],
    *,
    fetched: bool,
) -> tuple[CertStatus | None, pendulum.DateTime | None]:
    candidates: list[tuple[OcspResponse, EvidenceSource]]
    if fetched:
        candidates = []
        assert inputs.fetcher is not None
        request = build_ocsp_request(cert, issuer)
        for url in ocsp_urls(cert):
            try:
                answer = inputs.fetcher.fetch(url, request)
                candidates.append((load_ocsp_response(answer), EvidenceSource.FETCHED))
            except Exception as exc:  # the host's transport: any failure is a finding
                evidence.append(
                    Evidence(
                        EvidenceKind.OCSP_RESPONSE,
                        Status.INDETERMINATE,
                        EvidenceSource.FETCHED,
                        None,
                        url,
                        cert.subject,
                        (
                            Finding(
                                Reason.REVOCATION_UNKNOWN, f"OCSP request to {url} failed: {exc}"
                            ),
                        ),
                    )
                )
    else:
        candidates = list(inputs.ocsp)
    for response, source in candidates:
        checked = check_ocsp(response, cert, issuer, pool=inputs.pool, checker=inputs.checker)
        if checked.single is None:
            continue  # about another certificate
        single = checked.single
        usable = checked.status is not None and _fresh(
            single.this_update, single.next_update, moment
        )
        problems = checked.findings
        if checked.status is not None and not usable:
            problems = (
                Finding(
                    Reason.REVOCATION_UNKNOWN,
                    f"the OCSP response of {single.this_update.isoformat()} is not fresh for "
                    f"{moment.isoformat()}",
                ),
            )
        evidence.append(
            Evidence(
                EvidenceKind.OCSP_RESPONSE,
                Status.VALID if usable else verdict(problems),
                source,
                single.this_update,
                None if checked.responder is None else checked.responder.subject,
                cert.subject,
                problems,
            )
        )
        if usable:
            return checked.status, single.revoked_at
    return None, None


def _crl_status(
    cert: Certificate,
    issuer: Certificate,
    moment: pendulum.DateTime,
    inputs: Inputs,
    evidence: list[Evidence],
) -> tuple[CertStatus | None, pendulum.DateTime | None]:
    for crl, source in inputs.crls:
        if crl.issuer_key != issuer.subject_key:
            continue
        if issuer.key_usage is not None and "crl_sign" not in issuer.key_usage:
            continue
        if not _fresh(crl.this_update, crl.next_update, moment):
            continue
        if (
            inputs.checker.check(crl.tbs_der, crl.signature_algorithm, crl.signature, issuer)
            is not True
        ):
            continue
        revoked_at = crl.revoked.get(cert.serial)
        evidence.append(
            Evidence(
                EvidenceKind.CRL,
                Status.VALID,
                source,
                crl.this_update,
                crl.issuer,
                cert.subject,
            )
        )
        if revoked_at is not None:
            return CertStatus.REVOKED, revoked_at
        return CertStatus.GOOD, None
    return None, None
