"""Register, update, link, file and search cards on the in-memory storage.

Run: python examples/registration.py
"""

from __future__ import annotations

import attrs
import pendulum

from edmscore.clock import FixedClock
from edmscore.errors import ConflictError
from edmscore.records import AdminService, RecordsService, RegistrationRequest
from edmscore.registry import CardKind, Journal, LinkType
from edmscore.storage import CardQuery, MemoryStorage
from edmscore.testing import make_details, make_world


def main() -> None:
    storage = MemoryStorage()
    world = make_world()
    with storage.unit_of_work() as uow:  # the directory would come from the host's HR system
        uow.directory.put_organisation(world.organisation)
        for department in world.departments:
            uow.directory.put_department(department)
        for user in (world.clerk, world.plain):
            uow.directory.put_user(user)
        uow.commit()

    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Asia/Yakutsk"))
    admin = AdminService(storage, clock)
    records = RecordsService(storage, clock)
    incoming = admin.create_journal(world.clerk, world.journal)
    outgoing = admin.create_journal(
        world.clerk,
        Journal(
            id="outgoing",
            organisation_id=world.organisation.id,
            code="ИСХ",
            name="Исходящие",
            template="{seq:04d}-{dept}",
            kinds={CardKind.OUTGOING},
        ),
    )

    letter = records.register(
        world.clerk,
        RegistrationRequest(incoming.id, make_details(received_on=pendulum.Date(2026, 3, 2))),
    )
    print("registered", letter.number, letter.registration.date)

    reply_details = attrs.evolve(
        make_details(CardKind.OUTGOING), department_id=world.departments[0].id
    )
    reply = records.register(world.clerk, RegistrationRequest(outgoing.id, reply_details))
    reply = records.link(world.clerk, reply.id, reply.version, letter.id, LinkType.IN_REPLY_TO)
    print("replied with", reply.number, "linked to", letter.number)

    letter = records.update(world.clerk, letter.id, 1, {"summary": "О предоставлении отчёта"})
    try:
        records.update(world.clerk, letter.id, 1, {"summary": "правка по старой версии"})
    except ConflictError as error:
        print("stale update refused:", error)

    found = records.query(world.plain, CardQuery(text="отчёт"))
    print("search 'отчёт':", [card.number for card in found.items])
    for event in records.history(world.clerk, letter.id):
        print(
            event.at.format("DD.MM.YYYY HH:mm"), event.action, [c.field for c in event.changes][:3]
        )


if __name__ == "__main__":
    main()
