"""RFC 3161 timestamp tokens: read, check against the data they stamp, and request.

A timestamp token is a CMS SignedData whose content is a TSTInfo: the hash of the stamped data
(the *message imprint*), the time (``genTime``), the TSA's policy and a serial number. It is
valid when the imprint matches the data, the TSA's signature verifies, and the TSA certificate
(with the ``timeStamping`` extended key usage) chains to a trust anchor at the time of the check.
Both GOST (Streebog imprints, GOST R 34.10-2012 TSAs) and RSA/ECDSA tokens are checked.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import pendulum
from asn1crypto import core, tsp

from edmscore.errors import CmsFormatError
from edmscore.signatures import _digests, _oids
from edmscore.signatures._certificate import Certificate, Crl, load_certificate, load_crl
from edmscore.signatures._cms import SignedData, parse_signed_data
from edmscore.signatures._decode import guarded, to_der
from edmscore.signatures._path import SignedObjectChecker
from edmscore.signatures._report import (
    CertificateInfo,
    Finding,
    Reason,
    SignerReport,
    Status,
    verdict,
)

__all__ = [
    "TimestampReport",
    "TimestampToken",
    "build_timestamp_request",
    "load_timestamp_token",
    "verify_timestamp",
]

MAX_TOKEN_BYTES = 4 << 20


@attrs.frozen(eq=False)
class TimestampToken:
    """A decoded timestamp token: the token's DER and its TSTInfo's fields."""

    der: bytes = attrs.field(repr=False)
    signed: SignedData = attrs.field(repr=False)
    hash_algorithm: str
    imprint: bytes = attrs.field(repr=False)
    gen_time: pendulum.DateTime
    policy: str
    serial: int
    nonce: int | None


@attrs.frozen
class TimestampReport:
    """The verdict on a timestamp token: the time it proves and who vouches for it."""

    status: Status
    findings: tuple[Finding, ...]
    gen_time: pendulum.DateTime
    policy: str
    serial: str
    hash_algorithm: str
    tsa: SignerReport | None

    @property
    def valid(self) -> bool:
        """Whether the token proves its time for the data."""
        return self.status is Status.VALID

    @property
    def tsa_certificate(self) -> CertificateInfo | None:
        """The TSA's certificate, when it was found."""
        return None if self.tsa is None else self.tsa.certificate


def load_timestamp_token(data: bytes | TimestampToken) -> TimestampToken:
    """Decode a timestamp token, or the token inside a TimeStampResp (DER, PEM or base64).

    Raises :class:`~edmscore.errors.CmsFormatError` for anything else, a response without a
    token (its status and text are in the message) included.
    """
    if isinstance(data, TimestampToken):
        return data
    der = to_der(data, what="timestamp token", limit=MAX_TOKEN_BYTES, error=CmsFormatError)
    with guarded("timestamp token", CmsFormatError):
        outer = core.Sequence.load(der, strict=True)
        if outer.contents[:1] == b"\x30":
            # A TimeStampResp: PKIStatusInfo first, then the token.
            response = tsp.TimeStampResp.load(der, strict=True)
            status = response["status"]["status"].native
            if status not in ("granted", "granted_with_mods"):
                text = response["status"]["status_string"].native
                raise CmsFormatError(f"timestamp response: {status} {text or ''}".strip())
            token = response["time_stamp_token"]
            if isinstance(token, core.Void):
                raise CmsFormatError("timestamp response: granted without a token")
            der = bytes(token._header) + bytes(token.contents)
    signed = parse_signed_data(der)
    if signed.content_type != _oids.TST_INFO or signed.content is None:
        raise CmsFormatError("timestamp token: the content is not a TSTInfo")
    with guarded("timestamp token", CmsFormatError):
        info = tsp.TSTInfo.load(signed.content, strict=True)
        imprint = info["message_imprint"]
        nonce = info["nonce"].native
        return TimestampToken(
            der=der,
            signed=signed,
            hash_algorithm=imprint["hash_algorithm"]["algorithm"].dotted,
            imprint=bytes(imprint["hashed_message"].native),
            gen_time=pendulum.instance(info["gen_time"].native).in_tz("UTC"),
            policy=info["policy"].dotted,
            serial=int(info["serial_number"].native),
            nonce=None if nonce is None else int(nonce),
        )


