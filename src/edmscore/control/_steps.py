"""The steps the control use cases share, as plain functions over a :class:`ControlContext`.

Resolving the actor, loading a card, an assignment or a resolution the actor may see (a hidden
one answers :class:`~edmscore.errors.NotFound` exactly like a missing one), checking that the
actor acts for the official a step belongs to, computing deadlines, walking the tree below an
assignment, storing a change with its audit event, and auditing reads of ДСП cards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import attrs
import pendulum

from edmscore.access import (
    AccessPolicy,
    AccessScope,
    Actor,
    ActorRef,
    Permission,
    resolve_actor,
    substitutions_of,
)
from edmscore.calendar import NO_TERM, Deadline, DeadlinePolicy, ProductionCalendar
from edmscore.clock import Clock
from edmscore.control._model import Assignment, Resolution
from edmscore.control.ports import AssignmentQuery, ControlStorage, ControlUnitOfWork
from edmscore.directory import Official, Power
from edmscore.errors import AccessDenied, ConflictError, NotFound, ValidationError
from edmscore.records import _steps as records_steps
from edmscore.registry import AccessMark, RegistrationCard
from edmscore.registry.codec import to_primitive

__all__ = [
    "AssignmentChange",
    "ControlContext",
    "acting_official",
    "actor",
    "assignment_of",
    "assignment_to_change",
    "audit",
    "audit_reads",
    "cards_of",
    "changing",
    "check_version",
    "children",
    "descendants",
    "due_date",
    "official_of",
    "org_today",
    "primitive",
    "reader",
    "resolution_of",
    "scan",
    "store",
    "visible_card",
]

#: Page size of the library's own scans.
_PAGE = 1000


@attrs.frozen
class ControlContext:
    """What the control use cases need: storage, clock, production calendar and access policy."""

    storage: ControlStorage
    clock: Clock
    calendar: ProductionCalendar
    policy: AccessPolicy

    def now(self) -> pendulum.DateTime:
        """The current moment by the context's clock."""
        return self.clock.now()


def primitive(value: object) -> dict[str, Any]:
    """A value as the plain mapping the audit trail compares."""
    data: dict[str, Any] = to_primitive(value)
    return data


# --- the actor -------------------------------------------------------------------------------


def actor(
    ctx: ControlContext, uow: ControlUnitOfWork, who: ActorRef, now: pendulum.DateTime
) -> Actor:
    """The acting user, loaded from the directory inside ``uow`` (:mod:`edmscore.access`)."""
    return resolve_actor(
        uow.directory, who, ctx.policy, now.date(),
        substitutions=substitutions_of(uow), power=Power.CONTROL,
    )  # fmt: skip


def reader(
    ctx: ControlContext,
    uow: ControlUnitOfWork,
    who: ActorRef,
    now: pendulum.DateTime,
    permission: Permission = Permission.READ,
) -> Actor:
    """The acting user, who must hold ``permission`` somewhere (the scope narrows what they see)."""
    me = actor(ctx, uow, who, now)
    me.require_somewhere(permission)
    return me


def audit(
    uow: ControlUnitOfWork,
    me: Actor,
    at: pendulum.DateTime,
    action: str,
    entity: tuple[str, str],
    before: Mapping[str, object],
    after: Mapping[str, object],
    note: str = "",
) -> None:
    """Append an audit event of ``me`` on ``entity`` (type, id); a deputy's principal is named."""
    entity_type, entity_id = entity
    records_steps.audit(uow, me, at, action, entity_type, entity_id, before, after, note)


def acting_official(me: Actor, *allowed: str | None, role: str) -> str:
    """The official ``me`` acts for among ``allowed`` — their own, or as deputy the replaced
    user's; :class:`AccessDenied` if neither is the ``role`` of the step."""
    mine = [me.official_id]
    if me.represented is not None:
        mine.append(me.represented.official_id)
    for official in mine:
        if official is not None and official in allowed:
            return official
    if all(official is None for official in mine):
        raise AccessDenied(f"user {me.login!r} acts for no official")
    raise AccessDenied(f"user {me.login!r} is not the {role} of this assignment")


# --- loading what the actor may see ----------------------------------------------------------


