"""The text a card's barcode carries, with its check digits, and what a read code means.

Two forms name a card, both ending in two ISO/IEC 7064 MOD 97-10 check digits:

* the **numeric form** for the library's own ids (32 hex digits): ``9``, the id as 39 decimal
  digits, the two check digits — 42 digits, which Code128 packs two to a symbol (code set C) and
  a person can key in;
* the **text form** for any other id (letters, digits, ``.``, ``_``, ``-``, at most 48):
  ``EDMS-``, the id, ``-``, the two check digits.

A separator sheet carries ``EDMS*SEP``, or ``EDMS*SEP*`` followed by a card code when the sheet
also names the document's card. A code that fits none of these is foreign (a sender's own
barcode) and ignored; one that looks like ours but fails its check digits is *damaged* and never
taken for a card.
"""

from __future__ import annotations

import enum
import re

import attrs

from edmscore.errors import CardCodeInvalid

__all__ = ["CodeKind", "ReadCode", "card_code", "classify", "parse_card_code", "separator_code"]

_HEX_ID = re.compile(r"[0-9a-f]{32}")
_TEXT_ID = re.compile(r"[0-9A-Za-z._-]{1,48}")
_NUMERIC = re.compile(r"9(\d{39})(\d\d)")
_TEXT = re.compile(r"EDMS-([0-9A-Za-z._-]{1,48})-(\d\d)")
_OURS = re.compile(r"9\d{41}|EDMS[-*].*", re.DOTALL)
SEPARATOR = "EDMS*SEP"


def _mod97_check(digits: str) -> str:
    """The two ISO/IEC 7064 MOD 97-10 check digits of a digit string."""
    return f"{98 - (int(digits) * 100) % 97:02d}"


def _valid(digits: str, check: str) -> bool:
    return int(digits + check) % 97 == 1


def _text_digits(card_id: str) -> str:
    return "".join(f"{ord(c):03d}" for c in card_id)


def card_code(card_id: str) -> str:
    """The barcode text naming the card ``card_id`` (see the module docstring)."""
    if not isinstance(card_id, str):
        raise CardCodeInvalid("card_id", "a card id is a string")
    if _HEX_ID.fullmatch(card_id):
        body = f"{int(card_id, 16):039d}"
        return "9" + body + _mod97_check(body)
    if _TEXT_ID.fullmatch(card_id):
        return f"EDMS-{card_id}-{_mod97_check(_text_digits(card_id))}"
    raise CardCodeInvalid(
        "card_id", "only letters, digits, '.', '_' and '-' (at most 48) fit in a card code"
    )


def parse_card_code(text: str) -> str:
    """The card id a card code names; :class:`CardCodeInvalid` for anything else."""
    if not isinstance(text, str):
        raise CardCodeInvalid("code", "a card code is a string")
    code = text.strip()
    numeric = _NUMERIC.fullmatch(code)
    if numeric is not None:
        body, check = numeric.groups()
        if _valid(body, check) and int(body) < 1 << 128:
            return f"{int(body):032x}"
        raise CardCodeInvalid("code", "the check digits do not match")
    named = _TEXT.fullmatch(code)
    if named is not None:
        card_id, check = named.groups()
        if _valid(_text_digits(card_id), check):
            return card_id
        raise CardCodeInvalid("code", "the check digits do not match")
    raise CardCodeInvalid("code", "not a card code")


def separator_code(card_id: str | None = None) -> str:
    """The text of a separator sheet's barcode, naming the next document's card if given."""
    return SEPARATOR if card_id is None else f"{SEPARATOR}*{card_code(card_id)}"


class CodeKind(enum.Enum):
    """What a barcode read on a page means."""

    CARD = "card"  #: a card's label: the page starts (or continues) that card's document
    SEPARATOR = "separator"  #: a separator sheet, maybe naming the next document's card
    DAMAGED = "damaged"  #: looks like ours but fails its check digits: never taken for a card
    FOREIGN = "foreign"  #: somebody else's barcode: ignored


@attrs.frozen
class ReadCode:
    """A barcode's text classified: its kind and the card it names, if any."""

    kind: CodeKind
    text: str
    card_id: str | None = None


def classify(text: str) -> ReadCode:
    """Classify a barcode's text (never raises)."""
    code = text.strip()
    if code == SEPARATOR:
        return ReadCode(CodeKind.SEPARATOR, code)
    if code.startswith(SEPARATOR + "*"):
        try:
            card_id = parse_card_code(code[len(SEPARATOR) + 1 :])
        except CardCodeInvalid:
            return ReadCode(CodeKind.DAMAGED, code)
        return ReadCode(CodeKind.SEPARATOR, code, card_id)
    if not _OURS.fullmatch(code):
        return ReadCode(CodeKind.FOREIGN, code)
    try:
        return ReadCode(CodeKind.CARD, code, parse_card_code(code))
    except CardCodeInvalid:
        return ReadCode(CodeKind.DAMAGED, code)
