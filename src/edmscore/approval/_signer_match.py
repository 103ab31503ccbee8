"""Whether a signature's certificate belongs to the official who signs.

A verifier says *a* certificate made the signature; signing must also be done with the acting
official's own certificate — the signatory's, or their deputy's when the deputy signs «за». The
names are compared after normalisation: letter case ignored, «ё» read as «е», runs of spaces and
hyphens' surrounding spaces collapsed. The surname and the given name must be equal; the
patronymic is compared only when both the certificate and the directory have one. A certificate
that names no person (no surname) matches nobody.
"""

from __future__ import annotations

import re

from edmscore.approval._verifier import FailureReason, SignerInfo, VerificationFailure
from edmscore.directory import Official

__all__ = ["normalise_name", "signer_mismatch"]

_SPACES = re.compile(r"\s+")
_HYPHEN = re.compile(r"\s*[-‐‑–]\s*")


def normalise_name(value: str) -> str:
    """A name part in the form names are compared in: «Алёна-Мария » → «алена-мария»."""
    folded = value.casefold().replace("ё", "е")
    return _HYPHEN.sub("-", _SPACES.sub(" ", folded).strip())


def signer_mismatch(signer: SignerInfo, official: Official) -> VerificationFailure | None:
    """``None`` when ``signer``'s certificate names ``official``; else the failure to report."""
    name = official.name
    if not signer.surname:
        return VerificationFailure(
            FailureReason.SIGNER_MISMATCH,
            f"the certificate {signer.serial_number} names no person (no surname)",
        )
    given, _, patronymic = (signer.given_names or "").strip().partition(" ")
    same = normalise_name(signer.surname) == normalise_name(name.surname) and normalise_name(
        given
    ) == normalise_name(name.given_name)
    if same and patronymic.strip() and name.patronymic:
        same = normalise_name(patronymic) == normalise_name(name.patronymic)
    if same:
        return None
    holder = " ".join(p for p in (signer.surname, signer.given_names) if p)
    return VerificationFailure(
        FailureReason.SIGNER_MISMATCH,
        f"the certificate {signer.serial_number} is {holder}'s, not {name.full}'s",
    )
