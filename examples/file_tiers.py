"""Files on more than one tier: a hot file store with a replica on another volume and a cold
tier; a closed year's scans moved to the cold tier, cards unchanged; every copy checked and a
damaged one repaired.

Run: python examples/file_tiers.py
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pendulum

from edmscore import CardKind, Edms, FixedClock, Journal, Organisation, Principal, User
from edmscore.storage.sql import SqlStorage, sqlite_engine
from edmscore.storage.tiers import DirectoryTier, TieredBlobStore


def main() -> None:
    """Import two years of scanned letters, move the closed year cold, check and repair."""
    folder = Path(tempfile.mkdtemp())
    files = TieredBlobStore(
        folder / "hot",
        replica=DirectoryTier(folder / "second-volume", name="replica"),
        cold=DirectoryTier(folder / "archive", name="cold"),
    )
    storage = SqlStorage(sqlite_engine(folder / "edms.sqlite"), blob_store=files)
    edms = Edms(storage, clock=FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Moscow")))
    admin = Principal(edms.setup(Organisation("mcr", "Министерство"), User("a", "a", "mcr")).id)
    edms.admin.create_journal(
        admin, Journal("in", "mcr", "ВХ", "Входящие", "вх-{seq}", {CardKind.INCOMING})
    )

    legacy = folder / "legacy"
    (legacy / "files").mkdir(parents=True)
    scans = {2019: b"%PDF-1.4\n% scan 2019\n%%EOF\n", 2025: b"%PDF-1.4\n% scan 2025\n%%EOF\n"}
    lines = []
    for seq, (year, scan) in enumerate(scans.items(), 1):
        sha256 = hashlib.sha256(scan).hexdigest()
        (legacy / "files" / sha256).write_bytes(scan)
        day = f"{year}-05-06"
        lines.append(
            {
                "id": f"card-{year}",
                "registration": {"journal": "ВХ", "number": f"вх-{seq}", "date": day},
                "details": {
                    "kind": "incoming",
                    "document_kind": "Письмо",
                    "summary": f"Запрос {year} года",
                    "correspondents": [{"name": "Министерство финансов"}],
                    "received_on": day,
                    "files": [{"name": "скан.pdf", "size": len(scan), "sha256": sha256}],
                },
            }
        )
    (legacy / "cards.jsonl").write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )
    edms.backups.import_registry(admin, legacy)

    # Every file was written through to the replica when the import committed.
    assert files.replica is not None and len(list(files.replica.stored())) == 2

    # 2019 is closed: its scan goes to the cold tier; the card still reads it.
    assert edms.backups.move_to_cold(admin, through_year=2024) == 1
    old = hashlib.sha256(scans[2019]).hexdigest()
    assert not files.path_of(old).exists()
    with storage.unit_of_work() as uow:
        assert uow.blobs.get(uow.cards.get("card-2019").details.files[0].sha256) == scans[2019]

    # The scheduled check: a damaged copy on the replica is found and written again.
    damaged = folder / "second-volume" / old[:2] / old[2:4] / old
    damaged.write_bytes(b"bit rot")
    report = edms.backups.check_files(admin, repair=True)
    assert report.repaired == (("replica", old),)
    assert edms.backups.check_files(admin).ok


if __name__ == "__main__":
    main()
