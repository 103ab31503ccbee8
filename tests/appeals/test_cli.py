"""``edmscore appeals sstu`` and ``report`` on the demo store and on a host's store."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from edmscore.appeals import parse_sstu
from edmscore.cli import main


def test_sstu_on_the_demo_store_writes_one_valid_file_per_appeal(tmp_path: Path) -> None:
    code = main(
        [
            "appeals",
            "sstu",
            "--demo",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 2
    statuses = sorted(parse_sstu(f.read_bytes()).questions[0].status for f in files)
    assert statuses == ["Explained", "Transferred"]
    empty = tmp_path / "empty"
    assert (
        main(
            [
                "appeals",
                "sstu",
                "--demo",
                "--from",
                "2026-05-01",
                "--to",
                "2026-05-31",
                "--out",
                str(empty),
            ]
        )
        == 0
    )
    assert list(empty.iterdir()) == []


def test_report_formats(tmp_path: Path, capsys: object) -> None:
    out = tmp_path / "r.csv"
    assert (
        main(
            [
                "appeals",
                "report",
                "--demo",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--format",
                "csv",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_text(encoding="utf-8-sig").startswith("Раздел;Группа")
    xlsx = tmp_path / "r.xlsx"
    assert (
        main(
            [
                "appeals",
                "report",
                "--demo",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--format",
                "xlsx",
                "--out",
                str(xlsx),
            ]
        )
        == 0
    )
    assert xlsx.read_bytes()[:2] == b"PK"


def test_sstu_on_a_host_store_named_by_its_factory(tmp_path: Path) -> None:
    module = tmp_path / "host_wiring.py"
    module.write_text(
        textwrap.dedent(
            """
            from edmscore.demo import demo_appeals

            DEMO = demo_appeals()

            def storage():
                return DEMO.storage
            """
        ),
        encoding="utf-8",
    )
    from edmscore.demo import demo_appeals

    # ids are fresh per run, so ask the module itself for the clerk's id
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import host_wiring;"
        "from edmscore.cli import main;"
        "raise SystemExit(main(['appeals','sstu','--storage','host_wiring:storage','--user',"
        "host_wiring.DEMO.clerk.id,'--department',host_wiring.DEMO.department_id,"
        "'--from','2026-03-01','--to','2026-03-31','--out',sys.argv[2]]))"
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert len(list(out.glob("*.json"))) == 2
    assert "2 written, 0 failed" in done.stderr
    assert demo_appeals().department_id in (next(out.glob("*.json"))).read_text(encoding="utf-8")
    missing_user = subprocess.run(
        [
            sys.executable,
            "-m",
            "edmscore.cli",
            "appeals",
            "sstu",
            "--storage",
            "host_wiring:storage",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert missing_user.returncode != 0
    assert "--user" in missing_user.stderr
