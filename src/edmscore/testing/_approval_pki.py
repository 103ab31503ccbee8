"""A throw-away signer for tests and examples: a key pair, a self-signed certificate, raw signing.

Its signatures are what :class:`~edmscore.approval.CertificateKeyVerifier` verifies: ECDSA
P-256 or RSA-PSS over the SHA-256 of the content.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import NameOID

__all__ = ["RawSigner"]


class RawSigner:
    """A signer with its own self-signed certificate (``algorithm``: ``"ecdsa"`` or ``"rsa"``).

    When ``common_name`` is a full name («Фамилия Имя [Отчество]», no initials) the certificate
    also carries it as surname and givenName, as a qualified certificate of a person does.
    """

    def __init__(
        self,
        common_name: str,
        *,
        algorithm: str = "ecdsa",
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> None:
        if algorithm == "ecdsa":
            self._key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = ec.generate_private_key(
                ec.SECP256R1()
            )
        elif algorithm == "rsa":
            self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            raise ValueError(f"unknown algorithm {algorithm!r}")
        start = not_before or dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        end = not_after or dt.datetime(2027, 12, 31, tzinfo=dt.UTC)
        attributes = [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
        ]
        words = common_name.split()
        if 2 <= len(words) <= 3 and not any("." in w for w in words):
            attributes.append(x509.NameAttribute(NameOID.SURNAME, words[0]))
            attributes.append(x509.NameAttribute(NameOID.GIVEN_NAME, " ".join(words[1:])))
        name = x509.Name(attributes)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .sign(self._key, hashes.SHA256())
        )

    def sign(self, content: bytes) -> bytes:
        """A raw signature over the SHA-256 of ``content``."""
        digest = hashlib.sha256(content).digest()
        prehashed = utils.Prehashed(hashes.SHA256())
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(digest, ec.ECDSA(prehashed))
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
        return self._key.sign(digest, pss, prehashed)
