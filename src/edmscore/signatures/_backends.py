"""Signature algorithm backends behind one interface.

A backend checks a signature over a precomputed digest with the public key of a
SubjectPublicKeyInfo. RSA (PKCS#1 v1.5 and PSS) and ECDSA go through ``cryptography``; GOST
R 34.10-2012 goes through edmscore's own primitives. :func:`verify_digest` picks the backend by the
key's algorithm and raises :class:`UnsupportedAlgorithm` for anything none of them handles, which
the verifier turns into a report entry.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from asn1crypto import algos, core
from cryptography.exceptions import InvalidSignature
from cryptography.exceptions import UnsupportedAlgorithm as _CryptoUnsupported
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from edmscore.signatures import _asn1, _gostlink, _oids
from edmscore.signatures._certificate import AlgorithmRef


class UnsupportedAlgorithm(Exception):
    """Internal: an algorithm no backend handles; ``oid`` names it."""

    def __init__(self, oid: str) -> None:
        self.oid = oid
        super().__init__(f"unsupported algorithm {oid}")


class Backend(Protocol):
    """One family of signature algorithms."""

    key_algorithms: frozenset[str]

    def digest_for(self, algorithm: AlgorithmRef, digest_oid: str) -> str:
        """The digest the signature is computed over, given the CMS digest algorithm."""

    def verify(
        self,
        public_key_info: bytes,
        algorithm: AlgorithmRef,
        digest_oid: str,
        digest: bytes,
        signature: bytes,
    ) -> bool:
        """Whether ``signature`` over ``digest`` (made with ``digest_oid``) verifies."""


_CRYPTO_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    _oids.SHA1: hashes.SHA1,
    _oids.SHA224: hashes.SHA224,
    _oids.SHA256: hashes.SHA256,
    _oids.SHA384: hashes.SHA384,
    _oids.SHA512: hashes.SHA512,
}
_HASH_NAME_OIDS: dict[str, str] = {
    "sha1": _oids.SHA1,
    "sha224": _oids.SHA224,
    "sha256": _oids.SHA256,
    "sha384": _oids.SHA384,
    "sha512": _oids.SHA512,
}


def _crypto_hash(oid: str) -> hashes.HashAlgorithm:
    factory = _CRYPTO_HASHES.get(oid)
    if factory is None:
        raise UnsupportedAlgorithm(oid)
    return factory()


def _pss_params(algorithm: AlgorithmRef) -> tuple[str, int]:
    """The hash OID and salt length of RSASSA-PSS parameters (RFC 4055 defaults: SHA-1, 20)."""
    if algorithm.parameters is None:
        return _oids.SHA1, 20
    params = algos.RSASSAPSSParams.load(algorithm.parameters)
    hash_oid = params["hash_algorithm"]["algorithm"].dotted
    mgf = params["mask_gen_algorithm"]
    if mgf["algorithm"].dotted != "1.2.840.113549.1.1.8":
        raise UnsupportedAlgorithm(mgf["algorithm"].dotted)
    mgf_hash = mgf["parameters"]["algorithm"].dotted
    if mgf_hash != hash_oid:
        raise UnsupportedAlgorithm(mgf_hash)
    return hash_oid, int(params["salt_length"].native)


class RsaBackend:
    """RSA PKCS#1 v1.5 and RSASSA-PSS through ``cryptography``."""

    # An RSASSA-PSS key (id-RSASSA-PSS SPKI, as D-TRUST CAs have) is an RSA key to cryptography.
    key_algorithms = frozenset({_oids.RSA, _oids.RSA_PSS})
    _signatures = frozenset(
        {
            _oids.RSA,
            _oids.RSA_PSS,
            _oids.SHA1_RSA,
            _oids.SHA224_RSA,
            _oids.SHA256_RSA,
            _oids.SHA384_RSA,
            _oids.SHA512_RSA,
        }
    )

    def digest_for(self, algorithm: AlgorithmRef, digest_oid: str) -> str:
        """See :class:`Backend`."""
        if algorithm.oid not in self._signatures:
            raise UnsupportedAlgorithm(algorithm.oid)
        if algorithm.oid == _oids.RSA_PSS:
            return _pss_params(algorithm)[0]
        return _oids.SIGNATURE_DIGESTS.get(algorithm.oid, digest_oid)

    def verify(
        self,
        public_key_info: bytes,
        algorithm: AlgorithmRef,
        digest_oid: str,
        digest: bytes,
        signature: bytes,
    ) -> bool:
        """See :class:`Backend`."""
        key = _load_key(public_key_info)
        if not isinstance(key, rsa.RSAPublicKey):
            return False
        hash_oid = self.digest_for(algorithm, digest_oid)
        pad: padding.AsymmetricPadding
        if algorithm.oid == _oids.RSA_PSS:
            salt = _pss_params(algorithm)[1]
            pad = padding.PSS(mgf=padding.MGF1(_crypto_hash(hash_oid)), salt_length=salt)
        else:
            pad = padding.PKCS1v15()
        chosen = _crypto_hash(hash_oid)
        if len(digest) != chosen.digest_size:
            return False
        try:
            key.verify(signature, digest, pad, Prehashed(chosen))
        except InvalidSignature:
            return False
        return True


