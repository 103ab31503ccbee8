"""The archive's use cases on every adapter: year end, inventories, acts, holds, destruction."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore.archive import (
    ActState,
    BlockReason,
    CaseState,
    Commission,
    CommissionApproval,
    InventoryKind,
)
from edmscore.errors import ArchiveStateError, PermissionDenied, StateError
from edmscore.records import CardQuery, RecordsService
from edmscore.registry import CardStatus
from tests._adapters import AnyStorage

from ._scene import Scene, build_scene

APPROVAL = CommissionApproval(
    Commission.EPK, pendulum.date(2020, 3, 12), "3", "Управления архивами"
)


@pytest.fixture
def scene(storage: AnyStorage) -> Scene:
    return build_scene(storage)


def _inventories(scene: Scene) -> dict[InventoryKind, str]:
    ids = {}
    for kind in InventoryKind:
        inventory_id = f"inv-{kind.value}"
        ids[kind] = scene.archive.draw_up_inventory(scene.archivist, inventory_id, kind, 2019).id
    return ids


def test_close_year_closes_every_case_with_its_documents(scene: Scene) -> None:
    closing = scene.archive.close_year(scene.archivist, 2019)
    assert len(closing.closed) == len(scene.nomenclature.cases)
    assert closing.carried_over == ()
    for case in closing.closed:
        assert case.state is CaseState.CLOSED
        assert case.closed_on == pendulum.date(2019, 12, 31)
        filed = scene.cards[case.index]
        assert {d.card_id for d in case.documents} == {c.id for c in filed}
        assert case.sheets == sum(c.details.sheets for c in filed)
    with scene.storage.unit_of_work() as uow:
        stored, _ = uow.nomenclatures.get(scene.nomenclature.id)
    assert all(c.closed_on == pendulum.date(2019, 12, 31) for c in stored.cases)
    again = scene.archive.close_year(scene.archivist, 2019)  # nothing left open
    assert again.closed == again.carried_over == ()
    with pytest.raises(StateError):
        scene.archive.draw_up_inventory(scene.archivist, "x", InventoryKind.PERMANENT, 2020)


def test_carried_over_case_stays_open(storage: AnyStorage) -> None:
    scene = build_scene(storage)
    case = scene.nomenclature.case_by_index("01-05")
    carried = attrs.evolve(case, carried_over_to=2020)
    nomenclature = attrs.evolve(
        scene.nomenclature,
        cases=tuple(carried if c.id == case.id else c for c in scene.nomenclature.cases),
    )
    with storage.unit_of_work() as uow:
        _, version = uow.nomenclatures.get(nomenclature.id)
        uow.nomenclatures.update(nomenclature, version)
        uow.commit()
    closing = scene.archive.close_year(scene.archivist, 2019)
    assert [c.index for c in closing.carried_over] == ["01-05"]
    assert closing.carried_over[0].state is CaseState.OPEN
    assert closing.carried_over[0].remark == "Переходящее на 2020 г."
    assert "01-05" not in {c.index for c in closing.closed}


def test_inventories_per_kind_with_the_forms_columns_and_note(scene: Scene) -> None:
    scene.archive.close_year(scene.archivist, 2019)
    ids = _inventories(scene)
    permanent = scene.archive.inventory(scene.archivist, ids[InventoryKind.PERMANENT])
    assert [r.index for r in permanent.rows] == ["01-01"]
    assert len(permanent.headers) == 6 and "Срок хранения" not in " ".join(permanent.headers)
    assert permanent.title == "Опись № 1 дел постоянного хранения за 2019 год"
    assert permanent.closing_note == (
        "В данный раздел описи внесено 1 (одно) дело с № 1 по № 1, в том числе: "
        "литерные номера: нет; пропущенные номера: нет."
    )
    over_10 = scene.archive.inventory(scene.archivist, ids[InventoryKind.OVER_10])
    assert [r.index for r in over_10.rows] == ["01-02"]
    assert over_10.rows[0].cells(over_10.kind)[4] == "15 лет ЭПК ст. 18д"
    personnel = scene.archive.inventory(scene.archivist, ids[InventoryKind.PERSONNEL])
    assert [r.index for r in personnel.rows] == ["03-01"]
    states = {c.index: c.state for c in scene.archive.case_files(scene.archivist)}
    assert states == {
        "01-01": CaseState.INVENTORIED, "01-02": CaseState.INVENTORIED,
        "03-01": CaseState.INVENTORIED, "01-05": CaseState.CLOSED, "01-07": CaseState.CLOSED,
        "02-03": CaseState.CLOSED, "02-04": CaseState.CLOSED,
    }  # fmt: skip


def test_act_needs_the_approved_permanent_inventory(scene: Scene) -> None:
    scene.archive.close_year(scene.archivist, 2019)
    ids = _inventories(scene)
    with pytest.raises(StateError, match="2019"):
        scene.archive.draw_up_act(scene.archivist, "act", 2026, number="1")
    scene.archive.approve_inventory(scene.archivist, ids[InventoryKind.PERMANENT], APPROVAL)
    act, blocked = scene.archive.draw_up_act(scene.archivist, "act", 2026, number="1")
    assert [r.index for r in act.rows] == ["01-07", "02-04"]
    assert {(b.index, b.reason) for b in blocked} == {
        ("01-05", BlockReason.NEEDS_EPK),
        ("02-03", BlockReason.NEEDS_EPK),
    }
    assert act.total_line == "Итого 2 (два) дела за 2019 год."
    assert act.rows[0].cells()[3] == "Номенклатура дел за 2019 г."
    assert act.rows[0].cells()[6] == "3 года ст. 258г"
    assert "№ 1 (дел постоянного хранения)" in act.inventories_line


def test_epk_agreement_admits_marked_cases(scene: Scene) -> None:
    scene.archive.close_year(scene.archivist, 2019)
    ids = _inventories(scene)
    scene.archive.approve_inventory(scene.archivist, ids[InventoryKind.PERMANENT], APPROVAL)
    act, blocked = scene.archive.draw_up_act(
        scene.archivist, "act", 2026, number="1", agreement=APPROVAL
    )
    assert [r.index for r in act.rows] == ["01-05", "01-07", "02-03", "02-04"]
    assert blocked == ()
    assert act.total_line == "Итого 4 (четыре) дела за 2019 год."
    assert "с ЭПК Управления архивами (протокол от 12.03.2020 № 3)" in act.inventories_line


def test_nothing_selected_before_its_term(scene: Scene) -> None:
    scene.archive.close_year(scene.archivist, 2019)
    ids = _inventories(scene)
    scene.archive.approve_inventory(scene.archivist, ids[InventoryKind.PERMANENT], APPROVAL)
    act, _ = scene.archive.draw_up_act(scene.archivist, "act", 2022, number="1")
    assert [r.index for r in act.rows] == ["02-04"]  # 1 year: ran out 01.01.2021; 3 years: 2023
    with pytest.raises(StateError):
        scene.archive.draw_up_act(scene.archivist, "act-2", 2020, number="2")


def test_legal_hold_and_open_control_block_destruction(scene: Scene) -> None:
    scene.archive.close_year(scene.archivist, 2019)
    ids = _inventories(scene)
    scene.archive.approve_inventory(scene.archivist, ids[InventoryKind.PERMANENT], APPROVAL)
    scene.archive.place_hold(scene.archivist, scene.case_id("01-07"), "Запрос суда № 2-15/2026")
    card = scene.cards["02-04"][0]
    with scene.storage.unit_of_work() as uow:
        stored = uow.cards.get(card.id)
        uow.cards.update(
            attrs.evolve(stored, details=attrs.evolve(stored.details, on_control=True)),
            stored.version,
        )
        uow.commit()
    with pytest.raises(StateError):
        scene.archive.draw_up_act(scene.archivist, "act", 2026, number="1")
    selection = scene.archive.candidates(scene.archivist, 2026)
    assert {(b.index, b.reason) for b in selection.blocked} >= {
        ("01-07", BlockReason.LEGAL_HOLD),
        ("02-04", BlockReason.OPEN_CONTROL),
    }
    scene.archive.lift_hold(scene.archivist, scene.case_id("01-07"))
    act, _ = scene.archive.draw_up_act(scene.archivist, "act", 2026, number="1")
    assert [r.index for r in act.rows] == ["01-07"]
    # a hold placed after the act still stops the destruction
    scene.archive.approve_act(scene.archivist, "act", approved_by="Петров П.П.",
                              on=pendulum.date(2026, 3, 1))  # fmt: skip
    scene.archive.place_hold(scene.archivist, scene.case_id("01-07"), "Проверка прокуратуры")
    with pytest.raises(ArchiveStateError, match="legal hold"):
        scene.archive.destroy(scene.archivist, "act")
    assert scene.archive.act(scene.archivist, "act").state is ActState.APPROVED


def test_destruction_marks_cases_and_cards(scene: Scene) -> None:
    scene.archive.close_year(scene.archivist, 2019)
    ids = _inventories(scene)
    scene.archive.approve_inventory(scene.archivist, ids[InventoryKind.PERMANENT], APPROVAL)
    scene.archive.draw_up_act(scene.archivist, "act", 2026, number="1")
    with pytest.raises(StateError):  # not approved yet
        scene.archive.destroy(scene.archivist, "act")
    scene.archive.approve_act(scene.archivist, "act", approved_by="Петров П.П.",
                              on=pendulum.date(2026, 3, 1))  # fmt: skip
    done = scene.archive.destroy(scene.archivist, "act", remove_files=True)
    assert done.state is ActState.EXECUTED
    assert done.executed_by == scene.archivist.id and done.files_removed
    states = {c.index: c.state for c in scene.archive.case_files(scene.archivist)}
    assert states["01-07"] is states["02-04"] is CaseState.DESTROYED
    card = scene.cards["01-07"][0]
    history = RecordsService(scene.storage).history(scene.world.clerk, card.id)
    marks = [e for e in history if e.action == "card.destroyed"]
    assert len(marks) == 1 and marks[0].actor_id == scene.archivist.id
    assert marks[0].note == "акт № 1"
    with pytest.raises(StateError):
        scene.archive.destroy(scene.archivist, "act")


def test_roles_decide_who_keeps_the_archive(storage: AnyStorage) -> None:
    scene = build_scene(storage, strict=True)
    with pytest.raises(PermissionDenied):
        scene.archive.close_year(scene.world.plain, 2019)
    closing = scene.archive.close_year(scene.archivist, 2019)
    assert closing.closed


def test_deleted_cards_are_for_archivists(storage: AnyStorage) -> None:
    scene = build_scene(storage, strict=False)
    card = scene.cards["01-01"][0]
    records = RecordsService(storage)
    records.delete(scene.world.clerk, card.id, card.version, "Зарегистрирована ошибочно")
    page = scene.archive.deleted_cards(scene.archivist, CardQuery(limit=10))
    assert [c.id for c in page.items] == [card.id]
    assert page.items[0].status is CardStatus.DELETED
    strict = build_scene(storage, strict=True)
    with pytest.raises(PermissionDenied):
        strict.archive.deleted_cards(strict.world.plain, CardQuery())
