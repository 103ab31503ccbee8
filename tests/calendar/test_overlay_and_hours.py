"""Host overlays (regional holidays, an organisation's days) and working hours."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.calendar import DayKind, OfficeHours, Overlay, WorkNorm, russian_calendar
from edmscore.errors import CalendarYearMissing, ValidationError

D = dt.date
CAL = russian_calendar()

# Illustrative republic days for 2025 (a host takes them from the republic's own acts).
REGION = Overlay(
    "Республика Татарстан",
    days_off={D(2025, 6, 6): "Курбан-байрам", D(2025, 11, 6): "День Конституции РТ"},
)


def test_regional_days_off_are_laid_over_the_federal_calendar() -> None:
    regional = CAL.with_overlay(REGION)
    assert regional.count_working_days(D(2025, 1, 1), D(2025, 12, 31)) == 245
    assert regional.kind(D(2025, 6, 6)) is DayKind.DAY_OFF
    assert "Курбан-байрам" in regional.info(D(2025, 6, 6)).title
    assert regional.add_working_days(D(2025, 6, 5), 1) == D(2025, 6, 9)
    # The federal calendar itself is unchanged.
    assert CAL.is_working_day(D(2025, 6, 6))


def test_an_organisations_days() -> None:
    own = Overlay(
        "организация",
        days_off={D(2025, 4, 30): "день организации", D(2025, 6, 12): "совпадает с праздником"},
        working_days={D(2025, 4, 26): "отработка"},
        shortened={D(2025, 4, 29)},
    )
    calendar = CAL.with_overlay(own)
    assert not calendar.is_working_day(D(2025, 4, 30))  # was shortened, now off
    assert calendar.kind(D(2025, 6, 12)) is DayKind.HOLIDAY
    assert calendar.kind(D(2025, 4, 26)) is DayKind.WORKING
    assert calendar.kind(D(2025, 4, 29)) is DayKind.SHORTENED
    assert calendar.years[2025].official_working_days is None


def test_overlays_are_checked() -> None:
    with pytest.raises(CalendarYearMissing):
        CAL.with_overlay(Overlay("x", days_off={D(CAL.last_year + 1, 1, 9): "?"}))
    with pytest.raises(ValidationError):
        Overlay("x", working_days={D(2025, 4, 29): "a Tuesday"})
    with pytest.raises(ValidationError):
        Overlay("x", days_off={D(2025, 4, 26): "a"}, working_days={D(2025, 4, 26): "b"})


def test_working_time_between_two_moments() -> None:
    start = pendulum.datetime(2025, 4, 30, 10, 0, tz="Europe/Moscow")  # shortened: 09–16
    end = pendulum.datetime(2025, 5, 5, 12, 0, tz="Europe/Moscow")
    assert CAL.working_time_between(start, end) == dt.timedelta(hours=9)
    assert CAL.working_time_between(end, start) == -dt.timedelta(hours=9)
    # The same instants given in UTC.
    assert CAL.working_time_between(start.in_tz("UTC"), end.in_tz("UTC")) == dt.timedelta(hours=9)
    # Another zone and start of day.
    office = OfficeHours("Asia/Yekaterinburg", dt.time(8, 30))
    morning = pendulum.datetime(2025, 5, 5, 8, 30, tz="Asia/Yekaterinburg")
    assert CAL.working_time_between(morning, morning.add(days=1), office) == dt.timedelta(hours=8)


def test_a_36_hour_week() -> None:
    short_week = CAL.with_norm(WorkNorm(36))
    day = pendulum.datetime(2025, 5, 5, 0, 0, tz="Europe/Moscow")
    assert short_week.working_time_between(day, day.add(days=1)) == dt.timedelta(minutes=432)
    assert short_week.working_minutes(D(2025, 4, 30)) == 372


def test_bad_norms_and_naive_moments() -> None:
    with pytest.raises(ValidationError):
        WorkNorm(0)
    with pytest.raises(ValidationError):
        WorkNorm(39.99)
    with pytest.raises(ValidationError):
        OfficeHours("Mars/Olympus")
    with pytest.raises(ValidationError):
        CAL.working_time_between(dt.datetime(2025, 1, 9), dt.datetime(2025, 1, 10))


moments = st.datetimes(min_value=dt.datetime(2015, 1, 2), max_value=dt.datetime(2026, 12, 30)).map(
    lambda m: pendulum.instance(m, tz="Europe/Moscow")
)


@settings(max_examples=200, deadline=None)
@given(moments, moments, moments)
def test_working_time_adds_up(
    a: pendulum.DateTime, b: pendulum.DateTime, c: pendulum.DateTime
) -> None:
    ab = CAL.working_time_between(a, b)
    bc = CAL.working_time_between(b, c)
    assert ab + bc == CAL.working_time_between(a, c)
    if a <= b:
        assert ab >= dt.timedelta(0)
        assert ab <= (b - a) + dt.timedelta(seconds=1)
