"""The nomenclature of cases: validation, closing, carry-over, next year, reports, exports."""

from __future__ import annotations

import csv
import datetime
import doctest
import io
import pathlib
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.errors import NotFound, StateError, ValidationError
from edmscore.registry import nomenclature as nomenclature_module
from edmscore.registry.nomenclature import (
    Case,
    CategoryCount,
    Nomenclature,
    NomenclatureSection,
    make_case_index,
    render_nomenclature_table,
    render_year_end_summary,
)
from edmscore.registry.retention import (
    RetentionCategory,
    RetentionKind,
    parse_retention,
)
from edmscore.testing.strategies import invalid_nomenclature_arguments, nomenclatures

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "nomenclature.md"


def case(
    case_id: str, index: str, retention: str = "5 лет", section: str = "01", **kwargs: object
) -> Case:
    return Case(
        case_id,
        index,
        f"Дело {index}",
        section,
        parse_retention(retention),
        **kwargs,  # type: ignore[arg-type]
    )


def make_nom() -> Nomenclature:
    return Nomenclature(
        "nom-2024",
        "org-1",
        2024,
        sections=(
            NomenclatureSection("01", "Приёмная"),
            NomenclatureSection("02", "Отдел кадров", department_id="dept-2"),
        ),
        cases=(
            case("c1", "01-01", "Постоянно ст. 19а"),
            case("c2", "01-02", "5 лет ЭПК ст. 27"),
            case("c10", "01-10", "1 год"),
            case("c3", "02-01", "75 лет ЭПК", section="02", volumes=3),
            case("c4", "02-02", "До минования надобности", section="02", notes="Копии"),
        ),
        approved_on=pendulum.date(2023, 12, 20),
    )


@pytest.fixture
def nom() -> Nomenclature:
    return make_nom()


# --- construction -------------------------------------------------------------------------------


def test_lookups(nom: Nomenclature) -> None:
    assert nom.case_by_id("c2").index == "01-02"
    assert nom.case_by_index("02-01").id == "c3"
    assert nom.section_by_code("02").department_id == "dept-2"
    assert [c.index for c in nom.cases_in_section("01")] == ["01-01", "01-02", "01-10"]
    with pytest.raises(NotFound):
        nom.case_by_id("nope")
    with pytest.raises(NotFound):
        nom.case_by_index("01-99")
    with pytest.raises(NotFound):
        nom.section_by_code("03")
    with pytest.raises(NotFound):
        nom.cases_in_section("03")


def test_fields_are_exactly_the_constructor_arguments(nom: Nomenclature) -> None:
    # Serialisers walk attrs.fields; the lookup tables must not show up there.
    names = [a.name for a in attrs.fields(Nomenclature)]
    assert names == ["id", "organisation_id", "year", "sections", "cases", "approved_on"]
    rebuilt = Nomenclature(**{name: getattr(nom, name) for name in names})
    assert rebuilt == nom
    assert hash(rebuilt) == hash(nom)


