"""Plain builders of a small valid world (organisation, people, journals, cards) for tests.

No hypothesis here: the contract suite and examples use these directly; the strategies in
:mod:`edmscore.testing.strategies` generate the same kinds of values at random.
"""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.directory import Clearance, Department, Official, Organisation, PersonName, User
from edmscore.records.ports import Storage
from edmscore.registry import (
    AccessMark,
    CardDetails,
    CardKind,
    Case,
    Correspondent,
    Journal,
    Nomenclature,
    NomenclatureSection,
    Registration,
    RegistrationCard,
    Signatory,
    parse_retention,
)

__all__ = [
    "World",
    "make_card",
    "make_details",
    "make_nomenclature",
    "make_world",
    "store_world",
]

_counter = itertools.count(1)


@attrs.frozen
class World:
    """A small organisation: two departments, two officials, a clerk, a cleared and a plain user."""

    organisation: Organisation
    departments: tuple[Department, ...]
    officials: tuple[Official, ...]
    clerk: User
    cleared: User
    plain: User
    journal: Journal


def make_world(organisation_id: str | None = None, timezone: str = "Asia/Yakutsk") -> World:
    """Build (but do not store) a :class:`World`."""
    org_id = organisation_id or new_id()
    organisation = Organisation(
        id=org_id,
        name="Министерство цифрового развития Амурской области",
        short_name="Минцифры АО",
        inn="2801100402",
        timezone=timezone,
        code="МЦР",
        medo_id=f"medo-{org_id[:8]}",
    )
    departments = (
        Department(new_id(), org_id, "01", "Отдел делопроизводства"),
        Department(new_id(), org_id, "02", "Правовой отдел"),
    )
    officials = (
        Official(
            new_id(), org_id, PersonName("Петров", "Пётр", "Петрович"), "Министр", departments[0].id
        ),
        Official(
            new_id(),
            org_id,
            PersonName("Сидорова", "Анна", "Ивановна"),
            "Начальник правового отдела",
            departments[1].id,
        ),
    )
    clerk = User(new_id(), f"clerk{next(_counter)}", org_id, officials[1].id, Clearance.DSP)
    cleared = User(new_id(), f"cleared{next(_counter)}", org_id, None, Clearance.DSP)
    plain = User(new_id(), f"plain{next(_counter)}", org_id, None, Clearance.NONE)
    journal = Journal(
        id=new_id(),
        organisation_id=org_id,
        code="ВХ",
        name="Входящие документы",
        template="вх-{seq}",
        kinds={CardKind.INCOMING},
    )
    return World(organisation, departments, officials, clerk, cleared, plain, journal)


def store_world(storage: Storage, world: World) -> World:
    """Store the world's organisation, departments, officials, users and journal; return it."""
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(world.organisation)
        for department in world.departments:
            uow.directory.put_department(department)
        for official in world.officials:
            uow.directory.put_official(official)
        for user in (world.clerk, world.cleared, world.plain):
            uow.directory.put_user(user)
        uow.journals.add(world.journal)
        uow.commit()
    return world


def make_details(
    kind: CardKind = CardKind.INCOMING,
    *,
    summary: str = "О предоставлении информации",
    access: AccessMark = AccessMark.OPEN,
    received_on: pendulum.Date | None = None,
    access_list: frozenset[str] = frozenset(),
) -> CardDetails:
    """Valid details of ``kind`` with the fields that kind requires."""
    from edmscore.directory import PersonName as _Name
    from edmscore.registry import Applicant

    received = received_on or pendulum.Date(2026, 3, 2)
    common: dict[str, Any] = {"summary": summary, "access": access, "access_list": access_list}
    if kind is CardKind.INCOMING:
        return CardDetails(
            kind=kind,
            document_kind="Письмо",
            correspondents=(Correspondent("Министерство финансов Российской Федерации"),),
            sender_number="01-02/123",
            sender_date=received.subtract(days=1),
            received_on=received,
            **common,
        )
    if kind is CardKind.OUTGOING:
        return CardDetails(
            kind=kind,
            document_kind="Письмо",
            addressees=(Correspondent("Администрация города Благовещенска"),),
            signatories=(Signatory("Петров П.П.", "Министр"),),
            **common,
        )
    if kind is CardKind.INTERNAL:
        return CardDetails(
            kind=kind,
            document_kind="Приказ",
            signatories=(Signatory("Петров П.П.", "Министр"),),
            **common,
        )
    if kind is CardKind.APPEAL:
        return CardDetails(
            kind=kind,
            document_kind="Обращение",
            applicants=(Applicant(_Name("Дмитриев", "Олег", "Сергеевич")),),
            **common,
        )
    return CardDetails(kind=kind, document_kind="Проект письма", **common)


def make_card(
    journal_id: str,
    number: str,
    *,
    organisation_id: str = "org",
    kind: CardKind = CardKind.INCOMING,
    registered_at: pendulum.DateTime | None = None,
    access: AccessMark = AccessMark.OPEN,
    access_list: frozenset[str] = frozenset(),
    summary: str = "О предоставлении информации",
    period: int = 2026,
    card_id: str | None = None,
) -> RegistrationCard:
    """A valid stored-shape card, for adapter tests that bypass the service layer."""
    at = registered_at or pendulum.datetime(2026, 3, 2, 10, 0, tz="Asia/Yakutsk")
    day = at.date()
    return RegistrationCard(
        id=card_id or new_id(),
        organisation_id=organisation_id,
        registration=Registration(journal_id, number, day, period, None),
        details=make_details(
            kind, summary=summary, access=access, received_on=day, access_list=access_list
        ),
        registered_at=at,
        registered_by="user",
    )


def make_nomenclature(organisation_id: str, year: int = 2026) -> Nomenclature:
    """A small valid nomenclature: two sections, three cases with standard retention periods."""
    sections = (
        NomenclatureSection("01", "Отдел делопроизводства"),
        NomenclatureSection("02", "Правовой отдел"),
    )
    cases = (
        Case(
            new_id(),
            "01-01",
            "Приказы по основной деятельности",
            "01",
            parse_retention("Постоянно"),
        ),
        Case(new_id(), "01-05", "Переписка с органами власти", "01", parse_retention("5 лет ЭПК")),
        Case(new_id(), "02-03", "Обращения граждан", "02", parse_retention("5 лет ЭПК ст. 154")),
    )
    return Nomenclature(new_id(), organisation_id, year, sections, cases)
