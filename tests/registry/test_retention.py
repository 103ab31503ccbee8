"""Retention periods: parsing the standard list notation, canonical form, categories, disposal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.errors import RetentionFormatError, ValidationError
from edmscore.registry.retention import (
    MAX_RETENTION_YEARS,
    RetentionCategory,
    RetentionKind,
    RetentionPeriod,
    format_retention,
    parse_retention,
    personnel_retention,
    years_phrase,
)
from edmscore.testing.strategies import invalid_notations, retention_notations, retention_periods

Y = RetentionKind.YEARS


def years(n: int, epk: bool = False, *articles: str) -> RetentionPeriod:
    return RetentionPeriod(Y, n, epk, articles)


# --- parsing: known answers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Постоянно", RetentionPeriod(RetentionKind.PERMANENT)),
        ("5 лет ЭПК", years(5, True)),
        ("75 лет", years(75)),
        ("1 год", years(1)),
        ("3 года", years(3)),
        ("10 лет ЭПК", years(10, True)),
        ("До минования надобности", RetentionPeriod(RetentionKind.UNTIL_NO_LONGER_NEEDED)),
        ("ДМН", RetentionPeriod(RetentionKind.UNTIL_NO_LONGER_NEEDED)),
        ("До ликвидации организации", RetentionPeriod(RetentionKind.UNTIL_LIQUIDATION)),
        ("До замены новыми", RetentionPeriod(RetentionKind.UNTIL_REPLACED)),
        ("5 лет ЭПК ст. 16а", years(5, True, "16а")),
        ("5 лет ЭПК Ст. 16 а", years(5, True, "16а")),
        ("5 лет ЭПК, ст. 16а, 17б", years(5, True, "16а", "17б")),
        ("ст.ст. 16а; 17б 5 лет", years(5, False, "16а", "17б")),
        ("ст. 16а\n5 лет ЭПК", years(5, True, "16а")),
        ("Постоянно (ст. 19 а)", RetentionPeriod(RetentionKind.PERMANENT, articles=("19а",))),
        ("Постоянно1 ст.19а", RetentionPeriod(RetentionKind.PERMANENT, articles=("19а",))),
        ("Постоянно¹", RetentionPeriod(RetentionKind.PERMANENT)),
        ("5 лет ЭПК*", years(5, True)),
        ("5 лет ЭПК²", years(5, True)),
        ("1 год (1)", years(1)),
        ("  5  ЛЕТ   эпк  ", years(5, True)),
        ("5 лет Э.П.К.", years(5, True)),
        ("5 лет (ЭПК)", years(5, True)),
        ("5 лет ЭПK", years(5, True)),  # Latin K
        ("3 г.", years(3)),
        ("5 л.", years(5)),
        ("5 лет.", years(5)),
        ("3 лет", years(3)),  # a wrong plural is still clear
        ("10 лет ст. 16 и 17", years(10, False, "16", "17")),
        ("45 лет ЭПК ст. 1.2а", years(45, True, "1.2а")),
        (
            "До ликвидации организации ЭПК",
            RetentionPeriod(RetentionKind.UNTIL_LIQUIDATION, epk=True),
        ),
        ("постоянно ст. 16а перечня", RetentionPeriod(RetentionKind.PERMANENT, articles=("16а",))),
    ],
)
def test_parse_known_notations(text: str, expected: RetentionPeriod) -> None:
    assert parse_retention(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Хранить вечно", "unrecognised"),
        ("", "empty"),
        ("   ", "empty"),
        ("Постоянно ЭПК", "epk"),
        ("0 лет", "years"),
        ("101 год", "years"),
        ("5 лет ст. 16а, 16а", "articles"),
        ("ст. 16а 5 лет ст. 17", "unrecognised"),
        ("50/75 лет", "closed_year"),
        ("10/20 лет", "50/75"),
    ],
)
def test_unparseable_notation_raises_a_typed_error_quoting_it(text: str, message: str) -> None:
    with pytest.raises(RetentionFormatError) as caught:
        parse_retention(text)
    error = caught.value
    assert isinstance(error, ValidationError)
    assert isinstance(error, ValueError)
    assert error.field == "retention"
    assert error.text == text
    assert repr(text) in str(error)
    assert message in str(error)


def test_overlong_notation_is_refused_without_scanning() -> None:
    text = "5 лет " + "ЭПК " * 100
    with pytest.raises(RetentionFormatError, match="longer than"):
        parse_retention(text)


def test_non_string_is_refused() -> None:
    with pytest.raises(RetentionFormatError):
        parse_retention(5)  # type: ignore[arg-type]


def test_split_personnel_term_takes_the_closing_year() -> None:
    assert parse_retention("50/75 лет ЭПК ст. 445", closed_year=2002) == years(75, True, "445")
    assert parse_retention("50/75 лет ЭПК ст. 445", closed_year=2003) == years(50, True, "445")


def test_personnel_rule() -> None:
    assert personnel_retention(1998) == years(75)
    assert personnel_retention(2002).years == 75
    assert personnel_retention(2003).years == 50
    assert personnel_retention(2024, epk=True, articles=["445"]) == years(50, True, "445")


# --- property: round trip -----------------------------------------------------------------------


@given(retention_periods())
def test_parse_of_format_is_identity(period: RetentionPeriod) -> None:
    assert parse_retention(format_retention(period)) == period
    assert str(period) == format_retention(period)


@settings(max_examples=300)
@given(st.data())
def test_any_real_world_spelling_parses_to_the_period(data: st.DataObject) -> None:
    period = data.draw(retention_periods())
    text = data.draw(retention_notations(period))
    assert parse_retention(text) == period, text


@settings(max_examples=200)
@given(st.data())
def test_format_of_parse_is_canonical(data: st.DataObject) -> None:
    period = data.draw(retention_periods())
    text = data.draw(retention_notations(period))
    canonical = format_retention(parse_retention(text))
    assert canonical == format_retention(period)
    assert format_retention(parse_retention(canonical)) == canonical


@given(invalid_notations())
def test_invalid_notations_raise(text: str) -> None:
    with pytest.raises(RetentionFormatError) as caught:
        parse_retention(text)
    assert caught.value.text == text


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_arbitrary_text_either_parses_or_raises_the_typed_error(text: str) -> None:
    outcome: RetentionPeriod | RetentionFormatError
    try:
        outcome = parse_retention(text)
    except RetentionFormatError as error:
        outcome = error
    if isinstance(outcome, RetentionFormatError):
        assert outcome.text == text
    else:
        assert parse_retention(format_retention(outcome)) == outcome


# --- canonical form -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "phrase"),
    [
        (1, "1 год"),
        (2, "2 года"),
        (3, "3 года"),
        (4, "4 года"),
        (5, "5 лет"),
        (10, "10 лет"),
        (11, "11 лет"),
        (12, "12 лет"),
        (14, "14 лет"),
        (21, "21 год"),
        (22, "22 года"),
        (25, "25 лет"),
        (45, "45 лет"),
        (75, "75 лет"),
        (100, "100 лет"),
        (101, "101 год"),
        (111, "111 лет"),
    ],
)
def test_russian_plural(n: int, phrase: str) -> None:
    assert years_phrase(n) == phrase


def test_canonical_forms() -> None:
    assert format_retention(years(5, True, "16а", "17б")) == "5 лет ЭПК ст. 16а, 17б"
    assert format_retention(years(1)) == "1 год"
    assert format_retention(RetentionPeriod(RetentionKind.PERMANENT)) == "Постоянно"
    assert format_retention(RetentionPeriod(RetentionKind.UNTIL_REPLACED)) == "До замены новыми"
    assert RetentionKind.UNTIL_LIQUIDATION.label == "До ликвидации организации"
    assert RetentionKind.YEARS.label is None


# --- construction -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": Y}, "years"),
        ({"kind": Y, "years": 0}, "years"),
        ({"kind": Y, "years": -5}, "years"),
        ({"kind": Y, "years": MAX_RETENTION_YEARS + 1}, "years"),
        ({"kind": Y, "years": True}, "years"),
        ({"kind": Y, "years": 5.0}, "years"),
        ({"kind": RetentionKind.PERMANENT, "years": 5}, "years"),
        ({"kind": RetentionKind.PERMANENT, "epk": True}, "epk"),
        ({"kind": Y, "years": 5, "epk": 1}, "epk"),
        ({"kind": "years", "years": 5}, "kind"),
        ({"kind": Y, "years": 5, "articles": "16а"}, "articles"),
        ({"kind": Y, "years": 5, "articles": ("16 а",)}, "articles"),
        ({"kind": Y, "years": 5, "articles": ("16А",)}, "articles"),
        ({"kind": Y, "years": 5, "articles": ("ст. 16",)}, "articles"),
        ({"kind": Y, "years": 5, "articles": ("١٦",)}, "articles"),
        ({"kind": Y, "years": 5, "articles": ("16", "16")}, "articles"),
        ({"kind": Y, "years": 5, "articles": tuple(str(n) for n in range(1, 30))}, "articles"),
    ],
)
def test_invalid_period_names_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RetentionPeriod(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_articles_accept_any_iterable() -> None:
    assert RetentionPeriod(Y, 5, articles=["16а", "17"]).articles == ("16а", "17")


# --- categories and disposal --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "category"),
    [
        (RetentionPeriod(RetentionKind.PERMANENT), RetentionCategory.PERMANENT),
        (years(75, True), RetentionCategory.TEMPORARY_OVER_10),
        (years(15), RetentionCategory.TEMPORARY_OVER_10),
        (years(11), RetentionCategory.TEMPORARY_OVER_10),
        (years(10, True), RetentionCategory.TEMPORARY_UP_TO_10),
        (years(1), RetentionCategory.TEMPORARY_UP_TO_10),
        (RetentionPeriod(RetentionKind.UNTIL_LIQUIDATION), RetentionCategory.TEMPORARY_OVER_10),
        (
            RetentionPeriod(RetentionKind.UNTIL_NO_LONGER_NEEDED),
            RetentionCategory.TEMPORARY_UP_TO_10,
        ),
        (RetentionPeriod(RetentionKind.UNTIL_REPLACED), RetentionCategory.TEMPORARY_UP_TO_10),
    ],
)
def test_categories(period: RetentionPeriod, category: RetentionCategory) -> None:
    assert period.category is category
    assert category.label.endswith("хранения")


def test_disposal_year_counts_from_the_first_of_january_after_closing() -> None:
    # Closed in 2017 with five years: counting from 01.01.2018, run out on 01.01.2023.
    assert years(5).disposal_year(2017) == 2023
    assert years(1).disposal_year(2017) == 2019
    assert years(75, True).disposal_year(2002) == 2078


@pytest.mark.parametrize(
    "kind",
    [
        RetentionKind.PERMANENT,
        RetentionKind.UNTIL_LIQUIDATION,
        RetentionKind.UNTIL_NO_LONGER_NEEDED,
        RetentionKind.UNTIL_REPLACED,
    ],
)
def test_no_disposal_year_without_a_fixed_term(kind: RetentionKind) -> None:
    assert RetentionPeriod(kind).disposal_year(2017) is None


@pytest.mark.parametrize("closed_year", [1800, 3000, True, "2017"])
def test_disposal_year_checks_the_closing_year(closed_year: object) -> None:
    with pytest.raises(ValidationError) as caught:
        years(5).disposal_year(closed_year)  # type: ignore[arg-type]
    assert caught.value.field == "closed_year"


@given(retention_periods(kind=Y), st.integers(1900, 2100))
def test_disposal_year_is_after_the_full_term(period: RetentionPeriod, closed: int) -> None:
    disposal = period.disposal_year(closed)
    assert disposal is not None
    assert period.years is not None
    # Whole years from 1 January after closing to 1 January of the disposal year.
    assert disposal - (closed + 1) == period.years


def test_standard_terms() -> None:
    assert years(5).is_standard_term
    assert not years(7).is_standard_term
    assert RetentionPeriod(RetentionKind.PERMANENT).is_standard_term
