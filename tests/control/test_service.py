"""The control use cases over the in-memory storage: every step, its checks and its audit trail."""

from __future__ import annotations

import pendulum
import pytest

from edmscore.calendar import MONTHLY_REPORT, OPERATIONAL, STANDING, URGENT, Period
from edmscore.control import (
    AssignmentKind,
    AssignmentQuery,
    AssignmentState,
    ExtensionStatus,
    ItemRequest,
    RecurrenceRequest,
    ReportFile,
    ReportStatus,
    ResolutionRequest,
)
from edmscore.errors import (
    AccessDenied,
    ConflictError,
    DeadlineAfterParent,
    IllegalTransition,
    NotFound,
    StateError,
    ValidationError,
)
from edmscore.records import RegistrationRequest
from edmscore.registry import AccessMark
from edmscore.testing import make_details
from tests.control.conftest import Office

D = pendulum.Date


def _impose(office: Office, *items: ItemRequest) -> list[str]:
    resolution = office.control.impose(
        office.world.clerk,
        ResolutionRequest(office.card.id, office.governor.id, "Прошу рассмотреть", items),
    )
    return list(resolution.item_ids)


def _one(office: Office, **fields: object) -> str:
    item = ItemRequest(office.deputy.id, "Подготовить ответ", **fields)  # type: ignore[arg-type]
    return _impose(office, item)[0]


def test_deadlines_come_from_a_date_a_policy_or_the_one_month_default(office: Office) -> None:
    ids = _impose(
        office,
        ItemRequest(office.deputy.id, "К дате", D(2026, 3, 20)),
        ItemRequest(office.chief.id, "Срочно", URGENT),
        ItemRequest(office.other.id, "Без срока"),
        ItemRequest(office.specialist.id, "К сведению", kind=AssignmentKind.INFORMATION),
    )
    governor = office.user(office.governor)
    got = [office.control.get(governor, i) for i in ids]
    assert [(a.due, a.deadline_basis) for a in got] == [
        (D(2026, 3, 20), "date"),
        (D(2026, 3, 5), "instruction.urgent"),
        (D(2026, 4, 2), "instruction.no_term"),
        (None, ""),
    ]
    assert all(a.state is AssignmentState.OPEN and a.version == 1 for a in got)
    assert got[0].department_id == office.deputy.department_id
    assert got[0].deadline_set_by == office.governor.id


def test_a_policy_deadline_on_a_day_off_moves_to_the_working_day_before(office: Office) -> None:
    office.clock.set(pendulum.datetime(2026, 3, 5, 9, tz="Asia/Yakutsk"))
    assignment_id = _one(office, deadline=URGENT)  # 3 days from Thursday: Sunday the 8th
    assert office.control.get(office.user(office.governor), assignment_id).due == D(2026, 3, 6)


def test_imposing_records_audit_events_and_puts_the_card_on_control(office: Office) -> None:
    ids = _impose(
        office,
        ItemRequest(
            office.deputy.id, "Ответ", OPERATIONAL, on_control=True, controller_id=office.other.id
        ),
    )
    governor = office.user(office.governor)
    history = office.control.history(governor, ids[0])
    assert [e.action for e in history] == ["assignment.created"]
    assert history[0].actor_id == office.world.clerk.id
    assert any(c.field == "executor_id" for c in history[0].changes)
    card = office.records.get(governor, office.card.id)
    assert card.details.on_control
    assert [e.action for e in office.records.history(governor, card.id)][
        -1
    ] == "card.put_on_control"


def test_an_unknown_executor_or_a_future_date_rolls_everything_back(office: Office) -> None:
    with pytest.raises(NotFound):
        _impose(office, ItemRequest(office.deputy.id, "A"), ItemRequest("nobody", "B"))
    with pytest.raises(ValidationError):
        office.control.impose(
            office.world.clerk,
            ResolutionRequest(
                office.card.id,
                office.governor.id,
                "Т",
                (ItemRequest(office.deputy.id, "A"),),
                date=D(2026, 3, 3),
            ),
        )
    governor = office.user(office.governor)
    assert list(office.control.assignments(governor, AssignmentQuery())) == []
    assert office.control.resolutions_of(governor, office.card.id) == []


