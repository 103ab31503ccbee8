"""A journal's rule for numbers typed by hand: what makes two of them the same number."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edmscore.registry import CardKind, Journal

JOURNAL = Journal("j", "org", "ВХ", "Входящие", "вх-{seq}", {CardKind.INCOMING})
APPEALS = Journal("a", "org", "ОГ", "Обращения", "{letter}/{seq}", {CardKind.APPEAL})
LATIN = Journal("l", "org", "IN", "Inbound", "IN-{seq}", {CardKind.INCOMING})


@given(
    seq=st.integers(min_value=1, max_value=10**6),
    before=st.text(" \t\u00a0\u3000", max_size=3),
    after=st.text(" \t\u00a0\n", max_size=3),
    upper=st.booleans(),
)
def test_blanks_and_case_never_make_another_number(
    seq: int, before: str, after: str, upper: bool
) -> None:
    typed = f"{before}{'ВХ' if upper else 'вх'}-{seq}{after}"
    assert JOURNAL.normalise_number(typed) == f"вх-{seq}"


def test_look_alike_latin_letters_in_a_cyrillic_journal_are_cyrillic() -> None:
    assert JOURNAL.normalise_number("BX-1") == "вх-1"  # Latin B and X
    assert JOURNAL.normalise_number("вx-1") == "вх-1"  # a Latin x among Cyrillic
    assert APPEALS.normalise_number("д/401") == "Д/401"  # {letter} is a capital
    # A Latin journal keeps Latin letters; case is still one number.
    assert LATIN.normalise_number(" in-5 ") == "IN-5"
    # NFC: a decomposed й is the composed one.
    assert JOURNAL.normalise_number("и\u0306-1") == JOURNAL.normalise_number("й-1") == "Й-1"
