"""The command line starts fast (it imports only the command it runs) and keeps stderr clean."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import fpdf

from edmscore.cli import COMMANDS, build_parser

HEAVY = ("edmscore.pdf", "edmscore.signatures", "edmscore.exchange", "edmscore.storage.sql")


def _imported_by(*argv: str) -> set[str]:
    """The modules a fresh interpreter holds after importing the CLI and running ``argv``."""
    code = (
        "import contextlib, io, json, sys\n"
        "from edmscore.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main({list(argv)!r})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _loaded(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


def test_help_imports_no_capability() -> None:
    modules = _imported_by("--help")
    for package in (*HEAVY, "edmscore.records", "edmscore.access", "pendulum", "attrs"):
        assert not _loaded(modules, package), f"edmscore --help imports {package}"


def test_a_command_imports_its_own_module_alone() -> None:
    modules = _imported_by("calendar", "add", "2026-03-02", "5")
    assert "edmscore.cli._calendar" in modules
    for package in HEAVY:
        assert not _loaded(modules, package), f"edmscore calendar imports {package}"
    others = {m for m, _ in COMMANDS.values()} - {"edmscore.cli._calendar"}
    assert not others & modules


def test_the_command_table_matches_what_each_module_registers() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    helps = {choice.dest: choice.help for choice in sub._choices_actions}  # type: ignore[attr-defined]
    assert helps == {name: text for name, (_, text) in COMMANDS.items()}


def _pdf_pypdf_warns_about(path: Path) -> Path:
    """A real PDF whose startxref pointer is off by a few bytes: pypdf reads it with warnings."""
    document = fpdf.FPDF()
    document.add_page()
    data = bytes(document.output())
    data = re.sub(rb"startxref\n(\d+)", lambda m: b"startxref\n%d" % (int(m.group(1)) + 7), data)
    path.write_bytes(data)
    return path


def test_pypdf_warnings_stay_off_stderr_unless_asked_for(tmp_path: Path) -> None:
    source = _pdf_pypdf_warns_about(tmp_path / "in.pdf")
    command = [sys.executable, "-m", "edmscore.cli"]
    args = ["stamp", str(source), str(tmp_path / "out.pdf"), "--dsp", "3"]
    quiet = subprocess.run([*command, *args], capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    loud = subprocess.run([*command, "-v", *args], capture_output=True, text=True, timeout=120)
    assert loud.returncode == 0
    assert "pypdf" in loud.stderr and "startxref" in loud.stderr
