"""Registration cards: validation at construction names the field; values are frozen."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.errors import ValidationError
from edmscore.registry import (
    CardDetails,
    CardKind,
    CardLink,
    FileRef,
    LinkType,
    RegistrationCard,
)
from edmscore.registry.codec import card_from_primitive, card_to_primitive, details_from_primitive
from edmscore.testing import make_card
from edmscore.testing import strategies as eds


@given(eds.invalid_card_details())
def test_invalid_details_are_refused_naming_the_field(case: tuple[dict[str, object], str]) -> None:
    kwargs, field = case
    with pytest.raises(ValidationError) as info:
        CardDetails(**kwargs)  # type: ignore[arg-type]
    assert field in info.value.field
    assert isinstance(info.value, ValueError)


@given(eds.card_details())
def test_valid_details_round_trip_through_primitives(details: CardDetails) -> None:
    from edmscore.registry.codec import to_primitive

    assert details_from_primitive(to_primitive(details)) == details


def test_card_round_trips_through_primitives() -> None:
    card = make_card("j", "вх-1")
    assert card_from_primitive(card_to_primitive(card)) == card


def test_cards_are_frozen() -> None:
    card = make_card("j", "1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        card.version = 2  # type: ignore[misc]


def test_a_card_cannot_link_to_itself() -> None:
    card = make_card("j", "1")
    details = attrs.evolve(card.details, links=(CardLink(card.id, LinkType.IN_REPLY_TO),))
    with pytest.raises(ValidationError) as info:
        attrs.evolve(card, details=details)
    assert info.value.field == "links"


def test_received_after_registration_is_refused() -> None:
    card = make_card("j", "1")
    later = card.registration.date.add(days=1)
    with pytest.raises(ValidationError) as info:
        attrs.evolve(card, details=attrs.evolve(card.details, received_on=later, sender_date=later))
    assert info.value.field == "received_on"


def test_registered_at_must_be_time_zone_aware() -> None:
    card = make_card("j", "1")
    naive = pendulum.naive(2026, 3, 2, 10)
    with pytest.raises(ValidationError) as info:
        RegistrationCard(
            id=card.id,
            organisation_id="org",
            registration=card.registration,
            details=card.details,
            registered_at=naive,
            registered_by="u",
        )
    assert "registered_at" in info.value.field


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b.pdf", "c:\\x.pdf", "", "..", "bad\x00.pdf"])
def test_file_names_must_be_plain(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        FileRef(name=name, size=1, sha256="0" * 64)
    assert "name" in info.value.field


def test_file_hash_must_be_sha256_hex() -> None:
    with pytest.raises(ValidationError):
        FileRef(name="a.pdf", size=1, sha256="XYZ")


@given(st.sampled_from(CardKind))
def test_every_kind_has_a_russian_label(kind: CardKind) -> None:
    assert kind.label and kind.label[0].isupper()


@given(eds.directories())
def test_generated_directories_are_consistent(
    directory: tuple[object, tuple[object, ...], tuple[object, ...], tuple[object, ...]],
) -> None:
    from edmscore.directory import Department, Official, Organisation, User

    organisation, departments, officials, users = directory
    assert isinstance(organisation, Organisation)
    dept_ids = {d.id for d in departments if isinstance(d, Department)}
    assert len({d.code for d in departments if isinstance(d, Department)}) == len(departments)
    official_ids = set()
    for official in officials:
        assert isinstance(official, Official)
        assert official.department_id in dept_ids
        official_ids.add(official.id)
    for user in users:
        assert isinstance(user, User)
        assert user.organisation_id == organisation.id
        assert user.official_id is None or user.official_id in official_ids


def _plain_primitive(value: object) -> object:
    """The rules of ``to_primitive`` written plainly, to check the generated encoders against."""
    import datetime
    import enum
    from collections.abc import Mapping

    import pendulum

    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.datetime):
        return pendulum.instance(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain_primitive(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(_plain_primitive(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, Mapping):
        return {str(k): _plain_primitive(v) for k, v in value.items()}
    if attrs.has(type(value)):
        return {
            a.alias or a.name: _plain_primitive(getattr(value, a.name))
            for a in attrs.fields(type(value))  # type: ignore[arg-type]
        }
    raise AssertionError(type(value))


@given(eds.card_details())
def test_primitives_follow_the_plain_rules(details: CardDetails) -> None:
    from edmscore.registry.codec import to_primitive

    # registered after every date the strategy draws (a received date may not follow it)
    registered = pendulum.datetime(2027, 1, 11, 10, 0, tz="Asia/Yakutsk")
    card = attrs.evolve(make_card("j", "вх-1", registered_at=registered), details=details)
    assert to_primitive(details) == _plain_primitive(details)
    assert card_to_primitive(card) == _plain_primitive(card)


def test_a_value_of_no_known_kind_is_refused() -> None:
    from edmscore.registry.codec import to_primitive

    with pytest.raises(TypeError):
        to_primitive(object())
    with pytest.raises(TypeError):  # refused again, not remembered as convertible
        to_primitive(object())
