"""``edmscore backup``: create, verify, restore, import and reconcile on SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edmscore.cli import main
from edmscore.storage.sql import SqlStorage, sqlite_engine

from .conftest import populate


def test_create_verify_restore_reconcile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.sqlite"
    site = populate(SqlStorage(sqlite_engine(source)))
    bundle = tmp_path / "bundle"
    assert main(["backup", "create", str(source), str(bundle), "--as", site.admin_id]) == 0
    out = capsys.readouterr()
    assert "manifest sha256" in out.out and "audit" in out.err
    assert main(["backup", "verify", str(bundle), "--deep"]) == 0
    assert capsys.readouterr().out.endswith("ok\n")
    target = tmp_path / "target.sqlite"
    assert main(["backup", "restore", str(target), str(bundle), "--as", site.admin_id]) == 0
    assert "restored 1 bundle(s)" in capsys.readouterr().out
    assert main(["backup", "reconcile", str(target), str(bundle), "--as", site.admin_id]) == 0
    assert capsys.readouterr().out.endswith("ok\n")
    # A damaged bundle: verify names the file and exits 1; restore refuses it.
    cards = bundle / "records" / "cards.jsonl"
    cards.write_bytes(cards.read_bytes().replace(b"2026", b"2025", 1))
    assert main(["backup", "verify", str(bundle)]) == 1
    assert "damaged: records/cards.jsonl" in capsys.readouterr().out
    other = tmp_path / "other.sqlite"
    assert main(["backup", "restore", str(other), str(bundle), "--as", site.admin_id]) == 2
    assert "records/cards.jsonl" in capsys.readouterr().err


def test_import_reports_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "edms.sqlite"
    site = populate(SqlStorage(sqlite_engine(database)))
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    row = {
        "registration": {"journal": "ВХ", "number": "1/2019", "date": "2019-04-01", "seq": 1},
        "details": {
            "kind": "incoming",
            "document_kind": "Письмо",
            "summary": "Архивное письмо",
            "received_on": "2019-04-01",
            "correspondents": [{"name": "Район"}],
        },
    }
    lines = [json.dumps(row, ensure_ascii=False), "{broken"]
    (legacy / "cards.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = ["backup", "import", str(database), str(legacy), "--as", site.admin_id, "--quiet"]
    assert main(command) == 1
    assert "cards.jsonl:2: -: not JSON" in capsys.readouterr().out
    assert main([*command, "--skip-bad"]) == 0
    out = capsys.readouterr().out
    assert "imported 1 cards" in out and "skipped cards.jsonl:2" in out
