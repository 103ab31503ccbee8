"""The archive's year-end run on PostgreSQL, side by side with the SQL aggregates alone.

An organisation with a 2019 nomenclature of ``--cases`` cases (mixed retention periods, the
standard list's) and ``--cards`` cards filed into them (stored first by the bulk import path,
plain card rows through COPY):

- **edmscore**: ``ArchiveService`` closes the year (every case file built from its cards: sheets,
  dates, volumes, control), draws up the three inventories, the commission approves the
  permanent one, and the destruction act of 2026 is drawn up — each step one transaction with
  its audit events, as a host runs it;
- **SQL aggregates alone**: one ``GROUP BY case_id`` over the same cards giving what the run
  needs per case (count, sheets from the card's JSON, first and last date, open control).

Prints both times and the ratio (aim ≤ 2×). Run: ``python benchmarks/bench_archive.py
[--cases N] [--cards N]`` (PostgreSQL's ``initdb``/``pg_ctl`` from the system, or
``EDMS_PG_DSN``).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from typing import Any

import pendulum
import sqlalchemy as sa
from bench_storage import fresh_schema, postgres_server

from edmscore._ids import new_id
from edmscore.archive import ArchiveService, Commission, CommissionApproval, InventoryKind
from edmscore.clock import FixedClock
from edmscore.directory import User
from edmscore.registry.codec import card_to_primitive
from edmscore.registry.nomenclature import Case, Nomenclature, NomenclatureSection
from edmscore.registry.retention import parse_retention
from edmscore.storage.sql import SqlStorage
from edmscore.testing import make_card, make_world, store_world

NOTATIONS = (
    "Постоянно", "1 год", "3 года", "5 лет ЭПК", "5 лет", "10 лет", "15 лет ЭПК", "50 лет ЭПК",
)  # fmt: skip
NOW = pendulum.datetime(2026, 3, 2, 9, 30, tz="Asia/Yakutsk")

AGGREGATES = """
SELECT case_id, count(*), sum(((document::jsonb) -> 'details' ->> 'sheets')::int),
       min(reg_date), max(reg_date), bool_or(on_control)
FROM edms_cards
WHERE organisation_id = :org AND status = 'registered' AND case_id IS NOT NULL
GROUP BY case_id
"""


def populate(storage: SqlStorage, cases: int, cards: int) -> tuple[User, str]:
    """The organisation, its archivist, the 2019 nomenclature and the filed cards."""
    world = store_world(storage, make_world())
    org = world.organisation.id
    archivist = User(new_id(), "archivist", org, None, roles=("archivist",))
    sections = (NomenclatureSection("01", "Отдел делопроизводства"),)
    nomenclature_cases = tuple(
        Case(new_id(), f"01-{n}", f"Дело {n}", "01", parse_retention(NOTATIONS[n % 8]))
        for n in range(1, cases + 1)
    )
    nomenclature = Nomenclature(new_id(), org, 2019, sections, nomenclature_cases)
    at = pendulum.datetime(2019, 1, 9, 10, tz="Asia/Yakutsk")
    template = make_card(world.journal.id, "0", organisation_id=org, period=2019, registered_at=at)
    with storage.unit_of_work() as uow:
        uow.directory.put_user(archivist)
        uow.nomenclatures.add(nomenclature)
        uow.commit()

    def filed() -> Iterator[dict[str, Any]]:
        """The cards in their canonical primitive form: the bulk import path takes them as such
        (no card object per row), as a backup restore or a legacy import hands them over."""
        for n in range(cards):
            case = nomenclature_cases[n % cases]
            details = {
                **base["details"], "case_id": case.id, "case_index": case.index,
                "sheets": 1 + n % 5, "on_control": n % 9973 == 0,
            }  # fmt: skip
            registration = {**base["registration"], "number": f"{n}"}
            yield {**base, "id": new_id(), "details": details, "registration": registration}

    base = card_to_primitive(template)
    with storage.unit_of_work() as uow:
        uow.import_records("cards", filed())
        uow.commit()
    return archivist, org


def year_end(service: ArchiveService, archivist: User) -> str:
    """The run: close 2019, three inventories, approval, the act of 2026."""
    closing = service.year_end(archivist, 2019, id_prefix="b", act_year=2026)
    approval = CommissionApproval(Commission.EPK, pendulum.date(2020, 3, 1), "1")
    for inventory in closing.inventories:
        if inventory.kind is InventoryKind.PERMANENT:
            service.approve_inventory(archivist, inventory.id, approval)
    act, blocked = service.draw_up_act(archivist, "b-act", 2026, number="1")
    return (
        f"closed {len(closing.closed)}, inventories "
        f"{', '.join(str(len(i.rows)) for i in closing.inventories)}, act {len(act.rows)} rows "
        f"({act.total_line}), blocked {len(blocked)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--cards", type=int, default=200_000)
    args = parser.parse_args()
    with postgres_server() as url:
        engine, _ = fresh_schema(url)
        storage = SqlStorage(engine)
        started = time.perf_counter()
        archivist, org = populate(storage, args.cases, args.cards)
        print(f"stored {args.cases:,} cases, {args.cards:,} cards in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        # the aggregates alone, warm (best of three)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            with engine.begin() as conn:
                rows = conn.execute(sa.text(AGGREGATES), {"org": org}).all()
            times.append(time.perf_counter() - started)
        raw = min(times)
        service = ArchiveService(storage, FixedClock(NOW))
        started = time.perf_counter()
        summary = year_end(service, archivist)
        ours = time.perf_counter() - started
        engine.dispose()
    print(f"SQL aggregates alone: {len(rows):,} cases in {raw:.2f} s")
    print(f"edmscore year-end run: {ours:.2f} s — {summary}")
    print(f"ratio edmscore / SQL aggregates: {ours / raw:.2f}x (aim <= 2x)")


if __name__ == "__main__":
    main()
