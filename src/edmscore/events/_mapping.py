"""From what a use case audited to the events it means.

Every state-changing use case appends audit events in its unit of work; at commit, each is
turned here into domain events, reading the objects as the unit of work now holds them (who the
executor is, whether the card is ДСП). Reads (``*.read``, ``*.listed``, ``access.denied``…) mean
no event; an audited change with no specific type becomes :attr:`EventType.RECORD_CHANGED`, so
nothing a use case changes goes unsaid.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from edmscore._ids import new_id
from edmscore.approval import newly_open_signatories
from edmscore.audit import AuditEvent
from edmscore.errors import NotFound
from edmscore.events._model import Event, EventType
from edmscore.events._recipients import DeputyLookup, recipients

__all__ = ["EventMapper", "assignment_event", "is_read"]

_READ_SUFFIXES = (".read", ".listed", "_read")
_READS = frozenset({"access.denied", "appeal.exported", "draft.listed"})


def is_read(action: str) -> bool:
    """Whether an audited action only read data (no event)."""
    return action in _READS or action.endswith(_READ_SUFFIXES)


def _after(audit: AuditEvent, field: str) -> Any:
    for change in audit.changes:
        if change.field == field and change.after is not None:
            try:
                return json.loads(change.after)
            except ValueError:
                return None
    return None


class _Context:
    """One audit event being mapped, with the look-ups the handlers share."""

    def __init__(self, uow: Any, audit: AuditEvent, deputies: DeputyLookup | None) -> None:
        self.uow = uow
        self.audit = audit
        self.deputies = deputies
        self.day = audit.at.date()

    def event(
        self,
        type_: EventType,
        organisation_id: str,
        officials: Sequence[str | None] = (),
        *,
        executors: Sequence[str | None] = (),
        restricted: bool = False,
        data: dict[str, str] | None = None,
        content: dict[str, str] | None = None,
        entity: tuple[str, str] | None = None,
    ) -> Event:
        """An event of this audit entry; ``content`` is left out when ``restricted``."""
        entity_type, entity_id = entity or (self.audit.entity_type, self.audit.entity_id)
        payload = dict(data or {})
        if not restricted:
            payload.update(content or {})
        return Event(
            id=new_id(),
            type=type_,
            at=self.audit.at,
            organisation_id=organisation_id,
            entity_type=entity_type,
            entity_id=entity_id,
            recipients=recipients(
                self.uow, (*executors, *officials), self.day, self.deputies, with_deputies=executors
            ),
            restricted=restricted,
            data=payload,
            actor_id=self.audit.actor_id,
            on_behalf_of=self.audit.on_behalf_of,
        )

    def card(self, card_id: str) -> Any:
        return self.uow.cards.get(card_id)

    def actor_organisation(self) -> str | None:
        stated = _after(self.audit, "organisation_id")
        if isinstance(stated, str) and stated:
            return stated
        try:
            organisation_id: str = self.uow.directory.user(self.audit.actor_id).organisation_id
        except NotFound:
            return None
        return organisation_id


def _dsp(card: Any) -> bool:
    return bool(card.details.access.value == "dsp")


def _card_events(c: _Context) -> list[Event]:
    card = c.card(c.audit.entity_id)
    data = {"number": card.registration.number, "kind": card.details.kind.value}
    content = {"summary": card.details.summary}
    executor = card.details.executor_id
    action = c.audit.action
    if action == "card.registered":
        type_ = EventType.CARD_REGISTERED
    elif action == "medo.received":
        type_ = EventType.MEDO_RECEIVED
        sender = _after(c.audit, "sender")
        if isinstance(sender, str):
            data["sender"] = sender
    elif action == "medo.receipt_received":
        state = _after(c.audit, "state")
        if state not in ("delivered", "registered"):
            type_ = EventType.CARD_CHANGED
        else:
            type_ = EventType.DELIVERED
        for field in ("state", "dispatch", "from"):
            value = _after(c.audit, field)
            if isinstance(value, str):
                data[field] = value
    else:
        type_ = EventType.CARD_CHANGED
    data["action"] = action
    return [
        c.event(
            type_,
            card.organisation_id,
            executors=[executor],
            restricted=_dsp(card),
            data=data,
            content=content,
        )
    ]


_ASSIGNMENT_TYPES = {
    "assignment.created": EventType.ASSIGNMENT_ISSUED,
    "assignment.occurrence_created": EventType.ASSIGNMENT_ISSUED,
    "assignment.reported": EventType.ASSIGNMENT_REPORTED,
    "assignment.returned": EventType.ASSIGNMENT_RETURNED,
    "assignment.accepted": EventType.ASSIGNMENT_ACCEPTED,
    "assignment.cancelled": EventType.ASSIGNMENT_CANCELLED,
    "assignment.deadline_changed": EventType.ASSIGNMENT_DEADLINE,
    "assignment.deadline_recomputed": EventType.ASSIGNMENT_DEADLINE,
    "assignment.extension_requested": EventType.ASSIGNMENT_DEADLINE,
    "assignment.extension_approved": EventType.ASSIGNMENT_DEADLINE,
    "assignment.extension_rejected": EventType.ASSIGNMENT_DEADLINE,
}


def assignment_event(
    c: _Context, assignment: Any, card: Any, type_: EventType, data: dict[str, str]
) -> Event:
    """An event about an assignment: for its executors (with deputies), controller and author."""
    executors = (assignment.executor_id, *assignment.co_executor_ids)
    officials: tuple[str | None, ...] = (assignment.controller_id,)
    if type_ in (EventType.ASSIGNMENT_REPORTED, EventType.ASSIGNMENT_DEADLINE):
        officials = (assignment.controller_id, assignment.author_id)
    payload = {"card_id": assignment.card_id, **data}
    if card is not None:  # None: the card is missing, so nothing of the content is said
        payload["number"] = card.registration.number
    if assignment.due is not None:
        payload["due"] = assignment.due.isoformat()
    return c.event(
        type_,
        assignment.organisation_id,
        officials,
        executors=executors,
        restricted=card is None or _dsp(card),
        data=payload,
        content={"text": assignment.text},
        entity=("assignment", assignment.id),
    )


def _assignment_events(c: _Context) -> list[Event]:
    type_ = _ASSIGNMENT_TYPES.get(c.audit.action)
    if type_ is None:
        return _generic(c)
    assignment = c.uow.assignments.get(c.audit.entity_id)
    card = c.card(assignment.card_id)
    return [assignment_event(c, assignment, card, type_, {"action": c.audit.action})]


def _approval_events(c: _Context) -> list[Event]:
    draft = c.uow.drafts.get(c.audit.entity_id)
    restricted = draft.access.value == "dsp"
    data = {"action": c.audit.action, "document_kind": draft.document_kind}
    found: list[Event] = []
    cycle = draft.cycle
    if cycle is None:
        return _generic(c)
    at = c.audit.at
    if cycle.outcome.value == "running" and cycle.current_stage < len(cycle.stages):
        stage = cycle.stages[cycle.current_stage]
        asked = [a.official_id for a in stage.assignments if a.activated_at == at]
        if asked:
            found.append(
                c.event(
                    EventType.VISA_REQUESTED,
                    draft.organisation_id,
                    executors=asked,
                    restricted=restricted,
                    data={**data, "stage": stage.name},
                )
            )
    elif cycle.outcome.value == "awaiting_signature" and (
        opened := newly_open_signatories(cycle, at)
    ):
        # One event per signatory whose turn came: every open one when the route ended, the
        # next (or a countersigner) when a signature of several opened their turn.
        found.extend(
            c.event(
                EventType.SIGNATURE_REQUESTED,
                draft.organisation_id,
                executors=[seat],
                restricted=restricted,
                data={**data, "signatory_id": seat},
            )
            for seat in opened
        )
    elif cycle.finished_at == at:
        found.append(
            c.event(
                EventType.APPROVAL_FINISHED,
                draft.organisation_id,
                executors=[draft.author_id],
                restricted=restricted,
                data={**data, "outcome": cycle.outcome.value},
            )
        )
    return found or _generic(c)


def _appeal_events(c: _Context) -> list[Event]:
    appeal = c.uow.appeals.get(c.audit.entity_id)
    card = c.card(appeal.card_id)
    executors = [q.executor_id for q in appeal.questions]
    return [
        c.event(
            EventType.APPEAL_CHANGED,
            appeal.organisation_id,
            executors=executors,
            restricted=_dsp(card),
            data={
                "action": c.audit.action,
                "number": appeal.number,
                "card_id": appeal.card_id,
                "review_due": appeal.review_due.isoformat(),
            },
        )
    ]


def _medo_refused(c: _Context) -> list[Event]:
    organisation_id = c.actor_organisation()
    if organisation_id is None:
        return []
    data = {"action": c.audit.action}
    for field in ("sender", "reason"):
        value = _after(c.audit, field)
        if isinstance(value, str):
            data[field] = value
    return [c.event(EventType.MEDO_REFUSED, organisation_id, data=data)]


def _generic(c: _Context) -> list[Event]:
    organisation_id = c.actor_organisation()
    if organisation_id is None:
        return []
    type_ = EventType.CASE_CLOSED if c.audit.action == "case.closed" else EventType.RECORD_CHANGED
    return [c.event(type_, organisation_id, data={"action": c.audit.action})]


_BY_ENTITY: dict[str, Callable[[_Context], list[Event]]] = {
    "card": _card_events,
    "assignment": _assignment_events,
    "draft": _approval_events,
    "appeal": _appeal_events,
    "medo_document": _medo_refused,
}


class EventMapper:
    """Turns the audit events of a unit of work into domain events at its commit.

    ``deputies`` finds who acts for an official on a day (default: the stored substitutions;
    None: no deputies).
    """

    def __init__(self, deputies: DeputyLookup | None) -> None:
        self.deputies = deputies

    def events(self, uow: Any, audits: Sequence[AuditEvent]) -> list[Event]:
        """The events the audit events mean, in order."""
        found: list[Event] = []
        for audit in audits:
            if is_read(audit.action):
                continue
            c = _Context(uow, audit, self.deputies)
            handler = _BY_ENTITY.get(audit.entity_type, _generic)
            try:
                found.extend(handler(c))
            except NotFound:  # the object is gone in this very unit (deleted): say so plainly
                found.extend(_generic(c))
        return found
