"""kill -9 in the middle of a restore or an import leaves the target as it was, and running the
same command again completes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from edmscore.backup import restore_bundles, write_bundle
from edmscore.storage import MemoryStorage
from edmscore.storage.sql import SqlStorage, sqlite_engine
from edmscore.testing import make_card

CARDS = 12_000

_CHILD = r"""
import sys
from pathlib import Path
from edmscore.storage.sql import SqlStorage, sqlite_engine
from edmscore.backup import restore_bundles

mark = Path(sys.argv[3])

def progress(what, done):
    if what == "cards" and done >= 10_000:
        mark.write_text("busy")

storage = SqlStorage(sqlite_engine(sys.argv[1]))
restore_bundles(storage, [sys.argv[2]], progress=progress)
mark.write_text("done")
"""

_IMPORT_CHILD = r"""
import sys
import pendulum
from pathlib import Path
from edmscore.storage.sql import SqlStorage, sqlite_engine
from edmscore.backup import import_registry

mark = Path(sys.argv[3])

def progress(what, done):
    if what == "cards" and done >= 10_000:
        mark.write_text("busy")

storage = SqlStorage(sqlite_engine(sys.argv[1]))
with storage.unit_of_work() as uow:
    import_registry(uow, sys.argv[2], "org", actor_id="user",
                    now=pendulum.datetime(2026, 3, 2, tz="UTC"), progress=progress)
    uow.commit()
mark.write_text("done")
"""


def _killed(code: str, *args: Path) -> None:
    mark = args[-1]
    child = subprocess.Popen([sys.executable, "-c", code, *map(str, args)])
    try:
        deadline = time.monotonic() + 300
        while not (mark.exists() and mark.read_text()):  # written, not just created
            if child.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the child ended ({child.returncode}) before it was busy")
            time.sleep(0.01)
        assert mark.read_text() == "busy"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL


def _count(database: Path) -> int:
    with SqlStorage(sqlite_engine(database)).unit_of_work() as uow:
        return sum(1 for _ in uow.export_records("cards"))


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        uow.import_records("cards", (make_card("j1", str(n)) for n in range(1, CARDS + 1)))
        uow.commit()
    root = tmp_path_factory.mktemp("big") / "bundle"
    write_bundle(storage, root, created_at="2026-03-16T18:00:00+03:00")
    return root


def test_kill_during_restore_leaves_an_empty_target(big_bundle: Path, tmp_path: Path) -> None:
    database = tmp_path / "target.sqlite"
    SqlStorage(sqlite_engine(database))  # the schema, as a host installs it first
    _killed(_CHILD, database, big_bundle, tmp_path / "mark")
    assert _count(database) == 0
    report = restore_bundles(SqlStorage(sqlite_engine(database)), [big_bundle])
    assert report.counts["cards"] == CARDS
    assert _count(database) == CARDS


def test_kill_during_import_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    from edmscore.directory import Organisation
    from edmscore.registry import CardKind, Journal

    source = tmp_path / "legacy"
    source.mkdir()
    (source / "journals.jsonl").write_text(
        json.dumps(
            {
                "id": "j1",
                "code": "ВХ",
                "name": "Входящие",
                "template": "{seq}",
                "kinds": ["incoming"],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    with (source / "cards.jsonl").open("w", encoding="utf-8") as out:
        for n in range(1, CARDS + 1):
            out.write(
                json.dumps(
                    {
                        "registration": {
                            "journal": "ВХ",
                            "number": str(n),
                            "date": "2019-05-06",
                            "seq": n,
                        },
                        "details": {
                            "kind": "incoming",
                            "document_kind": "Письмо",
                            "summary": f"№ {n}",
                            "received_on": "2019-05-06",
                            "correspondents": [{"name": "Район"}],
                        },
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    database = tmp_path / "target.sqlite"
    storage = SqlStorage(sqlite_engine(database))
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(Organisation("org", "Министерство"))
        uow.commit()
    _killed(_IMPORT_CHILD, database, source, tmp_path / "mark")
    assert _count(database) == 0
    with SqlStorage(sqlite_engine(database)).unit_of_work() as uow:
        assert list(uow.export_records("journals")) == []
        assert uow.numbers.current("j1|2019") == 0
    (tmp_path / "mark").unlink()
    subprocess.run(
        [sys.executable, "-c", _IMPORT_CHILD, database, source, tmp_path / "mark"], check=True
    )
    assert _count(database) == CARDS
    with SqlStorage(sqlite_engine(database)).unit_of_work() as uow:
        journal = next(iter(uow.export_records("journals")))
        assert isinstance(journal, Journal) and CardKind.INCOMING in journal.kinds
        assert uow.numbers.current("j1|2019") == CARDS
