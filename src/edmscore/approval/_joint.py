"""One signature of several: checking a signatory's signature against the draft's joint CMS.

The first signature of a cycle is taken as signing always took it: the verifier port checks the
detached signature and its first signer must be the official who signs. Each later signature is
merged into the CMS of the ones before (:func:`~edmscore.signatures.signing.merge_signatures`),
and the merge must add exactly what the signatory's seat calls for:

- a co-signer: one more signer (a parallel SignerInfo on the same content), checked through the
  port as a signature of its own;
- a countersigner: one countersignature on the signer info of the signature they countersign,
  checked through :meth:`~edmscore.approval.CountersignatureVerifier.verify_countersignature`.

A signature that is not CMS (a raw signature under :class:`CertificateKeyVerifier`) cannot join
a CMS: each such signature is kept as its own file (``combined`` false), and a countersignature
needs CMS.
"""

from __future__ import annotations

import hashlib
from typing import Any

import attrs
import pendulum

from edmscore.approval._context import ApprovalContext
from edmscore.approval._model import Cycle
from edmscore.approval._verifier import FailureReason, SignerInfo, VerificationFailure
from edmscore.errors import EdmsError, SignatureRejected
from edmscore.signatures._cms import SignerData, parse_signed_data
from edmscore.signatures.signing._merge import merge_signatures, only_signer

__all__ = ["Accepted", "accept_signature", "signer_index"]


@attrs.frozen
class Accepted:
    """A signature accepted for a seat: what to store, who signed, and how it joined."""

    stored: bytes
    signer: SignerInfo
    value_sha256: str | None
    combined: bool


def _signers(signature: bytes) -> tuple[SignerData, ...] | None:
    try:
        return parse_signed_data(signature).signers
    except EdmsError:
        return None


def _sha(value: bytes) -> str:
    return hashlib.sha256(value).hexdigest()


def _refuse(failure: VerificationFailure) -> SignatureRejected:
    return SignatureRejected(
        failure, f"the signature was not accepted: {failure.reason.value}: {failure.detail}"
    )


def _malformed(detail: str) -> SignatureRejected:
    return _refuse(VerificationFailure(FailureReason.MALFORMED, detail))


def _failure_of(result: object) -> VerificationFailure:
    return VerificationFailure(
        FailureReason.OTHER, f"the verifier answered {type(result).__name__}"
    )


def signer_index(signers: tuple[SignerData, ...], value_sha256: str) -> int | None:
    """The index of the signer whose signature value has this SHA-256."""
    return next((i for i, s in enumerate(signers) if _sha(s.signature) == value_sha256), None)


def accept_signature(
    ctx: ApprovalContext,
    cycle: Cycle,
    seat: str,
    content: bytes,
    signature: bytes,
    accumulated: bytes | None,
    now: pendulum.DateTime,
) -> Accepted | VerificationFailure:
    """Check ``signature`` for ``seat`` against the joint CMS ``accumulated`` (None before the
    first CMS signature); the verifier's failure is returned, a malformed joint refused."""
    co = cycle.seat(seat)
    countersigns = None if co is None else co.countersigns
    given = _signers(signature)
    if countersigns is None and (accumulated is None or given is None):
        result = ctx.verifier.verify_detached(signature, content, now)
        if isinstance(result, VerificationFailure):
            return result
        value = None if not given else _sha(given[0].signature)
        return Accepted(signature, result, value, given is not None)
    if given is None or accumulated is None:
        raise _malformed("a countersignature is a CMS joining the signature it countersigns")
    try:
        merged = merge_signatures(accumulated, signature)
    except EdmsError as error:
        raise _malformed(f"the signature does not join the document's: {error}") from None
    before = parse_signed_data(accumulated).signers
    after = parse_signed_data(merged).signers
    known = {_sha(s.signature) for s in before}
    new = [i for i, s in enumerate(after) if _sha(s.signature) not in known]
    counters_before = sum(len(s.countersigners) for s in before)
    counters_after = sum(len(s.countersigners) for s in after)
    if countersigns is None:
        if len(new) != 1 or counters_after != counters_before:
            raise _malformed("a co-signature adds exactly one signer to the document's signature")
        own = only_signer(merged, new[0])
        result = ctx.verifier.verify_detached(own, content, now)
        if isinstance(result, VerificationFailure):
            return result
        return Accepted(merged, result, _sha(after[new[0]].signature), True)
    target = cycle.signed_by(countersigns)
    assert target is not None  # the seat is open only once its target signed
    index = None if target.value_sha256 is None else signer_index(after, target.value_sha256)
    if index is None:
        raise _malformed("the countersigned signature is not in the document's CMS")
    old = signer_index(before, target.value_sha256 or "")
    had = set() if old is None else {_sha(c.signature) for c in before[old].countersigners}
    fresh = [j for j, c in enumerate(after[index].countersigners) if _sha(c.signature) not in had]
    if new or len(fresh) != 1 or counters_after != counters_before + 1:
        raise _malformed("a countersignature adds exactly one countersignature to its signature")
    check: Any = getattr(ctx.verifier, "verify_countersignature", None)
    if check is None:
        return VerificationFailure(
            FailureReason.UNSUPPORTED_ALGORITHM, "the verifier does not check countersignatures"
        )
    result = check(merged, content, now, signer=index, counter=fresh[0])
    if not isinstance(result, SignerInfo):
        return result if isinstance(result, VerificationFailure) else _failure_of(result)
    counter_value = after[index].countersigners[fresh[0]].signature
    return Accepted(merged, result, _sha(counter_value), True)
