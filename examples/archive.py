"""A year of cases ends: close it, draw up the inventories, then the destruction act years later.

Run: python examples/archive.py
"""

from __future__ import annotations

import pendulum

from edmscore import (
    CardDetails,
    CardKind,
    Edms,
    FixedClock,
    Journal,
    Organisation,
    RegistrationRequest,
    User,
)
from edmscore.archive import Commission, CommissionApproval, InventoryKind, render
from edmscore.registry import Correspondent
from edmscore.registry.nomenclature import Case, Nomenclature, NomenclatureSection
from edmscore.registry.retention import parse_retention

CASES = [
    ("01-01", "Приказы по основной деятельности", "Постоянно ст. 19а"),
    ("01-05", "Переписка с органами власти", "5 лет ЭПК ст. 50"),
    ("01-07", "Журнал регистрации входящих документов", "3 года ст. 258г"),
]


def main() -> None:
    clock = FixedClock(pendulum.datetime(2019, 3, 4, 10, tz="Asia/Yakutsk"))
    edms = Edms(clock=clock)
    organisation = Organisation("mcr", "Министерство цифрового развития", timezone="Asia/Yakutsk")
    admin = edms.setup(organisation, User("admin", "admin", "mcr"))
    edms.admin.put_user(admin.id, User("clerk", "ivanova", "mcr", roles=("registrar",)))
    edms.admin.put_user(admin.id, User("archivist", "sidorova", "mcr", roles=("archivist",)))
    journal = edms.admin.create_journal(
        admin.id, Journal("in", "mcr", "ВХ", "Входящие", "вх-{seq}", {CardKind.INCOMING})
    )
    cases = [Case(index, index, title, "01", parse_retention(term)) for index, title, term in CASES]
    edms.admin.add_nomenclature(
        "archivist",
        Nomenclature("n2019", "mcr", 2019, [NomenclatureSection("01", "Канцелярия")], cases),
    )

    # The year's letters, each filed into its case.
    for n, case in enumerate(cases * 2, 1):
        details = CardDetails(
            kind=CardKind.INCOMING, document_kind="Письмо", summary=f"Письмо № {n}",
            correspondents=(Correspondent("Министерство финансов"),),
            received_on=clock.now().date(), sheets=2, case_id=case.id,
        )  # fmt: skip
        edms.records.register("clerk", RegistrationRequest(journal.id, details))
        clock.advance(days=20)

    # 31 December: the archivist closes the year and draws up the inventories.
    run = edms.archive.year_end("archivist", 2019, id_prefix="2019")
    print(f"closed {len(run.closed)} cases of 2019")
    for inventory in run.inventories:
        print(inventory.title)
        print("  ", inventory.closing_note)
    approval = CommissionApproval(Commission.EPK, pendulum.date(2020, 3, 12), "3", "Архива")
    edms.archive.approve_inventory("archivist", run.inventories[0].id, approval)

    # Years later: the 3-year case has run out, the ЭПК-marked one waits for the commission.
    clock.set(pendulum.datetime(2026, 2, 2, 10, tz="Asia/Yakutsk"))
    act, blocked = edms.archive.draw_up_act("archivist", "act-2026", 2026, number="1")
    print(act.total_line)
    for left_out in blocked:
        print("  left out:", left_out.index, "—", left_out.reason.label)
    edms.archive.approve_act(
        "archivist", act.id, approved_by="Петров П.П., министр", on=pendulum.date(2026, 2, 3)
    )
    done = edms.archive.destroy("archivist", act.id)
    print("act", done.number, done.state.value)

    pdf = render.act_pdf(done, organisation.name)
    assert pdf.startswith(b"%PDF-")
    assert run.inventories[0].kind is InventoryKind.PERMANENT


if __name__ == "__main__":
    main()
