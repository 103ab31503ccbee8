"""OCSP (RFC 6960): responses read and checked, requests built; the host does the fetching.

edmscore opens no network connection. A host that wants live OCSP passes an
:class:`OcspFetcher` (its own HTTP client) to :func:`edmscore.signatures.ltv.verify_ltv`; the
library builds the request with :func:`build_ocsp_request`, takes the responder's URL from the
certificate (:func:`ocsp_urls`) and reads the answer with :func:`load_ocsp_response`. Responses
embedded in a CAdES-X Long signature or saved by the host go through the same check,
:func:`check_ocsp`: the response must name the certificate, be signed by its issuer or by a
responder the issuer delegated (``id-kp-OCSPSigning``), and its status is then the answer.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from typing import Protocol

import attrs
import pendulum
from asn1crypto import core, ocsp, x509

from edmscore.errors import OcspFormatError, SignatureError
from edmscore.signatures import _asn1, _digests, _oids, _tlv
from edmscore.signatures._certificate import (
    AlgorithmRef,
    Certificate,
    certificate_from_asn1,
)
from edmscore.signatures._decode import guarded, to_der
from edmscore.signatures._path import SignedObjectChecker
from edmscore.signatures._report import Finding, Reason
from edmscore.signatures._subject import name_key

__all__ = [
    "CertStatus",
    "OcspFetcher",
    "OcspResponse",
    "OcspSingleResponse",
    "OcspVerdict",
    "build_ocsp_request",
    "check_ocsp",
    "load_ocsp_response",
    "ocsp_urls",
]

MAX_OCSP_BYTES = 1 << 20
MAX_SINGLE_RESPONSES = 64
MAX_RESPONSE_CERTIFICATES = 16
EKU_OCSP_SIGNING = "1.3.6.1.5.5.7.3.9"
#: How far a responder's clock may run ahead of the checker's.
CLOCK_SKEW = pendulum.duration(minutes=5)


class CertStatus(enum.Enum):
    """A certificate's status in an OCSP single response."""

    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@attrs.frozen
class OcspSingleResponse:
    """One certificate's status: the CertID it answers for and the status with its times."""

    hash_algorithm: str
    issuer_name_hash: bytes = attrs.field(repr=False)
    issuer_key_hash: bytes = attrs.field(repr=False)
    serial: int
    status: CertStatus
    revoked_at: pendulum.DateTime | None
    revocation_reason: str | None
    this_update: pendulum.DateTime
    next_update: pendulum.DateTime | None


@attrs.frozen(eq=False)
class OcspResponse:
    """A decoded OCSP response; ``der`` is the BasicOCSPResponse (what CAdES embeds)."""

    status: str
    der: bytes = attrs.field(repr=False)
    tbs_der: bytes = attrs.field(repr=False)
    produced_at: pendulum.DateTime | None
    responder_name_key: bytes | None = attrs.field(repr=False)
    responder_key_hash: bytes | None = attrs.field(repr=False)
    responses: tuple[OcspSingleResponse, ...]
    certificates: tuple[Certificate, ...]
    signature_algorithm: AlgorithmRef | None
    signature: bytes = attrs.field(repr=False)
    nonce: bytes | None = attrs.field(repr=False)

    @property
    def successful(self) -> bool:
        """Whether the responder answered (``responseStatus`` successful)."""
        return self.status == "successful"


@attrs.frozen
class OcspVerdict:
    """What one OCSP response says about a certificate, once checked.

    ``status`` is ``None`` when the response cannot be relied on; ``findings`` then says why.
    """

    status: CertStatus | None
    response: OcspResponse
    single: OcspSingleResponse | None
    responder: Certificate | None
    findings: tuple[Finding, ...]


class OcspFetcher(Protocol):
    """The host's transport for OCSP: POST ``request`` (DER) to ``url``, return the body (DER).

    Raise any exception for a transport failure; the verifier records it as a finding.
    """

    def fetch(self, url: str, request: bytes) -> bytes:
        """The responder's answer to ``request``."""
        ...


def _instant(value: datetime) -> pendulum.DateTime:
    return pendulum.instance(value).in_tz("UTC")


