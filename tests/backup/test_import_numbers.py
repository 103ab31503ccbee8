"""The bulk card import refuses a registration number that a stored card or the batch has taken,
on every adapter (PostgreSQL checks each number by a probe of the unique index)."""

from __future__ import annotations

import pendulum
import pytest

from edmscore.errors import DuplicateNumber
from edmscore.registry.codec import card_to_primitive
from edmscore.testing import make_card
from tests._adapters import AnyStorage

AT = pendulum.datetime(2019, 5, 6, 10, tz="Asia/Yakutsk")


def _card(number: str, card_id: str, period: int = 2019) -> dict[str, object]:
    card = make_card("journal-1", number, registered_at=AT, period=period, card_id=card_id)
    return card_to_primitive(card)


def test_a_number_taken_by_a_stored_card_is_refused(storage: AnyStorage) -> None:
    with storage.unit_of_work() as uow:
        uow.import_records("cards", [_card(f"{n}-вх", f"stored-{n}") for n in range(300)])
        uow.commit()
    fresh = [_card(f"{n}-вх", f"new-{n}") for n in range(300, 600)]
    with storage.unit_of_work() as uow:
        with pytest.raises(DuplicateNumber) as caught:
            uow.import_records("cards", [*fresh, _card("217-вх", "new-clash")])
        assert "217-вх" in str(caught.value)
    with storage.unit_of_work() as uow:  # another period: the same number is free there
        assert uow.import_records("cards", [*fresh, _card("217-вх", "other", 2020)]) == 301
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.cards.get("other").registration.number == "217-вх"


def test_a_number_taken_twice_in_one_batch_is_refused(storage: AnyStorage) -> None:
    with storage.unit_of_work() as uow, pytest.raises(DuplicateNumber):
        uow.import_records("cards", [_card("1-вх", "a"), _card("2-вх", "b"), _card("1-вх", "c")])
