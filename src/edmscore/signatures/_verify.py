"""Verifying a CMS signature: the one call of the common case and the per-signer checks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import attrs
import pendulum

from edmscore.errors import CmsFormatError, SignatureError
from edmscore.signatures import _backends, _digests, _oids
from edmscore.signatures._anchors import TrustAnchors
from edmscore.signatures._backends import UnsupportedAlgorithm
from edmscore.signatures._certificate import Certificate, Crl, load_certificate, load_crl
from edmscore.signatures._cms import SignedData, SignerData, parse_signed_data, parse_tst_info
from edmscore.signatures._path import (
    SignedObjectChecker,
    build_path,
    check_path,
    check_revocation,
)
from edmscore.signatures._report import (
    CertificateInfo,
    Finding,
    Reason,
    SignerReport,
    Status,
    TimeSource,
    VerificationReport,
    combine,
    verdict,
)

Content = bytes | str | os.PathLike[str] | BinaryIO
CHUNK = 1 << 20
_SIGNER_USAGES = frozenset({"digital_signature", "non_repudiation"})


@attrs.frozen
class _Context:
    anchors: Sequence[Certificate]
    pool: tuple[Certificate, ...]
    crls: tuple[Crl, ...]
    at: pendulum.DateTime
    checker: SignedObjectChecker
    accelerated: bool | None


def verify(
    content: Content | None,
    signature: bytes,
    *,
    trust_anchors: TrustAnchors | Iterable[bytes | Certificate],
    crls: Iterable[bytes | Crl] = (),
    intermediates: Iterable[bytes | Certificate] = (),
    at: pendulum.DateTime | None = None,
    accelerated: bool | None = None,
) -> VerificationReport:
    """Verify a CMS signature and return the report.

    ``content`` is the signed content of a detached signature (bytes, a path or a binary file,
    read in chunks) or ``None`` for an attached one. ``signature`` is the CMS SignedData as DER,
    PEM or base64. Trust anchors, intermediate certificates and CRLs are DER or PEM bytes (or
    already loaded values). ``at`` is the time of the check (now by default). Revocation is checked
    when CRLs are given (those inside the signature count too). ``accelerated`` chooses the
    Streebog and GOST R 34.11-94 implementation (``None``: the system OpenSSL's when it is there).

    To verify many signatures, load the anchors once as :class:`TrustAnchors` and pass that.
    A trust anchor, intermediate, CRL or embedded certificate that cannot be read is skipped and
    listed in the report's ``skipped``; only the signer's own certificate must read.

    Raises a :class:`~edmscore.errors.SignatureError` subclass for a malformed signature (or an
    unreadable signer certificate); every verification outcome is a value in the report.
    """
    skipped: list[Finding] = []
    anchors: Sequence[Certificate]
    if isinstance(trust_anchors, TrustAnchors):
        anchors = trust_anchors
        skipped += trust_anchors.skipped
    else:
        loaded = TrustAnchors.load(trust_anchors)
        anchors = loaded
        skipped += loaded.skipped
    extra = tuple(_readable(intermediates, load_certificate, "intermediate", skipped))
    given_crls = tuple(_readable(crls, load_crl, "CRL", skipped))
    parsed = parse_signed_data(signature)
    for item in parsed.unreadable:
        kind = Reason.UNREADABLE_CRL if "CRL" in item.what else Reason.UNREADABLE_CERTIFICATE
        skipped.append(Finding(kind, f"{item.what} skipped: {item.message}"))
    _require_signer_certificates(parsed)
    moment = (at or pendulum.now("UTC")).in_tz("UTC")
    all_crls = given_crls + parsed.crls
    context = _Context(
        anchors=anchors,
        pool=parsed.certificates + extra,
        crls=all_crls,
        at=moment,
        checker=SignedObjectChecker(accelerated),
        accelerated=accelerated,
    )
    detached = parsed.content is None
    digests: dict[str, bytes | None] | None
    if content is not None:
        digests = _digest_content(content, _digest_oids(parsed), accelerated)
    elif parsed.content is not None:
        digests = _digest_content(parsed.content, _digest_oids(parsed), accelerated)
    else:
        digests = None
    signers = tuple(
        _check_signer(signer, parsed.content_type, digests, context, leaf_eku=None)
        for signer in parsed.signers
    )
    status, reason = combine(signers)
    return VerificationReport(
        status=status,
        reason=reason,
        signers=signers,
        checked_at=moment,
        detached=detached,
        revocation_checked=bool(all_crls),
        skipped=tuple(skipped),
    )


def _readable(
    items: Iterable[Any], loader: Callable[[Any], Any], what: str, skipped: list[Finding]
) -> Iterator[Any]:
    """Each item loaded; one that does not read is left out with a finding."""
    for number, item in enumerate(items, start=1):
        try:
            yield loader(item)
        except SignatureError as exc:
            reason = Reason.UNREADABLE_CRL if what == "CRL" else Reason.UNREADABLE_CERTIFICATE
            skipped.append(Finding(reason, f"{what} #{number} skipped: {exc}"))


def _require_signer_certificates(parsed: SignedData) -> None:
    """Fail when a signer names (by issuer and serial) an embedded certificate that did not read."""
    for signer in parsed.signers:
        for item in parsed.unreadable:
            if (
                item.serial is not None
                and item.serial == signer.serial
                and item.issuer_key == signer.issuer_key
            ):
                raise CmsFormatError(
                    f"signature: the signer's own certificate cannot be read ({item.message})"
                )


def _digest_oids(parsed: SignedData) -> set[str]:
    return {s.digest_algorithm for s in parsed.signers}


def _digest_content(
    content: Content, oids: set[str], accelerated: bool | None
) -> dict[str, bytes | None]:
    hashers = {oid: _digests.new_hasher(oid, accelerated=accelerated) for oid in oids}
    live = [h for h in hashers.values() if h is not None]
    for chunk in _chunks(content):
        for hasher in live:
            hasher.update(chunk)
    return {oid: (None if h is None else h.digest()) for oid, h in hashers.items()}


def _chunks(content: Content) -> Iterable[bytes]:
    if isinstance(content, bytes | bytearray | memoryview):
        view = memoryview(content)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start : start + CHUNK])
        return
    if isinstance(content, str | os.PathLike):
        with open(content, "rb") as stream:
            yield from _read(stream)
        return
    yield from _read(content)


def _read(stream: BinaryIO) -> Iterable[bytes]:
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return
        yield chunk


def _find_certificate(signer: SignerData, context: _Context) -> Certificate | None:
    for cert in (*context.pool, *context.anchors):
        if signer.subject_key_id is not None:
            if cert.subject_key_id == signer.subject_key_id:
                return cert
        elif cert.serial == signer.serial and cert.issuer_key == signer.issuer_key:
            return cert
    return None


def _key_name(cert: Certificate) -> str:
    return _oids.signature_name(cert.public_key_algorithm)


def _check_signer(
    signer: SignerData,
    content_type: str,
    digests: dict[str, bytes | None] | None,
    context: _Context,
    *,
    leaf_eku: str | None,
    countersignature: bool = False,
) -> SignerReport:
    findings: list[Finding] = []
    cert = _find_certificate(signer, context)
    content_digest = None if digests is None else digests.get(signer.digest_algorithm)
    if digests is None:
        findings.append(Finding(Reason.CONTENT_MISSING, "the signed content was not given"))
    elif content_digest is None:
        findings.append(_unsupported(signer.digest_algorithm))
    if cert is None:
        findings.append(
            Finding(Reason.NO_SIGNER_CERTIFICATE, "the signer's certificate is not available")
        )
    elif content_digest is not None:
        findings += _check_signature(
            signer, content_type, content_digest, cert, context, countersignature=countersignature
        )
    trusted_time = None
    if cert is not None and not findings:
        trusted_time = _trusted_time(signer, context)
    chain: tuple[Certificate, ...] = ()
    if cert is not None:
        path = build_path(cert, pool=context.pool, anchors=context.anchors, checker=context.checker)
        findings += path.findings
        chain = path.chain
        if chain:
            moment = trusted_time if trusted_time is not None else context.at
            findings += check_path(chain, at=moment, leaf_usages=_SIGNER_USAGES, leaf_eku=leaf_eku)
            claimed = signer.signing_time
            if claimed is not None and trusted_time is None and not cert.valid_at(claimed):
                findings.append(
                    Finding(
                        Reason.NOT_YET_VALID if claimed < cert.not_before else Reason.EXPIRED,
                        f"the claimed signing time {claimed.isoformat()} is outside the "
                        "certificate's validity period",
                    )
                )
            if context.crls:
                findings += check_revocation(
                    chain,
                    crls=context.crls,
                    at=context.at,
                    signing_time=trusted_time,
                    checker=context.checker,
                )
    counters = tuple(
        _check_signer(
            counter,
            content_type,
            {
                counter.digest_algorithm: _digests.digest(
                    counter.digest_algorithm, signer.signature, accelerated=context.accelerated
                )
            },
            context,
            leaf_eku=None,
            countersignature=True,
        )
        for counter in signer.countersigners
    )
    found = tuple(findings)
    return SignerReport(
        status=verdict(found),
        findings=found,
        certificate=None if cert is None else CertificateInfo.of(cert, _key_name(cert)),
        chain=tuple(CertificateInfo.of(c, _key_name(c)) for c in chain[1:]),
        digest_algorithm=_oids.digest_name(signer.digest_algorithm),
        signature_algorithm=_oids.signature_name(signer.signature_algorithm.oid),
        signing_time=trusted_time if trusted_time is not None else signer.signing_time,
        signing_time_source=(
            TimeSource.TIMESTAMP
            if trusted_time is not None
            else TimeSource.SIGNED_ATTRIBUTE
            if signer.signing_time is not None
            else TimeSource.NONE
        ),
        claimed_signing_time=signer.signing_time,
        countersignatures=counters,
        legacy_algorithm=bool(
            {signer.digest_algorithm, signer.signature_algorithm.oid} & _oids.LEGACY
            or (cert is not None and cert.public_key_algorithm in _oids.LEGACY)
        ),
    )


def _unsupported(oid: str) -> Finding:
    return Finding(Reason.UNSUPPORTED_ALGORITHM, f"unsupported algorithm {oid}")


def _check_signature(
    signer: SignerData,
    content_type: str,
    content_digest: bytes,
    cert: Certificate,
    context: _Context,
    *,
    countersignature: bool,
) -> list[Finding]:
    findings: list[Finding] = []
    if signer.signed_attrs is not None:
        if signer.message_digest is None:
            return [Finding(Reason.MISSING_ATTRIBUTE, "the messageDigest attribute is missing")]
        if not countersignature:
            if signer.content_type is None:
                findings.append(
                    Finding(Reason.MISSING_ATTRIBUTE, "the contentType attribute is missing")
                )
            elif signer.content_type != content_type:
                findings.append(
                    Finding(
                        Reason.CONTENT_TYPE_MISMATCH,
                        f"the contentType attribute {signer.content_type} differs from the "
                        f"content's type {content_type}",
                    )
                )
        if signer.message_digest != content_digest:
            findings.append(
                Finding(Reason.DIGEST_MISMATCH, "the content does not match the message digest")
            )
    try:
        digest_oid = _backends.signed_digest_oid(
            cert.public_key_info, signer.signature_algorithm, signer.digest_algorithm
        )
        if signer.signed_attrs is not None:
            signed_digest = _digests.digest(
                digest_oid, signer.signed_attrs, accelerated=context.accelerated
            )
            if signed_digest is None:
                return [*findings, _unsupported(digest_oid)]
        elif digest_oid != signer.digest_algorithm:
            return [*findings, _unsupported(signer.signature_algorithm.oid)]
        else:
            signed_digest = content_digest
        good = _backends.verify_digest(
            cert.public_key_info,
            signer.signature_algorithm,
            digest_oid,
            signed_digest,
            signer.signature,
            accelerated=context.accelerated,
        )
    except UnsupportedAlgorithm as exc:
        return [*findings, _unsupported(exc.oid)]
    if not good:
        findings.append(Finding(Reason.BAD_SIGNATURE, "the signature does not verify"))
    for ess in signer.ess_cert_ids[:1]:
        cert_hash = _digests.digest(ess.hash_algorithm, cert.der, accelerated=context.accelerated)
        if cert_hash is None:
            findings.append(_unsupported(ess.hash_algorithm))
        elif cert_hash != ess.cert_hash or (ess.serial is not None and ess.serial != cert.serial):
            findings.append(
                Finding(
                    Reason.SIGNING_CERTIFICATE_MISMATCH,
                    "the signingCertificate attribute names another certificate",
                )
            )
    return findings


def _trusted_time(signer: SignerData, context: _Context) -> pendulum.DateTime | None:
    """The genTime of the first timestamp token over the signature that verifies."""
    for token in signer.timestamp_tokens:
        try:
            parsed = parse_signed_data(token)
            if parsed.content_type != _oids.TST_INFO or parsed.content is None:
                continue
            hash_oid, imprint, gen_time = parse_tst_info(parsed.content)
        except CmsFormatError:
            continue
        if _digests.digest(hash_oid, signer.signature, accelerated=context.accelerated) != imprint:
            continue
        digests = {
            s.digest_algorithm: _digests.digest(
                s.digest_algorithm, parsed.content, accelerated=context.accelerated
            )
            for s in parsed.signers
        }
        inner = attrs.evolve(context, pool=parsed.certificates + context.pool)
        reports = [
            _check_signer(s, parsed.content_type, digests, inner, leaf_eku=_oids.EKU_TIME_STAMPING)
            for s in parsed.signers[:1]
        ]
        if reports and reports[0].status is Status.VALID:
            return gen_time
    return None
