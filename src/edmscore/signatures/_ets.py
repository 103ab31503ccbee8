"""ASN.1 of the CAdES long-term attributes (RFC 5126 / ETSI TS 101 733, explicit-tag module).

The attributes a CAdES-T, -C, -X Long (Type 1) and -A signature carries unsigned: the signature
timestamp, the complete certificate and revocation references, the certificate and revocation
values, the CAdES-C timestamp and the archive timestamps. asn1crypto knows none of them but the
signature timestamp; these specs are edmscore's and leave asn1crypto's tables alone.
"""

from __future__ import annotations

from typing import Any, ClassVar, Final

from asn1crypto import algos, core, ocsp, tsp, x509

SIGNATURE_TIMESTAMP: Final = "1.2.840.113549.1.9.16.2.14"
CERTIFICATE_REFS: Final = "1.2.840.113549.1.9.16.2.21"
REVOCATION_REFS: Final = "1.2.840.113549.1.9.16.2.22"
CERTIFICATE_VALUES: Final = "1.2.840.113549.1.9.16.2.23"
REVOCATION_VALUES: Final = "1.2.840.113549.1.9.16.2.24"
ESC_TIMESTAMP: Final = "1.2.840.113549.1.9.16.2.25"
REFS_TIMESTAMP: Final = "1.2.840.113549.1.9.16.2.26"
ARCHIVE_TIMESTAMP_V1: Final = "1.2.840.113549.1.9.16.2.27"
ARCHIVE_TIMESTAMP_V2: Final = "1.2.840.113549.1.9.16.2.48"
ARCHIVE_TIMESTAMP_V3: Final = "0.4.0.1733.2.4"
ATS_HASH_INDEX: Final = "0.4.0.1733.2.5"

#: The unsigned attributes of the long-term forms, by OID, with their readable names.
NAMES: Final[dict[str, str]] = {
    SIGNATURE_TIMESTAMP: "signature-time-stamp",
    CERTIFICATE_REFS: "complete-certificate-references",
    REVOCATION_REFS: "complete-revocation-references",
    CERTIFICATE_VALUES: "certificate-values",
    REVOCATION_VALUES: "revocation-values",
    ESC_TIMESTAMP: "CAdES-C-time-stamp",
    REFS_TIMESTAMP: "time-stamped-certs-crls-references",
    ARCHIVE_TIMESTAMP_V1: "archive-time-stamp",
    ARCHIVE_TIMESTAMP_V2: "archive-time-stamp-v2",
    ARCHIVE_TIMESTAMP_V3: "archive-time-stamp-v3",
}


class OtherHashAlgAndValue(core.Sequence):  # type: ignore[misc]
    """A hash with its algorithm."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("hash_algorithm", algos.DigestAlgorithm),
        ("hash_value", core.OctetString),
    ]


class OtherHash(core.Choice):  # type: ignore[misc]
    """A SHA-1 hash alone, or a hash with its algorithm."""

    _alternatives: ClassVar[list[tuple[Any, ...]]] = [
        ("sha1_hash", core.OctetString),
        ("other_hash", OtherHashAlgAndValue),
    ]


class OtherCertId(core.Sequence):  # type: ignore[misc]
    """A reference to a certificate: its hash and, optionally, its issuer and serial."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("other_cert_hash", OtherHash),
        ("issuer_serial", tsp.IssuerSerial, {"optional": True}),
    ]


class CompleteCertificateRefs(core.SequenceOf):  # type: ignore[misc]
    """complete-certificate-references: the CA certificates of the signer's path."""

    _child_spec = OtherCertId


class CrlIdentifier(core.Sequence):  # type: ignore[misc]
    """A CRL's issuer, issue time and number."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("crl_issuer", x509.Name),
        ("crl_issued_time", core.UTCTime),
        ("crl_number", core.Integer, {"optional": True}),
    ]


class CrlValidatedId(core.Sequence):  # type: ignore[misc]
    """A reference to a CRL: its hash and identifier."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("crl_hash", OtherHash),
        ("crl_identifier", CrlIdentifier, {"optional": True}),
    ]


class CrlValidatedIds(core.SequenceOf):  # type: ignore[misc]
    """Several CRL references."""

    _child_spec = CrlValidatedId


class CrlListId(core.Sequence):  # type: ignore[misc]
    """The CRLs used for one certificate."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [("crls", CrlValidatedIds)]


class OcspIdentifier(core.Sequence):  # type: ignore[misc]
    """An OCSP response's responder and production time."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("ocsp_responder_id", ocsp.ResponderId),
        ("produced_at", core.GeneralizedTime),
    ]


class OcspResponsesId(core.Sequence):  # type: ignore[misc]
    """A reference to an OCSP response: its identifier and, optionally, its hash."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("ocsp_identifier", OcspIdentifier),
        ("ocsp_rep_hash", OtherHash, {"optional": True}),
    ]


class OcspResponsesIds(core.SequenceOf):  # type: ignore[misc]
    """Several OCSP response references."""

    _child_spec = OcspResponsesId


class OcspListId(core.Sequence):  # type: ignore[misc]
    """The OCSP responses used for one certificate."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [("ocsp_responses", OcspResponsesIds)]


class CrlOcspRef(core.Sequence):  # type: ignore[misc]
    """The revocation data used for one certificate of the path."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("crlids", CrlListId, {"explicit": 0, "optional": True}),
        ("ocspids", OcspListId, {"explicit": 1, "optional": True}),
        ("other_rev", core.Any, {"explicit": 2, "optional": True}),
    ]


class CompleteRevocationRefs(core.SequenceOf):  # type: ignore[misc]
    """complete-revocation-references: one entry per certificate of the path."""

    _child_spec = CrlOcspRef


class CertificateValues(core.SequenceOf):  # type: ignore[misc]
    """certificate-values: the certificates of the path, kept opaque (read by edmscore's loader)."""

    _child_spec = core.Any


class CertificateLists(core.SequenceOf):  # type: ignore[misc]
    """CRLs kept opaque."""

    _child_spec = core.Any


class BasicResponses(core.SequenceOf):  # type: ignore[misc]
    """BasicOCSPResponse values kept opaque."""

    _child_spec = core.Any


class RevocationValues(core.Sequence):  # type: ignore[misc]
    """revocation-values: the CRLs and OCSP responses of the path."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("crl_vals", CertificateLists, {"explicit": 0, "optional": True}),
        ("ocsp_vals", BasicResponses, {"explicit": 1, "optional": True}),
        ("other_rev_vals", core.Any, {"explicit": 2, "optional": True}),
    ]


__all__ = [
    "ARCHIVE_TIMESTAMP_V1",
    "ARCHIVE_TIMESTAMP_V2",
    "ARCHIVE_TIMESTAMP_V3",
    "ATS_HASH_INDEX",
    "CERTIFICATE_REFS",
    "CERTIFICATE_VALUES",
    "ESC_TIMESTAMP",
    "NAMES",
    "REFS_TIMESTAMP",
    "REVOCATION_REFS",
    "REVOCATION_VALUES",
    "SIGNATURE_TIMESTAMP",
    "CertificateValues",
    "CompleteCertificateRefs",
    "CompleteRevocationRefs",
    "RevocationValues",
]
