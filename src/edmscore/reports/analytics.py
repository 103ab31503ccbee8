"""Analytics reports for the leadership and for partners: document flow, MEDO, approval,
execution discipline over the organisation tree, appeals and workload.

Each report is a function of the installation (:class:`edmscore.Edms`), the reader, a period and
filters, and returns a :class:`Report`. The reader is resolved from the directory and needs the
``read_reports`` permission; every count covers only what the reader's access scope lets them
see, over their own organisation and those they supervise (``organisation_id`` narrows it to
one organisation and its subtree). With a fixed clock a report is reproducible: rows come in a
fixed order and "today" is the reader's day on the installation's clock.

:data:`REPORTS` names them for the command line (``edmscore report NAME``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import pendulum

from edmscore.access import ActorRef
from edmscore.appeals import QuestionStatus
from edmscore.registry import CardKind, DeliveryMethod
from edmscore.reports import _facts as f
from edmscore.reports._reader import Reader, open_reader
from edmscore.reports._report import Cell, ChartSpec, Report

__all__ = [
    "REPORTS",
    "ChartSpec",
    "Report",
    "appeals_outcomes",
    "approval_durations",
    "discipline_rollup",
    "medo_exchange",
    "registrations",
    "workload",
]


def _kind_label(code: str) -> str:
    try:
        return CardKind(code).label
    except ValueError:
        return code


def _channel_label(code: str) -> str:
    if not code:
        return "не указан"
    try:
        return DeliveryMethod(code).label
    except ValueError:
        return code


def _journal_names(uow: Any, reader: Reader) -> dict[str, str]:
    # One read of every journal (the bulk port), not one query per organisation of the tree.
    return {
        j.id: j.name for j in uow.export_records("journals") if j.organisation_id in reader.selected
    }


def _official_names(uow: Any, reader: Reader) -> dict[str, str]:
    return {
        o.id: o.name.surname_initials
        for o in uow.export_records("officials")
        if o.organisation_id in reader.selected
    }


def _report(
    name: str,
    title: str,
    headers: Iterable[str],
    rows: Iterable[tuple[Cell, ...]],
    reader: Reader,
    period: tuple[dt.date, dt.date],
    *,
    numeric: tuple[int, ...],
    chart: ChartSpec | None,
    total_label: str | None = "Итого",
) -> Report:
    body = tuple(rows)
    total: tuple[Cell, ...] | None = None
    if total_label is not None:
        width = len(body[0]) if body else len(tuple(headers))
        cells: list[Cell] = [""] * width
        cells[0] = total_label
        for index in numeric:
            cells[index] = sum(_whole(r[index]) for r in body)
        total = tuple(cells)
    return Report(
        name=name,
        title=title,
        headers=tuple(headers),
        rows=body,
        total=total,
        period_from=period[0],
        period_to=period[1],
        as_of=reader.today,
        organisation=reader.label,
        chart=chart,
        numeric=numeric,
    )


def _whole(value: Cell) -> int:
    return value if isinstance(value, int) else 0


def registrations(
    edms: Any,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    *,
    organisation_id: str | None = None,
) -> Report:
    """Cards registered in the period by organisation, kind, journal, delivery channel and
    month (регистрация документов)."""
    with open_reader(edms, actor, period_from, period_to, organisation_id) as (uow, reader):
        counts = f.registration_counts(uow, reader, period_from, period_to)
        journals = _journal_names(uow, reader)
    tree = reader.tree
    rows = [
        (tree.name(org), _kind_label(kind), journals.get(j, j), _channel_label(chan), month, n)
        for (org, kind, j, chan, month), n in counts.items()
    ]
    rows.sort(key=lambda r: tuple(str(c) for c in r[:5]))
    headers = ("Организация", "Вид", "Журнал", "Способ доставки", "Месяц", "Зарегистрировано")
    return _report(
        "registrations",
        "Регистрация документов",
        headers,
        rows,
        reader,
        (period_from, period_to),
        numeric=(5,),
        chart=ChartSpec(
            "bar", 0, (5,), "Зарегистрировано документов по организациям", aggregate=True
        ),
    )


def medo_exchange(
    edms: Any,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    *,
    organisation_id: str | None = None,
    receipt_days: int = 1,
) -> Report:
    """MEDO in and out by correspondent: received, sent, delivered, registered by the
    recipient, receipts overdue (sent, no receipt after ``receipt_days`` calendar days) and
    refusals (обмен по МЭДО)."""
    with open_reader(edms, actor, period_from, period_to, organisation_id) as (uow, reader):
        incoming = f.medo_incoming(uow, reader, period_from, period_to)
        sent = f.dispatch_rows(uow, reader, period_from, period_to)
    now = pendulum.instance(edms.clock.now())
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for name, n in incoming.items():
        table[name or "не указан"][0] += n
    for row in sent:
        line = table[row.recipient_name]
        line[1] += 1
        if row.delivered_at is not None:
            line[2] += 1
        if row.state == "registered":
            line[3] += 1
        if row.state == "sent" and row.since < now.subtract(days=receipt_days):
            line[4] += 1
        if row.state == "refused":
            line[5] += 1
    rows: list[tuple[Cell, ...]] = [(name, *values) for name, values in sorted(table.items())]
    headers = (
        "Корреспондент",
        "Получено",
        "Отправлено",
        "Доставлено",
        "Зарегистрировано адресатом",
        "Нет квитанции в срок",
        "Отказы",
    )
    return _report(
        "medo",
        "Обмен документами по МЭДО",
        headers,
        rows,
        reader,
        (period_from, period_to),
        numeric=(1, 2, 3, 4, 5, 6),
        chart=ChartSpec("bar", 0, (1, 2), "Входящие и исходящие по МЭДО"),
    )


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 86400


def approval_durations(
    edms: Any,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    *,
    organisation_id: str | None = None,
) -> Report:
    """Approval by stage: visas awaited and given, mean and median days to a visa, visas
    overdue (given after the participant's last day, or awaited past it) (согласование)."""
    with open_reader(edms, actor, period_from, period_to, organisation_id) as (uow, reader):
        visas = f.visa_rows_for(uow, reader, period_from, period_to, edms.calendar)
    today = reader.today
    stages: dict[str, list[Any]] = defaultdict(list)
    for row in visas:
        stages[row.stage_name].append(row)
    rows: list[tuple[Cell, ...]] = []
    for name in sorted(stages):
        items = stages[name]
        spans = [
            _days(r.activated_at, r.decided_at)
            for r in items
            if r.decided_at is not None and r.activated_at is not None
        ]
        overdue = 0
        for r in items:
            if r.due is None:
                continue
            if r.decided_at is not None:
                local = pendulum.instance(r.decided_at).in_timezone(reader.organisation.timezone)
                overdue += dt.date(local.year, local.month, local.day) > r.due
            else:
                overdue += today > r.due
        mean = round(statistics.fmean(spans), 2) if spans else 0.0
        median = round(statistics.median(spans), 2) if spans else 0.0
        rows.append((name, len(items), len(spans), len(items) - len(spans), mean, median, overdue))
    headers = (
        "Этап",
        "Участников",
        "Виз получено",
        "Виз ожидается",
        "Средний срок, дн.",
        "Медиана, дн.",
        "Просрочено виз",
    )
    return _report(
        "approval",
        "Сроки согласования",
        headers,
        rows,
        reader,
        (period_from, period_to),
        numeric=(1, 2, 3, 6),
        chart=ChartSpec("bar", 0, (4, 5), "Срок визы по этапам", "Дней"),
    )


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def discipline_rollup(
    edms: Any,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    *,
    organisation_id: str | None = None,
) -> Report:
    """Execution discipline rolled up over the organisation tree (исполнительская дисциплина
    по органам власти): each organisation's row counts itself and everything under it, for
    assignments on control due in the period, as they stand on the reader's today."""
    with open_reader(edms, actor, period_from, period_to, organisation_id) as (uow, reader):
        counts = f.assignment_counts(uow, reader, period_from, period_to)
    own: dict[str, f.ExecutionCounts] = defaultdict(f.ExecutionCounts)
    for (org, _, _), c in counts.items():
        own[org] = own[org].plus(c)
    tree = reader.tree
    rolled_up: dict[str, f.ExecutionCounts] = {}

    def roll(org: str) -> f.ExecutionCounts:  # each organisation's own plus its children's
        total = own.get(org, f.ExecutionCounts())
        for child in tree.children(org):
            total = total.plus(roll(child))
        rolled_up[org] = total
        return total

    for root in tree.roots():
        roll(root)
    rows: list[tuple[Cell, ...]] = []
    for org, depth in tree.walk():
        if org not in reader.selected:
            continue
        rolled = rolled_up[org]
        rows.append(
            (
                "  " * depth + tree.name(org),
                rolled.total,
                rolled.on_time,
                rolled.late,
                rolled.overdue_open,
                rolled.open_in_time,
                _percent(rolled.on_time, rolled.total),
            )
        )
    headers = (
        "Организация",
        "Всего",
        "Исполнено в срок",
        "Исполнено с нарушением срока",
        "Просрочено",
        "На исполнении",
        "Исполнено в срок, %",
    )
    report = _report(
        "discipline",
        "Исполнительская дисциплина",
        headers,
        rows,
        reader,
        (period_from, period_to),
        numeric=(1, 2, 3, 4, 5),
        chart=ChartSpec("bar", 0, (2, 3, 4), "Исполнение поручений по организациям"),
        total_label=None,
    )
    # The total is the roots' rows (each organisation counted once), not the sum of all rows.
    total = f.ExecutionCounts()
    for c in own.values():
        total = total.plus(c)
    cells = (
        "Итого",
        total.total,
        total.on_time,
        total.late,
        total.overdue_open,
        total.open_in_time,
        _percent(total.on_time, total.total),
    )
    from attrs import evolve

    return evolve(report, total=cells)


_STATUS_ORDER = tuple(QuestionStatus)


def appeals_outcomes(
    edms: Any,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    *,
    organisation_id: str | None = None,
) -> Report:
    """Questions of appeals registered in the period by topic section and SSTU status
    (обращения граждан по тематике и результатам)."""
    with open_reader(edms, actor, period_from, period_to, organisation_id) as (uow, reader):
        questions = f.question_rows_for(uow, reader, period_from, period_to)
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for q in questions:
        table[q.topic.split(".")[0]][q.status] += 1
    rows: list[tuple[Cell, ...]] = []
    for section in sorted(table):
        c = table[section]
        rows.append((section, *(c[s.value] for s in _STATUS_ORDER), sum(c.values())))
    headers = ("Раздел тематики", *(s.label for s in _STATUS_ORDER), "Всего")
    width = len(headers)
    return _report(
        "appeals",
        "Обращения граждан по тематике и результатам",
        headers,
        rows,
        reader,
        (period_from, period_to),
        numeric=tuple(range(1, width)),
        chart=ChartSpec("bar", 0, (width - 1,), "Вопросы обращений по разделам тематики"),
    )


def workload(
    edms: Any,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    *,
    organisation_id: str | None = None,
) -> Report:
    """Workload per executor: assignments on control due in the period and how they stand
    (нагрузка исполнителей)."""
    with open_reader(edms, actor, period_from, period_to, organisation_id) as (uow, reader):
        counts = f.assignment_counts(uow, reader, period_from, period_to)
        names = _official_names(uow, reader)
    per: dict[tuple[str, str], f.ExecutionCounts] = defaultdict(f.ExecutionCounts)
    for (org, executor, _), c in counts.items():
        per[(org, executor)] = per[(org, executor)].plus(c)
    tree = reader.tree
    rows = [
        (
            tree.name(org),
            names.get(executor, executor),
            c.total,
            c.on_time,
            c.late,
            c.overdue_open,
            c.open_in_time,
        )
        for (org, executor), c in per.items()
    ]
    rows.sort(key=lambda r: (-int(r[2]), str(r[0]), str(r[1])))
    headers = (
        "Организация",
        "Исполнитель",
        "Поручений",
        "Исполнено в срок",
        "С нарушением срока",
        "Просрочено",
        "На исполнении",
    )
    return _report(
        "workload",
        "Нагрузка исполнителей",
        headers,
        rows,
        reader,
        (period_from, period_to),
        numeric=(2, 3, 4, 5, 6),
        chart=ChartSpec("bar", 1, (3, 4, 5, 6), "Поручения по исполнителям"),
    )


#: The reports by name, as ``edmscore report NAME`` knows them.
REPORTS: dict[str, Callable[..., Report]] = {
    "registrations": registrations,
    "medo": medo_exchange,
    "approval": approval_durations,
    "discipline": discipline_rollup,
    "appeals": appeals_outcomes,
    "workload": workload,
}

from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())
