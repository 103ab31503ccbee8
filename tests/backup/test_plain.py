"""The bulk import's plain-data path agrees with the card classes: whatever it accepts, they
accept, and it gives the very primitive form the classes give; what it doubts it leaves to them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.backup import import_registry
from edmscore.directory import Organisation
from edmscore.errors import EdmsError
from edmscore.registry import CardKind, CardStatus, Journal, Registration, RegistrationCard
from edmscore.registry.codec import card_from_primitive, card_to_primitive, plain_card
from edmscore.storage import MemoryStorage
from edmscore.testing.strategies import card_details, dates

NOW = pendulum.datetime(2026, 3, 2, tz="UTC")
_DEFAULTS = {
    "document_date": None,
    "sender_number": None,
    "sender_date": None,
    "received_on": None,
    "executor_id": None,
    "department_id": None,
    "sheets": 0,
    "case_id": None,
    "case_index": None,
    "access": "open",
    "on_control": False,
    "notes": "",
}
_EMPTY = ("correspondents", "addressees", "signatories", "enclosures", "access_list",
          "shared_with", "links", "files", "applicants")  # fmt: skip
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 5) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=4,
)


@st.composite
def primitive_cards(draw: st.DrawFn) -> dict[str, Any]:
    """A valid card's primitive form, with some defaults left out as an import row may."""
    day = draw(dates())
    details = draw(card_details(received_on=day))
    moments = (
        pendulum.datetime(day.year, day.month, day.day, tz="Asia/Yakutsk"),
        pendulum.datetime(day.year, day.month, day.day, 10, 30, 5, 120, tz="UTC"),
    )
    card = RegistrationCard(
        id=draw(st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)),
        organisation_id="org",
        registration=Registration(
            "j-1",
            f"{draw(st.integers(1, 999))}-вх",
            day,
            day.year,
            draw(st.none() | st.integers(1, 999)),
        ),
        details=details,
        registered_at=draw(st.sampled_from(moments)),
        registered_by="admin",
        status=draw(st.sampled_from(CardStatus)),
        version=draw(st.integers(1, 5)),
    )
    data = card_to_primitive(card)
    for name, default in _DEFAULTS.items():
        if data["details"][name] == default and draw(st.booleans()):
            del data["details"][name]
    for name in _EMPTY:
        if not data["details"][name] and draw(st.booleans()):
            del data["details"][name]
    return data


def _place(data: dict[str, Any], draws: st.DataObject) -> tuple[dict[str, Any], str]:
    """Somewhere in the row to change: a dict and one of its keys (or a new key)."""
    holders = [data, data["registration"], data["details"]]
    for name in ("correspondents", "addressees", "signatories"):
        holders.extend(data["details"].get(name, ()))
    holder = draws.draw(st.sampled_from(holders))
    key = draws.draw(st.sampled_from(sorted(holder)) | st.just("extra"))
    return holder, key


@given(primitive_cards())
def test_a_valid_simple_row_takes_the_plain_path_and_gives_the_classes_form(
    data: dict[str, Any],
) -> None:
    expected = card_to_primitive(card_from_primitive(data))
    plain = plain_card(data)
    details = expected["details"]
    simple = not any(
        details[name] for name in ("enclosures", "delivery_method", "access_list", "applicants")
    )
    if simple:
        assert plain is not None
    if plain is not None:
        assert plain == expected


@given(primitive_cards(), st.data())
def test_a_changed_row_is_accepted_only_as_the_classes_accept_it(
    data: dict[str, Any], draws: st.DataObject
) -> None:
    holder, key = _place(data, draws)
    holder[key] = draws.draw(
        _JSON | st.sampled_from(("", " ", "x" * 65, "2026-02-30", "a\x00b", "\ud800", 0, -1, True))
    )
    plain = plain_card(data)
    if plain is None:
        return  # the object path judges it
    try:
        card = card_from_primitive(data)
    except (EdmsError, ValueError, TypeError, KeyError, AttributeError) as exc:
        pytest.fail(f"the plain path accepted a row the classes refuse: {exc}")
    assert plain == card_to_primitive(card)


def test_an_adapter_that_takes_card_objects_is_handed_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from edmscore.storage.memory import MemoryUnitOfWork

    monkeypatch.setattr(MemoryUnitOfWork, "takes_card_primitives", False)
    handed: list[Any] = []
    original = MemoryUnitOfWork.import_records

    def spy(self: MemoryUnitOfWork, kind: str, records: Any) -> int:
        if kind == "cards":
            records = list(records)
            handed.extend(records)
        return original(self, kind, records)

    monkeypatch.setattr(MemoryUnitOfWork, "import_records", spy)
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(Organisation("org", "Министерство"))
        uow.journals.add(Journal("j", "org", "ВХ", "Входящие", "{seq}", {CardKind.INCOMING}))
        uow.commit()
    source = tmp_path / "legacy"
    source.mkdir()
    row = {
        "registration": {"journal": "ВХ", "number": "1", "date": "2019-05-06", "seq": 1},
        "details": {
            "kind": "incoming",
            "document_kind": "Письмо",
            "summary": "Письмо",
            "correspondents": [{"name": "Администрация"}],
            "received_on": "2019-05-06",
        },
    }
    (source / "cards.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n")
    with storage.unit_of_work() as uow:
        report = import_registry(uow, source, "org", actor_id="user", now=NOW)
        uow.commit()
    assert report.cards == 1
    assert [type(card) for card in handed] == [RegistrationCard]