def test_a_user_who_cannot_see_the_card_gets_not_found_on_impose_and_read(
    office: Office,
) -> None:
    dsp = office.records.register(
        office.world.clerk,
        RegistrationRequest(
            office.world.journal.id,
            make_details(access=AccessMark.DSP, received_on=D(2026, 3, 2)),
        ),
    )
    resolution = office.control.impose(
        office.world.clerk,
        ResolutionRequest(dsp.id, office.governor.id, "ДСП", (ItemRequest(office.deputy.id, "A"),)),
    )
    with pytest.raises(NotFound) as hidden_card:
        office.control.impose(
            office.world.plain,
            ResolutionRequest(
                dsp.id, office.governor.id, "Т", (ItemRequest(office.deputy.id, "A"),)
            ),
        )
    assert hidden_card.value.args == NotFound("card", dsp.id).args  # word for word as missing
    with pytest.raises(NotFound) as hidden:
        office.control.get(office.world.plain, resolution.item_ids[0])
    assert hidden.value.args == NotFound("assignment", resolution.item_ids[0]).args
    assert list(office.control.assignments(office.world.plain, AssignmentQuery())) == []


def test_passing_down_two_levels_keeps_deadlines_within_the_parent(office: Office) -> None:
    top = _one(office, deadline=D(2026, 3, 20), on_control=True, controller_id=office.other.id)
    deputy = office.user(office.deputy)
    with pytest.raises(DeadlineAfterParent) as caught:
        office.control.pass_down(
            deputy, top, "Т", [ItemRequest(office.chief.id, "A", D(2026, 3, 21))]
        )
    assert caught.value.field == "due"
    level1 = office.control.pass_down(
        deputy, top, "Подготовить", [ItemRequest(office.chief.id, "Проект", D(2026, 3, 16))]
    )
    child = level1.item_ids[0]
    assert level1.parent_assignment_id == top
    with pytest.raises(AccessDenied):
        office.control.pass_down(deputy, child, "Т", [ItemRequest(office.specialist.id, "A")])
    level2 = office.control.pass_down(
        office.user(office.chief), child, "Т", [ItemRequest(office.specialist.id, "Справка")]
    )
    grandchild = office.control.get(deputy, level2.item_ids[0])
    assert (grandchild.depth, grandchild.due, grandchild.author_id) == (
        2,
        D(2026, 3, 16),  # no deadline given: the parent's
        office.chief.id,
    )
    tree = office.control.subtree(deputy, top)
    assert [a.depth for a in tree] == [0, 1, 2]
    progress = office.control.progress(deputy, top)
    assert (progress.total, progress.open, progress.done) == (2, 2, 0)


def test_a_co_executor_reports_without_completing(office: Office) -> None:
    assignment_id = _one(office, deadline=D(2026, 3, 20), co_executor_ids=(office.chief.id,))
    chief = office.user(office.chief)
    after = office.control.report(
        chief,
        assignment_id,
        1,
        "Свою часть выполнил",
        [ReportFile("справка.txt", b"data", "text/plain")],
    )
    assert after.state is AssignmentState.OPEN
    assert after.reports[0].files[0].size == 4
    assert not after.reports[0].responsible
    with pytest.raises(AccessDenied):
        office.control.report(office.user(office.other), assignment_id, 2, "Не мой")


def test_the_responsible_report_completes_and_the_controller_decides(office: Office) -> None:
    assignment_id = _one(
        office, deadline=D(2026, 3, 20), on_control=True, controller_id=office.other.id
    )
    deputy, controller = office.user(office.deputy), office.user(office.other)
    reported = office.control.report(deputy, assignment_id, 1, "Ответ направлен")
    assert reported.state is AssignmentState.REPORTED
    assert reported.completed_on == D(2026, 3, 2)
    with pytest.raises(AccessDenied):
        office.control.accept(deputy, assignment_id, 2)
    returned = office.control.return_for_rework(controller, assignment_id, 2, "Нет приложения")
    assert returned.state is AssignmentState.OPEN
    assert returned.completed_on is None
    assert returned.reports[0].status is ReportStatus.RETURNED
    assert returned.reports[0].reason == "Нет приложения"
    office.control.report(deputy, assignment_id, 3, "Ответ с приложением")
    done = office.control.accept(controller, assignment_id, 4)
    assert done.state is AssignmentState.DONE and done.closed_on == D(2026, 3, 2)
    assert done.reports[-1].status is ReportStatus.ACCEPTED
    with pytest.raises(IllegalTransition) as caught:
        office.control.accept(controller, assignment_id, 5)
    assert (caught.value.current, caught.value.target) == ("done", "done")
    actions = [e.action for e in office.control.history(controller, assignment_id)]
    assert actions == [
        "assignment.created",
        "assignment.reported",
        "assignment.returned",
        "assignment.reported",
        "assignment.accepted",
    ]