def visible_card(
    uow: ControlUnitOfWork,
    me: Actor,
    card_id: str,
    now: pendulum.DateTime,
    missing: tuple[str, str] | None = None,
) -> RegistrationCard:
    """The card if ``me`` may see it; else :class:`NotFound` of ``missing`` (default the card).

    The refusal's real reason is audited on the card (``access.denied``) and committed before
    raising, so call this before changing anything. ``missing`` names what the caller asked for
    (an assignment, a resolution): the answer is word for word the one for a missing object.
    """
    what, key = missing if missing is not None else ("card", card_id)
    try:
        card = uow.cards.get(card_id)
    except NotFound:
        raise NotFound(what, key) from None
    if not me.may_see(card):
        note = records_steps.hidden_reason(me, card)
        if what != "card":
            note += f"; asked for {what} {key!r}"
        records_steps.deny(uow, me, now, "card", card_id, note)
        raise NotFound(what, key)
    return card


def assignment_of(
    uow: ControlUnitOfWork, me: Actor, assignment_id: str, now: pendulum.DateTime
) -> tuple[Assignment, RegistrationCard]:
    """The assignment and its card, if ``me`` may see the card; else NotFound of the assignment."""
    assignment = uow.assignments.get(assignment_id)
    card = visible_card(uow, me, assignment.card_id, now, ("assignment", assignment_id))
    return assignment, card


def assignment_to_change(
    uow: ControlUnitOfWork,
    me: Actor,
    assignment_id: str,
    expected_version: int | None,
    now: pendulum.DateTime,
    permission: Permission,
) -> tuple[Assignment, RegistrationCard]:
    """The assignment and its card, for ``me`` to change with ``permission``.

    Hidden is missing (NotFound); another organisation's assignment and a missing permission
    (for the card's department) are :class:`PermissionDenied`; a stale version ConflictError.
    """
    assignment, card = assignment_of(uow, me, assignment_id, now)
    me.require_own(assignment.organisation_id, "an assignment")
    me.require(permission, card.details.department_id)
    if expected_version is not None:
        check_version(assignment, expected_version)
    return assignment, card


def resolution_of(
    uow: ControlUnitOfWork, me: Actor, resolution_id: str, now: pendulum.DateTime
) -> tuple[Resolution, RegistrationCard]:
    """The resolution and its card, if ``me`` may see the card; else NotFound of the resolution."""
    resolution = uow.resolutions.get(resolution_id)
    card = visible_card(uow, me, resolution.card_id, now, ("resolution", resolution_id))
    return resolution, card


def cards_of(
    uow: ControlUnitOfWork, assignments: Iterable[Assignment]
) -> dict[str, RegistrationCard]:
    """The cards of ``assignments`` by id (already checked by the query's access scope)."""
    cards: dict[str, RegistrationCard] = {}
    for a in assignments:
        if a.card_id not in cards:
            cards[a.card_id] = uow.cards.get(a.card_id)
    return cards


def audit_reads(
    uow: ControlUnitOfWork,
    me: Actor,
    now: pendulum.DateTime,
    action: str,
    items: Iterable[tuple[str, RegistrationCard]],
) -> None:
    """Audit reads of what hangs off ДСП cards (``items``: the id read, its card); no commit.

    The event is on the card, as :meth:`RecordsService.get` records it, with the id in the note.
    """
    for key, card in items:
        if card.details.access is AccessMark.DSP:
            audit(uow, me, now, action, ("card", card.id), {}, {}, key)


def official_of(uow: ControlUnitOfWork, organisation_id: str, official_id: str) -> Official:
    """The official, who must belong to ``organisation_id`` (:class:`ValidationError`)."""
    official = uow.directory.official(official_id)
    if official.organisation_id != organisation_id:
        raise ValidationError("official", f"{official_id!r} is of another organisation")
    return official


def check_version(assignment: Assignment, expected_version: int) -> None:
    """:class:`ConflictError` unless the assignment is at ``expected_version``."""
    if assignment.version != expected_version:
        raise ConflictError("assignment", assignment.id, expected_version, assignment.version)


# --- dates -----------------------------------------------------------------------------------


#: The date of ``now`` in the organisation's time zone.
org_today = records_steps.organisation_today


