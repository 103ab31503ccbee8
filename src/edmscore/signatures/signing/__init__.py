"""Signing through external signers: prepare a CAdES-BES signature, sign elsewhere, assemble.

The key never comes near the library. For a document and the signer's certificate,
:func:`prepare` builds the signed attributes (contentType, signingTime, messageDigest,
signingCertificateV2 — Streebog-256/512 for GOST R 34.10-2012 keys, SHA-256 for RSA and ECDSA)
and returns a :class:`SigningRequest`: the exact bytes to sign (``to_be_signed``), their hash for
signers that take one (``to_be_signed_digest``), an id and an expiry. When the value comes back,
:func:`assemble` writes the CMS (detached or attached), upgrades it to CAdES-T when given a
:class:`TimestampAuthority`, verifies it through :func:`edmscore.signatures.verify` and refuses a
value that does not verify, another certificate or an expired request with typed errors::

    request = prepare(content, certificate_pem)
    value = signer.sign(request)  # a LocalKeySigner, an OpenSslSigner, a phone…
    signed = assemble(request, value, content, trust_anchors=[root_pem])
    signed.signature  # DER CMS, signed.report the verification report

Signers: :class:`LocalKeySigner` (a PEM/PKCS#8 key), :class:`OpenSslSigner` (``openssl pkeyutl``
as a separate process, OpenSSL's GOST engine for GOST keys) and, for asynchronous signers, the
:class:`RemoteSigningService` shape the host implements over its transport, with
:class:`SigningDesk` keeping the pending requests and :class:`InProcessSigningService` as the
reference implementation. Co-signatures (``prepare(..., cosign=cms)``) and countersignatures
(:func:`prepare_countersignature`) take the same path; :func:`merge_signatures` joins signatures
of the same content made apart (each signer on their own request) into one CMS.
"""

from __future__ import annotations

from edmscore.signatures.signing._assemble import AssembledSignature, assemble
from edmscore.signatures.signing._desk import (
    InProcessSigningService,
    MemoryPendingRequests,
    PendingRequests,
    SigningDesk,
)
from edmscore.signatures.signing._local import LocalKeySigner
from edmscore.signatures.signing._merge import merge_signatures
from edmscore.signatures.signing._openssl import OpenSslSigner
from edmscore.signatures.signing._ports import (
    RemoteAnswer,
    RemoteSigningService,
    Signer,
    TimestampAuthority,
)
from edmscore.signatures.signing._prepare import (
    DEFAULT_VALIDITY,
    prepare,
    prepare_countersignature,
)
from edmscore.signatures.signing._request import (
    KeyAlgorithm,
    RequestKind,
    SigningRequest,
    key_algorithm,
)

__all__ = [
    "DEFAULT_VALIDITY",
    "AssembledSignature",
    "InProcessSigningService",
    "KeyAlgorithm",
    "LocalKeySigner",
    "MemoryPendingRequests",
    "OpenSslSigner",
    "PendingRequests",
    "RemoteAnswer",
    "RemoteSigningService",
    "RequestKind",
    "Signer",
    "SigningDesk",
    "SigningRequest",
    "TimestampAuthority",
    "assemble",
    "key_algorithm",
    "merge_signatures",
    "prepare",
    "prepare_countersignature",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
