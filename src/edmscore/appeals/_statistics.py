"""Appeals statistics: questions by topic, status, author category and month, terms kept/missed.

Counted per question (as SSTU counts). A question's term is the appeal's consideration term, or
the redirect term when it was redirected by competence; it is *kept* when it closed by then,
*missed* when it closed later or is still open after it, and *in progress* otherwise. The report
holds no personal data: authors appear only as their social status and privileged category.

:func:`statistics` is the use case (the ``read_reports`` permission): it counts only the appeals
whose card the reader may see. :func:`build_appeals_report` counts appeals already chosen.
:mod:`edmscore.reports.appeals` prints the report as text, CSV and XLSX.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs
import pendulum

from edmscore.access import AccessScope, Actor, ActorRef, Permission
from edmscore.appeals import _steps as steps
from edmscore.appeals._context import AppealsContext
from edmscore.appeals._enums import QuestionStatus
from edmscore.appeals._model import Appeal, Question
from edmscore.appeals._topics import TopicClassifier

__all__ = [
    "APPEALS_HEADERS",
    "AppealsReport",
    "AppealsRow",
    "build_appeals_report",
    "statistics",
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
_HEADING = "Сведения о рассмотрении обращений граждан"


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
    heading: str = _HEADING,
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


def _report_scope(me: Actor) -> AccessScope:
    """The reader's scope, narrowed to the departments their ``read_reports`` is limited to."""
    scope = me.scope()
    departments = me.grants.get(Permission.READ_REPORTS)
    if departments is None:
        return scope
    if scope.department_ids is not None:
        departments = departments & scope.department_ids
    return attrs.evolve(scope, department_ids=departments)


def statistics(
    ctx: AppealsContext,
    actor: ActorRef,
    start: pendulum.Date,
    end: pendulum.Date,
    *,
    as_of: pendulum.Date | None = None,
    classifier: TopicClassifier | None = None,
    heading: str = _HEADING,
) -> AppealsReport:
    """The statistics of the actor's organisation's appeals registered in ``[start, end]``.

    Needs ``read_reports``; counts only the appeals whose card the reader may see (the storage
    filters by the reader's scope). ``as_of`` defaults to today (in the organisation's time
    zone) or ``end``, whichever is earlier; ``classifier`` to the service's, for topic titles.
    """
    now = ctx.clock.now()
    with ctx.storage.unit_of_work() as uow:
        me = steps.acting(ctx, uow, actor, now)
        me.require_somewhere(Permission.READ_REPORTS)
        chosen = uow.appeals.registered_between(me.organisation_id, start, end, _report_scope(me))
        if as_of is None:
            as_of = min(steps.today(uow, me.organisation_id, now), end)
    return build_appeals_report(
        chosen,
        as_of,
        classifier=classifier if classifier is not None else ctx.classifier,
        heading=heading,
    )
