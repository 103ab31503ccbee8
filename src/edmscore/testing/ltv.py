"""Long-term evidence from the test PKI: RFC 3161 tokens over any data and OCSP responses.

::

    pki = TestPki.create("gost256")
    tsa = pki.issue(SubjectFields(common_name="TSA"), time_stamping=True)
    token = timestamp_token(tsa, digest, hash_algorithm=STREEBOG256, at=moment)
    response = ocsp_response(pki.root, user, status="good", this_update=moment)

The responses are signed by the issuing CA itself (the responder is the CA, which RFC 6960
allows), so they check against the same trust anchor as everything else.
"""

from __future__ import annotations

import secrets

import attrs
import pendulum
from asn1crypto import core, ocsp, tsp, x509

from edmscore.signatures import _asn1, _build, _digests, _oids
from edmscore.signatures._ltv_data import raw
from edmscore.testing.pki import Identity

__all__ = ["ocsp_response", "timestamp_token", "with_ocsp_url"]


def timestamp_token(
    tsa: Identity,
    digest: bytes,
    *,
    hash_algorithm: str = _oids.SHA256,
    at: pendulum.DateTime | None = None,
    policy: str = "1.2.643.2.2.38.4",
) -> bytes:
    """A DER timestamp token of ``tsa`` (issued with ``time_stamping``) over ``digest``."""
    moment = (at or pendulum.now("UTC")).in_tz("UTC").replace(microsecond=0)
    tst_info = tsp.TSTInfo(
        {
            "version": "v1",
            "policy": policy,
            "message_imprint": {
                "hash_algorithm": {"algorithm": hash_algorithm},
                "hashed_message": digest,
            },
            "serial_number": secrets.randbits(63),
            "gen_time": moment,
        }
    )
    content = tst_info.dump()
    content_digest = _digests.digest(tsa.key.digest_oid, content)
    assert content_digest is not None
    info = _build.build_signer_info(
        certificate=tsa.certificate,
        key=tsa.key,
        message_digest=content_digest,
        content_type=_oids.TST_INFO,
        signing_time=moment,
    )
    return _build.build_signed_data(
        content_type=_oids.TST_INFO,
        content=tst_info,
        signer_infos=[info],
        certificates=[tsa.certificate],
    )


def ocsp_response(
    issuer: Identity,
    subject: Identity,
    *,
    status: str = "good",
    revoked_at: pendulum.DateTime | None = None,
    this_update: pendulum.DateTime | None = None,
    next_update: pendulum.DateTime | None = None,
    produced_at: pendulum.DateTime | None = None,
    wrapped: bool = True,
) -> bytes:
    """A DER OCSP response of ``issuer`` about ``subject``'s certificate.

    ``status`` is ``good``, ``revoked`` (at ``revoked_at``) or ``unknown``. ``wrapped`` gives an
    OCSPResponse; otherwise the bare BasicOCSPResponse that CAdES revocation-values carry.
    """
    moment = (this_update or pendulum.now("UTC")).in_tz("UTC").replace(microsecond=0)
    issuer_cert = x509.Certificate.load(issuer.certificate)
    subject_cert = x509.Certificate.load(subject.certificate)
    name_hash = _digests.digest(_oids.SHA1, issuer_cert["tbs_certificate"]["subject"].dump())
    spki = _asn1.PublicKeyInfo.load(issuer.key.public_key_info)
    key_hash = _digests.digest(_oids.SHA1, bytes(spki["public_key"].contents)[1:])
    cert_status: ocsp.CertStatus
    if status == "revoked":
        cert_status = ocsp.CertStatus(
            name="revoked",
            value={"revocation_time": (revoked_at or moment).in_tz("UTC").replace(microsecond=0)},
        )
    else:
        cert_status = ocsp.CertStatus(name=status, value=core.Null())
    single: dict[str, object] = {
        "cert_id": {
            "hash_algorithm": {"algorithm": "sha1"},
            "issuer_name_hash": name_hash,
            "issuer_key_hash": key_hash,
            "serial_number": subject_cert.serial_number,
        },
        "cert_status": cert_status,
        "this_update": moment,
    }
    if next_update is not None:
        single["next_update"] = next_update.in_tz("UTC").replace(microsecond=0)
    tbs = ocsp.ResponseData(
        {
            "responder_id": ocsp.ResponderId(
                name="by_name", value=issuer_cert["tbs_certificate"]["subject"]
            ),
            "produced_at": (produced_at or moment).in_tz("UTC").replace(microsecond=0),
            "responses": [single],
        }
    )
    basic = ocsp.BasicOCSPResponse(
        {
            "tbs_response_data": tbs,
            "signature_algorithm": issuer.key.algorithm_identifier(cms_form=False),
            "signature": issuer.key.sign(tbs.dump()),
        }
    )
    if not wrapped:
        return bytes(basic.dump())
    return bytes(
        ocsp.OCSPResponse(
            {
                "response_status": "successful",
                "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
            }
        ).dump()
    )


def _tlv(tag: int, contents: bytes) -> bytes:
    size = len(contents)
    if size < 0x80:
        return bytes([tag, size]) + contents
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(octets)]) + octets + contents


def with_ocsp_url(issuer: Identity, identity: Identity, url: str) -> Identity:
    """``identity`` re-issued by ``issuer`` with an Authority Information Access OCSP ``url``.

    The TBS is spliced from the original bytes (a GOST key is never re-encoded).
    """
    tbs = x509.Certificate.load(identity.certificate)["tbs_certificate"]
    aia = x509.Extension(
        {
            "extn_id": "authority_information_access",
            "critical": False,
            "extn_value": [
                {
                    "access_method": "ocsp",
                    "access_location": x509.GeneralName(
                        name="uniform_resource_identifier", value=url
                    ),
                }
            ],
        }
    )
    fields = [
        raw(tbs[name])
        for name in (
            "version",
            "serial_number",
            "signature",
            "issuer",
            "validity",
            "subject",
            "subject_public_key_info",
        )
    ]
    extensions = b"".join(raw(e) for e in tbs["extensions"]) + aia.dump()
    fields.append(_tlv(0xA3, _tlv(0x30, extensions)))
    tbs_der = _tlv(0x30, b"".join(fields))
    algorithm = x509.Certificate.load(identity.certificate)["signature_algorithm"]
    signature = _tlv(0x03, b"\x00" + issuer.key.sign(tbs_der))
    certificate = _tlv(0x30, tbs_der + raw(algorithm) + signature)
    return attrs.evolve(identity, certificate=certificate)
