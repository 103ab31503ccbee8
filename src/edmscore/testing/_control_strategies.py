"""Hypothesis strategies for resolutions and assignments (``edmscore.control`` requests).

Valid requests are drawn over a given directory (the officials who may author, execute and
control) and card; deadlines are working days of a production calendar or its instruction
policies. Invalid ones come with the field a :class:`~edmscore.errors.ValidationError` must name.
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "hypothesis", "testing") from exc

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pendulum

from edmscore.calendar import (
    NO_TERM,
    OPERATIONAL,
    URGENT,
    VERY_URGENT,
    DeadlinePolicy,
    ProductionCalendar,
)
from edmscore.control import AssignmentKind, ItemRequest, ResolutionRequest
from edmscore.directory import Official
from edmscore.registry import RegistrationCard

__all__ = [
    "control_deadlines",
    "instruction_policies",
    "invalid_item_requests",
    "invalid_resolution_requests",
    "item_requests",
    "refused_resolution_requests",
    "resolution_requests",
    "working_days",
]

_TEXTS = (
    "Подготовить ответ заявителю",
    "Дать правовую оценку",
    "Рассмотреть и доложить",
    "Представить предложения",
    "Обеспечить исполнение",
    "Взять на контроль",
)


def _plain(day: dt.date) -> pendulum.Date:
    return pendulum.Date(day.year, day.month, day.day)


def working_days(
    calendar: ProductionCalendar, start: dt.date, end: dt.date
) -> st.SearchStrategy[pendulum.Date]:
    """Working days of ``calendar`` in ``[start, end]`` (the range must hold one)."""
    first, last = _plain(start), _plain(end)
    span = (last - first).days
    if span < 0:
        raise ValueError("working_days: start is after end")
    days = (first.add(days=i) for i in range(span + 1))
    chosen = [d for d in days if calendar.is_working_day(d)]
    if not chosen:
        raise ValueError("working_days: no working day in the range")
    return st.sampled_from(chosen)


def instruction_policies() -> st.SearchStrategy[DeadlinePolicy]:
    """The instruction's deadline presets: «Без срока», «Срочно», «Оперативно», «Весьма срочно»."""
    return st.sampled_from((NO_TERM, URGENT, OPERATIONAL, VERY_URGENT))


def control_deadlines(
    calendar: ProductionCalendar, start: dt.date, horizon: int = 60
) -> st.SearchStrategy[pendulum.Date | DeadlinePolicy | None]:
    """A deadline for an item issued on ``start``: a working day within ``horizon`` calendar days
    after it, an instruction policy, or None (the default term)."""
    first = _plain(start)
    return st.one_of(
        working_days(calendar, first, first.add(days=horizon)),
        instruction_policies(),
        st.none(),
    )


@st.composite
def item_requests(
    draw: st.DrawFn,
    officials: Sequence[Official],
    calendar: ProductionCalendar,
    start: dt.date,
    horizon: int = 60,
) -> ItemRequest:
    """A valid item over ``officials``: executor, co-executors, maybe on control, a deadline.

    An item «к сведению» is drawn now and then; it never carries a controller.
    """
    if not officials:
        raise ValueError("item_requests: the directory has no officials")
    ids = [o.id for o in officials]
    executor = draw(st.sampled_from(ids))
    others = [i for i in ids if i != executor]
    co_executors = (
        draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
    )
    kind = draw(st.sampled_from(AssignmentKind))
    on_control = kind is AssignmentKind.EXECUTION and draw(st.booleans())
    return ItemRequest(
        executor_id=executor,
        text=draw(st.sampled_from(_TEXTS)),
        deadline=draw(control_deadlines(calendar, start, horizon)),
        co_executor_ids=tuple(co_executors),
        kind=kind,
        on_control=on_control,
        controller_id=draw(st.sampled_from(ids)) if on_control else None,
    )


