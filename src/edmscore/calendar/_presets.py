"""Named deadline policies: instructions (federal and regional variants), 59-FZ and 210-FZ.

Sources are summarised in the project's domain notes (records.md §4). Appeals use the next
working day when a term ends on a day off (Civil Code art. 193); internal instructions the
previous one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from edmscore.calendar._deadlines import (
    DayOffRule,
    DeadlinePolicy,
    NextPeriodDay,
    Period,
    Term,
    TermUnit,
)
from edmscore.errors import ValidationError

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
    "URGENT",
    "VERY_URGENT",
    "instruction_presets",
]

_PREV = DayOffRule.PREVIOUS_WORKING_DAY
_NEXT = DayOffRule.NEXT_WORKING_DAY
_AGENCY = "типовой регламент: срок исчисляется в календарных днях с даты подписания"

# --- instructions (поручения) ---------------------------------------------------------------

NO_TERM = DeadlinePolicy("instruction.no_term", "Без срока", Term.months(1), _PREV, _AGENCY)
"""No deadline given: one month (same date next month, or its last day)."""
URGENT = DeadlinePolicy("instruction.urgent", "Срочно", Term.calendar_days(3), _PREV, _AGENCY)
"""«Срочно»: 3 calendar days."""
OPERATIONAL = DeadlinePolicy(
    "instruction.operational", "Оперативно", Term.calendar_days(10), _PREV, _AGENCY
)
"""«Оперативно»: 10 calendar days."""
VERY_URGENT = DeadlinePolicy(
    "instruction.very_urgent",
    "Весьма срочно",
    Term.working_days(1),
    _PREV,
    "региональная инструкция: вручить немедленно, исполнить в течение 1 рабочего дня",
)
"""«Весьма срочно» / «вручить немедленно»: 1 working day (regional practice)."""
PARLIAMENTARY_INQUIRY = DeadlinePolicy(
    "instruction.parliamentary_inquiry",
    "Депутатский (парламентский) запрос",
    Term.calendar_days(15),
    _PREV,
    _AGENCY,
)
"""A parliamentary inquiry: 15 calendar days."""
DRAFT_AGREEMENT = DeadlinePolicy(
    "approval.agreement", "Согласование проекта", Term.calendar_days(10), _PREV, _AGENCY
)
"""A draft sent to another body for agreement: 10 calendar days."""
MONTHLY_REPORT = DeadlinePolicy(
    "report.monthly", "Ежемесячный доклад", NextPeriodDay(10, Period.MONTH), _PREV, "регион"
)
"""A monthly report: by the 10th of the next month (Sverdlovsk region)."""
QUARTERLY_REPORT = DeadlinePolicy(
    "report.quarterly", "Ежеквартальный доклад", NextPeriodDay(10, Period.QUARTER), _PREV, "регион"
)
"""A quarterly report: by the 10th of the month after the quarter (Sverdlovsk region)."""
STANDING = DeadlinePolicy(
    "instruction.standing", "Постоянно", NextPeriodDay(20, Period.YEAR, 1), _PREV, "регион"
)
"""A standing instruction («постоянно»): report by 20 January of the next year."""


def instruction_presets(
    unit: TermUnit = TermUnit.CALENDAR_DAYS, day_off_rule: DayOffRule = _PREV
) -> Mapping[str, DeadlinePolicy]:
    """The instruction presets by code, counted in calendar days (federal) or working days.

    ``TermUnit.WORKING_DAYS`` gives the Sverdlovsk variant (срочно 3, оперативно 10 working days);
    the default the federal pattern. «Без срока» stays one month and «весьма срочно» one working
    day either way.
    """
    if unit is TermUnit.MONTHS:
        raise ValidationError("unit", "instruction terms count days, not months")
    result: dict[str, DeadlinePolicy] = {}
    for policy in (NO_TERM, URGENT, OPERATIONAL, VERY_URGENT, PARLIAMENTARY_INQUIRY):
        term = policy.term
        if isinstance(term, Term) and term.unit is TermUnit.CALENDAR_DAYS:
            term = Term(term.amount, unit)
        result[policy.code] = DeadlinePolicy(
            policy.code, policy.title, term, day_off_rule, policy.basis, policy.max_extension
        )
    return MappingProxyType(result)


# --- citizens' appeals, 59-FZ (обращения граждан) -------------------------------------------

_FZ59 = "Федеральный закон от 02.05.2006 № 59-ФЗ"

APPEAL_REGISTRATION = DeadlinePolicy(
    "59fz.registration", "Регистрация обращения", Term.calendar_days(3), _NEXT, f"{_FZ59}, ст. 8"
)
"""Register an appeal within 3 days of its receipt."""
APPEAL_REDIRECT = DeadlinePolicy(
    "59fz.redirect",
    "Направление по компетенции",
    Term.calendar_days(7),
    _NEXT,
    f"{_FZ59}, ст. 8",
)
"""Redirect to the competent body within 7 days of registration (and notify the citizen)."""
APPEAL_MIGRATION_FORWARD = DeadlinePolicy(
    "59fz.migration_forward",
    "Направление информации о нарушениях миграционного законодательства",
    Term.calendar_days(5),
    _NEXT,
    f"{_FZ59}, ст. 8",
)
"""Forward information on migration violations within 5 days of registration."""
APPEAL_REVIEW = DeadlinePolicy(
    "59fz.review",
    "Рассмотрение обращения",
    Term.calendar_days(30),
    _NEXT,
    f"{_FZ59}, ст. 12",
    max_extension=Term.calendar_days(30),
)
"""Consider an appeal within 30 days of registration; extension up to 30 days with notice."""
APPEAL_REVIEW_MIGRATION = DeadlinePolicy(
    "59fz.review_migration",
    "Рассмотрение обращения о нарушениях миграционного законодательства",
    Term.calendar_days(20),
    _NEXT,
    f"{_FZ59}, ст. 12",
)
"""Migration-violation appeals to a region's head: 20 days of registration."""
APPEAL_MATERIALS = DeadlinePolicy(
    "59fz.materials",
    "Представление документов и материалов по запросу",
    Term.calendar_days(15),
    _NEXT,
    f"{_FZ59}, ст. 10",
)
"""Another body supplies the materials requested for an appeal within 15 days."""

APPEALS_59FZ: tuple[DeadlinePolicy, ...] = (
    APPEAL_REGISTRATION,
    APPEAL_REDIRECT,
    APPEAL_MIGRATION_FORWARD,
    APPEAL_REVIEW,
    APPEAL_REVIEW_MIGRATION,
    APPEAL_MATERIALS,
)
"""Every 59-FZ preset."""

# --- complaints about state services, 210-FZ ------------------------------------------------

_FZ210 = "Федеральный закон от 27.07.2010 № 210-ФЗ, ст. 11.2"

SERVICE_COMPLAINT = DeadlinePolicy(
    "210fz.complaint", "Рассмотрение жалобы", Term.working_days(15), _NEXT, _FZ210
)
"""A complaint about a state service: 15 working days of registration."""
SERVICE_COMPLAINT_REFUSAL = DeadlinePolicy(
    "210fz.complaint_refusal",
    "Рассмотрение жалобы на отказ в приёме документов или исправлении ошибок",
    Term.working_days(5),
    _NEXT,
    _FZ210,
)
"""A complaint about a refusal to accept documents or to fix a mistake: 5 working days."""

SERVICES_210FZ: tuple[DeadlinePolicy, ...] = (SERVICE_COMPLAINT, SERVICE_COMPLAINT_REFUSAL)
"""Every 210-FZ preset."""
