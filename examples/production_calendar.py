"""The production calendar and deadlines: a clerk's day in a ministry, in numbers."""

from __future__ import annotations

import datetime as dt

import pendulum

from edmscore.calendar import (
    APPEAL_REVIEW,
    SERVICE_COMPLAINT,
    URGENT,
    Overlay,
    Term,
    due_in_working_days,
    is_overdue,
    overdue_by_working_days,
    russian_calendar,
    to_xmlcalendar,
    year_summary,
)

calendar = russian_calendar()

summary = year_summary(calendar, 2025)
assert summary.decree is not None
print(
    f"2025: {summary.working_days} working days, {summary.days_off} days off, "
    f"{summary.working_hours:g} hours at 40 h/week (decree {summary.decree.cite()})"
)

signed = dt.date(2025, 4, 30)
print(f"one working day after {signed}: {calendar.add_working_days(signed, 1)}")
print(f"what is 2 May 2025? {calendar.info(dt.date(2025, 5, 2)).title}")

urgent = URGENT.due_date(dt.date(2025, 5, 7), calendar)
print(f"«Срочно» signed 7 May 2025 -> due {urgent} (10 May is a Saturday, 8–9 May days off)")

appeal = APPEAL_REVIEW.due_date(dt.date(2025, 4, 1), calendar)
extended = APPEAL_REVIEW.extend(appeal, Term.calendar_days(30), calendar)
print(f"appeal registered 1 April 2025 -> answer by {appeal}, extended to {extended}")

complaint = SERVICE_COMPLAINT.due_date(dt.date(2025, 4, 25), calendar)
print(f"210-FZ complaint of 25 April 2025 -> {SERVICE_COMPLAINT.term.describe()}: {complaint}")

now = pendulum.datetime(2025, 5, 12, 21, 30, tz="UTC")
moscow_today = now.in_tz("Europe/Moscow").date()
print(
    f"at {now.in_tz('Europe/Moscow')} is {urgent} overdue? {is_overdue(urgent, now)}; "
    f"by {overdue_by_working_days(urgent, moscow_today, calendar)} working day(s)"
)
print(
    f"working days left until {complaint} on 12 May: "
    f"{due_in_working_days(complaint, dt.date(2025, 5, 12), calendar)}"
)

start = pendulum.datetime(2025, 4, 30, 10, 0, tz="Europe/Moscow")
print(
    f"working time from {start} to 5 May 12:00: "
    f"{calendar.working_time_between(start, start.add(days=5, hours=2))}"
)

tatarstan = calendar.with_overlay(
    Overlay("Республика Татарстан", days_off={dt.date(2025, 6, 6): "Курбан-байрам"})
)
print(
    f"with a republic's holiday: "
    f"{tatarstan.count_working_days(dt.date(2025, 1, 1), dt.date(2025, 12, 31))} working days"
)

xml = to_xmlcalendar(calendar.years[2025]).decode()
print(
    f"xmlcalendar export: {len(xml.splitlines())} lines, first day entry: "
    f"{next(line.strip() for line in xml.splitlines() if '<day ' in line)}"
)
