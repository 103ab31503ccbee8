"""Stores to back up: the demo's working day (directory, journals, nomenclature, cards with
files, resolutions and assignments, a draft through approval, appeals) on any adapter."""

from __future__ import annotations

import io
from typing import Any

import attrs
import pendulum
import pytest

from edmscore.clock import FixedClock
from edmscore.records import RecordsService

DAY = pendulum.datetime(2026, 3, 16, 10, 0, tz="Asia/Yakutsk")
CREATED = "2026-03-16T18:00:00+09:00"


@attrs.define
class Populated:
    """A populated store and who runs it."""

    storage: Any
    clock: FixedClock
    admin_id: str
    clerk_id: str
    organisation_id: str
    cards: list[Any]


def populate(storage: Any) -> Populated:
    """Run the demo's day on ``storage`` (every capability leaves records)."""
    from edmscore.demo import _appeals, _control_summary, _register_day, _set_up
    from edmscore.demo._approval import approval_section

    clock = FixedClock(DAY)
    setup = _set_up(storage, clock)
    cards = _register_day(RecordsService(storage, clock), clock, setup)
    _control_summary(storage, clock, setup, cards, io.StringIO())
    approval_section(
        storage,
        clock,
        setup.admin_user,
        setup.minister,
        setup.lawyer,
        setup.journals["ИСХ"].id,
        setup.cases["01-05"].id,
        io.StringIO(),
    )
    _appeals(storage, clock, setup)
    from edmscore.archive import ArchiveService

    ArchiveService(storage, clock).place_hold(
        setup.admin_user, setup.cases["01-05"].id, "Запрос суда № 2-15"
    )
    # The entry point's strict policy: the demo's administrator administers the installation.
    with storage.unit_of_work() as uow:
        admin = uow.directory.user(setup.admin_user.id)
        uow.directory.put_user(attrs.evolve(admin, roles=("system_admin", "organisation_admin")))
        uow.commit()
    return Populated(
        storage, clock, setup.admin_user.id, setup.clerk.id, setup.organisation.id, cards
    )


@pytest.fixture
def populated(storage: Any) -> Populated:
    """The demo's day on this test's adapter."""
    return populate(storage)
