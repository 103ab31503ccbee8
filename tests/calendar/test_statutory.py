"""Years without a loaded decree: the Labour Code's rules, and deadlines that reach them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.calendar import (
    APPEAL_REVIEW,
    OPERATIONAL,
    SERVICE_COMPLAINT,
    URGENT,
    DayOffRule,
    DeadlinePolicy,
    Term,
    YearStatus,
    russian_calendar,
    statutory_year,
)

CAL = russian_calendar()
LAST = CAL.last_year
D = dt.date

policies = st.sampled_from(
    [
        APPEAL_REVIEW,
        SERVICE_COMPLAINT,
        URGENT,
        OPERATIONAL,
        DeadlinePolicy("x.next", "x", Term.calendar_days(1), DayOffRule.NEXT_WORKING_DAY),
        DeadlinePolicy("x.prev", "x", Term.calendar_days(1), DayOffRule.PREVIOUS_WORKING_DAY),
        DeadlinePolicy("x.months", "x", Term.months(1), DayOffRule.NEXT_WORKING_DAY),
    ]
)
starts = st.dates(min_value=D(2026, 1, 1), max_value=D(LAST - 1, 10, 31))


@settings(max_examples=300, deadline=None)
@given(start=starts, policy=policies)
def test_deadlines_never_land_on_a_day_off_in_provisional_years(
    start: dt.date, policy: DeadlinePolicy
) -> None:
    deadline = policy.deadline(start, CAL)
    assert CAL.is_working_day(deadline.date)
    last = policy.term.last_day(start, CAL)  # the term's last day, before the day-off rule
    latest = max(start.year, last.year, deadline.date.year)
    assert deadline.provisional == (not CAL.is_confirmed(latest))


@settings(max_examples=60, deadline=None)
@given(year=st.integers(min_value=1900, max_value=2199))
def test_statutory_years_follow_article_112(year: int) -> None:
    data = statutory_year(year)
    assert data.status is YearStatus.STATUTORY
    assert not data.status.confirmed
    assert data.decree is None
    for day, hid in data.holidays.items():
        assert data.is_day_off(day)
        if day.weekday() >= 5 and hid > 2:  # a non-January holiday on a weekend moves
            assert day in {t.from_date for t in data.transfers}
    for transfer in data.transfers:
        assert transfer.automatic
        assert transfer.from_date.month != 1  # January weekend days move only by decree
        assert transfer.to_date.weekday() < 5
        assert transfer.to_date not in data.holidays
        assert transfer.to_date > transfer.from_date
    for day in data.shortened:
        assert not data.is_day_off(day)
        following = day + dt.timedelta(days=1)
        assert following in data.holidays or (following.month, following.day) == (1, 1)


def test_a_confirmed_span_is_not_provisional() -> None:
    assert not URGENT.deadline(D(2026, 12, 6), CAL).provisional
    deadline = APPEAL_REVIEW.deadline(D(2027, 12, 6), CAL)
    assert deadline.provisional
    assert deadline.mark() == "(предварительно)"
    assert deadline.date == D(2028, 1, 10)  # 5 Jan 2028 is a holiday; 10 Jan the next working day