def test_natural_index_order_in_sections() -> None:
    cases = [case(f"c{n}", f"01-{n}") for n in (10, 2, 1, 21)]
    n = Nomenclature("n", "org", 2024, [NomenclatureSection("01", "Отдел")], cases)
    assert [c.index for c in n.cases_in_section("01")] == ["01-1", "01-2", "01-10", "01-21"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": ""}, "id"),
        ({"organisation_id": "org 1"}, "organisation_id"),
        ({"year": 1800}, "year"),
        ({"year": True}, "year"),
        ({"sections": (NomenclatureSection("01", "A"), NomenclatureSection("01", "B"))}, "code"),
        ({"cases": (case("x", "01-01"), case("x", "01-02"))}, "cases.1.id"),
        ({"cases": (case("x", "01-01"), case("y", "01-01"))}, "cases.1.index"),
        ({"cases": (case("x", "03-01", section="03"),)}, "cases.0.section_code"),
        ({"cases": ("01-01",)}, "cases.0"),
        ({"sections": ("01",)}, "sections.0"),
        ({"cases": (case("x", "01-01", closed_on=pendulum.date(2025, 1, 2)),)}, "closed_on"),
        ({"cases": (case("x", "01-01", carried_over_from=2024),)}, "carried_over_from"),
        ({"cases": (case("x", "01-01", carried_over_to=2026),)}, "carried_over_to"),
        (
            {
                "cases": (
                    case("x", "01-01", carried_over_to=2025, closed_on=pendulum.date(2024, 12, 30)),
                )
            },
            "closed_on",
        ),
        ({"approved_on": pendulum.date(2025, 1, 10)}, "approved_on"),
        ({"approved_on": pendulum.date(2018, 12, 31)}, "approved_on"),
        ({"approved_on": pendulum.datetime(2023, 12, 20)}, "approved_on"),
    ],
)
def test_invalid_nomenclature_names_the_field(
    nom: Nomenclature, change: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(nom, **change)  # type: ignore[arg-type]
    assert caught.value.field.endswith(field), caught.value.field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"index": ""}, "index"),
        ({"index": "01 12"}, "index"),
        ({"index": "0" * 51}, "index"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 2001}, "title"),
        ({"id": 5}, "id"),
        ({"volumes": 0}, "volumes"),
        ({"volumes": True}, "volumes"),
        ({"retention": "5 лет"}, "retention"),
        ({"notes": "a\x00b"}, "notes"),
        ({"carried_over_from": 2025, "carried_over_to": 2025}, "carried_over_to"),
        ({"carried_over_to": 2301}, "carried_over_to"),
        ({"closed_on": "2024-05-01"}, "closed_on"),
        ({"closed_on": pendulum.datetime(2024, 5, 1)}, "closed_on"),
        ({"closed_on": pendulum.date(2023, 5, 1), "carried_over_from": 2023}, "closed_on"),
    ],
)
def test_invalid_case_names_the_field(kwargs: dict[str, object], field: str) -> None:
    base: dict[str, object] = {
        "id": "c1",
        "index": "01-01",
        "title": "Приказы",
        "section_code": "01",
        "retention": parse_retention("Постоянно"),
    }
    with pytest.raises(ValidationError) as caught:
        Case(**(base | kwargs))  # type: ignore[arg-type]
    assert caught.value.field == field


@given(invalid_nomenclature_arguments())
def test_any_broken_rule_is_refused_naming_the_field(broken: tuple[dict[str, Any], str]) -> None:
    arguments, field = broken
    with pytest.raises(ValidationError) as caught:
        Nomenclature(**arguments)
    assert caught.value.field.split(".")[-1] == field, caught.value


def test_standard_library_dates_are_accepted() -> None:
    c = case("c", "01-01", closed_on=datetime.date(2024, 3, 1))
    assert isinstance(c.closed_on, pendulum.Date)
    assert c.closed_on == pendulum.date(2024, 3, 1)


def test_index_convention() -> None:
    assert make_case_index("01", 12) == "01-12"
    assert make_case_index("05", 3) == "05-03"
    assert make_case_index("10", 123) == "10-123"
    with pytest.raises(ValidationError):
        make_case_index("01", 0)
    with pytest.raises(ValidationError):
        make_case_index("0 1", 1)


# --- closing and carry-over ---------------------------------------------------------------------


def test_close_case(nom: Nomenclature) -> None:
    closed = nom.close_case("c2", pendulum.date(2024, 11, 5))
    assert closed.case_by_id("c2").is_closed
    assert closed.case_by_id("c2").closed_on == pendulum.date(2024, 11, 5)
    assert not nom.case_by_id("c2").is_closed  # the original is untouched
    assert [c.id for c in closed.cases] == [c.id for c in nom.cases]  # same place
    with pytest.raises(StateError):
        closed.close_case("c2", pendulum.date(2024, 12, 1))


@pytest.mark.parametrize("on", [pendulum.date(2023, 12, 31), pendulum.date(2025, 1, 1)])
def test_close_outside_the_year_is_refused(nom: Nomenclature, on: pendulum.Date) -> None:
    with pytest.raises(ValidationError) as caught:
        nom.close_case("c2", on)
    assert caught.value.field == "on"


def test_close_refuses_a_date_and_time(nom: Nomenclature) -> None:
    with pytest.raises(ValidationError) as caught:
        nom.close_case("c2", pendulum.datetime(2024, 5, 1, 12))
    assert caught.value.field == "on"


def test_close_unknown_case(nom: Nomenclature) -> None:
    with pytest.raises(NotFound):
        nom.close_case("nope", pendulum.date(2024, 5, 1))


