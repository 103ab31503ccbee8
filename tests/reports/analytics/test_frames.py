"""Analytics rows as Arrow tables and pandas/polars frames: the same rows on every adapter."""

from __future__ import annotations

from edmscore.reports.analytics import registrations, workload
from edmscore.reports.frames import (
    assignments_table,
    cards_table,
    report_table,
    to_pandas,
    to_polars,
)
from edmscore.reports.rows import AssignmentRow, CardRow

from .conftest import YEAR


def _sorted(table, key):
    """The rows without their ids (the demo's ministry draws new ids in each store), sorted."""
    del key
    rows = [tuple(v for k, v in r.items() if not k.endswith("_id")) for r in table.to_pylist()]
    return sorted(rows, key=repr)


def test_cards_table_is_the_same_in_memory_and_on_sqlite(region_memory, region_sqlite):
    (mem, region), (sql, _) = region_memory, region_sqlite
    a = cards_table(mem, region.reader.id, *YEAR)
    b = cards_table(sql, region.reader.id, *YEAR)
    assert tuple(a.column_names) == CardRow.COLUMNS == tuple(b.column_names)
    assert a.schema == b.schema
    assert _sorted(a, "card_id") == _sorted(b, "card_id")
    report = registrations(mem, region.reader.id, *YEAR)
    assert report.total is not None and a.num_rows == report.total[-1]


def test_assignments_table_counts_what_workload_counts(region_memory, region_sqlite):
    (mem, region), (sql, _) = region_memory, region_sqlite
    a = assignments_table(mem, region.reader.id, *YEAR)
    b = assignments_table(sql, region.reader.id, *YEAR)
    assert tuple(a.column_names) == AssignmentRow.COLUMNS
    assert _sorted(a, "assignment_id") == _sorted(b, "assignment_id")
    load = workload(mem, region.reader.id, *YEAR)
    counted = sum(1 for r in a.to_pylist() if r["counted"])
    assert load.total is not None and counted == load.total[2]


def test_frames_of_a_report(region_memory):
    edms, region = region_memory
    report = workload(edms, region.reader.id, *YEAR)
    table = report_table(report)
    assert table.column_names == list(report.headers)
    frame = to_pandas(table)
    assert len(frame) == len(report.rows)
    assert int(frame["Поручений"].sum()) == report.total[2]  # type: ignore[index]
    polars_frame = to_polars(table)
    assert polars_frame.shape == (len(report.rows), len(report.headers))
