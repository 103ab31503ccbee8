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
