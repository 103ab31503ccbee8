"""A governor's resolution with three items: one passed down two levels, one extended, one overdue.

Run: python examples/control.py
"""

from __future__ import annotations

import pendulum

from edmscore.calendar import URGENT
from edmscore.clock import FixedClock
from edmscore.control import ControlService, ItemRequest, ResolutionRequest
from edmscore.directory import Clearance, Department, Official, Organisation, PersonName, User
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.reports import discipline_csv, render_discipline
from edmscore.storage import MemoryStorage

ZONE = "Asia/Yakutsk"


def moment(day: int, hour: int = 10) -> pendulum.DateTime:
    """A moment of March 2026 in Blagoveshchensk."""
    return pendulum.datetime(2026, 3, day, hour, tz=ZONE)


def main() -> None:
    storage = MemoryStorage()
    org = Organisation("gov", "Правительство Амурской области", timezone=ZONE, code="ПАО")
    departments = [
        Department("d-econ", org.id, "10", "Министерство экономического развития"),
        Department("d-fin", org.id, "20", "Министерство финансов"),
        Department("d-ctl", org.id, "30", "Контрольное управление"),
    ]
    people = {
        "governor": ("Орлов Василий Александрович", "Губернатор Амурской области", None),
        "deputy": ("Лебедев Игорь Сергеевич", "Заместитель председателя Правительства", None),
        "minister": ("Соколова Марина Юрьевна", "Министр экономического развития", "d-econ"),
        "head": ("Круглов Павел Андреевич", "Начальник отдела инвестиций", "d-econ"),
        "finance": ("Белова Ольга Николаевна", "Министр финансов", "d-fin"),
        "control": ("Галкина Анна Петровна", "Начальник контрольного управления", "d-ctl"),
    }
    officials = {
        key: Official(key, org.id, PersonName.parse(name), position, dep)
        for key, (name, position, dep) in people.items()
    }
    users = {key: User(f"u-{key}", key, org.id, key, Clearance.DSP) for key in officials}
    clerk = User("u-clerk", "priemnaya", org.id, None, Clearance.DSP)
    journal = Journal("in", org.id, "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    with storage.unit_of_work() as uow:  # the directory would come from the host's HR system
        uow.directory.put_organisation(org)
        for department in departments:
            uow.directory.put_department(department)
        for official in officials.values():
            uow.directory.put_official(official)
        for user in (*users.values(), clerk):
            uow.directory.put_user(user)
        uow.journals.add(journal)
        uow.commit()

    clock = FixedClock(moment(2, 9))
    records = RecordsService(storage, clock)
    control = ControlService(storage, clock)  # the federal production calendar by default
    letter = records.register(
        clerk,
        RegistrationRequest(
            journal.id,
            CardDetails(
                kind=CardKind.INCOMING,
                document_kind="Письмо",
                summary="О реализации плана мероприятий по улучшению инвестиционного климата",
                correspondents=(Correspondent("Министерство экономического развития РФ"),),
                sender_number="Д13и-4512",
                received_on=pendulum.Date(2026, 3, 2),
            ),
        ),
    )

    # 1. The governor's resolution with three items, entered by the reception.
    resolution = control.impose(
        clerk,
        ResolutionRequest(
            letter.id,
            "governor",
            "Прошу организовать исполнение. Доложить в установленный срок.",
            (
                ItemRequest(
                    "deputy",
                    "Подготовить предложения по плану мероприятий",
                    pendulum.Date(2026, 3, 20),
                    on_control=True,
                    controller_id="control",
                ),
                ItemRequest("finance", "Оценить потребность в финансировании", URGENT),
                ItemRequest(
                    "head",
                    "Представить сведения о ходе мониторинга",
                    pendulum.Date(2026, 3, 6),
                    on_control=True,
                    controller_id="control",
                ),
            ),
        ),
    )
    plan, money, monitoring = resolution.item_ids
    print(f"Резолюция на {letter.number}: пунктов {len(resolution.item_ids)}")

    # 2. Item 1 goes down two levels: deputy -> minister -> head of the investment department.
    level1 = control.pass_down(
        users["deputy"],
        plan,
        "Прошу подготовить",
        [ItemRequest("minister", "Подготовить проект предложений", pendulum.Date(2026, 3, 16))],
    )
    level2 = control.pass_down(
        users["minister"],
        level1.item_ids[0],
        "В работу",
        [ItemRequest("head", "Собрать предложения муниципальных образований")],
    )
    for assignment in control.subtree(users["governor"], plan):
        executor = officials[assignment.executor_id].name.surname_initials
        indent = "  " * assignment.depth
        print(f"{indent}- {assignment.text}: {executor}, до {assignment.due:%d.%m.%Y}")

    # 3. Item 2: the minister of finance asks for more time; the governor agrees.
    clock.set(moment(4))
    item = control.get(users["finance"], money)
    item = control.request_extension(
        users["finance"],
        money,
        item.version,
        pendulum.Date(2026, 3, 13),
        "Ждём данные муниципалитетов",
    )
    item = control.decide_extension(users["governor"], money, item.version, approve=True)
    change = item.deadline_history[-1]
    print(f"Срок пункта 2 перенесён: {change.old_due:%d.%m.%Y} → {change.new_due:%d.%m.%Y}")

    # 4. The lowest level reports, the minister and the deputy report up; control accepts.
    clock.set(moment(12))
    head_item = control.get(users["head"], level2.item_ids[0])
    control.report(users["head"], head_item.id, head_item.version, "Предложения собраны")
    minister_item = control.get(users["minister"], level1.item_ids[0])
    control.report(users["minister"], minister_item.id, minister_item.version, "Проект направлен")
    print("Ход исполнения пункта 1:", control.progress(users["deputy"], plan))
    plan_item = control.get(users["deputy"], plan)
    plan_item = control.report(users["deputy"], plan, plan_item.version, "Предложения направлены")
    plan_item = control.accept(users["control"], plan, plan_item.version)
    print(f"Пункт 1: {plan_item.state.title}, снят с контроля {plan_item.closed_on:%d.%m.%Y}")
    item = control.report(users["finance"], money, item.version, "Расчёт потребности направлен")
    print(f"Пункт 2: {item.state.title} {item.completed_on:%d.%m.%Y}, в перенесённый срок")

    # 5. Item 3 is not reported: on 16 March it is overdue, on the production calendar.
    clock.set(moment(16))
    summary = control.summary(users["control"])
    print(f"Сводка на {summary.today:%d.%m.%Y}: на исполнении {summary.open_total}, просрочено:")
    for overdue in summary.overdue:
        late = overdue.assignment
        print(
            f"  {overdue.card_number} «{late.text}» — срок {late.due:%d.%m.%Y},"
            f" просрочено {overdue.days_late} календ. / {overdue.working_days_late} раб. дней"
        )
    assert [o.assignment.id for o in summary.overdue] == [monitoring]

    report = control.discipline(
        users["control"], pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31)
    )
    print(render_discipline(report))
    print(discipline_csv(report).splitlines()[-1])
    print(f"Событий аудита по пункту 1: {len(control.history(users['control'], plan))}")


if __name__ == "__main__":
    main()
