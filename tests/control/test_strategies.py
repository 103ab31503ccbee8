"""Properties of imposing resolutions drawn by ``edmscore.testing.strategies``."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given

from edmscore.calendar import russian_calendar
from edmscore.control import AssignmentKind, ItemRequest, ResolutionRequest
from edmscore.directory import Official
from edmscore.errors import ValidationError
from edmscore.testing import strategies as eds
from tests._adapters import adapter_settings

from .conftest import T0, Office

_CALENDAR = russian_calendar()
_TODAY = T0.date()


def _officials(office: Office) -> tuple[Official, ...]:
    return (office.governor, office.deputy, office.chief, office.specialist, office.other)


def test_every_drawn_resolution_is_imposed_with_its_deadlines(
    office: Office, storage_adapter: str
) -> None:
    # One office for all the examples, as resolutions pile up on one card in real life too.
    @adapter_settings(storage_adapter, 40)
    @given(eds.resolution_requests(_officials(office), office.card, _CALENDAR, _TODAY))
    def check(request: ResolutionRequest) -> None:
        resolution = office.control.impose(office.world.clerk, request)
        assert len(resolution.item_ids) == len(request.items)
        viewer = office.user(office.governor)
        for item, assignment_id in zip(request.items, resolution.item_ids, strict=True):
            assignment = office.control.get(viewer, assignment_id)
            assert assignment.executor_id == item.executor_id
            assert assignment.on_control == item.on_control
            if isinstance(item.deadline, pendulum.Date):
                assert assignment.due == item.deadline
                assert _CALENDAR.is_working_day(assignment.due)
            elif item.deadline is None and item.kind is AssignmentKind.INFORMATION:
                assert assignment.due is None
            else:
                assert assignment.due is not None and assignment.due >= _TODAY
                assert _CALENDAR.is_working_day(assignment.due)

    check()


@given(eds.working_days(_CALENDAR, pendulum.Date(2026, 1, 1), pendulum.Date(2026, 1, 31)))
def test_working_days_skip_the_new_year_holidays(day: pendulum.Date) -> None:
    assert _CALENDAR.is_working_day(day)
    assert day >= pendulum.Date(2026, 1, 12)  # 1–11 January 2026 are days off


@given(eds.invalid_item_requests())
def test_invalid_items_are_refused_naming_the_field(case: tuple[dict[str, object], str]) -> None:
    kwargs, field = case
    with pytest.raises(ValidationError) as caught:
        ItemRequest(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


@given(eds.invalid_resolution_requests())
def test_invalid_resolutions_are_refused_naming_the_field(
    case: tuple[dict[str, object], str],
) -> None:
    kwargs, field = case
    with pytest.raises(ValidationError) as caught:
        ResolutionRequest(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_the_service_refuses_a_future_resolution(office: Office, storage_adapter: str) -> None:
    @adapter_settings(storage_adapter, 15)
    @given(eds.refused_resolution_requests(_officials(office), office.card, _CALENDAR, _TODAY))
    def check(case: tuple[ResolutionRequest, str]) -> None:
        request, field = case
        with pytest.raises(ValidationError) as caught:
            office.control.impose(office.world.clerk, request)
        assert caught.value.field == field

    check()
