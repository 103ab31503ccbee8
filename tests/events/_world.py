"""A small installation for the events tests: an organisation, a head, two executors, a deputy,
a controller, a delivery worker (integration role) and a journal of incoming letters."""

from __future__ import annotations

from typing import Any

import pendulum

from edmscore import Clearance, Edms, FixedClock, Official, Organisation, PersonName, User
from edmscore.control import ItemRequest, ResolutionRequest
from edmscore.records import RegistrationRequest
from edmscore.registry import AccessMark, CardDetails, CardKind, Correspondent, Journal

ZONE = "Europe/Moscow"
START = pendulum.datetime(2026, 3, 2, 10, tz=ZONE)
PEOPLE = {
    "head": ("Орлов Василий Александрович", ("head", "registrar")),
    "ex1": ("Соколова Марина Юрьевна", ("executor",)),
    "ex2": ("Круглов Павел Андреевич", ("executor",)),
    "deputy": ("Лебедев Игорь Сергеевич", ("executor",)),
    "ctl": ("Галкина Анна Петровна", ("controller",)),
}
WORKER = "u-worker"


def installation(storage: Any = None, clock: FixedClock | None = None) -> Edms:
    """A set-up installation on ``storage`` (memory when None)."""
    edms = Edms(storage, clock=clock or FixedClock(START))
    org = Organisation("org", "Правительство области", timezone=ZONE, code="ПО")
    admin = edms.setup(org, User("admin", "admin", org.id))
    for key, (name, roles) in PEOPLE.items():
        edms.admin.put_official(
            admin.id, Official(key, org.id, PersonName.parse(name), "должность")
        )
        edms.admin.put_user(
            admin.id, User(f"u-{key}", key, org.id, key, Clearance.DSP, roles=roles)
        )
    edms.admin.put_user(admin.id, User(WORKER, "worker", org.id, None, roles=("integration",)))
    journal = Journal("in", org.id, "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    edms.admin.create_journal(admin.id, journal)
    return edms


def register(edms: Edms, *, dsp: bool = False, summary: str = "О плане мероприятий") -> str:
    """Register an incoming letter as the head (a registrar too); its card id."""
    details = CardDetails(
        kind=CardKind.INCOMING,
        document_kind="Письмо",
        summary=summary,
        correspondents=(Correspondent("Министерство экономического развития РФ"),),
        received_on=edms.clock.now().date(),
        access=AccessMark.DSP if dsp else AccessMark.OPEN,
    )
    return edms.records.register("u-head", RegistrationRequest("in", details)).id


def impose(
    edms: Edms, card_id: str, executor: str, due: pendulum.Date, *, text: str = "Исполнить"
) -> list[str]:
    """The head's resolution with one item on control; the new assignment ids."""
    resolution = edms.control.impose(
        "u-head",
        ResolutionRequest(
            card_id,
            "head",
            "Прошу исполнить",
            (ItemRequest(executor, text, due, on_control=True, controller_id="ctl"),),
        ),
    )
    return list(resolution.item_ids)
