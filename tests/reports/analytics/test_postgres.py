"""The read model on a real PostgreSQL: the views have the pinned columns, and every report gives
the numbers the in-memory adapter gives for the same region."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from edmscore import Edms
from edmscore.demo._analytics import build_region
from edmscore.reports.analytics import REPORTS
from edmscore.storage import MemoryStorage
from edmscore.storage.sql import SqlStorage

from .conftest import YEAR
from .test_views import PINNED

pytestmark = pytest.mark.postgres


def _region(storage: MemoryStorage | SqlStorage) -> tuple[Edms, str]:
    region = build_region(storage, cards_per_organisation=12, with_demo_day=True)
    return Edms(storage, clock=region.clock, policy=region.policy), region.reader.id


def test_every_report_on_postgres_equals_memory(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    engine = postgres_schema()
    on_postgres, reader = _region(SqlStorage(engine))
    in_memory, _ = _region(MemoryStorage())
    with engine.connect() as conn:
        for name, columns in PINNED.items():
            found = conn.exec_driver_sql(f"SELECT * FROM {name} LIMIT 1").keys()
            assert tuple(found) == tuple(columns.split()), name
        cards = conn.exec_driver_sql("SELECT count(*) FROM edms_v1_cards").scalar()
    assert cards
    counted = REPORTS["registrations"](on_postgres, reader, *YEAR).total
    assert counted is not None and isinstance(counted[-1], int) and counted[-1] > 0
    for name, report in sorted(REPORTS.items()):
        assert report(on_postgres, reader, *YEAR) == report(in_memory, reader, *YEAR), name
