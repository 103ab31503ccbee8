"""The forms against the rules' samples: columns, wording and totals, in PDF, XLSX and DOCX.

The PDF is read back by pypdf and checked by qpdf; the workbook by openpyxl; the Word document
by python-docx: each peer must find the form's headings, rows and closing lines.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from pypdf import PdfReader

from edmscore.archive import (
    ACT_HEADERS,
    CaseFile,
    CaseState,
    Commission,
    CommissionApproval,
    DestructionAct,
    FiledDocument,
    Gender,
    Inventory,
    InventoryKind,
    counted,
    render,
    years_text,
)
from edmscore.registry.retention import parse_retention

DAY = pendulum.date(2025, 2, 3)
ORG = "Министерство цифрового развития Амурской области"


def _case(
    index: str, notation: str, year: int, documents: int = 2, *, personnel: bool = False
) -> CaseFile:
    docs = tuple(
        FiledDocument(
            f"{index}-{n}", f"{n}-вх", pendulum.date(year, 1 + n % 12, 10), f"Письмо {n}", 3
        )
        for n in range(documents)
    )
    return CaseFile(
        f"id-{index}-{year}", "org", year, index, f"Дело {index}", parse_retention(notation),
        documents=docs, state=CaseState.CLOSED, closed_on=pendulum.date(year, 12, 31),
        personnel=personnel,
    )  # fmt: skip


def test_counts_in_words_agree_with_the_noun() -> None:
    assert counted(1, Gender.NEUTER, "дело", "дела", "дел") == "1 (одно) дело"
    assert counted(2, Gender.NEUTER, "дело", "дела", "дел") == "2 (два) дела"
    assert counted(11, Gender.NEUTER, "дело", "дела", "дел") == "11 (одиннадцать) дел"
    assert counted(21, Gender.MASCULINE, "лист", "листа", "листов") == "21 (двадцать один) лист"
    assert counted(252, Gender.MASCULINE, "лист", "листа", "листов") == (
        "252 (двести пятьдесят два) листа"
    )
    assert counted(1002, Gender.NEUTER, "дело", "дела", "дел") == "1002 (одна тысяча два) дела"
    assert years_text([2018, 2016, 2017]) == "2016–2018 годы"
    assert years_text([2016, 2018]) == "2016, 2018 годы"


def test_volumes_split_past_the_sheet_limit_and_keep_documents_whole() -> None:
    docs = tuple(
        FiledDocument(f"c{n}", f"{n}", pendulum.date(2024, 1, 1 + n), "Приказ", 100)
        for n in range(5)
    )
    case = CaseFile("c", "org", 2024, "01-01", "Приказы", parse_retention("Постоянно"),
                    documents=docs)  # fmt: skip
    volumes = case.volumes()
    assert [v.sheets for v in volumes] == [200, 200, 100]
    assert case.volume_count == 3
    rows = volumes[1].internal_inventory()
    assert [r.sheets_cell for r in rows] == ["1–100", "101–200"]
    assert volumes[0].internal_inventory_total() == (
        "Итого 2 (два) документа. Количество листов документов — 200 (двести) листов."
    )


def test_inventory_closing_note_with_lettered_and_skipped_numbers() -> None:
    cases = [_case(f"01-{n}", "Постоянно", 2024) for n in range(1, 6)]
    inventory = Inventory.of_cases("i", "org", InventoryKind.PERMANENT, "1", cases, DAY)
    late = _case("01-9", "Постоянно", 2024)
    inventory = inventory.with_lettered(2, late).without(4)
    assert [r.label for r in inventory.rows] == ["1", "2", "2а", "3", "5"]
    assert inventory.closing_note == (
        "В данный раздел описи внесено 5 (пять) дел с № 1 по № 5, в том числе: "
        "литерные номера: 2а; пропущенные номера: 4."
    )
    approved = inventory.approved(
        CommissionApproval(Commission.EPK, pendulum.date(2025, 3, 1), "2", "Архивного управления")
    )
    with pytest.raises(Exception, match="approved"):
        approved.without(1)


def test_consolidated_inventory_renumbers_over_years() -> None:
    approval = CommissionApproval(Commission.EK, DAY, "1")
    parts = [
        Inventory.of_cases(
            f"i{y}",
            "org",
            InventoryKind.OVER_10,
            "2",
            [_case("01-1", "15 лет", y), _case("01-2", "15 лет", y)],
            DAY,
        ).approved(approval)
        for y in (2022, 2023)
    ]
    merged = Inventory.consolidated("all", "2", parts, DAY)
    assert [r.label for r in merged.rows] == ["1", "2", "3", "4"]
    assert merged.title == "Опись № 2 дел временного (свыше 10 лет) хранения за 2022–2023 годы"
    assert merged.closing_note.startswith("В данный раздел описи внесено 4 (четыре) дела")


def _act() -> DestructionAct:
    cases = [_case("01-7", "3 года ст. 258г", 2018), _case("02-4", "5 лет ст. 26", 2019,
                                                           documents=300)]  # fmt: skip
    permanent = Inventory.of_cases(
        "p", "org", InventoryKind.PERMANENT, "1", [_case("01-1", "Постоянно", 2018)], DAY
    ).approved(CommissionApproval(Commission.EPK, DAY, "5", "Управления архивами"))
    agreement = CommissionApproval(Commission.EPK, DAY, "5", "Управления архивами")
    return DestructionAct.of_cases("a", "org", "7", 2025, DAY, cases, [permanent], agreement)


def test_act_columns_and_total() -> None:
    act = _act()
    assert len(ACT_HEADERS) == 8
    assert act.rows[1].cells() == (
        "2", "Дело 02-4", "10.01.2019–10.12.2019", "Номенклатура дел за 2019 г.", "02-4", "4",
        "5 лет ст. 26", "",
    )  # fmt: skip
    assert act.total_units == 5  # one volume + 900 sheets in four volumes
    assert act.total_line == "Итого 5 (пять) дел за 2018–2019 годы."
    assert act.inventories_line == (
        "Описи дел постоянного хранения за 2018–2019 годы утверждены, а по личному составу "
        "согласованы с ЭПК Управления архивами (протокол от 03.02.2025 № 5); описи: № 1 (дел "
        "постоянного хранения)."
    )


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_act_pdf_is_a4_with_embedded_font_and_readable_russian(tmp_path: Path) -> None:
    data = render.act_pdf(_act(), ORG)
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    resources: Any = reader.pages[0]["/Resources"]
    fonts = resources["/Font"]
    font = next(iter(fonts.values())).get_object()
    assert "DejaVu" in str(font["/BaseFont"]) and "/ToUnicode" in font
    text = " ".join(_pdf_text(data).split())
    assert "АКТ № 7 от 03.02.2025" in text
    assert "Итого 5 (пять) дел за 2018–2019 годы." in text
    assert "Номенклатура дел за 2019 г." in text
    if shutil.which("qpdf"):
        path = tmp_path / "act.pdf"
        path.write_bytes(data)
        checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_long_inventory_repeats_headings_on_every_page() -> None:
    cases = [_case(f"01-{n}", "Постоянно", 2024) for n in range(1, 120)]
    inventory = Inventory.of_cases("i", "org", InventoryKind.PERMANENT, "1", cases, DAY)
    reader = PdfReader(io.BytesIO(render.inventory_pdf(inventory, ORG)))
    assert len(reader.pages) > 2
    for page in reader.pages:
        assert "Заголовок дела" in page.extract_text()
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "внесено 119 (сто девятнадцать) дел с № 1 по № 119" in last


def test_inventory_xlsx_reads_back() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    cases = [_case("01-1", "15 лет ЭПК ст. 18д", 2024), _case("01-2", "15 лет", 2024)]
    inventory = Inventory.of_cases("i", "org", InventoryKind.OVER_10, "3", cases, DAY)
    book = openpyxl.load_workbook(io.BytesIO(render.inventory_xlsx(inventory, ORG)))
    values = [
        tuple(c for c in row if c is not None) for row in book.active.iter_rows(values_only=True)
    ]
    headers = next(row for row in values if row and row[0] == "№ п/п")
    assert headers[4] == "Срок хранения, статья по перечню"
    assert (1, "01-1", "Дело 01-1", "10.01.2024–10.02.2024", "15 лет ЭПК ст. 18д", 6) in values
    assert any(row and str(row[0]).startswith("В данный раздел описи внесено 2 (два) дела")
               for row in values)  # fmt: skip


def test_act_docx_reads_back() -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(render.act_docx(_act(), ORG)))
    table = document.tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == ACT_HEADERS
    assert table.rows[1].cells[4].text == "01-7"
    paragraphs = [p.text for p in document.paragraphs]
    assert "Итого 5 (пять) дел за 2018–2019 годы." in paragraphs
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape A4


def test_typed_rows_are_the_forms_rows() -> None:
    act = _act()
    assert render.act_rows(act) == tuple(row.cells() for row in act.rows)
    personnel = [_case("03-1", "50 лет ЭПК", 2024, personnel=True)]
    inventory = Inventory.of_cases("i", "org", InventoryKind.PERSONNEL, "4", personnel, DAY)
    (row,) = render.inventory_rows(inventory)
    assert len(row) == 7 and row[4] == "50 лет ЭПК"
    assert attrs.has(type(inventory.rows[0]))
