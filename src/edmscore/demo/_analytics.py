"""A region's government for analytics: the region's office over bodies over institutions, with a
year of cards, assignments and MEDO dispatches, generated from a seed (for the analytics demo,
the example, the CLI and the benchmarks).

The records are written through the storage's bulk port (as a legacy import would), so any
adapter with it serves: the in-memory storage for the demo, PostgreSQL for the benchmark. With
``with_demo_day`` the demo's ministry (approval with visas, citizens' appeals, resolutions) joins
the tree under the region's office.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessPolicy
from edmscore.clock import FixedClock
from edmscore.control import Assignment, AssignmentState
from edmscore.directory import (
    Clearance,
    Department,
    Official,
    Organisation,
    PersonName,
    RoleGrant,
    User,
)
from edmscore.exchange.dispatch import Attempt, Dispatch, DispatchState, Refusal, TheirRegistration
from edmscore.exchange.medo import RefusalReason
from edmscore.registry import (
    AccessMark,
    CardDetails,
    CardKind,
    Correspondent,
    DeliveryMethod,
    Journal,
    Registration,
    RegistrationCard,
    Signatory,
)

__all__ = ["AnalyticsRegion", "build_region"]

_TZ = "Asia/Yakutsk"
_SURNAMES = ("Иванов", "Петрова", "Сидоров", "Кузнецова", "Смирнов", "Попова", "Волков")
_CORRESPONDENTS = (
    "Министерство финансов Российской Федерации",
    "Федеральное казначейство",
    "Прокуратура Амурской области",
    "Администрация города Благовещенска",
    "Управление Роскомнадзора по Амурской области",
)
_CHANNELS = (
    DeliveryMethod.MEDO,
    DeliveryMethod.MEDO,
    DeliveryMethod.EMAIL,
    DeliveryMethod.POST,
    DeliveryMethod.COURIER,
)


@attrs.frozen
class AnalyticsRegion:
    """What :func:`build_region` leaves: the organisations (root first), the reader and policy."""

    organisations: tuple[Organisation, ...]
    reader: User
    policy: AccessPolicy
    clock: FixedClock
    cards: int
    assignments: int


def _organisations(bodies: int, institutions: int) -> list[Organisation]:
    region = Organisation(
        id="region",
        name="Правительство Амурской области",
        short_name="Правительство АО",
        timezone=_TZ,
        code="ПАО",
    )
    out = [region]
    for b in range(bodies):
        body = Organisation(
            id=f"body{b:03d}",
            name=f"Министерство № {b + 1} Амурской области",
            short_name=f"Министерство {b + 1}",
            parent_id=region.id,
            timezone=_TZ,
            medo_id=f"00000000-0000-4000-8000-{b:012d}",
        )
        out.append(body)
        for i in range(institutions):
            out.append(
                Organisation(
                    id=f"inst{b:03d}-{i:02d}",
                    name=f"Учреждение № {i + 1} министерства № {b + 1}",
                    short_name=f"Учреждение {b + 1}.{i + 1}",
                    parent_id=body.id,
                    timezone=_TZ,
                )
            )
    return out


def _cards(
    rng: random.Random,
    org: Organisation,
    journals: dict[CardKind, Journal],
    executors: list[Official],
    departments: list[Department],
    count: int,
    year: int,
) -> Iterator[RegistrationCard]:
    start = pendulum.datetime(year, 1, 9, 10, 0, tz=_TZ)
    for n in range(count):
        kind = rng.choice((CardKind.INCOMING, CardKind.INCOMING, CardKind.OUTGOING))
        at = start.add(days=rng.randrange(0, 350), minutes=rng.randrange(0, 480))
        executor = rng.choice(executors)
        party = Correspondent(rng.choice(_CORRESPONDENTS))
        fields: dict[str, Any] = {}
        if kind is CardKind.INCOMING:
            fields = {
                "document_kind": "Письмо",
                "correspondents": (party,),
                "received_on": at.date(),
                "delivery_method": rng.choice(_CHANNELS),
            }
        else:
            fields = {
                "document_kind": "Письмо",
                "addressees": (party,),
                "signatories": (Signatory("Иванов И.И.", "Министр"),),
                "delivery_method": rng.choice(_CHANNELS[:3]),
            }
        details = CardDetails(
            kind=kind,
            summary="О предоставлении информации",
            executor_id=executor.id,
            department_id=rng.choice(departments).id,
            access=AccessMark.DSP if rng.random() < 0.05 else AccessMark.OPEN,
            **fields,
        )
        journal = journals[kind]
        yield RegistrationCard(
            id=f"{org.id}-c{n:07d}",
            organisation_id=org.id,
            registration=Registration(journal.id, f"{journal.code}-{n + 1}", at.date(), year),
            details=details,
            registered_at=at,
            registered_by="import",
        )


def _assignment(rng: random.Random, card: RegistrationCard, executor: Official) -> Assignment:
    issued = card.registration.date
    due = issued.add(days=rng.randrange(5, 30))
    roll = rng.random()
    completed = None
    if roll < 0.6:
        completed = due.subtract(days=rng.randrange(0, 4))
    elif roll < 0.8:
        completed = due.add(days=rng.randrange(1, 10))
    return Assignment(
        id=f"{card.id}-a",
        organisation_id=card.organisation_id,
        card_id=card.id,
        resolution_id=f"{card.id}-r",
        author_id=executor.id,
        text="Подготовить ответ",
        executor_id=executor.id,
        issued_on=issued,
        due=due,
        deadline_set_by=executor.id,
        department_id=executor.department_id,
        on_control=True,
        controller_id=executor.id,
        state=AssignmentState.OPEN if completed is None else AssignmentState.DONE,
        completed_on=completed,
        closed_on=completed,
    )


def _dispatch(rng: random.Random, card: RegistrationCard, recipient: Organisation) -> Dispatch:
    sent = card.registered_at.add(hours=1)
    uid = new_id()
    roll = rng.random()
    delivered = None if roll < 0.15 else sent.add(minutes=rng.randrange(5, 600))
    state = DispatchState.SENT if delivered is None else DispatchState.DELIVERED
    registration = refusal = None
    if delivered is not None and roll > 0.9:
        state = DispatchState.REFUSED
        refusal = Refusal(RefusalReason.ADDRESSING_ERROR, delivered.add(hours=2))
    elif delivered is not None and roll > 0.4:
        state = DispatchState.REGISTERED
        registration = TheirRegistration("вх-1", delivered.date(), delivered.add(hours=3))
    return Dispatch(
        id=f"{card.id}-d",
        organisation_id=card.organisation_id,
        card_id=card.id,
        document_uid=uid,
        recipient=recipient.medo_id or uid,
        recipient_id=recipient.id,
        recipient_name=recipient.short_name,
        attempts=(Attempt(1, new_id(), sent, delivered),),
        state=state,
        registration=registration,
        refusal=refusal,
    )


def build_region(
    storage: Any,
    *,
    bodies: int = 3,
    institutions: int = 2,
    cards_per_organisation: int = 60,
    seed: int = 2026,
    year: int = 2026,
    with_demo_day: bool = False,
) -> AnalyticsRegion:
    """Write a region's organisations, staff and a year of records into ``storage``; with
    ``with_demo_day`` the demo's ministry and its day (approval, appeals) join the region."""
    rng = random.Random(seed)
    organisations = _organisations(bodies, institutions)
    if with_demo_day:
        organisations.append(_demo_day(storage))
    bodies_list = [o for o in organisations if o.medo_id]
    reader = User(
        id="region-head",
        login="region.head",
        organisation_id="region",
        clearance=Clearance.NONE,
        roles=(RoleGrant("head"),),
    )
    n_cards = n_assignments = 0
    with storage.unit_of_work() as uow:
        for org in organisations:
            uow.directory.put_organisation(org)
        uow.directory.put_user(reader)
        uow.commit()
    for org in organisations:
        departments = [
            Department(f"{org.id}-dep{i}", org.id, f"0{i + 1}", f"Отдел {i + 1}") for i in range(2)
        ]
        officials = [
            Official(
                f"{org.id}-off{i}",
                org.id,
                PersonName(_SURNAMES[(i + len(org.id)) % len(_SURNAMES)], "Анна", "Петровна"),
                "Специалист",
                departments[i % 2].id,
            )
            for i in range(3)
        ]
        journals = {
            kind: Journal(
                id=f"{org.id}-{code}",
                organisation_id=org.id,
                code=code,
                name=name,
                template=code + "-{seq}",
                kinds={kind},
            )
            for kind, code, name in (
                (CardKind.INCOMING, "ВХ", "Входящие документы"),
                (CardKind.OUTGOING, "ИСХ", "Исходящие документы"),
            )
        }
        cards = list(
            _cards(rng, org, journals, officials, departments, cards_per_organisation, year)
        )
        assignments = [
            _assignment(rng, c, rng.choice(officials))
            for c in cards
            if c.details.kind is CardKind.INCOMING
        ]
        dispatches = [
            _dispatch(rng, c, rng.choice(bodies_list))
            for c in cards
            if c.details.kind is CardKind.OUTGOING
            and c.details.delivery_method is DeliveryMethod.MEDO
            and bodies_list
        ]
        with storage.unit_of_work() as uow:
            uow.import_records("departments", departments)
            uow.import_records("officials", officials)
            uow.import_records("journals", list(journals.values()))
            uow.import_records("cards", cards)
            uow.import_records("assignments", assignments)
            uow.import_records("dispatches", dispatches)
            uow.commit()
        n_cards += len(cards)
        n_assignments += len(assignments)
    supervision = {
        o.id: [x.id for x in organisations if _under(x, o, organisations)] for o in organisations
    }
    policy = AccessPolicy.strict(supervision={k: v for k, v in supervision.items() if v})
    clock = FixedClock(pendulum.datetime(year, 12, 20, 12, 0, tz=_TZ))
    return AnalyticsRegion(tuple(organisations), reader, policy, clock, n_cards, n_assignments)


def _demo_day(storage: Any) -> Organisation:
    """Run the demo's day on ``storage``; its ministry, put under the region's office."""
    import io

    from edmscore import demo
    from edmscore.demo._approval import approval_section
    from edmscore.records import RecordsService

    clock = FixedClock(demo._DAY)
    setup = demo._set_up(storage, clock)
    cards = demo._register_day(RecordsService(storage, clock), clock, setup)
    out = io.StringIO()
    demo._control_summary(storage, clock, setup, cards, out)
    approval_section(
        storage,
        clock,
        setup.admin_user,
        setup.minister,
        setup.lawyer,
        setup.journals["ИСХ"].id,
        setup.cases["01-05"].id,
        out,
    )
    demo._appeals(storage, clock, setup)
    ministry = attrs.evolve(setup.organisation, parent_id="region")
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(ministry)
        uow.commit()
    return ministry


def _under(child: Organisation, parent: Organisation, everything: list[Organisation]) -> bool:
    by_id = {o.id: o for o in everything}
    current = child.parent_id
    while current is not None:
        if current == parent.id:
            return True
        current = by_id[current].parent_id if current in by_id else None
    return False
