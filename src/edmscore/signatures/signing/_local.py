"""A signer with the key at hand: PEM or DER PKCS#8 (RSA and ECDSA through ``cryptography``,
GOST R 34.10-2012 through edmscore's GOST primitives). For tests and for servers that keep a key.
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from edmscore.errors import SignatureError, SignerFailed, UnsupportedSigningKey, ValidationError
from edmscore.signatures import _gostlink, _oids, _tlv
from edmscore.signatures._decode import to_der
from edmscore.signatures.signing._request import KeyAlgorithm, SigningRequest

__all__ = ["LocalKeySigner"]

MAX_KEY_BYTES = 64 << 10


def _gost_key(der: bytes) -> tuple[Any, int, str] | None:
    """(curve, private scalar, key OID) of an unencrypted GOST PKCS#8 key, or ``None``."""
    try:
        outer = _tlv.read(der)
        items = outer.children()
        algorithm = items[1].children()
        oid = _tlv.decode_oid(algorithm[0].content)
        if oid not in (_oids.GOST2012_256, _oids.GOST2012_512):
            return None
        param_set = _tlv.decode_oid(algorithm[1].children()[0].content)
        raw = _tlv.octets(items[2])
    except (_tlv.TlvError, IndexError, AttributeError):
        return None
    if len(raw) in (32, 64):
        private = int.from_bytes(raw, "little")  # OpenSSL's GOST engine: the bare octets
    else:
        try:
            inner = _tlv.read(raw)
        except _tlv.TlvError:
            return None
        if inner.tag == 0x02:
            private = _tlv.decode_integer(inner.content)
        else:
            private = int.from_bytes(inner.content, "little")
    curve = _gostlink.curve(param_set)
    if curve is None:
        raise UnsupportedSigningKey(f"unknown GOST parameter set {param_set}")
    return curve, private, oid


class LocalKeySigner:
    """Signs with a private key given as PEM or DER PKCS#8 (``password`` for an encrypted one).

    RSA keys sign PKCS#1 v1.5 with SHA-256, ECDSA keys with SHA-256, GOST R 34.10-2012 keys
    (OpenSSL's GOST engine form, unencrypted) with Streebog. The key's algorithm must match the
    request's certificate.
    """

    def __init__(self, private_key: bytes, *, password: bytes | None = None) -> None:
        if not isinstance(private_key, bytes) or len(private_key) > MAX_KEY_BYTES:
            raise ValidationError("private_key", "expected the bytes of a PEM or DER key")
        self._gost: tuple[Any, int, str] | None = None
        self._key: Any = None
        try:
            if private_key.lstrip().startswith(b"-----"):
                self._key = serialization.load_pem_private_key(private_key, password)
            else:
                self._key = serialization.load_der_private_key(private_key, password)
        except Exception as error:  # cryptography's errors vary by key and version
            try:
                der = to_der(
                    private_key, what="private key", limit=MAX_KEY_BYTES, error=SignatureError
                )
            except SignatureError:
                der = b""
            self._gost = _gost_key(der) if der else None
            if self._gost is None:
                raise UnsupportedSigningKey(
                    f"the private key cannot be read: {type(error).__name__}"
                ) from None
        if self._key is not None and not isinstance(
            self._key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
        ):
            raise UnsupportedSigningKey("only RSA, ECDSA and GOST R 34.10-2012 keys sign here")

    @classmethod
    def from_file(
        cls, path: str | os.PathLike[str], *, password: bytes | None = None
    ) -> LocalKeySigner:
        """A signer with the key read from ``path``."""
        with open(path, "rb") as handle:
            return cls(handle.read(MAX_KEY_BYTES + 1), password=password)

    @property
    def algorithm(self) -> KeyAlgorithm:
        """The key's algorithm."""
        if self._gost is not None:
            gost_oid = self._gost[2]
            return (
                KeyAlgorithm.GOST2012_256
                if gost_oid == _oids.GOST2012_256
                else KeyAlgorithm.GOST2012_512
            )
        return KeyAlgorithm.RSA if isinstance(self._key, rsa.RSAPrivateKey) else KeyAlgorithm.ECDSA

    def sign(self, request: SigningRequest) -> bytes:
        """The signature value over the request's signed attributes."""
        if request.algorithm is not self.algorithm:
            raise SignerFailed(
                f"the key is {self.algorithm.value}, the certificate {request.algorithm.value}"
            )
        digest = request.to_be_signed_digest
        if self._gost is not None:
            curve, private, _ = self._gost
            return _gostlink.sign(curve, private, digest)
        prehashed = Prehashed(hashes.SHA256())
        if isinstance(self._key, rsa.RSAPrivateKey):
            return bytes(self._key.sign(digest, padding.PKCS1v15(), prehashed))
        return bytes(self._key.sign(digest, ec.ECDSA(prehashed)))
