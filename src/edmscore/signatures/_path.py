"""Certificate paths: from a signer's certificate up to a trust anchor, with revocation by CRLs."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import attrs
import pendulum

from edmscore.signatures import _backends, _digests
from edmscore.signatures._anchors import TrustAnchors
from edmscore.signatures._backends import UnsupportedAlgorithm
from edmscore.signatures._certificate import AlgorithmRef, Certificate, Crl
from edmscore.signatures._report import Finding, Reason

MAX_PATH_LENGTH = 8


@attrs.frozen
class PathResult:
    """A path found (leaf first, trust anchor last; empty if none) and what is wrong with it."""

    chain: tuple[Certificate, ...]
    findings: tuple[Finding, ...]


class SignedObjectChecker:
    """Checks signatures on certificates and CRLs, caching each answer."""

    def __init__(self, accelerated: bool | None) -> None:
        self._accelerated = accelerated
        self._cache: dict[tuple[bytes, bytes], bool | str] = {}

    def check(
        self, tbs: bytes, algorithm: AlgorithmRef, signature: bytes, issuer: Certificate
    ) -> bool | str:
        """True or False for a signature that does or does not verify; an OID if unsupported."""
        key = (tbs + signature, issuer.public_key_info)
        if key not in self._cache:
            self._cache[key] = self._check(tbs, algorithm, signature, issuer)
        return self._cache[key]

    def _check(
        self, tbs: bytes, algorithm: AlgorithmRef, signature: bytes, issuer: Certificate
    ) -> bool | str:
        try:
            digest_oid = _backends.signed_digest_oid(issuer.public_key_info, algorithm, "")
            digest = _digests.digest(digest_oid, tbs, accelerated=self._accelerated)
            if digest is None:
                return digest_oid
            return _backends.verify_digest(
                issuer.public_key_info,
                algorithm,
                digest_oid,
                digest,
                signature,
                accelerated=self._accelerated,
            )
        except UnsupportedAlgorithm as exc:
            return exc.oid


def _could_issue(issuer: Certificate, cert: Certificate) -> bool:
    if issuer.subject_key != cert.issuer_key:
        return False
    return not (
        cert.authority_key_id is not None
        and issuer.subject_key_id is not None
        and cert.authority_key_id != issuer.subject_key_id
    )


def build_path(
    leaf: Certificate,
    *,
    pool: Sequence[Certificate],
    anchors: Sequence[Certificate],
    checker: SignedObjectChecker,
) -> PathResult:
    """Find a chain from ``leaf`` to one of ``anchors`` whose every signature verifies.

    ``anchors`` may be a :class:`~edmscore.signatures.TrustAnchors`, looked up by name.
    """
    if leaf in anchors:
        return PathResult((leaf,), ())
    indexed = anchors if isinstance(anchors, TrustAnchors) else None
    problems: list[Finding] = []
    # Every certificate is expanded at most once: a pool of namesakes signed by one key (a
    # hostile signature can carry hundreds) must not make the search exponential.
    expanded: set[Certificate] = {leaf}

    def extend(chain: tuple[Certificate, ...]) -> tuple[Certificate, ...] | None:
        last = chain[-1]
        by_name = indexed.with_subject(last.issuer_key) if indexed is not None else anchors
        candidates = [a for a in by_name if _could_issue(a, last)]
        anchor_count = len(candidates)
        candidates += [c for c in pool if c not in expanded and _could_issue(c, last)]
        for index, issuer in enumerate(candidates):
            outcome = checker.check(last.tbs_der, last.signature_algorithm, last.signature, issuer)
            if isinstance(outcome, str):
                problems.append(
                    Finding(Reason.UNSUPPORTED_ALGORITHM, f"unsupported algorithm {outcome}")
                )
                continue
            if not outcome:
                # The issuer named by key identifier whose key does not verify the certificate:
                # the certificate was altered. A mere name match may be another CA's namesake.
                named = (
                    last.authority_key_id is not None
                    and last.authority_key_id == issuer.subject_key_id
                )
                problems.append(
                    Finding(
                        Reason.BAD_CERTIFICATE_SIGNATURE
                        if named
                        else Reason.NO_CHAIN_TO_TRUST_ANCHOR,
                        f"the signature on «{last.subject}» does not verify with the key of "
                        f"«{issuer.subject}»",
                    )
                )
                continue
            if index < anchor_count:
                return (*chain, issuer)
            if len(chain) < MAX_PATH_LENGTH and issuer not in anchors and issuer not in expanded:
                expanded.add(issuer)
                found = extend((*chain, issuer))
                if found is not None:
                    return found
        return None

    chain = extend((leaf,))
    if chain is not None:
        return PathResult(chain, ())
    for reason in (Reason.BAD_CERTIFICATE_SIGNATURE, Reason.UNSUPPORTED_ALGORITHM):
        found = [p for p in problems if p.reason is reason]
        if found:
            return PathResult((), (found[0],))
    message = f"no path from «{leaf.subject}» to a trust anchor"
    if problems:
        message += f" ({problems[0].message})"
    return PathResult((), (Finding(Reason.NO_CHAIN_TO_TRUST_ANCHOR, message),))


def check_path(
    chain: tuple[Certificate, ...],
    *,
    at: pendulum.DateTime,
    leaf_usages: frozenset[str],
    leaf_eku: str | None,
) -> list[Finding]:
    """Validity at ``at``, basic constraints, path lengths and key usage along a found chain."""
    findings: list[Finding] = []
    for cert in chain:
        if at < cert.not_before:
            findings.append(
                Finding(
                    Reason.NOT_YET_VALID,
                    f"«{cert.subject}» is valid only from {cert.not_before.isoformat()} "
                    f"(checked at {at.isoformat()})",
                )
            )
        elif at > cert.not_after:
            findings.append(
                Finding(
                    Reason.EXPIRED,
                    f"«{cert.subject}» expired at {cert.not_after.isoformat()} "
                    f"(checked at {at.isoformat()})",
                )
            )
    leaf = chain[0]
    if leaf.key_usage is not None and not (leaf.key_usage & leaf_usages):
        findings.append(
            Finding(Reason.KEY_USAGE, f"«{leaf.subject}» is not meant for this kind of signature")
        )
    if (
        leaf_eku is not None
        and leaf.extended_key_usage is not None
        and leaf_eku not in leaf.extended_key_usage
    ) or (leaf_eku is not None and leaf.extended_key_usage is None):
        findings.append(
            Finding(Reason.KEY_USAGE, f"«{leaf.subject}» lacks the extended key usage {leaf_eku}")
        )
    for depth, issuer in enumerate(chain[1:], start=1):
        is_anchor = depth == len(chain) - 1
        if not is_anchor and not issuer.is_ca:
            findings.append(Finding(Reason.NOT_A_CA, f"«{issuer.subject}» is not a CA"))
        if issuer.key_usage is not None and "key_cert_sign" not in issuer.key_usage:
            findings.append(
                Finding(Reason.KEY_USAGE, f"«{issuer.subject}» may not sign certificates")
            )
        if issuer.path_length is not None and depth - 1 > issuer.path_length:
            findings.append(
                Finding(Reason.NOT_A_CA, f"the path length limit of «{issuer.subject}» is exceeded")
            )
    return findings


def check_revocation(
    chain: tuple[Certificate, ...],
    *,
    crls: Sequence[Crl],
    at: pendulum.DateTime,
    signing_time: pendulum.DateTime | None,
    checker: SignedObjectChecker,
) -> list[Finding]:
    """Look every certificate of the chain but the anchor up in the CRLs of its issuer.

    A certificate revoked before the trusted signing time (or before ``at`` without one) is
    revoked; one that no current CRL of its issuer covers has unknown revocation status.
    """
    findings: list[Finding] = []
    for cert, issuer in itertools.pairwise(chain):
        covering: list[Crl] = []
        for crl in crls:
            if crl.issuer_key != issuer.subject_key:
                continue
            if issuer.key_usage is not None and "crl_sign" not in issuer.key_usage:
                continue
            if crl.this_update > at or (crl.next_update is not None and crl.next_update < at):
                continue
            outcome = checker.check(crl.tbs_der, crl.signature_algorithm, crl.signature, issuer)
            if outcome is True:
                covering.append(crl)
        if not covering:
            findings.append(
                Finding(
                    Reason.REVOCATION_UNKNOWN,
                    f"no current CRL of «{issuer.subject}» verifies for «{cert.subject}»",
                )
            )
            continue
        limit = signing_time if signing_time is not None else at
        for crl in covering:
            revoked_at = crl.revoked.get(cert.serial)
            if revoked_at is not None and revoked_at <= limit:
                findings.append(
                    Finding(
                        Reason.REVOKED,
                        f"«{cert.subject}» (serial {cert.serial_hex}) was revoked at "
                        f"{revoked_at.isoformat()}",
                    )
                )
                break
    return findings
