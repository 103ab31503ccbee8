"""SQL storage: registration throughput against the raw driver, and query latency at 1M cards.

1. ``RecordsService.register`` on SQLite and on PostgreSQL (one unit of work: directory and
   journal look-ups, counter upsert, card row with its side tables and search index, audit
   event, commit), side by side with the raw driver in one transaction doing (a) only the card
   insert and the counter update, as the issue words it, and (b) the same statements the
   registration sends (organisation read, counter upsert, card insert, FTS row on SQLite, audit
   row) with the same data: (a) bounds the cost of the database work a registration does not
   need, (b) isolates what the library's Python adds. Both ratios are printed.
2. Bulk-loaded tables of ``--cards`` cards (default 1,000,000) and as many assignments on
   PostgreSQL, then the latency of "the overdue assignments of executor X" (``AssignmentQuery``
   through the adapter, the card's access rule included), "the cards on control of executor X"
   (plain SQL on the cards' control index) and "a page of journal J for one month"
   (``CardQuery`` through the adapter, keyset paging).
3. On the same cards, "a text fragment" (``CardQuery.text``, a case-folded substring): served by
   the ``pg_trgm`` index, then by the strpos scan of the release before it, then by LIKE with
   the index dropped (the fallback when ``pg_trgm`` cannot be created).

PostgreSQL: ``EDMS_PG_DSN`` if set, else a throw-away cluster started with initdb/pg_ctl
(durable default settings). Run: ``python benchmarks/bench_storage.py [--registrations N]
[--cards N]``.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pendulum
import psycopg
import sqlalchemy as sa

from edmscore.access import AccessScope
from edmscore.audit import AuditEvent, diff_fields
from edmscore.clock import FixedClock
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.records.codec import audit_to_json, card_to_json, dumps, encode
from edmscore.registry import Registration, RegistrationCard
from edmscore.registry.codec import card_to_primitive
from edmscore.storage import CardQuery
from edmscore.storage.sql import SqlStorage, SqlUnitOfWork, postgres_engine, sqlite_engine
from edmscore.storage.sql import _migrate as migrations
from edmscore.storage.sql import _schema as schema
from edmscore.storage.sql._cards import micros
from edmscore.storage.sql._text import fts_words
from edmscore.testing import make_details, make_world

T0 = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Yakutsk")
#: --no-sync: commits not waiting for the disk, on both sides (SQLite synchronous=NORMAL,
#: PostgreSQL synchronous_commit=off), to show the CPU cost without the fsync that dominates.
DURABLE = True


def _pg_options(schema_name: str) -> str:
    sync = "" if DURABLE else " -c synchronous_commit=off"
    return f"-c search_path={schema_name}{sync}"


# --- a PostgreSQL server ---------------------------------------------------------------------


@contextmanager
def postgres_server() -> Iterator[str]:
    given = os.environ.get("EDMS_PG_DSN")
    if given:
        yield given
        return
    tools = {
        name: shutil.which(name) or max(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
        for name in ("initdb", "pg_ctl")
    }
    folder = Path(tempfile.mkdtemp(prefix="edms-bench-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = str(folder / "data")

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, capture_output=True)

    run(tools["initdb"], "-D", data, "-U", "edms", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c shared_buffers=256MB"
    run(tools["pg_ctl"], "-D", data, "-o", options, "-l", str(folder / "log"), "-w", "start")
    try:
        yield f"postgresql+psycopg://edms@127.0.0.1:{port}/postgres"
    finally:
        run(tools["pg_ctl"], "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def fresh_schema(url: str) -> tuple[sa.Engine, str]:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = postgres_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    admin.dispose()
    return postgres_engine(url, connect_args={"options": _pg_options(name)}), name


# --- registration throughput -----------------------------------------------------------------


Step = Callable[[int], None]  # performs that many registrations, one transaction each


class _TickingClock(FixedClock):
    """Ten milliseconds later at every reading, as registrations follow each other in life."""

    def now(self) -> pendulum.DateTime:
        return self.advance(microseconds=10_000)


def registering(storage: SqlStorage) -> Step:
    """``RecordsService.register``: the whole use case."""
    world = make_world()
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(world.organisation)
        uow.directory.put_user(world.clerk)
        uow.journals.add(world.journal)
        uow.commit()
    records = RecordsService(storage, _TickingClock(T0))
    request = RegistrationRequest(world.journal.id, make_details(received_on=T0.date()))

    def step(k: int) -> None:
        for _ in range(k):
            records.register(world.clerk, request)

    return step


def adapter_only(storage: SqlStorage) -> Step:
    """The adapter alone: counter upsert and card insert in one unit of work (no service)."""
    details = make_details(received_on=T0.date())
    seqs = iter(range(1, 10**9))

    def step(k: int) -> None:
        for _ in range(k):
            seq = next(seqs)
            card = RegistrationCard(
                id=uuid.uuid4().hex,
                organisation_id="org",
                registration=Registration("j", f"вх-{seq}", T0.date(), 2026, seq),
                details=details,
                registered_at=T0.add(microseconds=10_000 * seq),
                registered_by="u",
            )
            with storage.unit_of_work() as uow:
                uow.numbers.next("j|2026")
                uow.cards.add(card)
                uow.commit()

    return step


_COLUMNS = (
    "id, organisation_id, journal_id, period, number, seq, reg_date, registered_us, kind, "
    "status, access, on_control, version, search_text, fts_text, document"
)


def _raw_rows() -> Iterator[tuple[Any, ...]]:
    details = make_details(received_on=T0.date())
    card = RegistrationCard(
        id="x" * 32,
        organisation_id="org",
        registration=Registration("j", "вх-1", T0.date(), 2026, 1),
        details=details,
        registered_at=T0,
        registered_by="u",
    )
    document = card_to_json(card)
    t0 = micros(T0)
    for seq in range(1, 10**9):
        card_id = uuid.uuid4().hex
        yield (
            card_id,
            "org",
            "j",
            2026,
            f"вх-{seq}",
            seq,
            "2026-03-02",
            t0 + 10_000 * seq,
            "incoming",
            "registered",
            "open",
            False,
            1,
            "о предоставлении информации",
            details.summary,
            document.replace("x" * 32, card_id),
        )


def _registration_writes() -> tuple[str, str, str]:
    """An organisation's document, the FTS words and the audit document of one registration."""
    world = make_world()
    details = make_details(received_on=T0.date())
    card = RegistrationCard(
        id="x" * 32,
        organisation_id=world.organisation.id,
        registration=Registration("j", "вх-1", T0.date(), 2026, 1),
        details=details,
        registered_at=T0,
        registered_by=world.clerk.id,
    )
    event = AuditEvent(
        at=T0,
        actor_id=world.clerk.id,
        action="card.registered",
        entity_type="card",
        entity_id=card.id,
        changes=diff_fields({}, card_to_primitive(card)["details"]),
    )
    text = " ".join((details.summary, *(c.name for c in details.correspondents)))
    return dumps(encode(world.organisation)), fts_words(text), audit_to_json(event)


