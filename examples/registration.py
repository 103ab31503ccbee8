"""Register, update, link, file and search cards through the entry point, on the in-memory storage.

Run: python examples/registration.py
"""

from __future__ import annotations

import pendulum

from edmscore import (
    CardDetails,
    CardKind,
    CardQuery,
    ConflictError,
    Department,
    Edms,
    FixedClock,
    Journal,
    Organisation,
    RegistrationRequest,
    User,
)
from edmscore.registry import Correspondent, LinkType, Signatory


def main() -> None:
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Asia/Yakutsk"))
    edms = Edms(clock=clock)
    organisation = Organisation(
        "mcr", "Министерство цифрового развития", code="МЦР", timezone="Asia/Yakutsk"
    )
    admin = edms.setup(organisation, User("admin", "admin", "mcr"))

    # The directory would come from the host's HR system, through the set-up use cases.
    office = Department("office", "mcr", "01", "Отдел делопроизводства")
    edms.admin.put_department(admin.id, office)
    edms.admin.put_user(admin.id, User("clerk", "ivanova", "mcr", roles=("registrar",)))
    edms.admin.put_user(admin.id, User("reader", "petrov", "mcr", roles=("executor",)))
    incoming = edms.admin.create_journal(
        admin.id, Journal("incoming", "mcr", "ВХ", "Входящие", "вх-{seq}", {CardKind.INCOMING})
    )
    outgoing = edms.admin.create_journal(
        admin.id,
        Journal("outgoing", "mcr", "ИСХ", "Исходящие", "{seq:04d}-{dept}", {CardKind.OUTGOING}),
    )

    received = CardDetails(
        kind=CardKind.INCOMING,
        document_kind="Письмо",
        summary="О предоставлении информации",
        correspondents=(Correspondent("Министерство финансов Российской Федерации"),),
        sender_number="01-02/123",
        received_on=pendulum.Date(2026, 3, 2),
    )
    letter = edms.records.register("clerk", RegistrationRequest(incoming.id, received))
    print("registered", letter.number, letter.registration.date)

    answer = CardDetails(
        kind=CardKind.OUTGOING,
        document_kind="Письмо",
        summary="Об информации",
        addressees=(Correspondent("Министерство финансов Российской Федерации"),),
        signatories=(Signatory("Петров П.П.", "Министр"),),
        department_id=office.id,
    )
    reply = edms.records.register("clerk", RegistrationRequest(outgoing.id, answer))
    reply = edms.records.link("clerk", reply.id, reply.version, letter.id, LinkType.IN_REPLY_TO)
    print("replied with", reply.number, "linked to", letter.number)

    letter = edms.records.update("clerk", letter.id, 1, {"summary": "О предоставлении отчёта"})
    try:
        edms.records.update("clerk", letter.id, 1, {"summary": "правка по старой версии"})
    except ConflictError as error:
        print("stale update refused:", error)

    found = edms.records.query("reader", CardQuery(text="отчёт"))
    print("search 'отчёт':", [card.number for card in found.items])
    for event in edms.records.history("clerk", letter.id):
        print(
            event.at.format("DD.MM.YYYY HH:mm"), event.action, [c.field for c in event.changes][:3]
        )


if __name__ == "__main__":
    main()
