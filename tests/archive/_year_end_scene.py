"""A fixed year-end scene, the same ids on every adapter, and what a run over it leaves behind.

The organisation has a 2018 nomenclature with cases carried over into 2019 and a 2019 one of
mixed retention periods: permanent, over 10 years, personnel, short terms, «ЭПК» marks, a case
already closed in the nomenclature, one carried over into 2020, one under a legal hold, one with
a card under control, one with no cards. Cards have enclosures, document dates, deleted ones.
A small volume limit makes the bigger cases run into volumes. :func:`run_year_end` runs the
year end as a host does (close, inventories, approval, the act, its approval, destruction) and
:func:`snapshot` reads everything back, so that two adapters (or two implementations) compare.
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from edmscore.archive import (
    ArchiveService,
    CaseState,
    Commission,
    CommissionApproval,
    InventoryKind,
    YearEnd,
)
from edmscore.clock import FixedClock
from edmscore.directory import User
from edmscore.registry import CardStatus, Enclosure, RegistrationCard
from edmscore.registry.nomenclature import Case, Nomenclature, NomenclatureSection
from edmscore.registry.retention import parse_retention
from edmscore.testing import World, make_card, make_world, store_world
from tests._adapters import AnyStorage

NOW = pendulum.datetime(2026, 3, 2, 9, 30, tz="Asia/Yakutsk")

NOTATIONS = (
    "Постоянно", "1 год", "3 года", "5 лет ЭПК", "5 лет", "10 лет", "15 лет ЭПК", "50 лет ЭПК",
    "75 лет ЭПК", "Постоянно ст. 19а", "До замены новыми", "3 года ст. 258г",
)  # fmt: skip


@attrs.frozen
class YearEndScene:
    """The objects stored by :func:`store_scene` (built once, stored on each adapter)."""

    world: World
    archivist: User
    nomenclatures: tuple[Nomenclature, ...]
    cards: tuple[RegistrationCard, ...]


def build_scene(cases: int = 36, cards: int = 400) -> YearEndScene:
    """The scene's objects, with fixed ids."""
    world = make_world("org-year-end")
    org = world.organisation.id
    archivist = User("archivist-1", "archivist", org, None, roles=("archivist",))
    sections = (NomenclatureSection("01", "Отдел делопроизводства"),)
    earlier = Nomenclature(
        "nom-2018", org, 2018, sections,
        (
            Case("c2018-1", "01-1", "Переписка о ремонте", "01", parse_retention("5 лет"),
                 carried_over_to=2019),
            Case("c2018-2", "01-2", "Протоколы ЭК", "01", parse_retention("Постоянно"),
                 carried_over_to=2019),
            Case("c2018-3", "01-3", "Журнал", "01", parse_retention("3 года")),
        ),
    )  # fmt: skip
    current: list[Case] = []
    for n in range(1, cases + 1):
        case = Case(
            f"c2019-{n:03}", f"01-{n}", f"Дело {n} о делах", "01",
            parse_retention(NOTATIONS[n % len(NOTATIONS)]),
        )  # fmt: skip
        if n == 5:
            case = attrs.evolve(case, carried_over_to=2020)
        if n == 6:
            case = attrs.evolve(case, closed_on=pendulum.date(2019, 6, 30))
        if n == 7:
            case = attrs.evolve(case, carried_over_from=2017, notes="Том 1 — в 2017 г.")
        current.append(case)
    nomenclature = Nomenclature("nom-2019", org, 2019, sections, tuple(current))
    following = Nomenclature(
        "nom-2020", org, 2020, sections,
        (Case("c2020-1", "01-1", "Переписка", "01", parse_retention("5 лет")),
         Case("c2020-2", "01-2", "Приказы", "01", parse_retention("Постоянно"))),
    )  # fmt: skip
    targets = [c.id for c in current if c.index != f"01-{cases}"]  # the last one stays empty
    targets += ["c2018-1", "c2018-2", "c2018-3"]
    filed: list[RegistrationCard] = []
    for n in range(cards):
        case_id = targets[n % len(targets)]
        at = pendulum.datetime(2019, 1 + n % 12, 1 + n * 7 % 28, 10, tz="Asia/Yakutsk")
        card = make_card(
            world.journal.id, f"{n % 37}-вх", organisation_id=org, registered_at=at,
            period=2019, card_id=f"card-{n:05}", summary=f"Письмо {n} о сведениях",
        )  # fmt: skip
        details = attrs.evolve(
            card.details,
            case_id=case_id,
            sheets=n % 6,
            enclosures=(Enclosure("Приложение", n % 4),) if n % 5 == 0 else (),
            document_date=at.date().subtract(days=n % 3) if n % 4 == 0 else None,
            on_control=case_id == "c2019-011" and n % 2 == 0,
        )
        status = CardStatus.DELETED if n % 41 == 0 else CardStatus.REGISTERED
        registration = attrs.evolve(card.registration, number=f"{n}-вх")
        filed.append(attrs.evolve(card, details=details, status=status, registration=registration))
    return YearEndScene(world, archivist, (earlier, nomenclature, following), tuple(filed))


