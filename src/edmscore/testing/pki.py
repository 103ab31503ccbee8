"""A small test PKI for host test suites: CAs, users, CRLs and CMS signatures without OpenSSL.

::

    pki = TestPki.create("rsa")
    signer = pki.issue(SubjectFields(surname="Иванов", given_name="Иван", snils="11223344595"))
    signature = pki.sign(b"content", signer)
    report = verify(b"content", signature, trust_anchors=[pki.root.certificate])

Keys are RSA-2048 (PKCS#1 v1.5 or PSS), ECDSA P-256, or GOST R 34.10-2012 256/512 (TC26 parameter
sets A). Everything is built in memory; the certificates and signatures are ordinary DER that
OpenSSL verifies too. Broken signatures are made by changing the content, choosing validity
periods in the past, revoking and so on.
"""

from __future__ import annotations

import base64
import itertools
import secrets
import textwrap
from collections.abc import Sequence
from typing import ClassVar

import attrs
import pendulum
from asn1crypto import cms, core, tsp, x509

from edmscore.signatures import _build, _digests, _oids
from edmscore.signatures._build import SigningKey, build_name, generate_key
from edmscore.signatures._subject import SubjectFields

__all__ = ["Identity", "TestPki"]


@attrs.frozen
class Identity:
    """A certificate (DER) with its private key, as issued by a :class:`TestPki`."""

    certificate: bytes = attrs.field(repr=False)
    key: SigningKey = attrs.field(repr=False)
    fields: SubjectFields
    serial: int

    @property
    def certificate_pem(self) -> bytes:
        """The certificate in PEM form."""
        body = "\n".join(textwrap.wrap(base64.b64encode(self.certificate).decode(), 64))
        return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n".encode()

    @property
    def private_key_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM (GOST keys in OpenSSL's GOST-engine form:
        the scalar as little-endian octets), for signers that read a key file."""
        return _build.private_key_pem(self.key)


@attrs.define
class TestPki:
    """A root CA that issues certificates, revokes them, publishes CRLs and signs content."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    root: Identity
    algorithm: str
    parents: tuple[bytes, ...] = ()
    _revoked: list[tuple[int, pendulum.DateTime]] = attrs.field(factory=list)
    _serials: itertools.count[int] = attrs.field(factory=lambda: itertools.count(2))

    @classmethod
    def create(
        cls,
        algorithm: str = "rsa",
        *,
        name: str = "Тестовый удостоверяющий центр",
        not_before: pendulum.DateTime | None = None,
        not_after: pendulum.DateTime | None = None,
    ) -> TestPki:
        """A new root CA with a key of ``algorithm``: rsa, rsa-pss, ecdsa, gost256 or gost512."""
        key = generate_key(algorithm)
        start = not_before or pendulum.now("UTC").subtract(days=1)
        end = not_after or start.add(years=10)
        fields = SubjectFields(common_name=name, organization=name, country="RU")
        x_name = build_name(fields)
        cert = _build.build_certificate(
            subject=x_name,
            subject_key=key.public_key_info,
            issuer=x_name,
            issuer_key=key,
            serial=1,
            not_before=start,
            not_after=end,
            ca=True,
        )
        return cls(root=Identity(cert, key, fields, 1), algorithm=algorithm)

    @property
    def ca_chain(self) -> tuple[bytes, ...]:
        """The certificates between a user of this CA and the top root (none for a root CA)."""
        return (self.root.certificate, *self.parents[:-1]) if self.parents else ()

    def intermediate(
        self,
        name: str = "Подчинённый удостоверяющий центр",
        *,
        algorithm: str | None = None,
        not_before: pendulum.DateTime | None = None,
        not_after: pendulum.DateTime | None = None,
    ) -> TestPki:
        """A subordinate CA issued by this one; its users' signatures carry its certificate."""
        key = generate_key(algorithm or self.algorithm)
        start = not_before or pendulum.now("UTC").subtract(days=1)
        fields = SubjectFields(common_name=name, organization=name, country="RU")
        serial = next(self._serials) * 0x1000 + secrets.randbelow(0x1000)
        cert = _build.build_certificate(
            subject=build_name(fields),
            subject_key=key.public_key_info,
            issuer=self._root_name,
            issuer_key=self.root.key,
            serial=serial,
            not_before=start,
            not_after=not_after or start.add(years=5),
            ca=True,
        )
        return TestPki(
            root=Identity(cert, key, fields, serial),
            algorithm=algorithm or self.algorithm,
            parents=(self.root.certificate, *self.parents),
        )

    @property
    def _root_name(self) -> x509.Name:
        return x509.Certificate.load(self.root.certificate)["tbs_certificate"]["subject"]

    def issue(
        self,
        fields: SubjectFields | None = None,
        *,
        algorithm: str | None = None,
        not_before: pendulum.DateTime | None = None,
        not_after: pendulum.DateTime | None = None,
        time_stamping: bool = False,
    ) -> Identity:
        """A user (or, with ``time_stamping``, a TSA) certificate issued by the root."""
        fields = fields or SubjectFields(common_name="Тестовый пользователь")
        key = generate_key(algorithm or self.algorithm)
        start = not_before or pendulum.now("UTC").subtract(hours=1)
        end = not_after or start.add(years=1)
        serial = next(self._serials) * 0x1000 + secrets.randbelow(0x1000)
        cert = _build.build_certificate(
            subject=build_name(fields),
            subject_key=key.public_key_info,
            issuer=self._root_name,
            issuer_key=self.root.key,
            serial=serial,
            not_before=start,
            not_after=end,
            ca=False,
            time_stamping=time_stamping,
        )
        return Identity(cert, key, fields, serial)

    def revoke(self, identity: Identity, at: pendulum.DateTime | None = None) -> None:
        """Mark ``identity`` revoked from ``at`` (now by default) in the next CRLs."""
        self._revoked.append((identity.serial, at or pendulum.now("UTC")))

    def crl(
        self,
        *,
        this_update: pendulum.DateTime | None = None,
        next_update: pendulum.DateTime | None = None,
    ) -> bytes:
        """A DER CRL of the root listing every revoked certificate."""
        start = this_update or pendulum.now("UTC").subtract(minutes=5)
        return _build.build_crl(
            issuer=self._root_name,
            issuer_key=self.root.key,
            revoked=self._revoked,
            this_update=start,
            next_update=next_update or start.add(days=7),
            number=len(self._revoked) + 1,
        )

    def sign(
        self,
        content: bytes,
        signer: Identity,
        *,
        cosigners: Sequence[Identity] = (),
        detached: bool = True,
        signing_time: pendulum.DateTime | None = None,
        include_chain: bool = True,
    ) -> bytes:
        """A DER CMS signature over ``content`` by ``signer`` (and ``cosigners``).

        The signers' certificates are embedded, and with ``include_chain`` those of the CAs
        between this CA and the top root.
        """
        moment = signing_time or pendulum.now("UTC")
        infos = []
        for identity in (signer, *cosigners):
            digest = _digests.digest(identity.key.digest_oid, content)
            assert digest is not None
            infos.append(
                _build.build_signer_info(
                    certificate=identity.certificate,
                    key=identity.key,
                    message_digest=digest,
                    content_type=_oids.DATA,
                    signing_time=moment,
                )
            )
        return _build.build_signed_data(
            content_type=_oids.DATA,
            content=None if detached else content,
            signer_infos=infos,
            certificates=[
                *(i.certificate for i in (signer, *cosigners)),
                *(self.ca_chain if include_chain else ()),
            ],
        )

    def countersign(self, signature: bytes, countersigner: Identity, *, index: int = 0) -> bytes:
        """``signature`` with a countersignature by ``countersigner`` on its signer ``index``."""
        parent = cms.ContentInfo.load(signature)["content"]["signer_infos"][index]
        digest = _digests.digest(countersigner.key.digest_oid, bytes(parent["signature"].native))
        assert digest is not None
        info = _build.build_signer_info(
            certificate=countersigner.certificate,
            key=countersigner.key,
            message_digest=digest,
            content_type=None,
            signing_time=pendulum.now("UTC"),
        )
        with_counter = _build.add_unsigned_attribute(signature, index, "counter_signature", info)
        return _add_certificate(with_counter, countersigner.certificate)

    def timestamp(
        self,
        signature: bytes,
        tsa: Identity,
        *,
        at: pendulum.DateTime | None = None,
        index: int = 0,
    ) -> bytes:
        """``signature`` with an RFC 3161 timestamp token of ``tsa`` on its signer ``index``."""
        parent = cms.ContentInfo.load(signature)["content"]["signer_infos"][index]
        imprint = _digests.digest(_oids.SHA256, bytes(parent["signature"].native))
        moment = at or pendulum.now("UTC")
        tst_info = tsp.TSTInfo(
            {
                "version": "v1",
                "policy": "1.2.643.2.2.38.4",
                "message_imprint": {
                    "hash_algorithm": {"algorithm": "sha256"},
                    "hashed_message": imprint,
                },
                "serial_number": secrets.randbits(63),
                "gen_time": moment.replace(microsecond=0),
            }
        )
        content = tst_info.dump()
        digest = _digests.digest(tsa.key.digest_oid, content)
        assert digest is not None
        info = _build.build_signer_info(
            certificate=tsa.certificate,
            key=tsa.key,
            message_digest=digest,
            content_type=_oids.TST_INFO,
            signing_time=moment,
        )
        token = _build.build_signed_data(
            content_type=_oids.TST_INFO,
            content=tst_info,
            signer_infos=[info],
            certificates=[tsa.certificate],
        )
        return _build.add_unsigned_attribute(
            signature, index, "signature_time_stamp_token", cms.ContentInfo.load(token)
        )


def _add_certificate(signature: bytes, certificate: bytes) -> bytes:
    info = cms.ContentInfo.load(signature)
    signed = info["content"]
    existing = signed["certificates"]
    certs = [] if isinstance(existing, core.Void) else [c.chosen for c in existing]
    if any(c.dump() == certificate for c in certs):
        return signature
    certs.append(x509.Certificate.load(certificate))
    signed["certificates"] = certs
    return bytes(info.dump())
