"""The adapters' bulk path for cards: new cards stored, stored ones replaced, a taken number
refused, statements of the caller's own iterator served in the middle of a batch, and the
stored cards found by the same searches on every adapter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.access import AccessScope
from edmscore.errors import DuplicateNumber
from edmscore.records.ports import CardQuery
from edmscore.registry import CardStatus
from edmscore.registry.codec import card_to_primitive
from edmscore.storage.sql._text import fold, search_text_of
from edmscore.testing import make_card

EVERYTHING = AccessScope.everything()


def _search(uow: Any, text: str) -> list[str]:
    page = uow.cards.query(
        CardQuery(text=text, statuses=frozenset(CardStatus), limit=100), EVERYTHING
    )
    return sorted(card.id for card in page.items)


def test_a_batch_with_a_stored_card_replaces_it_and_stores_the_rest(storage: Any) -> None:
    first = make_card("j1", "1", card_id="c1", summary="Первое письмо о дорогах")
    with storage.unit_of_work() as uow:
        assert uow.import_records("cards", [first]) == 1
        uow.commit()
    changed = attrs.evolve(
        first, details=attrs.evolve(first.details, summary="Письмо о мостах"), version=3
    )
    fresh = [make_card("j1", str(n), card_id=f"c{n}", summary=f"Письмо № {n}") for n in (2, 3)]
    with storage.unit_of_work() as uow:
        assert uow.import_records("cards", [fresh[0], changed, fresh[1]]) == 3
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.cards.get("c1") == changed
        assert [uow.cards.get(c.id) for c in fresh] == fresh
        assert _search(uow, "МОСТАХ") == ["c1"]
        assert _search(uow, "дорогах") == []
        assert _search(uow, "письмо") == ["c1", "c2", "c3"]


def test_a_number_stored_already_is_refused(storage: Any) -> None:
    with storage.unit_of_work() as uow:
        uow.import_records("cards", [make_card("j1", "7", card_id="held")])
        uow.commit()
    with storage.unit_of_work() as uow, pytest.raises(DuplicateNumber):
        uow.import_records(
            "cards", [make_card("j1", "6", card_id="a"), make_card("j1", "7", card_id="b")]
        )
    with storage.unit_of_work() as uow:
        assert _search(uow, "информации") == ["held"]


def test_the_callers_iterator_may_use_the_unit_of_work_mid_batch(storage: Any) -> None:
    """The importer checks numbers and stores files while its cards stream in."""
    with storage.unit_of_work() as uow:
        uow.import_records("cards", [make_card("j1", "1", card_id="old")])
        uow.commit()
    seen: list[bool] = []
    with storage.unit_of_work() as uow:

        def cards() -> Iterator[Any]:
            for n in range(2, 8):
                yield card_to_primitive(make_card("j1", str(n), card_id=f"n{n}"))
                seen.append(uow.cards.number_holder("j1", 2026, "1") is not None)
                uow.blobs.put(f"scan {n}".encode())

        assert uow.import_records("cards", cards()) == 6
        uow.commit()
    assert seen == [True] * 6
    with storage.unit_of_work() as uow:
        assert _search(uow, "информации") == ["n2", "n3", "n4", "n5", "n6", "n7", "old"]


def test_a_clash_found_while_the_iterator_works_is_still_refused(storage: Any) -> None:
    with storage.unit_of_work() as uow:
        uow.import_records("cards", [make_card("j1", "1", card_id="old")])
        uow.commit()
    with storage.unit_of_work() as uow:

        def cards() -> Iterator[Any]:
            yield card_to_primitive(make_card("j1", "1", card_id="clash"))
            uow.cards.number_holder("j1", 2026, "2")  # ends the COPY, which fails
            yield card_to_primitive(make_card("j1", "2", card_id="fine"))

        with pytest.raises(DuplicateNumber):
            uow.import_records("cards", cards())


@given(
    st.lists(
        st.text(st.characters(codec="utf-8", exclude_characters="\ud800"), max_size=12),
        min_size=3,
        max_size=8,
    )
)
def test_the_search_text_of_a_primitive_card_folds_each_item(items: list[str]) -> None:
    card = card_to_primitive(make_card("j1", "1"))
    summary, number, sender, *names = items
    details = dict(card["details"], summary=summary, sender_number=sender or None)
    details["correspondents"] = [{"name": name} for name in names]
    card = dict(card, details=details, registration=dict(card["registration"], number=number))
    expected = "\x1f".join(fold(item) for item in (summary, number, sender, *names))
    assert search_text_of(card) == expected


def test_text_with_the_copy_formats_escapes_is_stored_as_given(storage: Any) -> None:
    tricky = 'Письмо\\N с \\. табуляцией\tи\r\nпереводом строки \\\\ «кавычки» "да"'
    card = make_card("j1", "1\\t2", card_id="c\\1", summary=tricky)
    with storage.unit_of_work() as uow:
        uow.import_records("cards", [card])
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.cards.get("c\\1") == card
        assert _search(uow, "ТАБУЛЯЦИЕЙ\tИ\r\n") == ["c\\1"]
        assert _search(uow, "\\\\ «") == ["c\\1"]
        assert _search(uow, "1\\t2") == ["c\\1"]
        assert uow.cards.number_holder("j1", 2026, "1\\t2") == "c\\1"