class EcdsaBackend:
    """ECDSA over the named curves ``cryptography`` knows."""

    key_algorithms = frozenset({_oids.EC_PUBLIC_KEY})
    _signatures = frozenset(
        {
            _oids.EC_PUBLIC_KEY,
            _oids.ECDSA_SHA1,
            _oids.ECDSA_SHA224,
            _oids.ECDSA_SHA256,
            _oids.ECDSA_SHA384,
            _oids.ECDSA_SHA512,
        }
    )

    def digest_for(self, algorithm: AlgorithmRef, digest_oid: str) -> str:
        """See :class:`Backend`."""
        if algorithm.oid not in self._signatures:
            raise UnsupportedAlgorithm(algorithm.oid)
        return _oids.SIGNATURE_DIGESTS.get(algorithm.oid, digest_oid)

    def verify(
        self,
        public_key_info: bytes,
        algorithm: AlgorithmRef,
        digest_oid: str,
        digest: bytes,
        signature: bytes,
    ) -> bool:
        """See :class:`Backend`."""
        key = _load_key(public_key_info)
        if not isinstance(key, ec.EllipticCurvePublicKey):
            return False
        chosen = _crypto_hash(self.digest_for(algorithm, digest_oid))
        if len(digest) != chosen.digest_size:
            return False
        try:
            key.verify(signature, digest, ec.ECDSA(Prehashed(chosen)))
        except InvalidSignature:
            return False
        return True


class GostBackend:
    """GOST R 34.10-2012 (256 and 512 bits) with Streebog, through edmscore's own primitives."""

    key_algorithms = frozenset({_oids.GOST2012_256, _oids.GOST2012_512})
    _signatures: ClassVar[dict[str, frozenset[str]]] = {
        _oids.GOST2012_256: frozenset({_oids.GOST2012_256, _oids.GOST2012_256_STREEBOG256}),
        _oids.GOST2012_512: frozenset({_oids.GOST2012_512, _oids.GOST2012_512_STREEBOG512}),
    }
    _digests: ClassVar[dict[str, str]] = {
        _oids.GOST2012_256: _oids.STREEBOG256,
        _oids.GOST2012_256_STREEBOG256: _oids.STREEBOG256,
        _oids.GOST2012_512: _oids.STREEBOG512,
        _oids.GOST2012_512_STREEBOG512: _oids.STREEBOG512,
    }

    def digest_for(self, algorithm: AlgorithmRef, digest_oid: str) -> str:
        """See :class:`Backend`."""
        if not _gostlink.available() or algorithm.oid not in self._digests:
            raise UnsupportedAlgorithm(algorithm.oid)
        return self._digests[algorithm.oid]

    def verify(
        self,
        public_key_info: bytes,
        algorithm: AlgorithmRef,
        digest_oid: str,
        digest: bytes,
        signature: bytes,
    ) -> bool:
        """See :class:`Backend`."""
        spki = _asn1.PublicKeyInfo.load(public_key_info)
        key_oid = spki["algorithm"]["algorithm"].dotted
        if algorithm.oid not in self._signatures.get(key_oid, frozenset()):
            raise UnsupportedAlgorithm(algorithm.oid)
        self.digest_for(algorithm, "")
        params = spki["algorithm"]["parameters"]
        if not isinstance(params, _asn1.GostPublicKeyParameters):
            return False
        param_set = params["public_key_param_set"].dotted
        curve = _gostlink.curve(param_set)
        if curve is None:
            raise UnsupportedAlgorithm(param_set)
        octets = core.OctetString.load(bytes(spki["public_key"].native)).native
        return _gostlink.verify(curve, bytes(octets), digest, signature)


BACKENDS: tuple[Backend, ...] = (RsaBackend(), EcdsaBackend(), GostBackend())


def key_algorithm(public_key_info: bytes) -> str:
    """The dotted OID of the key algorithm of a SubjectPublicKeyInfo."""
    return str(_asn1.PublicKeyInfo.load(public_key_info)["algorithm"]["algorithm"].dotted)


def backend_for(public_key_info: bytes) -> Backend:
    """The backend for the key's algorithm, or :class:`UnsupportedAlgorithm`."""
    oid = key_algorithm(public_key_info)
    for backend in BACKENDS:
        if oid in backend.key_algorithms:
            return backend
    raise UnsupportedAlgorithm(oid)


def signed_digest_oid(public_key_info: bytes, algorithm: AlgorithmRef, digest_oid: str) -> str:
    """The digest algorithm a signature over some data is computed with."""
    return backend_for(public_key_info).digest_for(algorithm, digest_oid)


def verify_digest(
    public_key_info: bytes,
    algorithm: AlgorithmRef,
    digest_oid: str,
    digest: bytes,
    signature: bytes,
) -> bool:
    """Verify ``signature`` over ``digest``; False for a bad signature or a malformed key.

    Raises :class:`UnsupportedAlgorithm` when no backend handles the key or the algorithm.
    """
    backend = backend_for(public_key_info)
    try:
        return backend.verify(public_key_info, algorithm, digest_oid, digest, signature)
    except UnsupportedAlgorithm:
        raise
    except (ValueError, TypeError, KeyError, IndexError, _CryptoUnsupported):
        return False


def _load_key(public_key_info: bytes) -> object:
    try:
        return serialization.load_der_public_key(public_key_info)
    except _CryptoUnsupported as exc:
        raise UnsupportedAlgorithm(key_algorithm(public_key_info)) from exc