@st.composite
def resolution_requests(
    draw: st.DrawFn,
    officials: Sequence[Official],
    card: RegistrationCard,
    calendar: ProductionCalendar,
    on: dt.date,
    max_items: int = 4,
) -> ResolutionRequest:
    """A valid resolution on ``card`` by one of ``officials``, dated ``on`` (not in the future
    for the service's clock), with one to ``max_items`` items."""
    items = draw(st.lists(item_requests(officials, calendar, on), min_size=1, max_size=max_items))
    return ResolutionRequest(
        card_id=card.id,
        author_id=draw(st.sampled_from([o.id for o in officials])),
        text=draw(st.sampled_from(("Прошу рассмотреть", "В работу", "Прошу подготовить ответ"))),
        items=tuple(items),
        date=_plain(on),
    )


@st.composite
def invalid_item_requests(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """Keyword arguments for :class:`ItemRequest` that must be refused, with the field to blame."""
    base: dict[str, Any] = {"executor_id": "executor", "text": "Подготовить ответ"}
    cases: tuple[tuple[str, dict[str, Any]], ...] = (
        ("ItemRequest.executor_id", {"executor_id": ""}),
        ("ItemRequest.executor_id", {"executor_id": "   "}),
        ("ItemRequest.executor_id", {"executor_id": "x" * 65}),
        ("ItemRequest.text", {"text": " "}),
        ("ItemRequest.text", {"text": "т" * 8001}),
        ("ItemRequest.deadline", {"deadline": "2026-03-10"}),
        ("ItemRequest.deadline", {"deadline": pendulum.datetime(2026, 3, 10)}),
        ("ItemRequest.deadline", {"deadline": 10}),
        ("ItemRequest.co_executor_ids[0]", {"co_executor_ids": (7,)}),
        ("ItemRequest.kind", {"kind": "information"}),
        ("ItemRequest.on_control", {"on_control": "да"}),
        ("ItemRequest.controller_id", {"controller_id": ""}),
        ("ItemRequest.recurrence", {"recurrence": "monthly"}),
    )
    field, changes = draw(st.sampled_from(cases))
    return {**base, **changes}, field


@st.composite
def invalid_resolution_requests(
    draw: st.DrawFn, card_id: str = "card", author_id: str = "author"
) -> tuple[dict[str, Any], str]:
    """Keyword arguments for :class:`ResolutionRequest` that must be refused, with the field."""
    item = ItemRequest(author_id, "Подготовить ответ")
    base: dict[str, Any] = {
        "card_id": card_id,
        "author_id": author_id,
        "text": "Прошу рассмотреть",
        "items": (item,),
    }
    cases: tuple[tuple[str, dict[str, Any]], ...] = (
        ("ResolutionRequest.items", {"items": ()}),
        ("ResolutionRequest.items[1]", {"items": (item, "Подготовить ответ")}),
        ("ResolutionRequest.card_id", {"card_id": ""}),
        ("ResolutionRequest.author_id", {"author_id": "  "}),
        ("ResolutionRequest.text", {"text": ""}),
        ("ResolutionRequest.date", {"date": "2026-03-02"}),
        ("ResolutionRequest.resolution_id", {"resolution_id": ""}),
    )
    field, changes = draw(st.sampled_from(cases))
    return {**base, **changes}, field


@st.composite
def refused_resolution_requests(
    draw: st.DrawFn,
    officials: Sequence[Official],
    card: RegistrationCard,
    calendar: ProductionCalendar,
    today: dt.date,
) -> tuple[ResolutionRequest, str]:
    """Well-formed resolutions the service must refuse on ``today``, with the field to blame.

    They pass every constructor check; the service refuses them against its state: a resolution
    dated after today is refused on ``date``.
    """
    valid = draw(resolution_requests(officials, card, calendar, today))
    ahead = draw(st.integers(1, 30))
    future = ResolutionRequest(
        card_id=valid.card_id,
        author_id=valid.author_id,
        text=valid.text,
        items=valid.items,
        date=_plain(today).add(days=ahead),
    )
    return future, "date"
