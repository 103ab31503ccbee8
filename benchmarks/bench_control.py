"""The execution-discipline report over 1,000,000 assignments: memory, SQLite, hand-written SQL.

Three timings of the same figures (per department and executor: on time, late, overdue open,
open not yet due) over the same generated assignments:

- **edmscore, memory** — ``MemoryStorage``'s ``discipline_counts`` in a unit of work, summed by
  ``build_discipline_report``;
- **edmscore, SQLite** — the same report built from the ``GROUP BY`` a SQL adapter of
  ``AssignmentRepository.discipline_counts`` runs (the SQL adapter of assignments is not built
  yet, so the table is written here with the standard library's sqlite3);
- **peer: hand-written SQL** — the bare aggregate query over the same table, rows fetched.

The ratio printed is edmscore (memory) over the hand-written aggregate; the goal is ≤ 2×. The
figures of all three are checked equal. Data is generated with attrs validators switched off
(the values are valid by construction) so that a million assignments load in seconds.

Run: python benchmarks/bench_control.py [N]
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from collections.abc import Iterator

import attrs
import pendulum

from edmscore.access import AccessScope
from edmscore.control import Assignment, AssignmentKind, AssignmentState, DisciplineCount
from edmscore.reports import DisciplineReport, build_discipline_report
from edmscore.storage import MemoryStorage
from edmscore.testing import make_card

ORG = "org"
YEAR = (pendulum.Date(2026, 1, 1), pendulum.Date(2026, 12, 31))
MONTH = (pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31))
AS_OF = pendulum.Date(2026, 9, 30)
_DAYS = [YEAR[0].add(days=i) for i in range(400)]
_STATES = {
    "open": AssignmentState.OPEN,
    "reported": AssignmentState.REPORTED,
    "done": AssignmentState.DONE,
    "cancelled": AssignmentState.CANCELLED,
}


def rows(n: int, seed: int = 8) -> Iterator[tuple[str, str, str, int, int | None, str, str]]:
    """(id, department, executor, due index, completed index or None, state, kind)."""
    rnd = random.Random(seed)
    for i in range(n):
        executor = rnd.randrange(400)
        due = rnd.randrange(365)
        issued = max(0, due - 20)
        roll = rnd.random()
        if roll < 0.55:
            completed: int | None = min(399, issued + rnd.randrange(30))
            state = "done" if roll < 0.5 else "reported"
        else:
            completed, state = None, "open"
        if roll > 0.97:
            state, completed = "cancelled", None
        kind = "information" if i % 50 == 0 else "execution"
        department = f"d{executor % 25:02d}"
        yield (f"a{i:07d}", department, f"e{executor:03d}", due, completed, state, kind)


def load_memory(n: int, card_id: str) -> tuple[MemoryStorage, float]:
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        uow.cards.add(make_card("journal", "1", organisation_id=ORG, card_id=card_id))
        uow.commit()
    start = time.perf_counter()
    with attrs.validators.disabled(), storage.unit_of_work() as uow:
        add = uow.assignments.add
        for key, department, executor, due, completed, state, kind in rows(n):
            issued = max(0, due - 20)
            add(
                Assignment(
                    id=key,
                    organisation_id=ORG,
                    card_id=card_id,
                    resolution_id="r",
                    author_id="author",
                    text="Подготовить ответ",
                    executor_id=executor,
                    issued_on=_DAYS[issued],
                    due=_DAYS[due] if kind == "execution" else None,
                    deadline_set_by="author",
                    kind=AssignmentKind(kind),
                    department_id=department,
                    state=_STATES[state],
                    completed_on=None if completed is None else _DAYS[completed],
                )
            )
        uow.commit()
    return storage, time.perf_counter() - start


def load_sqlite(n: int) -> tuple[sqlite3.Connection, float]:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        """CREATE TABLE assignments (
            id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, department_id TEXT,
            executor_id TEXT NOT NULL, controller_id TEXT, state TEXT NOT NULL,
            kind TEXT NOT NULL, recurring INTEGER NOT NULL DEFAULT 0, due TEXT,
            completed_on TEXT)"""
    )
    iso = [day.isoformat() for day in _DAYS]
    start = time.perf_counter()
    connection.executemany(
        "INSERT INTO assignments (id, organisation_id, department_id, executor_id, state, kind,"
        " due, completed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                key,
                ORG,
                department,
                executor,
                state,
                kind,
                iso[due] if kind == "execution" else None,
                None if completed is None else iso[completed],
            )
            for key, department, executor, due, completed, state, kind in rows(n)
        ),
    )
    # A covering index: the aggregate reads it alone, never the table (the peer at its best).
    connection.execute(
        "CREATE INDEX assignments_discipline ON assignments (organisation_id, due, kind, state,"
        " recurring, department_id, executor_id, completed_on)"
    )
    connection.commit()
    return connection, time.perf_counter() - start


AGGREGATE = """
SELECT department_id, executor_id,
  SUM(done AND completed_on <= due), SUM(done AND completed_on > due),
  SUM(NOT done AND due < :as_of), SUM(NOT done AND due >= :as_of)
