"""The approval sheet: typed rows, the PDF page read back with pypdf, appending to a document."""

from __future__ import annotations

import io

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from edmscore.approval import VisaDecision, append_approval_sheet, render_approval_sheet
from edmscore.errors import PdfDamaged

from .conftest import LETTER, Ministry


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _signed(m: Ministry):  # type: ignore[no-untyped-def]
    draft = m.create()
    draft = m.service.start_approval(
        m.users["author"], draft.id, draft.version, [m.spec("lawyer", "finance")]
    )
    draft = m.service.give_visa(
        m.users["lawyer"],
        draft.id,
        draft.version,
        VisaDecision.AGREED_WITH_REMARKS,
        "Уточнить адресата",
    )
    draft = m.service.give_visa(m.users["finance"], draft.id, draft.version, VisaDecision.AGREED)
    return m.service.sign(
        m.users["minister"], draft.id, draft.version, LETTER, m.signer.sign(LETTER)
    )


def test_rows_carry_decisions_remarks_and_the_signature(ministry: Ministry) -> None:
    draft = _signed(ministry)
    sheet = ministry.service.sheet(ministry.users["author"], draft.id)
    (cycle,) = sheet.cycles
    decisions = [row.decision for row in cycle.rows]
    assert decisions == ["Согласовано с замечаниями", "Согласовано", "Подписано"]
    assert cycle.rows[0].remarks == "Уточнить адресата"
    assert cycle.rows[0].at is not None and cycle.rows[0].at.timezone_name == "Asia/Yakutsk"
    serial = f"{ministry.signer.certificate.serial_number:x}"
    assert serial in cycle.rows[-1].signature_mark
    assert cycle.version_sha256 == draft.current.sha256


def test_the_pdf_page_reads_back_in_russian(ministry: Ministry) -> None:
    draft = _signed(ministry)
    pdf = ministry.service.sheet_pdf(ministry.users["author"], draft.id)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = _text(pdf)
    for expected in (
        "ЛИСТ СОГЛАСОВАНИЯ",
        "Участник, должность",
        "Ким Е.С.",
        "Начальник правового отдела",
        "Согласовано с замечаниями",
        "Уточнить адресата",
        "Подписано",
        "О развитии сетей связи",
        "Цикл согласования 1 (версия 1): Подписан",
    ):
        assert expected in text, expected


def test_a_long_history_runs_over_several_pages_and_last_cycle_only(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    from edmscore.approval import DraftFile

    for n in range(8):
        draft = m.service.start_approval(
            m.users["author"], draft.id, draft.version, [m.spec("lawyer", "finance", "dep1")]
        )
        draft = m.service.give_visa(
            m.users["lawyer"],
            draft.id,
            draft.version,
            VisaDecision.NOT_AGREED,
            f"Замечание номер {n + 1}: " + "очень подробное пояснение " * 6,
        )
        draft = m.service.add_version(
            m.users["author"], draft.id, draft.version, [DraftFile("l.pdf", bytes([n]) * 10)]
        )
    full = m.service.sheet(m.users["author"], draft.id)
    assert len(full.cycles) == 8
    pdf = render_approval_sheet(full)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert "Замечание номер 8" in _text(pdf)
    last = m.service.sheet_pdf(m.users["author"], draft.id, last_cycle_only=True)
    assert "Замечание номер 8" in _text(last) and "Замечание номер 1:" not in _text(last)


def test_appended_after_the_document_s_pages(ministry: Ministry) -> None:
    draft = _signed(ministry)
    document = FPDF()
    for _ in range(2):
        document.add_page()
    sheet = ministry.service.sheet(ministry.users["author"], draft.id)
    combined = append_approval_sheet(bytes(document.output()), sheet)
    reader = PdfReader(io.BytesIO(combined))
    assert len(reader.pages) == 3
    assert "ЛИСТ СОГЛАСОВАНИЯ" in reader.pages[2].extract_text()
    with pytest.raises(PdfDamaged):
        append_approval_sheet(b"%PDF-1.7 garbage", sheet)
