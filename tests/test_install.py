"""Honest install lines: edmscore installs from a clone or from the wheel and sdist it builds.

The package is not on an index, so no page may tell a user to ``pip install edmscore[…]``; the
slow test builds the wheel and the sdist with ``python -m build`` and installs each in a fresh
virtual environment, where ``import edmscore``, ``edmscore --help`` and README's main job
(``edmscore demo``) run.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# ``pip install edmscore`` or ``pip install 'edmscore[postgres]'``: from an index it is not on.
FROM_INDEX = re.compile(r"pip install\s+['\"]?edmscore\b")


def _pages() -> list[pathlib.Path]:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    pages += sorted((ROOT / "src" / "edmscore").rglob("*.py"))
    return [p for p in pages if p.name != "reference.md"]


def test_no_page_installs_edmscore_from_an_index() -> None:
    for page in _pages():
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            assert not FROM_INDEX.search(line), f"{page.relative_to(ROOT)}:{number}: {line}"


def test_the_install_page_names_every_extra() -> None:
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    page = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for extra in extras:
        assert f"pip install '.[{extra}]'" in page, extra
    assert "python -m build" in page


def _run(*command: str | os.PathLike[str], cwd: pathlib.Path) -> str:
    done = subprocess.run(
        [os.fspath(c) for c in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=1200,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
    )
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.mark.slow
def test_the_built_wheel_and_sdist_install_in_a_fresh_venv(tmp_path: pathlib.Path) -> None:
    if not (ROOT / "pyproject.toml").is_file() or not (ROOT / "src").is_dir():
        pytest.skip("not run from a clone")
    source = tmp_path / "clone"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", ".*_cache", ".hypothesis"),
    )
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--outdir", dist, source, cwd=tmp_path)
    wheels = sorted(dist.glob("edmscore-*.whl"))
    sdists = sorted(dist.glob("edmscore-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    for archive in (wheels[0], sdists[0]):
        venv = tmp_path / f"venv-{archive.suffix.strip('.')}"
        _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
        python = venv / "bin" / "python"
        _run(python, "-m", "pip", "install", "--quiet", archive, cwd=tmp_path)
        where = _run(python, "-c", "import edmscore; print(edmscore.__file__)", cwd=tmp_path)
        assert str(venv) in where
        assert "storage" in _run(venv / "bin" / "edmscore", "--help", cwd=tmp_path)
        demo = _run(venv / "bin" / "edmscore", "demo", cwd=tmp_path)
        assert "зарегистрировано документов" in demo