def due_date(
    calendar: ProductionCalendar, deadline: dt.date | DeadlinePolicy | None, start: dt.date
) -> tuple[Deadline, str]:
    """The due date of a deadline given as a date, a policy or nothing, and how it was set.

    A date set by a person is exact; one counted by a policy is provisional when it reaches a
    year whose decree is not loaded.
    """
    if isinstance(deadline, DeadlinePolicy):
        return deadline.deadline(start, calendar), deadline.code
    if deadline is None:
        return NO_TERM.deadline(start, calendar), NO_TERM.code
    return Deadline(pendulum.Date(deadline.year, deadline.month, deadline.day)), "date"


# --- searches and trees ----------------------------------------------------------------------


def scan(
    uow: ControlUnitOfWork, query: AssignmentQuery, scope: AccessScope
) -> Iterator[Assignment]:
    """Every assignment matching ``query`` within ``scope``, page by page, in one unit of work."""
    while True:
        page = uow.assignments.query(query, scope)
        yield from page.items
        if page.next_cursor is None:
            return
        query = attrs.evolve(query, after=page.next_cursor)


def children(uow: ControlUnitOfWork, parent: Assignment) -> list[Assignment]:
    """The assignments passed down from ``parent`` (on its card, already checked)."""
    query = AssignmentQuery(parent_id=parent.id, limit=_PAGE)
    return list(scan(uow, query, AccessScope.everything()))


def descendants(uow: ControlUnitOfWork, root: Assignment) -> list[Assignment]:
    """Every assignment below ``root``, at any depth."""
    result: list[Assignment] = []
    stack = [root]
    while stack:
        found = children(uow, stack.pop())
        result.extend(found)
        stack.extend(found)
    return result


def store(
    uow: ControlUnitOfWork,
    me: Actor,
    now: pendulum.DateTime,
    action: str,
    before: Assignment,
    after: Assignment,
    note: str = "",
) -> Assignment:
    """Store a changed assignment (version checked) with an audit event of the fields changed."""
    stored = uow.assignments.update(after, before.version)
    audit(
        uow, me, now, action, ("assignment", before.id), primitive(before), primitive(stored), note
    )
    return stored


# --- one change to one assignment ------------------------------------------------------------

#: Who may take a step on an assignment: the permission the step needs and the officials of it.
_ROLES: dict[str, tuple[Permission, Callable[[Assignment], Iterable[str | None]]]] = {
    "executor": (Permission.EXECUTE, lambda a: a.executors),
    "controller": (Permission.CONTROL, lambda a: (a.controller_id,)),
    "author": (Permission.CONTROL, lambda a: (a.author_id,)),
    "deadline setter": (Permission.CONTROL, lambda a: (a.deadline_set_by,)),
}


@attrs.frozen
class AssignmentChange:
    """A step on one assignment in progress: its unit of work, the actor, the assignment as
    loaded, the moment, and the official the actor acts for in the step's role."""

    uow: ControlUnitOfWork
    me: Actor
    before: Assignment
    now: pendulum.DateTime
    official: str

    def today(self) -> pendulum.Date:
        """The day in the assignment's organisation."""
        return org_today(self.uow, self.before.organisation_id, self.now)

    def commit(self, action: str, after: Assignment, note: str = "") -> Assignment:
        """Store ``after`` (version checked) with its audit event, commit, return it stored."""
        stored = store(self.uow, self.me, self.now, action, self.before, after, note)
        self.uow.commit()
        return stored


@contextmanager
def changing(
    ctx: ControlContext, who: ActorRef, assignment_id: str, expected_version: int, role: str
) -> Iterator[AssignmentChange]:
    """Open a unit of work for a step of ``role`` (executor, controller, author, deadline
    setter) on the assignment: the actor resolved, the assignment loaded at
    ``expected_version`` with the role's permission for its card, and the actor acting for one
    of the role's officials (their own or, as deputy, the replaced user's)."""
    permission, officials = _ROLES[role]
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = actor(ctx, uow, who, now)
        before, _ = assignment_to_change(uow, me, assignment_id, expected_version, now, permission)
        official = acting_official(me, *officials(before), role=role)
        yield AssignmentChange(uow, me, before, now, official)
