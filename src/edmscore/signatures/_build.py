"""Building certificates, CRLs and CMS signatures (for the test PKI in :mod:`edmscore.testing`).

Every structure is built with asn1crypto and signed through the same algorithm families the
verifier checks: RSA and ECDSA keys from ``cryptography``, GOST keys with edmscore's primitives.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs
import pendulum
from asn1crypto import algos, cms, core, keys, tsp, x509
from asn1crypto import crl as asn1_crl
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from edmscore.errors import SignatureError, ValidationError
from edmscore.signatures import _asn1, _digests, _gostlink, _oids
from edmscore.signatures._subject import SubjectFields

KEY_ALGORITHMS = ("rsa", "rsa-pss", "ecdsa", "gost256", "gost512")

# The parameter sets the test PKI's GOST keys use (TC26 256 A and TC26 512 A).
GOST256_PARAM_SET = "1.2.643.7.1.2.1.1.1"
GOST512_PARAM_SET = "1.2.643.7.1.2.1.2.1"


@attrs.frozen
class SigningKey:
    """A private key with what signing needs: the algorithm name, the SPKI and the secret."""

    algorithm: str
    public_key_info: bytes = attrs.field(repr=False)
    secret: Any = attrs.field(repr=False)

    @property
    def digest_oid(self) -> str:
        """The digest algorithm this key signs with."""
        return {"gost256": _oids.STREEBOG256, "gost512": _oids.STREEBOG512}.get(
            self.algorithm, _oids.SHA256
        )

    def algorithm_identifier(self, *, cms_form: bool) -> dict[str, Any]:
        """The signature AlgorithmIdentifier (``cms_form``: the key-algorithm form OpenSSL uses)."""
        if self.algorithm == "rsa":
            return {"algorithm": _oids.RSA if cms_form else _oids.SHA256_RSA, "parameters": None}
        if self.algorithm == "rsa-pss":
            sha256 = {"algorithm": "sha256"}
            params = algos.RSASSAPSSParams(
                {
                    "hash_algorithm": sha256,
                    "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": sha256},
                    "salt_length": 32,
                }
            )
            return {"algorithm": _oids.RSA_PSS, "parameters": params}
        if self.algorithm == "ecdsa":
            return {"algorithm": _oids.ECDSA_SHA256}
        if self.algorithm == "gost256":
            return {"algorithm": _oids.GOST2012_256 if cms_form else _oids.GOST2012_256_STREEBOG256}
        return {"algorithm": _oids.GOST2012_512 if cms_form else _oids.GOST2012_512_STREEBOG512}

    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` (hashed with :attr:`digest_oid`)."""
        digest = _digests.digest(self.digest_oid, data)
        assert digest is not None
        if self.algorithm == "rsa":
            return bytes(self.secret.sign(digest, padding.PKCS1v15(), Prehashed(hashes.SHA256())))
        if self.algorithm == "rsa-pss":
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            return bytes(self.secret.sign(digest, pss, Prehashed(hashes.SHA256())))
        if self.algorithm == "ecdsa":
            return bytes(self.secret.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256()))))
        curve, private = self.secret
        return _gostlink.sign(curve, private, digest)


def generate_key(algorithm: str) -> SigningKey:
    """A fresh key pair of ``algorithm`` (one of :data:`KEY_ALGORITHMS`)."""
    if algorithm in ("rsa", "rsa-pss"):
        secret: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif algorithm == "ecdsa":
        secret = ec.generate_private_key(ec.SECP256R1())
    elif algorithm in ("gost256", "gost512"):
        if not _gostlink.available():
            raise SignatureError("the GOST primitives are not part of this build")
        param_set = GOST256_PARAM_SET if algorithm == "gost256" else GOST512_PARAM_SET
        curve = _gostlink.curve(param_set)
        private = secrets.randbelow(_gostlink.curve_order(curve) - 1) + 1
        octets = _gostlink.public_key_octets(curve, private)
        params: dict[str, Any] = {"public_key_param_set": param_set}
        if algorithm == "gost256":
            params["digest_param_set"] = _oids.STREEBOG256
        spki = _asn1.PublicKeyInfo(
            {
                "algorithm": {
                    "algorithm": _oids.GOST2012_256
                    if algorithm == "gost256"
                    else _oids.GOST2012_512,
                    "parameters": _asn1.GostPublicKeyParameters(params),
                },
                "public_key": core.OctetString(octets).dump(),
            }
        )
        return SigningKey(algorithm, spki.dump(), (curve, private))
    else:
        raise ValidationError("algorithm", f"unknown key algorithm {algorithm!r}")
    spki_der = secret.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return SigningKey(algorithm, spki_der, secret)


