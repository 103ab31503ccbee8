"""A stored organisation and services on a fresh in-memory storage, for the use-case tests."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore.clock import FixedClock
from edmscore.services import AdminService, RecordsService
from edmscore.storage import MemoryStorage
from edmscore.testing import World, make_world, store_world

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
    world = store_world(storage, make_world())
    return Env(storage, clock, world, RecordsService(storage, clock), AdminService(storage, clock))


@pytest.fixture
def env() -> Env:
    return build_env()