def _raw(value: core.Asn1Value) -> bytes:
    """The bytes of ``value`` as they were read (header and contents, never re-encoded)."""
    if isinstance(value, core.Choice):
        value = value.chosen
    return bytes(value._header) + bytes(value.contents)


def _name_key(name: x509.Name) -> bytes:
    # The comparable form certificates carry (Certificate.subject_key), from the name's bytes.
    return name_key(_tlv.read(_raw(name)))


def load_ocsp_response(data: bytes | OcspResponse) -> OcspResponse:
    """Decode an OCSPResponse or a bare BasicOCSPResponse (DER, PEM or base64).

    A response whose status is not ``successful`` decodes to an :class:`OcspResponse` with that
    status and no single responses. Raises :class:`~edmscore.errors.OcspFormatError` otherwise.
    """
    if isinstance(data, OcspResponse):
        return data
    der = to_der(data, what="OCSP response", limit=MAX_OCSP_BYTES, error=OcspFormatError)
    with guarded("OCSP response", OcspFormatError):
        outer = core.Sequence.load(der, strict=True)
        first = outer.contents[:1]
        if first != b"\x0a":
            # Not an OCSPResponse: a BasicOCSPResponse, as revocation-values carries it.
            return _basic(der)
        wrapped = ocsp.OCSPResponse.load(der, strict=True)
        status = wrapped["response_status"].native
        if status != "successful":
            return _failed(status, der)
        if isinstance(wrapped["response_bytes"], core.Void):
            raise OcspFormatError("OCSP response: successful without a response")
        kind = wrapped["response_bytes"]["response_type"].dotted
        if kind != "1.3.6.1.5.5.7.48.1.1":
            raise OcspFormatError(f"OCSP response: unsupported response type {kind}")
        return _basic(bytes(wrapped["response_bytes"]["response"].contents))


def _failed(status: str, der: bytes) -> OcspResponse:
    return OcspResponse(
        status=status,
        der=der,
        tbs_der=b"",
        produced_at=None,
        responder_name_key=None,
        responder_key_hash=None,
        responses=(),
        certificates=(),
        signature_algorithm=None,
        signature=b"",
        nonce=None,
    )


def _basic(der: bytes) -> OcspResponse:
    basic = ocsp.BasicOCSPResponse.load(der, strict=True)
    tbs = basic["tbs_response_data"]
    responder = tbs["responder_id"]
    name_key = _name_key(responder.chosen) if responder.name == "by_name" else None
    key_hash = bytes(responder.chosen.native) if responder.name == "by_key" else None
    singles = tbs["responses"]
    if len(singles) > MAX_SINGLE_RESPONSES:
        raise OcspFormatError(f"OCSP response: more than {MAX_SINGLE_RESPONSES} responses")
    certs: list[Certificate] = []
    raw_certs = basic["certs"]
    if not isinstance(raw_certs, core.Void):
        if len(raw_certs) > MAX_RESPONSE_CERTIFICATES:
            raise OcspFormatError("OCSP response: too many certificates")
        for cert in raw_certs:
            try:
                certs.append(certificate_from_asn1(_raw(cert), None))
            except SignatureError:
                continue  # an unreadable extra certificate: the responder is looked up elsewhere
    sig_alg = basic["signature_algorithm"]
    params = sig_alg["parameters"]
    nonce = None
    extensions = tbs["response_extensions"]
    if not isinstance(extensions, core.Void):
        for extension in extensions:
            if extension["extn_id"].dotted == "1.3.6.1.5.5.7.48.1.2":
                nonce = bytes(extension["extn_value"].contents)
    return OcspResponse(
        status="successful",
        der=der,
        tbs_der=_raw(tbs),
        produced_at=_instant(tbs["produced_at"].native),
        responder_name_key=name_key,
        responder_key_hash=key_hash,
        responses=tuple(_single(s) for s in singles),
        certificates=tuple(certs),
        signature_algorithm=AlgorithmRef(
            sig_alg["algorithm"].dotted, None if isinstance(params, core.Void) else params.dump()
        ),
        signature=bytes(basic["signature"].native),
        nonce=nonce,
    )


