"""A stored organisation with a 2019 nomenclature, cards filed into its cases, and services."""

from __future__ import annotations

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessPolicy
from edmscore.archive import ArchiveService
from edmscore.clock import FixedClock
from edmscore.directory import User
from edmscore.records import AdminService
from edmscore.registry import RegistrationCard
from edmscore.registry.nomenclature import Case, Nomenclature, NomenclatureSection
from edmscore.registry.retention import parse_retention
from edmscore.testing import World, make_card, make_world, store_world
from tests._adapters import AnyStorage

#: «Now» for the scene: spring 2026, so terms that ran out by 01.01.2026 can be destroyed.
NOW = pendulum.datetime(2026, 3, 2, 9, 30, tz="Asia/Yakutsk")

#: index → (title, retention notation)
CASES = {
    "01-01": ("Приказы по основной деятельности", "Постоянно ст. 19а"),
    "01-02": ("Протоколы совещаний у министра", "15 лет ЭПК ст. 18д"),
    "01-05": ("Переписка с органами власти", "5 лет ЭПК ст. 50"),
    "01-07": ("Журналы регистрации входящих документов", "3 года ст. 258г"),
    "02-03": ("Обращения граждан", "5 лет ЭПК ст. 154"),
    "02-04": ("Договоры аренды", "1 год ст. 26"),
    "03-01": ("Личные дела сотрудников", "50 лет ЭПК ст. 445"),
}


@attrs.define
class Scene:
    storage: AnyStorage
    world: World
    archivist: User
    nomenclature: Nomenclature
    cards: dict[str, list[RegistrationCard]]
    archive: ArchiveService
    admin: AdminService

    def case_id(self, index: str) -> str:
        return self.nomenclature.case_by_index(index).id


def build_scene(
    storage: AnyStorage, *, year: int = 2019, per_case: int = 3, strict: bool = False
) -> Scene:
    """Store the world, an archivist, the nomenclature of ``year`` and ``per_case`` cards a case."""
    world = store_world(storage, make_world())
    org = world.organisation.id
    archivist = User(new_id(), "archivist", org, None, roles=("archivist",))
    sections = (
        NomenclatureSection("01", "Отдел делопроизводства"),
        NomenclatureSection("02", "Правовой отдел"),
        NomenclatureSection("03", "Отдел кадров"),
    )
    cases = tuple(
        Case(new_id(), index, title, index[:2], parse_retention(notation))
        for index, (title, notation) in CASES.items()
    )
    nomenclature = Nomenclature(new_id(), org, year, sections, cases)
    cards: dict[str, list[RegistrationCard]] = {}
    with storage.unit_of_work() as uow:
        uow.directory.put_user(archivist)
        uow.nomenclatures.add(nomenclature)
        serial = 0
        for case in cases:
            for n in range(per_case):
                serial += 1
                at = pendulum.datetime(year, 1 + n % 12, 1 + serial % 28, 10, tz="Asia/Yakutsk")
                card = make_card(
                    world.journal.id, f"вх-{serial}", organisation_id=org, registered_at=at,
                    period=year, summary=f"Документ {serial} по делу {case.index}",
                )  # fmt: skip
                details = attrs.evolve(card.details, case_id=case.id, case_index=case.index,
                                       sheets=1 + serial % 4)  # fmt: skip
                card = attrs.evolve(card, details=details)
                uow.cards.add(card)
                cards.setdefault(case.index, []).append(card)
        uow.commit()
    clock = FixedClock(NOW)
    policy = AccessPolicy.strict() if strict else None
    archive = ArchiveService(storage, clock, policy=policy)
    admin = AdminService(storage, clock, policy=policy)
    return Scene(storage, world, archivist, nomenclature, cards, archive, admin)