def store_scene(storage: AnyStorage, scene: YearEndScene) -> None:
    """Store the scene's objects into an empty storage."""
    store_world(storage, scene.world)
    with storage.unit_of_work() as uow:
        uow.directory.put_user(scene.archivist)
        for nomenclature in scene.nomenclatures:
            uow.nomenclatures.add(nomenclature)
        for card in scene.cards:
            uow.cards.add(card)
        uow.commit()


def run_year_end(storage: AnyStorage, scene: YearEndScene) -> dict[str, Any]:
    """The whole year end over the stored scene; what each step returned."""
    service = ArchiveService(storage, FixedClock(NOW), volume_sheets=20)
    me = scene.archivist
    service.place_hold(me, "c2019-003", "Запрос суда № 2-15/2026")
    closing: YearEnd = service.year_end(me, 2019, id_prefix="ye", act_year=2026)
    approval = CommissionApproval(Commission.EPK, pendulum.date(2020, 3, 1), "1", "Архива")
    carried = service.draw_up_inventory(me, "inv-2018", InventoryKind.PERMANENT, 2018, number="2")
    approved = [
        service.approve_inventory(me, i.id, approval)
        for i in (*closing.inventories, carried)
        if i.kind is InventoryKind.PERMANENT
    ]
    agreement = CommissionApproval(Commission.EPK, pendulum.date(2026, 2, 20), "2", "Архива")
    act, blocked = service.draw_up_act(me, "act-1", 2026, number="1", agreement=agreement)
    executed = service.approve_act(me, act.id, approved_by="Петров П. П.", on=NOW.date())
    destroyed = service.destroy(me, act.id, remove_files=True)
    again = service.close_year(me, 2020)
    return {
        "closing": closing,
        "approved": approved,
        "act": act,
        "blocked": blocked,
        "executed": executed,
        "destroyed": destroyed,
        "next_year": again,
    }


def snapshot(storage: AnyStorage, scene: YearEndScene) -> dict[str, Any]:
    """Everything the year end leaves in storage, read back (decoded afresh from the database,
    not taken from what the SQL adapter keeps of the records it wrote or read)."""
    from edmscore.storage.sql._archive import _MEMO

    _MEMO.clear()
    org = scene.world.organisation.id
    with storage.unit_of_work() as uow:
        events = [
            (e.action, e.entity_type, e.entity_id, e.changes, e.note, e.actor_id, e.at)
            for _, e in uow.audit.events(limit=100_000)
        ]
        return {
            "case_files": list(uow.archive.case_files(org)),
            "states": {s: len(uow.archive.case_files(org, states=[s])) for s in CaseState},
            "inventories": list(uow.archive.inventories(org)),
            "acts": list(uow.archive.acts(org)),
            "nomenclatures": [uow.nomenclatures.get(n.id) for n in scene.nomenclatures],
            "cards": [uow.cards.get(c.id) for c in scene.cards],
            "audit": events,
        }
