"""Text no adapter can store — a NUL, a lone surrogate — refused alike by every adapter.

A card id, a summary, any text field: refused at validation with ValidationError naming the
field, before any storage sees it; a lookup by such an id finds nothing, on every adapter.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.errors import NotFound, ValidationError
from edmscore.registry import RegistrationCard
from edmscore.testing import make_card, make_details
from tests._adapters import AnyStorage

BAD = ["\x00", "a\x00b", "\ud800", "x\udfffy", "\udc80"]


@pytest.mark.parametrize("card_id", BAD)
def test_a_card_id_no_adapter_can_store_is_refused(storage: AnyStorage, card_id: str) -> None:
    with pytest.raises(ValidationError) as info:
        make_card("j1", "1", card_id=card_id)
    assert info.value.field == "RegistrationCard.id"
    with storage.unit_of_work() as uow, pytest.raises(NotFound):
        uow.cards.get(card_id)


@pytest.mark.parametrize("card_id", ["", "   "])
def test_an_empty_card_id_is_refused(card_id: str) -> None:
    card = make_card("j1", "1")
    with pytest.raises(ValidationError):
        RegistrationCard(
            id=card_id,
            organisation_id=card.organisation_id,
            registration=card.registration,
            details=card.details,
            registered_at=card.registered_at,
            registered_by=card.registered_by,
        )


@pytest.mark.parametrize("bad", BAD)
def test_a_summary_with_unstorable_text_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        make_details(summary=f"О ремонте {bad} дороги")
    assert info.value.field.endswith("summary")


@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1))
def test_every_storable_text_passes(value: str) -> None:
    if value.strip():
        assert make_details(summary=value[:2000]).summary == value[:2000]
