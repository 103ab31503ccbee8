"""PDF stamping: the e-signature mark, facsimiles, registration and ДСП marks, QR codes; and
the printable protocol of a signature check (:class:`VerificationProtocol`, as PDF or HTML).

Marks are drawn once (vector text in the shipped DejaVu Sans, subset and embedded with a
ToUnicode map) and placed on any page, rotated or cropped: at their standard positions (GOST R
7.0.97) clear of the page's words and images, by a forced corner anchor, next to a text found on
the page, or in free space. Documents are stamped by an incremental update: the original bytes
are never parsed and written back.
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
from edmscore.pdf._pdfa import PdfAClaim, pdfa_claim
from edmscore.pdf._placement import (
    Anchor,
    Fallback,
    FreeSpace,
    NearText,
    PageSpec,
    Placement,
    Side,
    Standard,
)
from edmscore.pdf._protocol import protocol_html, protocol_pdf
from edmscore.pdf._protocol_facts import ProtocolSection, VerificationProtocol
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
    "Fallback",
    "FreeSpace",
    "Mark",
    "NearText",
    "PageFrame",
    "PageSpec",
    "PdfAClaim",
    "PlacedMark",
    "Placement",
    "ProtocolSection",
    "RegistrationMark",
    "RestrictionMark",
    "Side",
    "SignatureMarkData",
    "SignerLike",
    "Stamp",
    "StampReport",
    "StampResult",
    "Standard",
    "VerificationProtocol",
    "card_stamps",
    "font_path",
    "pdfa_claim",
    "protocol_html",
    "protocol_pdf",
    "signatory_placement",
    "stamp_file",
    "stamp_pdf",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
