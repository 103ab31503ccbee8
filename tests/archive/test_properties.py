"""Properties of the year-end run: every case ends in one state, nothing destroyed early."""

from __future__ import annotations

import contextlib

import attrs
import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore._ids import new_id
from edmscore.archive import (
    ArchiveService,
    CaseState,
    Commission,
    CommissionApproval,
    InventoryKind,
    in_words,
)
from edmscore.clock import FixedClock
from edmscore.directory import User
from edmscore.errors import StateError
from edmscore.registry.nomenclature import Case, Nomenclature, NomenclatureSection
from edmscore.registry.retention import parse_retention
from edmscore.storage import MemoryStorage
from edmscore.testing import make_card, make_world, store_world

NOTATIONS = ("Постоянно", "1 год", "3 года", "5 лет ЭПК", "10 лет", "15 лет", "50 лет ЭПК")
APPROVAL = CommissionApproval(Commission.EK, pendulum.date(2021, 2, 1), "1")

case_specs = st.lists(
    st.tuples(
        st.sampled_from(NOTATIONS),
        st.integers(0, 3),  # cards filed
        st.booleans(),  # legal hold
        st.booleans(),  # a card on control
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(
    specs=case_specs,
    year=st.integers(2010, 2022),
    act_after=st.integers(0, 12),
    epk=st.booleans(),
)
def test_every_case_ends_in_exactly_one_state(
    specs: list[tuple[str, int, bool, bool]], year: int, act_after: int, epk: bool
) -> None:
    storage = MemoryStorage()
    world = store_world(storage, make_world())
    org = world.organisation.id
    archivist = User(new_id(), "archivist", org, None, roles=("archivist",))
    cases = tuple(
        Case(new_id(), f"01-{n}", f"Дело {n}", "01", parse_retention(notation))
        for n, (notation, _, _, _) in enumerate(specs, 1)
    )
    nomenclature = Nomenclature(new_id(), org, year, (NomenclatureSection("01", "Отдел"),), cases)
    with storage.unit_of_work() as uow:
        uow.directory.put_user(archivist)
        uow.nomenclatures.add(nomenclature)
        serial = 0
        for case, (_, count, _, control) in zip(cases, specs, strict=True):
            for n in range(count):
                serial += 1
                at = pendulum.datetime(year, 1 + n, 10, 10, tz="Asia/Yakutsk")
                card = make_card(world.journal.id, f"{serial}", organisation_id=org,
                                 registered_at=at, period=year)  # fmt: skip
                details = attrs.evolve(
                    card.details,
                    case_id=case.id,
                    case_index=case.index,
                    on_control=control and n == 0,
                )
                uow.cards.add(attrs.evolve(card, details=details))
        uow.commit()
    now = pendulum.datetime(year + 1 + act_after, 6, 1, 12, tz="Asia/Yakutsk")
    service = ArchiveService(storage, FixedClock(now))
    for case, (_, _, hold, _) in zip(cases, specs, strict=True):
        if hold:
            service.place_hold(archivist, case.id, "Запрос суда")
    run = service.year_end(archivist, year, id_prefix="y", act_year=now.year)
    for inventory in run.inventories:
        if inventory.kind is InventoryKind.PERMANENT:
            service.approve_inventory(archivist, inventory.id, APPROVAL)
    agreement = APPROVAL if epk else None
    if run.act is None:
        with contextlib.suppress(StateError):  # nothing has run out
            service.draw_up_act(archivist, "act", now.year, number="1", agreement=agreement)
    acts = []
    for act in service.acts(archivist):
        service.approve_act(archivist, act.id, approved_by="Петров П.П.", on=now.date())
        acts.append(service.destroy(archivist, act.id))

    files = {c.case_id: c for c in service.case_files(archivist)}
    assert set(files) == {c.id for c in cases}  # every case of the nomenclature has its file
    listed_in_inventory = {r.case_id for i in run.inventories for r in i.rows}
    listed_in_act = {r.case_id for act in acts for r in act.rows}
    for case_id, case_file in files.items():
        buckets = [
            case_file.state in (CaseState.OPEN, CaseState.CLOSED),  # still with the office
            case_file.state is CaseState.INVENTORIED,
            case_file.state in (CaseState.SELECTED, CaseState.DESTROYED),
            case_file.state is CaseState.TRANSFERRED,
        ]
        assert sum(buckets) == 1
        assert (case_id in listed_in_act) == (case_file.state is CaseState.DESTROYED)
        if case_file.state is CaseState.INVENTORIED:
            assert case_id in listed_in_inventory
        if case_file.state is CaseState.DESTROYED:
            disposal = case_file.disposal_year
            assert disposal is not None and disposal <= now.year  # never early
            assert case_file.hold is None and not case_file.under_control
            assert not case_file.retention.epk or (epk and run.act is None)


@given(st.integers(0, 999_999_999))
def test_numbers_in_words_are_words(number: int) -> None:
    words = in_words(number)
    assert words and not any(ch.isdigit() for ch in words)
    assert ("тысяч" in words) == (number % 1_000_000 >= 1000)
