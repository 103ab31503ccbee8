"""Keep cards in a SQLite database file and their files on disk; search, check, reopen.

Run: python examples/storage.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pendulum

from edmscore import (
    CardDetails,
    CardKind,
    CardQuery,
    ConflictError,
    Edms,
    FixedClock,
    Journal,
    Organisation,
    Principal,
    RegistrationRequest,
    User,
)
from edmscore.access import AccessScope
from edmscore.registry import Correspondent
from edmscore.storage.sql import FileBlobStore, SqlStorage, schema_version, sqlite_engine


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="edms-example-") as folder:
        run(Path(folder))


def run(folder: Path) -> None:
    engine = sqlite_engine(folder / "edms.sqlite")
    storage = SqlStorage(engine, blob_store=FileBlobStore(folder / "blobs"))
    print(f"schema version {schema_version(engine)} in {folder / 'edms.sqlite'}")

    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="UTC"))
    edms = Edms(storage, clock=clock)
    admin = edms.setup(
        Organisation("mcr", "Министерство цифрового развития"), User("a", "a", "mcr")
    )
    clerk = User("clerk", "ivanova", "mcr", roles=("registrar",))
    edms.admin.put_user(admin.id, clerk)
    journal = Journal("in", "mcr", "ВХ", "Входящие", "вх-{seq}", {CardKind.INCOMING})
    edms.admin.create_journal(admin.id, journal)

    def letter(summary: str) -> CardDetails:
        return CardDetails(
            kind=CardKind.INCOMING,
            document_kind="Письмо",
            summary=summary,
            correspondents=(Correspondent("Министерство финансов Российской Федерации"),),
            received_on=pendulum.Date(2026, 3, 2),
        )

    summaries = ("О ремонте дорог", "О ДОРОГАХ области и мостах", "О бюджете на 2026 год")
    cards = [
        edms.records.register(clerk.id, RegistrationRequest(journal.id, letter(summary)))
        for summary in summaries
    ]
    for card in cards:
        print(f"  {card.number:6} {card.details.summary}")

    scanned = edms.records.attach_file(clerk.id, cards[0].id, 1, "скан.pdf", b"%PDF-1.7 ...")
    try:
        edms.records.update(clerk.id, cards[0].id, 1, {"summary": "Устаревшая правка"})
    except ConflictError as exc:
        print(f"a stale update is refused: expected version {exc.expected}, stored {exc.actual}")

    # The adapter's own full-text search, with the clerk's access scope applied in the SQL.
    scope = AccessScope.of(clerk)
    with storage.unit_of_work() as uow:
        page = uow.cards.query(CardQuery(text="дорог"), scope)
        print(f"substring «дорог»: {[c.number for c in page.items]}")
        page = uow.cards.search("дорога", CardQuery(), scope)
        print(f"full-text «дорога»: {[c.number for c in page.items]}")

    # A new process would open the same files: everything is still there, files verified.
    reopened = SqlStorage(
        sqlite_engine(folder / "edms.sqlite"), blob_store=FileBlobStore(folder / "blobs")
    )
    content = Edms(reopened, clock=clock).records.read_file(
        Principal(clerk.id), scanned.id, "скан.pdf"
    )
    report = reopened.verify_blobs()
    print(f"file read back: {len(content)} bytes; blobs checked {report.checked}, ok {report.ok}")
    engine.dispose()
    reopened.engine.dispose()


if __name__ == "__main__":
    main()
