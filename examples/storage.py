"""Keep cards in a SQLite database file and their files on disk; search, check, reopen.

Run: python examples/storage.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
import pendulum

from edmscore.access import AccessScope
from edmscore.clock import FixedClock
from edmscore.errors import ConflictError
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import CardKind
from edmscore.storage import CardQuery
from edmscore.storage.sql import FileBlobStore, SqlStorage, schema_version, sqlite_engine
from edmscore.testing import make_details, make_world


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="edms-example-") as folder:
        run(Path(folder))


def run(folder: Path) -> None:
    engine = sqlite_engine(folder / "edms.sqlite")
    storage = SqlStorage(engine, blob_store=FileBlobStore(folder / "blobs"))
    print(f"schema version {schema_version(engine)} in {folder / 'edms.sqlite'}")

    world = make_world()
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(world.organisation)
        uow.directory.put_user(world.clerk)
        uow.journals.add(world.journal)
        uow.commit()

    records = RecordsService(storage, FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="UTC")))
    base = make_details(CardKind.INCOMING, received_on=pendulum.Date(2026, 3, 2))
    summaries = ("О ремонте дорог", "О ДОРОГАХ области и мостах", "О бюджете на 2026 год")
    cards = [
        records.register(
            world.clerk,
            RegistrationRequest(world.journal.id, attrs.evolve(base, summary=summary)),
        )
        for summary in summaries
    ]
    for card in cards:
        print(f"  {card.number:6} {card.details.summary}")

    scanned = records.attach_file(world.clerk, cards[0].id, 1, "скан.pdf", b"%PDF-1.7 ...")
    try:
        records.update(world.clerk, cards[0].id, 1, {"summary": "Устаревшая правка"})
    except ConflictError as exc:
        print(f"a stale update is refused: expected version {exc.expected}, stored {exc.actual}")

    scope = AccessScope.of(world.clerk)
    with storage.unit_of_work() as uow:
        page = uow.cards.query(CardQuery(text="дорог"), scope)
        print(f"substring «дорог»: {[c.number for c in page.items]}")
        page = uow.cards.search("дорога", CardQuery(), scope)
        print(f"full-text «дорога»: {[c.number for c in page.items]}")

    # A new process would open the same files: everything is still there, files verified.
    reopened = SqlStorage(
        sqlite_engine(folder / "edms.sqlite"), blob_store=FileBlobStore(folder / "blobs")
    )
    content = RecordsService(reopened).read_file(world.clerk, scanned.id, "скан.pdf")
    report = reopened.verify_blobs()
    print(f"file read back: {len(content)} bytes; blobs checked {report.checked}, ok {report.ok}")
    engine.dispose()
    reopened.engine.dispose()


if __name__ == "__main__":
    main()
