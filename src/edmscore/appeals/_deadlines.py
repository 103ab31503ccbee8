"""The terms of an appeal from the calendar's 59-FZ and 210-FZ presets.

:class:`AppealTerms` gathers the policies an organisation applies; :meth:`AppealTerms.default`
takes the presets as they are (the next working day when a term ends on a day off, Civil Code
art. 193), and :meth:`AppealTerms.with_day_off_rule` applies another rule to all of them.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum

from edmscore.appeals._enums import AppealKind
from edmscore.calendar import (
    APPEAL_MATERIALS,
    APPEAL_MIGRATION_FORWARD,
    APPEAL_REDIRECT,
    APPEAL_REGISTRATION,
    APPEAL_REVIEW,
    APPEAL_REVIEW_MIGRATION,
    SERVICE_COMPLAINT,
    SERVICE_COMPLAINT_REFUSAL,
    DayOffRule,
    DeadlinePolicy,
    ProductionCalendar,
    Term,
)
from edmscore.errors import ValidationError

__all__ = ["AppealTerms"]


@attrs.frozen
class AppealTerms:
    """The deadline policies for appeals; every field is a calendar ``DeadlinePolicy``."""

    registration: DeadlinePolicy = APPEAL_REGISTRATION
    redirect: DeadlinePolicy = APPEAL_REDIRECT
    migration_forward: DeadlinePolicy = APPEAL_MIGRATION_FORWARD
    review: DeadlinePolicy = APPEAL_REVIEW
    review_migration: DeadlinePolicy = APPEAL_REVIEW_MIGRATION
    materials: DeadlinePolicy = APPEAL_MATERIALS
    complaint: DeadlinePolicy = SERVICE_COMPLAINT
    complaint_refusal: DeadlinePolicy = SERVICE_COMPLAINT_REFUSAL

    @classmethod
    def default(cls) -> AppealTerms:
        """The presets as the calendar ships them."""
        return cls()

    def with_day_off_rule(self, rule: DayOffRule) -> AppealTerms:
        """Every policy with ``rule`` for a term ending on a day off."""
        changed = {
            a.name: attrs.evolve(getattr(self, a.name), day_off_rule=rule)
            for a in attrs.fields(AppealTerms)
        }
        return AppealTerms(**changed)

    def review_policy(
        self, kind: AppealKind, *, migration: bool = False, to_region_head: bool = False
    ) -> DeadlinePolicy:
        """The consideration term: 30 days, 20 for migration appeals to a region's head, 210-FZ."""
        if kind is AppealKind.SERVICE_COMPLAINT:
            return self.complaint
        if kind is AppealKind.SERVICE_COMPLAINT_REFUSAL:
            return self.complaint_refusal
        if migration and to_region_head:
            return self.review_migration
        return self.review

    def review_due(
        self,
        kind: AppealKind,
        registered_on: dt.date,
        calendar: ProductionCalendar,
        *,
        migration: bool = False,
        to_region_head: bool = False,
    ) -> pendulum.Date:
        """The last day of consideration for an appeal registered on ``registered_on``."""
        policy = self.review_policy(kind, migration=migration, to_region_head=to_region_head)
        return policy.due_date(registered_on, calendar)

    def extended_due(self, due: dt.date, days: int, calendar: ProductionCalendar) -> pendulum.Date:
        """The term moved by ``days`` calendar days; at most the review policy's extension."""
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ValidationError("days", f"an extension is a positive number of days: {days!r}")
        return self.review.extend(due, Term.calendar_days(days), calendar)