_NAME_ORDER: tuple[tuple[str, str, type[Any]], ...] = (
    ("country", "2.5.4.6", core.PrintableString),
    ("region", "2.5.4.8", core.UTF8String),
    ("locality", "2.5.4.7", core.UTF8String),
    ("street", "2.5.4.9", core.UTF8String),
    ("organization", "2.5.4.10", core.UTF8String),
    ("organizational_unit", "2.5.4.11", core.UTF8String),
    ("position", "2.5.4.12", core.UTF8String),
    ("common_name", "2.5.4.3", core.UTF8String),
    ("surname", "2.5.4.4", core.UTF8String),
    ("email", "1.2.840.113549.1.9.1", core.IA5String),
    ("inn", _oids.INN, core.NumericString),
    ("inn_le", _oids.INN_LE, core.NumericString),
    ("ogrn", _oids.OGRN, core.NumericString),
    ("snils", _oids.SNILS, core.NumericString),
    ("ogrnip", _oids.OGRNIP, core.NumericString),
)
_DIRECTORY_STRINGS = {"2.5.4.8", "2.5.4.7", "2.5.4.9", "2.5.4.10", "2.5.4.11", "2.5.4.12"}


def build_name(fields: SubjectFields) -> x509.Name:
    """An X.509 name carrying ``fields`` (given name and patronymic joined in givenName)."""
    pairs: list[tuple[str, Any]] = []
    for attribute, oid, kind in _NAME_ORDER:
        value = getattr(fields, attribute)
        if value:
            pairs.append((oid, _value(oid, kind, value)))
        if attribute == "surname":
            given = " ".join(p for p in (fields.given_name, fields.patronymic) if p)
            if given:
                pairs.append(("2.5.4.42", _value("2.5.4.42", core.UTF8String, given)))
    rdns = [
        x509.RelativeDistinguishedName([x509.NameTypeAndValue({"type": oid, "value": value})])
        for oid, value in pairs
    ]
    return x509.Name(name="", value=x509.RDNSequence(rdns))


def _value(oid: str, kind: type[Any], text: str) -> Any:
    if oid in _DIRECTORY_STRINGS or oid in ("2.5.4.3", "2.5.4.4", "2.5.4.42"):
        return x509.DirectoryString(name="utf8_string", value=text)
    if oid == "1.2.840.113549.1.9.1":
        return x509.EmailAddress(text)
    return kind(text)


def _time(moment: pendulum.DateTime) -> x509.Time:
    value = datetime.fromtimestamp(int(moment.timestamp()), tz=pendulum.UTC)
    if 1950 <= value.year < 2050:
        return x509.Time({"utc_time": value})
    return x509.Time({"general_time": value})


def _key_id(spki_der: bytes) -> bytes:
    spki = _asn1.PublicKeyInfo.load(spki_der)
    return hashlib.sha1(bytes(spki["public_key"].native)).digest()


def build_certificate(
    *,
    subject: x509.Name,
    subject_key: bytes,
    issuer: x509.Name,
    issuer_key: SigningKey,
    serial: int,
    not_before: pendulum.DateTime,
    not_after: pendulum.DateTime,
    ca: bool,
    time_stamping: bool = False,
) -> bytes:
    """A DER certificate for ``subject_key`` (an SPKI), signed by ``issuer_key``."""
    extensions: list[dict[str, Any]] = [
        {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": ca}},
        {
            "extn_id": "key_usage",
            "critical": True,
            "extn_value": {"key_cert_sign", "crl_sign"}
            if ca
            else {"digital_signature", "non_repudiation"},
        },
        {"extn_id": "key_identifier", "critical": False, "extn_value": _key_id(subject_key)},
        {
            "extn_id": "authority_key_identifier",
            "critical": False,
            "extn_value": {"key_identifier": _key_id(issuer_key.public_key_info)},
        },
    ]
    if time_stamping:
        extensions.append(
            {"extn_id": "extended_key_usage", "critical": True, "extn_value": ["time_stamping"]}
        )
    algorithm = issuer_key.algorithm_identifier(cms_form=False)
    tbs = x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial,
            "signature": algorithm,
            "issuer": issuer,
            "validity": {"not_before": _time(not_before), "not_after": _time(not_after)},
            "subject": subject,
            "subject_public_key_info": keys.PublicKeyInfo.load(subject_key),
            "extensions": extensions,
        }
    )
    signature = issuer_key.sign(tbs.dump())
    cert = x509.Certificate(
        {"tbs_certificate": tbs, "signature_algorithm": algorithm, "signature_value": signature}
    )
    return bytes(cert.dump())


def build_crl(
    *,
    issuer: x509.Name,
    issuer_key: SigningKey,
    revoked: Sequence[tuple[int, pendulum.DateTime]],
    this_update: pendulum.DateTime,
    next_update: pendulum.DateTime,
    number: int,
) -> bytes:
    """A DER CRL listing ``revoked`` (serial, revocation time) pairs."""
    algorithm = issuer_key.algorithm_identifier(cms_form=False)
    tbs = asn1_crl.TbsCertList(
        {
            "version": "v2",
            "signature": algorithm,
            "issuer": issuer,
            "this_update": _time(this_update),
            "next_update": _time(next_update),
            "revoked_certificates": [
                {"user_certificate": serial, "revocation_date": _time(when)}
                for serial, when in revoked
            ]
            or None,
            "crl_extensions": [
                {"extn_id": "crl_number", "critical": False, "extn_value": number},
                {
                    "extn_id": "authority_key_identifier",
                    "critical": False,
                    "extn_value": {"key_identifier": _key_id(issuer_key.public_key_info)},
                },
            ],
        }
    )
    signature = issuer_key.sign(tbs.dump())
    crl = asn1_crl.CertificateList(
        {"tbs_cert_list": tbs, "signature_algorithm": algorithm, "signature": signature}
    )
    return bytes(crl.dump())


