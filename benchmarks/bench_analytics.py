"""Analytics on PostgreSQL: each report against the hand-written SQL aggregate with the same
numbers, and XLSX with charts against openpyxl writing the same cells.

1. ``--organisations`` organisations in a tree (default 200: the region's office, 19 bodies, nine
   institutions under each), ``--cards`` cards (default 1,000,000; incoming and outgoing, five
   delivery channels, ~5% ДСП) and one assignment per card (due dates over the year, two thirds
   done, some late), all loaded with COPY. The reader is the region's head (not cleared for
   ДСП), who supervises every organisation. Each report — registrations, discipline rolled up
   over the tree, workload — runs through ``edmscore.reports.analytics`` and, side by side,
   as one hand-written SQL query returning the same numbers (checked equal); the runs take turns,
   median ms of each and the ratio report/SQL are printed (aim ≤ 1.5×).
2. The workload report stretched to ``--xlsx-rows`` rows (default 10,000) written by
   ``report_xlsx`` (formats, widths, frozen headings, totals, a native chart) against openpyxl
   appending the same cells to a plain workbook (aim ≤ 1.3×).

PostgreSQL: ``EDMS_PG_DSN`` if set, else a throw-away cluster (see ``bench_storage``). Run:
``python benchmarks/bench_analytics.py [--cards N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import attrs
import pendulum
import sqlalchemy as sa
from bench_storage import fresh_schema, postgres_server

from edmscore import Edms
from edmscore.access import AccessPolicy
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Organisation, RoleGrant, User
from edmscore.registry import DeliveryMethod, Registration, RegistrationCard
from edmscore.reports.analytics import discipline_rollup, registrations, workload
from edmscore.reports.export import report_xlsx
from edmscore.storage.sql import SqlStorage
from edmscore.storage.sql._codec import card_to_json, dumps, encode
from edmscore.testing import make_details
from edmscore.testing.control_builders import make_assignment

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
CHANNELS = [m.value for m in (DeliveryMethod.MEDO, DeliveryMethod.EMAIL, DeliveryMethod.POST)]
TZ = "Asia/Yakutsk"


def organisations(count: int) -> list[Organisation]:
    bodies = max(1, round((count - 1) / 10))
    out = [Organisation(id="region", name="Правительство области", timezone=TZ)]
    for b in range(bodies):
        out.append(Organisation(id=f"b{b:03d}", name=f"Орган {b}", parent_id="region", timezone=TZ))
    i = 0
    while len(out) < count:
        parent = f"b{i % bodies:03d}"
        out.append(
            Organisation(id=f"i{i:04d}", name=f"Учреждение {i}", parent_id=parent, timezone=TZ)
        )
        i += 1
    return out


def load(engine: sa.Engine, orgs: list[Organisation], count: int) -> None:
    """``count`` cards and as many assignments over the organisations, with COPY."""
    t0 = pendulum.datetime(2026, 1, 1, 10, tz=TZ)
    template = RegistrationCard(
        id="C" * 32,
        organisation_id="O" * 8,
        registration=Registration("J" * 8, "N" * 10, t0.date(), 2026, 1),
        details=attrs.evolve(
            make_details(received_on=t0.date()), delivery_method=DeliveryMethod.MEDO
        ),
        registered_at=t0,
        registered_by="u",
    )
    card_doc = card_to_json(template)
    a_doc = dumps(encode(make_assignment("C" * 32, assignment_id="A" * 32, executor_id="E" * 12)))
    start = pendulum.Date(2026, 1, 1)
    ids = [o.id for o in orgs]
    card_cols = (
        "id, organisation_id, journal_id, period, number, seq, reg_date, registered_us, kind, "
        "status, access, on_control, version, search_text, fts_text, document, executor_id"
    )
    a_cols = (
        "id, organisation_id, card_id, resolution_id, author_id, executor_id, kind, state, "
        "on_control, due, due_key, completed_on, counted, version, document"
    )
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor().copy(f"COPY edms_cards ({card_cols}) FROM STDIN") as copy:
            for i in range(count):
                org = ids[i % len(ids)]
                day = start.add(days=(i * 365) // count)
                kind = "outgoing" if i % 3 == 0 else "incoming"
                journal = f"{org}-{kind[:3]}"
                card_id = f"{i:032d}"
                channel = CHANNELS[i % len(CHANNELS)]
                doc = (
                    card_doc.replace("C" * 32, card_id)
                    .replace("J" * 8, journal)
                    .replace('"delivery_method":"medo"', f'"delivery_method":"{channel}"')
                    .replace('"delivery_method": "medo"', f'"delivery_method": "{channel}"')
                )
                copy.write_row(
                    (card_id, org, journal, 2026, str(i), i, day, i, kind, "registered",
                     "dsp" if i % 20 == 7 else "open", True, 1, "", "", doc, f"{org}-e{i % 7}")
                )  # fmt: skip
        with raw.cursor().copy(f"COPY edms_assignments ({a_cols}) FROM STDIN") as copy:
            for i in range(count):
                org = ids[i % len(ids)]
                due = start.add(days=(i * 365) // count)
                done = due.add(days=(i % 5) - 3) if i % 3 else None
                executor = f"{org}-e{i % 7}"
                copy.write_row(
                    (f"a{i:031d}", org, f"{i:032d}", "r", "author", executor, "execution",
                     "done" if done else "open", True, due, due.isoformat(), done, True, 1,
                     a_doc.replace("C" * 32, f"{i:032d}").replace("E" * 12, executor))
                )  # fmt: skip
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE edms_cards")
        conn.exec_driver_sql("VACUUM ANALYZE edms_assignments")


VISIBLE = (
    "c.status = 'registered' AND (c.access = 'open' OR EXISTS (SELECT 1 FROM edms_card_readers r "
    "WHERE r.card_id = c.id AND r.user_id = 'head'))"
)


def sql_registrations(conn: sa.Connection) -> Counter[tuple[str, ...]]:
    rows = conn.exec_driver_sql(
        "SELECT organisation_id, kind, journal_id, "
        "COALESCE(document::jsonb #>> '{details,delivery_method}', ''), "
        "to_char(reg_date, 'YYYY-MM'), count(*) FROM edms_cards c "
        f"WHERE {VISIBLE} AND reg_date BETWEEN '2026-01-01' AND '2026-12-31' "
        "GROUP BY 1, 2, 3, 4, 5"
    )
    return Counter({tuple(r[:5]): int(r[5]) for r in rows})


def sql_discipline(conn: sa.Connection, today: dt.date) -> dict[tuple[str, str], tuple[int, ...]]:
    rows = conn.exec_driver_sql(
        "SELECT a.organisation_id, a.executor_id, count(*), "
        "sum(CASE WHEN a.completed_on <= %(t)s AND a.completed_on <= a.due THEN 1 ELSE 0 END), "
        "sum(CASE WHEN a.completed_on <= %(t)s AND a.completed_on > a.due THEN 1 ELSE 0 END), "
        "sum(CASE WHEN (a.completed_on IS NULL OR a.completed_on > %(t)s) AND a.due < %(t)s "
        "THEN 1 ELSE 0 END) "
        "FROM edms_assignments a JOIN edms_cards c ON c.id = a.card_id "
        f"WHERE a.counted AND a.due BETWEEN '2026-01-01' AND '2026-12-31' AND {VISIBLE} "
        "GROUP BY 1, 2",
        {"t": today},
    )
    return {(r[0], r[1]): tuple(int(x) for x in r[2:]) for r in rows}


def interleaved(work: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in work}
    for _ in range(runs):
        for name, step in work.items():
            start = time.perf_counter()
            step()
            samples[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(s) for name, s in samples.items()}


def xlsx_plain(report: Any) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

    book = Workbook()
    sheet = book.active
    sheet.append([report.heading])
    sheet.append(list(report.headers))
    for row in report.rows:
        sheet.append(list(row))
    sheet.append(list(report.total))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--xlsx-rows", type=int, default=10_000)
    args = parser.parse_args()
    orgs = organisations(args.organisations)
    with postgres_server() as url:
        engine, _ = fresh_schema(url)
        storage = SqlStorage(engine)
        head = User("head", "head", "region", clearance=Clearance.NONE, roles=(RoleGrant("head"),))
        with storage.unit_of_work() as uow:
            for o in orgs:
                uow.directory.put_organisation(o)
            uow.directory.put_user(head)
            uow.commit()
        start = time.perf_counter()
        load(engine, orgs, args.cards)
        print(f"loaded {args.cards:,} cards and assignments over {len(orgs)} organisations "
              f"in {time.perf_counter() - start:.0f} s")  # fmt: skip
        policy = AccessPolicy.strict(supervision={"region": [o.id for o in orgs[1:]]})
        clock = FixedClock(pendulum.datetime(2026, 12, 20, 12, tz=TZ))
        edms = Edms(storage, clock=clock, policy=policy)
        today = dt.date(2026, 12, 20)
        with engine.connect() as conn:
            reg = registrations(edms, "head", *YEAR)
            expected = sql_registrations(conn)
            assert reg.total is not None and reg.total[-1] == sum(expected.values())
            disc = discipline_rollup(edms, "head", *YEAR)
            by_exec = sql_discipline(conn, today)
            total = [sum(v[k] for v in by_exec.values()) for k in range(4)]
            assert disc.total is not None and list(disc.total[1:5]) == total, (disc.total, total)
            load_report = workload(edms, "head", *YEAR)
            assert len(load_report.rows) == len(by_exec)
            print("the reports' numbers equal the SQL aggregates'")
            pairs = {
                "registrations": (
                    lambda: registrations(edms, "head", *YEAR),
                    lambda: sql_registrations(conn),
                ),
                "discipline (tree roll-up)": (
                    lambda: discipline_rollup(edms, "head", *YEAR),
                    lambda: sql_discipline(conn, today),
                ),
                "workload": (
                    lambda: workload(edms, "head", *YEAR),
                    lambda: sql_discipline(conn, today),
                ),
            }
            print(f"{'report':<28}{'edmscore ms':>13}{'SQL ms':>10}{'ratio':>8}")
            for name, (ours, theirs) in pairs.items():
                t = interleaved({"ours": ours, "sql": theirs}, args.runs)
                print(f"{name:<28}{t['ours']:>13.0f}{t['sql']:>10.0f}{t['ours'] / t['sql']:>8.2f}")
        engine.dispose()
    big = attrs.evolve(
        load_report,
        rows=tuple(load_report.rows[i % len(load_report.rows)] for i in range(args.xlsx_rows)),
    )
    t = interleaved({"ours": lambda: report_xlsx(big), "plain": lambda: xlsx_plain(big)}, args.runs)
    ratio = t["ours"] / t["plain"]
    print(f"XLSX {args.xlsx_rows:,} rows: report_xlsx (chart, formats) {t['ours']:.0f} ms, "
          f"openpyxl cells only {t['plain']:.0f} ms, ratio {ratio:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
