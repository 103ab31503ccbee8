"""Long-term validity: CAdES-T, -C, -X Long (Type 1 and 2) and -A signatures checked in the past.

A signature whose certificate has expired since is still valid when evidence proves it was made
while the certificate was valid and not revoked. :func:`verify_ltv` reads that evidence from the
signature's unsigned attributes — signature timestamps (CAdES-T), the complete certificate and
revocation references with their CAdES-C timestamp (CAdES-C, X Long Type 1 / Type 2), the
certificate and revocation values (X Long), archive timestamps v2 and v3 (CAdES-A) — together
with revocation data the host gives (CRLs, OCSP responses) or fetches through an
:class:`~edmscore.signatures.ocsp.OcspFetcher`.

The timestamps are checked from the newest inwards: the newest against the trust anchors now,
each older one at the time the next one proves (its TSA certificate need only have been valid
then). The earliest time proved for the signature (*proof time*) is when the signer's path must
have been valid; revocation data counts when it was issued after that time (or covers it). The
report names the proof: which timestamp, of which TSA, proved which time.
"""

from __future__ import annotations

import enum
import itertools
import json
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from edmscore.errors import SignatureError
from edmscore.signatures import _digests, _ets, _oids, _verify
from edmscore.signatures._certificate import Certificate, Crl, load_certificate, load_crl
from edmscore.signatures._cms import SignerData, parse_signed_data
from edmscore.signatures._ltv_data import (
    SignerLtvData,
    UnsignedAttribute,
    archive_v2_data,
    archive_v3_data,
    esc_timestamp_data,
    read_signers,
    refs_timestamp_data,
)
from edmscore.signatures._path import SignedObjectChecker, build_path, check_path
from edmscore.signatures._report import (
    CertificateInfo,
    Finding,
    Reason,
    SignerReport,
    Status,
    TimeSource,
    _plain,
    verdict,
)
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
from edmscore.signatures.timestamps import TimestampToken, check_token, load_timestamp_token

__all__ = [
    "Evidence",
    "EvidenceKind",
    "EvidenceSource",
    "Level",
    "LtvReport",
    "LtvSignerReport",
    "verify_ltv",
]

_SIGNER_USAGES = frozenset({"digital_signature", "non_repudiation"})
# Findings about the signature itself: no later evidence changes them.
_INTEGRITY = frozenset(
    {
        Reason.CONTENT_MISSING,
        Reason.MISSING_ATTRIBUTE,
        Reason.CONTENT_TYPE_MISMATCH,
        Reason.DIGEST_MISMATCH,
        Reason.BAD_SIGNATURE,
        Reason.SIGNING_CERTIFICATE_MISMATCH,
        Reason.UNSUPPORTED_ALGORITHM,
        Reason.NO_SIGNER_CERTIFICATE,
    }
)


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


@attrs.frozen
class _Inputs:
    anchors: tuple[Certificate, ...]
    pool: tuple[Certificate, ...]
    crls: tuple[tuple[Crl, EvidenceSource], ...]
    ocsp: tuple[tuple[OcspResponse, EvidenceSource], ...]
    at: pendulum.DateTime
    checker: SignedObjectChecker
    accelerated: bool | None
    fetcher: OcspFetcher | None


