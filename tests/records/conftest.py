"""A stored organisation and services on a fresh storage of each adapter, for the use-case tests."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore.clock import FixedClock
from edmscore.records import AdminService, RecordsService
from edmscore.testing import World, make_world, store_world
from tests._adapters import AnyStorage

T0 = pendulum.datetime(2026, 3, 2, 9, 30, tz="Asia/Yakutsk")


@attrs.define
class Env:
    storage: AnyStorage
    clock: FixedClock
    world: World
    records: RecordsService
    admin: AdminService


def build_env(storage: AnyStorage) -> Env:
    """Store the world in ``storage`` (fresh and empty) and build the services on it."""
    clock = FixedClock(T0)
    world = store_world(storage, make_world())
    return Env(storage, clock, world, RecordsService(storage, clock), AdminService(storage, clock))


@pytest.fixture
def env(storage: AnyStorage) -> Env:
    return build_env(storage)
