"""Transfer to the organisation's and the state archive on every adapter: the acceptance act."""

from __future__ import annotations

import io

import pendulum
import pytest

from edmscore.archive import (
    CaseState,
    Commission,
    CommissionApproval,
    InventoryKind,
    TransferDestination,
    TransferService,
    TransferState,
)
from edmscore.archive.transfer_render import (
    transfer_docx,
    transfer_form,
    transfer_pdf,
    transfer_rows,
    transfer_xlsx,
)
from edmscore.clock import FixedClock
from edmscore.errors import ArchiveStateError, PermissionDenied, StateError
from tests._adapters import AnyStorage

from ._scene import NOW, Scene, build_scene

EK = CommissionApproval(Commission.EK, pendulum.date(2025, 2, 3), "1")
EPK = CommissionApproval(Commission.EPK, pendulum.date(2025, 3, 12), "3", "Управления архивами")
ARCHIVE = "Архив Министерства"


def _ready(
    storage: AnyStorage, year: int, approval: CommissionApproval
) -> tuple[Scene, dict[InventoryKind, str]]:
    scene = build_scene(storage, year=year)
    run = scene.archive.year_end(scene.archivist, year, id_prefix="y")
    ids = {}
    for inventory in run.inventories:
        scene.archive.approve_inventory(scene.archivist, inventory.id, approval)
        ids[inventory.kind] = inventory.id
    return scene, ids


def _service(scene: Scene) -> TransferService:
    return TransferService(scene.storage, FixedClock(NOW))


def test_cases_go_to_the_organisations_archive_on_approved_inventories(
    storage: AnyStorage,
) -> None:
    scene, ids = _ready(storage, 2024, EK)  # closed 31.12.2024, now March 2026: over a year
    service = _service(scene)
    act = service.draw_up(
        scene.archivist, "tr-1", TransferDestination.DEPARTMENTAL, ids.values(), number="1",
        archive_name=ARCHIVE, basis="номенклатура дел на 2024 год",
    )  # fmt: skip
    permanent = {scene.case_id("01-01")}
    over_10 = {scene.case_id("01-02")}
    personnel = {scene.case_id("03-01")}
    assert set(act.case_ids) == permanent | over_10 | personnel
    assert act.total == 3 and act.state is TransferState.DRAFT
    assert act.total_line == "Итого принято 3 (три) дела (единиц хранения)."
    assert next(r.inventory_title for r in act.rows).startswith("Опись № 1 дел постоянного")
    # Drawn up, nothing moved yet: the cases are still listed in their inventories.
    assert {c.state for c in scene.archive.case_files(scene.archivist) if c.case_id in
            act.case_ids} == {CaseState.INVENTORIED}  # fmt: skip
    with pytest.raises(ArchiveStateError):  # already in a draft act
        service.draw_up(
            scene.archivist,
            "tr-2",
            TransferDestination.DEPARTMENTAL,
            [ids[InventoryKind.PERMANENT]],
            number="2",
            archive_name=ARCHIVE,
        )
    accepted = service.accept(scene.archivist, "tr-1", handed_over_by="Иванова И.И.",
                              accepted_by="Петров П.П.")  # fmt: skip
    assert accepted.state is TransferState.ACCEPTED and accepted.accepted_on == NOW.date()
    files = {c.case_id: c for c in scene.archive.case_files(scene.archivist)}
    for case_id in act.case_ids:
        assert files[case_id].state is CaseState.TRANSFERRED
        assert files[case_id].transfer_id == "tr-1"
    with storage.unit_of_work() as uow:
        events = [e for _, e in uow.audit.events(scene.case_id("01-01"))]
        acts = [e for _, e in uow.audit.events("tr-1")]
    moved = [e for e in events if e.action == "case.transferred"]
    assert len(moved) == 1
    changes = {c.field: (c.before, c.after) for c in moved[0].changes}
    assert changes["state"] == ('"inventoried"', '"transferred"')
    assert moved[0].actor_id == scene.archivist.id
    assert [e.action for e in acts] == ["archive.transfer_drawn_up", "archive.transfer_accepted"]
    assert service.transfers(scene.archivist) == (accepted,)
    with pytest.raises(StateError):  # accepted once
        service.accept(scene.archivist, "tr-1", handed_over_by="А", accepted_by="Б")
    with pytest.raises(StateError):  # nothing left to hand over
        service.draw_up(scene.archivist, "tr-3", TransferDestination.DEPARTMENTAL, ids.values(),
                        number="3", archive_name=ARCHIVE)  # fmt: skip