def verify_ltv(
    content: _verify.Content | None,
    signature: bytes,
    *,
    trust_anchors: Iterable[bytes | Certificate],
    crls: Iterable[bytes | Crl] = (),
    ocsp_responses: Iterable[bytes | OcspResponse] = (),
    intermediates: Iterable[bytes | Certificate] = (),
    ocsp_fetcher: OcspFetcher | None = None,
    at: pendulum.DateTime | None = None,
    accelerated: bool | None = None,
) -> LtvReport:
    """Verify a CMS signature with its long-term evidence and return the report.

    Arguments as for :func:`edmscore.signatures.verify`, plus ``ocsp_responses`` the host has
    (DER OCSPResponse or BasicOCSPResponse) and ``ocsp_fetcher`` to ask responders for
    certificates no other revocation data covers. Revocation is checked when any revocation data
    is available (given, embedded or fetchable). Raises a
    :class:`~edmscore.errors.SignatureError` subclass for malformed input.
    """
    parsed = parse_signed_data(signature)
    long_term = read_signers(signature)
    moment = (at or pendulum.now("UTC")).in_tz("UTC")
    embedded_certs = tuple(c for data in long_term for c in data.certificates)
    inputs = _Inputs(
        anchors=tuple(load_certificate(a) for a in trust_anchors),
        pool=parsed.certificates
        + embedded_certs
        + tuple(load_certificate(c) for c in intermediates),
        crls=(
            *((load_crl(c), EvidenceSource.GIVEN) for c in crls),
            *((c, EvidenceSource.EMBEDDED) for c in parsed.crls),
            *((c, EvidenceSource.EMBEDDED) for data in long_term for c in data.crls),
        ),
        ocsp=(
            *((load_ocsp_response(r), EvidenceSource.GIVEN) for r in ocsp_responses),
            *((r, EvidenceSource.EMBEDDED) for data in long_term for r in data.ocsp_responses),
        ),
        at=moment,
        checker=SignedObjectChecker(accelerated),
        accelerated=accelerated,
        fetcher=ocsp_fetcher,
    )
    source = content if content is not None else parsed.content
    digests: dict[str, bytes | None] | None = None
    content_bytes: bytes | None = None
    if source is not None:
        # The content is read once: for the signers' digests and the archive-time-stamp-v3s'.
        oids = {s.digest_algorithm for s in parsed.signers} | _archive_hashes(long_term)
        if isinstance(source, bytes):
            content_bytes = source
        digests = _verify._digest_content(source, oids, accelerated)
    signers = tuple(
        _check(signer, data, parsed.content_type, digests, content_bytes, inputs)
        for signer, data in zip(parsed.signers, long_term, strict=True)
    )
    overall = [s.status for s in signers]
    if Status.INVALID in overall:
        status = Status.INVALID
    elif Status.INDETERMINATE in overall:
        status = Status.INDETERMINATE
    else:
        status = Status.VALID
    first = next((s for s in signers if s.status is status and s.reason is not None), None)
    reason = None if first is None else first.reason
    if not signers:
        status, reason = Status.INVALID, Reason.NO_SIGNERS
    return LtvReport(
        status=status,
        reason=reason,
        signers=signers,
        checked_at=moment,
        detached=parsed.content is None,
    )


def _level(data: SignerLtvData) -> Level:
    if data.has(_ets.ARCHIVE_TIMESTAMP_V2) or data.has(_ets.ARCHIVE_TIMESTAMP_V3):
        return Level.A
    if data.has(_ets.ARCHIVE_TIMESTAMP_V1):
        return Level.A
    has_refs = data.has(_ets.CERTIFICATE_REFS) or data.has(_ets.REVOCATION_REFS)
    has_values = data.has(_ets.CERTIFICATE_VALUES) or data.has(_ets.REVOCATION_VALUES)
    if has_refs and has_values:
        if data.has(_ets.ESC_TIMESTAMP):
            return Level.X_LONG_TYPE_1
        if data.has(_ets.REFS_TIMESTAMP):
            return Level.X_LONG_TYPE_2
        return Level.X_LONG
    if has_refs:
        return Level.C
    if data.has(_ets.SIGNATURE_TIMESTAMP):
        return Level.T
    return Level.BES


@attrs.frozen
class _Layer:
    kind: EvidenceKind
    attribute: UnsignedAttribute
    token: TimestampToken | None
    problem: Finding | None


def _layers(data: SignerLtvData) -> list[_Layer]:
    kinds = {
        _ets.SIGNATURE_TIMESTAMP: EvidenceKind.SIGNATURE_TIMESTAMP,
        _ets.ESC_TIMESTAMP: EvidenceKind.CADES_C_TIMESTAMP,
        _ets.REFS_TIMESTAMP: EvidenceKind.REFERENCES_TIMESTAMP,
        _ets.ARCHIVE_TIMESTAMP_V2: EvidenceKind.ARCHIVE_TIMESTAMP,
        _ets.ARCHIVE_TIMESTAMP_V3: EvidenceKind.ARCHIVE_TIMESTAMP,
    }
    layers: list[_Layer] = []
    for attribute in data.attributes:
        kind = kinds.get(attribute.oid)
        if kind is None:
            continue
        for value in attribute.values:
            try:
                layers.append(_Layer(kind, attribute, load_timestamp_token(value), None))
            except SignatureError as exc:
                layers.append(
                    _Layer(kind, attribute, None, Finding(Reason.EVIDENCE_INVALID, str(exc)))
                )
    return layers


def _archive_hashes(long_term: tuple[SignerLtvData, ...]) -> set[str]:
    """The hash algorithms of the archive-time-stamp-v3 tokens (they hash the content)."""
    found: set[str] = set()
    for data in long_term:
        for value in data.values_of(_ets.ARCHIVE_TIMESTAMP_V3):
            try:
                found.add(load_timestamp_token(value).hash_algorithm)
            except SignatureError:
                continue  # reported when the layer is checked
    return found