def build_timestamp_request(
    digest: bytes, hash_algorithm: str, *, nonce: int | None = None, cert_req: bool = True
) -> bytes:
    """A DER TimeStampReq for data whose ``hash_algorithm`` digest is ``digest``.

    ``cert_req`` asks the TSA to put its certificate into the token (needed to check it later).
    """
    request: dict[str, object] = {
        "version": "v1",
        "message_imprint": {
            "hash_algorithm": {"algorithm": hash_algorithm},
            "hashed_message": digest,
        },
        "cert_req": cert_req,
    }
    if nonce is not None:
        request["nonce"] = nonce
    return bytes(tsp.TimeStampReq(request).dump())


def verify_timestamp(
    token: bytes | TimestampToken,
    *,
    data: bytes | None = None,
    digest: bytes | None = None,
    trust_anchors: Iterable[bytes | Certificate],
    crls: Iterable[bytes | Crl] = (),
    intermediates: Iterable[bytes | Certificate] = (),
    at: pendulum.DateTime | None = None,
    accelerated: bool | None = None,
) -> TimestampReport:
    """Check a timestamp token over ``data`` (or over data whose digest is ``digest``).

    ``digest`` must be computed with the token's hash algorithm. ``at`` is when the TSA's
    certificate path is checked (now by default); to check an old token whose TSA certificate
    has since expired, pass the time a later timestamp proves. Revocation of the TSA's
    certificate is checked when CRLs are given. Raises
    :class:`~edmscore.errors.CmsFormatError` for a malformed token.
    """
    parsed = load_timestamp_token(token)
    return check_token(
        parsed,
        data=data,
        digest=digest,
        anchors=tuple(load_certificate(a) for a in trust_anchors),
        pool=tuple(load_certificate(c) for c in intermediates),
        crls=tuple(load_crl(c) for c in crls),
        at=(at or pendulum.now("UTC")).in_tz("UTC"),
        checker=SignedObjectChecker(accelerated),
        accelerated=accelerated,
    )


def check_token(
    token: TimestampToken,
    *,
    data: bytes | None,
    digest: bytes | None,
    anchors: tuple[Certificate, ...],
    pool: tuple[Certificate, ...],
    crls: tuple[Crl, ...],
    at: pendulum.DateTime,
    checker: SignedObjectChecker,
    accelerated: bool | None,
) -> TimestampReport:
    """:func:`verify_timestamp` on loaded values (the long-term verifier calls it per layer)."""
    from edmscore.signatures import _verify  # the per-signer check is shared with verify()

    findings: list[Finding] = []
    expected = digest
    if expected is None and data is not None:
        expected = _digests.digest(token.hash_algorithm, data, accelerated=accelerated)
        if expected is None:
            findings.append(
                Finding(
                    Reason.UNSUPPORTED_ALGORITHM, f"unsupported algorithm {token.hash_algorithm}"
                )
            )
    if expected is not None and expected != token.imprint:
        findings.append(
            Finding(Reason.DIGEST_MISMATCH, "the timestamp's message imprint does not match")
        )
    signers = token.signed.signers
    tsa: SignerReport | None = None
    if len(signers) != 1:
        findings.append(Finding(Reason.NO_SIGNERS, "a timestamp token must have one signer"))
    else:
        context = _verify._Context(
            anchors=anchors,
            pool=token.signed.certificates + pool,
            crls=crls,
            at=at,
            checker=checker,
            accelerated=accelerated,
        )
        assert token.signed.content is not None
        digests = {
            signers[0].digest_algorithm: _digests.digest(
                signers[0].digest_algorithm, token.signed.content, accelerated=accelerated
            )
        }
        tsa = _verify._check_signer(
            signers[0],
            token.signed.content_type,
            digests,
            context,
            leaf_eku=_oids.EKU_TIME_STAMPING,
        )
        findings += tsa.findings
    found = tuple(findings)
    return TimestampReport(
        status=verdict(found),
        findings=found,
        gen_time=token.gen_time,
        policy=token.policy,
        serial=format(token.serial, "X"),
        hash_algorithm=_oids.digest_name(token.hash_algorithm),
        tsa=tsa,
    )


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
