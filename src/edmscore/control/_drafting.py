"""Draft resolutions (проекты резолюций): prepared by an assistant, decided by the head.

An assistant drafts a resolution on the head's behalf; the head (or the deputy standing in for
them) approves it, edits it, or rejects it; the assistant may withdraw it while it waits. Only
approval makes a resolution with its assignments. :func:`draft_transition` is the whole state
machine: a move it does not list is a :class:`~edmscore.errors.DraftResolutionStateError`, so a
draft is never in a state the table cannot reach. Every move carries the host's request key: a
key already applied to the draft makes the call a no-op answering the draft as it stands.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs
import pendulum

from edmscore._validate import (
    aware_datetime,
    instance_of,
    non_empty_text,
    optional_text,
    positive_int,
    to_tuple,
    tuple_of,
)
from edmscore._validate import optional as maybe
from edmscore._validate import text as text_of
from edmscore.control._model import AssignmentKind
from edmscore.control._requests import ItemRequest, ResolutionRequest
from edmscore.errors import DraftResolutionStateError, ValidationError

__all__ = [
    "MAX_STEPS",
    "DraftAction",
    "DraftItem",
    "DraftResolutionState",
    "DraftStep",
    "ResolutionDraft",
    "draft_transition",
]

#: The most moves (with their request keys) one draft keeps: edits are few in practice.
MAX_STEPS = 200


class DraftResolutionState(enum.Enum):
    """Where a draft resolution stands."""

    #: Ждёт решения руководителя.
    DRAFTED = "drafted"
    #: Утверждён: the resolution exists.
    APPROVED = "approved"
    #: Отклонён руководителем.
    REJECTED = "rejected"
    #: Отозван помощником.
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """The Russian name of the state."""
        return _STATE_LABELS[self]

    @property
    def is_final(self) -> bool:
        """Whether nothing more happens to the draft."""
        return self is not DraftResolutionState.DRAFTED


_STATE_LABELS = {
    DraftResolutionState.DRAFTED: "На рассмотрении",
    DraftResolutionState.APPROVED: "Утверждён",
    DraftResolutionState.REJECTED: "Отклонён",
    DraftResolutionState.WITHDRAWN: "Отозван",
}


class DraftAction(enum.Enum):
    """A move of a draft resolution."""

    DRAFT = "draft"
    EDIT = "edit"
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"


_D = DraftResolutionState
#: (state, action) → the state after it; nothing else is allowed.
_MOVES: dict[tuple[DraftResolutionState, DraftAction], DraftResolutionState] = {
    (_D.DRAFTED, DraftAction.EDIT): _D.DRAFTED,
    (_D.DRAFTED, DraftAction.APPROVE): _D.APPROVED,
    (_D.DRAFTED, DraftAction.REJECT): _D.REJECTED,
    (_D.DRAFTED, DraftAction.WITHDRAW): _D.WITHDRAWN,
}


@attrs.frozen
class DraftItem:
    """One item of a draft resolution: an executor, the text, a date deadline, control."""

    executor_id: str = attrs.field(validator=non_empty_text(64))
    text: str = attrs.field(validator=non_empty_text(8000))
    deadline: pendulum.Date | None = attrs.field(default=None)
    co_executor_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(str)
    )
    kind: AssignmentKind = attrs.field(
        default=AssignmentKind.EXECUTION, validator=instance_of(AssignmentKind)
    )
    on_control: bool = attrs.field(default=False, validator=instance_of(bool))
    controller_id: str | None = attrs.field(default=None, validator=optional_text(64))

    @deadline.validator
    def _check_deadline(self, attribute: attrs.Attribute[object], value: object) -> None:
        if value is not None and (
            not isinstance(value, pendulum.Date) or isinstance(value, pendulum.DateTime)
        ):
            raise ValidationError("deadline", "a draft item's deadline is a date or None")

    @classmethod
    def of(cls, item: ItemRequest | DraftItem) -> DraftItem:
        """The draft item of a control item request (a date deadline, no recurrence)."""
        if isinstance(item, DraftItem):
            return item
        if item.recurrence is not None or item.assignment_id is not None:
            raise ValidationError("items", "a draft item has no recurrence nor a fixed id")
        deadline = item.deadline
        if deadline is not None:
            if not isinstance(deadline, dt.date):
                raise ValidationError("deadline", "a draft item's deadline is a date or None")
            deadline = pendulum.Date(deadline.year, deadline.month, deadline.day)
        return cls(
            item.executor_id, item.text, deadline, item.co_executor_ids, item.kind,
            item.on_control, item.controller_id,
        )  # fmt: skip

    def request(self) -> ItemRequest:
        """The item as the control use cases take it."""
        return ItemRequest(
            self.executor_id, self.text, self.deadline, self.co_executor_ids, self.kind,
            self.on_control, self.controller_id,
        )  # fmt: skip


def _items(value: object) -> object:
    items = to_tuple(value)
    if isinstance(items, tuple):
        return tuple(DraftItem.of(i) if isinstance(i, ItemRequest) else i for i in items)
    return items


@attrs.frozen
class DraftStep:
    """One move of the draft as it is kept with it: who, for whom, when, with which key."""

    action: DraftAction = attrs.field(validator=instance_of(DraftAction))
    at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    user_id: str = attrs.field(validator=non_empty_text(64))
    on_behalf_of: str | None = attrs.field(default=None, validator=optional_text(64))
    request_key: str = attrs.field(default="", validator=text_of(128))
    note: str = attrs.field(default="", validator=text_of(4000))


@attrs.frozen
class ResolutionDraft:
    """A draft resolution on a card, prepared for ``head_id`` (an official), and its moves."""

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    card_id: str = attrs.field(validator=non_empty_text(64))
    head_id: str = attrs.field(validator=non_empty_text(64))
    text: str = attrs.field(validator=non_empty_text(8000))
    items: tuple[DraftItem, ...] = attrs.field(converter=_items, validator=tuple_of(DraftItem))
    state: DraftResolutionState = attrs.field(
        default=DraftResolutionState.DRAFTED, validator=instance_of(DraftResolutionState)
    )
    steps: tuple[DraftStep, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(DraftStep)
    )
    resolution_id: str | None = attrs.field(default=None, validator=optional_text(64))
    reason: str = attrs.field(default="", validator=text_of(4000))
    version: int = attrs.field(default=1, validator=positive_int)
    decided_at: pendulum.DateTime | None = attrs.field(
        default=None, validator=maybe(aware_datetime)
    )

    def __attrs_post_init__(self) -> None:
        if not self.items:
            raise ValidationError("ResolutionDraft.items", "a resolution has at least one item")
        if (self.state is DraftResolutionState.APPROVED) != (self.resolution_id is not None):
            raise ValidationError("resolution_id", "only an approved draft names its resolution")

    @property
    def drafted_by(self) -> str:
        """The user who drafted it."""
        return self.steps[0].user_id if self.steps else ""

    def applied(self, request_key: str) -> DraftStep | None:
        """The step made with ``request_key``, if the draft has seen it."""
        if not request_key:
            return None
        return next((s for s in self.steps if s.request_key == request_key), None)

    def request(self) -> ResolutionRequest:
        """The resolution the draft asks for, as the control use cases take it."""
        return ResolutionRequest(
            card_id=self.card_id, author_id=self.head_id, text=self.text,
            items=tuple(i.request() for i in self.items),
            resolution_id=self.resolution_id,
        )  # fmt: skip


def draft_transition(
    draft: ResolutionDraft,
    action: DraftAction,
    step: DraftStep,
    *,
    text: str | None = None,
    items: tuple[ItemRequest | DraftItem, ...] | None = None,
    resolution_id: str | None = None,
    reason: str = "",
) -> ResolutionDraft:
    """The draft after ``action`` (next version), or :class:`DraftResolutionStateError`."""
    target = _MOVES.get((draft.state, action))
    if target is None:
        raise DraftResolutionStateError(draft.id, draft.state.value, action.value)
    if action is DraftAction.REJECT and not reason.strip():
        raise ValidationError("reason", "a rejection needs a reason")
    if len(draft.steps) >= MAX_STEPS:
        raise ValidationError("steps", f"a draft resolution takes at most {MAX_STEPS} moves")
    return attrs.evolve(
        draft,
        state=target,
        text=draft.text if text is None else text,
        items=draft.items if items is None else tuple(DraftItem.of(i) for i in items),
        steps=(*draft.steps, step),
        resolution_id=resolution_id if action is DraftAction.APPROVE else draft.resolution_id,
        reason=reason if action is DraftAction.REJECT else draft.reason,
        version=draft.version + 1,
        decided_at=step.at if target.is_final else draft.decided_at,
    )
