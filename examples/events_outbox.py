"""Events for a mobile app: a delivery worker reads the outbox, pushes, acknowledges.

The head's resolution gives an assignment on a ДСП letter; the executor is on leave and a deputy
stands in. The worker (a user with the built-in ``integration`` role) reads the events for the
executor's pushes, delivers each once by its id, crashes once before acknowledging and reads
the same events again; the periodic scan then reports the deadline near and, days later, passed.

Run: python examples/events_outbox.py
"""

from __future__ import annotations

import pendulum

from edmscore import (
    Clearance,
    Edms,
    FixedClock,
    Official,
    Organisation,
    PersonName,
    RegistrationRequest,
    User,
)
from edmscore.approval import Substitution
from edmscore.control import ItemRequest, ResolutionRequest
from edmscore.events import Event, EventType
from edmscore.registry import AccessMark, CardDetails, CardKind, Correspondent, Journal

ZONE = "Asia/Yakutsk"
START = pendulum.datetime(2026, 3, 2, 9, tz=ZONE)


def set_up(edms: Edms) -> None:
    org = Organisation("gov", "Правительство Амурской области", timezone=ZONE, code="ПАО")
    admin = edms.setup(org, User("admin", "admin", org.id))
    people = {
        "governor": ("Орлов Василий Александрович", ("head", "registrar")),
        "minister": ("Соколова Марина Юрьевна", ("executor",)),
        "deputy": ("Лебедев Игорь Сергеевич", ("executor",)),
    }
    for key, (name, roles) in people.items():
        edms.admin.put_official(admin.id, Official(key, org.id, PersonName.parse(name), "—"))
        edms.admin.put_user(
            admin.id, User(f"u-{key}", key, org.id, key, Clearance.DSP, roles=roles)
        )
    edms.admin.put_user(admin.id, User("push", "push-worker", org.id, None, roles=("integration",)))
    edms.admin.create_journal(
        admin.id, Journal("in", org.id, "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    )
    # The minister is on leave for two weeks; the deputy stands in (замещение).
    edms.approval.put_substitution(
        admin.id,
        Substitution(
            "leave", org.id, "minister", "deputy", START.date(), START.date().add(days=14)
        ),
    )


def push(event: Event, delivered: set[str]) -> None:
    """What a host does per event: send once per id (its idempotency key)."""
    if event.id in delivered:
        return  # already pushed before the crash: not again
    delivered.add(event.id)
    content = "(ДСП: откройте карточку)" if event.restricted else event.data.get("text", "")
    print(f"  → {', '.join(event.recipients)}: {event.type.value} {content}".rstrip())


def main() -> None:
    clock = FixedClock(START)
    edms = Edms(clock=clock)
    set_up(edms)
    edms.events.subscribe(
        "push",
        "mobile",
        types=[t for t in EventType if t.value.startswith("assignment.")],
        recipients=["minister", "deputy"],
    )
    letter = edms.records.register(
        "u-governor",
        RegistrationRequest(
            "in",
            CardDetails(
                kind=CardKind.INCOMING,
                document_kind="Письмо",
                summary="О мерах по обеспечению безопасности",
                correspondents=(Correspondent("МЧС России"),),
                received_on=START.date(),
                access=AccessMark.DSP,
            ),
        ),
    )
    item = ItemRequest("minister", "Подготовить план мероприятий", pendulum.Date(2026, 3, 6))
    edms.control.impose("u-governor", ResolutionRequest(letter.id, "governor", "В работу", (item,)))

    delivered: set[str] = set()
    print("the worker reads, pushes and crashes before acknowledging:")
    for event in edms.events.read("push", "mobile"):
        push(event, delivered)
    print("after the restart the same events come again, with the same ids:")
    batch = edms.events.read("push", "mobile")
    for event in batch:
        push(event, delivered)
    edms.events.acknowledge("push", "mobile", [e.id for e in batch])

    for day in (3, 10):  # the host's periodic scan, on two days
        moment = START.add(days=day - 2)
        report = edms.events.scan("push", now=moment)
        print(f"scan on {moment.date()}: {report.stored}")
        batch = edms.events.read("push", "mobile")
        for event in batch:
            push(event, delivered)
        edms.events.acknowledge("push", "mobile", [e.id for e in batch])


if __name__ == "__main__":
    main()
