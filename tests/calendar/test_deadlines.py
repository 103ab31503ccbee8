"""Deadline policies, presets, time zones and the due/overdue helpers."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.calendar import (
    APPEAL_REGISTRATION,
    APPEAL_REVIEW,
    APPEALS_59FZ,
    MONTHLY_REPORT,
    NO_TERM,
    OPERATIONAL,
    QUARTERLY_REPORT,
    SERVICE_COMPLAINT,
    SERVICE_COMPLAINT_REFUSAL,
    SERVICES_210FZ,
    STANDING,
    URGENT,
    VERY_URGENT,
    DayOffRule,
    DeadlinePolicy,
    FixedDate,
    Term,
    TermUnit,
    due_in_working_days,
    end_of_day,
    instruction_presets,
    is_overdue,
    overdue_by_working_days,
    russian_calendar,
)
from edmscore.errors import ValidationError

D = dt.date
CAL = russian_calendar()


def test_calendar_day_terms_count_from_the_next_day() -> None:
    # Registered on Monday 7 April 2025: 3 days end on Thursday 10 April.
    assert URGENT.due_date(D(2025, 4, 7), CAL) == D(2025, 4, 10)
    assert OPERATIONAL.due_date(D(2025, 4, 7), CAL) == D(2025, 4, 17)


def test_instructions_move_to_the_previous_working_day() -> None:
    # 7 May 2025 + 3 days = Saturday 10 May; 8 and 9 May are days off too.
    assert URGENT.due_date(D(2025, 5, 7), CAL) == D(2025, 5, 7)
    # One month from 1 May 2025 is Sunday 1 June: Friday 30 May.
    assert NO_TERM.due_date(D(2025, 5, 1), CAL) == D(2025, 5, 30)


def test_appeals_move_to_the_next_working_day() -> None:
    # Civil Code art. 193: 30 days from 1 April 2025 is 1 May (a holiday): Monday 5 May.
    assert APPEAL_REVIEW.due_date(D(2025, 4, 1), CAL) == D(2025, 5, 5)
    assert APPEAL_REGISTRATION.due_date(D(2025, 12, 29), CAL) == D(2026, 1, 12)


def test_one_month_is_the_same_date_or_the_months_last_day() -> None:
    assert NO_TERM.due_date(D(2025, 1, 31), CAL) == D(2025, 2, 28)
    assert NO_TERM.due_date(D(2024, 1, 31), CAL) == D(2024, 2, 29)
    assert NO_TERM.due_date(D(2025, 3, 31), CAL) == D(2025, 4, 30)


def test_working_day_terms() -> None:
    # 25 April 2025 (Fri) + 15 working days, skipping 1–4 and 8–11 May: 22 May.
    assert SERVICE_COMPLAINT.due_date(D(2025, 4, 25), CAL) == D(2025, 5, 22)
    assert SERVICE_COMPLAINT_REFUSAL.due_date(D(2025, 4, 25), CAL) == D(2025, 5, 6)
    # 11 June 2025 + 1 working day: 12 June holiday, 13 June transferred day off.
    assert VERY_URGENT.due_date(D(2025, 6, 11), CAL) == D(2025, 6, 16)


def test_reports_by_a_day_of_the_next_period() -> None:
    # 10 May 2025 is a Saturday; 8 and 9 May are days off: 7 May.
    assert MONTHLY_REPORT.due_date(D(2025, 4, 15), CAL) == D(2025, 5, 7)
    assert QUARTERLY_REPORT.due_date(D(2025, 2, 15), CAL) == D(2025, 4, 10)
    # 10 January 2026 falls in the holidays: back to Tuesday 30 December 2025.
    assert QUARTERLY_REPORT.due_date(D(2025, 12, 5), CAL) == D(2025, 12, 30)
    assert STANDING.due_date(D(2025, 3, 1), CAL) == D(2026, 1, 20)


def test_fixed_dates_and_the_keep_rule() -> None:
    policy = DeadlinePolicy("x", "Дата", FixedDate(D(2025, 5, 9)), DayOffRule.NEXT_WORKING_DAY)
    assert policy.due_date(D(2025, 1, 1), CAL) == D(2025, 5, 12)
    keep = DeadlinePolicy("y", "Дата", FixedDate(D(2025, 5, 9)), DayOffRule.KEEP)
    assert keep.due_date(D(2025, 1, 1), CAL) == D(2025, 5, 9)


def test_extension_is_bounded_by_the_law() -> None:
    due = APPEAL_REVIEW.due_date(D(2025, 4, 1), CAL)
    assert APPEAL_REVIEW.extend(due, Term.calendar_days(30), CAL) == D(2025, 6, 4)
    with pytest.raises(ValidationError) as info:
        APPEAL_REVIEW.extend(due, Term.calendar_days(31), CAL)
    assert info.value.field == "extension"
    with pytest.raises(ValidationError):
        URGENT.extend(due, Term.calendar_days(1), CAL)


def test_regional_variant_counts_working_days() -> None:
    presets = instruction_presets(TermUnit.WORKING_DAYS)
    assert presets["instruction.urgent"].term == Term.working_days(3)
    assert presets["instruction.operational"].term == Term.working_days(10)
    assert presets["instruction.no_term"].term == Term.months(1)
    assert presets["instruction.urgent"].due_date(D(2025, 5, 7), CAL) == D(2025, 5, 14)
    assert instruction_presets()["instruction.urgent"] == URGENT
    with pytest.raises(ValidationError):
        instruction_presets(TermUnit.MONTHS)


def test_presets_are_named_and_grounded() -> None:
    for policy in (*APPEALS_59FZ, *SERVICES_210FZ):
        assert policy.basis
        assert policy.day_off_rule is DayOffRule.NEXT_WORKING_DAY
    assert {p.term for p in APPEALS_59FZ} == {Term.calendar_days(n) for n in (3, 7, 5, 30, 20, 15)}
    assert {p.term for p in SERVICES_210FZ} == {Term.working_days(15), Term.working_days(5)}
    assert len({p.code for p in (*APPEALS_59FZ, *SERVICES_210FZ)}) == 8


def test_russian_descriptions() -> None:
    assert URGENT.describe() == "Срочно: 3 календарных дня"
    assert Term.calendar_days(1).describe() == "1 календарный день"
    assert Term.working_days(15).describe() == "15 рабочих дней"
    assert Term.working_days(21).describe() == "21 рабочий день"
    assert Term.calendar_days(11).describe() == "11 календарных дней"
    assert Term.months(1).describe() == "1 месяц"


def test_negative_terms_are_refused() -> None:
    with pytest.raises(ValidationError):
        Term.calendar_days(-1)


def test_deadline_is_the_end_of_day_in_the_organisations_zone() -> None:
    moment = end_of_day(D(2025, 5, 12), "Asia/Yekaterinburg")
    assert moment == pendulum.datetime(2025, 5, 12, 18, 59, 59, 999999, tz="UTC")
    due_moment = URGENT.due_moment(D(2025, 4, 7), CAL, "Europe/Moscow")
    assert due_moment.date() == D(2025, 4, 10)
    assert due_moment.timezone_name == "Europe/Moscow"


def test_overdue_depends_on_the_time_zone() -> None:
    due = D(2025, 5, 12)
    late_evening_moscow = pendulum.datetime(2025, 5, 12, 20, 30, tz="UTC")  # 23:30 MSK
    assert not is_overdue(due, late_evening_moscow, "Europe/Moscow")
    assert is_overdue(due, late_evening_moscow, "Asia/Vladivostok")  # 06:30 on 13 May
    with pytest.raises(ValidationError):
        is_overdue(due, dt.datetime(2025, 5, 13, 1, 0), "Europe/Moscow")


def test_due_in_and_overdue_by_working_days() -> None:
    assert due_in_working_days(D(2025, 5, 12), D(2025, 5, 7), CAL) == 1
    assert due_in_working_days(D(2025, 5, 7), D(2025, 5, 7), CAL) == 0
    assert due_in_working_days(D(2025, 5, 7), D(2025, 5, 12), CAL) == 0
    assert overdue_by_working_days(D(2025, 5, 7), D(2025, 5, 12), CAL) == 1
    assert overdue_by_working_days(D(2025, 5, 7), D(2025, 5, 14), CAL) == 3
    assert overdue_by_working_days(D(2025, 5, 12), D(2025, 5, 7), CAL) == 0


policies = st.sampled_from(
    [URGENT, OPERATIONAL, NO_TERM, MONTHLY_REPORT, *APPEALS_59FZ, *SERVICES_210FZ]
)


@settings(max_examples=200, deadline=None)
@given(policies, st.dates(min_value=D(2015, 1, 15), max_value=D(2025, 10, 31)))
def test_due_dates_are_working_days_on_the_right_side(
    policy: DeadlinePolicy, start: dt.date
) -> None:
    due = policy.due_date(start, CAL)
    raw = policy.term.last_day(start, CAL)
    assert CAL.is_working_day(due)
    if policy.day_off_rule is DayOffRule.NEXT_WORKING_DAY:
        assert due >= raw
    else:
        assert due <= raw
    assert CAL.count_working_days(min(due, raw), max(due, raw)) == 1
