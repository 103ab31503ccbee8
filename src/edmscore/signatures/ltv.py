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

from collections.abc import Iterable

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
from edmscore.signatures._ltv_report import (
    Evidence,
    EvidenceKind,
    EvidenceSource,
    Level,
    LtvReport,
    LtvSignerReport,
)
from edmscore.signatures._ltv_revocation import Inputs, revocation
from edmscore.signatures._path import SignedObjectChecker, build_path, check_path
from edmscore.signatures._report import (
    CertificateInfo,
    Finding,
    Reason,
    Status,
    TimeSource,
    verdict,
)
from edmscore.signatures.ocsp import (
    OcspFetcher,
    OcspResponse,
    load_ocsp_response,
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
    inputs = Inputs(
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


def _gen_time(attribute: UnsignedAttribute) -> pendulum.DateTime:
    """The genTime of an archive timestamp attribute's token (the far future if unreadable)."""
    try:
        return load_timestamp_token(attribute.values[0]).gen_time
    except SignatureError:
        return pendulum.datetime(9999, 1, 1)


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
        later = {
            i
            for i, a in enumerate(data.attributes)
            if a.oid in (_ets.ARCHIVE_TIMESTAMP_V2, _ets.ARCHIVE_TIMESTAMP_V3)
            and _gen_time(a) >= token.gen_time
        }
        readings = archive_v2_data(data, later, content)
        for reading in readings:
            if _digests.digest(token.hash_algorithm, reading) == token.imprint:
                return reading, None, None
        return readings[0], None, None
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
    inputs: Inputs,
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
            findings += revocation(chain, proof_time or inputs.at, inputs, evidence)
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
    data: SignerLtvData, inputs: Inputs, evidence: list[Evidence]
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


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
