"""What the control use cases share: storage, calendar, checks of the actor and audit records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pendulum

from edmscore.access import AccessPolicy, AccessScope, may_see
from edmscore.calendar import NO_TERM, DeadlinePolicy, ProductionCalendar, russian_calendar
from edmscore.clock import Clock
from edmscore.control._model import Assignment
from edmscore.control.ports import AssignmentQuery, ControlStorage, ControlUnitOfWork
from edmscore.directory import Official, User
from edmscore.errors import AccessDenied, ValidationError
from edmscore.records._base import ServiceBase
from edmscore.registry import RegistrationCard
from edmscore.registry.codec import to_primitive

__all__ = ["ControlBase"]

_ALL = 1000


class ControlBase(ServiceBase):
    """The storage, clock and production calendar; checks and helpers of the use cases.

    ``calendar`` defaults to the federal calendar of Russia with its provisional next year, so
    deadlines that run into January of the next year can be computed.
    """

    storage: ControlStorage

    def __init__(
        self,
        storage: ControlStorage,
        clock: Clock | None = None,
        calendar: ProductionCalendar | None = None,
        *,
        policy: AccessPolicy | None = None,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        self.storage = storage
        self.calendar = (
            calendar if calendar is not None else russian_calendar(include_provisional=True)
        )

    # --- actor and references ------------------------------------------------------------------

    def _org_today(self, uow: ControlUnitOfWork, organisation_id: str) -> pendulum.Date:
        organisation = uow.directory.organisation(organisation_id)
        return self._today(self._now(), organisation.timezone)

    def _card(self, uow: ControlUnitOfWork, actor: User, card_id: str) -> RegistrationCard:
        self._require_active(actor)
        card = uow.cards.get(card_id)
        if not may_see(actor, card):
            raise AccessDenied(f"user {actor.login!r} may not see card {card_id!r}")
        if card.organisation_id != actor.organisation_id:
            raise AccessDenied(f"user {actor.login!r} works in another organisation")
        return card

    def _assignment(self, uow: ControlUnitOfWork, actor: User, assignment_id: str) -> Assignment:
        assignment = uow.assignments.get(assignment_id)
        self._card(uow, actor, assignment.card_id)
        return assignment

    @staticmethod
    def _acting_official(actor: User) -> str:
        if actor.official_id is None:
            raise AccessDenied(f"user {actor.login!r} acts for no official")
        return actor.official_id

    def _require_official(self, actor: User, *allowed: str | None, role: str) -> str:
        official = self._acting_official(actor)
        if official not in allowed:
            raise AccessDenied(f"user {actor.login!r} is not the {role} of this assignment")
        return official

    @staticmethod
    def _official(uow: ControlUnitOfWork, organisation_id: str, official_id: str) -> Official:
        official = uow.directory.official(official_id)
        if official.organisation_id != organisation_id:
            raise ValidationError("official", f"{official_id!r} is of another organisation")
        return official

    @staticmethod
    def _check_version(assignment: Assignment, expected_version: int) -> None:
        if assignment.version != expected_version:
            from edmscore.errors import ConflictError

            raise ConflictError("assignment", assignment.id, expected_version, assignment.version)

    # --- deadlines -----------------------------------------------------------------------------

    def _due(
        self, deadline: dt.date | DeadlinePolicy | None, start: dt.date
    ) -> tuple[pendulum.Date, str]:
        """The due date of a deadline given as a date or a policy, and how it was set."""
        if isinstance(deadline, DeadlinePolicy):
            return deadline.due_date(start, self.calendar), deadline.code
        if deadline is None:
            return NO_TERM.due_date(start, self.calendar), NO_TERM.code
        return pendulum.Date(deadline.year, deadline.month, deadline.day), "date"

    # --- trees ---------------------------------------------------------------------------------

    @staticmethod
    def _children(uow: ControlUnitOfWork, parent: Assignment) -> list[Assignment]:
        scope = AccessScope(user_id="", dsp_cleared=True)  # the service already checked the card
        found: list[Assignment] = []
        query = AssignmentQuery(parent_id=parent.id, limit=_ALL)
        while True:
            page = uow.assignments.query(query, scope)
            found.extend(page.items)
            if page.next_cursor is None:
                return found
            query = attrs.evolve(query, after=page.next_cursor)

    def _descendants(self, uow: ControlUnitOfWork, root: Assignment) -> list[Assignment]:
        result: list[Assignment] = []
        stack = [root]
        while stack:
            children = self._children(uow, stack.pop())
            result.extend(children)
            stack.extend(children)
        return result

    # --- storing -------------------------------------------------------------------------------

    def _store(
        self,
        uow: ControlUnitOfWork,
        actor: User,
        action: str,
        before: Assignment,
        after: Assignment,
        note: str = "",
    ) -> Assignment:
        stored = uow.assignments.update(after, before.version)
        self._audit(
            uow,
            actor,
            self._now(),
            action,
            "assignment",
            before.id,
            _primitive(before),
            _primitive(stored),
            note,
        )
        return stored


def _primitive(value: object) -> dict[str, Any]:
    data: dict[str, Any] = to_primitive(value)
    return data
