"""Appeals statistics: groups, terms kept and missed, CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pendulum
import pytest

from edmscore.appeals import Answer, Author, QuestionRequest, QuestionStatus, sample_topics
from edmscore.directory import PersonName
from edmscore.reports import (
    APPEALS_HEADERS,
    appeals_csv,
    appeals_xlsx,
    build_appeals_report,
    render_appeals,
)

from .conftest import TOPIC, Env, request

D = pendulum.Date


def _three(env: Env) -> list[object]:
    clerk = env.world.clerk
    veteran = Author(
        PersonName("Орлов", "Пётр"),
        "г. Тында",
        social_status="Пенсионер",
        privileged_category="Ветеран труда",
    )
    on_time = env.service.register_appeal(clerk, request(env))
    late = env.service.register_appeal(clerk, request(env, authors=(veteran,)))
    heating = env.service.register_appeal(
        clerk, request(env, questions=(QuestionRequest("0005.0001.0001.0001", "Тепло"),))
    )
    env.clock.advance(days=10)
    on_time = env.service.decide(
        clerk,
        on_time.id,
        on_time.version,
        1,
        QuestionStatus.EXPLAINED,
        Answer(env.clock.now().date(), "Разъяснено"),
    )
    env.clock.advance(days=30)  # 11 April: past the 1 April term
    late = env.service.decide(
        clerk,
        late.id,
        late.version,
        1,
        QuestionStatus.NOT_SUPPORTED,
        Answer(env.clock.now().date(), "Не поддержано"),
    )
    return [on_time, late, heating]


def test_counts_by_group_with_terms_kept_and_missed(env: Env) -> None:
    appeals = _three(env)
    report = build_appeals_report(appeals, D(2026, 4, 15), classifier=sample_topics())  # type: ignore[arg-type]
    assert report.appeals == 3
    assert report.total.cells() == ("Итого", 3, 1, 2, 1, 2)  # heating is overdue, still open
    topics = {row.group: row for row in report.by_topic}
    assert topics[f"{TOPIC} Образец: качество мобильной связи"].cells()[1:] == (2, 0, 2, 1, 1)
    assert {row.group for row in report.by_status} == {
        "Рассмотрено. Разъяснено",
        "Рассмотрено. Не поддержано",
        "Находится на рассмотрении",
    }
    categories = {row.group: row.questions for row in report.by_privileged_category}
    assert categories == {"Ветеран труда": 1, "не указано": 2}
    assert [row.group for row in report.by_month] == ["2026-03"]
    early = build_appeals_report(appeals, D(2026, 3, 20))  # type: ignore[arg-type]
    assert early.total.missed == 1  # only the late one, decided later (counted as of its answer)


def test_csv_and_text_hold_every_section_and_no_personal_data(env: Env) -> None:
    report = build_appeals_report(_three(env), D(2026, 4, 15))  # type: ignore[arg-type]
    rows = list(csv.reader(io.StringIO(appeals_csv(report)), delimiter=";"))
    assert rows[0] == ["Раздел", *APPEALS_HEADERS]
    assert {row[0] for row in rows[1:]} == {title for title, _ in report.sections()}
    text = render_appeals(report)
    assert "По тематике" in text and "Итого" in text
    for secret in ("Дмитриев", "Орлов", "Тында", "Ивановка"):
        assert secret not in text
        assert secret not in appeals_csv(report)


def test_xlsx_opens_with_openpyxl_and_holds_the_counts(env: Env) -> None:
    import openpyxl  # type: ignore[import-untyped, unused-ignore]  # in the dev extra

    report = build_appeals_report(_three(env), D(2026, 4, 15))  # type: ignore[arg-type]
    book = openpyxl.load_workbook(io.BytesIO(appeals_xlsx(report)))
    assert book.sheetnames == [title[:31] for title, _ in report.sections()]
    sheet = book[book.sheetnames[1]]
    assert [c.value for c in sheet[2]] == list(APPEALS_HEADERS)
    last = [c.value for c in sheet[sheet.max_row]]
    assert last == ["Итого", 3, 1, 2, 1, 2]


def test_xlsx_without_openpyxl_names_the_extra(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from edmscore.errors import MissingDependency

    report = build_appeals_report(_three(env), D(2026, 4, 15))  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependency, match=r"pip install .\.\[xlsx\]"):
        appeals_xlsx(report)
