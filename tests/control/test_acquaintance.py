"""Acquaintance: a card sent to a list of people, acknowledgments with time, the not-yet-read
report and the reminder listing on the production calendar."""

from __future__ import annotations

import pendulum
import pytest

from edmscore.access import Principal
from edmscore.errors import AccessDenied, ValidationError
from tests.control.conftest import Office

D = pendulum.Date


def _people(office: Office) -> list[str]:
    return [office.user(o).id for o in (office.deputy, office.chief, office.specialist)]


def test_who_has_read_and_who_has_not(office: Office) -> None:
    c, clerk = office.control, office.world.clerk.id
    deputy, chief, specialist = _people(office)
    sheet = c.send_for_acquaintance(
        clerk, office.card.id, [deputy, chief, specialist], sheet_id="s1"
    )
    assert sheet.pending == (deputy, chief, specialist)
    assert c.send_for_acquaintance(clerk, office.card.id, [deputy], sheet_id="s1") == sheet
    office.clock.set(pendulum.datetime(2026, 3, 3, 11, 30, tz="Asia/Yakutsk"))
    read = c.acknowledge_acquaintance(chief, "s1")
    assert read.pending == (deputy, specialist)
    assert c.acknowledge_acquaintance(chief, "s1") == read  # a second time changes nothing
    with pytest.raises(AccessDenied):
        c.acknowledge_acquaintance(office.user(office.other).id, "s1")  # not on the list
    with pytest.raises(AccessDenied):  # acquaintance is personal
        c.acknowledge_acquaintance(Principal(chief, on_behalf_of=deputy), "s1")
    lines = c.acquaintance_report(clerk, "s1")
    assert [(x.user_id, x.mark) for x in lines] == [
        (deputy, "Не ознакомлен"),
        (chief, "Ознакомлен 03.03.2026 11:30"),
        (specialist, "Не ознакомлен"),
    ]
    assert [s.id for s in c.acquaintances_of_card(clerk, office.card.id)] == ["s1"]


def test_reminders_fall_due_on_working_days_and_stop_once_read(office: Office) -> None:
    c, clerk = office.control, office.world.clerk.id
    deputy, chief, _ = _people(office)
    office.clock.set(pendulum.datetime(2026, 3, 6, 10, tz="Asia/Yakutsk"))  # Friday
    c.send_for_acquaintance(clerk, office.card.id, [deputy, chief], sheet_id="s2")
    assert c.acquaintance_reminders_due(clerk) == []
    # Saturday, Sunday and 9 March (the holiday moved from 8 March) are not working days
    office.clock.set(pendulum.datetime(2026, 3, 9, 10, tz="Asia/Yakutsk"))
    assert c.acquaintance_reminders_due(clerk) == []
    office.clock.set(pendulum.datetime(2026, 3, 10, 10, tz="Asia/Yakutsk"))
    due = c.acquaintance_reminders_due(clerk)
    assert sorted(d.user_id for d in due) == sorted([deputy, chief])
    c.record_acquaintance_reminders(clerk, "s2", [deputy, chief])
    assert c.acquaintance_reminders_due(clerk) == []
    c.acknowledge_acquaintance(chief, "s2")
    office.clock.set(pendulum.datetime(2026, 3, 11, 10, tz="Asia/Yakutsk"))
    assert [d.user_id for d in c.acquaintance_reminders_due(clerk)] == [deputy]
    c.acknowledge_acquaintance(deputy, "s2")
    office.clock.set(pendulum.datetime(2026, 3, 12, 10, tz="Asia/Yakutsk"))
    assert c.acquaintance_reminders_due(clerk) == []


def test_a_sheet_lists_people_of_the_organisation_once(office: Office) -> None:
    c, clerk = office.control, office.world.clerk.id
    deputy, _, _ = _people(office)
    with pytest.raises(ValidationError):
        c.send_for_acquaintance(clerk, office.card.id, [deputy, deputy])
    with pytest.raises(ValidationError):
        c.send_for_acquaintance(clerk, office.card.id, [])
