"""An appeal whose terms reach a year without its decree: registered, marked, recounted later."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest

from edmscore.appeals import AppealsService, sample_topics
from edmscore.calendar import Decree, Transfer, YearData, YearStatus, russian_calendar
from edmscore.calendar import statutory_year as rules_of
from edmscore.clock import FixedClock
from edmscore.errors import ValidationError

from .conftest import Env, request

D = pendulum.Date


def _at(env: Env, day: dt.date) -> AppealsService:
    clock = FixedClock(pendulum.datetime(day.year, day.month, day.day, 10, tz="Asia/Yakutsk"))
    return AppealsService(env.storage, russian_calendar(), clock, classifier=sample_topics())


def test_registering_on_6_december_2026_with_the_default_calendar(env: Env) -> None:
    service = _at(env, D(2026, 12, 6))
    appeal = service.register_appeal(env.world.clerk, request(env, received_on=D(2026, 12, 4)))
    # 30 days reach 5 January 2027, a holiday: the next working day under decree № 1187.
    assert appeal.review_due == D(2027, 1, 11)
    assert appeal.provisional_dues == ()


def _decree_2028() -> YearData:
    """A decree for 2028 as the Government might issue it: 1 January (a Saturday) → 10 January."""
    rules = rules_of(2028)
    moved = Transfer(D(2028, 1, 1), D(2028, 1, 10))
    return attrs.evolve(
        rules,
        status=YearStatus.OFFICIAL,
        days_off={**rules.days_off, D(2028, 1, 10): "перенос с 01.01.2028"},
        transfers=(*rules.transfers, moved),
        decree=Decree("9999", D(2027, 9, 1), "test"),
        note="",
    )


def test_terms_reaching_a_year_without_its_decree_are_provisional_until_recounted(
    env: Env,
) -> None:
    clerk = env.world.clerk
    service = _at(env, D(2027, 12, 6))
    appeal = service.register_appeal(clerk, request(env, received_on=D(2027, 12, 6)))
    # 5 January 2028 is a holiday; on the statutory rules the next working day is Monday 10th.
    assert appeal.review_due == D(2028, 1, 10)
    assert appeal.is_provisional("review_due")
    assert not appeal.is_provisional("registration_due")
    stored = service.appeal(clerk, appeal.id)
    assert stored.provisional_dues == appeal.provisional_dues  # kept by the adapter
    with env.storage.unit_of_work() as uow:
        registered = [e for _, e in uow.audit.events(appeal.id) if e.action == "appeal.registered"]
    assert "предварительн" in registered[0].note

    # The decree for 2028 is loaded: recount what was provisional, and see what moved.
    loaded = russian_calendar().with_years([_decree_2028()])
    later = AppealsService(env.storage, loaded, service.clock, classifier=sample_topics())
    moves = later.recompute_provisional(clerk, D(2027, 12, 1), D(2027, 12, 31))
    review = [m for m in moves if m.field == "review_due"]
    assert len(review) == 1
    assert (review[0].old, review[0].new, review[0].moved) == (D(2028, 1, 10), D(2028, 1, 11), True)
    assert not review[0].provisional
    recounted = later.appeal(clerk, appeal.id)
    assert recounted.review_due == D(2028, 1, 11)
    assert recounted.provisional_dues == ()
    with env.storage.unit_of_work() as uow:
        actions = [e.action for _, e in uow.audit.events(appeal.id)]
    assert "appeal.deadlines_recomputed" in actions
    # Nothing is left to recount.
    assert later.recompute_provisional(clerk, D(2027, 12, 1), D(2027, 12, 31)) == ()


def test_assignments_linked_to_a_provisional_term_follow_its_recount(env: Env) -> None:
    from edmscore.appeals import execute_through_control, follow_extension
    from edmscore.control import ControlService

    clerk = env.world.clerk
    head, executor = env.world.officials[1].id, env.world.officials[0].id
    service = _at(env, D(2027, 12, 6))
    appeal = service.register_appeal(
        clerk, request(env, received_on=D(2027, 12, 6), executor_id=executor)
    )
    control = ControlService(env.storage, service.clock, russian_calendar())
    linked, _ = execute_through_control(service, control, clerk, appeal.id, appeal.version, head)
    assignment_id = linked.questions[0].assignment_id
    assert assignment_id is not None
    first = control.get(clerk, assignment_id)
    assert (first.due, first.due_provisional) == (D(2028, 1, 10), True)

    loaded = russian_calendar().with_years([_decree_2028()])
    later = AppealsService(env.storage, loaded, service.clock, classifier=sample_topics())
    later.recompute_provisional(clerk, D(2027, 12, 1), D(2027, 12, 31))
    recounted = later.appeal(clerk, appeal.id)
    moved = follow_extension(ControlService(env.storage, service.clock, loaded), clerk, recounted)
    assert [(a.due, a.due_provisional) for a in moved] == [(D(2028, 1, 11), False)]


def test_a_materials_term_reaching_a_year_without_its_decree_is_provisional_until_recounted(
    env: Env,
) -> None:
    clerk = env.world.clerk
    appeal = _at(env, D(2027, 12, 6)).register_appeal(
        clerk, request(env, received_on=D(2027, 12, 6))
    )
    asking = _at(env, D(2027, 12, 20))
    asked = asking.request_materials(clerk, appeal.id, appeal.version, "МВД по Республике Саха")
    # 15 days reach 4 January 2028, a holiday; on the statutory rules alone: Monday the 10th.
    (materials,) = asked.materials
    assert (materials.due, materials.due_provisional) == (D(2028, 1, 10), True)
    assert asking.appeal(clerk, appeal.id).materials == asked.materials  # kept by the adapter
    with env.storage.unit_of_work() as uow:
        noted = [e.note for _, e in uow.audit.events(appeal.id) if "materials" in e.action]
    assert "materials[1].due" in noted[0] and "предварительн" in noted[0]

    loaded = russian_calendar().with_years([_decree_2028()])
    later = AppealsService(env.storage, loaded, asking.clock, classifier=sample_topics())
    moves = later.recompute_provisional(clerk, D(2027, 12, 1), D(2027, 12, 31))
    (move,) = [m for m in moves if m.field == "materials[1].due"]
    assert (move.old, move.new, move.provisional) == (D(2028, 1, 10), D(2028, 1, 11), False)
    (recounted,) = later.appeal(clerk, appeal.id).materials
    assert (recounted.due, recounted.due_provisional) == (D(2028, 1, 11), False)
    assert later.recompute_provisional(clerk, D(2027, 12, 1), D(2027, 12, 31)) == ()


def test_an_appeal_stored_before_the_mark_reads_its_materials_as_confirmed(env: Env) -> None:
    from edmscore.appeals._codec import appeal_from_primitive, appeal_to_primitive

    service = _at(env, D(2026, 12, 1))
    appeal = service.register_appeal(env.world.clerk, request(env, received_on=D(2026, 12, 1)))
    asked = service.request_materials(env.world.clerk, appeal.id, appeal.version, "УФНС")
    stored = appeal_to_primitive(asked)
    assert stored["materials"][0]["due_provisional"] is False
    del stored["materials"][0]["due_provisional"]  # the shape written before this field
    assert appeal_from_primitive(stored) == asked
    stored["materials"][0]["due_provisional"] = "yes"
    with pytest.raises(ValidationError):
        appeal_from_primitive(stored)