def test_an_open_assignment_cannot_be_accepted_without_a_report(office: Office) -> None:
    assignment_id = _one(
        office, deadline=D(2026, 3, 20), on_control=True, controller_id=office.other.id
    )
    with pytest.raises(IllegalTransition) as caught:
        office.control.accept(office.user(office.other), assignment_id, 1)
    assert (caught.value.current, caught.value.target, caught.value.action) == (
        "open",
        "done",
        "accept",
    )
    with pytest.raises(IllegalTransition):
        office.control.return_for_rework(office.user(office.other), assignment_id, 1, "Нет")


def test_a_report_without_control_is_done_at_once(office: Office) -> None:
    assignment_id = _one(office, deadline=D(2026, 3, 20))
    done = office.control.report(office.user(office.deputy), assignment_id, 1, "Исполнено")
    assert done.state is AssignmentState.DONE


def test_a_stale_version_conflicts(office: Office) -> None:
    assignment_id = _one(office, deadline=D(2026, 3, 20), co_executor_ids=(office.chief.id,))
    office.control.report(office.user(office.chief), assignment_id, 1, "Часть")
    with pytest.raises(ConflictError):
        office.control.report(office.user(office.deputy), assignment_id, 1, "Всё")


def test_a_parent_cannot_complete_while_a_child_on_control_is_open(office: Office) -> None:
    top = _one(office, deadline=D(2026, 3, 20))
    deputy, chief = office.user(office.deputy), office.user(office.chief)
    sub = office.control.pass_down(
        deputy,
        top,
        "Т",
        [
            ItemRequest(
                office.chief.id,
                "Проект",
                D(2026, 3, 16),
                on_control=True,
                controller_id=office.deputy.id,
            )
        ],
    )
    with pytest.raises(StateError):
        office.control.report(deputy, top, 1, "Готово")
    office.control.report(chief, sub.item_ids[0], 1, "Проект готов")
    with pytest.raises(StateError):  # reported is not yet accepted
        office.control.report(deputy, top, 1, "Готово")
    office.control.accept(deputy, sub.item_ids[0], 2)
    assert office.control.report(deputy, top, 1, "Готово").state is AssignmentState.DONE


def test_an_information_item_is_acknowledged_not_reported(office: Office) -> None:
    assignment_id = _one(office, kind=AssignmentKind.INFORMATION)
    deputy = office.user(office.deputy)
    with pytest.raises(StateError):
        office.control.report(deputy, assignment_id, 1, "Ознакомлен")
    assert office.control.acknowledge(deputy, assignment_id, 1).state is AssignmentState.DONE


def test_an_extension_is_decided_only_by_who_set_the_deadline(office: Office) -> None:
    assignment_id = _one(office, deadline=D(2026, 3, 20))
    deputy, governor = office.user(office.deputy), office.user(office.governor)
    with pytest.raises(ValidationError):
        office.control.request_extension(deputy, assignment_id, 1, D(2026, 3, 19), "Раньше")
    asked = office.control.request_extension(
        deputy, assignment_id, 1, D(2026, 3, 31), "Ждём сведения из муниципалитетов"
    )
    assert asked.pending_extension is not None
    with pytest.raises(StateError):
        office.control.request_extension(deputy, assignment_id, 2, D(2026, 4, 1), "Ещё")
    with pytest.raises(AccessDenied):
        office.control.decide_extension(deputy, assignment_id, 2, approve=True)
    approved = office.control.decide_extension(governor, assignment_id, 2, approve=True)
    assert approved.due == D(2026, 3, 31)
    assert approved.extensions[0].status is ExtensionStatus.APPROVED
    change = approved.deadline_history[0]
    assert (change.old_due, change.new_due, change.changed_by) == (
        D(2026, 3, 20),
        D(2026, 3, 31),
        office.governor.id,
    )
    office.control.request_extension(deputy, assignment_id, 3, D(2026, 4, 10), "Ещё раз")
    rejected = office.control.decide_extension(
        governor, assignment_id, 4, approve=False, comment="Нет"
    )
    assert rejected.due == D(2026, 3, 31)
    assert [r.status for r in rejected.extensions] == [
        ExtensionStatus.APPROVED,
        ExtensionStatus.REJECTED,
    ]


