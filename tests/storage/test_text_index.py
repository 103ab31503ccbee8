"""Substring search (``CardQuery.text``): the trigram index on PostgreSQL, its fallback, and the
migration to schema version 2 that adds it.

The needle becomes a LIKE pattern on PostgreSQL (what ``pg_trgm`` indexes); these tests hold it
to the reference semantics (``CardQuery.matches``) and to the ``strpos`` test it replaced, on
needles where LIKE could go wrong: its wildcards, its escape character, quotes, case folding.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edmscore.access import AccessScope
from edmscore.cli import main
from edmscore.errors import SchemaVersionError
from edmscore.registry import RegistrationCard
from edmscore.storage import CardQuery
from edmscore.storage.sql import (
    SCHEMA_VERSION,
    SqlStorage,
    has_text_index,
    migrate,
    postgres_engine,
    schema_version,
    sqlite_engine,
)
from edmscore.storage.sql import _schema as schema
from edmscore.storage.sql._text import fold
from edmscore.storage.sql._views import drop_views
from edmscore.testing import make_card

ALL = AccessScope("reader", dsp_cleared=True)
SUMMARIES = (
    "Ёлка во дворе",
    "ЕЛКА у школы",
    "Запрос о скидке 50% на услуги",
    "50 процентов",
    "Поле user_name в анкете",
    "Поле username без подчёркивания",
    "Путь C:\\Docs\\отчёт",
    "Путь C:Docsотчёт",
    "Цитата 'в кавычках'",
    'Цитата "в двойных"',
    "Письмо O'Brien",
    "Straße des 17. Juni",
    "STRASSE des 18. Juni",
    "ПРИВЕТ миру",
    "Готово на 100%_\\",
)
NEEDLES = (
    "ёлка",
    "ЁЛКА",
    "елка",
    "Ё",
    "50%",
    "%",
    "%%",
    "_",
    "r_n",
    "user_name",
    "username",
    "\\",
    "C:\\Docs",
    "\\D",
    "'",
    "''",
    '"',
    "o'b",
    "straße",
    "ss",
    "привет мир",
    "ПРИВЕТ МИРУ",
    "вх-1",
    "ВХ-1",
    "%_\\",
    "100%_",
    "x",
    "",
    " ",
    "не найдётся",
)


def _cards() -> list[RegistrationCard]:
    return [make_card("j", f"вх-{i}", summary=text) for i, text in enumerate(SUMMARIES, 1)]


def _store(storage: SqlStorage, cards: list[RegistrationCard]) -> None:
    with storage.unit_of_work() as uow:
        for card in cards:
            uow.cards.add(card)
        uow.commit()


def _found(storage: SqlStorage, needle: str) -> set[str]:
    with storage.unit_of_work() as uow:
        page = uow.cards.query(CardQuery(text=needle, limit=500), ALL)
    return {card.id for card in page.items}


def _by_strpos(engine: sa.Engine, needle: str) -> set[str]:
    """The condition this release replaced: ``strpos`` of the folded needle."""
    c = schema.cards.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(c.id).where(sa.func.strpos(c.search_text, fold(needle)) > 0))
        return {row[0] for row in rows}


def _expected(cards: list[RegistrationCard], needle: str) -> set[str]:
    return {card.id for card in cards if CardQuery(text=needle).matches(card)}


def _current_schema(engine: sa.Engine) -> str:
    with engine.connect() as conn:
        name: str = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
        return name


def _plan(storage: SqlStorage, query: CardQuery) -> tuple[str, set[str]]:
    """The plan PostgreSQL makes for the statement the adapter sends, and the ids found."""
    sent: list[tuple[str, Any]] = []

    def grab(*args: Any) -> None:
        statement, parameters = args[2], args[3]
        if "edms_cards" in statement:
            sent.append((statement, parameters))

    sa.event.listen(storage.engine, "before_cursor_execute", grab)
    try:
        with storage.unit_of_work() as uow:
            found = {card.id for card in uow.cards.query(query, ALL).items}
    finally:
        sa.event.remove(storage.engine, "before_cursor_execute", grab)
    statement, parameters = sent[-1]
    with storage.engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("EXPLAIN " + statement, parameters)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return plan, found


def _engine_on(url: str, engine: sa.Engine, settings: str) -> sa.Engine:
    """Another engine on ``engine``'s schema, with the server ``settings`` (``-c name=value``)."""
    options = f"-c search_path={_current_schema(engine)} {settings}"
    return postgres_engine(url, connect_args={"options": options})


