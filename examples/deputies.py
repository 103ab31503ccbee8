"""A governor away: his deputy approves the assistant's draft resolution «за» him; an order sent
for acquaintance, who has read it and who is due a reminder.

Run: python examples/deputies.py
"""

from __future__ import annotations

import pendulum

from edmscore import (
    AccessPolicy,
    Clearance,
    Edms,
    FixedClock,
    Official,
    Organisation,
    PersonName,
    Principal,
    RegistrationRequest,
    User,
)
from edmscore.control import ItemRequest, ResolutionRequest
from edmscore.directory import Power, Substitution
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal

ZONE = "Asia/Yakutsk"


def moment(day: int, hour: int = 10) -> pendulum.DateTime:
    """A moment of March 2026 in Blagoveshchensk."""
    return pendulum.datetime(2026, 3, day, hour, tz=ZONE)


def main() -> None:
    clock = FixedClock(moment(2, 9))
    edms = Edms(clock=clock, policy=AccessPolicy.strict())
    org = Organisation("gov", "Правительство Амурской области", timezone=ZONE, code="ПАО")
    admin = edms.setup(org, User("admin", "admin", org.id))
    people = {
        "governor": ("Орлов Василий Александрович", "Губернатор Амурской области", "head"),
        "deputy": ("Лебедев Игорь Сергеевич", "Заместитель председателя Правительства", "head"),
        "assistant": ("Котова Анна Игоревна", "Помощник губернатора", "assistant"),
        "minister": ("Соколова Марина Юрьевна", "Министр экономического развития", "executor"),
        "lawyer": ("Ким Елена Сергеевна", "Начальник правового управления", "executor"),
    }
    for key, (name, position, role) in people.items():
        edms.admin.put_official(admin.id, Official(key, org.id, PersonName.parse(name), position))
        roles = (role, "registrar") if key == "assistant" else (role,)
        user = User(f"u-{key}", key, org.id, key, Clearance.DSP, roles=roles)
        edms.admin.put_user(admin.id, user)
    journal = Journal("in", org.id, "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    edms.admin.create_journal(admin.id, journal)
    letter = edms.records.register(
        "u-assistant",
        RegistrationRequest(
            journal.id,
            CardDetails(
                kind=CardKind.INCOMING,
                document_kind="Письмо",
                summary="О плане мероприятий по улучшению инвестиционного климата",
                correspondents=(Correspondent("Министерство экономического развития РФ"),),
                received_on=pendulum.Date(2026, 3, 2),
            ),
        ),
    )
    control = edms.control

    # 1. The assistant drafts the governor's resolution; nothing is imposed yet.
    item = ItemRequest("minister", "Подготовить предложения", pendulum.Date(2026, 3, 20))
    request = ResolutionRequest(letter.id, "governor", "Прошу подготовить предложения", (item,))
    control.draft_resolution("u-assistant", request, request_key="m-1", draft_id="draft-1")

    # 2. The governor leaves on 3 March; the deputy stands in for him in control.
    edms.approval.put_substitution(
        admin.id,
        Substitution(
            "sub-1", org.id, "governor", "deputy", pendulum.Date(2026, 3, 3),
            pendulum.Date(2026, 3, 13), "Командировка", powers={Power.CONTROL},
        ),
    )  # fmt: skip
    clock.set(moment(3))
    acting = Principal("u-deputy", on_behalf_of="u-governor")
    waiting = control.drafts_awaiting(acting)
    print(f"Ждут решения: {len(waiting)}")
    approved = control.approve_draft(acting, "draft-1", request_key="m-2")
    control.approve_draft(acting, "draft-1", request_key="m-2")  # a retry from the phone
    for event in control.draft_history("u-deputy", "draft-1"):
        stood_for = f" (за {event.on_behalf_of})" if event.on_behalf_of else ""
        print(f"  {event.action}: {event.actor_id}{stood_for}")
    print(f"Резолюция {approved.resolution_id}: {approved.state.label}")

    # 3. The order is sent for acquaintance; the minister reads it the same day.
    sheet = control.send_for_acquaintance(
        "u-assistant", letter.id, ["u-minister", "u-lawyer"], sheet_id="acq-1"
    )
    clock.set(moment(3, 15))
    control.acknowledge_acquaintance("u-minister", sheet.id)
    for line in control.acquaintance_report("u-assistant", sheet.id):
        print(f"  {line.name}: {line.mark}")
    clock.set(moment(4, 10))
    due = control.acquaintance_reminders_due("u-assistant")
    print("Напомнить:", ", ".join(d.user_id for d in due))


if __name__ == "__main__":
    main()