@settings(max_examples=150)
@given(
    st.lists(st.sampled_from(["c1", "c2", "c10", "c3", "c4", "nope"]), max_size=7),
    st.sampled_from(
        [pendulum.date(2024, 12, 31), pendulum.date(2024, 3, 1), pendulum.date(2025, 1, 1)]
    ),
    st.sampled_from(["", "c4"]),
)
def test_close_cases_equals_closing_one_by_one(
    ids: list[str], on: pendulum.Date, carried: str
) -> None:
    """Closing several cases at once gives what closing them one by one gives, or its error."""
    start = make_nom()
    if carried:
        start = start.carry_over(carried)

    def outcome(close: Any) -> object:
        try:
            return close()
        except (StateError, ValidationError, NotFound) as error:
            return (type(error), str(error))

    def one_by_one() -> Nomenclature:
        current = start
        for case_id in ids:
            current = current.close_case(case_id, on)
        return current

    assert outcome(lambda: start.close_cases(ids, on)) == outcome(one_by_one)


def test_carry_over(nom: Nomenclature) -> None:
    carried = nom.carry_over("c2")
    c2 = carried.case_by_id("c2")
    assert c2.carried_over_to == 2025
    assert c2.is_carried_over
    assert c2.remark == "Переходящее на 2025 г."
    with pytest.raises(StateError):
        carried.carry_over("c2")
    # A carried-over case closes in the next year, not in this one.
    with pytest.raises(ValidationError):
        carried.close_case("c2", pendulum.date(2024, 12, 30))
    later = carried.close_case("c2", pendulum.date(2025, 3, 1))
    assert later.case_by_id("c2").closed_on == pendulum.date(2025, 3, 1)


def test_closed_case_is_not_carried_over(nom: Nomenclature) -> None:
    closed = nom.close_case("c1", pendulum.date(2024, 12, 31))
    with pytest.raises(StateError):
        closed.carry_over("c1")


def test_remark_combines_marks_and_notes() -> None:
    c = case("c", "01-01", carried_over_from=2022, carried_over_to=2025, notes=" Копии ")
    assert c.remark == "Переходящее с 2022 г.; Переходящее на 2025 г.; Копии"


def test_with_case_adds_or_replaces(nom: Nomenclature) -> None:
    added = nom.with_case(case("c5", "02-03", section="02"))
    assert added.case_by_index("02-03").id == "c5"
    renamed = nom.with_case(attrs.evolve(nom.case_by_id("c1"), title="Приказы директора"))
    assert renamed.case_by_id("c1").title == "Приказы директора"
    assert len(renamed.cases) == len(nom.cases)
    with pytest.raises(ValidationError):
        nom.with_case(case("c9", "01-01"))  # index taken
    with pytest.raises(ValidationError):
        nom.with_case("c9")  # type: ignore[arg-type]


def test_with_section(nom: Nomenclature) -> None:
    more = nom.with_section(NomenclatureSection("03", "Бухгалтерия"))
    assert more.section_by_code("03").title == "Бухгалтерия"
    renamed = nom.with_section(NomenclatureSection("01", "Секретариат"))
    assert renamed.section_by_code("01").title == "Секретариат"
    assert [s.code for s in renamed.sections] == ["01", "02"]


def test_approve(nom: Nomenclature) -> None:
    assert nom.approve(datetime.date(2024, 1, 9)).approved_on == pendulum.date(2024, 1, 9)


# --- next year ----------------------------------------------------------------------------------


def test_copy_to_next_year(nom: Nomenclature) -> None:
    year_end = nom.close_case("c1", pendulum.date(2024, 12, 28)).carry_over("c2").carry_over("c3")
    year_end = year_end.close_case("c3", pendulum.date(2025, 2, 1))  # carried, closed later
    nxt = year_end.copy_to_next_year("nom-2025")
    assert (nxt.id, nxt.organisation_id, nxt.year, nxt.approved_on) == (
        "nom-2025",
        "org-1",
        2025,
        None,
    )
    assert nxt.sections == nom.sections
    assert [c.index for c in nxt.cases] == [c.index for c in nom.cases]
    assert all(not c.is_closed and not c.is_carried_over for c in nxt.cases)
    assert nxt.case_by_index("01-02").carried_over_from == 2024
    assert nxt.case_by_index("01-02").remark == "Переходящее с 2024 г."
    assert nxt.case_by_index("01-01").carried_over_from is None
    assert nxt.case_by_index("02-01").carried_over_from is None  # it ended: a fresh case
    assert nxt.case_by_index("02-01").volumes == 1
    assert nxt.case_by_index("02-02").notes == "Копии"
    assert nxt.case_by_index("01-02").id == "nom-2025/01-02"


