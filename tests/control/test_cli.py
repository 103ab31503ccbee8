"""``edmscore control report`` and ``overdue`` on the demo store and on a host's store."""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path

import pytest

from edmscore.cli import main


def _run(*args: str) -> int:
    return main(["control", *args])


_MARCH_APRIL = ("--from", "2026-03-01", "--to", "2026-04-30")


def test_report_text_on_the_demo_day_has_nothing_overdue(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run("report", "--demo", *_MARCH_APRIL) == 0
    out = capsys.readouterr().out
    assert out.startswith("Исполнительская дисциплина")
    assert "По подразделениям" in out and "По исполнителям" in out
    assert "Просроченные поручения" not in out  # on the demo's day nothing is late yet


def test_overdue_after_the_deadlines_lists_the_three_resolutions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run("overdue", "--demo", *_MARCH_APRIL, "--as-of", "2026-04-10") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "Просроченные поручения на 10.04.2026 (сроки 01.03.2026–30.04.2026): 3"
    )
    assert "«Подготовить план подготовки» — " in out
    assert "срок 05.03.2026, просрочено на 36 дн." in out  # «Срочно» from 2 March: 5 March
    assert _run("overdue", "--demo", *_MARCH_APRIL, "--as-of", "2026-03-02") == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(": 0")


def test_report_csv_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_file = tmp_path / "d.csv"
    assert (
        _run("report", "--demo", *_MARCH_APRIL, "--as-of", "2026-04-10", "--out", str(csv_file))
        == 0
    )
    assert csv_file.read_text(encoding="utf-8").startswith("Исполнительская")
    assert (
        _run(
            "report",
            "--demo",
            *_MARCH_APRIL,
            "--as-of",
            "2026-04-10",
            "--format",
            "csv",
            "--out",
            str(csv_file),
        )
        == 0
    )
    rows = csv_file.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Разрез;")
    total = rows[-1].split(";")
    assert total[0] == "итого" and total[2] == "3"  # three assignments due in the period
    assert _run("overdue", "--demo", *_MARCH_APRIL, "--as-of", "2026-04-10", "--format", "csv") == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 4  # header and three lines
    pytest.importorskip("openpyxl")
    xlsx = tmp_path / "d.xlsx"
    assert _run("report", "--demo", *_MARCH_APRIL, "--format", "xlsx", "--out", str(xlsx)) == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    assert _run("report", "--demo", *_MARCH_APRIL, "--format", "xlsx") == 2


def test_a_host_store_named_by_its_factory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "host_control_wiring.py").write_text(
        textwrap.dedent(
            """
            from edmscore.demo import demo_control

            DEMO = demo_control()

            def storage():
                return DEMO.storage
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    wiring = importlib.import_module("host_control_wiring")
    user = wiring.DEMO.clerk.id
    store = ("--storage", "host_control_wiring:storage", "--user", user)
    assert _run("overdue", *store, *_MARCH_APRIL, "--as-of", "2026-04-10") == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(": 3")
    with pytest.raises(SystemExit, match="--user"):
        _run("overdue", "--storage", "host_control_wiring:storage", *_MARCH_APRIL)
    with pytest.raises(SystemExit, match="MODULE:FACTORY"):
        _run("overdue", "--storage", "host_control_wiring", "--user", user, *_MARCH_APRIL)
    # a period that ends before it starts is a typed error, reported with exit code 1
    assert _run("report", *store, "--from", "2026-04-30", "--to", "2026-03-01") == 1
    assert "period_to" in capsys.readouterr().err
