"""Domain events: what happened, to which object, for whom — the values a host reads.

An :class:`Event` is one fact a use case committed (a card registered, an assignment issued…) or
the scheduler found (a deadline near, an assignment overdue). Its :attr:`Event.type` names what
happened and fixes which :attr:`Event.data` keys it carries; :attr:`Event.id` is its idempotency
key: a host that delivers an event to a person (a push, a letter) records the key and delivers an
event with a known key never again, which turns the outbox's at-least-once reading into
exactly-once delivery.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    aware_datetime,
    non_empty_text,
    optional_text,
    to_frozenset,
    to_tuple,
    tuple_of,
)
from edmscore.errors import ValidationError

__all__ = ["Event", "EventType", "Subscription"]


class EventType(enum.Enum):
    """What happened. The value is the stable name hosts store and subscribe by."""

    #: A card was registered (data: ``number``, ``kind``; ``summary`` unless ДСП).
    CARD_REGISTERED = "card.registered"
    #: A card's registration data changed (data: ``action``, the audited action).
    CARD_CHANGED = "card.changed"
    #: A letter sent over MEDO was delivered to the recipient organisation (data: ``recipient``).
    DELIVERED = "card.delivered"
    #: An assignment was given (data: ``card_id``, ``due``; ``text`` unless ДСП).
    ASSIGNMENT_ISSUED = "assignment.issued"
    #: An executor reported execution (data: ``card_id``).
    ASSIGNMENT_REPORTED = "assignment.reported"
    #: A report was returned for rework (data: ``card_id``).
    ASSIGNMENT_RETURNED = "assignment.returned"
    #: The assignment was accepted as executed (data: ``card_id``).
    ASSIGNMENT_ACCEPTED = "assignment.accepted"
    #: The assignment was cancelled (data: ``card_id``).
    ASSIGNMENT_CANCELLED = "assignment.cancelled"
    #: The deadline moved, or an extension was asked or decided (data: ``card_id``, ``due``,
    #: ``action``).
    ASSIGNMENT_DEADLINE = "assignment.deadline"
    #: Scheduler: the deadline is ``days`` working days away (data: ``card_id``, ``due``,
    #: ``days``).
    DEADLINE_NEAR = "assignment.deadline_near"
    #: Scheduler: the deadline has passed and the assignment is open (data: ``card_id``,
    #: ``due``).
    ASSIGNMENT_OVERDUE = "assignment.overdue"
    #: A draft waits for the recipients' visas (data: ``stage``).
    VISA_REQUESTED = "approval.visa_requested"
    #: A draft waits for the recipient's signature.
    SIGNATURE_REQUESTED = "approval.signature_requested"
    #: Approval ended: signed, refused or recalled (data: ``outcome``).
    APPROVAL_FINISHED = "approval.finished"
    #: A letter came in over MEDO and was registered or is waiting (data: ``action``).
    MEDO_RECEIVED = "medo.received"
    #: The recipient refused our letter, or we refused theirs (data: ``action``).
    MEDO_REFUSED = "medo.refused"
    #: Scheduler: no receipt for a sent letter within its working days (data: ``recipient``,
    #: ``due``).
    MEDO_RECEIPT_OVERDUE = "medo.receipt_overdue"
    #: A citizens' appeal was registered, assigned, redirected or decided (data: ``action``).
    APPEAL_CHANGED = "appeal.changed"
    #: Scheduler: the appeal's review term is ``days`` working days away (data: ``due``,
    #: ``days``).
    APPEAL_TERM_NEAR = "appeal.term_near"
    #: Scheduler: a person on an acquaintance sheet has not read the document and is due a
    #: reminder (data: ``card_id``, ``sheet_id``, ``user_id``, ``due``).
    ACQUAINTANCE_REMINDER = "acquaintance.reminder"
    #: A case of the nomenclature was closed and is due for the archive (data: ``action``).
    CASE_CLOSED = "case.closed"
    #: Any other audited change (data: ``action``): nothing a use case changes goes unsaid.
    RECORD_CHANGED = "record.changed"


def _data(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise ValidationError("data", "must be a mapping of text to text")
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise ValidationError("data", "keys and values must be text")
        if len(key) > 64 or len(item) > 8000:
            raise ValidationError("data", "a key is at most 64 and a value 8000 characters")
        out[key] = item
    return dict(sorted(out.items()))


def _event_type(value: object) -> EventType:
    if isinstance(value, EventType):
        return value
    try:
        return EventType(value)
    except ValueError:
        raise ValidationError("type", f"unknown event type {value!r}") from None


@attrs.frozen
class Event:
    """One domain event as the outbox stores it and a host reads it.

    ``recipients`` are the official ids it concerns (the executor, their deputy, the controller…);
    ``restricted`` marks an event about a ДСП card or appeal: its ``data`` then holds no content
    (summary, text), only ids, numbers and dates, so that nothing marked ДСП reaches a person
    without clearance through a host's notification; the host opens the object through a use
    case, which checks the reader's access. ``dedupe_key`` is set on the scheduler's events: the
    outbox stores one event per key, ever.
    """

    id: str = attrs.field(validator=non_empty_text(64))
    type: EventType = attrs.field(converter=_event_type)
    at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    entity_type: str = attrs.field(validator=non_empty_text(50))
    entity_id: str = attrs.field(validator=non_empty_text(64))
    recipients: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(str)
    )
    restricted: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    data: Mapping[str, str] = attrs.field(factory=dict, converter=_data, eq=False)
    actor_id: str | None = attrs.field(default=None, validator=optional_text(64))
    on_behalf_of: str | None = attrs.field(default=None, validator=optional_text(64))
    dedupe_key: str | None = attrs.field(default=None, validator=optional_text(200))

    def __attrs_post_init__(self) -> None:
        if len(self.recipients) > 100:
            raise ValidationError("recipients", "at most 100 recipients")
        for recipient in self.recipients:
            if not recipient or len(recipient) > 64 or "|" in recipient:
                raise ValidationError("recipients", "each is a non-empty id of ≤ 64, without |")

    def to_primitive(self) -> dict[str, Any]:
        """The event as JSON-ready values (what the SQL adapter stores and backups keep)."""
        return {
            "id": self.id,
            "type": self.type.value,
            "at": self.at.in_timezone("UTC").isoformat(),
            "organisation_id": self.organisation_id,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "recipients": list(self.recipients),
            "restricted": self.restricted,
            "data": dict(self.data),
            "actor_id": self.actor_id,
            "on_behalf_of": self.on_behalf_of,
            "dedupe_key": self.dedupe_key,
        }

    @classmethod
    def from_primitive(cls, data: Mapping[str, Any]) -> Event:
        """The event back from :meth:`to_primitive`; ValidationError for anything else."""
        if not isinstance(data, Mapping):
            raise ValidationError("event", "must be a mapping")
        try:
            at = pendulum.parse(data["at"])
            if not isinstance(at, pendulum.DateTime):
                raise ValidationError("at", "must be a moment")
            return cls(
                id=data["id"],
                type=data["type"],
                at=at,
                organisation_id=data["organisation_id"],
                entity_type=data["entity_type"],
                entity_id=data["entity_id"],
                recipients=data.get("recipients", ()),
                restricted=bool(data.get("restricted", False)),
                data=data.get("data", {}),
                actor_id=data.get("actor_id"),
                on_behalf_of=data.get("on_behalf_of"),
                dedupe_key=data.get("dedupe_key"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError("event", f"not a stored event: {exc}") from None


def _types(value: object) -> frozenset[EventType] | None:
    if value is None:
        return None
    found = frozenset(_event_type(v) for v in to_frozenset(value))
    if not found:
        raise ValidationError("types", "an empty set matches nothing: give None for every type")
    return found


def _ids(value: object) -> frozenset[str] | None:
    if value is None:
        return None
    found: frozenset[str] = to_frozenset(value)
    if not found or not all(isinstance(v, str) and v and "|" not in v for v in found):
        raise ValidationError("recipients", "non-empty ids without |, or None for everyone")
    return found


@attrs.frozen
class Subscription:
    """What one consumer (a host's delivery worker) reads: its name, the event types and the
    recipients it wants (None: every type / every event) within one organisation.

    Each subscription keeps its own acknowledgments: two consumers read the same events
    independently. Changing a subscription's filter keeps its acknowledgments and reads again
    every unacknowledged event the new filter matches.
    """

    name: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    types: frozenset[EventType] | None = attrs.field(default=None, converter=_types)
    recipients: frozenset[str] | None = attrs.field(default=None, converter=_ids)

    def matches(self, event: Event) -> bool:
        """Whether the subscription reads ``event``."""
        if event.organisation_id != self.organisation_id:
            return False
        if self.types is not None and event.type not in self.types:
            return False
        return self.recipients is None or not self.recipients.isdisjoint(event.recipients)

    def to_primitive(self) -> dict[str, Any]:
        """The subscription as JSON-ready values."""
        return {
            "name": self.name,
            "organisation_id": self.organisation_id,
            "types": None if self.types is None else sorted(t.value for t in self.types),
            "recipients": None if self.recipients is None else sorted(self.recipients),
        }

    @classmethod
    def from_primitive(cls, data: Mapping[str, Any]) -> Subscription:
        """The subscription back from :meth:`to_primitive`."""
        try:
            return cls(data["name"], data["organisation_id"], data["types"], data["recipients"])
        except (KeyError, TypeError) as exc:
            raise ValidationError("subscription", f"not a stored subscription: {exc}") from None
