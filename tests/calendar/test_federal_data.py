"""The shipped federal data against the published figures of each year and its decree."""

from __future__ import annotations

import datetime as dt

import pytest

from edmscore.calendar import (
    DayKind,
    YearStatus,
    federal_years,
    russian_calendar,
    statutory_year,
    year_summary,
)
from edmscore.errors import CalendarYearMissing

D = dt.date

# Working days per year (Labour Ministry / consultant production calendars, 40-hour week hours).
OFFICIAL_TOTALS = {
    2015: (247, 1971),
    2016: (247, 1974),
    2017: (247, 1973),
    2018: (247, 1970),
    2019: (247, 1970),
    2020: (248, 1979),
    2021: (247, 1972),
    2022: (247, 1973),
    2023: (247, 1973),
    2024: (248, 1979),
    2025: (247, 1972),
    2026: (247, 1972),
}

# Working days per month, as printed in the production calendars of those years.
OFFICIAL_MONTHS = {
    2023: (17, 18, 22, 20, 20, 21, 21, 23, 21, 22, 21, 21),
    2024: (17, 20, 20, 21, 20, 19, 23, 22, 21, 23, 21, 21),
    2025: (17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22),
    2026: (15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22),
}

# From the facts table (shared/domain/calendar.md), read from each decree.
DECREES = {
    2023: ("1505", D(2022, 8, 29)),
    2024: ("1314", D(2023, 8, 10)),
    2025: ("1335", D(2024, 10, 4)),
    2026: ("1466", D(2025, 9, 24)),
    # Confirmed from the official publication record (№ 0001202609180037 of 18.09.2026).
    2027: ("1187", D(2026, 9, 17)),
}
TRANSFERS = {
    2023: {(D(2023, 1, 1), D(2023, 2, 24)), (D(2023, 1, 8), D(2023, 5, 8))},
    2024: {
        (D(2024, 1, 6), D(2024, 5, 10)),
        (D(2024, 1, 7), D(2024, 12, 31)),
        (D(2024, 4, 27), D(2024, 4, 29)),
        (D(2024, 11, 2), D(2024, 4, 30)),
        (D(2024, 12, 28), D(2024, 12, 30)),
    },
    2025: {
        (D(2025, 1, 4), D(2025, 5, 2)),
        (D(2025, 1, 5), D(2025, 12, 31)),
        (D(2025, 2, 23), D(2025, 5, 8)),
        (D(2025, 3, 8), D(2025, 6, 13)),
        (D(2025, 11, 1), D(2025, 11, 3)),
    },
    2026: {(D(2026, 1, 3), D(2026, 1, 9)), (D(2026, 1, 4), D(2026, 12, 31))},
    2027: {
        (D(2027, 1, 2), D(2027, 11, 5)),
        (D(2027, 1, 3), D(2027, 12, 31)),
        (D(2027, 2, 20), D(2027, 2, 22)),
    },
}
WORKING_WEEKENDS = {
    2023: set(),
    2024: {D(2024, 4, 27), D(2024, 11, 2), D(2024, 12, 28)},
    2025: {D(2025, 11, 1)},
    2026: set(),
    2027: {D(2027, 2, 20)},
}
SHORTENED = {
    2023: {D(2023, 2, 22), D(2023, 3, 7), D(2023, 11, 3)},
    2024: {D(2024, 2, 22), D(2024, 3, 7), D(2024, 5, 8), D(2024, 6, 11), D(2024, 11, 2)},
    2025: {D(2025, 3, 7), D(2025, 4, 30), D(2025, 6, 11), D(2025, 11, 1)},
    2026: {D(2026, 4, 30), D(2026, 5, 8), D(2026, 6, 11), D(2026, 11, 3)},
    2027: {D(2027, 2, 20), D(2027, 4, 30), D(2027, 6, 11), D(2027, 11, 3)},
}
NON_WORKING_WEEKDAYS = {
    2025: {
        *(D(2025, 1, d) for d in (1, 2, 3, 6, 7, 8)),
        *(D(2025, 5, d) for d in (1, 2, 8, 9)),
        D(2025, 6, 12),
        D(2025, 6, 13),
        D(2025, 11, 3),
        D(2025, 11, 4),
        D(2025, 12, 31),
    },
    2026: {
        *(D(2026, 1, d) for d in (1, 2, 5, 6, 7, 8, 9)),
        D(2026, 2, 23),
        D(2026, 3, 9),
        D(2026, 5, 1),
        D(2026, 5, 11),
        D(2026, 6, 12),
        D(2026, 11, 4),
        D(2026, 12, 31),
    },
}


@pytest.mark.parametrize("year", sorted(OFFICIAL_TOTALS))
def test_working_days_and_hours_per_year(year: int) -> None:
    summary = year_summary(russian_calendar(), year)
    assert (summary.working_days, summary.working_hours) == OFFICIAL_TOTALS[year]
    assert summary.working_days + summary.days_off == summary.calendar_days


@pytest.mark.parametrize("year", sorted(OFFICIAL_MONTHS))
def test_working_days_per_month(year: int) -> None:
    months = year_summary(russian_calendar(), year).months
    assert tuple(m.working_days for m in months) == OFFICIAL_MONTHS[year]


def test_36_hour_week_norm_of_2025() -> None:
    from edmscore.calendar import WorkNorm

    summary = year_summary(russian_calendar(norm=WorkNorm(36)), 2025)
    assert summary.working_hours == pytest.approx(1774.4)


@pytest.mark.parametrize("year", sorted(DECREES))
def test_decree_provenance(year: int) -> None:
    data = federal_years()[year]
    assert data.status is YearStatus.OFFICIAL
    assert data.decree is not None
    assert (data.decree.number, data.decree.date) == DECREES[year]
    assert data.decree.source.startswith("https://")


