"""Damaged real PDFs: stamping succeeds or raises an EdmsError, never anything else."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from edmscore.errors import EdmsError
from edmscore.pdf import ESignatureMark, RestrictionMark, Stamp, stamp_pdf

from .test_corpus import DATA, corpus, open_reader

_SMALL = ["unbalanced-q-pyhanko.pdf", "offset-issue15789.pdf", "encrypted-r4-owner-only.pdf"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    st.sampled_from(_SMALL),
    st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), max_size=4),
)
def test_damaged_bytes_give_a_typed_error_or_a_stamped_file(
    name: str, edits: list[tuple[float, bytes]]
) -> None:
    data = bytearray(corpus(name))
    for where, junk in edits:
        at = int(where * (len(data) - 1))
        data[at : at + len(junk)] = junk
    stamps = [Stamp(ESignatureMark(DATA)), Stamp(RestrictionMark(1))]
    try:
        result = stamp_pdf(bytes(data), stamps)
    except EdmsError:
        return
    assert result.pdf.startswith(bytes(data))
    assert len(open_reader(result.pdf).pages) >= 1


@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["first", "last", "all"]), min_size=1, max_size=4))
def test_repeated_updates_keep_every_revision_readable(specs: list[str]) -> None:
    data = corpus("linearized-30-pages.pdf")
    for spec in specs:
        before = data
        data = stamp_pdf(data, [Stamp(RestrictionMark(1), pages=spec)]).pdf
        assert data.startswith(before)
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 30
        highest = max(n for table in reader.xref.values() for n in table)
        assert int(reader.trailer["/Size"]) == max(highest, *reader.xref_objStm, 0) + 1  # type: ignore[call-overload]
