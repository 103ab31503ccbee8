"""Files on more than one tier: write-through and catch-up replication, checking and repairing
every copy, closed years moved to the cold tier with cards unchanged; the S3 tier against a real
S3-compatible server (moto's, in-process)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from edmscore import Edms
from edmscore.access import Principal
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Organisation, User
from edmscore.errors import NotFound, StorageError, ValidationError
from edmscore.registry import CardKind, Journal
from edmscore.storage.sql import SqlStorage, sqlite_engine
from edmscore.storage.tiers import DirectoryTier, S3Tier, Tier, TieredBlobStore

NOW = pendulum.datetime(2026, 3, 16, 10, 0, tz="Europe/Moscow")
SCANS = {year: f"%PDF-1.4\n% scan of {year}\n%%EOF\n".encode() for year in (2019, 2020, 2025)}


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _put(store: TieredBlobStore, database: Path, *contents: bytes) -> None:
    storage = SqlStorage(sqlite_engine(database), blob_store=store)
    with storage.unit_of_work() as uow:
        for content in contents:
            uow.blobs.put(content)
        uow.commit()


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture
def tiers(tmp_path: Path) -> TieredBlobStore:
    return TieredBlobStore(
        tmp_path / "hot",
        replica=DirectoryTier(tmp_path / "replica", name="replica"),
        cold=DirectoryTier(tmp_path / "cold", name="cold"),
    )


def test_a_committed_file_is_written_through_to_the_replica(
    tiers: TieredBlobStore, tmp_path: Path
) -> None:
    _put(tiers, tmp_path / "db.sqlite", b"one", b"two")
    assert tiers.replica is not None
    assert sorted(tiers.replica.stored()) == sorted([_sha(b"one"), _sha(b"two")])
    assert tiers.replica.read(_sha(b"two")) == b"two"


def test_a_replica_that_cannot_be_written_fails_the_commit(tmp_path: Path) -> None:
    replica = DirectoryTier(tmp_path / "replica", name="replica")
    shutil.rmtree(replica.root)
    replica.root.write_bytes(b"not a folder")  # the other volume is gone
    store = TieredBlobStore(tmp_path / "hot", replica=replica)
    storage = SqlStorage(sqlite_engine(tmp_path / "db.sqlite"), blob_store=store)
    with storage.unit_of_work() as uow:
        digest = uow.blobs.put(b"content")
        with pytest.raises(StorageError, match="replica"):
            uow.commit()
    assert not store.replica or not store.replica.contains(digest)


def test_replicate_catches_up_what_the_replica_missed(tmp_path: Path) -> None:
    replica = DirectoryTier(tmp_path / "replica", name="replica")
    store = TieredBlobStore(tmp_path / "hot", replica=replica, write_through=False)
    _put(store, tmp_path / "db.sqlite", b"a", b"b", b"c")
    assert list(replica.stored()) == []
    assert store.replicate() == 3
    assert store.replicate() == 0
    assert set(replica.stored()) == {_sha(b"a"), _sha(b"b"), _sha(b"c")}


def test_every_damaged_or_missing_copy_is_found_and_repaired(
    tiers: TieredBlobStore, tmp_path: Path
) -> None:
    _put(tiers, tmp_path / "db.sqlite", b"first", b"second", b"third")
    first, second, third = _sha(b"first"), _sha(b"second"), _sha(b"third")
    assert tiers.check_tiers().ok
    _flip(tmp_path / "replica" / first[:2] / first[2:4] / first)
    tiers.path_of(second).unlink()
    _flip(tiers.path_of(third))
    absent = "f" * 64  # listed by a card, on no tier
    report = tiers.check_tiers({absent})
    checks = {check.tier: check for check in report.tiers}
    assert checks["replica"].corrupt == (first,)
    assert checks["hot"].missing == tuple(sorted((second, absent)))
    assert checks["hot"].corrupt == (third,)
    assert report.lost == (absent,)
    assert not report.ok
    assert tiers.read(third) == b"third"  # a damaged hot copy falls through to the replica
    repaired = tiers.check_tiers(repair=True)
    assert sorted(repaired.repaired) == sorted(
        [("replica", first), ("hot", second), ("hot", third)]
    )
    assert tiers.check_tiers().ok
    assert tiers.path_of(second).read_bytes() == b"second"


def test_a_file_with_no_intact_copy_is_lost_not_served(
    tiers: TieredBlobStore, tmp_path: Path
) -> None:
    _put(tiers, tmp_path / "db.sqlite", b"only")
    sha = _sha(b"only")
    _flip(tiers.path_of(sha))
    _flip(tmp_path / "replica" / sha[:2] / sha[2:4] / sha)
    assert tiers.check_tiers(repair=True).lost == (sha,)
    with pytest.raises(Exception, match="does not match"):
        tiers.read(sha)


def test_two_tiers_of_one_name_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        TieredBlobStore(
            tmp_path / "hot",
            replica=DirectoryTier(tmp_path / "a"),
            cold=DirectoryTier(tmp_path / "b"),
        )


# --- the use cases: closed years to the cold tier, the scheduled check ------------------------


def _installation(storage: SqlStorage) -> tuple[Edms, Principal]:
    edms = Edms(storage, clock=FixedClock(NOW))
    admin = edms.setup(
        Organisation("org-1", "Министерство"), User("admin", "admin", "org-1", None, Clearance.DSP)
    )
    journal = Journal("j-in", "org-1", "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    edms.admin.create_journal(Principal(admin.id), journal)
    return edms, Principal(admin.id)


def _stored(storage: SqlStorage, card_id: str) -> Any:
    with storage.unit_of_work() as uow:
        return uow.cards.get(card_id)


def _legacy(folder: Path) -> Path:
    (folder / "files").mkdir(parents=True)
    with (folder / "cards.jsonl").open("w", encoding="utf-8") as out:
        for number, (year, scan) in enumerate(SCANS.items(), 1):
            (folder / "files" / _sha(scan)).write_bytes(scan)
            day = f"{year}-03-02"
            row = {
                "id": f"legacy-{year}",
                "registration": {"journal": "ВХ", "number": f"{number}-вх", "date": day},
                "details": {
                    "kind": "incoming",
                    "document_kind": "Письмо",
                    "summary": f"Письмо {year} года",
                    "correspondents": [{"name": "Администрация района"}],
                    "received_on": day,
                    "files": [{"name": "скан.pdf", "size": len(scan), "sha256": _sha(scan)}],
                },
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder


def test_closed_years_move_to_the_cold_tier_and_cards_still_read_their_files(
    tiers: TieredBlobStore, tmp_path: Path
) -> None:
    storage = SqlStorage(sqlite_engine(tmp_path / "db.sqlite"), blob_store=tiers)
    edms, admin = _installation(storage)
    edms.backups.import_registry(admin, _legacy(tmp_path / "legacy"))
    before = {year: _stored(storage, f"legacy-{year}") for year in SCANS}
    with pytest.raises(ValidationError, match="closed"):
        edms.backups.move_to_cold(admin, through_year=2026)
    assert edms.backups.move_to_cold(admin, through_year=2020) == 2
    assert tiers.cold is not None
    assert set(tiers.cold.stored()) == {_sha(SCANS[2019]), _sha(SCANS[2020])}
    assert not tiers.path_of(_sha(SCANS[2019])).exists()
    assert tiers.path_of(_sha(SCANS[2025])).exists()
    for year, card in before.items():
        assert _stored(storage, f"legacy-{year}") == card  # cards unchanged
        with storage.unit_of_work() as uow:
            assert uow.blobs.get(card.details.files[0].sha256) == SCANS[year]
    assert edms.backups.check_files(admin).ok
    _flip(tmp_path / "cold" / _sha(SCANS[2019])[:2] / _sha(SCANS[2019])[2:4] / _sha(SCANS[2019]))
    report = edms.backups.check_files(admin, repair=True)
    assert ("cold", _sha(SCANS[2019])) in report.repaired
    assert edms.backups.check_files(admin).ok
    with storage.unit_of_work() as uow:
        actions = [event.action for _, event in uow.audit.events() if event.entity_type == "files"]
    assert actions == ["move_to_cold", "check_files", "check_files", "check_files"]


def test_the_tier_use_cases_need_a_tiered_store(tmp_path: Path) -> None:
    edms, admin = _installation(SqlStorage(sqlite_engine(tmp_path / "db.sqlite")))
    with pytest.raises(ValidationError, match="one tier"):
        edms.backups.check_files(admin)


# --- the S3 tier on a real S3-compatible server ---------------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _bucket(endpoint: str, name: str) -> S3Tier:
    options: dict[str, Any] = {
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    tier = S3Tier(name, prefix="blobs/", name=name, **options)
    tier.client.create_bucket(Bucket=name)
    return tier


def test_the_s3_tier_keeps_reads_lists_and_deletes_objects(s3_endpoint: str) -> None:
    tier: Tier = _bucket(s3_endpoint, "edms-contract")
    contents = [b"", b"one", bytes(range(256)) * 300]
    for content in contents:
        tier.write(_sha(content), content)
    assert list(tier.stored()) == sorted(_sha(c) for c in contents)
    for content in contents:
        assert tier.contains(_sha(content))
        assert tier.read(_sha(content)) == content
    tier.delete(_sha(b"one"))
    assert not tier.contains(_sha(b"one"))
    with pytest.raises(NotFound):
        tier.read(_sha(b"one"))
    with pytest.raises(NotFound):
        tier.read("../not-a-hash")


def test_an_s3_replica_and_cold_tier_serve_and_repair(s3_endpoint: str, tmp_path: Path) -> None:
    replica, cold = _bucket(s3_endpoint, "edms-replica"), _bucket(s3_endpoint, "edms-cold")
    store = TieredBlobStore(tmp_path / "hot", replica=replica, cold=cold)
    _put(store, tmp_path / "db.sqlite", b"scan 2019", b"scan 2025")
    old = _sha(b"scan 2019")
    assert set(replica.stored()) == {old, _sha(b"scan 2025")}
    assert store.move_to_cold([old]) == 1
    assert not store.path_of(old).exists()
    assert store.read(old) == b"scan 2019"
    cold.write(old, b"scan 2019, altered")  # damage on the object store
    report = store.check_tiers()
    assert {c.tier: c.corrupt for c in report.tiers}["edms-cold"] == (old,)
    assert store.read(old) == b"scan 2019"  # served from the intact replica
    assert ("edms-cold", old) in store.check_tiers(repair=True).repaired
    assert cold.read(old) == b"scan 2019"
    assert store.check_tiers().ok
