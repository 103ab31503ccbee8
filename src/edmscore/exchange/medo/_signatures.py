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
from edmscore.signatures import Certificate

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
        from edmscore.signatures import Status, verify

        report = verify(
            content,
            signature,
            trust_anchors=tuple(_certificate(c) for c in self.trust_anchors),
            intermediates=tuple(_certificate(c) for c in self.intermediates),
            crls=self.crls,
            at=self.at,
        )
        if report.status is Status.VALID:
            return SignatureStatus.VALID
        if report.status is Status.INVALID:
            return SignatureStatus.INVALID
        return SignatureStatus.INDETERMINATE


@frozen
class SignatureCheck:
    """One file's signature: which file, which signature file, the outcome, the signer named."""

    file_name: str
    signature_name: str
    status: SignatureStatus
    signer: str


def _verify(
    verifier: DetachedVerifier | None, content: bytes | None, signature: bytes | None
) -> SignatureStatus:
    if content is None or signature is None:
        return SignatureStatus.MISSING
    if verifier is None:
        return SignatureStatus.NOT_CHECKED
    try:
        return verifier.verify_detached(content, signature)
    except SignatureError:
        return SignatureStatus.MALFORMED


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
            checks.append(
                SignatureCheck(
                    file_name=passport.document_name,
                    signature_name=signer.signature,
                    status=_verify(verifier, document, member(signer.signature)),
                    signer=" ".join(p for p in (signer.post, signer.name) if p),
                )
            )
    for item in passport.attachments:
        content = member(item.local_name)
        for name in item.signatures:
            checks.append(
                SignatureCheck(
                    file_name=item.local_name,
                    signature_name=name,
                    status=_verify(verifier, content, member(name)),
                    signer="",
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
        if first is not SignatureStatus.VALID and verifier is not None:
            for name in signed[1:]:
                status = _verify(verifier, member(name), signature)
                if status is SignatureStatus.VALID:
                    found = (name, status)
                    break
        checks.append(
            SignatureCheck(file_name=found[0], signature_name=whole, status=found[1], signer="")
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
                status = SignatureStatus.NOT_CHECKED
                if letter.file(name) is None or letter.file(item.local_name) is None:
                    status = SignatureStatus.MISSING
                elif verifier is not None:
                    try:
                        status = verifier.verify_detached(
                            letter.path(item.local_name).read_bytes(),
                            letter.path(name).read_bytes(),
                        )
                    except SignatureError:
                        status = SignatureStatus.MALFORMED
                checks.append(
                    SignatureCheck(
                        file_name=item.local_name,
                        signature_name=name,
                        status=status,
                        signer=signer.signer.display(),
                    )
                )
    return tuple(checks)
