"""Backup bundles: round trips between adapters, verification, damage, refusals, slices and
incremental bundles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pendulum
import pytest

from edmscore.backup import read_manifest, restore_bundles, verify_bundle, write_bundle
from edmscore.errors import BundleError, StateError
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import CardDetails, CardKind, Correspondent
from edmscore.storage import MemoryStorage
from edmscore.storage.sql import SqlStorage, sqlite_engine

from .conftest import CREATED, Populated, populate


def _records(manifest: Any) -> dict[str, tuple[int, str]]:
    return {name: (s.count, s.sha256) for name, s in manifest.records.items()}


def test_round_trip_on_the_adapter_gives_identical_manifests(
    populated: Populated, new_storage: Any, tmp_path: Path
) -> None:
    first = write_bundle(populated.storage, tmp_path / "first", created_at=CREATED)
    with populated.storage.unit_of_work() as uow:
        stored = sum(1 for _ in uow.export_records("cards"))
    assert first.records["cards"].count == stored > len(populated.cards)
    assert all(first.records[k].count for k in ("users", "assignments", "drafts", "appeals"))
    assert first.files.count > 0
    target = new_storage()
    report = restore_bundles(target, [tmp_path / "first"])
    assert report.counts["cards"] == first.records["cards"].count
    second = write_bundle(target, tmp_path / "second", created_at=CREATED)
    assert second.to_primitive() == first.to_primitive()
    assert second.sha256 == first.sha256


@pytest.mark.postgres
def test_memory_to_sqlite_to_postgres_to_memory(tmp_path: Path, postgres_schema: Any) -> None:
    source = populate(MemoryStorage())
    hops: list[Any] = [
        SqlStorage(sqlite_engine(tmp_path / "edms.sqlite", durable=False)),
        SqlStorage(postgres_schema()),
        MemoryStorage(),
    ]
    previous = write_bundle(source.storage, tmp_path / "b0", created_at=CREATED)
    for index, target in enumerate(hops, start=1):
        restore_bundles(target, [tmp_path / f"b{index - 1}"])
        manifest = write_bundle(target, tmp_path / f"b{index}", created_at=CREATED)
        assert manifest.sha256 == previous.sha256, type(target).__name__
        previous = manifest


def test_the_restored_store_works_on(populated: Populated, tmp_path: Path) -> None:
    """Counters come back as they were: the next registration takes the next number."""
    write_bundle(populated.storage, tmp_path / "b", created_at=CREATED)
    target = MemoryStorage()
    restore_bundles(target, [tmp_path / "b"])
    card = populated.cards[0]
    journal_id = card.registration.journal_id
    request = RegistrationRequest(
        journal_id=journal_id,
        details=CardDetails(
            kind=card.details.kind,
            document_kind="Письмо",
            summary="После переезда",
            correspondents=(Correspondent("Министерство финансов"),),
            received_on=pendulum.date(2026, 3, 16),
        ),
    )
    made = [
        RecordsService(s, populated.clock).register(populated.clerk_id, request)
        for s in (populated.storage, target)
    ]
    assert made[0].registration.number == made[1].registration.number
    assert made[1].registration.seq is not None and made[1].registration.seq > 1


def _bundle_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_damaged_byte_anywhere_is_found(populated: Populated, tmp_path: Path) -> None:
    original = tmp_path / "b"
    write_bundle(populated.storage, original, created_at=CREATED)
    assert verify_bundle(original, deep=True).ok
    checked = 0
    for path in _bundle_files(original):
        size = path.stat().st_size
        for offset in sorted({0, size // 2, size - 1}):
            copy = tmp_path / f"damaged{checked}"
            shutil.copytree(original, copy)
            target = copy / path.relative_to(original)
            data = bytearray(target.read_bytes())
            data[offset] ^= 0x01
            target.write_bytes(bytes(data))
            report = verify_bundle(copy)
            assert not report.ok, f"{path.relative_to(original)} at {offset}"
            store = MemoryStorage()
            with pytest.raises(BundleError):
                restore_bundles(store, [copy])
            with store.unit_of_work() as uow:
                assert not uow.directory.organisations()
            shutil.rmtree(copy)
            checked += 1
    assert checked > 20


def test_missing_and_extra_parts_are_named(populated: Populated, tmp_path: Path) -> None:
    root = tmp_path / "b"
    write_bundle(populated.storage, root, created_at=CREATED)
    (root / "records" / "cards.jsonl").unlink()
    (root / "stray.txt").write_text("x")
    parts = {p.part for p in verify_bundle(root).problems}
    assert "records/cards.jsonl" in parts
    assert "stray.txt" in parts
    listed = next(root.joinpath("files").rglob("*")).parent
    assert listed.is_dir()


def test_a_truncated_file_is_refused_with_its_name(populated: Populated, tmp_path: Path) -> None:
    root = tmp_path / "b"
    write_bundle(populated.storage, root, created_at=CREATED)
    path = root / "records" / "audit.jsonl"
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(BundleError) as caught:
        restore_bundles(MemoryStorage(), [root])
    assert caught.value.part == "records/audit.jsonl"


def test_a_whole_bundle_goes_into_an_empty_store_only(populated: Populated, tmp_path: Path) -> None:
    write_bundle(populated.storage, tmp_path / "b", created_at=CREATED)
    with pytest.raises(StateError):
        restore_bundles(populated.storage, [tmp_path / "b"])


def test_a_bundle_is_never_written_over(populated: Populated, tmp_path: Path) -> None:
    write_bundle(populated.storage, tmp_path / "b", created_at=CREATED)
    with pytest.raises(StateError):
        write_bundle(populated.storage, tmp_path / "b", created_at=CREATED)


def test_a_newer_line_format_is_refused(populated: Populated, tmp_path: Path) -> None:
    root = tmp_path / "b"
    write_bundle(populated.storage, root, created_at=CREATED)
    path = root / "records" / "journals.jsonl"
    lines = path.read_bytes().split(b"\n")
    header = json.loads(lines[0])
    header["version"] = 99
    lines[0] = json.dumps(header).encode()
    path.write_bytes(b"\n".join(lines))
    problems = verify_bundle(root).problems
    assert any("99" in p.reason or "match" in p.reason for p in problems)


def _register_more(p: Populated, count: int) -> None:
    records = RecordsService(p.storage, p.clock)
    journal_id = p.cards[0].registration.journal_id
    for index in range(count):
        p.clock.advance(minutes=5)
        records.register(
            p.clerk_id,
            RegistrationRequest(
                journal_id=journal_id,
                details=CardDetails(
                    kind=CardKind.INCOMING,
                    document_kind="Письмо",
                    summary=f"Письмо после полной копии {index}",
                    correspondents=(Correspondent("Администрация города"),),
                    received_on=pendulum.date(2026, 3, 16),
                ),
            ),
        )
    card = p.cards[1]
    with p.storage.unit_of_work() as uow:
        stored = uow.cards.get(card.id)
    records.attach_file(
        p.clerk_id, card.id, stored.version, f"ответ-{count}.txt", f"новый файл {count}".encode()
    )


def test_incremental_bundles_restore_to_the_same_store(
    populated: Populated, tmp_path: Path
) -> None:
    full = write_bundle(populated.storage, tmp_path / "full", created_at=CREATED)
    _register_more(populated, 3)
    first = write_bundle(
        populated.storage, tmp_path / "inc1", created_at=CREATED, since=tmp_path / "full"
    )
    assert first.incremental and first.base_sha256 == full.sha256
    assert first.records["cards"].count == 4  # three new, one changed
    assert first.files.count >= 1  # the file attached after the full bundle
    assert first.records["audit"].count == first.audit_seq - full.audit_seq
    _register_more(populated, 1)
    second = write_bundle(
        populated.storage, tmp_path / "inc2", created_at=CREATED, since=tmp_path / "inc1"
    )
    target = MemoryStorage()
    chain = [tmp_path / "full", tmp_path / "inc1", tmp_path / "inc2"]
    report = restore_bundles(target, chain)
    assert len(report.restored) == 3
    expected = write_bundle(populated.storage, tmp_path / "src", created_at=CREATED)
    got = write_bundle(target, tmp_path / "dst", created_at=CREATED)
    assert _records(got) == _records(expected)
    assert got.files == expected.files
    # Resumable: running the chain again skips what is in.
    again = restore_bundles(target, chain[1:])
    assert again.restored == () and len(again.skipped) == 2
    assert second.audit_seq > first.audit_seq


def test_an_incremental_bundle_out_of_order_is_refused(
    populated: Populated, tmp_path: Path
) -> None:
    write_bundle(populated.storage, tmp_path / "full", created_at=CREATED)
    _register_more(populated, 1)
    write_bundle(populated.storage, tmp_path / "inc", created_at=CREATED, since=tmp_path / "full")
    with pytest.raises(StateError):
        restore_bundles(MemoryStorage(), [tmp_path / "inc"])
    with pytest.raises(BundleError):
        restore_bundles(MemoryStorage(), [tmp_path / "inc", tmp_path / "full"])


def test_a_bundle_of_one_organisation_and_period(populated: Populated, tmp_path: Path) -> None:
    day = pendulum.date(2026, 3, 16)
    inside = write_bundle(
        populated.storage,
        tmp_path / "in",
        created_at=CREATED,
        organisation_id=populated.organisation_id,
        date_from=day,
        date_to=day,
    )
    whole = write_bundle(populated.storage, tmp_path / "whole", created_at=CREATED)
    assert inside.records["cards"].count == whole.records["cards"].count
    assert inside.records["assignments"].count == whole.records["assignments"].count
    before = write_bundle(
        populated.storage,
        tmp_path / "before",
        created_at=CREATED,
        organisation_id=populated.organisation_id,
        date_to=day.subtract(days=1),
    )
    assert before.records["cards"].count == 0
    assert before.records["assignments"].count == 0
    assert before.records["audit"].count == 0
    assert before.records["journals"].count == whole.records["journals"].count
    other = write_bundle(
        populated.storage, tmp_path / "other", created_at=CREATED, organisation_id="nobody"
    )
    assert sum(s.count for s in other.records.values()) == 0
    # A slice restores into an empty store and proves itself there too.
    target = MemoryStorage()
    restore_bundles(target, [tmp_path / "in"])
    assert read_manifest(tmp_path / "in").organisation_id == populated.organisation_id
