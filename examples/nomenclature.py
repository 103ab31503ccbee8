"""A year of a small nomenclature of cases: build, close, carry over, sum up, start the next year.

Prints the nomenclature form, the year-end summary, the cases due for destruction and the next
year's form.
"""

from __future__ import annotations

import pendulum

from edmscore.registry.nomenclature import (
    Case,
    Nomenclature,
    NomenclatureSection,
    make_case_index,
    render_nomenclature_table,
    render_year_end_summary,
)
from edmscore.registry.retention import parse_retention, personnel_retention

# Column 4 as the records clerk typed it, footnotes and all.
ROWS = [
    ("01", "Приказы руководителя по основной деятельности и документы к ним", "Постоянно¹ ст.19а"),
    ("01", "Переписка с органами государственной власти", "5 лет  ЭПК, Ст. 27"),
    ("01", "Журнал регистрации входящих документов", "5 лет ст. 258 г"),
    ("01", "Журнал регистрации обращений граждан", "5 лет ЭПК ст. 258 в"),
    ("02", "Приказы по личному составу", "50/75 лет ЭПК ст. 19б"),
    ("02", "Графики отпусков", "1 год ст. 453"),
    ("02", "Инструкции по охране труда", "До замены новыми ст. 421"),
    ("03", "Договоры с поставщиками", "5 лет ЭПК ст. 436"),
    ("03", "Документы о командировках", "ДМН"),
]


def main() -> None:
    sections = [
        NomenclatureSection("01", "Канцелярия"),
        NomenclatureSection("02", "Отдел кадров"),
        NomenclatureSection("03", "Бухгалтерия"),
    ]
    serials: dict[str, int] = {}
    cases = []
    for number, (code, title, notation) in enumerate(ROWS, start=1):
        serials[code] = serials.get(code, 0) + 1
        cases.append(
            Case(
                id=f"case-{number}",
                index=make_case_index(code, serials[code]),
                title=title,
                section_code=code,
                retention=parse_retention(notation, closed_year=2024),
            )
        )
    nom = Nomenclature(
        "nom-2024", "org-yakutsk-1", 2024, sections, cases, approved_on=pendulum.date(2023, 12, 15)
    )

    # The year goes by: cases are closed on 31 December, one continues into 2025.
    nom = nom.carry_over(nom.case_by_index("01-02").id)
    for case in nom.cases:
        if not case.is_carried_over:
            nom = nom.close_case(case.id, pendulum.date(2024, 12, 31))

    print(render_nomenclature_table(nom))
    print(render_year_end_summary(nom.year_end_summary()))

    for act_year in (2026, 2030):
        due = nom.destruction_candidates(act_year)
        print(f"Акт о выделении к уничтожению {act_year} г.:")
        for case in due.cases:
            print(f"  {case.index} {case.title} ({case.retention})")
        for case in due.expert_review:
            print(f"  {case.index} {case.title} ({case.retention}) — на рассмотрение ЭК")
        if not due:
            print("  дел нет")
    print()
    print("Личные дела, закрытые в 2002 и 2003 гг.:", end=" ")
    print(personnel_retention(2002), "/", personnel_retention(2003))
    print()

    nxt = nom.copy_to_next_year("nom-2025")
    print(render_nomenclature_table(nxt))


if __name__ == "__main__":
    main()
