"""Object identifiers of the GOST algorithms (the parameter-set OIDs live with the curves)."""

from __future__ import annotations

__all__ = [
    "OID_GOST3410_2012_256",
    "OID_GOST3410_2012_512",
    "OID_SIGN_WITH_STREEBOG256",
    "OID_SIGN_WITH_STREEBOG512",
    "OID_STREEBOG256",
    "OID_STREEBOG512",
]

#: id-tc26-gost3410-12-256: a GOST R 34.10-2012 public key on a 256-bit curve.
OID_GOST3410_2012_256 = "1.2.643.7.1.1.1.1"
#: id-tc26-gost3410-12-512: a GOST R 34.10-2012 public key on a 512-bit curve.
OID_GOST3410_2012_512 = "1.2.643.7.1.1.1.2"
#: id-tc26-gost3411-12-256: Streebog-256.
OID_STREEBOG256 = "1.2.643.7.1.1.2.2"
#: id-tc26-gost3411-12-512: Streebog-512.
OID_STREEBOG512 = "1.2.643.7.1.1.2.3"
#: id-tc26-signwithdigest-gost3410-12-256: signature with Streebog-256.
OID_SIGN_WITH_STREEBOG256 = "1.2.643.7.1.1.3.2"
#: id-tc26-signwithdigest-gost3410-12-512: signature with Streebog-512.
OID_SIGN_WITH_STREEBOG512 = "1.2.643.7.1.1.3.3"