def _single(single: ocsp.SingleResponse) -> OcspSingleResponse:
    cert_id = single["cert_id"]
    status = single["cert_status"]
    revoked_at = None
    reason = None
    if status.name == "revoked":
        info = status.chosen
        revoked_at = _instant(info["revocation_time"].native)
        if not isinstance(info["revocation_reason"], core.Void):
            reason = str(info["revocation_reason"].native)
    next_update = single["next_update"].native
    return OcspSingleResponse(
        hash_algorithm=cert_id["hash_algorithm"]["algorithm"].dotted,
        issuer_name_hash=bytes(cert_id["issuer_name_hash"].native),
        issuer_key_hash=bytes(cert_id["issuer_key_hash"].native),
        serial=int(cert_id["serial_number"].native),
        status={"good": CertStatus.GOOD, "revoked": CertStatus.REVOKED}.get(
            status.name, CertStatus.UNKNOWN
        ),
        revoked_at=revoked_at,
        revocation_reason=reason,
        this_update=_instant(single["this_update"].native),
        next_update=None if next_update is None else _instant(next_update),
    )


def _issuer_hashes(issuer: Certificate, hash_oid: str) -> tuple[bytes, bytes] | None:
    parsed = x509.Certificate.load(issuer.der)
    name_der = _raw(parsed["tbs_certificate"]["subject"])
    key = _key_octets(issuer)
    name_hash = _digests.digest(hash_oid, name_der)
    key_hash = _digests.digest(hash_oid, key)
    if name_hash is None or key_hash is None:
        return None
    return name_hash, key_hash


def _key_octets(cert: Certificate) -> bytes:
    """The subjectPublicKey BIT STRING's octets (what OCSP key hashes are computed over)."""
    bits = bytes(_asn1.PublicKeyInfo.load(cert.public_key_info)["public_key"].contents)
    return bits[1:]  # the contents start with the count of unused bits


def ocsp_urls(cert: Certificate) -> tuple[str, ...]:
    """The OCSP responder URLs of ``cert``'s Authority Information Access extension."""
    with guarded("certificate", OcspFormatError):
        return tuple(str(u) for u in x509.Certificate.load(cert.der).ocsp_urls)


def build_ocsp_request(
    cert: Certificate, issuer: Certificate, *, hash_algorithm: str = _oids.SHA1, nonce: bytes = b""
) -> bytes:
    """A DER OCSPRequest for ``cert`` issued by ``issuer``.

    ``hash_algorithm`` hashes the issuer's name and key in the CertID (SHA-1, as responders
    expect, by default; Streebog for responders that want it). ``nonce`` (if given) goes into
    the nonce extension and should come back in the response.
    """
    hashes = _issuer_hashes(issuer, hash_algorithm)
    if hashes is None:
        raise OcspFormatError(f"OCSP request: unsupported hash algorithm {hash_algorithm}")
    request: dict[str, object] = {
        "request_list": [
            {
                "req_cert": {
                    "hash_algorithm": {"algorithm": hash_algorithm},
                    "issuer_name_hash": hashes[0],
                    "issuer_key_hash": hashes[1],
                    "serial_number": cert.serial,
                }
            }
        ]
    }
    if nonce:
        request["request_extensions"] = [{"extn_id": "nonce", "extn_value": nonce}]
    return bytes(ocsp.OCSPRequest({"tbs_request": request}).dump())


def _matches(single: OcspSingleResponse, cert: Certificate, issuer: Certificate) -> bool:
    if single.serial != cert.serial:
        return False
    hashes = _issuer_hashes(issuer, single.hash_algorithm)
    return hashes is not None and hashes == (single.issuer_name_hash, single.issuer_key_hash)


def _names_responder(response: OcspResponse, cert: Certificate) -> bool:
    if response.responder_name_key is not None:
        return response.responder_name_key == cert.subject_key
    if response.responder_key_hash is not None:
        return hashlib.sha1(_key_octets(cert)).digest() == response.responder_key_hash
    return False