def raw_sqlite(path: Path, *, same: bool) -> Step:
    """The raw driver: counter + card insert, or (``same``) every statement a registration sends."""
    engine = sqlite_engine(path)
    SqlStorage(engine)  # the same schema and indexes
    engine.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={'FULL' if DURABLE else 'NORMAL'}")  # as sqlite_engine()
    organisation, words, audit = _registration_writes()
    conn.execute("INSERT INTO edms_organisations (id, document) VALUES ('org', ?)", (organisation,))
    insert = f"INSERT INTO edms_cards ({_COLUMNS}) VALUES ({', '.join('?' * 16)})"
    counter = (
        "INSERT INTO edms_counters (key, value) VALUES ('j|2026', 1) "
        "ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value"
    )
    rows = _raw_rows()

    def step(k: int) -> None:
        for _ in range(k):
            row = next(rows)
            conn.execute("BEGIN IMMEDIATE")
            if same:
                conn.execute("SELECT document FROM edms_organisations WHERE id = 'org'").fetchall()
            conn.execute(counter).fetchone()
            conn.execute(insert, row)
            if same:
                conn.execute(
                    "INSERT INTO edms_cards_fts (card_id, words) VALUES (?, ?)", (row[0], words)
                )
                conn.execute(
                    "INSERT INTO edms_audit (entity_id, document) VALUES (?, ?) RETURNING seq",
                    (row[0], audit),
                ).fetchone()
            conn.execute("COMMIT")

    return step


