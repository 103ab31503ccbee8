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
    assert total == 10
    assert visible == total - 1


def test_the_count_announced_is_what_the_journals_show() -> None:
    text = _demo_output()
    match = re.search(r"на конец дня [\d.]+: зарегистрировано документов — (\d+)", text)
    assert match is not None
    journals = text[match.end() :].split("Пользователь без допуска", 1)[0]
    rows = re.findall(r"^\| (\S+) +\| \d\d\.\d\d\.\d{4} ", journals, re.MULTILINE)
    assert len(rows) == int(match.group(1))
    # Every card registered during the day is in a journal: the signed reply and both appeals.
    for number in ("01-05/2", "К/2", "Б/3"):
        assert number in rows
    assert text.index("Журналы регистрации на конец дня") > text.index("Обращения граждан (59-ФЗ)")


def test_russian_text_has_no_english_enum_values_and_says_what_next() -> None:
    text = _demo_output()
    section = text.split("Обращения граждан (59-ФЗ) и выгрузка в ССТУ.РФ:", 1)[1]
    section = section.split("Журналы регистрации", 1)[0]
    assert not re.search(r"[A-Za-z]{3,}", section), section
    assert "Что дальше:" in text
    assert "docs/index.md" in text


def test_the_command_line_runs_the_demo() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "edmscore.cli", "demo"], capture_output=True, text=True, check=True
    )
    assert "Журнал «Входящие»" in done.stdout


def test_the_demo_ends_with_two_appeals_redirected_answered_and_exported() -> None:
    text = _demo_output()
    section = text.split("Обращения граждан (59-ФЗ) и выгрузка в ССТУ.РФ:", 1)[1]
    assert re.search(r"К/\d+: Рассмотрено\. Разъяснено .*ССТУ со статусом «Рассмотрено", section)
    assert re.search(r"Б/\d+: Направлено по компетенции .*ССТУ со статусом «Направлено", section)


def test_demo_approves_signs_and_registers_a_reply() -> None:
    text = _demo_output()
    assert "Цикл согласования 1 (версия 1): Возвращён на доработку" in text
    assert "Цикл согласования 2 (версия 2): Подписан" in text
    assert "Зуев П.О. — Не потребовалось" in text  # the 2-of-3 quorum was met without him
    assert "исходящий № 01-05/2" in text  # the next number after the day's reply 01-05/1


def test_demo_prints_the_days_control_summary() -> None:
    text = _demo_output()
    match = re.search(
        r"Сводка по контролю на 02\.03\.2026: на исполнении (\d+), на контроле (\d+)", text
    )
    assert match is not None
    assert tuple(map(int, match.groups())) == (3, 1)
    assert "срок 03.03.2026 (осталось рабочих дней: 1)" in text  # «весьма срочно»: 1 working day
    assert "просрочено 0" in text
