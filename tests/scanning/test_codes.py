"""Card codes: round trips, check digits that catch misreads, and classification."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.errors import CardCodeInvalid
from edmscore.scanning import CodeKind, card_code, classify, parse_card_code, separator_code

hex_ids = st.uuids().map(lambda u: u.hex)
text_ids = st.text("ABCxyz0189._-", min_size=1, max_size=48).filter(
    lambda s: len(s) != 32 or any(c not in "0123456789abcdef" for c in s)
)


@given(hex_ids)
def test_a_hex_id_becomes_42_digits_and_back(card_id: str) -> None:
    code = card_code(card_id)
    assert len(code) == 42 and code.isdigit() and code[0] == "9"
    assert parse_card_code(code) == card_id
    assert classify(code).card_id == card_id


@given(text_ids)
def test_any_other_id_round_trips_in_the_text_form(card_id: str) -> None:
    code = card_code(card_id)
    assert code.startswith("EDMS-")
    assert parse_card_code(code) == card_id


@given(hex_ids, st.integers(0, 41), st.integers(1, 9))
def test_one_wrong_digit_is_always_caught(card_id: str, position: int, delta: int) -> None:
    code = card_code(card_id)
    wrong = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1 :]
    if position == 0:
        assert classify(wrong).kind in (CodeKind.FOREIGN, CodeKind.DAMAGED)
        return
    with pytest.raises(CardCodeInvalid):
        parse_card_code(wrong)
    assert classify(wrong).kind is CodeKind.DAMAGED


@given(hex_ids, st.integers(1, 40))
def test_two_swapped_neighbours_are_caught(card_id: str, position: int) -> None:
    code = card_code(card_id)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    if swapped == code:
        return
    assert classify(swapped).kind is CodeKind.DAMAGED


def test_separators_and_foreign_codes() -> None:
    card_id = uuid.uuid4().hex
    assert classify(separator_code()).kind is CodeKind.SEPARATOR
    named = classify(separator_code(card_id))
    assert named.kind is CodeKind.SEPARATOR and named.card_id == card_id
    broken = separator_code(card_id)[:-1] + "x"
    assert classify(broken).kind is CodeKind.DAMAGED
    assert classify("4601234567893").kind is CodeKind.FOREIGN  # an EAN-13 on the letter
    assert classify("https://example.org/doc").kind is CodeKind.FOREIGN


@pytest.mark.parametrize("bad", ["", "id with spaces", "х" * 3, "a" * 49, "a/b"])
def test_ids_that_do_not_fit_a_code_are_refused(bad: str) -> None:
    with pytest.raises(CardCodeInvalid) as caught:
        card_code(bad)
    assert caught.value.code == "CARD_CODE_INVALID"


@given(st.text(max_size=60))
def test_classify_never_raises_and_parse_raises_only_card_code_invalid(text: str) -> None:
    read = classify(text)
    assert read.kind in CodeKind
    try:
        card_id = parse_card_code(text)
    except CardCodeInvalid:
        assert read.kind is not CodeKind.CARD
    else:
        assert read.kind is CodeKind.CARD and read.card_id == card_id
