"""The access model's cost on PostgreSQL: 1M-card queries with the permission filter, registration.

1. ``--cards`` cards (default 1,000,000) over ``--organisations`` organisations (default 300; two
   journals and seven executors each), ~5% of them ДСП (one in five of those with a reader on
   its access list, in ``edms_card_readers``), ~1% shared with another organisation
   (``edms_card_shares``), and one assignment per card, all loaded with COPY. Then, through the
   adapter (``uow.cards.query`` / ``uow.assignments.query``), these queries, each with
   (a) the scope of a user of one organisation (``AccessScope(user, dsp_cleared=False,
   organisation_id=org)``), (b) no permission filter at all (``AccessScope("x",
   dsp_cleared=True)``) and (c) the ДСП-only filter of the release before
   (``AccessScope("x", dsp_cleared=False)``): a journal's month (pages 1 and 2), the first page
   of an organisation's cards, an executor's first page, a text fragment (``CardQuery.text``,
   trigram index; a rare one and a common one) and an executor's open assignments. The variants
   take turns in rounds, so a change in the machine's load falls on all of them alike; median and
   p95 ms of each and the ratios (a)/(b) and (a)/(c) are printed, and for (a) a one-line summary
   of ``EXPLAIN (ANALYZE, BUFFERS)`` (the indexes used).
2. ``RecordsService(storage, policy=AccessPolicy.strict()).register`` with a
   :class:`~edmscore.access.Principal` (the actor loaded from the directory at every
   registration) against the same registration with an :class:`~edmscore.access.Actor` resolved
   once beforehand: what loading the actor costs.

PostgreSQL: ``EDMS_PG_DSN`` if set, else a throw-away cluster (see ``bench_storage``). Run:
``python benchmarks/bench_access.py [--cards N] [--registrations N]``.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import pendulum
import sqlalchemy as sa
from bench_storage import (
    _COLUMNS,
    PLACES,
    SENDER_NUMBERS,
    T0,
    _search_text,
    _TickingClock,
    fresh_schema,
    interleaved,
    postgres_server,
)

from edmscore._ids import new_id
from edmscore.access import AccessPolicy, AccessScope, Actor, Principal, resolve_actor
from edmscore.control import AssignmentQuery, AssignmentState
from edmscore.directory import Clearance, User
from edmscore.records.codec import card_to_json, dumps, encode
from edmscore.registry import Registration, RegistrationCard
from edmscore.services import RecordsService, RegistrationRequest
from edmscore.storage import CardQuery
from edmscore.storage.sql import SqlStorage, postgres_engine
from edmscore.storage.sql import _migrate as migrations
from edmscore.storage.sql import _schema as schema
from edmscore.testing import make_details, make_world, store_world

JOURNALS, EXECUTORS, MONTHS = 2, 7, 24  # journals and executors per organisation
DSP, LISTED, SHARED = 0.05, 0.01, 0.01  # shares of the cards: ДСП, ДСП with a reader, shared

# --- the data --------------------------------------------------------------------------------


def org(o: int) -> str:
    return f"org{o:03d}"


def journal(o: int, j: int) -> str:
    return f"journal{o:03d}-{j}"


def executor(o: int, e: int) -> str:
    return f"executor{o:03d}-{e}"


def user(o: int) -> str:
    return f"user{o:03d}"


@attrs.frozen
class Loaded:
    cards: int
    organisations: int
    dsp: int
    listed: int
    shared: int
    seconds: float


def bulk_load(engine: sa.Engine, count: int, organisations: int) -> Loaded:
    """``count`` cards (card ``i`` of organisation ``i % organisations``) and one assignment per
    card, with the ДСП marks, readers and shares described in the module docstring, by COPY."""
    from edmscore.control import AssignmentState as State
    from edmscore.testing.control_builders import make_assignment

    start = time.perf_counter()
    details = make_details(received_on=T0.date())
    template = RegistrationCard(
        id="C" * 32,
        organisation_id="O" * 6,
        registration=Registration("J" * 12, "N" * 10, T0.date(), 2026, 1),
        details=details,
        registered_at=T0,
        registered_by="u",
    )
    document = card_to_json(template)
    assert document.count('"access":"open"') == 1 and document.count('"shared_with":[]') == 1
    assignment = dumps(
        encode(
            make_assignment(
                "C" * 32, organisation_id="O" * 6, assignment_id="A" * 32, executor_id="E" * 14
            )
        )
    )
    states = [s.value for s in State]
    start_day, epoch_day = pendulum.Date(2025, 1, 1), pendulum.Date(1970, 1, 1)
    rng = random.Random(20260302)
    readers: list[tuple[str, str]] = []
    shares: list[tuple[str, str]] = []
    dsp = 0
    assignment_columns = (
        "id, organisation_id, card_id, resolution_id, author_id, executor_id, kind, state, "
        "on_control, due, due_key, counted, version, document"
    )
    with engine.begin() as conn:
        for table in (schema.cards, schema.assignments):
            for index in table.indexes:
                index.drop(conn)
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {migrations.TEXT_INDEX}")
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor().copy(f"COPY edms_cards ({_COLUMNS}, executor_id) FROM STDIN") as cards:
            for i in range(count):
                o, k = i % organisations, i // organisations
                day = start_day.add(days=(i * 731) // count)
                card_id, owner = f"{i:032d}", org(o)
                journal_id, executor_id = journal(o, k % JOURNALS), executor(o, k % EXECUTORS)
                number = f"{k // JOURNALS + 1}"
                draw = rng.random()
                access, access_list, shared_with = "open", "", ""
                if draw < DSP:
                    access, dsp = "dsp", dsp + 1
                    if draw < LISTED:
                        reader = user(rng.randrange(organisations))
                        readers.append((card_id, reader))
                        access_list = f'"{reader}"'
                elif draw > 1 - SHARED and organisations > 1:
                    other = org((o + 1 + rng.randrange(organisations - 1)) % organisations)
                    shares.append((card_id, other))
                    shared_with = f'"{other}"'
                text = (
                    document.replace("C" * 32, card_id)
                    .replace("O" * 6, owner)
                    .replace("J" * 12, journal_id)
                    .replace('"access":"open"', f'"access":"{access}"')
                    .replace('"access_list":[]', f'"access_list":[{access_list}]')
                    .replace('"shared_with":[]', f'"shared_with":[{shared_with}]')
                )
                moment = (day - epoch_day).days * 86_400_000_000 + i
                cards.write_row(
                    (card_id, owner, journal_id, day.year, number, k // JOURNALS + 1, day, moment,
                     "incoming", "registered", access, i % 10 == 0, 1, _search_text(i, number),
                     "О предоставлении информации", text, executor_id)
                )  # fmt: skip
        # One COPY at a time on a connection: the assignments (the same owner, executor and day).
        with raw.cursor().copy(f"COPY edms_assignments ({assignment_columns}) FROM STDIN") as tasks:
            for i in range(count):
                o, k = i % organisations, i // organisations
                day = start_day.add(days=(i * 731) // count)
                card_id, owner = f"{i:032d}", org(o)
                executor_id = executor(o, k % EXECUTORS)
                assignment_id = f"a{i:031d}"
                tasks.write_row(
                    (assignment_id, owner, card_id, "resolution", "author", executor_id,
                     "execution", states[i % len(states)], True, day, day.isoformat(), True, 1,
                     assignment.replace("C" * 32, card_id).replace("A" * 32, assignment_id)
                     .replace("E" * 14, executor_id).replace("O" * 6, owner))
                )  # fmt: skip
        with raw.cursor().copy("COPY edms_card_readers (card_id, user_id) FROM STDIN") as copy:
            for row in readers:
                copy.write_row(row)
        with raw.cursor().copy(
            "COPY edms_card_shares (card_id, organisation_id) FROM STDIN"
        ) as copy:
            for row in shares:
                copy.write_row(row)
        for table in (schema.cards, schema.assignments):
            for index in table.indexes:
                index.create(conn)
        assert migrations._create_text_index(conn)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in ("edms_cards", "edms_assignments", "edms_card_readers", "edms_card_shares"):
            conn.exec_driver_sql(f"VACUUM ANALYZE {name}")  # what autovacuum would do
    return Loaded(count, organisations, dsp, len(readers), len(shares), time.perf_counter() - start)


def loaded_schema(
    url: str, name: str | None, count: int, organisations: int
) -> tuple[sa.Engine, Loaded]:
    """A fresh schema with the cards loaded, or the schema ``name`` (loaded if it does not exist,
    reused as it is if it does: for trying changes on a server that outlives the run)."""
    if name is None:
        engine, _ = fresh_schema(url)
        SqlStorage(engine)
        return engine, bulk_load(engine, count, organisations)
    admin = postgres_engine(url)
    with admin.begin() as conn:
        exists = conn.exec_driver_sql(f"SELECT to_regnamespace('{name}')").scalar() is not None
        if not exists:
            conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    admin.dispose()
    engine = postgres_engine(url, connect_args={"options": f"-c search_path={name}"})
    SqlStorage(engine)
    if not exists:
        return engine, bulk_load(engine, count, organisations)
    with engine.connect() as conn:
        counts = [
            conn.exec_driver_sql(sql).scalar_one()
            for sql in (
                "SELECT count(*) FROM edms_cards",
                "SELECT count(DISTINCT organisation_id) FROM edms_cards",
                "SELECT count(*) FROM edms_cards WHERE access = 'dsp'",
                "SELECT count(*) FROM edms_card_readers",
                "SELECT count(*) FROM edms_card_shares",
            )
        ]
    cards, owners, dsp, listed, shared = counts
    return engine, Loaded(cards, owners, dsp, listed, shared, seconds=0.0)


# --- the queries ------------------------------------------------------------------------------

VARIANTS = ("(a) organisation", "(b) no filter", "(c) ДСП only")
Work = Callable[[AccessScope, int], object]  # one query with a scope, for the k-th sample


def scopes(o: int) -> dict[str, AccessScope]:
    return dict(
        zip(
            VARIANTS,
            (
                AccessScope(user(o), dsp_cleared=False, organisation_id=org(o)),
                AccessScope("x", dsp_cleared=True),
                AccessScope("x", dsp_cleared=False),
            ),
            strict=True,
        )
    )


def queries(
    storage: SqlStorage, organisations: int
) -> dict[str, tuple[Callable[[int], int], Work]]:
    """Each query: which organisation's actor asks for the k-th sample, and the work itself."""

    def pick(k: int) -> int:
        return k * 37 % organisations

    def journal_month(scope: AccessScope, k: int) -> object:
        first = pendulum.Date(2025, 1, 1).add(months=k % MONTHS)
        query = CardQuery(
            journal_ids={journal(pick(k), k % JOURNALS)},
            registered_from=first,
            registered_to=first.end_of("month"),
            limit=50,
        )
        with storage.unit_of_work() as uow:
            page = uow.cards.query(query, scope)
            if page.next_cursor is None:
                return page
            return uow.cards.query(attrs.evolve(query, after=page.next_cursor), scope)

    def organisation_page(scope: AccessScope, k: int) -> object:
        with storage.unit_of_work() as uow:
            return uow.cards.query(CardQuery(organisation_id=org(pick(k)), limit=50), scope)

    def executor_page(scope: AccessScope, k: int) -> object:
        query = CardQuery(executor_id=executor(pick(k), k % EXECUTORS), limit=50)
        with storage.unit_of_work() as uow:
            return uow.cards.query(query, scope)

    def text(make: Callable[[int], str]) -> Work:
        def run(scope: AccessScope, k: int) -> object:
            with storage.unit_of_work() as uow:
                return uow.cards.query(CardQuery(text=make(k), limit=50), scope)

        return run

    def assignments(scope: AccessScope, k: int) -> object:
        query = AssignmentQuery(
            executor_id=executor(pick(k), k % EXECUTORS),
            states={AssignmentState.OPEN},
            due_to=pendulum.Date(2026, 6, 30),
            limit=50,
        )
        with storage.unit_of_work() as uow:
            return uow.assignments.query(query, scope)

    def sender_number(k: int) -> str:  # ~11 cards of all share a sender's number
        return f"{(k * 104_729) % SENDER_NUMBERS + 10_000}/"

    def place(k: int) -> str:  # 1 card in 16
        return PLACES[k % len(PLACES)][:6].lower()

    return {
        "journal J, a month, pages 1+2": (pick, journal_month),
        "organisation's cards, first page": (pick, organisation_page),
        "executor X's cards, first page": (pick, executor_page),
        "text: a sender's number (~11 cards)": (pick, text(sender_number)),
        "text: a district (1 card in 16)": (pick, text(place)),
        "executor X's open assignments": (pick, assignments),
    }