def _filler(engine: sa.Engine, count: int) -> None:
    """``count`` rows of other cards' search text (hex digits and Russian words), analysed."""
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO edms_cards (id, organisation_id, journal_id, period, number, reg_date, "
            "registered_us, kind, status, access, on_control, version, search_text, fts_text, "
            "document) SELECT md5(i::text), 'org', 'filler', 2026, i::text, '2026-01-01', i, "
            "'incoming', 'registered', 'open', false, 1, "
            "'о предоставлении информации ' || md5(i::text) || chr(31) || i, '', '{}' "
            f"FROM generate_series(1, {count}) AS i"
        )
        conn.exec_driver_sql("ANALYZE edms_cards")


# --- PostgreSQL: the index, the plan, the semantics --------------------------------------------


@pytest.mark.postgres
def test_the_schema_creates_the_trigram_index(postgres_schema: Callable[[], sa.Engine]) -> None:
    engine = postgres_schema()
    SqlStorage(engine)
    assert has_text_index(engine)
    with engine.connect() as conn:
        definition = conn.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'edms_cards_text_ix' "
            "AND schemaname = current_schema()"
        ).scalar_one()
    assert "USING gin (search_text" in definition
    assert "gin_trgm_ops" in definition


@pytest.mark.postgres
def test_the_extension_need_not_be_on_the_search_path(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    first, second = postgres_schema(), postgres_schema()
    SqlStorage(first)
    SqlStorage(second)  # pg_trgm exists already, in some schema other than second's
    with second.connect() as conn:
        home = conn.exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        ).scalar_one()
    assert home != _current_schema(second)
    assert has_text_index(second)
    storage = SqlStorage(second)
    cards = _cards()
    _store(storage, cards)
    assert _found(storage, "ёлка") == _expected(cards, "ёлка") != set()


@pytest.mark.postgres
def test_a_text_query_is_served_by_the_trigram_index(
    postgres_url: str, postgres_schema: Callable[[], sa.Engine]
) -> None:
    # At 20,000 rows a sequential scan still costs less than the index (the benchmark shows
    # the planner's own choice at 1M cards): it is switched off, not the ordered index walk.
    engine = _engine_on(postgres_url, postgres_schema(), "-c enable_seqscan=off")
    storage = SqlStorage(engine)
    cards = _cards()
    _store(storage, cards)
    _filler(storage.engine, 20000)
    for needle in ("user_name", "C:\\Docs", "привет мир", "ёлка"):
        plan, found = _plan(storage, CardQuery(text=needle, limit=20))
        assert "Bitmap Index Scan on edms_cards_text_ix" in plan, plan
        assert found == _expected(cards, needle) != set()
    with storage.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX edms_cards_text_ix")
    plan, found = _plan(storage, CardQuery(text="user_name", limit=20))
    assert "edms_cards_text_ix" not in plan
    assert found == _expected(cards, "user_name")
    engine.dispose()


@pytest.fixture
def index_only(postgres_url: str, postgres_schema: Callable[[], sa.Engine]) -> Iterator[SqlStorage]:
    """A storage whose text queries can only run through the trigram index (no scans)."""
    options = "-c enable_seqscan=off -c enable_indexscan=off"
    engine = _engine_on(postgres_url, postgres_schema(), options)
    try:
        yield SqlStorage(engine)
    finally:
        engine.dispose()


