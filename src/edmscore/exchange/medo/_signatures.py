"""Checking the detached signatures of a letter's files through a pluggable verifier.

``signerInfo`` only *describes* a signature; the detached CMS file it names is checked for real
by a :class:`DetachedVerifier`. :class:`CmsVerifier` is edmscore's own (``edmscore.signatures``:
RSA, ECDSA, GOST R 34.10-2012, certificate paths, CRLs); a host may plug in another. Without a
verifier every signature is reported as not checked.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

import pendulum
from attrs import field, frozen

from edmscore.errors import SignatureError
from edmscore.exchange.medo._container import Container
from edmscore.exchange.medo._letter import Letter
from edmscore.exchange.medo._message import ContainerReference, DocumentContent
from edmscore.signatures import Certificate, VerificationReport

__all__ = [
    "CmsVerifier",
    "DetachedVerifier",
    "SignatureCheck",
    "SignatureStatus",
    "check_container_signatures",
    "check_signatures",
]


class SignatureStatus(enum.Enum):
    """The outcome of checking one detached signature."""

    VALID = "valid"
    INVALID = "invalid"
    INDETERMINATE = "indeterminate"
    MALFORMED = "malformed"
    MISSING = "missing"
    NOT_CHECKED = "not checked"


@runtime_checkable
class DetachedVerifier(Protocol):
    """Checks a detached CMS signature over some content.

    Returns a status; raises :class:`~edmscore.errors.SignatureError` only for input that is not
    a signature at all (reported here as ``MALFORMED``).
    """

    def verify_detached(self, content: bytes, signature: bytes) -> SignatureStatus:
        """Check ``signature`` (DER or PEM CMS SignedData, detached) over ``content``."""
        ...


def _tuple(value: Iterable[bytes]) -> tuple[bytes, ...]:
    return tuple(value)


@functools.lru_cache(maxsize=64)
def _certificate(data: bytes) -> Certificate:
    from edmscore.signatures import load_certificate

    return load_certificate(data)


@frozen
class CmsVerifier:
    """A :class:`DetachedVerifier` backed by :func:`edmscore.signatures.verify`.

    ``trust_anchors``, ``intermediates`` and ``crls`` are DER or PEM bytes; ``at`` the time of
    the check (now by default). The full report's status maps to VALID / INVALID /
    INDETERMINATE.
    """

    trust_anchors: tuple[bytes, ...] = field(converter=_tuple)
    intermediates: tuple[bytes, ...] = field(default=(), converter=_tuple)
    crls: tuple[bytes, ...] = field(default=(), converter=_tuple)
    at: pendulum.DateTime | None = None

    def verify_detached(self, content: bytes, signature: bytes) -> SignatureStatus:
        """Verify with edmscore's CMS verifier; malformed CMS raises ``SignatureError``.

        Trust anchors and intermediates are parsed once and kept (a letter has several
        signatures, a container often six).
        """
        return _status_of(self.report_detached(content, signature))

    def report_detached(self, content: bytes, signature: bytes) -> VerificationReport:
        """The full verification report (signer, certificate, time, verdict) of one signature;
        malformed CMS raises ``SignatureError``. Receiving keeps it on the card."""
        from edmscore.signatures import verify

        return verify(
            content,
            signature,
            trust_anchors=tuple(_certificate(c) for c in self.trust_anchors),
            intermediates=tuple(_certificate(c) for c in self.intermediates),
            crls=self.crls,
            at=self.at,
        )


def _status_of(report: VerificationReport) -> SignatureStatus:
    """A verification report's verdict as a letter's signature status."""
    from edmscore.signatures import Status

    if report.status is Status.VALID:
        return SignatureStatus.VALID
    if report.status is Status.INVALID:
        return SignatureStatus.INVALID
    return SignatureStatus.INDETERMINATE


@frozen
class SignatureCheck:
    """One file's signature: which file, which signature file, the outcome, the signer named.

    ``report`` is the full verification report when the verifier gives one
    (:class:`CmsVerifier` does): receiving a letter records it on the card.
    """

    file_name: str
    signature_name: str
    status: SignatureStatus
    signer: str
    report: VerificationReport | None = field(default=None, eq=False, repr=False)


_Outcome = tuple[SignatureStatus, VerificationReport | None]


def _verify(
    verifier: DetachedVerifier | None, content: bytes | None, signature: bytes | None
) -> _Outcome:
    if content is None or signature is None:
        return SignatureStatus.MISSING, None
    if verifier is None:
        return SignatureStatus.NOT_CHECKED, None
    try:
        if isinstance(verifier, CmsVerifier):
            report = verifier.report_detached(content, signature)
            return _status_of(report), report
        return verifier.verify_detached(content, signature), None
    except SignatureError:
        return SignatureStatus.MALFORMED, None


def check_container_signatures(
    container: Container, verifier: DetachedVerifier | None = None
) -> tuple[SignatureCheck, ...]:
    """Check every signature of a 2.7 / 2.7.1 container: each signatory's over the document,
    every one of each attachment's (real letters sign an attachment twice), and the signature
    over the whole container.

    What the container signature covers is fixed by no public source found: it is checked over
    the passport first, then over each other member, and the first member it verifies against
    is reported (``file_name``); when it verifies against none, the passport's outcome is.
    """
    passport = container.passport

    def member(name: str) -> bytes | None:
        return container.read(name) if container.archive.has(name) else None

    checks: list[SignatureCheck] = []
    document = member(passport.document_name)
    for author in passport.authors:
        for signer in author.signers:
            status, report = _verify(verifier, document, member(signer.signature))
            checks.append(
                SignatureCheck(
                    file_name=passport.document_name,
                    signature_name=signer.signature,
                    status=status,
                    signer=" ".join(p for p in (signer.post, signer.name) if p),
                    report=report,
                )
            )
    for item in passport.attachments:
        content = member(item.local_name)
        for name in item.signatures:
            status, report = _verify(verifier, content, member(name))
            checks.append(
                SignatureCheck(
                    file_name=item.local_name,
                    signature_name=name,
                    status=status,
                    signer="",
                    report=report,
                )
            )
    whole = container.container_signature
    if whole is not None:
        signature = member(whole)
        signed = (
            container.passport_name,
            *(m.name for m in container.members if m.name not in (container.passport_name, whole)),
        )
        first = _verify(verifier, member(signed[0]), signature)
        found = (signed[0], first)
        if first[0] is not SignatureStatus.VALID and verifier is not None:
            for name in signed[1:]:
                outcome = _verify(verifier, member(name), signature)
                if outcome[0] is SignatureStatus.VALID:
                    found = (name, outcome)
                    break
        checks.append(
            SignatureCheck(
                file_name=found[0],
                signature_name=whole,
                status=found[1][0],
                signer="",
                report=found[1][1],
            )
        )
    return tuple(checks)


def check_signatures(
    letter: Letter, verifier: DetachedVerifier | None = None
) -> tuple[SignatureCheck, ...]:
    """Check every signature of a letter: those ``signerInfo`` names in a document letter, or
    every signature of the container a 2.7 / 2.7.1 letter carries."""
    content = letter.message.content
    if isinstance(content, ContainerReference):
        from edmscore.exchange.medo._container_letter import open_container

        return check_container_signatures(open_container(letter), verifier)
    if not isinstance(content, DocumentContent):
        return ()
    checks: list[SignatureCheck] = []
    for item in content.files:
        for data in item.signed_data:
            for signer in data.signers:
                name = signer.signature
                status: SignatureStatus = SignatureStatus.NOT_CHECKED
                report: VerificationReport | None = None
                if letter.file(name) is None or letter.file(item.local_name) is None:
                    status = SignatureStatus.MISSING
                elif verifier is not None:
                    status, report = _verify(
                        verifier,
                        letter.path(item.local_name).read_bytes(),
                        letter.path(name).read_bytes(),
                    )
                checks.append(
                    SignatureCheck(
                        file_name=item.local_name,
                        signature_name=name,
                        status=status,
                        signer=signer.signer.display(),
                        report=report,
                    )
                )
    return tuple(checks)
