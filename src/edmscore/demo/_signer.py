"""The demo's signer: a throw-away ECDSA key with a self-signed certificate, raw signatures.

It stands in for the host's signing tool; :class:`~edmscore.approval.CertificateKeyVerifier`
verifies what it signs (ECDSA P-256 over the SHA-256 of the content). The certificate carries
the full name as common name, surname and given name, as a qualified certificate does.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["DemoSigner"]


class DemoSigner:
    """A signer for ``full_name`` («Фамилия Имя Отчество») with its own certificate."""

    def __init__(self, full_name: str) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        surname, _, given = full_name.partition(" ")
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, full_name),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
                x509.NameAttribute(NameOID.SURNAME, surname),
                x509.NameAttribute(NameOID.GIVEN_NAME, given),
            ]
        )
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2027, 12, 31, tzinfo=dt.UTC))
            .sign(self._key, hashes.SHA256())
        )

    def sign(self, content: bytes) -> bytes:
        """A raw ECDSA signature over the SHA-256 of ``content``."""
        return self._key.sign(content, ec.ECDSA(hashes.SHA256()))
