"""Deputies under dated substitutions in control: the deputy sees, reports and accepts the absent
officials' assignments, only while the substitution is in force and hands over control."""

from __future__ import annotations

import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.access import Principal
from edmscore.control import AssignmentQuery, AssignmentState, ItemRequest, ResolutionRequest
from edmscore.directory import Official, Power, Substitution
from edmscore.errors import ActorBlocked
from edmscore.records import RegistrationRequest
from edmscore.testing import make_details
from tests.control.conftest import Office

D = pendulum.Date


def _absent(office: Office, who: Official, deputy: Official, *powers: Power) -> None:
    with office.storage.unit_of_work() as uow:
        uow.substitutions.put(
            Substitution(
                new_id(),
                office.world.organisation.id,
                who.id,
                deputy.id,
                D(2026, 3, 3),
                D(2026, 3, 31),
                "Отпуск",
                powers=frozenset(powers),
            )
        )
        uow.commit()


def _on_control(office: Office) -> str:
    item = ItemRequest(
        office.deputy.id, "Подготовить ответ", deadline=D(2026, 3, 20), on_control=True,
        controller_id=office.other.id,
    )  # fmt: skip
    resolution = office.control.impose(
        office.world.clerk,
        ResolutionRequest(office.card.id, office.governor.id, "Прошу", (item,)),
    )
    return resolution.item_ids[0]


def test_a_deputy_reports_and_another_accepts_for_the_absent(office: Office) -> None:
    a = _on_control(office)  # on 2 March, everyone is at work
    _absent(office, office.deputy, office.chief, Power.CONTROL)  # from 3 March
    _absent(office, office.other, office.specialist)  # every power
    executor, controller = office.user(office.deputy), office.user(office.other)
    stand_in = Principal(office.user(office.chief).id, on_behalf_of=executor.id)
    with pytest.raises(ActorBlocked):  # the substitution is not in force yet
        office.control.report(stand_in, a, 1, "Исполнено")
    office.clock.set(pendulum.datetime(2026, 3, 4, 10, tz="Asia/Yakutsk"))
    listed = {x.id for x in office.control.assignments(stand_in, AssignmentQuery())}
    assert a in listed
    reported = office.control.report(stand_in, a, 1, "Исполнено")
    assert reported.state is AssignmentState.REPORTED
    closing = Principal(office.user(office.specialist).id, on_behalf_of=controller.id)
    accepted = office.control.accept(closing, a, reported.version)
    assert accepted.state is AssignmentState.DONE
    trail = [
        (e.action, e.actor_id, e.on_behalf_of)
        for e in office.control.history(office.world.clerk, a)
        if e.action in ("assignment.reported", "assignment.accepted")
    ]
    assert trail == [
        ("assignment.reported", office.user(office.chief).id, executor.id),
        ("assignment.accepted", office.user(office.specialist).id, controller.id),
    ]


def test_a_substitution_without_the_control_power_does_not_let_the_deputy_report(
    office: Office,
) -> None:
    a = _on_control(office)
    _absent(office, office.deputy, office.chief, Power.APPROVAL, Power.SIGNING)
    office.clock.set(pendulum.datetime(2026, 3, 4, 10, tz="Asia/Yakutsk"))
    stand_in = Principal(office.user(office.chief).id, on_behalf_of=office.user(office.deputy).id)
    with pytest.raises(ActorBlocked):
        office.control.report(stand_in, a, 1, "Исполнено")


def test_after_the_substitution_ends_the_deputy_is_refused(office: Office) -> None:
    a = _on_control(office)
    _absent(office, office.deputy, office.chief)
    office.clock.set(pendulum.datetime(2026, 4, 1, 10, tz="Asia/Yakutsk"))
    stand_in = Principal(office.user(office.chief).id, on_behalf_of=office.user(office.deputy).id)
    with pytest.raises(ActorBlocked):
        office.control.report(stand_in, a, 1, "Исполнено")


def test_a_deputy_registers_for_the_absent_registrar(office: Office) -> None:
    clerk = office.world.clerk
    assert clerk.official_id is not None
    registrar = next(o for o in office.world.officials if o.id == clerk.official_id)
    _absent(office, registrar, office.specialist, Power.REGISTRATION)
    office.clock.set(pendulum.datetime(2026, 3, 4, 10, tz="Asia/Yakutsk"))
    stand_in = Principal(office.user(office.specialist).id, on_behalf_of=clerk.id)
    card = office.records.register(
        stand_in,
        RegistrationRequest(office.world.journal.id, make_details(received_on=D(2026, 3, 4))),
    )
    (event,) = [e for e in office.records.history(clerk, card.id) if e.action == "card.registered"]
    assert (event.actor_id, event.on_behalf_of) == (office.user(office.specialist).id, clerk.id)