def _responder(
    response: OcspResponse,
    issuer: Certificate,
    pool: tuple[Certificate, ...],
    checker: SignedObjectChecker,
) -> tuple[Certificate | None, list[Finding]]:
    """The certificate that signed the response: the issuer itself or a delegated responder."""
    if _names_responder(response, issuer):
        return issuer, []
    problems: list[Finding] = []
    for candidate in (*response.certificates, *pool):
        if not _names_responder(response, candidate):
            continue
        if candidate.issuer_key != issuer.subject_key:
            continue
        if (
            checker.check(
                candidate.tbs_der, candidate.signature_algorithm, candidate.signature, issuer
            )
            is not True
        ):
            problems.append(
                Finding(
                    Reason.NO_CHAIN_TO_TRUST_ANCHOR,
                    f"the OCSP responder «{candidate.subject}» is not certified by "
                    f"«{issuer.subject}»",
                )
            )
            continue
        eku = candidate.extended_key_usage
        if eku is None or EKU_OCSP_SIGNING not in eku:
            problems.append(
                Finding(
                    Reason.KEY_USAGE,
                    f"«{candidate.subject}» is not delegated to sign OCSP responses",
                )
            )
            continue
        produced = response.produced_at
        if produced is not None and not candidate.valid_at(produced):
            problems.append(
                Finding(
                    Reason.EXPIRED,
                    f"the OCSP responder «{candidate.subject}» was not valid when the response "
                    f"was produced ({produced.isoformat()})",
                )
            )
            continue
        return candidate, []
    if not problems:
        problems.append(
            Finding(
                Reason.NO_CHAIN_TO_TRUST_ANCHOR,
                f"the OCSP response is signed neither by «{issuer.subject}» nor by a responder "
                "it delegated",
            )
        )
    return None, problems


def check_ocsp(
    response: bytes | OcspResponse,
    cert: Certificate,
    issuer: Certificate,
    *,
    pool: tuple[Certificate, ...] = (),
    checker: SignedObjectChecker | None = None,
    nonce: bytes = b"",
) -> OcspVerdict:
    """Check that ``response`` answers for ``cert`` (issued by ``issuer``) and is authentic.

    The response must be successful, carry a single response for ``cert``'s CertID, and be
    signed by ``issuer`` or by a responder certificate ``issuer`` issued with the OCSP-signing
    extended key usage that was valid when the response was produced. ``nonce``, when given,
    must come back. The verdict's ``status`` is ``None`` when any of that fails. Freshness
    against a time is the caller's judgement (``this_update``, ``next_update``,
    ``produced_at``).
    """
    parsed = load_ocsp_response(response)
    checker = checker or SignedObjectChecker(None)

    def fail(message: str, reason: Reason = Reason.REVOCATION_UNKNOWN) -> OcspVerdict:
        return OcspVerdict(None, parsed, None, None, (Finding(reason, message),))

    if not parsed.successful:
        return fail(f"the OCSP responder answered {parsed.status}")
    single = next((s for s in parsed.responses if _matches(s, cert, issuer)), None)
    if single is None:
        return fail(f"the OCSP response does not answer for «{cert.subject}»")
    if nonce and parsed.nonce != nonce and parsed.nonce != _octet_wrapped(nonce):
        return fail("the OCSP response does not repeat the request's nonce")
    responder, problems = _responder(parsed, issuer, pool, checker)
    if responder is None:
        return OcspVerdict(None, parsed, single, None, tuple(problems))
    assert parsed.signature_algorithm is not None
    outcome = checker.check(parsed.tbs_der, parsed.signature_algorithm, parsed.signature, responder)
    if isinstance(outcome, str):
        return fail(f"unsupported algorithm {outcome}", Reason.UNSUPPORTED_ALGORITHM)
    if not outcome:
        return fail(
            f"the OCSP response's signature does not verify with the key of «{responder.subject}»",
            Reason.BAD_SIGNATURE,
        )
    return OcspVerdict(single.status, parsed, single, responder, ())


def _octet_wrapped(nonce: bytes) -> bytes:
    return bytes(core.OctetString(nonce).dump())


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