def _by_index(storage: SqlStorage, needle: str) -> set[str]:
    """The adapter's text condition alone, run through the trigram index (its plan checked)."""
    c = schema.cards.c
    with storage.unit_of_work() as uow:
        compiled = (
            sa.select(c.id).where(uow.contains(c.search_text, needle)).compile(storage.engine)
        )
    with storage.engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("EXPLAIN " + compiled.string, compiled.params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Bitmap Index Scan on edms_cards_text_ix" in plan, plan
        cursor.execute(compiled.string, compiled.params)
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
def test_like_through_the_index_keeps_the_substring_semantics(index_only: SqlStorage) -> None:
    cards = _cards()
    _store(index_only, cards)
    for needle in NEEDLES:
        expected = _expected(cards, needle)
        assert _found(index_only, needle) == expected, needle
        assert _by_index(index_only, needle) == expected, needle
        assert _by_strpos(index_only.engine, needle) == expected, needle
    assert len(_expected(cards, "%")) == 2  # the wildcard matches itself only
    assert len(_expected(cards, "_")) == 2
    assert _expected(cards, "ёлка") != _expected(cards, "елка")  # folding keeps ё apart from е
    assert len(_expected(cards, "straße")) == 2  # ß folds to ss


@pytest.mark.postgres
def test_like_equals_strpos_on_any_needle(index_only: SqlStorage) -> None:
    cards = _cards()
    _store(index_only, cards)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(alphabet="%_\\'\"ёЁеЕлкЛКaAsSß05 :", max_size=5))
    def check(needle: str) -> None:
        expected = _expected(cards, needle)
        assert _found(index_only, needle) == expected
        assert _by_index(index_only, needle) == expected
        assert _by_strpos(index_only.engine, needle) == expected

    check()


# --- the migration from version 1 --------------------------------------------------------------