def raw_postgres(url: str, *, same: bool) -> Step:
    """The raw driver: counter + card insert, or (``same``) every statement a registration sends."""
    engine, name = fresh_schema(url)
    SqlStorage(engine)
    engine.dispose()
    dsn = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    insert = f"INSERT INTO edms_cards ({_COLUMNS}) VALUES ({', '.join(['%s'] * 16)})"
    if same:
        insert += " ON CONFLICT DO NOTHING RETURNING id"
    counter = (
        "INSERT INTO edms_counters (key, value) VALUES ('j|2026', 1) ON CONFLICT (key) "
        "DO UPDATE SET value = edms_counters.value + 1 RETURNING value"
    )
    organisation, _, audit = _registration_writes()
    rows = _raw_rows()
    conn = psycopg.connect(dsn, options=_pg_options(name))
    conn.execute(
        "INSERT INTO edms_organisations (id, document) VALUES ('org', %s)", (organisation,)
    )
    conn.commit()

    def step(k: int) -> None:
        for _ in range(k):
            row = next(rows)
            with conn.transaction():
                if same:
                    conn.execute(
                        "SELECT document FROM edms_organisations WHERE id = 'org'"
                    ).fetchall()
                conn.execute(counter).fetchone()
                conn.execute(insert, row)
                if same:
                    conn.execute(
                        "INSERT INTO edms_audit (entity_id, document) VALUES (%s, %s) "
                        "RETURNING seq",
                        (row[0], audit),
                    ).fetchone()

    return step


VARIANTS = ("register_document", "adapter alone", "raw card+counter", "raw same statements")


