"""The main job: `edmscore demo` registers a day of documents and prints the journals."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from edmscore.demo import run_demo


def _demo_output() -> str:
    out = io.StringIO()
    run_demo(out)
    return out.getvalue()


def test_demo_prints_every_journal_with_gapless_numbers() -> None:
    text = _demo_output()
    assert "Журнал «Входящие» (ВХ)" in text
    assert "Журнал «Исходящие» (ИСХ)" in text
    assert "Журнал «Приказы» (П)" in text
    assert "Журнал «Обращения граждан» (ОГ)" in text
    assert "Журнал «Документы ДСП» (ДСП)" in text
    incoming = re.findall(r"\| (\d+)-вх ", text)
    assert incoming == ["1", "2", "3"]
    assert "Д/1" in text  # the appeal, by the applicant's surname
    assert "01-05/1" in text  # the reply, numbered by its case index
    assert "1-ДСП" in text
    assert "[ДСП]" in text


def test_demo_hides_dsp_cards_from_a_user_without_clearance() -> None:
    text = _demo_output()
    match = re.search(r"видит (\d+) из (\d+) карточек", text)
    assert match is not None
    visible, total = map(int, match.groups())
    assert total == 7
    assert visible == total - 1


def test_the_command_line_runs_the_demo() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "edmscore.cli", "demo"], capture_output=True, text=True, check=True
    )
    assert "Журнал «Входящие»" in done.stdout
