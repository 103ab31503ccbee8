"""Hostile and broken МЧД input: typed errors, never a crash inside lxml, never a silent answer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edmscore.errors import PoaFormatError, PoaUnsafeInput, ValidationError
from edmscore.signatures.mchd import MAX_POA_BYTES, PowerOfAttorney, parse_poa

from ._fixtures import DOVBB, SIGNED, read

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<Доверенность ВерсФорм="EMCHD_1">&c;</Доверенность>""".encode()
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Доверенность ВерсФорм="EMCHD_1"><Документ>&x;</Документ></Доверенность>""".encode()


@pytest.mark.parametrize("data", [LAUGHS, EXTERNAL])
def test_a_dtd_is_refused(data: bytes) -> None:
    with pytest.raises(PoaUnsafeInput):
        parse_poa(data)


def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(PoaUnsafeInput):
        parse_poa(b"<a>" + b" " * MAX_POA_BYTES + b"</a>")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (b"", "data"),
        (b"<not-closed", "data"),
        (b"<root/>", "/"),
        ('<Доверенность ВерсФорм="9"/>'.encode(), "Доверенность/@ВерсФорм"),
        ('<Доверенность ВерсФорм="EMCHD_1"/>'.encode(), "Доверенность/Документ"),
    ],
)
def test_not_a_poa(data: bytes, field: str) -> None:
    with pytest.raises(PoaFormatError) as caught:
        parse_poa(data)
    assert caught.value.field == field


def test_bad_date_and_reversed_validity() -> None:
    data = read(SIGNED)
    with pytest.raises(PoaFormatError, match="not a date"):
        parse_poa(data.replace(b'"2025-12-03"', b'"2025-13-03"'))
    with pytest.raises(PoaFormatError, match="ends before"):
        parse_poa(data.replace(b'"2025-12-03"', b'"2024-01-01"'))


def test_a_string_is_a_typed_error() -> None:
    with pytest.raises(ValidationError):
        parse_poa(read(SIGNED).decode())  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from([SIGNED, DOVBB]),
    position=st.floats(0, 1),
    cut=st.integers(0, 40),
    insert=st.binary(max_size=12),
)
def test_mutated_real_files_give_a_poa_or_a_typed_error(
    name: str, position: float, cut: int, insert: bytes
) -> None:
    data = read(name)
    at = int(position * len(data))
    mutated = data[:at] + insert + data[at + cut :]
    try:
        poa = parse_poa(mutated)
    except PoaFormatError:
        return
    assert isinstance(poa, PowerOfAttorney)
    assert poa.valid_until >= poa.issued
    assert poa.representatives and poa.powers and poa.principals
