"""Property: with transfers, every case of the nomenclature ends in exactly one of: still with
the office (open or closed), in an inventory, in a destruction act, transferred."""

from __future__ import annotations

import contextlib

import attrs
import pendulum
from hypothesis import example, given, settings
from hypothesis import strategies as st

from edmscore._ids import new_id
from edmscore.archive import (
    ArchiveService,
    CaseState,
    Commission,
    CommissionApproval,
    InventoryKind,
    TransferDestination,
    TransferService,
    TransferState,
)
from edmscore.clock import FixedClock
from edmscore.directory import User
from edmscore.errors import ArchiveStateError, StateError
from edmscore.registry.nomenclature import Case, Nomenclature, NomenclatureSection
from edmscore.registry.retention import parse_retention
from edmscore.storage import MemoryStorage
from edmscore.testing import make_card, make_world, store_world

NOTATIONS = ("Постоянно", "1 год", "5 лет ЭПК", "10 лет", "15 лет", "50 лет ЭПК")
EPK = CommissionApproval(Commission.EPK, pendulum.date(2021, 2, 1), "1")


@settings(max_examples=60, deadline=None)
@example(  # to the organisation's archive, then the state archive; a held case stays behind
    notations=["Постоянно", "Постоянно", "15 лет", "1 год"], held={1}, year=2010, after=12,
    transfer_kinds=set(InventoryKind), to_state=True, approve=True,
)  # fmt: skip
@example(  # to the state archive straight from the office
    notations=["Постоянно", "50 лет ЭПК"], held=set(), year=2012, after=11,
    transfer_kinds={InventoryKind.PERSONNEL}, to_state=True, approve=True,
)  # fmt: skip
@given(
    notations=st.lists(st.sampled_from(NOTATIONS), min_size=1, max_size=7),
    held=st.sets(st.integers(0, 6), max_size=2),
    year=st.integers(2008, 2022),
    after=st.sampled_from([0, 1, 2, 3, 5, 9, 10, 12]),
    transfer_kinds=st.sets(st.sampled_from(list(InventoryKind)), min_size=1),
    to_state=st.booleans(),
    approve=st.sampled_from([True, True, True, False]),
)
def test_every_case_ends_in_exactly_one_place(
    notations: list[str],
    held: set[int],
    year: int,
    after: int,
    transfer_kinds: set[InventoryKind],
    to_state: bool,
    approve: bool,
) -> None:
    storage = MemoryStorage()
    world = store_world(storage, make_world())
    org = world.organisation.id
    archivist = User(new_id(), "archivist", org, None, roles=("archivist",))
    cases = tuple(
        Case(new_id(), f"01-{n}", f"Дело {n}", "01", parse_retention(notation))
        for n, notation in enumerate(notations, 1)
    )
    nomenclature = Nomenclature(new_id(), org, year, (NomenclatureSection("01", "Отдел"),), cases)
    with storage.unit_of_work() as uow:
        uow.directory.put_user(archivist)
        uow.nomenclatures.add(nomenclature)
        for n, case in enumerate(cases, 1):
            card = make_card(
                world.journal.id,
                str(n),
                organisation_id=org,
                period=year,
                registered_at=pendulum.datetime(year, 3, 1, tz="Asia/Yakutsk"),
            )
            details = attrs.evolve(card.details, case_id=case.id, case_index=case.index)
            uow.cards.add(attrs.evolve(card, details=details))
        uow.commit()
    now = pendulum.datetime(year + 1 + after, 6, 1, 12, tz="Asia/Yakutsk")
    archive = ArchiveService(storage, FixedClock(now))
    transfers = TransferService(storage, FixedClock(now))
    for n, case in enumerate(cases):
        if n in held:
            archive.place_hold(archivist, case.id, "Запрос суда")
    run = archive.year_end(archivist, year, id_prefix="y", act_year=now.year)
    inventories = {i.kind: i for i in run.inventories}
    if approve:
        for inventory in run.inventories:
            archive.approve_inventory(archivist, inventory.id, EPK)
    accepted = []
    for kind in sorted(transfer_kinds & set(inventories), key=lambda k: k.value):
        with contextlib.suppress(ArchiveStateError, StateError):  # too early, held, unapproved
            act = transfers.draw_up(
                archivist,
                f"d-{kind.value}",
                TransferDestination.DEPARTMENTAL,
                [inventories[kind].id],
                number="1",
                archive_name="Архив",
            )
            accepted.append(transfers.accept(archivist, act.id, handed_over_by="А",
                                             accepted_by="Б"))  # fmt: skip
    if to_state and InventoryKind.PERMANENT in inventories:
        with contextlib.suppress(ArchiveStateError, StateError):
            act = transfers.draw_up(archivist, "s", TransferDestination.STATE,
                                    [inventories[InventoryKind.PERMANENT].id], number="2",
                                    archive_name="Госархив")  # fmt: skip
            accepted.append(transfers.accept(archivist, act.id, handed_over_by="А",
                                             accepted_by="В"))  # fmt: skip
    with contextlib.suppress(StateError):  # nothing has run out, or inventories unapproved
        archive.draw_up_act(archivist, "act", now.year, number="1", agreement=EPK)
    destroyed_in = set()
    for destruction in archive.acts(archivist):
        archive.approve_act(archivist, destruction.id, approved_by="Петров П.П.", on=now.date())
        destroyed_in |= {r.case_id for r in archive.destroy(archivist, destruction.id).rows}

    files = {c.case_id: c for c in archive.case_files(archivist)}
    assert set(files) == {c.id for c in cases}
    acts = {a.id: a for a in transfers.transfers(archivist)}
    assert all(a.state is TransferState.ACCEPTED for a in acts.values())
    listed = {r.case_id for i in run.inventories for r in i.rows}
    for case_id, file in files.items():
        places = [
            file.state in (CaseState.OPEN, CaseState.CLOSED),
            file.state is CaseState.INVENTORIED,
            file.state in (CaseState.SELECTED, CaseState.DESTROYED),
            file.state is CaseState.TRANSFERRED,
        ]
        assert sum(places) == 1
        transferred = file.state is CaseState.TRANSFERRED
        assert transferred == (file.transfer_id is not None)
        assert (case_id in destroyed_in) == (file.state is CaseState.DESTROYED)
        assert not (transferred and case_id in destroyed_in)
        if transferred:
            act = acts[str(file.transfer_id)]
            assert case_id in act.case_ids
            assert file.hold is None
            assert act.accepted_on is not None
            assert file.closed_on is not None and act.accepted_on >= file.closed_on.add(years=1)
            if act.destination is TransferDestination.STATE:
                permanent = archive.inventory(archivist, inventories[InventoryKind.PERMANENT].id)
                assert permanent.approval is not None
        if file.state is CaseState.INVENTORIED:
            assert case_id in listed
