"""The execution-discipline report: sums, percentages, text, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import sys

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.control import DisciplineCount
from edmscore.errors import MissingDependency
from edmscore.reports import (
    DisciplineRow,
    OverdueLine,
    build_discipline_report,
    discipline_csv,
    discipline_xlsx,
    overdue_csv,
    render_discipline,
)

D = pendulum.Date

COUNTS = [
    DisciplineCount("d1", "e1", on_time=3, late=1, overdue_open=0, open_not_due=0),
    DisciplineCount("d1", "e2", on_time=1, late=0, overdue_open=2, open_not_due=1),
    DisciplineCount("d2", "e2", on_time=0, late=0, overdue_open=1, open_not_due=0),
    DisciplineCount(None, "e3", on_time=2, late=0, overdue_open=0, open_not_due=0),
]
OVERDUE = [
    OverdueLine("a1", "вх-1", "Ответ", "Иванов И.И.", "Правовой отдел", D(2026, 3, 5), 3, 2),
    OverdueLine("a2", "вх-2", "Справка", "Петров П.П.", "Отдел кадров", D(2026, 3, 1), 7, 5),
]


def _report():  # type: ignore[no-untyped-def]
    return build_discipline_report(
        COUNTS,
        period_from=D(2026, 3, 1),
        period_to=D(2026, 3, 31),
        as_of=D(2026, 3, 8),
        department_names={"d1": "Правовой отдел", "d2": "Отдел кадров"},
        executor_names={"e1": "Иванов И.И.", "e2": "Петров П.П."},
        overdue=OVERDUE,
    )


def test_rows_sum_by_department_and_by_executor() -> None:
    report = _report()
    departments = {r.name: (r.total, r.on_time, r.overdue_open) for r in report.by_department}
    assert departments == {
        "Правовой отдел": (8, 4, 2),
        "Отдел кадров": (1, 0, 1),
        "Без подразделения": (2, 2, 0),
    }
    executors = {r.name: r.total for r in report.by_executor}
    assert executors == {"Иванов И.И.": 4, "Петров П.П.": 5, "e3": 2}
    assert report.total.total == 11
    assert report.total.on_time_percent == 54.5
    assert [line.assignment_id for line in report.overdue] == ["a2", "a1"]  # most late first


def test_percentages_of_an_empty_row_are_zero() -> None:
    row = DisciplineRow("x", "Пусто")
    assert (row.total, row.on_time_percent, row.late_percent, row.overdue_percent) == (0, 0, 0, 0)


@settings(max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=5))
def test_the_total_row_is_the_sum_of_every_section(pairs: list[tuple[int, int]]) -> None:
    counts = [
        DisciplineCount(f"d{i % 2}", f"e{i}", on_time=a, late=b) for i, (a, b) in enumerate(pairs)
    ]
    report = build_discipline_report(
        counts, period_from=D(2026, 1, 1), period_to=D(2026, 1, 31), as_of=D(2026, 2, 1)
    )
    for rows in (report.by_department, report.by_executor):
        assert sum(r.total for r in rows) == report.total.total
        assert sum(r.on_time for r in rows) == report.total.on_time
    assert report.total.total == sum(a + b for a, b in pairs)


def test_text_rendering_shows_the_heading_and_every_row() -> None:
    text = render_discipline(_report())
    assert "Исполнительская дисциплина за 01.03.2026–31.03.2026" in text
    assert "по состоянию на 08.03.2026" in text
    assert "Просроченные поручения" in text
    assert "54,5" in text


def test_csv_reads_back_with_semicolons() -> None:
    rows = list(csv.reader(io.StringIO(discipline_csv(_report())), delimiter=";"))
    assert rows[0][:3] == ["Разрез", "Наименование", "Всего"]
    assert rows[-1][:3] == ["итого", "Итого", "11"]
    assert len(rows) == 1 + 3 + 3 + 1
    lines = list(csv.reader(io.StringIO(overdue_csv(_report())), delimiter=";"))
    assert lines[1][:2] == ["вх-2", "Справка"]


def test_xlsx_opens_in_openpyxl_with_the_same_figures() -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    book = load_workbook(io.BytesIO(discipline_xlsx(_report())))
    assert book.sheetnames == ["По подразделениям", "По исполнителям", "Просроченные"]
    sheet = book["По подразделениям"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][0] == "Наименование"
    assert values[-1][:3] == ["Итого", 11, 6]
    assert book["Просроченные"]["A3"].value == "вх-2"


def test_xlsx_without_openpyxl_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if it were not installed
    with pytest.raises(MissingDependency) as caught:
        discipline_xlsx(_report())
    assert caught.value.extra == "xlsx"
    assert isinstance(caught.value, ImportError)
