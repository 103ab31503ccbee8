"""Bulk import of a legacy registry through the entry point: numbers, dates, counters, files,
every bad row reported, nothing imported on failure, the audit trail, reconciliation; and who
may back up, restore and import."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pendulum
import pytest

from edmscore import Edms
from edmscore.access import Principal
from edmscore.backup import reconcile
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Organisation, User
from edmscore.errors import ImportRejected, PermissionDenied
from edmscore.records import RegistrationRequest
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal

NOW = pendulum.datetime(2026, 3, 16, 10, 0, tz="Europe/Moscow")
PDF = b"%PDF-1.4\n% a legacy scan\n%%EOF\n"


class Installation:
    def __init__(self, storage: Any) -> None:
        self.edms = Edms(storage, clock=FixedClock(NOW))
        self.org = Organisation("org-1", "Министерство", code="МИН")
        admin = self.edms.setup(self.org, User("admin", "admin", "org-1", None, Clearance.DSP))
        self.admin = Principal(admin.id)
        self.journal = Journal("j-in", "org-1", "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
        self.edms.admin.create_journal(self.admin, self.journal)
        self.edms.admin.put_user(self.admin, User("clerk", "clerk", "org-1", roles=("registrar",)))
        self.edms.admin.put_user(
            self.admin, User("orgadmin", "orgadmin", "org-1", roles=("organisation_admin",))
        )


def _card(number: int, day: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "registration": {"journal": "ВХ", "number": f"{number}-вх", "date": day, "seq": number},
        "details": {
            "kind": "incoming",
            "document_kind": "Письмо",
            "summary": f"Письмо из архива № {number}",
            "correspondents": [{"name": "Администрация района"}],
            "received_on": day,
        },
    }
    row.update(extra)
    return row


def _write(folder: Path, rows: list[Any], files: dict[str, bytes] | None = None) -> Path:
    folder.mkdir()
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    (folder / "cards.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if files:
        (folder / "files").mkdir()
        for sha256, content in files.items():
            (folder / "files" / sha256).write_bytes(content)
    return folder


def _registry(folder: Path) -> Path:
    sha = hashlib.sha256(PDF).hexdigest()
    rows = [_card(n, "2019-02-0" + str(1 + n % 9)) for n in range(1, 40) if n != 17]
    rows.append(
        _card(
            17,
            "2019-02-08",
            status="deleted",
            id="legacy-17",
            details={
                **_card(17, "2019-02-08")["details"],
                "files": [{"name": "скан.pdf", "size": len(PDF), "sha256": sha}],
                "links": [{"target_id": "legacy-other", "link_type": "in_reply_to"}],
            },
        )
    )
    rows += [_card(n, "2020-01-15") for n in (1, 2, 5)]
    return _write(folder, rows, {sha: PDF})


def test_a_legacy_registry_comes_in_with_its_numbers(storage: Any, tmp_path: Path) -> None:
    site = Installation(storage)
    source = _registry(tmp_path / "legacy")
    report = site.edms.backups.import_registry(site.admin, source)
    assert (report.cards, report.files, report.skipped_total) == (42, 1, 0)
    assert report.counters == {"j-in|2019": 39, "j-in|2020": 5}
    with storage.unit_of_work() as uow:
        deleted = uow.cards.get("legacy-17")
        assert deleted.status.value == "deleted"
        assert deleted.registration.date == pendulum.date(2019, 2, 8)
        assert uow.blobs.get(deleted.details.files[0].sha256) == PDF
        events = uow.audit.events(report.import_id)
        assert [e.action for _, e in events] == ["import_registry"]
    # Numbering goes on past the imported numbers.
    edms = Edms(storage, clock=FixedClock(pendulum.datetime(2020, 3, 1, 10, tz="Europe/Moscow")))
    card = edms.records.register(
        Principal("clerk"),
        RegistrationRequest(
            journal_id="j-in",
            details=CardDetails(
                kind=CardKind.INCOMING,
                document_kind="Письмо",
                summary="Первое после импорта",
                correspondents=(Correspondent("Прокуратура"),),
                received_on=pendulum.date(2020, 3, 1),
            ),
        ),
    )
    assert card.registration.number == "6-вх"
    result = reconcile(source, storage)
    assert result.source[("j-in", 2020)].gaps == (3, 4)
    assert result.target[("j-in", 2020)].count == 4
    assert result.differences == (
        "journal j-in period 2020: 3 cards in the source, 4 in the target",
    )
    assert result.source[("j-in", 2019)] == result.target[("j-in", 2019)]


def test_every_bad_row_is_reported_and_nothing_imported(storage: Any, tmp_path: Path) -> None:
    site = Installation(storage)
    rows: list[Any] = [
        _card(1, "2019-01-10"),
        "{not json",
        _card(
            2, "2019-01-11", registration={"journal": "НЕТ", "number": "2", "date": "2019-01-11"}
        ),
        _card(1, "2019-01-12"),  # the number of row 1 again
        _card(
            3,
            "2019-01-13",
            details={
                "kind": "outgoing",
                "document_kind": "Письмо",
                "summary": "Исходящее не в тот журнал",
                "addressees": [{"name": "Министерство финансов"}],
                "signatories": [{"name": "Иванов И. И.", "position": "Министр"}],
            },
        ),
        _card(4, "2019-13-01"),
        _card(
            5,
            "2019-01-14",
            details={
                **_card(5, "2019-01-14")["details"],
                "files": [{"name": "a.pdf", "size": 3, "sha256": "0" * 64}],
            },
        ),
        [1, 2],
        _card(6, "2019-01-15"),
    ]
    source = _write(tmp_path / "bad", rows)
    with pytest.raises(ImportRejected) as caught:
        site.edms.backups.import_registry(site.admin, source)
    problems = {(row, field) for _, row, field, _ in caught.value.problems}
    assert {row for row, _ in problems} == {2, 3, 4, 5, 6, 7, 8}
    assert (4, "registration.number") in problems
    assert (5, "details.kind") in problems
    assert (7, "details.files") in problems
    assert caught.value.total == 7
    with storage.unit_of_work() as uow:
        assert list(uow.export_records("cards")) == []
        assert uow.numbers.current("j-in|2019") == 0
    report = site.edms.backups.import_registry(site.admin, source, skip_bad=True)
    assert (report.cards, report.skipped_total) == (2, 7)
    with storage.unit_of_work() as uow:
        assert uow.numbers.current("j-in|2019") == 6


def test_a_number_already_in_the_store_is_a_bad_row(storage: Any, tmp_path: Path) -> None:
    site = Installation(storage)
    site.edms.backups.import_registry(site.admin, _write(tmp_path / "a", [_card(1, "2019-01-10")]))
    with pytest.raises(ImportRejected) as caught:
        site.edms.backups.import_registry(
            site.admin, _write(tmp_path / "b", [_card(2, "2019-01-10"), _card(1, "2019-01-11")])
        )
    assert [(p[1], p[2]) for p in caught.value.problems] == [(2, "registration.number")]


def test_who_may_back_up_restore_and_import(storage: Any, tmp_path: Path) -> None:
    site = Installation(storage)
    backups = site.edms.backups
    with pytest.raises(PermissionDenied):
        backups.backup(Principal("clerk"), tmp_path / "x", organisation_id="org-1")
    with pytest.raises(PermissionDenied):
        backups.import_registry(Principal("clerk"), _registry(tmp_path / "legacy"))
    # An organisation's administrator backs up the own organisation, not the installation.
    backups.backup(Principal("orgadmin"), tmp_path / "own", organisation_id="org-1")
    with pytest.raises(PermissionDenied):
        backups.backup(Principal("orgadmin"), tmp_path / "all")
    with pytest.raises(PermissionDenied):
        backups.backup(Principal("orgadmin"), tmp_path / "other", organisation_id="org-2")
    whole = backups.backup(site.admin, tmp_path / "whole")
    assert whole.whole
    # Into an empty store, the restored installation's own system administrator restores.
    fresh = Edms(type(storage)() if not hasattr(storage, "engine") else None)
    with pytest.raises(PermissionDenied):
        fresh.backups.restore(Principal("orgadmin"), [tmp_path / "whole"])
    with fresh.storage.unit_of_work() as uow:
        assert not uow.directory.organisations()
    fresh.backups.restore(site.admin, [tmp_path / "whole"])
    with fresh.storage.unit_of_work() as uow:
        assert [o.id for o in uow.directory.organisations()] == ["org-1"]
    assert backups.verify(tmp_path / "whole").ok


@pytest.mark.memory_only
def test_a_file_is_utf8_with_or_without_a_bom(storage: Any, tmp_path: Path) -> None:
    site = Installation(storage)
    folder = tmp_path / "legacy"
    folder.mkdir()
    good = [json.dumps(_card(n, "2019-01-10"), ensure_ascii=False).encode() for n in (1, 2)]
    surrogate = json.dumps(_card(3, "2019-01-10"), ensure_ascii=False).encode()
    surrogate = surrogate.replace("Письмо".encode(), b"\xed\xa0\x80")  # a surrogate, in UTF-8
    latin = json.dumps(_card(4, "2019-01-10"), ensure_ascii=False).encode("cp1251")
    lines = [b"\xef\xbb\xbf" + good[0], good[1], surrogate, latin]
    (folder / "cards.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(ImportRejected) as refused:
        site.edms.backups.import_registry(site.admin, folder)
    assert [(p[1], p[3][:14]) for p in refused.value.problems] == [
        (3, "not UTF-8 text"),
        (4, "not UTF-8 text"),
    ]
    report = site.edms.backups.import_registry(site.admin, folder, skip_bad=True)
    assert report.cards == 2
