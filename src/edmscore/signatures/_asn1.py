"""asn1crypto specifications that know the GOST algorithms.

asn1crypto has no GOST object identifiers. Rather than change its global tables, edmscore defines
its own subclasses with extended ``_map`` tables (asn1crypto's documented way to name OIDs) and its
own ``Sequence`` specs for GOST key parameters and for a SubjectPublicKeyInfo that does not depend
on asn1crypto's key-type table. Structures parsed by asn1crypto's stock classes are re-read with
these specs from their DER encoding where the algorithm matters.
"""

from __future__ import annotations

from typing import Any, ClassVar

from asn1crypto import algos, core, keys

from edmscore.signatures import _oids


class DigestAlgorithmId(algos.DigestAlgorithmId):  # type: ignore[misc]
    """Digest algorithm identifiers, Streebog-256/512 included."""

    _map: ClassVar[dict[str, str]] = {
        **algos.DigestAlgorithmId._map,
        _oids.STREEBOG256: "streebog256",
        _oids.STREEBOG512: "streebog512",
        _oids.GOST94: "gost94",
    }
    _reverse_map = None


class DigestAlgorithm(algos.DigestAlgorithm):  # type: ignore[misc]
    """A digest AlgorithmIdentifier naming Streebog too."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("algorithm", DigestAlgorithmId),
        ("parameters", core.Any, {"optional": True}),
    ]


class SignedDigestAlgorithmId(algos.SignedDigestAlgorithmId):  # type: ignore[misc]
    """Signature algorithm identifiers, GOST R 34.10-2012 included."""

    _map: ClassVar[dict[str, str]] = {
        **algos.SignedDigestAlgorithmId._map,
        _oids.GOST2012_256: "gost2012_256",
        _oids.GOST2012_512: "gost2012_512",
        _oids.GOST2012_256_STREEBOG256: "gost2012_256_streebog256",
        _oids.GOST2012_512_STREEBOG512: "gost2012_512_streebog512",
        _oids.GOST2001_GOST94: "gost2001_gost94",
    }
    _reverse_map = None


class SignedDigestAlgorithm(algos.SignedDigestAlgorithm):  # type: ignore[misc]
    """A signature AlgorithmIdentifier naming the GOST algorithms too (PSS parameters parsed)."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("algorithm", SignedDigestAlgorithmId),
        ("parameters", core.Any, {"optional": True}),
    ]


class GostPublicKeyParameters(core.Sequence):  # type: ignore[misc]
    """GOST R 34.10-2001/2012 key parameters (RFC 4491, RFC 9215): the curve, the digest."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("public_key_param_set", core.ObjectIdentifier),
        ("digest_param_set", core.ObjectIdentifier, {"optional": True}),
        ("encryption_param_set", core.ObjectIdentifier, {"optional": True}),
    ]


class PublicKeyAlgorithmId(keys.PublicKeyAlgorithmId):  # type: ignore[misc]
    """Public key algorithm identifiers, GOST R 34.10-2012 included."""

    _map: ClassVar[dict[str, str]] = {
        **keys.PublicKeyAlgorithmId._map,
        _oids.GOST2012_256: "gost2012_256",
        _oids.GOST2012_512: "gost2012_512",
        _oids.GOST2001: "gost2001",
    }
    _reverse_map = None


class PublicKeyAlgorithm(core.Sequence):  # type: ignore[misc]
    """A public key AlgorithmIdentifier with GOST parameters parsed."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("algorithm", PublicKeyAlgorithmId),
        ("parameters", core.Any, {"optional": True}),
    ]
    _oid_pair = ("algorithm", "parameters")
    _oid_specs: ClassVar[dict[str, Any]] = {
        "gost2012_256": GostPublicKeyParameters,
        "gost2012_512": GostPublicKeyParameters,
        "gost2001": GostPublicKeyParameters,
    }


class PublicKeyInfo(core.Sequence):  # type: ignore[misc]
    """SubjectPublicKeyInfo whose key stays an opaque bit string whatever the algorithm."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("algorithm", PublicKeyAlgorithm),
        ("public_key", core.OctetBitString),
    ]
