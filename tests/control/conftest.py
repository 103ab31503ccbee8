"""A small governor's office with a registered letter, for the control tests."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.clock import FixedClock
from edmscore.control import ControlService
from edmscore.directory import Clearance, Official, PersonName, User
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import RegistrationCard
from edmscore.testing import World, make_details, make_world
from tests._adapters import AnyStorage

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk")


@attrs.frozen
class Office:
    """The storage, clock, services and people of the tests."""

    storage: AnyStorage
    clock: FixedClock
    control: ControlService
    records: RecordsService
    world: World
    governor: Official
    deputy: Official
    chief: Official
    specialist: Official
    other: Official
    users: dict[str, User]
    card: RegistrationCard

    def user(self, official: Official) -> User:
        """The user acting for ``official``."""
        return self.users[official.id]


def build_office(storage: AnyStorage) -> Office:
    """Store a world, five officials with users and one registered incoming letter in ``storage``
    (fresh and empty)."""
    world = make_world()
    org = world.organisation.id
    dep_a, dep_b = world.departments
    people = {
        "governor": ("Орлов", "Губернатор области", None),
        "deputy": ("Лебедев", "Заместитель губернатора", dep_a.id),
        "chief": ("Сорокина", "Начальник правового отдела", dep_b.id),
        "specialist": ("Воронов", "Главный специалист", dep_b.id),
        "other": ("Галкина", "Начальник отдела делопроизводства", dep_a.id),
    }
    officials = {
        key: Official(new_id(), org, PersonName(surname, "Иван", "Петрович"), position, dep)
        for key, (surname, position, dep) in people.items()
    }
    users = {
        o.id: User(new_id(), f"u-{key}-{o.id[:6]}", org, o.id, Clearance.DSP)
        for key, o in officials.items()
    }
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(world.organisation)
        for department in world.departments:
            uow.directory.put_department(department)
        for official in (*world.officials, *officials.values()):
            uow.directory.put_official(official)
        for user in (world.clerk, world.cleared, world.plain, *users.values()):
            uow.directory.put_user(user)
        uow.journals.add(world.journal)
        uow.commit()
    clock = FixedClock(T0)
    records = RecordsService(storage, clock)
    card = records.register(
        world.clerk,
        RegistrationRequest(world.journal.id, make_details(received_on=T0.date())),
    )
    return Office(
        storage,
        clock,
        ControlService(storage, clock),
        records,
        world,
        users=users,
        card=card,
        **officials,
    )


@pytest.fixture
def office(storage: AnyStorage) -> Office:
    """A fresh office for each test, on each adapter."""
    return build_office(storage)