def test_a_child_extension_and_a_shortened_parent_respect_the_tree(office: Office) -> None:
    top = _one(office, deadline=D(2026, 3, 20))
    deputy, chief, governor = (
        office.user(o) for o in (office.deputy, office.chief, office.governor)
    )
    child = office.control.pass_down(
        deputy, top, "Т", [ItemRequest(office.chief.id, "Проект", D(2026, 3, 16))]
    ).item_ids[0]
    with pytest.raises(DeadlineAfterParent):
        office.control.request_extension(chief, child, 1, D(2026, 3, 25), "Не успеваю")
    with pytest.raises(DeadlineAfterParent):
        office.control.set_deadline(governor, top, 1, D(2026, 3, 12), "Ускорить")
    moved = office.control.set_deadline(governor, top, 1, D(2026, 3, 17), "Ускорить")
    assert moved.deadline_history[-1].reason == "Ускорить"


def test_cancelling_cascades_to_open_sub_assignments(office: Office) -> None:
    top = _one(office, deadline=D(2026, 3, 20))
    deputy, governor = office.user(office.deputy), office.user(office.governor)
    child = office.control.pass_down(deputy, top, "Т", [ItemRequest(office.chief.id, "Проект")])
    with pytest.raises(AccessDenied):
        office.control.cancel(deputy, top, 1, "Не нужно")
    office.control.cancel(governor, top, 1, "Вопрос снят")
    assert office.control.get(governor, child.item_ids[0]).state is AssignmentState.CANCELLED
    assert office.control.progress(governor, top).cancelled == 1


def test_periodic_occurrences_get_their_own_deadlines(office: Office) -> None:
    recurrence = RecurrenceRequest(Period.MONTH, D(2026, 6, 30), MONTHLY_REPORT)
    schedule = _one(office, recurrence=recurrence)
    governor = office.user(office.governor)
    assert office.control.get(governor, schedule).due == D(2026, 7, 10)
    first = office.control.generate_occurrences(governor, schedule, D(2026, 4, 15))
    assert [a.due for a in first] == [D(2026, 4, 10), D(2026, 5, 8)]  # 10 May 2026 is a Sunday
    again = office.control.generate_occurrences(governor, schedule, D(2026, 6, 1))
    assert [a.due for a in again] == [D(2026, 6, 10), D(2026, 7, 10)]
    assert {a.occurrence_of for a in again} == {schedule}
    listed = office.control.assignments(governor, AssignmentQuery(occurrence_of=schedule))
    assert len(list(listed)) == 4
    with pytest.raises(StateError):
        office.control.generate_occurrences(governor, first[0].id, D(2026, 6, 1))


