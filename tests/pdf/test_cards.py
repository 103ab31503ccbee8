"""Marks from a registration card: receipt or registration mark, ДСП mark, QR code."""

from __future__ import annotations

import io

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from edmscore.pdf import (
    Anchor,
    CodeMark,
    ESignatureMark,
    NearText,
    RegistrationMark,
    RestrictionMark,
    SignatureMarkData,
    Stamp,
    card_stamps,
    signatory_placement,
    stamp_pdf,
)
from edmscore.registry import (
    AccessMark,
    CardDetails,
    CardKind,
    Registration,
    RegistrationCard,
)
from edmscore.testing import make_card
from edmscore.testing.strategies import card_details

from .conftest import raw_pdf, stream

_PAGE = raw_pdf(
    [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        stream("BT /F1 12 Tf 72 300 Td (Minister) Tj ET"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
)


def test_incoming_dsp_card_gets_receipt_and_restriction_marks() -> None:
    card = make_card("incoming", "457-вх", kind=CardKind.INCOMING, access=AccessMark.DSP)
    stamps = card_stamps(card, organisation="Минфин области", copy_number=3, code="edms:457")
    marks = [stamp.mark for stamp in stamps]
    assert marks[0] == RegistrationMark(
        "457-вх", card.details.received_on or card.registration.date, "Минфин области", True
    )
    assert marks[1] == RestrictionMark(3)
    assert marks[2] == CodeMark("edms:457", caption="457-вх")


@settings(max_examples=12, deadline=None)
@given(card_details(), st.integers(min_value=1, max_value=99))
def test_any_card_stamps_its_number_and_access_mark(details: CardDetails, copy: int) -> None:
    base = make_card("journal", "01-15/1", kind=CardKind.OUTGOING)
    # Registered on the day received (the generated date may be any day up to today).
    day = max(pendulum.date(2026, 11, 25), details.received_on or pendulum.date(2026, 11, 25))
    card = RegistrationCard(
        id=base.id,
        organisation_id=base.organisation_id,
        registration=Registration("journal", "01-15/77", day, day.year),
        details=details,
        registered_at=base.registered_at,
        registered_by=base.registered_by,
    )
    result = stamp_pdf(_PAGE, card_stamps(card, copy_number=copy))
    text = PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
    assert "01-15/77" in text
    assert ("Для служебного пользования" in text) == (card.details.access is AccessMark.DSP)
    assert ("Вх. №" in text) == (card.details.kind is CardKind.INCOMING)


def test_signatory_placement_follows_the_card(libreoffice_pdfs: dict[str, bytes]) -> None:
    outgoing = make_card("out", "1", kind=CardKind.OUTGOING)
    rule = signatory_placement(outgoing)
    assert isinstance(rule, NearText)
    assert rule.text == "Министр"
    incoming = make_card("in", "2", kind=CardKind.INCOMING)
    fallback = Anchor(dx_mm=30)
    assert signatory_placement(incoming, fallback) == fallback
    data = SignatureMarkData("ab", "Петров Пётр Петрович", "2025-01-01", "2026-01-01")
    result = stamp_pdf(_PAGE, [Stamp(ESignatureMark(data), placement=rule)])
    assert result.placements[0].how == "fallback"  # this page names no «Министр»
    # The LibreOffice letter's last page has «Министр финансов области» at the 3 cm margin.
    letter = stamp_pdf(libreoffice_pdfs["A4"], [Stamp(ESignatureMark(data), placement=rule)])
    (placed,) = letter.placements
    assert (placed.page, placed.how) == (2, "near-text")
    assert abs(placed.box_mm[0] - 30) < 1.5
