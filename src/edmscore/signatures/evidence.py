"""Adding long-term evidence to a signature: CAdES-BES → CAdES-T → CAdES-X Long Type 1.

The host obtains the evidence (a timestamp from its TSA, CRLs and OCSP responses from its CA);
these functions put it into the signature as unsigned attributes, leaving every signed byte as
it was:

1. :func:`signature_timestamp_imprint` → ask the TSA (:func:`~edmscore.signatures.timestamps.
   build_timestamp_request`) → :func:`add_signature_timestamp`: a CAdES-T.
2. :func:`add_validation_data` with the CA certificates, CRLs and OCSP responses: the complete
   references and the values (CAdES-X Long).
3. :func:`esc_timestamp_imprint` → the TSA → :func:`add_esc_timestamp`: CAdES-X Long Type 1.

Every token is checked to cover what it must before it is added.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from asn1crypto import cms, core, ocsp

from edmscore.errors import CmsFormatError, ValidationError
from edmscore.signatures import _digests, _ets, _oids
from edmscore.signatures._certificate import Certificate, Crl, load_certificate, load_crl
from edmscore.signatures._cms import parse_signed_data
from edmscore.signatures._decode import guarded, to_der
from edmscore.signatures._ltv_data import esc_timestamp_data, read_signers
from edmscore.signatures.ocsp import OcspResponse, load_ocsp_response
from edmscore.signatures.timestamps import TimestampToken, load_timestamp_token

__all__ = [
    "add_esc_timestamp",
    "add_signature_timestamp",
    "add_validation_data",
    "esc_timestamp_imprint",
    "signature_timestamp_imprint",
]

MAX_SIGNATURE_BYTES = 64 << 20


def _load(signature: bytes) -> cms.ContentInfo:
    der = to_der(signature, what="signature", limit=MAX_SIGNATURE_BYTES, error=CmsFormatError)
    # Decoded eagerly first, so that a malformed signature fails here with CmsFormatError.
    parse_signed_data(der)
    read_signers(der)
    with guarded("signature", CmsFormatError):
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].dotted != _oids.SIGNED_DATA:
            raise CmsFormatError("signature: not a SignedData")
        return info


def _signer(info: cms.ContentInfo, index: int) -> cms.SignerInfo:
    signers = info["content"]["signer_infos"]
    if not 0 <= index < len(signers):
        raise ValidationError("index", f"the signature has no signer number {index}")
    return signers[index]


def _digest(hash_algorithm: str, data: bytes) -> bytes:
    digest = _digests.digest(hash_algorithm, data)
    if digest is None:
        raise ValidationError("hash_algorithm", f"unsupported hash algorithm {hash_algorithm}")
    return digest


def signature_timestamp_imprint(
    signature: bytes, *, index: int = 0, hash_algorithm: str = _oids.SHA256
) -> bytes:
    """The digest a signature timestamp must carry: the hash of signer ``index``'s value."""
    signer = _signer(_load(signature), index)
    return _digest(hash_algorithm, bytes(signer["signature"].native))


def esc_timestamp_imprint(
    signature: bytes, *, index: int = 0, hash_algorithm: str = _oids.SHA256
) -> bytes:
    """The digest a CAdES-C timestamp must carry (after :func:`add_validation_data`)."""
    info = _load(signature)
    signer = _signer(info, index)
    data = read_signers(bytes(info.dump()))[index]
    return _digest(hash_algorithm, esc_timestamp_data(data, bytes(signer["signature"].native)))


def _with_attribute(
    info: cms.ContentInfo, index: int, attributes: Sequence[tuple[str, list[Any]]]
) -> bytes:
    signer = _signer(info, index)
    with guarded("signature", CmsFormatError):
        unsigned = signer["unsigned_attrs"]
        existing = [] if isinstance(unsigned, core.Void) else list(unsigned)
        for oid, values in attributes:
            existing.append(cms.CMSAttribute({"type": oid, "values": values}))
        signer["unsigned_attrs"] = cms.CMSAttributes(existing)
        return bytes(info.dump())


def _token_value(token: TimestampToken) -> cms.ContentInfo:
    return cms.ContentInfo.load(token.der)


def _require_imprint(token: TimestampToken, data: bytes, what: str) -> None:
    if _digests.digest(token.hash_algorithm, data) != token.imprint:
        raise ValidationError("token", f"the timestamp does not cover {what}")


