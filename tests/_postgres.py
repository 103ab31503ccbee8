"""A real PostgreSQL server for the tests of every folder (a pytest plugin, see tests/conftest.py).

``EDMS_PG_DSN`` (a SQLAlchemy or libpq URL) points the tests at a server the host runs.
Otherwise a throw-away cluster is created with ``initdb`` and started with ``pg_ctl`` on a
temporary data directory and a free loopback port (as the ``postgres`` system user when run as
root), and removed at the end of the session. When no server can be had the PostgreSQL tests
skip with the reason — except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from edmscore.storage.sql import postgres_engine


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _unavailable(reason: str) -> None:
    message = f"PostgreSQL tests need a server, and none could be had: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class _Cluster:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="edms-pg-"))
        self.data = self.folder / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                account = pwd.getpwnam("nobody")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self.prefix = ["runuser", "-u", account.pw_name, "--"]
        self.port = _free_port()

    def run(self, *command: str) -> None:
        subprocess.run(
            [*self.prefix, *command], check=True, capture_output=True, text=True, timeout=120
        )

    def start(self, initdb: str, pg_ctl: str) -> str:
        self.run(
            initdb,
            "-D",
            str(self.data),
            "-U",
            "edms",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60"
        )
        self.run(
            pg_ctl,
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        return f"postgresql+psycopg://edms@127.0.0.1:{self.port}/postgres"

    def stop(self, pg_ctl: str) -> None:
        try:
            self.run(pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL server for this session (see the module docstring)."""
    given = os.environ.get("EDMS_PG_DSN")
    if given:
        yield given
        return
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    if initdb is None or pg_ctl is None:
        _unavailable("initdb and pg_ctl are not installed (Debian package `postgresql`)")
        return
    cluster = _Cluster()
    try:
        url = cluster.start(initdb, pg_ctl)
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        shutil.rmtree(cluster.folder, ignore_errors=True)
        _unavailable(f"the throw-away cluster did not start: {detail}")
        return
    _install_trigram_extension(url)
    try:
        yield url
    finally:
        cluster.stop(pg_ctl)


def _install_trigram_extension(url: str) -> None:
    """Install ``pg_trgm`` once, committed, as a database's owner would before the schemas.

    Tests keep host transactions open across several fresh schemas; if each schema's install
    had to create the extension, the second would wait on the first's uncommitted one.
    """
    engine = postgres_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    finally:
        engine.dispose()


@pytest.fixture
def postgres_schema(postgres_url: str) -> Iterator[Callable[[], sa.Engine]]:
    """A factory of engines, each on a fresh empty PostgreSQL schema, disposed after the test."""
    engines: list[sa.Engine] = []
    schemas: list[str] = []
    admin = postgres_engine(postgres_url, poolclass=sa.pool.NullPool)

    def make() -> sa.Engine:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        engine = postgres_engine(postgres_url, connect_args={"options": f"-c search_path={schema}"})
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()
    with admin.begin() as conn:
        for schema in schemas:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()
