"""PDF stamping: the e-signature mark, facsimiles, registration and ДСП marks, QR codes.

Marks are drawn once (vector text in the shipped DejaVu Sans, subset and embedded with a
ToUnicode map) and placed on any page, rotated or cropped, by corner anchor, next to a text
found on the page, or in free space. Signed input is stamped by an incremental update.
"""

from __future__ import annotations

from edmscore.pdf._cards import card_stamps, signatory_placement
from edmscore.pdf._fonts import font_path
from edmscore.pdf._geometry import Box, Corner, PageFrame
from edmscore.pdf._marks import (
    CodeMark,
    ESignatureMark,
    Facsimile,
    Mark,
    RegistrationMark,
    RestrictionMark,
    SignatureMarkData,
    SignerLike,
)
from edmscore.pdf._placement import Anchor, FreeSpace, NearText, PageSpec, Placement, Side
from edmscore.pdf._stamper import (
    PlacedMark,
    Stamp,
    StampReport,
    StampResult,
    stamp_file,
    stamp_pdf,
)

__all__ = [
    "Anchor",
    "Box",
    "CodeMark",
    "Corner",
    "ESignatureMark",
    "Facsimile",
    "FreeSpace",
    "Mark",
    "NearText",
    "PageFrame",
    "PageSpec",
    "PlacedMark",
    "Placement",
    "RegistrationMark",
    "RestrictionMark",
    "Side",
    "SignatureMarkData",
    "SignerLike",
    "Stamp",
    "StampReport",
    "StampResult",
    "card_stamps",
    "font_path",
    "signatory_placement",
    "stamp_file",
    "stamp_pdf",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