def test_overdue_and_due_soon_count_working_days(office: Office) -> None:
    _impose(
        office,
        ItemRequest(
            office.deputy.id, "A", D(2026, 3, 4), on_control=True, controller_id=office.other.id
        ),
        ItemRequest(office.chief.id, "B", D(2026, 3, 10)),
        ItemRequest(office.other.id, "C", D(2026, 3, 11)),
        ItemRequest(office.specialist.id, "D", D(2026, 3, 6)),
    )
    office.clock.set(pendulum.datetime(2026, 3, 6, 10, tz="Asia/Yakutsk"))  # Friday
    governor = office.user(office.governor)
    overdue = office.control.overdue(governor)
    assert [(i.assignment.text, i.days_late, i.working_days_late) for i in overdue] == [("A", 2, 2)]
    assert office.control.overdue(governor, controller_id=office.deputy.id) == []
    # the next working days after Friday the 6th: Tuesday the 10th (the 9th is a holiday), the 11th
    soon = office.control.due_soon(governor, 2)
    assert [(i.assignment.text, i.working_days_left) for i in soon] == [
        ("D", 0),
        ("B", 1),
        ("C", 2),
    ]
    assert [i.assignment.text for i in office.control.due_soon(governor, 1)] == ["D", "B"]
    assert [i.assignment.text for i in office.control.due_soon(governor, 0)] == ["D"]
    by_executor = office.control.due_soon(governor, 3, executor_id=office.chief.id)
    assert [i.assignment.text for i in by_executor] == ["B"]
    by_department = office.control.due_soon(governor, 3, department_id=office.other.department_id)
    assert [i.assignment.text for i in by_department] == ["C"]
    summary = office.control.summary(governor, due_soon_days=1)
    assert (summary.open_total, summary.on_control, len(summary.overdue)) == (4, 1, 1)
    assert [i.assignment.text for i in summary.due_today] == ["D"]
    assert [i.assignment.text for i in summary.due_soon] == ["B"]


def test_the_discipline_report_counts_each_class(office: Office) -> None:
    ids = _impose(
        office,
        ItemRequest(office.deputy.id, "в срок", D(2026, 3, 4)),
        ItemRequest(office.deputy.id, "с нарушением", D(2026, 3, 4)),
        ItemRequest(office.chief.id, "просрочено", D(2026, 3, 5)),
        ItemRequest(office.chief.id, "не наступил", D(2026, 3, 31)),
        ItemRequest(office.chief.id, "к сведению", kind=AssignmentKind.INFORMATION),
    )
    deputy = office.user(office.deputy)
    office.clock.set(pendulum.datetime(2026, 3, 4, 10, tz="Asia/Yakutsk"))
    office.control.report(deputy, ids[0], 1, "Исполнено")
    office.clock.set(pendulum.datetime(2026, 3, 6, 10, tz="Asia/Yakutsk"))
    office.control.report(deputy, ids[1], 1, "Исполнено")
    office.clock.set(pendulum.datetime(2026, 3, 12, 10, tz="Asia/Yakutsk"))
    report = office.control.discipline(office.user(office.governor), D(2026, 3, 1), D(2026, 3, 31))
    total = report.total
    assert (total.total, total.on_time, total.late, total.overdue_open, total.open_not_due) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert total.on_time_percent == 25.0
    rows = {r.name: (r.on_time, r.late, r.overdue_open, r.open_not_due) for r in report.by_executor}
    assert rows == {"Лебедев И.П.": (1, 1, 0, 0), "Сорокина И.П.": (0, 0, 1, 1)}
    assert [(o.text, o.days_late, o.working_days_late) for o in report.overdue] == [
        ("просрочено", 7, 4)  # 6, 10, 11, 12 March: the 9th is a holiday
    ]
    as_before = office.control.discipline(
        office.user(office.governor), D(2026, 3, 1), D(2026, 3, 31), as_of=D(2026, 3, 5)
    )
    assert (as_before.total.on_time, as_before.total.late, as_before.total.overdue_open) == (
        1,
        0,
        1,
    )


def test_a_standing_assignment_reports_by_20_january(office: Office) -> None:
    recurrence = RecurrenceRequest(Period.YEAR, D(2026, 12, 31), STANDING)
    schedule = _one(office, recurrence=recurrence, on_control=True, controller_id=office.other.id)
    governor = office.user(office.governor)
    [occurrence] = office.control.generate_occurrences(governor, schedule, D(2026, 3, 2))
    assert occurrence.due == D(2027, 1, 20)
    assert occurrence.on_control and occurrence.controller_id == office.other.id
    assert "01.01.2026–31.12.2026" in occurrence.text
    report = office.control.discipline(governor, D(2027, 1, 1), D(2027, 1, 31), D(2027, 1, 21))
    assert (report.total.total, report.total.overdue_open) == (1, 1)  # the schedule is not counted