def add_signature_timestamp(
    signature: bytes, token: bytes | TimestampToken, *, index: int = 0
) -> bytes:
    """``signature`` with ``token`` as signer ``index``'s signature timestamp (CAdES-T).

    Raises :class:`~edmscore.errors.ValidationError` when the token's imprint is not the hash
    of that signer's signature value.
    """
    parsed = load_timestamp_token(token)
    info = _load(signature)
    value = bytes(_signer(info, index)["signature"].native)
    _require_imprint(parsed, value, "this signature's value")
    return _with_attribute(info, index, [(_ets.SIGNATURE_TIMESTAMP, [_token_value(parsed)])])


def _other_hash(hash_algorithm: str, data: bytes) -> dict[str, Any]:
    return {
        "hash_algorithm": {"algorithm": hash_algorithm},
        "hash_value": _digest(hash_algorithm, data),
    }


def add_validation_data(
    signature: bytes,
    *,
    certificates: Iterable[bytes | Certificate] = (),
    crls: Iterable[bytes | Crl] = (),
    ocsp_responses: Iterable[bytes | OcspResponse] = (),
    index: int = 0,
    hash_algorithm: str = _oids.SHA256,
) -> bytes:
    """``signature`` with the complete references and values of its validation data.

    ``certificates`` are the CA certificates of the signer's path (the signer's own is in the
    signature already), ``crls`` and ``ocsp_responses`` the revocation data that covers them.
    Adds complete-certificate-references, complete-revocation-references, certificate-values
    and revocation-values (CAdES-X Long; a CAdES-C timestamp then makes it Type 1).
    """
    certs = [load_certificate(c) for c in certificates]
    crl_values = [load_crl(c) for c in crls]
    responses = [load_ocsp_response(r) for r in ocsp_responses]
    if not responses and not crl_values and not certs:
        raise ValidationError("certificates", "no validation data to add")
    info = _load(signature)
    cert_refs = _ets.CompleteCertificateRefs(
        [{"other_cert_hash": {"other_hash": _other_hash(hash_algorithm, c.der)}} for c in certs]
    )
    ref: dict[str, Any] = {}
    if crl_values:
        ref["crlids"] = {
            "crls": [
                {"crl_hash": {"other_hash": _other_hash(hash_algorithm, c.der)}} for c in crl_values
            ]
        }
    if responses:
        ids = []
        for response in responses:
            basic = ocsp.BasicOCSPResponse.load(response.der)
            tbs = basic["tbs_response_data"]
            ids.append(
                {
                    "ocsp_identifier": {
                        "ocsp_responder_id": tbs["responder_id"],
                        "produced_at": tbs["produced_at"],
                    },
                    "ocsp_rep_hash": {"other_hash": _other_hash(hash_algorithm, response.der)},
                }
            )
        ref["ocspids"] = {"ocsp_responses": ids}
    revocation_refs = _ets.CompleteRevocationRefs([ref] if ref else [])
    cert_values = _ets.CertificateValues([core.Any.load(c.der) for c in certs])
    values: dict[str, Any] = {}
    if crl_values:
        values["crl_vals"] = [core.Any.load(c.der) for c in crl_values]
    if responses:
        values["ocsp_vals"] = [core.Any.load(r.der) for r in responses]
    added: list[tuple[str, list[Any]]] = [
        (_ets.CERTIFICATE_REFS, [cert_refs]),
        (_ets.REVOCATION_REFS, [revocation_refs]),
        (_ets.CERTIFICATE_VALUES, [cert_values]),
    ]
    if values:
        added.append((_ets.REVOCATION_VALUES, [_ets.RevocationValues(values)]))
    return _with_attribute(info, index, added)


def add_esc_timestamp(signature: bytes, token: bytes | TimestampToken, *, index: int = 0) -> bytes:
    """``signature`` with ``token`` as its CAdES-C timestamp (CAdES-X Long Type 1).

    Raises :class:`~edmscore.errors.ValidationError` when the signer has no references yet or
    the token does not cover its signature value, signature timestamp and references.
    """
    parsed = load_timestamp_token(token)
    info = _load(signature)
    signer = _signer(info, index)
    data = read_signers(bytes(info.dump()))[index]
    if not data.has(_ets.CERTIFICATE_REFS):
        raise ValidationError("signature", "add the validation data before the CAdES-C timestamp")
    _require_imprint(
        parsed,
        esc_timestamp_data(data, bytes(signer["signature"].native)),
        "the signature with its timestamp and references",
    )
    return _with_attribute(info, index, [(_ets.ESC_TIMESTAMP, [_token_value(parsed)])])


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
