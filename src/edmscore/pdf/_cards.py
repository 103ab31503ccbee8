"""The marks a registration card asks for, and where its signatory's mark goes."""

from __future__ import annotations

from edmscore.pdf._marks import CodeMark, RegistrationMark, RestrictionMark
from edmscore.pdf._placement import Anchor, NearText
from edmscore.pdf._stamper import Stamp
from edmscore.registry import AccessMark, CardKind, RegistrationCard

__all__ = ["card_stamps", "signatory_placement"]


def card_stamps(
    card: RegistrationCard,
    *,
    organisation: str | None = None,
    copy_number: int | None = None,
    code: str | None = None,
) -> list[Stamp]:
    """The first-page marks of a registered card's document, in their conventional places.

    An incoming document gets the receipt mark («Вх. № …», the day it was received, the
    receiving ``organisation``'s short name); any other the registration number and date. A ДСП
    card adds the «Для служебного пользования» mark with ``copy_number``; ``code`` (the card's
    link or identifier) adds its QR code with the number as caption.
    """
    registration = card.registration
    details = card.details
    stamps: list[Stamp] = []
    if details.kind is CardKind.INCOMING:
        day = details.received_on or registration.date
        mark = RegistrationMark(registration.number, day, organisation, received=True)
    else:
        mark = RegistrationMark(registration.number, registration.date)
    stamps.append(Stamp(mark))
    if details.access is AccessMark.DSP:
        stamps.append(Stamp(RestrictionMark(copy_number)))
    if code is not None:
        stamps.append(Stamp(CodeMark(code, caption=registration.number)))
    return stamps


def signatory_placement(
    card: RegistrationCard, fallback: Anchor | None = None
) -> NearText | Anchor:
    """Below the first signatory's position on the page (the e-signature mark's place).

    A card without a signatory, or whose signatory has no position, gives ``fallback``.
    """
    chosen = fallback or Anchor()
    for signatory in card.details.signatories:
        if signatory.position.strip():
            return NearText(signatory.position, fallback=chosen)
    return chosen
