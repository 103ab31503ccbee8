"""``edmscore calendar`` subcommands."""

from __future__ import annotations

import pathlib

import pytest

from edmscore.calendar import federal_years, to_xmlcalendar
from edmscore.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["calendar", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_workdays_counts_both_ends(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "workdays", "2025-01-01", "2025-12-31") == (0, "247\n", "")
    assert _run(capsys, "workdays", "2025-05-05", "2025-05-07")[1] == "3\n"


def test_add(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "add", "2025-04-30", "1")[1] == "2025-05-05\n"
    assert _run(capsys, "add", "2025-05-05", "-1")[1] == "2025-04-30\n"


def test_year_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "year", "2024")
    assert code == 0
    assert "working days: 248" in out
    assert "№ 1314" in out
    assert "working hours (40 h/week): 1979" in out
    assert "shortened days: 5" in out


def test_missing_year_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "year", "2099")
    assert code == 1
    assert out == ""
    assert "2099" in err


def test_a_year_without_its_decree_is_shown_as_provisional(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "year", "2028")
    assert code == 0
    assert "year: 2028 (statutory)" in out
    assert "provisional" in out
    code, out, _ = _run(capsys, "year", "2027")
    assert code == 0
    assert "№ 1187" in out


@pytest.mark.parametrize("year", ["10000", "-5", "0", "99999999999999999999"])
def test_impossible_years_are_typed_errors(capsys: pytest.CaptureFixture[str], year: str) -> None:
    code, out, err = _run(capsys, "year", year)
    assert (code, out) == (1, "")
    assert "year" in err
    assert "Traceback" not in err


def test_imported_calendar(capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path) -> None:
    path = tmp_path / "2025.xml"
    path.write_bytes(to_xmlcalendar(federal_years()[2025]))
    code, out, _ = _run(capsys, "workdays", "2025-01-01", "2025-12-31", "--calendar", str(path))
    assert (code, out) == (0, "247\n")
    code, _, err = _run(capsys, "add", "2024-12-31", "1", "--calendar", str(path))
    assert code == 1
    assert "2024" in err


def test_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["calendar", "add", "31.12.2025", "1"])
    assert info.value.code == 2
    code, _, err = _run(capsys, "workdays", "2025-02-01", "2025-01-01")
    assert code == 1
    assert "before" in err
