"""A stored organisation and services on a fresh in-memory storage, for the use-case tests."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore.clock import FixedClock
from edmscore.services import AdminService, RecordsService
from edmscore.storage import MemoryStorage
from edmscore.testing import World, make_world

T0 = pendulum.datetime(2026, 3, 2, 9, 30, tz="Asia/Yakutsk")


@attrs.define
class Env:
    storage: MemoryStorage
    clock: FixedClock
    world: World
    records: RecordsService
    admin: AdminService


def build_env() -> Env:
    storage = MemoryStorage()
    clock = FixedClock(T0)
    world = make_world()
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(world.organisation)
        for department in world.departments:
            uow.directory.put_department(department)
        for official in world.officials:
            uow.directory.put_official(official)
        for user in (world.clerk, world.cleared, world.plain):
            uow.directory.put_user(user)
        uow.journals.add(world.journal)
        uow.commit()
    return Env(storage, clock, world, RecordsService(storage, clock), AdminService(storage, clock))


@pytest.fixture
def env() -> Env:
    return build_env()
