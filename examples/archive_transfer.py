"""Closed cases go to the organisation's archive: the acceptance act, then a case's electronic
transfer package (PDF/A documents, their signatures, metadata, manifest) read back and checked.

Needs Ghostscript (``gs``) for the PDF/A renditions. Run: python examples/archive_transfer.py
"""

from __future__ import annotations

import io
import shutil

import pendulum

from edmscore import Edms, FixedClock, Organisation, User
from edmscore.archive import Commission, CommissionApproval, TransferDestination, render
from edmscore.archive.package import PackageDocument, build_package, case_entry
from edmscore.archive.package_reader import read_package
from edmscore.archive.transfer_render import transfer_pdf
from edmscore.registry.nomenclature import Case, Nomenclature, NomenclatureSection
from edmscore.registry.retention import parse_retention
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import TestPki

CASES = [
    ("01-01", "Приказы по основной деятельности", "Постоянно ст. 19а"),
    ("01-02", "Протоколы совещаний у министра", "15 лет ЭПК ст. 18д"),
]


def main() -> None:
    clock = FixedClock(pendulum.datetime(2024, 12, 30, 10, tz="Asia/Yakutsk"))
    edms = Edms(clock=clock)
    organisation = Organisation("mcr", "Министерство цифрового развития", timezone="Asia/Yakutsk")
    admin = edms.setup(organisation, User("admin", "admin", "mcr"))
    edms.admin.put_user(admin.id, User("archivist", "sidorova", "mcr", roles=("archivist",)))
    cases = [Case(index, index, title, "01", parse_retention(term)) for index, title, term in CASES]
    edms.admin.add_nomenclature(
        "archivist",
        Nomenclature("n2024", "mcr", 2024, [NomenclatureSection("01", "Канцелярия")], cases),
    )
    run = edms.archive.year_end("archivist", 2024, id_prefix="2024")
    approval = CommissionApproval(Commission.EK, pendulum.date(2025, 2, 3), "1")
    for inventory in run.inventories:
        edms.archive.approve_inventory("archivist", inventory.id, approval)

    # A year after closing: the cases go to the organisation's archive by an acceptance act.
    clock.set(pendulum.datetime(2026, 2, 2, 10, tz="Asia/Yakutsk"))
    act = edms.transfers.draw_up(
        "archivist",
        "tr-2026-1",
        TransferDestination.DEPARTMENTAL,
        [i.id for i in run.inventories],
        number="1",
        archive_name="Архив министерства",
    )
    act = edms.transfers.accept(
        "archivist", act.id, handed_over_by="Сидорова А.А.", accepted_by="Кузнецов В.В."
    )
    print(act.title, "—", act.total_line)
    assert transfer_pdf(act, organisation.name).startswith(b"%PDF-")

    if shutil.which("gs") is None:
        print("Ghostscript is not installed: the package part is skipped")
        return
    # The electronic package of case 01-01: here its documents are the inventory and the act
    # themselves, signed (the test PKI stands in for an accredited CA).
    pki = TestPki.create("ecdsa", not_before=clock.now().subtract(years=3))
    signer = pki.issue(
        SubjectFields(surname="Сидорова", given_name="Анна"),
        not_before=clock.now().subtract(years=2),
        not_after=clock.now().add(years=1),
    )
    files = [
        render.inventory_pdf(run.inventories[0], organisation.name),
        transfer_pdf(act, organisation.name),
    ]
    documents = [
        PackageDocument(
            f"doc-{n}",
            f"01-01/{n}",
            pendulum.date(2025, 2, 3),
            title,
            pdf,
            f"{n}.pdf",
            "Опись",
            organisation.name,
            (pki.sign(pdf, signer, signing_time=clock.now()),),
        )
        for n, (title, pdf) in enumerate(
            zip(("Опись дел", "Акт приема-передачи"), files, strict=True), 1
        )
    ]
    case = edms.archive.case_files("archivist")[0]
    out = io.BytesIO()
    build_package(
        out,
        package_id="pkg-01-01",
        organisation=organisation.name,
        organisation_id="mcr",
        case=case_entry(case),
        documents=documents,
        created=clock.now(),
        trust_anchors=[pki.root.certificate],
    )
    report = read_package(
        io.BytesIO(out.getvalue()), trust_anchors=[pki.root.certificate], at=clock.now()
    )
    print(
        f"package: {report.files} files, {report.signatures_checked} signatures checked,",
        "complete and intact" if report.ok else report.findings,
    )
    for document in report.metadata.documents:
        print(" ", document.registration_number, document.title, "→", document.archival.format)
    assert report.ok


if __name__ == "__main__":
    main()
