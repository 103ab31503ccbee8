"""``edmscore report NAME`` on the generated region and on a host's Edms."""

from __future__ import annotations

import csv
import io
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from edmscore.cli import main

_YEAR = ("--from", "2026-01-01", "--to", "2026-12-31")


def test_text_report_with_a_progress_bar(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "discipline", "--demo", *_YEAR, "--progress"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Исполнительская дисциплина за 01.01.2026–31.12.2026")
    assert "Правительство АО" in captured.out
    assert "[########################] 3/3" in captured.err


def test_csv_of_one_organisation_subtree(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["report", "workload", "--demo", *_YEAR, "--org", "body001", "--format", "csv"]) == 0
    )
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0].endswith("(Министерство 2)")
    organisations = {r[0] for r in rows[2:-1]}
    assert organisations <= {"Министерство 2", "Учреждение 2.1", "Учреждение 2.2"}
    assert rows[-1][0] == "Итого"


def test_every_report_in_one_workbook(tmp_path: Path) -> None:
    out = tmp_path / "all.xlsx"
    assert main(["report", "all", "--demo", *_YEAR, "--format", "xlsx", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(sheets) == 7  # six reports and the registrations' chart sheet
    assert len(charts) == 6


def test_binary_formats_need_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "medo", "--demo", *_YEAR, "--format", "pdf"]) == 2
    assert "--out FILE" in capsys.readouterr().err


def test_an_organisation_outside_the_reach_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "medo", "--demo", *_YEAR, "--org", "elsewhere"]) == 1
    assert "edmscore report:" in capsys.readouterr().err


def test_a_host_factory_returning_edms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "host_analytics.py").write_text(
        textwrap.dedent(
            """
            from edmscore import Edms
            from edmscore.demo._analytics import build_region
            from edmscore.storage import MemoryStorage

            def make():
                storage = MemoryStorage()
                region = build_region(storage, bodies=1, institutions=1)
                return Edms(storage, clock=region.clock, policy=region.policy)
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    args = ["report", "registrations", "--storage", "host_analytics:make", "--user", "region-head"]
    assert main([*args, *_YEAR, "--format", "csv"]) == 0
    assert "Итого" in capsys.readouterr().out
    sys.modules.pop("host_analytics", None)
