"""Working-day arithmetic: properties over 2015–2026 and hand-checked examples."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.calendar import ProductionCalendar, YearData, YearStatus, russian_calendar
from edmscore.errors import CalendarError, CalendarYearMissing, ValidationError

D = dt.date
CAL = russian_calendar()
SHIPPED = russian_calendar(statutory_years=0)
"""Only the years whose decree ships (2015–2027), no statutory years after them."""
# Keep clear of the edges so that |n| working days always stay inside 2015–2026.
dates = st.dates(min_value=D(2015, 3, 1), max_value=D(2026, 10, 31))
steps = st.integers(min_value=-30, max_value=30)
SETTINGS = settings(max_examples=300, deadline=None)


def _slow_add(day: dt.date, n: int) -> dt.date:
    """Day-by-day reference the index must agree with."""
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        day += step
        if CAL.is_working_day(day):
            left -= 1
    return day


@SETTINGS
@given(dates, steps.filter(bool))
def test_add_lands_on_a_working_day(day: dt.date, n: int) -> None:
    assert CAL.is_working_day(CAL.add_working_days(day, n))


@SETTINGS
@given(dates, steps)
def test_between_inverts_add(day: dt.date, n: int) -> None:
    assert CAL.working_days_between(day, CAL.add_working_days(day, n)) == n


@SETTINGS
@given(dates, steps)
def test_add_agrees_with_a_day_by_day_walk(day: dt.date, n: int) -> None:
    assert CAL.add_working_days(day, n) == _slow_add(day, n)


@SETTINGS
@given(dates, steps, steps)
def test_add_is_monotonic_in_n(day: dt.date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert CAL.add_working_days(day, low) <= CAL.add_working_days(day, high)
    if low < high and low != 0:
        assert CAL.add_working_days(day, low) < CAL.add_working_days(day, high)


@SETTINGS
@given(dates)
def test_next_and_previous_round_trip(day: dt.date) -> None:
    working = CAL.roll_forward(day)
    assert CAL.next_working_day(CAL.previous_working_day(working)) == working
    assert CAL.previous_working_day(CAL.next_working_day(working)) == working
    assert CAL.next_working_day(day) > day > CAL.previous_working_day(day)


@SETTINGS
@given(dates, dates)
def test_count_is_the_number_of_working_days(a: dt.date, b: dt.date) -> None:
    start, end = sorted((a, b))
    if (end - start).days > 400:
        end = start + dt.timedelta(days=400)
    expected = sum(
        1 for i in range((end - start).days + 1) if CAL.is_working_day(start + dt.timedelta(i))
    )
    assert CAL.count_working_days(start, end) == expected
    assert len(list(CAL.working_days(start, end))) == expected


@SETTINGS
@given(st.integers(min_value=2015, max_value=2025), steps.filter(bool))
def test_crossing_year_boundaries(year: int, n: int) -> None:
    day = D(year, 12, 31) if n > 0 else D(year + 1, 1, 1)
    result = CAL.add_working_days(day, n)
    assert result.year == (year + 1 if n > 0 else year)
    assert CAL.working_days_between(day, result) == n


def test_hand_checked_examples() -> None:
    # 30 April 2025 (Wed) + 1: 1–4 May off, 5 May Monday.
    assert CAL.add_working_days(D(2025, 4, 30), 1) == D(2025, 5, 5)
    # The New Year: 31 Dec 2025 is a day off, 1–11 January 2026 too.
    assert CAL.add_working_days(D(2025, 12, 30), 1) == D(2026, 1, 12)
    assert CAL.add_working_days(D(2026, 1, 12), -1) == D(2025, 12, 30)
    # Saturday 1 November 2025 is a working day.
    assert CAL.add_working_days(D(2025, 10, 31), 1) == D(2025, 11, 1)
    assert CAL.count_working_days(D(2025, 1, 1), D(2025, 12, 31)) == 247
    assert CAL.count_working_days(D(2025, 5, 1), D(2025, 5, 11)) == 3  # 5, 6, 7 May


def test_zero_steps_keep_the_day() -> None:
    assert CAL.add_working_days(D(2025, 1, 1), 0) == D(2025, 1, 1)
    assert CAL.working_days_between(D(2025, 1, 1), D(2025, 1, 1)) == 0


def test_results_are_pendulum_dates() -> None:
    assert isinstance(CAL.add_working_days(D(2025, 4, 30), 1), pendulum.Date)
    assert isinstance(CAL.next_working_day(D(2025, 4, 30)), pendulum.Date)


def test_datetimes_are_refused() -> None:
    with pytest.raises(ValidationError) as info:
        CAL.is_working_day(dt.datetime(2025, 1, 1, 12))
    assert info.value.field == "day"


def test_count_with_reversed_bounds_is_refused() -> None:
    with pytest.raises(ValidationError):
        CAL.count_working_days(D(2025, 2, 1), D(2025, 1, 1))


def test_walking_off_the_data_is_an_error() -> None:
    with pytest.raises(CalendarYearMissing):
        CAL.add_working_days(D(2015, 1, 12), -10)
    with pytest.raises(CalendarYearMissing):
        SHIPPED.next_working_day(D(2027, 12, 30))
    with pytest.raises(CalendarYearMissing):
        SHIPPED.working_days_between(D(2027, 1, 1), D(2028, 1, 1))
    with pytest.raises(CalendarYearMissing):
        CAL.working_days_between(D(2027, 1, 1), D(CAL.last_year + 1, 1, 1))


def test_weekend_fallback_only_on_request() -> None:
    wider = SHIPPED.with_weekend_fallback(2010, 2030)
    assert (wider.first_year, wider.last_year) == (2010, 2030)
    assert wider.years[2030].status is YearStatus.FALLBACK
    assert wider.years[2025].status is YearStatus.OFFICIAL
    assert wider.is_working_day(D(2030, 1, 1))  # no holidays known: a plain Tuesday
    assert wider.count_working_days(D(2030, 1, 1), D(2030, 12, 31)) == 261
    assert wider.add_working_days(D(2027, 12, 30), 1) == D(2028, 1, 3)
    with pytest.raises(CalendarYearMissing):
        wider.is_working_day(D(2031, 1, 1))


def test_gaps_and_empty_calendars_are_refused() -> None:
    with pytest.raises(CalendarError, match="contiguous"):
        ProductionCalendar([YearData.weekends_only(2020), YearData.weekends_only(2022)])
    with pytest.raises(CalendarError):
        ProductionCalendar([])


def test_inconsistent_year_data_is_refused() -> None:
    with pytest.raises(CalendarError, match="official total"):
        YearData(year=2030, status=YearStatus.IMPORTED, official_working_days=200)
    with pytest.raises(CalendarError, match="weekday"):
        YearData(year=2030, status=YearStatus.IMPORTED, working_weekends={D(2030, 1, 2)})
    with pytest.raises(CalendarError, match="day off"):
        YearData(year=2030, status=YearStatus.IMPORTED, shortened={D(2030, 1, 5)})
    with pytest.raises(CalendarError, match="outside"):
        YearData.weekends_only(9999)
    with pytest.raises(CalendarError, match="another year"):
        YearData(year=2030, status=YearStatus.IMPORTED, days_off={D(2031, 1, 1): "x"})
