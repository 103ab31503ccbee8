"""The approval sheet PDFs the library makes, judged by the same peers as stamped PDFs.

The sheet alone: ``qpdf --check`` clean, its text read back by poppler, and marks stamped on it
pass every check of the corpus suite. Appended to real documents (the NUL-separated colour space
drawing, a signed file): the document stays a prefix, its pages render to the same pixels, and
its signature stays valid.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from edmscore.approval import append_approval_sheet, render_approval_sheet
from edmscore.pdf import stamp_pdf

from ..pdf.test_corpus import (
    all_marks,
    check_output,
    corpus,
    open_reader,
    page_text,
    qpdf_check,
    render,
    signature_states,
)
from .conftest import Ministry
from .test_sheet import _signed


def _sheet(ministry: Ministry) -> bytes:
    draft = _signed(ministry)
    return render_approval_sheet(ministry.service.sheet(ministry.users["author"], draft.id))


def test_the_sheet_is_a_clean_pdf_that_takes_marks(ministry: Ministry) -> None:
    sheet = _sheet(ministry)
    assert qpdf_check(sheet) == (0, [])
    assert "ЛИСТСОГЛАСОВАНИЯ" in page_text(sheet, 1)
    stamps = all_marks()
    result = stamp_pdf(sheet, stamps)
    check_output(sheet, result, stamps)


@pytest.mark.parametrize(
    "name", ["drawing-nul-indexed.pdf", "signed-qpdf.pdf", "form-pdflatex.pdf"]
)
def test_the_sheet_appended_to_real_documents(ministry: Ministry, name: str) -> None:
    document = corpus(name)
    draft = _signed(ministry)
    sheet = ministry.service.sheet(ministry.users["author"], draft.id)
    combined = append_approval_sheet(document, sheet)
    assert combined.startswith(document)
    before, after = open_reader(document), open_reader(combined)
    sheet_pages = len(PdfReader(__import__("io").BytesIO(render_approval_sheet(sheet))).pages)
    assert len(after.pages) == len(before.pages) + sheet_pages
    code_in, warnings_in = qpdf_check(document)
    code_out, warnings_out = qpdf_check(combined)
    assert code_out in (0, code_in)
    assert len(warnings_out) <= len(warnings_in)
    for number in range(1, len(before.pages) + 1):
        assert render(document, number) == render(combined, number)
    assert "ЛИСТСОГЛАСОВАНИЯ" in page_text(combined, len(before.pages) + 1)
    states = signature_states(document)
    assert signature_states(combined) == states