def test_copy_keeps_the_first_year_of_a_long_carry_over() -> None:
    n = Nomenclature(
        "n",
        "org",
        2024,
        [NomenclatureSection("01", "Отдел")],
        [case("c", "01-01", carried_over_from=2022, carried_over_to=2025, volumes=4)],
    )
    nxt = n.copy_to_next_year("n2", case_ids=lambda c: c.id + "-2025")
    copied = nxt.case_by_index("01-01")
    assert (copied.id, copied.carried_over_from, copied.volumes) == ("c-2025", 2022, 4)


def test_copy_with_colliding_case_ids_is_refused(nom: Nomenclature) -> None:
    with pytest.raises(ValidationError):
        nom.copy_to_next_year("n2", case_ids=lambda c: "same")


@settings(max_examples=60)
@given(nomenclatures())
def test_copy_to_next_year_properties(n: Nomenclature) -> None:
    nxt = n.copy_to_next_year(f"{n.id}-next")
    assert nxt.year == n.year + 1
    assert {c.index for c in nxt.cases} == {c.index for c in n.cases}
    for old in n.cases:
        new = nxt.case_by_index(old.index)
        assert not new.is_closed
        assert new.carried_over_to is None
        assert new.retention == old.retention
        continues = old.carried_over_to is not None and not old.is_closed
        assert (new.carried_over_from is not None) == continues
        if continues:
            assert new.carried_over_from == (old.carried_over_from or n.year)


@settings(max_examples=60)
@given(nomenclatures(), st.data())
def test_close_any_open_case(n: Nomenclature, data: st.DataObject) -> None:
    open_cases = [c for c in n.cases if not c.is_closed and not c.is_carried_over]
    if not open_cases:
        return
    target = data.draw(st.sampled_from(open_cases))
    day = pendulum.date(n.year, 1, 1).add(days=data.draw(st.integers(0, 364)))
    closed = n.close_case(target.id, day)
    assert closed.case_by_id(target.id).closed_on == day
    assert [c for c in closed.cases if c.id != target.id] == [
        c for c in n.cases if c.id != target.id
    ]
    with pytest.raises(StateError):
        closed.close_case(target.id, day)


# --- reports ------------------------------------------------------------------------------------


def test_year_end_summary(nom: Nomenclature) -> None:
    summary = nom.carry_over("c2").year_end_summary()
    assert summary.year == 2024
    assert summary.permanent == CategoryCount(total=1, carried_over=0, epk=0)
    assert summary.temporary_over_10 == CategoryCount(total=3, carried_over=0, epk=3)
    assert summary.temporary_up_to_10 == CategoryCount(total=3, carried_over=1, epk=1)
    assert summary.total == CategoryCount(total=7, carried_over=1, epk=4)
    assert summary.for_category(RetentionCategory.PERMANENT) == summary.permanent


@given(nomenclatures())
def test_summary_adds_up(n: Nomenclature) -> None:
    summary = n.year_end_summary()
    assert summary.total.total == sum(c.volumes for c in n.cases)
    assert summary.total.carried_over == sum(c.volumes for c in n.cases if c.is_carried_over)
    assert summary.total.epk == sum(c.volumes for c in n.cases if c.retention.epk)
    assert summary.permanent.epk == 0
    for category in RetentionCategory:
        row = summary.for_category(category)
        assert row.total == sum(c.volumes for c in n.cases if c.retention.category is category)
        assert row.carried_over <= row.total
        assert row.epk <= row.total


def test_destruction_candidates() -> None:
    n = Nomenclature(
        "n",
        "org",
        2017,
        [NomenclatureSection("01", "Отдел")],
        [
            case("a", "01-01", "5 лет", closed_on=pendulum.date(2017, 4, 10)),
            case("b", "01-02", "5 лет ЭПК", closed_on=pendulum.date(2017, 12, 29)),
            case("c", "01-03", "1 год", closed_on=pendulum.date(2017, 6, 1)),
            case("d", "01-04", "Постоянно", closed_on=pendulum.date(2017, 6, 1)),
            case("e", "01-05", "До минования надобности", closed_on=pendulum.date(2017, 6, 1)),
            case("f", "01-06", "1 год"),  # still open
            case("g", "01-07", "10 лет", closed_on=pendulum.date(2017, 6, 1)),
        ],
    )
    # Closed in 2017 with 5 years: counting from 01.01.2018, run out on 01.01.2023.
    assert [c.id for c in n.destruction_candidates(2022).cases] == ["c"]
    in_2023 = n.destruction_candidates(2023)
    assert [c.id for c in in_2023.cases] == ["a", "c"]
    assert [c.id for c in in_2023.expert_review] == ["b"]
    assert in_2023.act_year == 2023
    assert not n.destruction_candidates(2018)
    assert n.destruction_candidates(2019)
    assert n.case_by_id("a").disposal_year == 2023
    assert n.case_by_id("f").disposal_year is None
    with pytest.raises(ValidationError):
        n.destruction_candidates(1066)


