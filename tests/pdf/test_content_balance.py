"""The graphics-state balance of page content: property tests against a plain reading."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from edmscore.pdf import Anchor, Corner, ESignatureMark, SignatureMarkData, Stamp, stamp_pdf
from edmscore.pdf._content import _operators_careful, balance

from .conftest import raw_pdf, stream

_PIECES = st.sampled_from(
    [
        b"q",
        b"Q",
        b"BT",
        b"ET",
        b"1 0 0 1 10 10 cm",
        b"(q Q \\) (nested (q)) Q)",
        b"(deep (a (b (Q) c) d) e)",
        b"/Q",
        b"/q1",
        b"% q Q comment\n",
        b"<51>",
        b"[(Q) 120 (q)] TJ",
        b"BI /W 2 /H 1 /BPC 8 /CS /G ID \x00Q\xffq EI",
        b"0 0 10 10 re f",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_fast_and_careful_readings_agree(pieces: list[bytes]) -> None:
    data = b"\n".join(pieces)
    careful = _operators_careful(data)
    depth = excess = 0
    in_text = False
    for op in careful:
        if op == b"q":
            depth += 1
        elif op == b"Q":
            depth, excess = (depth - 1, excess) if depth else (0, excess + 1)
        else:
            in_text = op == b"BT"
    assert balance(data) == type(balance(data))(excess, depth, in_text)
    # Wrapped as the stamper wraps it, the content ends where it began.
    state = balance(data)
    wrapped = state.prefix() + data + b"\n" + state.suffix()
    after = balance(wrapped)
    assert after.excess_closes == 0
    assert after.left_open == 0
    assert not after.in_text


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 4), st.integers(0, 4))
def test_marks_land_at_their_anchor_whatever_the_content_leaves(opens: int, closes: int) -> None:
    content = (
        "Q " * closes + "q 0.1 0 0 0.1 0 0 cm " * opens + "BT /F1 12 Tf 72 700 Td (Text) Tj ET"
    )
    source = raw_pdf(
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            " /Resources << /Font << /F1 5 0 R >> >> >>",
            stream(content),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    data = SignatureMarkData("ab", "Иванов И.И.", "2025-01-01", "2026-01-01")
    result = stamp_pdf(source, [Stamp(ESignatureMark(data), placement=Anchor(Corner.BOTTOM_LEFT))])
    page = PdfReader(io.BytesIO(result.pdf)).pages[0]
    joined = page.get_contents().get_data()  # type: ignore[union-attr]
    final = balance(joined.split(b"/EdmsMark0 Do Q")[0] + b"/EdmsMark0 Do Q")
    assert final.excess_closes == 0 and final.left_open == 0
