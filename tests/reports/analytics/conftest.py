"""A region's government in memory and on SQLite, the same records in both."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from edmscore import Edms
from edmscore.demo._analytics import AnalyticsRegion, build_region
from edmscore.storage import MemoryStorage
from edmscore.storage.sql import SqlStorage

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture(scope="module")
def region_memory() -> tuple[Edms, AnalyticsRegion]:
    storage = MemoryStorage()
    region = build_region(storage, cards_per_organisation=40, with_demo_day=True)
    return Edms(storage, clock=region.clock, policy=region.policy), region


@pytest.fixture(scope="module")
def region_sqlite() -> tuple[Edms, AnalyticsRegion]:
    storage = SqlStorage(sa.create_engine("sqlite://"))
    region = build_region(storage, cards_per_organisation=40, with_demo_day=True)
    return Edms(storage, clock=region.clock, policy=region.policy), region