def _imprint_data(
    layer: _Layer,
    data: SignerLtvData,
    signer: SignerData,
    content: bytes | None,
    digests: dict[str, bytes | None] | None,
    accelerated: bool | None,
) -> tuple[bytes | None, bytes | None, str | None]:
    """(data, digest, problem): what the layer's timestamp must have hashed."""
    token = layer.token
    assert token is not None
    if layer.kind is EvidenceKind.SIGNATURE_TIMESTAMP:
        return signer.signature, None, None
    if layer.kind is EvidenceKind.CADES_C_TIMESTAMP:
        return esc_timestamp_data(data, signer.signature), None, None
    if layer.kind is EvidenceKind.REFERENCES_TIMESTAMP:
        return refs_timestamp_data(data), None, None
    if layer.attribute.oid == _ets.ARCHIVE_TIMESTAMP_V2:
        if data.e_content is None and content is None:
            return None, None, "an archive-time-stamp-v2 is checked with the content as bytes"
        return archive_v2_data(data, layer.attribute, content), None, None
    if data.e_content is not None:
        content_digest = _digests.digest(
            token.hash_algorithm, data.e_content, accelerated=accelerated
        )
    elif digests is not None:
        content_digest = digests.get(token.hash_algorithm)
    else:
        return None, None, "the archive timestamp cannot be checked without the signed content"
    index = read_signers(token.der)[0].values_of(_ets.ATS_HASH_INDEX)
    if content_digest is None or len(index) != 1:
        return None, None, "the archive timestamp v3 has no single ats-hash-index"
    return archive_v3_data(data, content_digest, index[0]), None, None


def _check(
    signer: SignerData,
    data: SignerLtvData,
    content_type: str,
    digests: dict[str, bytes | None] | None,
    content: bytes | None,
    inputs: _Inputs,
) -> LtvSignerReport:
    context = _verify._Context(
        anchors=inputs.anchors,
        pool=inputs.pool,
        crls=(),
        at=inputs.at,
        checker=inputs.checker,
        accelerated=inputs.accelerated,
    )
    base = _verify._check_signer(signer, content_type, digests, context, leaf_eku=None)
    integrity = [f for f in base.findings if f.reason in _INTEGRITY]
    evidence: list[Evidence] = []
    findings: list[Finding] = list(integrity)
    # The timestamps, newest first, each checked at the time the newer ones prove.
    layers = _layers(data)
    check_time = inputs.at
    proof_time: pendulum.DateTime | None = None
    proof_by: tuple[EvidenceKind, str | None] | None = None
    ordered = sorted(layers, key=lambda x: x.token.gen_time if x.token else inputs.at, reverse=True)
    for layer in ordered:
        if layer.token is None:
            assert layer.problem is not None
            evidence.append(
                Evidence(
                    layer.kind,
                    Status.INVALID,
                    EvidenceSource.EMBEDDED,
                    None,
                    None,
                    _ets.NAMES[layer.attribute.oid],
                    (layer.problem,),
                )
            )
            findings.append(layer.problem)
            continue
        stamped, digest, problem = _imprint_data(
            layer, data, signer, content, digests, inputs.accelerated
        )
        report = check_token(
            layer.token,
            data=stamped,
            digest=digest,
            anchors=inputs.anchors,
            pool=inputs.pool,
            crls=(),
            at=check_time,
            checker=inputs.checker,
            accelerated=inputs.accelerated,
        )
        layer_findings = list(report.findings)
        if problem is not None:
            layer_findings.append(Finding(Reason.EVIDENCE_INVALID, problem))
        status = verdict(tuple(layer_findings))
        tsa = (
            None
            if report.tsa is None or report.tsa.certificate is None
            else (report.tsa.certificate.subject)
        )
        evidence.append(
            Evidence(
                layer.kind,
                status,
                EvidenceSource.EMBEDDED,
                layer.token.gen_time,
                tsa,
                _ets.NAMES[layer.attribute.oid],
                tuple(layer_findings),
            )
        )
        if status is Status.VALID:
            check_time = min(check_time, layer.token.gen_time)
            if proof_time is None or layer.token.gen_time <= proof_time:
                proof_time = layer.token.gen_time
                proof_by = (layer.kind, tsa)
        elif status is Status.INVALID and any(
            f.reason is Reason.DIGEST_MISMATCH for f in layer_findings
        ):
            findings.append(
                Finding(
                    Reason.EVIDENCE_INVALID,
                    f"the {_ets.NAMES[layer.attribute.oid]} does not match what it should cover",
                )
            )
    findings += _check_references(data, inputs, evidence)
    cert = _verify._find_certificate(signer, context)
    chain: tuple[Certificate, ...] = ()
    if cert is not None:
        path = build_path(cert, pool=inputs.pool, anchors=inputs.anchors, checker=inputs.checker)
        chain = path.chain
        findings += [f for f in path.findings if f not in findings]
        if chain:
            moment = proof_time if proof_time is not None else inputs.at
            findings += check_path(chain, at=moment, leaf_usages=_SIGNER_USAGES, leaf_eku=None)
            claimed = signer.signing_time
            if claimed is not None and proof_time is None and not cert.valid_at(claimed):
                findings.append(
                    Finding(
                        Reason.EXPIRED if claimed > cert.not_after else Reason.NOT_YET_VALID,
                        f"the claimed signing time {claimed.isoformat()} is outside the "
                        "certificate's validity period",
                    )
                )
            findings += _revocation(chain, proof_time or inputs.at, inputs, evidence)
    found = tuple(findings)
    status = verdict(found)
    proof = None
    if status is Status.VALID and proof_time is not None and proof_by is not None and cert:
        proof = (
            f"the {proof_by[0].value.replace('_', ' ')} of «{proof_by[1]}» proves the signature "
            f"existed at {proof_time.isoformat()}, when «{cert.subject}»'s certificate "
            f"(valid until {cert.not_after.isoformat()}) was in force"
        )
    described = attrs.evolve(
        base,
        status=status,
        findings=found,
        chain=tuple(
            CertificateInfo.of(c, _oids.signature_name(c.public_key_algorithm)) for c in chain[1:]
        ),
        signing_time=proof_time if proof_time is not None else signer.signing_time,
        signing_time_source=(
            base.signing_time_source if proof_time is None else TimeSource.TIMESTAMP
        ),
    )
    return LtvSignerReport(
        status=status,
        findings=found,
        level=_level(data),
        proof_time=proof_time,
        proof=proof,
        evidence=tuple(evidence),
        signer=described,
    )


