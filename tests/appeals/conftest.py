"""A small organisation with appeal journals, on each storage adapter, with a fixed clock."""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
import pytest

from edmscore.appeals import (
    AppealRequest,
    AppealsService,
    Author,
    QuestionRequest,
    sample_topics,
)
from edmscore.calendar import russian_calendar
from edmscore.clock import FixedClock
from edmscore.directory import PersonName
from edmscore.registry import CardKind, Journal
from edmscore.testing import World, make_world
from tests._adapters import AnyStorage

T0 = pendulum.datetime(2026, 3, 2, 10, 0, tz="Asia/Yakutsk")
TOPIC = "0003.0001.0001.0001"
SSTU_ID = "5b2f7c1e-0d4a-4e8b-9a61-2f3c4d5e6f70"
OTHER_ID = "8c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"


@attrs.frozen
class Env:
    storage: AnyStorage
    clock: FixedClock
    world: World
    service: AppealsService
    letters: Journal
    regional: Journal


def build_env(storage: AnyStorage) -> Env:
    """Store the organisation and its appeal journals in ``storage`` (fresh and empty)."""
    world = make_world()
    org = world.organisation.id
    letters = Journal("j-og", org, "ОГ", "Обращения граждан", "{letter}/{seq}", {CardKind.APPEAL})
    regional = Journal(
        "j-po", org, "ПО", "Обращения (региональный)", "ПО-{seq}/{topic}", {CardKind.APPEAL}
    )
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(world.organisation)
        for department in world.departments:
            uow.directory.put_department(department)
        for official in world.officials:
            uow.directory.put_official(official)
        for user in (world.clerk, world.cleared, world.plain):
            uow.directory.put_user(user)
        uow.journals.add(letters)
        uow.journals.add(regional)
        uow.commit()
    clock = FixedClock(T0)
    service = AppealsService(storage, russian_calendar(), clock, classifier=sample_topics())
    return Env(storage, clock, world, service, letters, regional)


@pytest.fixture
def env(storage: AnyStorage) -> Env:
    return build_env(storage)


def citizen(
    surname: str = "Дмитриев", address: str = "676930, с. Ивановка, ул. Ленина, 5"
) -> Author:
    return Author(PersonName(surname, "Олег", "Сергеевич"), address, social_status="Пенсионер")


def request(env: Env, **changes: Any) -> AppealRequest:
    base: dict[str, Any] = {
        "journal_id": env.letters.id,
        "authors": (citizen(),),
        "questions": (QuestionRequest(TOPIC, "О качестве мобильной связи"),),
        "received_on": T0.date(),
    }
    base.update(changes)
    return AppealRequest(**base)
