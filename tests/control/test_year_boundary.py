"""Assignment deadlines counted into a year without its decree: marked, reported, recounted."""

from __future__ import annotations

import attrs
import pendulum

from edmscore.calendar import (
    NO_TERM,
    Decree,
    Transfer,
    YearData,
    YearStatus,
    russian_calendar,
    statutory_year,
)
from edmscore.control import ControlService, ItemRequest, ResolutionRequest
from edmscore.reports import render_discipline
from tests.control.conftest import Office

D = pendulum.Date


def _decree_2028() -> YearData:
    """A hypothetical decree for 2028 moving 1 January (a Saturday) to Monday 10 January."""
    rules = statutory_year(2028)
    return attrs.evolve(
        rules,
        status=YearStatus.OFFICIAL,
        days_off={**rules.days_off, D(2028, 1, 10): "перенос с 01.01.2028"},
        transfers=(*rules.transfers, Transfer(D(2028, 1, 1), D(2028, 1, 10))),
        shortened=rules.shortened - {D(2027, 12, 31)},
        decree=Decree("9999", D(2027, 9, 1), "test"),
        note="",
    )


def test_a_deadline_reaching_2028_is_provisional_until_the_decree_is_loaded(
    office: Office,
) -> None:
    office.clock.set(pendulum.datetime(2027, 12, 10, 9, tz="Asia/Yakutsk"))
    governor = office.user(office.governor)
    resolution = office.control.impose(
        office.world.clerk,
        ResolutionRequest(
            office.card.id,
            office.governor.id,
            "Прошу рассмотреть",
            (
                ItemRequest(office.deputy.id, "Без срока", NO_TERM),
                ItemRequest(office.chief.id, "К дате", D(2028, 1, 14)),
            ),
        ),
    )
    counted, fixed = (office.control.get(governor, i) for i in resolution.item_ids)
    assert (counted.due, counted.due_provisional) == (D(2028, 1, 10), True)
    assert (fixed.due, fixed.due_provisional) == (D(2028, 1, 14), False)  # a person's date

    # Overdue in a report while still provisional: the report says so.
    office.clock.set(pendulum.datetime(2028, 1, 12, 9, tz="Asia/Yakutsk"))
    report = office.control.discipline(governor, D(2028, 1, 1), D(2028, 1, 31), D(2028, 1, 12))
    assert report.overdue[0].provisional
    assert report.overdue[0].cells()[4] == "10.01.2028 (предварительно)"
    assert "предварительно" in render_discipline(report)

    loaded = russian_calendar().with_years([_decree_2028()])
    later = ControlService(office.storage, office.clock, loaded)
    moves = later.recompute_provisional(governor, D(2027, 12, 1), D(2028, 2, 29))
    assert [(m.entity_id, m.old, m.new, m.provisional) for m in moves] == [
        (counted.id, D(2028, 1, 10), D(2027, 12, 30), False)
    ]
    recounted = later.get(governor, counted.id)
    assert (recounted.due, recounted.due_provisional) == (D(2027, 12, 30), False)
    assert recounted.deadline_history[-1].new_due == D(2027, 12, 30)
    assert later.recompute_provisional(governor, D(2027, 12, 1), D(2028, 2, 29)) == ()