def build_signer_info(
    *,
    certificate: bytes,
    key: SigningKey,
    message_digest: bytes,
    content_type: str | None,
    signing_time: pendulum.DateTime | None,
    ess_certificate: bytes | None = None,
) -> cms.SignerInfo:
    """A SignerInfo with contentType, signingTime, messageDigest and signingCertificateV2.

    ``ess_certificate`` names another certificate in signingCertificateV2 (to test the check).
    """
    cert = x509.Certificate.load(certificate)
    attributes: list[dict[str, Any]] = []
    if content_type is not None:
        attributes.append({"type": "content_type", "values": [content_type]})
    if signing_time is not None:
        attributes.append(
            {
                "type": "signing_time",
                "values": [
                    cms.Time(name=_time(signing_time).name, value=_time(signing_time).native)
                ],
            }
        )
    attributes.append({"type": "message_digest", "values": [message_digest]})
    cert_hash = _digests.digest(key.digest_oid, ess_certificate or certificate)
    attributes.append(
        {
            "type": "signing_certificate_v2",
            "values": [
                tsp.SigningCertificateV2(
                    {
                        "certs": [
                            {
                                "hash_algorithm": {"algorithm": key.digest_oid},
                                "cert_hash": cert_hash,
                            }
                        ]
                    }
                )
            ],
        }
    )
    signed_attrs = cms.CMSAttributes(attributes)
    to_sign = b"\x31" + signed_attrs.dump()[1:]
    return cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value={
                    "issuer": cert["tbs_certificate"]["issuer"],
                    "serial_number": cert["tbs_certificate"]["serial_number"],
                },
            ),
            "digest_algorithm": {"algorithm": key.digest_oid},
            "signed_attrs": signed_attrs,
            "signature_algorithm": key.algorithm_identifier(cms_form=True),
            "signature": key.sign(to_sign),
        }
    )


def build_signed_data(
    *,
    content_type: str,
    content: Any,
    signer_infos: Sequence[cms.SignerInfo],
    certificates: Sequence[bytes],
) -> bytes:
    """A DER ContentInfo with SignedData (``content`` ``None`` for a detached signature)."""
    digest_oids = sorted({info["digest_algorithm"]["algorithm"].dotted for info in signer_infos})
    seen: list[bytes] = []
    for cert in certificates:
        if cert not in seen:
            seen.append(cert)
    signed = cms.SignedData(
        {
            # RFC 5652 5.1: version 3 when the content is not id-data.
            "version": "v1" if content_type == _oids.DATA else "v3",
            "digest_algorithms": [{"algorithm": oid} for oid in digest_oids],
            "encap_content_info": {"content_type": content_type, "content": content},
            "certificates": [x509.Certificate.load(c) for c in seen],
            "signer_infos": list(signer_infos),
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())


def add_unsigned_attribute(signature: bytes, index: int, oid: str, value: Any) -> bytes:
    """``signature`` with an unsigned attribute added to its signer number ``index``."""
    info = cms.ContentInfo.load(signature)
    signer = info["content"]["signer_infos"][index]
    unsigned = signer["unsigned_attrs"]
    existing = [] if isinstance(unsigned, core.Void) else list(unsigned)
    existing.append(cms.CMSAttribute({"type": oid, "values": [value]}))
    signer["unsigned_attrs"] = cms.CMSAttributes(existing)
    return bytes(info.dump(force=False))


def private_key_pem(key: SigningKey) -> bytes:
    """``key`` as unencrypted PKCS#8 PEM (GOST: the scalar as little-endian octets, as OpenSSL's
    GOST engine writes it)."""
    if key.algorithm in ("gost256", "gost512"):
        _, private = key.secret
        size = 32 if key.algorithm == "gost256" else 64
        spki = _asn1.PublicKeyInfo.load(key.public_key_info)
        algorithm = spki["algorithm"].dump()
        octets = core.OctetString(private.to_bytes(size, "little")).dump()
        body = b"\x02\x01\x00" + algorithm + octets
        der = b"\x30" + _length(len(body)) + body
        text = base64.encodebytes(der).decode("ascii").replace("\n", "")
        lines = "\n".join(text[i : i + 64] for i in range(0, len(text), 64))
        return f"-----BEGIN PRIVATE KEY-----\n{lines}\n-----END PRIVATE KEY-----\n".encode()
    return bytes(
        key.secret.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets
