"""Journals: the template is checked at creation; counters are keyed by scope and period."""

from __future__ import annotations

import pendulum
import pytest

from edmscore.errors import TemplateError, ValidationError
from edmscore.registry import CardKind, Journal, ResetPeriod


def _journal(**changes: object) -> Journal:
    fields: dict[str, object] = {
        "id": "j1",
        "organisation_id": "org",
        "code": "ОГ",
        "name": "Обращения граждан",
        "template": "{letter}-{seq}",
        "kinds": {CardKind.APPEAL},
    }
    fields.update(changes)
    return Journal(**fields)  # type: ignore[arg-type]


def test_a_bad_template_is_refused_when_the_journal_is_created() -> None:
    with pytest.raises(TemplateError):
        _journal(template="{letter}-{nope}")


def test_yearly_journals_restart_each_year_and_others_never() -> None:
    day = pendulum.Date(2026, 5, 4)
    assert _journal().period_of(day) == 2026
    assert _journal(reset=ResetPeriod.NEVER).period_of(day) == 0


def test_counter_keys_split_by_the_chosen_fields_only() -> None:
    per_letter = _journal(counter_per=("letter",))
    shared = _journal()
    assert per_letter.counter_key(2026, {"letter": "Д"}) != per_letter.counter_key(
        2026, {"letter": "А"}
    )
    assert shared.counter_key(2026, {"letter": "Д"}) == shared.counter_key(2026, {"letter": "А"})
    assert shared.counter_key(2026, {}) != shared.counter_key(2027, {})


def test_journals_sharing_a_counter_share_keys() -> None:
    first = _journal(id="a", shared_counter="common")
    second = _journal(id="b", shared_counter="common")
    assert first.counter_key(2026, {}) == second.counter_key(2026, {})


def test_counter_cannot_be_split_by_a_field_missing_from_the_template() -> None:
    with pytest.raises(ValidationError) as info:
        _journal(counter_per=("dept",))
    assert info.value.field == "counter_per"


def test_a_journal_needs_a_kind() -> None:
    with pytest.raises(ValidationError):
        _journal(kinds=frozenset())
