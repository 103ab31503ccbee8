"""Properties of the SQL adapter's pure parts: the document codec, the stemmer, the time key."""

from __future__ import annotations

import datetime

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore import calendar
from edmscore.audit import AuditEvent, FieldChange, diff_fields
from edmscore.errors import StorageError
from edmscore.records.codec import audit_to_json, decode, decode_json, dumps, encode
from edmscore.storage.sql import stem
from edmscore.storage.sql._cards import micros
from edmscore.testing import strategies as eds

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@settings(max_examples=40)
@given(
    st.one_of(
        eds.organisations(),
        eds.users("org"),
        eds.departments("org"),
        eds.officials("org"),
        eds.journals("org"),
        eds.nomenclatures(),
    )
)
def test_stored_documents_decode_to_equal_values(value: object) -> None:
    text = dumps(encode(value))
    assert decode_json(type(value), text) == value
    assert decode(type(value), encode(value)) == value


_STORABLE = st.characters(codec="utf-8", exclude_characters="\x00")  # what text fields accept


@given(
    st.lists(
        st.tuples(st.text(_STORABLE, min_size=1, max_size=20), st.none() | st.text(max_size=20))
    )
)
def test_audit_events_round_trip(changes: list[tuple[str, str | None]]) -> None:
    event = AuditEvent(
        at=pendulum.datetime(2026, 3, 2, 9, tz="Asia/Yakutsk"),
        actor_id="u",
        action="card.updated",
        entity_type="card",
        entity_id="c",
        changes=tuple(FieldChange(name.strip() or "f", None, after) for name, after in changes),
    )
    assert decode(AuditEvent, encode(event)) == event
    assert audit_to_json(event) == dumps(encode(event))  # the fast path writes the same text


@given(
    st.dictionaries(
        st.text(_STORABLE, min_size=1, max_size=8).filter(lambda k: k.strip() and k != "\x01ghost"),
        st.none() | st.text(max_size=5) | st.integers() | st.lists(st.integers(), max_size=2),
    )
)
def test_the_changes_of_a_creation_are_those_of_the_general_rule(after: dict[str, object]) -> None:
    created = diff_fields({}, after)
    # The general rule, through a "before" that holds only a field the "after" lacks.
    ghost = "\x01ghost"
    general = tuple(c for c in diff_fields({ghost: 1}, after) if c.field != ghost)
    assert created == general
    assert all(c.before is None and c.after is not None for c in created)
    assert {c.field for c in created} <= set(after)


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАЁЯ", min_size=1, max_size=25))
def test_a_stem_is_a_prefix_of_the_word(word: str) -> None:
    normal = word.casefold().replace("ё", "е")
    assert normal.startswith(stem(word))
    assert stem(word) == stem(word.upper())


@given(
    st.datetimes(
        min_value=datetime.datetime(1900, 1, 1),
        max_value=datetime.datetime(2200, 1, 1),
        timezones=st.sampled_from(
            [datetime.UTC, datetime.timezone(datetime.timedelta(hours=9)), pendulum.UTC]
        ),
    )
)
def test_the_time_key_is_exact_microseconds_since_the_epoch(moment: datetime.datetime) -> None:
    delta = moment - _EPOCH
    expected = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    assert micros(pendulum.instance(moment)) == expected


@pytest.mark.parametrize(
    "name",
    [n for n in calendar.__all__ if isinstance(getattr(calendar, n), calendar.DeadlinePolicy)],
)
def test_deadline_policies_of_every_term_kind_round_trip(name: str) -> None:
    policy = getattr(calendar, name)
    assert decode(calendar.DeadlinePolicy, encode(policy)) == policy


def test_a_value_that_fits_no_member_of_a_union_is_a_storage_error() -> None:
    data = encode(calendar.MONTHLY_REPORT)
    data["term"] = {"nothing": "known"}
    with pytest.raises(StorageError, match="fits none"):
        decode(calendar.DeadlinePolicy, data)
