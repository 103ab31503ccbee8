"""Electronic signature verification: CMS with RSA, ECDSA, GOST R 34.10-2012 and GOST R 34.10-2001.

The common case is one call::

    report = verify(content, signature, trust_anchors=[root_pem], crls=[crl_der])
    report.status        # Status.VALID / INVALID / INDETERMINATE
    report.to_json()

To verify many signatures, decode the anchors once: ``TrustAnchors.load(bundle)``, or the
accredited-CA list with ``load_trust_list(xml).anchors()``, and pass that as ``trust_anchors``.

Verification outcomes are values of the report; malformed input raises a subclass of
:class:`edmscore.errors.SignatureError`. The ASN.1 parsing (asn1crypto with edmscore's own GOST
specs) and the algorithm backends sit below this surface in private modules.

The GOST R 34.11-2012 (Streebog) hash is public too, for whoever needs GOST digests without
OpenSSL's GOST provider (MEDO receipts' ``hashCodes``): :func:`streebog256`, :func:`streebog512`
and :func:`new_streebog` (a ``hashlib``-like object). Digests are in the byte order
``openssl dgst -md_gost12_256`` prints; the OpenSSL provider is used when it loads.
"""

from __future__ import annotations

from edmscore.signatures._anchors import TrustAnchors
from edmscore.signatures._certificate import Certificate, Crl, load_certificate, load_crl
from edmscore.signatures._gost import new_streebog, streebog256, streebog512
from edmscore.signatures._gostlink import accelerated_available
from edmscore.signatures._gostlink import available as gost_available
from edmscore.signatures._report import (
    CertificateInfo,
    Finding,
    Reason,
    SignerReport,
    Status,
    TimeSource,
    VerificationReport,
)
from edmscore.signatures._subject import SubjectFields
from edmscore.signatures._trustlist import (
    Accreditation,
    AccreditationStatus,
    AccreditedCa,
    ListedCertificate,
    TrustList,
    load_trust_list,
)
from edmscore.signatures._verify import verify

__all__ = [
    "Accreditation",
    "AccreditationStatus",
    "AccreditedCa",
    "Certificate",
    "CertificateInfo",
    "Crl",
    "Finding",
    "ListedCertificate",
    "Reason",
    "SignerReport",
    "Status",
    "SubjectFields",
    "TimeSource",
    "TrustAnchors",
    "TrustList",
    "VerificationReport",
    "accelerated_available",
    "gost_available",
    "load_certificate",
    "load_crl",
    "load_trust_list",
    "new_streebog",
    "streebog256",
    "streebog512",
    "verify",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
