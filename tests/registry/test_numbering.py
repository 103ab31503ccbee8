"""Number templates: parsing rejects bad templates up front; rendering fills the fields."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.errors import TemplateError, ValidationError
from edmscore.registry import NumberTemplate
from edmscore.testing import strategies as eds


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("{case_index}/{seq}", {"case_index": "01-05", "seq": 89}, "01-05/89"),
        ("{seq}-{dept}", {"dept": "02", "seq": 7}, "7-02"),
        ("вх-{seq}", {"seq": 12}, "вх-12"),
        ("{seq:05d}", {"seq": 42}, "00042"),
        ("{seq:3d}", {"seq": 4}, "  4"),
        ("{letter}-{seq}", {"letter": "Д", "seq": 401}, "Д-401"),
        ("{letter}/{seq}", {"letter": "Д", "seq": 401}, "Д/401"),
        ("{seq}/{yy}", {"seq": 3, "yy": "26"}, "3/26"),
        ("{{{seq}}}", {"seq": 1}, "{1}"),
        ("{seq}-ДСП", {"seq": 9}, "9-ДСП"),
    ],
)
def test_render(template: str, values: dict[str, str | int], expected: str) -> None:
    assert NumberTemplate.parse(template).render(values) == expected


@given(eds.invalid_templates())
def test_invalid_templates_are_refused_at_parse(source: str) -> None:
    with pytest.raises(TemplateError) as info:
        NumberTemplate.parse(source)
    assert info.value.field == "template"


@given(eds.templates(), st.integers(1, 10**6))
def test_valid_templates_render_distinct_numbers_for_distinct_seqs(source: str, seq: int) -> None:
    template = NumberTemplate.parse(source)
    values: dict[str, str | int | None] = {
        "org": "МЦР",
        "journal": "ВХ",
        "yy": "26",
        "year": 2026,
        "letter": "Д",
    }
    assert template.render({**values, "seq": seq}) != template.render({**values, "seq": seq + 1})


def test_missing_value_names_the_field_and_what_it_needs() -> None:
    template = NumberTemplate.parse("{case_index}/{seq}")
    with pytest.raises(ValidationError) as info:
        template.render({"seq": 1})
    assert info.value.field == "case_index"
    assert "case" in str(info.value)


def test_fields_lists_what_the_template_uses() -> None:
    assert NumberTemplate.parse("{dept}-{seq}/{yy}").fields == {"dept", "seq", "yy"}