def _hash_matches(algorithm: str, digest: bytes, candidates: Iterable[bytes]) -> bool:
    return any(_digests.digest(algorithm, c) == digest for c in candidates)


def _check_references(
    data: SignerLtvData, inputs: _Inputs, evidence: list[Evidence]
) -> list[Finding]:
    """The complete references must name values the signature (or the host) supplies."""
    if not data.certificate_refs and not data.crl_refs and not data.ocsp_refs:
        return []
    has_values = data.has(_ets.CERTIFICATE_VALUES) or data.has(_ets.REVOCATION_VALUES)
    problems: list[Finding] = []
    certs = [c.der for c in (*inputs.pool, *inputs.anchors)]
    for algorithm, digest in data.certificate_refs:
        if not _hash_matches(algorithm, digest, certs):
            problems.append(
                Finding(
                    Reason.EVIDENCE_INVALID,
                    "a complete-certificate-references entry names a certificate that is "
                    "not available",
                )
            )
    crls = [c.der for c, _ in inputs.crls]
    for algorithm, digest in data.crl_refs:
        if not _hash_matches(algorithm, digest, crls):
            problems.append(
                Finding(
                    Reason.EVIDENCE_INVALID,
                    "a complete-revocation-references entry names a CRL that is not available",
                )
            )
    for ref_algorithm, ref_digest, produced in data.ocsp_refs:
        found = False
        for response, _ in inputs.ocsp:
            if ref_algorithm is not None and ref_digest is not None:
                found = _hash_matches(ref_algorithm, ref_digest, [response.der])
            else:
                found = response.produced_at == produced
            if found:
                break
        if not found:
            problems.append(
                Finding(
                    Reason.EVIDENCE_INVALID,
                    "a complete-revocation-references entry names an OCSP response that is "
                    "not available",
                )
            )
    if not has_values and not inputs.crls and not inputs.ocsp:
        # CAdES-C: references alone, whose values the host has not supplied: nothing to match.
        problems = []
    evidence.append(
        Evidence(
            EvidenceKind.REFERENCES,
            verdict(tuple(problems)),
            EvidenceSource.EMBEDDED,
            None,
            None,
            "complete-certificate-references, complete-revocation-references",
            tuple(problems),
        )
    )
    return problems


def _revocation(
    chain: tuple[Certificate, ...],
    moment: pendulum.DateTime,
    inputs: _Inputs,
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
    inputs: _Inputs,
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
    inputs: _Inputs,
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