def test_the_rules_refuse_early_unapproved_and_held_cases(storage: AnyStorage) -> None:
    scene = build_scene(storage, year=2025)  # closed 31.12.2025: not a year yet in March 2026
    run = scene.archive.year_end(scene.archivist, 2025, id_prefix="y")
    service = _service(scene)
    permanent = next(i for i in run.inventories if i.kind is InventoryKind.PERMANENT)
    with pytest.raises(ArchiveStateError, match="not approved"):
        service.draw_up(scene.archivist, "t", TransferDestination.DEPARTMENTAL, [permanent.id],
                        number="1", archive_name=ARCHIVE)  # fmt: skip
    scene.archive.approve_inventory(scene.archivist, permanent.id, EK)
    with pytest.raises(ArchiveStateError, match="less than a year"):
        service.draw_up(scene.archivist, "t", TransferDestination.DEPARTMENTAL, [permanent.id],
                        number="1", archive_name=ARCHIVE)  # fmt: skip
    later = TransferService(scene.storage, FixedClock(NOW.add(years=1)))
    scene.archive.place_hold(scene.archivist, scene.case_id("01-01"), "Запрос прокуратуры")
    with pytest.raises(ArchiveStateError, match="legal hold"):
        later.draw_up(scene.archivist, "t", TransferDestination.DEPARTMENTAL, [permanent.id],
                      number="1", archive_name=ARCHIVE)  # fmt: skip
    scene.archive.lift_hold(scene.archivist, scene.case_id("01-01"))
    later.draw_up(scene.archivist, "t", TransferDestination.DEPARTMENTAL, [permanent.id],
                  number="1", archive_name=ARCHIVE)  # fmt: skip
    scene.archive.place_hold(scene.archivist, scene.case_id("01-01"), "Запрос суда")
    with pytest.raises(ArchiveStateError, match="legal hold"):  # checked again on acceptance
        later.accept(scene.archivist, "t", handed_over_by="А", accepted_by="Б")
    assert later.transfer(scene.archivist, "t").state is TransferState.DRAFT


def test_permanent_cases_go_on_to_the_state_archive(storage: AnyStorage) -> None:
    scene, ids = _ready(storage, 2015, EPK)  # 2015 + 10 years of holding ≤ 2026
    service = _service(scene)
    with pytest.raises(ArchiveStateError, match="only permanent"):
        service.draw_up(
            scene.archivist,
            "s",
            TransferDestination.STATE,
            [ids[InventoryKind.OVER_10]],
            number="1",
            archive_name="ГКУ ГА",
        )
    first = service.draw_up(scene.archivist, "d", TransferDestination.DEPARTMENTAL, ids.values(),
                            number="1", archive_name=ARCHIVE)  # fmt: skip
    service.accept(scene.archivist, first.id, handed_over_by="А", accepted_by="Б")
    state = service.draw_up(
        scene.archivist, "s", TransferDestination.STATE, [ids[InventoryKind.PERMANENT]],
        number="1", archive_name="Государственный архив", fund="Ф. Р-123",
    )  # fmt: skip
    assert state.case_ids == (scene.case_id("01-01"),)
    service.accept(scene.archivist, "s", handed_over_by="А", accepted_by="В")
    case = scene.archive.case_files(scene.archivist)
    by_id = {c.case_id: c for c in case}
    assert by_id[scene.case_id("01-01")].transfer_id == "s"
    assert by_id[scene.case_id("01-02")].transfer_id == "d"
    strict = TransferService(scene.storage, FixedClock(NOW), holding_years=15)
    with pytest.raises(StateError):
        strict.draw_up(
            scene.archivist,
            "s2",
            TransferDestination.STATE,
            [ids[InventoryKind.PERMANENT]],
            number="2",
            archive_name="ГА",
        )


