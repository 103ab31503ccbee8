"""Production calendars (производственный календарь), working-day arithmetic and deadlines.

The federal calendar of Russia ships as package data, one entry per year with its decree::

    from edmscore.calendar import russian_calendar, URGENT

    calendar = russian_calendar()
    calendar.add_working_days(date(2025, 4, 30), 1)    # 2025-05-05
    URGENT.due_date(date(2025, 5, 7), calendar)        # 2025-05-07 (10 May is a Saturday)

See ``docs/calendar.md`` for the whole guide.
"""

from __future__ import annotations

from edmscore.calendar._calendar import DayInfo, DayKind, ProductionCalendar
from edmscore.calendar._deadlines import (
    DayOffRule,
    Deadline,
    DeadlineMove,
    DeadlinePolicy,
    FixedDate,
    NextPeriodDay,
    Period,
    Term,
    TermUnit,
    due_in_working_days,
    end_of_day,
    is_overdue,
    overdue_by_working_days,
)
from edmscore.calendar._federal import (
    STATUTORY_HORIZON,
    federal_years,
    russian_calendar,
    statutory_year,
)
from edmscore.calendar._files import load_calendar, read_calendar_file
from edmscore.calendar._model import Decree, Transfer, YearData, YearStatus
from edmscore.calendar._norm import OfficeHours, WorkNorm
from edmscore.calendar._overlay import Overlay
from edmscore.calendar._plainlist import from_plain_list, to_plain_list
from edmscore.calendar._presets import (
    APPEAL_MATERIALS,
    APPEAL_MIGRATION_FORWARD,
    APPEAL_REDIRECT,
    APPEAL_REGISTRATION,
    APPEAL_REVIEW,
    APPEAL_REVIEW_MIGRATION,
    APPEALS_59FZ,
    DRAFT_AGREEMENT,
    MONTHLY_REPORT,
    NO_TERM,
    OPERATIONAL,
    PARLIAMENTARY_INQUIRY,
    QUARTERLY_REPORT,
    SERVICE_COMPLAINT,
    SERVICE_COMPLAINT_REFUSAL,
    SERVICES_210FZ,
    STANDING,
    URGENT,
    VERY_URGENT,
    instruction_presets,
)
from edmscore.calendar._summary import MonthSummary, YearSummary, month_summary, year_summary
from edmscore.calendar._xmlcalendar import (
    from_xmlcalendar,
    from_xmlcalendar_json,
    to_xmlcalendar,
    to_xmlcalendar_json,
)

__all__ = [
    "APPEALS_59FZ",
    "APPEAL_MATERIALS",
    "APPEAL_MIGRATION_FORWARD",
    "APPEAL_REDIRECT",
    "APPEAL_REGISTRATION",
    "APPEAL_REVIEW",
    "APPEAL_REVIEW_MIGRATION",
    "DRAFT_AGREEMENT",
    "MONTHLY_REPORT",
    "NO_TERM",
    "OPERATIONAL",
    "PARLIAMENTARY_INQUIRY",
    "QUARTERLY_REPORT",
    "SERVICES_210FZ",
    "SERVICE_COMPLAINT",
    "SERVICE_COMPLAINT_REFUSAL",
    "STANDING",
    "STATUTORY_HORIZON",
    "URGENT",
    "VERY_URGENT",
    "DayInfo",
    "DayKind",
    "DayOffRule",
    "Deadline",
    "DeadlineMove",
    "DeadlinePolicy",
    "Decree",
    "FixedDate",
    "MonthSummary",
    "NextPeriodDay",
    "OfficeHours",
    "Overlay",
    "Period",
    "ProductionCalendar",
    "Term",
    "TermUnit",
    "Transfer",
    "WorkNorm",
    "YearData",
    "YearStatus",
    "YearSummary",
    "due_in_working_days",
    "end_of_day",
    "federal_years",
    "from_plain_list",
    "from_xmlcalendar",
    "from_xmlcalendar_json",
    "instruction_presets",
    "is_overdue",
    "load_calendar",
    "month_summary",
    "overdue_by_working_days",
    "read_calendar_file",
    "russian_calendar",
    "statutory_year",
    "to_plain_list",
    "to_xmlcalendar",
    "to_xmlcalendar_json",
    "year_summary",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
