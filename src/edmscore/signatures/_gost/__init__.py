"""GOST primitives: Streebog (GOST R 34.11-2012), GOST R 34.11-94 and GOST R 34.10 signatures.

GOST R 34.10-2001 (the legacy algorithm of signatures made before 2019–2020) is the same
mathematics as GOST R 34.10-2012 with 256-bit keys over the CryptoPro curves; its digest is
GOST R 34.11-94 with the CryptoPro S-boxes (:func:`gost94`, :func:`new_gost94`).

A private package: the CMS layer of :mod:`edmscore.signatures` builds on it. These notes are the
source for the verification docs page.

Byte order, in one place
------------------------
The standards write every vector most significant byte first; OpenSSL, CMS (RFC 4490, RFC 4491,
RFC 9215) and everything on the wire use other orders. Here everything is the wire form:

* **Digests** are what ``openssl dgst -md_gost12_256`` prints: the standard's hash vector
  *reversed* byte for byte. The standard's example M1 ("012345…012", 63 bytes) hashes to
  ``9d151eef…e57b5500`` with :func:`streebog256` (the standard writes ``00557be5…ef1e159d``).
* **The integer e** that signing and verification use is the digest read **little-endian**,
  reduced mod ``q`` (0 becomes 1) — the same as OpenSSL's engine.
* **A signature** is ``s || r``, each big-endian and ``curve.size`` bytes (32 or 64), as
  RFC 4491 §2.2.2 prescribes and OpenSSL produces (the standard writes ``r || s``).
* **A public key** (the OCTET STRING inside a SubjectPublicKeyInfo's BIT STRING) is ``x || y``,
  each little-endian, ``curve.size`` bytes: :func:`decode_public_key` / :func:`encode_public_key`.
* A 256-bit key (OID ``1.2.643.7.1.1.1.1``) signs Streebog-256 digests (signature OID
  ``1.2.643.7.1.1.3.2``); a 512-bit key (``1.2.643.7.1.1.1.2``) Streebog-512 (``…3.3``). The
  parameter set named in the key's algorithm parameters selects the curve:
  ``CURVES_BY_OID[oid]`` covers TC26 256 A–D, TC26 512 A–C and the test set, CryptoPro A, B, C,
  XchA, XchB and the 2001 test set.

Verifying a GOST signature in CMS or X.509
------------------------------------------
The public key's ``AlgorithmIdentifier`` parameters are ``SEQUENCE { publicKeyParamSet OID,
digestParamSet OID OPTIONAL }`` (RFC 9215 §4.1; the digest OID is absent for TC26 256-A and for
512-bit keys); the BIT STRING holds a DER OCTET STRING whose content is ``x || y``. The signature
value (a CMS ``SignerInfo.signature`` OCTET STRING, or a certificate's signature BIT STRING) is
``s || r``. So::

    curve = CURVES_BY_OID[public_key_param_set_oid]
    public = decode_public_key(curve, octet_string_content)   # ValidationError if malformed
    h = new_streebog(256 if curve.size == 32 else 512)        # accelerated when available
    h.update(signed_bytes)                                     # DER of signedAttrs, TBSCertificate…
    valid = gost_verify(curve, public, h.digest(), signature)  # False on any mismatch

Speed and the accelerated path
------------------------------
Pure-Python Streebog processes about 1 MiB/s (unrolled rounds over 8×256 precomputed tables,
built on first use in a few milliseconds). When the system OpenSSL has the GOST provider
(Debian/Ubuntu: ``apt-get install libengine-gost-openssl``), :func:`new_streebog`,
:func:`streebog256` and :func:`streebog512` use it — same digests, OpenSSL's speed (tens of
MB/s). :func:`accelerated_available` probes it once, at first use, by loading the ``gostprov``
provider into the process's libcrypto (Python's ``hashlib`` then offers ``md_gost12_256``);
nothing is required, and ``accelerated=False`` forces pure Python.

Signature verification is pure Python: Jacobian coordinates, width-w NAF with Shamir's trick and
a cached table of base-point multiples — a few milliseconds for 256-bit keys. Signing exists for
tests and test PKIs; it is not constant time.
"""

from __future__ import annotations

from edmscore.signatures._gost._accel import AcceleratedStreebog, accelerated_available
from edmscore.signatures._gost._curves import (
    CURVES_BY_OID,
    OID_CRYPTOPRO_A,
    OID_CRYPTOPRO_B,
    OID_CRYPTOPRO_C,
    OID_CRYPTOPRO_TEST,
    OID_CRYPTOPRO_XCHA,
    OID_CRYPTOPRO_XCHB,
    OID_TC26_256_A,
    OID_TC26_256_B,
    OID_TC26_256_C,
    OID_TC26_256_D,
    OID_TC26_512_A,
    OID_TC26_512_B,
    OID_TC26_512_C,
    OID_TC26_512_TEST,
    GostCurve,
)
from edmscore.signatures._gost._evp import evp_available, evp_verify
from edmscore.signatures._gost._factory import (
    StreebogHash,
    new_streebog,
    streebog256,
    streebog512,
)
from edmscore.signatures._gost._gost94 import (
    OID_GOST94_CRYPTOPRO,
    OID_GOST94_TEST,
    AcceleratedGost94,
    Gost94,
    gost94,
    new_gost94,
)
from edmscore.signatures._gost._oids import (
    OID_GOST3410_2012_256,
    OID_GOST3410_2012_512,
    OID_SIGN_WITH_STREEBOG256,
    OID_SIGN_WITH_STREEBOG512,
    OID_STREEBOG256,
    OID_STREEBOG512,
)
from edmscore.signatures._gost._sign import (
    decode_public_key,
    encode_public_key,
    gost_sign,
    gost_verify,
    public_key_from_private,
)
from edmscore.signatures._gost._streebog import Streebog256, Streebog512

__all__ = [
    "CURVES_BY_OID",
    "OID_CRYPTOPRO_A",
    "OID_CRYPTOPRO_B",
    "OID_CRYPTOPRO_C",
    "OID_CRYPTOPRO_TEST",
    "OID_CRYPTOPRO_XCHA",
    "OID_CRYPTOPRO_XCHB",
    "OID_GOST94_CRYPTOPRO",
    "OID_GOST94_TEST",
    "OID_GOST3410_2012_256",
    "OID_GOST3410_2012_512",
    "OID_SIGN_WITH_STREEBOG256",
    "OID_SIGN_WITH_STREEBOG512",
    "OID_STREEBOG256",
    "OID_STREEBOG512",
    "OID_TC26_256_A",
    "OID_TC26_256_B",
    "OID_TC26_256_C",
    "OID_TC26_256_D",
    "OID_TC26_512_A",
    "OID_TC26_512_B",
    "OID_TC26_512_C",
    "OID_TC26_512_TEST",
    "AcceleratedGost94",
    "AcceleratedStreebog",
    "Gost94",
    "GostCurve",
    "Streebog256",
    "Streebog512",
    "StreebogHash",
    "accelerated_available",
    "decode_public_key",
    "encode_public_key",
    "evp_available",
    "evp_verify",
    "gost94",
    "gost_sign",
    "gost_verify",
    "new_gost94",
    "new_streebog",
    "public_key_from_private",
    "streebog256",
    "streebog512",
]