def test_every_shipped_year_carries_its_decree() -> None:
    years = federal_years()
    assert set(range(2015, 2027)) <= set(years)
    for data in years.values():
        assert data.decree is not None, data.year
        assert data.decree.date.year in (data.year - 1, data.year - 2), data.year


@pytest.mark.parametrize("year", sorted(TRANSFERS))
def test_transfers_of_the_decree(year: int) -> None:
    data = federal_years()[year]
    decreed = {(t.from_date, t.to_date) for t in data.transfers if not t.automatic}
    assert decreed == TRANSFERS[year]
    assert data.working_weekends == WORKING_WEEKENDS[year]


@pytest.mark.parametrize("year", sorted(SHORTENED))
def test_shortened_days(year: int) -> None:
    calendar = russian_calendar()
    assert federal_years()[year].shortened == SHORTENED[year]
    for day in SHORTENED[year]:
        assert calendar.kind(day) is DayKind.SHORTENED
        assert calendar.working_minutes(day) == 7 * 60


@pytest.mark.parametrize("year", sorted(NON_WORKING_WEEKDAYS))
def test_non_working_weekdays(year: int) -> None:
    calendar = russian_calendar()
    days = [D(year, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    found = {d for d in days if d.weekday() < 5 and not calendar.is_working_day(d)}
    assert found == NON_WORKING_WEEKDAYS[year]


def test_the_data_are_consistent_with_their_own_rules() -> None:
    calendar = russian_calendar(include_provisional=True)
    for data in federal_years().values():
        targets = {t.to_date for t in data.transfers}
        sources = {t.from_date for t in data.transfers}
        assert data.working_weekends <= sources, data.year
        for transfer in data.transfers:
            assert transfer.from_date.weekday() >= 5, transfer
            assert transfer.to_date.weekday() < 5, transfer
            assert transfer.from_date in data.holidays or transfer.from_date in (
                data.working_weekends
            )
        assert targets == set(data.days_off), data.year
        for day in data.shortened:
            following = day + dt.timedelta(days=1)
            assert day.year == 2026 or not calendar.is_working_day(following), day


def test_info_explains_days() -> None:
    calendar = russian_calendar()
    assert calendar.info(D(2025, 6, 12)).title == "День России"
    assert "04.01.2025" in calendar.info(D(2025, 5, 2)).title
    assert calendar.info(D(2025, 11, 1)).kind is DayKind.SHORTENED
    assert calendar.info(D(2025, 11, 1)).title.startswith("рабочий")
    assert calendar.info(D(2025, 3, 9)).kind is DayKind.WEEKEND


def test_2027_is_confirmed_by_its_decree() -> None:
    calendar = russian_calendar()
    data = calendar.years[2027]
    assert data.status is YearStatus.OFFICIAL
    assert calendar.is_confirmed(2027)
    assert 2027 not in calendar.provisional_years
    assert not calendar.is_working_day(D(2027, 2, 22))
    assert calendar.is_working_day(D(2027, 2, 20))
    assert not calendar.is_working_day(D(2027, 11, 5))
    assert not calendar.is_working_day(D(2027, 12, 31))


def test_a_year_without_its_decree_is_statutory_and_provisional() -> None:
    calendar = russian_calendar()
    data = calendar.years[2028]
    assert data.status is YearStatus.STATUTORY
    assert data.decree is None
    assert not calendar.is_confirmed(2028)
    assert calendar.is_provisional_between(D(2027, 12, 6), D(2028, 1, 10))
    assert not calendar.is_provisional_between(D(2026, 12, 6), D(2027, 1, 11))
    # The shipped-only calendar still refuses what it does not know.
    with pytest.raises(CalendarYearMissing):
        russian_calendar(statutory_years=0).is_working_day(D(2028, 1, 10))


def test_statutory_rules_differ_from_a_decree_only_where_the_decree_moves_days() -> None:
    # 2026's decree moves only the January weekend days (3 Jan → 9 Jan, 4 Jan → 31 Dec); the
    # automatic moves (8 Mar → 9 Mar, 9 May → 11 May) the statutory rules make by themselves.
    official, statutory = federal_years()[2026], statutory_year(2026)
    off = {d for d in official.days() if official.is_day_off(d)}
    rules = {d for d in statutory.days() if statutory.is_day_off(d)}
    assert off - rules == {D(2026, 1, 9), D(2026, 12, 31)}
    assert rules <= off
    assert {(t.from_date, t.to_date) for t in statutory.transfers} == {
        (D(2026, 3, 8), D(2026, 3, 9)),
        (D(2026, 5, 9), D(2026, 5, 11)),
    }
    # Art. 95: the working day before a holiday is shorter; 31 Dec is, unless a decree frees it.
    assert statutory.shortened == official.shortened | {D(2026, 12, 31)}


def test_january_weekend_holidays_do_not_move_without_a_decree() -> None:
    data = statutory_year(2028)  # 1–2 Jan 2028 are Saturday and Sunday
    assert not any(t.from_date.month == 1 for t in data.transfers)
    assert not data.is_day_off(D(2028, 1, 10))
    moved = {(t.from_date, t.to_date) for t in statutory_year(2033).transfers}
    assert (D(2033, 5, 1), D(2033, 5, 2)) in moved  # 1 May 2033 is a Sunday


def test_years_outside_the_data_are_errors() -> None:
    calendar = russian_calendar()
    for day in (D(2014, 12, 31), D(calendar.last_year + 1, 1, 3)):
        with pytest.raises(CalendarYearMissing):
            calendar.is_working_day(day)
    with pytest.raises(LookupError):
        calendar.add_working_days(D(calendar.last_year, 12, 31), 1)