def test_the_state_archive_needs_the_epk(storage: AnyStorage) -> None:
    scene, ids = _ready(storage, 2015, EK)
    with pytest.raises(ArchiveStateError, match="ЭПК"):
        _service(scene).draw_up(
            scene.archivist,
            "s",
            TransferDestination.STATE,
            [ids[InventoryKind.PERMANENT]],
            number="1",
            archive_name="ГА",
        )


def test_only_archivists_transfer(storage: AnyStorage) -> None:
    scene = build_scene(storage, year=2024, strict=True)
    from edmscore.access import AccessPolicy

    service = TransferService(scene.storage, FixedClock(NOW), policy=AccessPolicy.strict())
    with pytest.raises(PermissionDenied):
        service.transfers(scene.world.plain)
    assert service.transfers(scene.archivist) == ()


def test_the_act_in_the_forms_columns_and_wording(storage: AnyStorage) -> None:
    from pypdf import PdfReader

    openpyxl = pytest.importorskip("openpyxl")

    scene, ids = _ready(storage, 2024, EK)
    act = _service(scene).draw_up(
        scene.archivist, "tr", TransferDestination.DEPARTMENTAL, ids.values(), number="7",
        archive_name=ARCHIVE,
    )  # fmt: skip
    form = transfer_form(act, "Министерство цифрового развития")
    assert form.headers == (
        "№ п/п", "Название, номер и год описи", "Количество экземпляров описи",
        "Количество дел (единиц хранения)", "Примечание",
    )  # fmt: skip
    assert transfer_rows(act)[0][2:4] == ("2", "1")
    assert "приема-передачи архивных документов на хранение" in form.heading
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(transfer_pdf(act, "М"))).pages)
    for words in (
        "АКТ № 7",
        "приема-передачи архивных документов на хранение",
        "Итого принято 3 (три) дела",
        "Передал",
        "Принял",
        "Утверждена: ЭК",
    ):
        assert words in text.replace("\n", " ")
    sheet = openpyxl.load_workbook(io.BytesIO(transfer_xlsx(act, "М"))).active
    assert sheet is not None
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Название, номер и год описи" in values and act.total_line in values
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(transfer_docx(act, "М")))
    assert document.tables[0].rows[0].cells[1].text == "Название, номер и год описи"


def test_a_closed_case_is_packaged_from_its_cards_files_and_signatures(
    storage: AnyStorage,
) -> None:
    import pathlib
    import shutil

    import attrs

    from edmscore.archive.package_reader import read_package
    from edmscore.records import CardSignatures
    from edmscore.registry import FileRef
    from edmscore.signatures import SubjectFields
    from edmscore.signatures.ltv import verify_ltv
    from edmscore.testing.pki import TestPki

    if shutil.which("gs") is None:
        pytest.skip("Ghostscript is not installed")
    scene, _ = _ready(storage, 2024, EK)
    corpus = pathlib.Path(__file__).parent.parent / "corpus" / "pdf"
    pki = TestPki.create("ecdsa", not_before=NOW.subtract(years=3))
    signer = pki.issue(
        SubjectFields(surname="Петров", given_name="Пётр"),
        not_before=NOW.subtract(years=2),
        not_after=NOW.add(years=1),
    )
    card = scene.cards["01-01"][0]
    letter = (corpus / "google-docs-letter.pdf").read_bytes()
    with storage.unit_of_work() as uow:
        sha = uow.blobs.put(letter)
        stored = uow.cards.get(card.id)
        files = (FileRef("letter.pdf", len(letter), sha, "application/pdf"),)
        uow.cards.update(
            attrs.evolve(stored, details=attrs.evolve(stored.details, files=files)), stored.version
        )
        uow.commit()
    signature = pki.sign(letter, signer, signing_time=NOW.subtract(days=400))
    report = verify_ltv(letter, signature, trust_anchors=[pki.root.certificate], at=NOW)
    CardSignatures(storage, FixedClock(NOW)).record(
        scene.world.clerk, card.id, signature, report, file_name="letter.pdf"
    )
    out = io.BytesIO()
    metadata = _service(scene).package_case(
        scene.archivist, scene.case_id("01-01"), out, package_id="pkg",
        trust_anchors=[pki.root.certificate],
    )  # fmt: skip
    assert [d.card_id for d in metadata.documents] == [card.id]
    assert metadata.case.inventory.startswith("Опись № 1 дел постоянного хранения")
    assert metadata.case.inventory_number == "1"
    (document,) = metadata.documents
    assert document.original.name == "letter.pdf" and len(document.signatures) == 1
    checked = read_package(io.BytesIO(out.getvalue()), trust_anchors=[pki.root.certificate], at=NOW)
    assert checked.ok and checked.metadata == metadata
    with storage.unit_of_work() as uow:
        built = [
            e
            for _, e in uow.audit.events(scene.case_id("01-01"))
            if e.action == "archive.package_built"
        ]
    assert len(built) == 1 and built[0].actor_id == scene.archivist.id