def measure(
    table: dict[str, tuple[Callable[[int], int], Work]], runs: int, rounds: int
) -> dict[str, dict[str, tuple[float, float]]]:
    """Every query with every scope, ``runs`` samples each, the variants taking turns in
    ``rounds`` rounds on the same parameters; (median, p95) ms per query and variant."""
    samples: dict[str, dict[str, list[float]]] = {q: {v: [] for v in VARIANTS} for q in table}
    for who, work in table.values():  # warm caches and prepared statements
        for k in range(5):
            for scope in scopes(who(k)).values():
                work(scope, k)
    per_round = max(1, runs // rounds)
    for r in range(rounds):
        order = VARIANTS[r % 3 :] + VARIANTS[: r % 3]
        for name, (who, work) in table.items():
            for variant in order:
                for k in range(r * per_round, (r + 1) * per_round):
                    scope = scopes(who(k))[variant]
                    start = time.perf_counter()
                    work(scope, k)
                    samples[name][variant].append((time.perf_counter() - start) * 1000)
    return {
        name: {variant: _stats(values) for variant, values in by_variant.items()}
        for name, by_variant in samples.items()
    }


def _stats(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[max(0, int(len(values) * 0.95) - 1)]


@contextmanager
def capturing(engine: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements sent to the server meanwhile (a listener only for this: the adapter then
    sends everything through SQLAlchemy, which does not change the SQL)."""
    captured: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        yield captured
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


_NODE = re.compile(r"((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)"
                   r"(?: Backward)?(?: using| on) \w+)")  # fmt: skip


def explain(storage: SqlStorage, who: Callable[[int], int], work: Work) -> str:
    """A one-line summary of EXPLAIN (ANALYZE, BUFFERS) of each statement of (a)."""
    k = 7
    with capturing(storage.engine) as captured:
        work(scopes(who(k))[VARIANTS[0]], k)
    summaries = []
    with storage.engine.connect() as conn:
        for statement, parameters in captured:
            plan = [
                row[0]
                for row in conn.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                )
            ]
            nodes: list[str] = []
            for line in plan:
                for node in _NODE.findall(line):
                    node = node.replace(" using ", " ").replace(" on ", " ")
                    node = node.replace("Bitmap Index Scan", "BIS").replace("Seq Scan", "SEQ")
                    node = node.replace("Index Only Scan", "IOS").replace("Index Scan", "IS")
                    if node not in nodes:
                        nodes.append(node)
            buffers = next(
                (line.split("Buffers:")[1].strip() for line in plan if "Buffers:" in line), ""
            )
            total = next(line for line in plan if line.startswith("Execution Time"))
            summaries.append(f"{', '.join(nodes)}; {total.split(':')[1].strip()}, {buffers}")
    return " | ".join(summaries)


def report_queries(
    results: dict[str, dict[str, tuple[float, float]]], plans: dict[str, str]
) -> None:
    a, b, c = VARIANTS
    print(
        f"  {'query':38s} {'(a) organisation':>17s} {'(b) no filter':>17s} {'(c) ДСП only':>17s}"
        f"   {'(a)/(b)':>7s} {'(a)/(c)':>7s}   (medians; ≤ 1.2× is the goal)"
    )
    for name, row in results.items():
        cells = " ".join(f"{row[v][0]:7.2f} / {row[v][1]:7.2f}" for v in VARIANTS)
        ratio_b, ratio_c = row[a][0] / row[b][0], row[a][0] / row[c][0]
        mark = "ok" if ratio_b <= 1.2 else "OVER"
        print(f"  {name:38s} {cells}   {ratio_b:6.2f}× {ratio_c:6.2f}×   {mark}")
    print("  plans of (a), EXPLAIN (ANALYZE, BUFFERS): IOS/IS = index-only/index scan, "
          "BIS = bitmap index scan")  # fmt: skip
    for name, plan in plans.items():
        print(f"  {name:38s} {plan}")


# --- registration ------------------------------------------------------------------------------


def registering(url: str, *, resolved: bool) -> Callable[[int], None]:
    """A store with one organisation and a registrar; register with a Principal (the actor loaded
    every time) or, ``resolved``, with the Actor resolved once beforehand."""
    policy = AccessPolicy.strict()
    engine, _ = fresh_schema(url)
    storage = SqlStorage(engine)
    world = store_world(storage, make_world())
    registrar = User(
        new_id(),
        f"registrar-{new_id()[:6]}",
        world.organisation.id,
        world.officials[1].id,
        Clearance.DSP,
        roles=("registrar",),
    )
    with storage.unit_of_work() as uow:
        uow.directory.put_user(registrar)
        uow.commit()
    records = RecordsService(storage, _TickingClock(T0), policy=policy)
    request = RegistrationRequest(world.journal.id, make_details(received_on=T0.date()))
    who: Principal | Actor = Principal(registrar.id)
    if resolved:
        with storage.unit_of_work() as uow:
            who = resolve_actor(uow.directory, who, policy, T0.date())

    def step(n: int) -> None:
        for _ in range(n):
            records.register(who, request)

    return step


REGISTRATIONS = ("Principal (actor loaded each time)", "Actor resolved once")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--runs", type=int, default=100, help="samples per query and variant")
    parser.add_argument("--rounds", type=int, default=10, help="turns the variants take")
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--no-queries", action="store_true")
    parser.add_argument("--no-registrations", action="store_true")
    parser.add_argument(
        "--schema",
        help="load the cards into this schema, or reuse it if it exists (with EDMS_PG_DSN)",
    )
    args = parser.parse_args()
    with postgres_server() as url:
        if not args.no_registrations:
            n = args.registrations
            print(f"registration on PostgreSQL, {n} of each variant in {args.rounds} rounds taking "
                  "turns, durable commits, AccessPolicy.strict(), a registrar:")  # fmt: skip
            steps = {
                REGISTRATIONS[0]: registering(url, resolved=False),
                REGISTRATIONS[1]: registering(url, resolved=True),
            }
            rates = interleaved(steps, n, args.rounds)
            (slow, (slow_rate, slow_cpu)), (fast, (fast_rate, fast_cpu)) = rates.items()
            print(f"  {slow:38s} {slow_rate:7.0f}/s   client CPU {slow_cpu:5.0f} µs")
            print(f"  {fast:38s} {fast_rate:7.0f}/s   client CPU {fast_cpu:5.0f} µs")
            print(f"  ratio (resolved once / loaded each time) {fast_rate / slow_rate:5.2f}×")
        if args.no_queries:
            return
        engine, loaded = loaded_schema(url, args.schema, args.cards, args.organisations)
        storage = SqlStorage(engine)
        print(
            f"query latency over {loaded.cards:,} cards of {loaded.organisations} organisations "
            f"({loaded.dsp:,} ДСП, {loaded.listed:,} with a reader, {loaded.shared:,} shared) and "
            f"as many assignments (bulk load {loaded.seconds:.0f} s); {args.runs} samples each, "
            f"median / p95 ms:"
        )
        table = queries(storage, args.organisations)
        results = measure(table, args.runs, args.rounds)
        plans = {name: explain(storage, who, work) for name, (who, work) in table.items()}
        report_queries(results, plans)
        engine.dispose()


if __name__ == "__main__":
    main()
