"""Checking the detached signatures of a letter's files through a pluggable verifier.

``signerInfo`` only *describes* a signature; the detached CMS file it names is checked for real
by a :class:`DetachedVerifier`. edmscore's CMS verifier (``edmscore.signatures``) plugs in here;
until one is given, every signature is reported as not checked.
"""

from __future__ import annotations

import enum
from typing import Protocol, runtime_checkable

from attrs import frozen

from edmscore.errors import SignatureError
from edmscore.exchange.medo._letter import Letter
from edmscore.exchange.medo._message import DocumentContent

__all__ = ["DetachedVerifier", "SignatureCheck", "SignatureStatus", "check_signatures"]


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


@frozen
class SignatureCheck:
    """One file's signature: which file, which signature file, the outcome, the signer named."""

    file_name: str
    signature_name: str
    status: SignatureStatus
    signer: str


def check_signatures(
    letter: Letter, verifier: DetachedVerifier | None = None
) -> tuple[SignatureCheck, ...]:
    """Check every signature named by ``signerInfo`` in a document letter."""
    content = letter.message.content
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
