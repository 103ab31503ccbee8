"""Move house: back up an installation, verify the bundle, restore it into SQLite, go on
numbering; import a legacy registry and reconcile it.

Run: python examples/backup.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pendulum

from edmscore import (
    CardDetails,
    CardKind,
    Edms,
    FixedClock,
    Journal,
    Organisation,
    Principal,
    RegistrationRequest,
    User,
)
from edmscore.registry import Correspondent
from edmscore.storage.sql import SqlStorage, sqlite_engine

CLOCK = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Moscow"))


def letter(summary: str) -> CardDetails:
    return CardDetails(
        kind=CardKind.INCOMING,
        document_kind="Письмо",
        summary=summary,
        correspondents=(Correspondent("Министерство финансов"),),
        received_on=pendulum.date(2026, 3, 2),
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="edms-backup-") as folder:
        run(Path(folder))


def run(folder: Path) -> None:
    # The old installation, in memory: an organisation, a journal, three letters with a file.
    old = Edms(clock=CLOCK)
    admin = old.setup(Organisation("mcr", "Министерство цифрового развития"), User("a", "a", "mcr"))
    me = Principal(admin.id)
    old.admin.put_user(me, User("clerk", "ivanova", "mcr", roles=("registrar",)))
    journal = Journal("in", "mcr", "ВХ", "Входящие", "вх-{seq}", {CardKind.INCOMING})
    old.admin.create_journal(me, journal)
    for n in range(1, 4):
        card = old.records.register("clerk", RegistrationRequest("in", letter(f"Письмо {n}")))
    old.records.attach_file("clerk", card.id, card.version, "скан.pdf", b"%PDF-1.4 ...")

    # A bundle of the whole installation, verified without restoring it.
    manifest = old.backups.backup(me, folder / "bundle")
    print(f"bundle: {manifest.records['cards'].count} cards, {manifest.files.count} file(s)")
    verified = old.backups.verify(folder / "bundle").ok
    print(f"manifest sha256 {manifest.sha256[:16]}…, verified: {verified}")

    # Restore into an empty SQLite database: the bundle's own administrator restores it.
    new = Edms(SqlStorage(sqlite_engine(folder / "edms.sqlite")), clock=CLOCK)
    report = new.backups.restore(me, [folder / "bundle"])
    print(f"restored {report.counts['cards']} cards and {report.files} file(s) into SQLite")
    card = new.records.register("clerk", RegistrationRequest("in", letter("После переезда")))
    print(f"numbering goes on: {card.registration.number}")

    # A legacy registry: the 2019 cards of the same journal, with their original numbers.
    legacy = folder / "legacy"
    legacy.mkdir()
    rows = [
        {
            "registration": {"journal": "ВХ", "number": f"вх-{n}", "date": "2019-04-01", "seq": n},
            "details": {
                "kind": "incoming",
                "document_kind": "Письмо",
                "summary": f"Архивное письмо {n}",
                "received_on": "2019-04-01",
                "correspondents": [{"name": "Администрация района"}],
            },
        }
        for n in (1, 2, 4)
    ]
    (legacy / "cards.jsonl").write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    imported = new.backups.import_registry(me, legacy)
    print(f"imported {imported.cards} legacy cards; counters moved: {dict(imported.counters)}")
    result = new.backups.reconcile(me, legacy)
    year = result.target[("in", 2019)]
    print(
        f"2019: {year.count} cards, gaps in numbering: {list(year.gaps)}; as imported: {result.ok}"
    )


if __name__ == "__main__":
    main()
