"""Object identifiers the verifier knows, and their readable names.

These tables belong to edmscore; asn1crypto's global tables are never changed.
"""

from __future__ import annotations

from typing import Final

# --- digests ------------------------------------------------------------------------------------
SHA1: Final = "1.3.14.3.2.26"
SHA224: Final = "2.16.840.1.101.3.4.2.4"
SHA256: Final = "2.16.840.1.101.3.4.2.1"
SHA384: Final = "2.16.840.1.101.3.4.2.2"
SHA512: Final = "2.16.840.1.101.3.4.2.3"
STREEBOG256: Final = "1.2.643.7.1.1.2.2"
STREEBOG512: Final = "1.2.643.7.1.1.2.3"
GOST94: Final = "1.2.643.2.2.9"  # GOST R 34.11-94 (legacy)

# --- public keys --------------------------------------------------------------------------------
RSA: Final = "1.2.840.113549.1.1.1"
RSA_PSS: Final = "1.2.840.113549.1.1.10"
EC_PUBLIC_KEY: Final = "1.2.840.10045.2.1"
GOST2012_256: Final = "1.2.643.7.1.1.1.1"
GOST2012_512: Final = "1.2.643.7.1.1.1.2"
GOST2001: Final = "1.2.643.2.2.19"  # GOST R 34.10-2001 (legacy)

# --- signatures ---------------------------------------------------------------------------------
SHA1_RSA: Final = "1.2.840.113549.1.1.5"
SHA224_RSA: Final = "1.2.840.113549.1.1.14"
SHA256_RSA: Final = "1.2.840.113549.1.1.11"
SHA384_RSA: Final = "1.2.840.113549.1.1.12"
SHA512_RSA: Final = "1.2.840.113549.1.1.13"
ECDSA_SHA1: Final = "1.2.840.10045.4.1"
ECDSA_SHA224: Final = "1.2.840.10045.4.3.1"
ECDSA_SHA256: Final = "1.2.840.10045.4.3.2"
ECDSA_SHA384: Final = "1.2.840.10045.4.3.3"
ECDSA_SHA512: Final = "1.2.840.10045.4.3.4"
GOST2012_256_STREEBOG256: Final = "1.2.643.7.1.1.3.2"
GOST2012_512_STREEBOG512: Final = "1.2.643.7.1.1.3.3"
GOST2001_GOST94: Final = "1.2.643.2.2.3"  # GOST R 34.11-94 with GOST R 34.10-2001 (legacy)

# --- CMS content types and attributes -----------------------------------------------------------
DATA: Final = "1.2.840.113549.1.7.1"
SIGNED_DATA: Final = "1.2.840.113549.1.7.2"
TST_INFO: Final = "1.2.840.113549.1.9.16.1.4"
ATTR_CONTENT_TYPE: Final = "1.2.840.113549.1.9.3"
ATTR_MESSAGE_DIGEST: Final = "1.2.840.113549.1.9.4"
ATTR_SIGNING_TIME: Final = "1.2.840.113549.1.9.5"
ATTR_COUNTERSIGNATURE: Final = "1.2.840.113549.1.9.6"
ATTR_SIGNING_CERTIFICATE: Final = "1.2.840.113549.1.9.16.2.12"
ATTR_SIGNING_CERTIFICATE_V2: Final = "1.2.840.113549.1.9.16.2.47"
ATTR_TIMESTAMP_TOKEN: Final = "1.2.840.113549.1.9.16.2.14"

# --- extended key usage -------------------------------------------------------------------------
EKU_TIME_STAMPING: Final = "1.3.6.1.5.5.7.3.8"

DIGEST_NAMES: Final[dict[str, str]] = {
    SHA1: "sha1",
    SHA224: "sha224",
    SHA256: "sha256",
    SHA384: "sha384",
    SHA512: "sha512",
    STREEBOG256: "streebog256",
    STREEBOG512: "streebog512",
    GOST94: "gost94",
}

SIGNATURE_NAMES: Final[dict[str, str]] = {
    RSA: "rsa",
    RSA_PSS: "rsassa_pss",
    SHA1_RSA: "sha1_rsa",
    SHA224_RSA: "sha224_rsa",
    SHA256_RSA: "sha256_rsa",
    SHA384_RSA: "sha384_rsa",
    SHA512_RSA: "sha512_rsa",
    EC_PUBLIC_KEY: "ecdsa",
    ECDSA_SHA1: "sha1_ecdsa",
    ECDSA_SHA224: "sha224_ecdsa",
    ECDSA_SHA256: "sha256_ecdsa",
    ECDSA_SHA384: "sha384_ecdsa",
    ECDSA_SHA512: "sha512_ecdsa",
    GOST2012_256: "gost2012_256",
    GOST2012_512: "gost2012_512",
    GOST2012_256_STREEBOG256: "gost2012_256_streebog256",
    GOST2012_512_STREEBOG512: "gost2012_512_streebog512",
    GOST2001: "gost2001",
    GOST2001_GOST94: "gost2001_gost94",
}

# The digest a signature algorithm fixes by itself (``None``: the CMS digest algorithm decides).
SIGNATURE_DIGESTS: Final[dict[str, str]] = {
    SHA1_RSA: SHA1,
    SHA224_RSA: SHA224,
    SHA256_RSA: SHA256,
    SHA384_RSA: SHA384,
    SHA512_RSA: SHA512,
    ECDSA_SHA1: SHA1,
    ECDSA_SHA224: SHA224,
    ECDSA_SHA256: SHA256,
    ECDSA_SHA384: SHA384,
    ECDSA_SHA512: SHA512,
    GOST2012_256_STREEBOG256: STREEBOG256,
    GOST2012_512_STREEBOG512: STREEBOG512,
    GOST2001_GOST94: GOST94,
}

# The algorithms a report marks as legacy (GOST R 34.10-2001 and GOST R 34.11-94, withdrawn for
# new signatures since 2019 but still needed to verify archived ones).
LEGACY: Final[frozenset[str]] = frozenset({GOST94, GOST2001, GOST2001_GOST94})

# Russian qualified-certificate subject attributes (RFC 9215; order 795 of the FSB of Russia).
INN: Final = "1.2.643.3.131.1.1"
INN_LE: Final = "1.2.643.100.4"
OGRN: Final = "1.2.643.100.1"
SNILS: Final = "1.2.643.100.3"
OGRNIP: Final = "1.2.643.100.5"


def digest_name(oid: str) -> str:
    """The readable name of a digest algorithm, or its dotted OID when unknown."""
    return DIGEST_NAMES.get(oid, oid)


def signature_name(oid: str) -> str:
    """The readable name of a signature algorithm, or its dotted OID when unknown."""
    return SIGNATURE_NAMES.get(oid, oid)