FROM (SELECT department_id, executor_id, due, completed_on,
             completed_on IS NOT NULL AND completed_on <= :as_of AS done
      FROM assignments
      WHERE organisation_id = :org AND due BETWEEN :low AND :high
        AND kind = 'execution' AND state <> 'cancelled' AND recurring = 0)
GROUP BY department_id, executor_id
"""


Period = tuple[pendulum.Date, pendulum.Date]


def sql_params(period: Period) -> dict[str, str]:
    return {
        "org": ORG,
        "low": period[0].isoformat(),
        "high": period[1].isoformat(),
        "as_of": AS_OF.isoformat(),
    }


def peer(
    connection: sqlite3.Connection, period: Period
) -> list[tuple[str, str, int, int, int, int]]:
    """The hand-written aggregate: the figures as rows."""
    return connection.execute(AGGREGATE, sql_params(period)).fetchall()


def edmscore_sqlite(connection: sqlite3.Connection, period: Period) -> DisciplineReport:
    """The report as a SQL adapter's discipline_counts would give it."""
    counts = [DisciplineCount(*row) for row in connection.execute(AGGREGATE, sql_params(period))]
    return build_discipline_report(counts, period_from=period[0], period_to=period[1], as_of=AS_OF)


def edmscore_memory(storage: MemoryStorage, period: Period) -> DisciplineReport:
    with storage.unit_of_work() as uow:
        counts = uow.assignments.discipline_counts(
            ORG, period[0], period[1], AS_OF, AccessScope.everything()
        )
    return build_discipline_report(counts, period_from=period[0], period_to=period[1], as_of=AS_OF)


def best(function: object, *args: object, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    storage, memory_load = load_memory(n, "card")
    connection, sqlite_load = load_sqlite(n)
    print(f"{n:,} assignments; loaded: memory {memory_load:.1f} s, SQLite {sqlite_load:.1f} s")

    for name, period in (("year 2026", YEAR), ("March 2026", MONTH)):
        memory_time, memory_report = best(edmscore_memory, storage, period)
        sqlite_time, sqlite_report = best(edmscore_sqlite, connection, period)
        peer_time, peer_rows = best(peer, connection, period)
        assert isinstance(memory_report, DisciplineReport)
        assert isinstance(sqlite_report, DisciplineReport) and isinstance(peer_rows, list)
        assert memory_report == sqlite_report, "memory and SQL figures differ"
        total = memory_report.total
        assert total.total == sum(sum(row[2:]) for row in peer_rows)
        print(
            f"\n{name}: {total.total:,} counted — on time {total.on_time:,}, late {total.late:,},"
            f" overdue {total.overdue_open:,}, not yet due {total.open_not_due:,};"
            f" {len(memory_report.by_department)} departments,"
            f" {len(memory_report.by_executor)} executors"
        )
        print(f"  edmscore, memory:        {memory_time:.3f} s")
        print(f"  edmscore, SQLite:        {sqlite_time:.3f} s")
        print(f"  peer, hand-written SQL:  {peer_time:.3f} s")
        print(f"  ratio memory / peer:     {memory_time / peer_time:.2f}x (goal <= 2x)")
        print(f"  ratio SQLite / peer:     {sqlite_time / peer_time:.2f}x")


if __name__ == "__main__":
    main()