@given(nomenclatures(), st.integers(1990, 2200))
def test_destruction_candidates_properties(n: Nomenclature, act_year: int) -> None:
    found = n.destruction_candidates(act_year)
    listed = {c.id for c in found.cases} | {c.id for c in found.expert_review}
    for c in n.cases:
        due = c.disposal_year is not None and c.disposal_year <= act_year
        assert (c.id in listed) == due
    assert all(c.retention.epk for c in found.expert_review)
    assert not any(c.retention.epk for c in found.cases)
    assert all(c.retention.kind is RetentionKind.YEARS for c in found.cases)
    if act_year < 2200:
        later = n.destruction_candidates(act_year + 1)
        assert {c.id for c in found.cases} <= {c.id for c in later.cases}


# --- exports ------------------------------------------------------------------------------------


def test_text_table(nom: Nomenclature) -> None:
    text = render_nomenclature_table(nom.carry_over("c2"))
    assert text.startswith("НОМЕНКЛАТУРА ДЕЛ\nна 2024 год\nУтверждена 20.12.2023\n")
    assert "Индекс" in text
    assert "Примечание" in text
    assert text.index("01. Приёмная") < text.index("01-10") < text.index("02. Отдел кадров")
    assert text.index("01-02") < text.index("01-10")
    assert "Переходящее на 2025 г." in text
    assert "5 лет ЭПК ст. 27" in text
    widths = {len(line) for line in text.splitlines()[4:]}
    assert len(widths) == 1, "every table line has the same width"


def test_csv_table(nom: Nomenclature) -> None:
    rows = list(csv.reader(io.StringIO(render_nomenclature_table(nom, fmt="csv"))))
    assert rows[0][0] == "Индекс дела"
    assert len(rows[0]) == 5
    assert rows[1] == ["", "01. Приёмная", "", "", ""]
    assert rows[2] == ["01-01", "Дело 01-01", "1", "Постоянно ст. 19а", ""]
    assert rows[-1] == ["02-02", "Дело 02-02", "1", "До минования надобности", "Копии"]


def test_unknown_format_is_refused(nom: Nomenclature) -> None:
    with pytest.raises(ValidationError):
        render_nomenclature_table(nom, fmt="xml")  # type: ignore[arg-type]


@settings(max_examples=50)
@given(nomenclatures())
def test_csv_export_round_trips_every_case(n: Nomenclature) -> None:
    rows = list(csv.reader(io.StringIO(render_nomenclature_table(n, fmt="csv"))))
    assert len(rows) == 1 + len(n.sections) + len(n.cases)
    case_rows = [row for row in rows[1:] if row[0]]
    assert len(case_rows) == len(n.cases)
    for index, title, volumes, retention, remark in case_rows:
        c = n.case_by_index(index)
        assert (title, int(volumes), remark) == (c.title, c.volumes, c.remark)
        assert parse_retention(retention) == c.retention
    text = render_nomenclature_table(n)
    assert all(c.index in text for c in n.cases)
    table = text.splitlines()[text.splitlines().index("") + 1 :]
    assert len({len(line) for line in table}) == 1, "every table line has the same width"


def test_summary_text(nom: Nomenclature) -> None:
    text = render_year_end_summary(nom.year_end_summary())
    assert "заведённых в 2024 году" in text
    lines = text.splitlines()
    total = next(line for line in lines if line.startswith("| Итого"))
    assert [cell.strip() for cell in total.strip("|").split("|")] == ["Итого", "7", "0", "4"]


# --- documentation runs -------------------------------------------------------------------------


def test_docs_page_examples_run() -> None:
    result = doctest.testfile(
        str(DOCS), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 10
    assert result.failed == 0


def test_docstring_examples_run() -> None:
    from edmscore.registry import _nomenclature_case

    for module in (_nomenclature_case, nomenclature_module):
        result = doctest.testmod(module)
        assert result.failed == 0