def _back_to_version_1(engine: sa.Engine) -> None:
    """Make a database what version 1 created: without the trigram index (version 2), the
    delivery-control tables (version 3) and the cards' shares (version 4)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP INDEX IF EXISTS edms_cards_text_ix")
        drop_views(conn)  # version 6's analytics views read the tables dropped here
        for table in (schema.dispatch_messages, schema.dispatches, schema.card_shares):
            table.drop(conn)
        conn.execute(sa.update(schema.schema_version).values(version=1))


@pytest.mark.postgres
def test_a_version_1_database_migrates_to_the_index(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    engine = postgres_schema()
    storage = SqlStorage(engine)
    cards = _cards()
    _store(storage, cards)
    _back_to_version_1(engine)
    assert not has_text_index(engine)
    with pytest.raises(SchemaVersionError, match=r"run edmscore\.storage\.sql\.migrate"):
        SqlStorage(engine)
    assert migrate(engine) == (1, SCHEMA_VERSION)
    assert schema_version(engine) == SCHEMA_VERSION
    assert has_text_index(engine)
    storage = SqlStorage(engine)
    assert _found(storage, "user_name") == _expected(cards, "user_name") != set()


def test_a_version_1_sqlite_database_migrates_and_scans(tmp_path: object) -> None:
    engine = sqlite_engine(f"{tmp_path}/edms.sqlite")
    try:
        storage = SqlStorage(engine)
        cards = _cards()
        _store(storage, cards)
        _back_to_version_1(engine)
        assert migrate(engine) == (1, SCHEMA_VERSION)
        assert not has_text_index(engine)  # SQLite's substring filter scans
        storage = SqlStorage(engine)
        for needle in NEEDLES:
            assert _found(storage, needle) == _expected(cards, needle), needle
    finally:
        engine.dispose()


# --- without the privilege to create pg_trgm ---------------------------------------------------


@pytest.fixture
def restricted(postgres_url: str) -> Iterator[tuple[sa.Engine, sa.Engine, str]]:
    """A fresh database and a login role without CREATE on it (so no CREATE EXTENSION): an
    engine as that role on its own schema, an engine as the database's owner, and the role's
    URL (its search path in the URL, as the command line takes it)."""
    token = uuid.uuid4().hex[:10]
    role, database = f"edms_clerk_{token}", f"edms_db_{token}"
    url = sa.make_url(postgres_url)
    admin = postgres_engine(postgres_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
            conn.exec_driver_sql(f"CREATE DATABASE {database}")
    except sa_exc.DBAPIError as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"the server's role cannot create a role and a database: {exc.orig}")
    owner = postgres_engine(
        url.set(database=database).render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
    )
    clerk_url = url.set(
        database=database, username=role, query={"options": "-c search_path=edms"}
    ).render_as_string(hide_password=False)
    clerk = postgres_engine(clerk_url)
    try:
        with owner.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA edms AUTHORIZATION {role}")
        try:
            clerk.connect().close()
        except sa_exc.OperationalError as exc:  # a server that wants the new role's password
            if os.environ.get("CI") == "true":
                raise
            pytest.skip(f"a new role cannot log in to the server: {exc.orig}")
        yield clerk, owner, clerk_url
    finally:
        clerk.dispose()
        owner.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {database} WITH (FORCE)")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()


@pytest.mark.postgres
def test_without_pg_trgm_the_schema_installs_and_the_search_scans(
    restricted: tuple[sa.Engine, sa.Engine, str],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clerk, owner, clerk_url = restricted
    with caplog.at_level(logging.WARNING, logger="edmscore.storage.sql._migrate"):
        storage = SqlStorage(clerk)
    assert "permission denied to create extension" in caplog.text
    assert "CREATE EXTENSION pg_trgm" in caplog.text
    assert schema_version(clerk) == SCHEMA_VERSION
    assert not has_text_index(clerk)
    assert main(["storage", "version", clerk_url]) == 0
    assert "CardQuery.text): table scan: no trigram index" in capsys.readouterr().out
    with clerk.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM pg_extension").scalar_one() == 1
    cards = _cards()
    _store(storage, cards)
    for needle in ("user_name", "%", "ёлка", "\\"):
        assert _found(storage, needle) == _expected(cards, needle) != set(), needle

    # An upgrade from version 1 under this role does not fail either.
    _back_to_version_1(clerk)
    assert migrate(clerk) == (1, SCHEMA_VERSION)
    assert not has_text_index(clerk)

    # A privileged role installs the extension; the next migrate() creates the index.
    with owner.connect() as conn:
        conn.exec_driver_sql("CREATE EXTENSION pg_trgm")
    assert migrate(clerk) == (SCHEMA_VERSION, SCHEMA_VERSION)
    assert has_text_index(clerk)
    assert main(["storage", "version", clerk_url]) == 0
    assert "CardQuery.text): trigram index edms_cards_text_ix" in capsys.readouterr().out
    assert _found(SqlStorage(clerk), "user_name") == _expected(cards, "user_name")


@pytest.mark.postgres
def test_migrate_replaces_an_invalid_index(postgres_schema: Callable[[], sa.Engine]) -> None:
    engine = postgres_schema()
    SqlStorage(engine)
    with engine.begin() as conn:  # what a failed CREATE INDEX CONCURRENTLY leaves behind
        conn.exec_driver_sql(
            "UPDATE pg_index SET indisvalid = false "
            "WHERE indexrelid = to_regclass('edms_cards_text_ix')"
        )
    assert not has_text_index(engine)
    assert migrate(engine) == (SCHEMA_VERSION, SCHEMA_VERSION)
    assert has_text_index(engine)


@pytest.fixture
def bare_database(postgres_url: str) -> Iterator[str]:
    """The URL of a fresh database without ``pg_trgm``, dropped after the test."""
    database = f"edms_bare_{uuid.uuid4().hex[:10]}"
    admin = postgres_engine(postgres_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {database}")
    try:
        yield sa.make_url(postgres_url).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {database} WITH (FORCE)")
        admin.dispose()


@pytest.mark.postgres
def test_an_uncommitted_extension_elsewhere_delays_the_install_only_a_bounded_time(
    bare_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    import time

    other = postgres_engine(bare_database, poolclass=sa.pool.NullPool)
    engine = postgres_engine(bare_database, poolclass=sa.pool.NullPool)
    try:
        with other.connect() as holder:
            holder.exec_driver_sql("CREATE EXTENSION pg_trgm")  # begun, not committed
            start = time.monotonic()
            with (
                caplog.at_level(logging.WARNING, logger="edmscore.storage.sql._migrate"),
                engine.connect() as conn,
            ):
                SqlStorage(conn)  # installed on a host's connection
                # The host session's own lock timeout is as it was.
                assert conn.exec_driver_sql("SHOW lock_timeout").scalar_one() == "0"
            waited = time.monotonic() - start
            holder.rollback()
        assert waited < 30  # the install did not wait for the other transaction to end
        assert "lock timeout" in caplog.text
        assert schema_version(engine) == SCHEMA_VERSION
        assert not has_text_index(engine)
        storage = SqlStorage(engine)
        cards = _cards()
        _store(storage, cards)
        assert _found(storage, "user_name") == _expected(cards, "user_name") != set()
        assert migrate(engine) == (SCHEMA_VERSION, SCHEMA_VERSION)  # now it can: the index
        assert has_text_index(engine)
    finally:
        other.dispose()
        engine.dispose()