def interleaved(steps: dict[str, Step], n: int, rounds: int) -> dict[str, tuple[float, float]]:
    """Run ``n`` registrations of every variant in ``rounds`` rounds, taking turns, so a change
    in the machine's load falls on all of them alike; (registrations per second, client CPU µs
    per registration) of each."""
    wall = dict.fromkeys(steps, 0.0)
    cpu = dict.fromkeys(steps, 0.0)
    for step in steps.values():
        step(20)  # warm caches and prepared statements
    per_round = max(1, n // rounds)
    names = list(steps)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            start, clock = time.perf_counter(), time.process_time()
            steps[name](per_round)
            wall[name] += time.perf_counter() - start
            cpu[name] += time.process_time() - clock
    done = per_round * rounds
    return {name: (done / wall[name], cpu[name] * 1e6 / done) for name in names}


# --- query latency ---------------------------------------------------------------------------

JOURNALS, EXECUTORS, MONTHS = 20, 2000, 24
SUBJECTS = (
    "о предоставлении информации", "о ремонте автомобильной дороги", "о выделении средств",
    "о проведении проверки", "об организации летнего отдыха детей", "о согласовании проекта",
    "о рассмотрении обращения граждан", "о направлении документов", "о созыве совещания",
    "о подготовке к отопительному сезону", "о паводковой обстановке", "о закупке техники",
    "о кадровом резерве", "о проведении выборов", "о лесных пожарах", "о завозе топлива",
)  # fmt: skip
PLACES = (
    "Нюрбинского", "Вилюйского", "Мегино-Кангаласского", "Хангаласского", "Намского",
    "Чурапчинского", "Амгинского", "Олекминского", "Ленского", "Мирнинского", "Алданского",
    "Верхоянского", "Томпонского", "Усть-Алданского", "Таттинского", "Горного",
)  # fmt: skip
SENDER_NUMBERS = 90_000


def _search_text(i: int, number: str) -> str:
    """A card's substring haystack: summary, number, sender's number, correspondent (folded)."""
    place = PLACES[i // len(SUBJECTS) % len(PLACES)]
    items = (
        f"{SUBJECTS[i % len(SUBJECTS)]} ({place.lower()} района)",
        number,
        f"{(i * 7919) % SENDER_NUMBERS + 10_000}/{i % 97:02d}",
        f"администрация {place} района",
    )
    return "\x1f".join(item.casefold() for item in items)


def bulk_load(engine: sa.Engine, count: int) -> None:
    """``count`` cards, spread over journals, executors and months, loaded with COPY."""
    details = make_details(received_on=T0.date())
    template = RegistrationCard(
        id="C" * 32,
        organisation_id="org",
        registration=Registration("J" * 8, "N" * 10, T0.date(), 2026, 1),
        details=details,
        registered_at=T0,
        registered_by="u",
    )
    document = card_to_json(template)
    start_day = pendulum.Date(2025, 1, 1)
    epoch_day = pendulum.Date(1970, 1, 1)
    with engine.begin() as conn:
        for index in schema.cards.indexes:
            index.drop(conn)
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {migrations.TEXT_INDEX}")
        raw = conn.connection.driver_connection
        assert raw is not None
        columns = _COLUMNS + ", executor_id"
        with raw.cursor().copy(f"COPY edms_cards ({columns}) FROM STDIN") as copy:
            for i in range(count):
                day = start_day.add(days=(i * 731) // count)
                journal = f"journal{i % JOURNALS:02d}"
                card_id = f"{i:032d}"
                number = f"{i // JOURNALS + 1}"
                moment = (day - epoch_day).days * 86_400_000_000 + i
                copy.write_row(
                    (
                        card_id,
                        "org",
                        journal,
                        day.year,
                        number,
                        i // JOURNALS + 1,
                        day,
                        moment,
                        "incoming",
                        "registered",
                        "open",
                        i % 10 == 0,
                        1,
                        _search_text(i, number),
                        "О предоставлении информации",
                        document.replace("C" * 32, card_id).replace("J" * 8, journal),
                        f"executor{i % EXECUTORS:04d}",
                    )
                )
        for index in schema.cards.indexes:
            index.create(conn)
    start = time.perf_counter()
    with engine.begin() as conn:
        assert migrations._create_text_index(conn)
    print(f"  trigram index built over {count:,} cards in {time.perf_counter() - start:.0f} s")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE edms_cards")  # what autovacuum would do


def bulk_load_assignments(engine: sa.Engine, count: int) -> None:
    """``count`` assignments, one per loaded card, spread over executors, states and deadlines."""
    from edmscore.control import AssignmentState
    from edmscore.testing.control_builders import make_assignment

    template = make_assignment("C" * 32, assignment_id="A" * 32, executor_id="E" * 12)
    document = dumps(encode(template))
    states = [s.value for s in AssignmentState]
    start_day = pendulum.Date(2025, 1, 1)
    columns = (
        "id, organisation_id, card_id, resolution_id, author_id, executor_id, kind, state, "
        "on_control, due, due_key, counted, version, document"
    )
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor().copy(f"COPY edms_assignments ({columns}) FROM STDIN") as copy:
            for i in range(count):
                due = start_day.add(days=(i * 731) // count)
                card_id, assignment_id = f"{i:032d}", f"a{i:031d}"
                executor = f"executor{i % EXECUTORS:04d}"
                copy.write_row(
                    (assignment_id, "org", card_id, "resolution", "author", executor,
                     "execution", states[i % len(states)], True, due, due.isoformat(), True, 1,
                     document.replace("C" * 32, card_id)
                     .replace("A" * 32, assignment_id)
                     .replace("E" * 12, executor))
                )  # fmt: skip
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE edms_assignments")


def timed(work: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def bench_queries(storage: SqlStorage, runs: int = 60) -> dict[str, tuple[float, float]]:
    scope = AccessScope("reader", dsp_cleared=False)
    c = schema.cards.c
    control = (
        sa.select(c.document)
        .where(
            c.executor_id == sa.bindparam("executor"),
            c.on_control.is_(True),
            c.status == "registered",
        )
        .order_by(c.registered_us)
        .limit(50)
    )
    counter = iter(range(10**9))

    def overdue() -> object:
        executor = f"executor{next(counter) * 37 % EXECUTORS:04d}"
        with storage.unit_of_work() as uow:
            return uow.execute(control, {"executor": executor}).scalars().all()

    def executor_page() -> object:
        executor = f"executor{next(counter) * 37 % EXECUTORS:04d}"
        with storage.unit_of_work() as uow:
            return uow.cards.query(CardQuery(executor_id=executor, limit=50), scope)

    def journal_month() -> object:
        k = next(counter)
        first = pendulum.Date(2025, 1, 1).add(months=k % MONTHS)
        query = CardQuery(
            journal_ids={f"journal{k % JOURNALS:02d}"},
            registered_from=first,
            registered_to=first.end_of("month"),
            limit=50,
        )
        with storage.unit_of_work() as uow:
            page = uow.cards.query(query, scope)
            assert page.next_cursor is not None
            return uow.cards.query(attrs.evolve(query, after=page.next_cursor), scope)

    def overdue_assignments() -> object:
        from edmscore.control import AssignmentQuery, AssignmentState

        executor = f"executor{next(counter) * 37 % EXECUTORS:04d}"
        query = AssignmentQuery(
            executor_id=executor,
            states={AssignmentState.OPEN},
            due_to=pendulum.Date(2026, 6, 30),
            limit=50,
        )
        with storage.unit_of_work() as uow:
            return uow.assignments.query(query, scope)

    return {
        "overdue assignments of executor X (AssignmentQuery)": timed(overdue_assignments, runs),
        "cards on control for executor X (50 rows, SQL)": timed(overdue, runs),
        "cards of executor X, first page (CardQuery)": timed(executor_page, runs),
        "journal J for a month, pages 1+2 (CardQuery)": timed(journal_month, runs),
    }


def bench_text(storage: SqlStorage, runs: int) -> dict[str, tuple[float, float]]:
    """``CardQuery.text`` fragments through the adapter: first page, 50 cards, access rule on."""
    scope = AccessScope("reader", dsp_cleared=False)
    counter = iter(range(10**9))

    def search(make: Callable[[int], str]) -> Callable[[], object]:
        def run() -> object:
            with storage.unit_of_work() as uow:
                return uow.cards.query(CardQuery(text=make(next(counter)), limit=50), scope)

        return run

    def sender_number(k: int) -> str:  # ~11 cards share a sender's number
        return f"{(k * 104_729) % SENDER_NUMBERS + 10_000}/"

    def place(k: int) -> str:  # 1 card in 16
        return PLACES[k % len(PLACES)][:6]

    return {
        "sender's number fragment, ~11 hits": timed(search(sender_number), runs),
        "a card number (5 digits), ~30 hits": timed(
            search(lambda k: f"{k * 37 % 40_000 + 10_000}"), runs
        ),
        "no hit (a typo)": timed(search(lambda k: f"нюрбинскй{k}"), runs),
        "district, 1 card in 16": timed(search(place), runs),
        "2 characters (no trigram)": timed(search(lambda k: f"{k % 90 + 10}"), runs),
    }


def _strpos(self: SqlUnitOfWork, column: sa.ColumnElement[str], needle: str) -> Any:
    """The condition of the release before the trigram index (no index can serve it)."""
    from edmscore.storage.sql._text import fold

    return sa.func.strpos(column, fold(needle)) > 0


def report_text(storage: SqlStorage, runs: int) -> None:
    indexed = bench_text(storage, runs)
    original = SqlUnitOfWork.contains
    SqlUnitOfWork.contains = _strpos  # type: ignore[method-assign]
    try:
        scanned = bench_text(storage, max(5, runs // 4))
    finally:
        SqlUnitOfWork.contains = original  # type: ignore[method-assign]
    with storage.engine.begin() as conn:
        size = conn.exec_driver_sql(
            f"SELECT pg_relation_size('{migrations.TEXT_INDEX}') / 1048576"
        ).scalar_one()
        conn.exec_driver_sql(f"DROP INDEX {migrations.TEXT_INDEX}")
    fallback = bench_text(storage, max(5, runs // 4))
    print(f"CardQuery.text, first page (median / p95); trigram index {size} MB")
    print(f"  {'':34s} {'trigram index':>19s}   {'strpos (before)':>19s}   {'LIKE, no index':>19s}")
    for name, (median, p95) in indexed.items():
        cells = [f"{median:7.1f} / {p95:7.1f} ms"]
        cells += [f"{scanned[name][0]:7.1f} / {scanned[name][1]:7.1f} ms"]
        cells += [f"{fallback[name][0]:7.1f} / {fallback[name][1]:7.1f} ms"]
        print(f"  {name:34s} {'   '.join(cells)}")


def report(dialect: str, driver: str, rates: dict[str, tuple[float, float]]) -> None:
    ours, adapter, raw, same = (rates[v] for v in VARIANTS)
    print(
        f"  {dialect:10s} register_document {ours[0]:6.0f}/s   adapter alone {adapter[0]:6.0f}/s   "
        f"raw {driver}: card+counter {raw[0]:6.0f}/s, same statements {same[0]:6.0f}/s"
    )
    print(
        f"  {'':10s} ratio of register_document to raw same statements "
        f"{same[0] / ours[0]:5.2f}x, to raw card+counter {raw[0] / ours[0]:5.2f}x "
        f"(adapter alone to card+counter {raw[0] / adapter[0]:5.2f}x)"
    )
    print(
        f"  {'':10s} client CPU µs per registration: register_document {ours[1]:5.0f}, "
        f"adapter {adapter[1]:5.0f}, raw card+counter {raw[1]:5.0f}, raw same {same[1]:5.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=10, help="turns the variants take")
    parser.add_argument("--no-sync", action="store_true", help="commits do not wait for the disk")
    parser.add_argument("--no-queries", action="store_true", help="skip the 1M-card queries")
    args = parser.parse_args()
    n = args.registrations
    folder = Path(tempfile.mkdtemp(prefix="edms-bench-"))
    global DURABLE
    DURABLE = not args.no_sync
    print(
        f"{n} registrations of each variant, one transaction each, in {args.rounds} rounds taking "
        f"turns, {'durable' if DURABLE else 'no-sync'} commits:"
    )
    print("register_document (the whole use case), the adapter alone (counter + card insert),")
    print("the raw driver (card + counter; the same statements); ratio = raw rate / our rate")
    steps = dict(
        zip(
            VARIANTS,
            (
                registering(SqlStorage(sqlite_engine(folder / "a.sqlite", durable=DURABLE))),
                adapter_only(SqlStorage(sqlite_engine(folder / "b.sqlite", durable=DURABLE))),
                raw_sqlite(folder / "raw.sqlite", same=False),
                raw_sqlite(folder / "same.sqlite", same=True),
            ),
            strict=True,
        )
    )
    report("SQLite", "sqlite3", interleaved(steps, n, args.rounds))
    shutil.rmtree(folder, ignore_errors=True)
    with postgres_server() as url:
        engines = [fresh_schema(url)[0] for _ in range(2)]
        steps = dict(
            zip(
                VARIANTS,
                (
                    registering(SqlStorage(engines[0])),
                    adapter_only(SqlStorage(engines[1])),
                    raw_postgres(url, same=False),
                    raw_postgres(url, same=True),
                ),
                strict=True,
            )
        )
        report("PostgreSQL", "psycopg", interleaved(steps, n, args.rounds))
        for engine in engines:
            engine.dispose()
        if args.no_queries:
            return
        engine, _ = fresh_schema(url)
        storage = SqlStorage(engine)
        start = time.perf_counter()
        bulk_load(engine, args.cards)
        bulk_load_assignments(engine, args.cards)
        print(
            f"query latency over {args.cards:,} cards and as many assignments on PostgreSQL "
            f"(bulk load {time.perf_counter() - start:.0f} s); median / p95"
        )
        for name, (median, p95) in bench_queries(storage).items():
            print(f"  {name:48s} {median:7.2f} ms / {p95:7.2f} ms")
        report_text(storage, runs=40)
        engine.dispose()


if __name__ == "__main__":
    main()
