"""A governor's resolution with three items: one passed down two levels, one extended, one overdue.

Run: python examples/control.py
"""

from __future__ import annotations

import pendulum

from edmscore import (
    AccessPolicy,
    Clearance,
    Department,
    Edms,
    FixedClock,
    Official,
    Organisation,
    Permission,
    PersonName,
    RegistrationRequest,
    Role,
    User,
)
from edmscore.calendar import URGENT
from edmscore.control import ItemRequest, ResolutionRequest
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.reports import discipline_csv, render_discipline

ZONE = "Asia/Yakutsk"
#: The governor's reception registers letters and enters the governor's resolutions.
RECEPTION = Role(
    "reception",
    {Permission.READ, Permission.REGISTER, Permission.IMPOSE_RESOLUTION},
    "Приёмная губернатора",
)


def moment(day: int, hour: int = 10) -> pendulum.DateTime:
    """A moment of March 2026 in Blagoveshchensk."""
    return pendulum.datetime(2026, 3, day, hour, tz=ZONE)


def main() -> None:
    clock = FixedClock(moment(2, 9))
    # The federal production calendar by default; the reception's role beside the built-in ones.
    edms = Edms(clock=clock, policy=AccessPolicy.strict(roles=[RECEPTION]))
    org = Organisation("gov", "Правительство Амурской области", timezone=ZONE, code="ПАО")
    admin = edms.setup(org, User("admin", "admin", org.id))
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
    # The governor decides extensions (head), the control department accepts reports
    # (controller), everyone else executes.
    roles = {"governor": ("head",), "control": ("controller",)}
    users = {
        key: User(f"u-{key}", key, org.id, key, Clearance.DSP, roles=roles.get(key, ("executor",)))
        for key in officials
    }
    clerk = User("u-clerk", "priemnaya", org.id, None, Clearance.DSP, roles=("reception",))
    journal = Journal("in", org.id, "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    # The directory would come from the host's HR system.
    for department in departments:
        edms.admin.put_department(admin.id, department)
    for official in officials.values():
        edms.admin.put_official(admin.id, official)
    for user in (*users.values(), clerk):
        edms.admin.put_user(admin.id, user)
    edms.admin.create_journal(admin.id, journal)
    ids = {key: user.id for key, user in users.items()}

    records, control = edms.records, edms.control
    letter = records.register(
        clerk.id,
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
        clerk.id,
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
        ids["deputy"],
        plan,
        "Прошу подготовить",
        [ItemRequest("minister", "Подготовить проект предложений", pendulum.Date(2026, 3, 16))],
    )
    level2 = control.pass_down(
        ids["minister"],
        level1.item_ids[0],
        "В работу",
        [ItemRequest("head", "Собрать предложения муниципальных образований")],
    )
    for assignment in control.subtree(ids["governor"], plan):
        executor = officials[assignment.executor_id].name.surname_initials
        indent = "  " * assignment.depth
        print(f"{indent}- {assignment.text}: {executor}, до {assignment.due:%d.%m.%Y}")

    # 3. Item 2: the minister of finance asks for more time; the governor agrees.
    clock.set(moment(4))
    item = control.get(ids["finance"], money)
    item = control.request_extension(
        ids["finance"],
        money,
        item.version,
        pendulum.Date(2026, 3, 13),
        "Ждём данные муниципалитетов",
    )
    item = control.decide_extension(ids["governor"], money, item.version, approve=True)
    change = item.deadline_history[-1]
    print(f"Срок пункта 2 перенесён: {change.old_due:%d.%m.%Y} → {change.new_due:%d.%m.%Y}")

    # 4. The lowest level reports, the minister and the deputy report up; control accepts.
    clock.set(moment(12))
    head_item = control.get(ids["head"], level2.item_ids[0])
    control.report(ids["head"], head_item.id, head_item.version, "Предложения собраны")
    minister_item = control.get(ids["minister"], level1.item_ids[0])
    control.report(ids["minister"], minister_item.id, minister_item.version, "Проект направлен")
    print("Ход исполнения пункта 1:", control.progress(ids["deputy"], plan))
    plan_item = control.get(ids["deputy"], plan)
    plan_item = control.report(ids["deputy"], plan, plan_item.version, "Предложения направлены")
    plan_item = control.accept(ids["control"], plan, plan_item.version)
    print(f"Пункт 1: {plan_item.state.title}, снят с контроля {plan_item.closed_on:%d.%m.%Y}")
    item = control.report(ids["finance"], money, item.version, "Расчёт потребности направлен")
    print(f"Пункт 2: {item.state.title} {item.completed_on:%d.%m.%Y}, в перенесённый срок")

    # 5. Item 3 is not reported: on 16 March it is overdue, on the production calendar.
    clock.set(moment(16))
    summary = control.summary(ids["control"])
    print(f"Сводка на {summary.today:%d.%m.%Y}: на исполнении {summary.open_total}, просрочено:")
    for overdue in summary.overdue:
        late = overdue.assignment
        print(
            f"  {overdue.card_number} «{late.text}» — срок {late.due:%d.%m.%Y},"
            f" просрочено {overdue.days_late} календ. / {overdue.working_days_late} раб. дней"
        )
    assert [o.assignment.id for o in summary.overdue] == [monitoring]

    report = control.discipline(
        ids["control"], pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31)
    )
    print(render_discipline(report))
    print(discipline_csv(report).splitlines()[-1])
    print(f"Событий аудита по пункту 1: {len(control.history(ids['control'], plan))}")


if __name__ == "__main__":
    main()
