"""Appeals statistics: questions by topic, status, author category and month, terms kept/missed.

Counted per question (as SSTU counts). A question's term is the appeal's consideration term, or
the redirect term when it was redirected by competence; it is *kept* when it closed by then,
*missed* when it closed later or is still open after it, and *in progress* otherwise. The report
holds no personal data: authors appear only as their social status and privileged category.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import attrs
import pendulum

from edmscore.appeals._enums import QuestionStatus
from edmscore.errors import MissingDependency
from edmscore.reports._table import render_table

if TYPE_CHECKING:
    from edmscore.appeals import Appeal, Question, TopicClassifier

__all__ = [
    "APPEALS_HEADERS",
    "AppealsReport",
    "AppealsRow",
    "appeals_csv",
    "appeals_xlsx",
    "build_appeals_report",
    "render_appeals",
]

#: The columns of every section of the report.
APPEALS_HEADERS = (
    "Группа",
    "Вопросов",
    "На рассмотрении",
    "Рассмотрено",
    "В срок",
    "С нарушением срока",
)
_NOT_GIVEN = "не указано"


@attrs.frozen
class AppealsRow:
    """One group's counts."""

    group: str
    questions: int = 0
    open: int = 0
    closed: int = 0
    kept: int = 0
    missed: int = 0

    def cells(self) -> tuple[str | int, ...]:
        """The row's cells in :data:`APPEALS_HEADERS` order."""
        return (self.group, self.questions, self.open, self.closed, self.kept, self.missed)


@attrs.frozen
class AppealsReport:
    """The appeals report: one section per grouping, and the total."""

    heading: str
    today: pendulum.Date
    appeals: int
    by_topic: tuple[AppealsRow, ...]
    by_status: tuple[AppealsRow, ...]
    by_social_status: tuple[AppealsRow, ...]
    by_privileged_category: tuple[AppealsRow, ...]
    by_month: tuple[AppealsRow, ...]
    total: AppealsRow

    def sections(self) -> tuple[tuple[str, tuple[AppealsRow, ...]], ...]:
        """(section title, rows) in print order."""
        return (
            ("По тематике", self.by_topic),
            ("По статусу", self.by_status),
            ("По социальному положению автора", self.by_social_status),
            ("По льготной категории автора", self.by_privileged_category),
            ("По месяцам регистрации", self.by_month),
        )


def _due(appeal: Appeal, question: Question) -> pendulum.Date:
    if question.status is QuestionStatus.TRANSFERRED:
        return appeal.redirect_due
    return appeal.review_due


def _row(group: str, items: Sequence[tuple[Appeal, Question]], today: pendulum.Date) -> AppealsRow:
    closed = kept = missed = 0
    for appeal, question in items:
        due = _due(appeal, question)
        done = question.closed_on
        if done is not None:
            closed += 1
            if done <= due:
                kept += 1
            else:
                missed += 1
        elif today > due:
            missed += 1
    return AppealsRow(group, len(items), len(items) - closed, closed, kept, missed)


def _grouped(
    pairs: Sequence[tuple[Appeal, Question]],
    key: Callable[[Appeal, Question], str],
    today: pendulum.Date,
) -> tuple[AppealsRow, ...]:
    groups: dict[str, list[tuple[Appeal, Question]]] = {}
    for appeal, question in pairs:
        groups.setdefault(key(appeal, question), []).append((appeal, question))
    return tuple(_row(name, groups[name], today) for name in sorted(groups))


def build_appeals_report(
    appeals: Iterable[Appeal],
    today: pendulum.Date,
    *,
    classifier: TopicClassifier | None = None,
    heading: str = "Сведения о рассмотрении обращений граждан",
) -> AppealsReport:
    """Count the questions of ``appeals`` as of ``today`` (select the period's appeals first)."""
    chosen = list(appeals)
    pairs = [(a, q) for a in chosen for q in a.questions]

    def topic(a: Appeal, q: Question) -> str:
        if classifier is not None and q.topic in classifier:
            return f"{q.topic} {classifier.titles[q.topic]}"
        return q.topic

    def social(a: Appeal, q: Question) -> str:
        return a.authors[0].social_status or _NOT_GIVEN

    def category(a: Appeal, q: Question) -> str:
        return a.authors[0].privileged_category or _NOT_GIVEN

    return AppealsReport(
        heading=heading,
        today=today,
        appeals=len(chosen),
        by_topic=_grouped(pairs, topic, today),
        by_status=_grouped(pairs, lambda a, q: q.status.label, today),
        by_social_status=_grouped(pairs, social, today),
        by_privileged_category=_grouped(pairs, category, today),
        by_month=_grouped(pairs, lambda a, q: a.registered_on.format("YYYY-MM"), today),
        total=_row("Итого", pairs, today),
    )


def render_appeals(report: AppealsReport) -> str:
    """The report as Russian text tables."""
    widths = (40, 8, 14, 11, 7, 12)
    parts = [f"{report.heading} (на {report.today.format('DD.MM.YYYY')})"]
    parts.append(f"Обращений: {report.appeals}")
    for title, rows in report.sections():
        cells = [[str(c) for c in r.cells()] for r in (*rows, report.total)]
        parts.append(f"\n{title}\n" + render_table(APPEALS_HEADERS, cells, widths))
    return "\n".join(parts) + "\n"


def appeals_csv(report: AppealsReport) -> str:
    """The report as CSV (``;``-separated, a section column first), for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(("Раздел", *APPEALS_HEADERS))
    for title, rows in report.sections():
        for row in (*rows, report.total):
            writer.writerow((title, *row.cells()))
    return out.getvalue()


def appeals_xlsx(report: AppealsReport) -> bytes:
    """The report as an XLSX workbook, one sheet per section. Needs the ``xlsx`` extra."""
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:
        raise MissingDependency("openpyxl", "xlsx") from exc
    book = Workbook()
    bold = Font(bold=True)
    for index, (title, rows) in enumerate(report.sections()):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title[:31]
        sheet.append([report.heading, f"на {report.today.format('DD.MM.YYYY')}"])
        sheet.append(list(APPEALS_HEADERS))
        for cell in sheet[2]:
            cell.font = bold
        for row in (*rows, report.total):
            sheet.append(list(row.cells()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
