"""The execution-discipline report's data (отчёт об исполнительской дисциплине).

For a period and a report day: per department and per executor, how many assignments due in the
period were done on time, done late, are overdue and still open, or are open and not yet due,
with percentages; and the list of overdue assignments with the days late, as typed rows. The
text table, CSV and XLSX are drawn by :mod:`edmscore.reports.discipline`.

The figures come from :meth:`edmscore.control.AssignmentRepository.discipline_counts` (one
``GROUP BY`` on a SQL adapter); :func:`build_discipline_report` only sums and names them, so a
partner firm can feed it counts from its own query as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from edmscore.control.ports import DisciplineCount

__all__ = [
    "DISCIPLINE_HEADERS",
    "OVERDUE_HEADERS",
    "DisciplineReport",
    "DisciplineRow",
    "OverdueLine",
    "build_discipline_report",
]

#: Column headings of the discipline tables.
DISCIPLINE_HEADERS = (
    "Наименование",
    "Всего",
    "Исполнено в срок",
    "Исполнено с нарушением срока",
    "Просрочено, не исполнено",
    "На исполнении, срок не наступил",
    "% в срок",
    "% с нарушением срока",
    "% просрочено",
)
#: Column headings of the overdue list.
OVERDUE_HEADERS = (
    "Рег. № документа",
    "Поручение",
    "Исполнитель",
    "Подразделение",
    "Срок",
    "Просрочено, календ. дней",
    "Просрочено, раб. дней",
)
_NO_DEPARTMENT = "Без подразделения"


def _percent(part: int, total: int) -> float:
    return round(100.0 * part / total, 1) if total else 0.0


@attrs.frozen
class DisciplineRow:
    """One line of the report: a department, an executor, or the total (``key`` None)."""

    key: str | None
    name: str
    on_time: int = 0
    late: int = 0
    overdue_open: int = 0
    open_not_due: int = 0

    @property
    def total(self) -> int:
        """Every assignment counted."""
        return self.on_time + self.late + self.overdue_open + self.open_not_due

    @property
    def on_time_percent(self) -> float:
        """Share done on time, percent of the total (one decimal)."""
        return _percent(self.on_time, self.total)

    @property
    def late_percent(self) -> float:
        """Share done late, percent of the total."""
        return _percent(self.late, self.total)

    @property
    def overdue_percent(self) -> float:
        """Share overdue and open, percent of the total."""
        return _percent(self.overdue_open, self.total)

    def cells(self) -> tuple[str | int | float, ...]:
        """The row's values in the order of :data:`DISCIPLINE_HEADERS`."""
        return (
            self.name,
            self.total,
            self.on_time,
            self.late,
            self.overdue_open,
            self.open_not_due,
            self.on_time_percent,
            self.late_percent,
            self.overdue_percent,
        )

    def plus(self, count: DisciplineCount | DisciplineRow) -> DisciplineRow:
        """This row with another's figures added."""
        return attrs.evolve(
            self,
            on_time=self.on_time + count.on_time,
            late=self.late + count.late,
            overdue_open=self.overdue_open + count.overdue_open,
            open_not_due=self.open_not_due + count.open_not_due,
        )


@attrs.frozen
class OverdueLine:
    """An overdue open assignment: its card, text, executor, deadline and the days late."""

    assignment_id: str
    card_number: str
    text: str
    executor: str
    department: str
    due: dt.date
    days_late: int
    working_days_late: int
    provisional: bool = False
    """The deadline reached a year whose decree is not loaded (printed «предварительно»)."""

    def cells(self) -> tuple[str | int, ...]:
        """The line's values in the order of :data:`OVERDUE_HEADERS`."""
        return (
            self.card_number,
            self.text,
            self.executor,
            self.department,
            f"{self.due:%d.%m.%Y}" + (" (предварительно)" if self.provisional else ""),
            self.days_late,
            self.working_days_late,
        )


@attrs.frozen
class DisciplineReport:
    """The whole report: rows by department and by executor (each by name), the total, overdue."""

    title: str
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    by_department: tuple[DisciplineRow, ...]
    by_executor: tuple[DisciplineRow, ...]
    total: DisciplineRow
    overdue: tuple[OverdueLine, ...] = ()

    @property
    def heading(self) -> str:
        """«Исполнительская дисциплина за 01.03.2026–31.03.2026 (на 02.04.2026)»."""
        return (
            f"{self.title} за {self.period_from:%d.%m.%Y}–{self.period_to:%d.%m.%Y}"
            f" (по состоянию на {self.as_of:%d.%m.%Y})"
        )


def build_discipline_report(
    counts: Iterable[DisciplineCount],
    *,
    period_from: dt.date,
    period_to: dt.date,
    as_of: dt.date,
    department_names: Mapping[str, str] | None = None,
    executor_names: Mapping[str, str] | None = None,
    overdue: Sequence[OverdueLine] = (),
    title: str = "Исполнительская дисциплина",
) -> DisciplineReport:
    """Sum per-(department, executor) counts into department, executor and total rows.

    Rows are sorted by name; an id missing from the name mappings is shown as itself.
    """
    departments = department_names or {}
    executors = executor_names or {}
    by_department: dict[str | None, DisciplineRow] = {}
    by_executor: dict[str, DisciplineRow] = {}
    total = DisciplineRow(None, "Итого")
    for count in counts:
        key = count.department_id
        row = by_department.get(key)
        if row is None:
            name = _NO_DEPARTMENT if key is None else departments.get(key, key)
            row = DisciplineRow(key, name)
        by_department[key] = row.plus(count)
        person = by_executor.get(count.executor_id)
        if person is None:
            person = DisciplineRow(
                count.executor_id, executors.get(count.executor_id, count.executor_id)
            )
        by_executor[count.executor_id] = person.plus(count)
        total = total.plus(count)

    def ordered(rows: Iterable[DisciplineRow]) -> tuple[DisciplineRow, ...]:
        return tuple(sorted(rows, key=lambda r: (r.name, r.key or "")))

    return DisciplineReport(
        title=title,
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        by_department=ordered(by_department.values()),
        by_executor=ordered(by_executor.values()),
        total=total,
        overdue=tuple(sorted(overdue, key=lambda o: (-o.days_late, o.card_number))),
    )
