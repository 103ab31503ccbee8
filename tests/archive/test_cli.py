"""``edmscore archive year-end`` on a host's store: the summary and the forms written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from edmscore.cli import main
from edmscore.storage import MemoryStorage

from ._scene import build_scene

#: The store the command's factory returns (set by the test).
STORE: list[MemoryStorage] = []


def storage() -> MemoryStorage:
    """The factory ``--storage tests.archive.test_cli:storage`` names."""
    return STORE[-1]


def test_year_end_writes_the_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    memory = MemoryStorage()
    scene = build_scene(memory)
    STORE.append(memory)
    code = main(
        [
            "archive", "year-end", "--storage", "tests.archive.test_cli:storage",
            "--user", scene.archivist.id, "--year", "2019", "--out", str(tmp_path),
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Год 2019: закрыто дел 7, переходящих 0" in out
    assert "Опись № 1 дел постоянного хранения за 2019 год: В данный раздел описи внесено 1" in out
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["ye-over_10-2019.pdf", "ye-permanent-2019.pdf", "ye-personnel-2019.pdf"]
    reader = PdfReader(io.BytesIO((tmp_path / "ye-personnel-2019.pdf").read_bytes()))
    assert "дел по личному составу" in reader.pages[0].extract_text()


def test_unknown_user_is_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    STORE.append(MemoryStorage())
    code = main(
        ["archive", "year-end", "--storage", "tests.archive.test_cli:storage", "--user", "nobody",
         "--year", "2019"]
    )  # fmt: skip
    assert code == 1
    assert "edmscore archive year-end:" in capsys.readouterr().err


def test_transfer_and_check_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pendulum

    from edmscore.archive import Commission, CommissionApproval
    from edmscore.clock import FixedClock

    memory = MemoryStorage()
    scene = build_scene(memory, year=2019)
    STORE.append(memory)
    run = scene.archive.year_end(scene.archivist, 2019, id_prefix="y")
    approval = CommissionApproval(Commission.EK, pendulum.date(2020, 2, 1), "1")
    for inventory in run.inventories:
        scene.archive.approve_inventory(scene.archivist, inventory.id, approval)
    assert isinstance(scene.archive.clock, FixedClock)
    code = main(
        [
            "archive", "transfer", "--storage", "tests.archive.test_cli:storage",
            "--user", scene.archivist.id, "--act-id", "tr", "--number", "4",
            *(a for i in run.inventories for a in ("--inventory", i.id)),
            "--archive-name", "Архив министерства", "--accept", "--handed-over-by", "Иванова",
            "--accepted-by", "Петров", "--out", str(tmp_path), "--format", "xlsx",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Акт № 4 приема-передачи архивных документов на хранение (принят)" in out
    assert "Итого принято 3 (три) дела" in out
    assert (tmp_path / "tr.xlsx").stat().st_size > 0
    code = main(["archive", "check-package", str(tmp_path / "tr.xlsx")])  # not a package
    assert code == 2
    assert "refused" in capsys.readouterr().err
    code = main(
        [
            "archive", "package", "--storage", "tests.archive.test_cli:storage",
            "--user", scene.archivist.id, "--case", scene.case_id("01-01"),
            "--out", str(tmp_path / "case.zip"),
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert "Дело 01-01: документов 0" in capsys.readouterr().out
    assert main(["archive", "check-package", str(tmp_path / "case.zip"), "--json"]) == 0
    assert '"ok": true' in capsys.readouterr().out
    import zipfile

    with zipfile.ZipFile(tmp_path / "case.zip", "a") as archive:
        archive.writestr("documents/999/stray.pdf", b"%PDF-1.4")
    assert main(["archive", "check-package", str(tmp_path / "case.zip")]) == 1
    assert "unlisted_file: documents/999/stray.pdf" in capsys.readouterr().out
