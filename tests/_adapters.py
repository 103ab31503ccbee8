"""Every storage adapter under the use-case tests (a pytest plugin, see tests/conftest.py).

A test that asks for ``storage`` (or ``new_storage``, a factory of fresh storages, for tests that
need several or one per hypothesis example) runs once per adapter: ``memory``
(:class:`~edmscore.storage.MemoryStorage`), ``sqlite`` (a :class:`SqlStorage` on a SQLite file in a
temporary folder) and ``postgres`` (a :class:`SqlStorage` on a fresh schema of the
session's PostgreSQL server, see ``tests/_postgres.py``; marked ``postgres``). A test marked
``memory_only`` runs on memory alone: it is about the memory adapter itself. ``-m "not postgres"``
leaves the PostgreSQL runs out, ``-k memory`` keeps the memory runs alone.

Property tests draw fewer examples on the SQL adapters (:func:`adapter_settings`): each example
there builds a database schema, so the memory run explores and the SQL runs confirm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from edmscore.storage import MemoryStorage
from edmscore.storage.sql import SqlStorage, sqlite_engine

ADAPTERS = ("memory", "sqlite", "postgres")
SQL_SHARE = {"memory": 1.0, "sqlite": 0.25, "postgres": 0.125}
_OPEN_ENGINES = 4

AnyStorage = MemoryStorage | SqlStorage
StorageFactory = Callable[[], AnyStorage]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "memory_only: concerns the in-memory adapter itself; not run on the others"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "storage_adapter" not in metafunc.fixturenames:
        return
    memory_only = metafunc.definition.get_closest_marker("memory_only") is not None
    metafunc.parametrize(
        "storage_adapter",
        [
            pytest.param(name, marks=[pytest.mark.postgres] if name == "postgres" else [])
            for name in (("memory",) if memory_only else ADAPTERS)
        ],
    )


def adapter_settings(adapter: str, examples: int) -> settings:
    """Hypothesis settings of a property test that draws ``examples`` on memory: a share of them
    on a SQL ``adapter``; no deadline and no too-slow check, as a schema is built per example."""
    return settings(
        max_examples=max(5, round(examples * SQL_SHARE[adapter])),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@pytest.fixture
def new_storage(
    storage_adapter: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[StorageFactory]:
    """A factory of fresh, empty storages on this test's adapter."""
    if storage_adapter == "memory":
        yield MemoryStorage
        return
    engines: list[sa.Engine] = []
    if storage_adapter == "sqlite":
        # A folder of its own: the test's ``tmp_path`` stays the test's.
        folder = tmp_path_factory.mktemp("sqlite")

        def engine() -> sa.Engine:
            made = sqlite_engine(folder / f"edms{len(engines)}.sqlite", durable=False)
            engines.append(made)
            return made

    else:
        # Asked for lazily, so that the memory and SQLite runs never need a PostgreSQL server.
        new_schema = request.getfixturevalue("postgres_schema")

        def engine() -> sa.Engine:
            made: sa.Engine = new_schema()
            engines.append(made)
            if len(engines) > _OPEN_ENGINES:
                # Close the idle connections of older storages (they reopen if used again), so
                # that a long property test stays under the server's connection limit.
                engines[-_OPEN_ENGINES - 1].dispose()
            return made

    yield lambda: SqlStorage(engine())
    for made in engines:
        made.dispose()


@pytest.fixture
def storage(new_storage: StorageFactory) -> AnyStorage:
    """A fresh, empty storage on this test's adapter."""
    return new_storage()