def test_a_fixed_term_case_in_the_organisations_archive_is_destroyed_from_there(
    storage: AnyStorage,
) -> None:
    from edmscore.archive import ArchiveService, BlockReason

    scene, ids = _ready(storage, 2024, EK)
    service = _service(scene)
    service.draw_up(
        scene.archivist, "tr-1", TransferDestination.DEPARTMENTAL, ids.values(), number="1",
        archive_name=ARCHIVE,
    )  # fmt: skip
    service.accept(scene.archivist, "tr-1", handed_over_by="А", accepted_by="Б")
    over_10 = scene.case_id("01-02")  # «15 лет ЭПК», closed 31.12.2024: runs out by 01.01.2040
    permanent = scene.case_id("01-01")
    # Kept in the organisation's archive, the case stays holdable and comes up when it runs out.
    held = scene.archive.place_hold(scene.archivist, over_10, "запрос суда")
    assert held.state is CaseState.TRANSFERRED
    blocked = scene.archive.candidates(scene.archivist, 2040, epk_agreed=True).blocked
    assert [(b.case_id, b.reason) for b in blocked if b.case_id == over_10] == [
        (over_10, BlockReason.LEGAL_HOLD)
    ]
    scene.archive.lift_hold(scene.archivist, over_10)
    early = scene.archive.candidates(scene.archivist, 2039, epk_agreed=True).cases
    assert over_10 not in {c.case_id for c in early}
    chosen = scene.archive.candidates(scene.archivist, 2040, epk_agreed=True).cases
    assert over_10 in {c.case_id for c in chosen}
    assert permanent not in {c.case_id for c in chosen}
    act, _ = scene.archive.draw_up_act(scene.archivist, "act", 2040, number="1", agreement=EPK)
    assert over_10 in {row.case_id for row in act.rows}
    # Carried out once the term has run out: destroyed from the organisation's archive.
    later = ArchiveService(storage, FixedClock(pendulum.datetime(2040, 2, 1, tz="Asia/Yakutsk")))
    later.approve_act(scene.archivist, "act", approved_by="Министр", on=pendulum.date(2040, 2, 1))
    later.destroy(scene.archivist, "act")
    files = {c.case_id: c for c in later.case_files(scene.archivist)}
    assert files[over_10].state is CaseState.DESTROYED
    assert files[over_10].transfer_id == "tr-1"  # the history of where it was kept stays
    assert files[permanent].state is CaseState.TRANSFERRED


def test_a_case_handed_to_the_state_archive_is_out_of_the_organisations_reach(
    storage: AnyStorage,
) -> None:
    scene, ids = _ready(storage, 2024, EPK)
    service = _service(scene)
    service.draw_up(
        scene.archivist, "tr-1", TransferDestination.DEPARTMENTAL, ids.values(), number="1",
        archive_name=ARCHIVE,
    )  # fmt: skip
    service.accept(scene.archivist, "tr-1", handed_over_by="А", accepted_by="Б")
    later = TransferService(
        storage, FixedClock(pendulum.datetime(2036, 3, 2, tz="Asia/Yakutsk")), holding_years=10
    )
    later.draw_up(
        scene.archivist, "tr-2", TransferDestination.STATE, [ids[InventoryKind.PERMANENT]],
        number="2", archive_name="Государственный архив", fund="Р-1",
    )  # fmt: skip
    later.accept(scene.archivist, "tr-2", handed_over_by="А", accepted_by="Б")
    with pytest.raises(ArchiveStateError):
        scene.archive.place_hold(scene.archivist, scene.case_id("01-01"), "запрос суда")
