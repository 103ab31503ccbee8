"""Report outputs: CSV read back, XLSX chart definitions read back, pictures compared with
reference images, the one-page dashboard rendered."""

from __future__ import annotations

import csv
import io
import pathlib
import shutil
import subprocess
import warnings
import zipfile

import pytest
from lxml import etree

from edmscore.reports.charts import chart_png, chart_svg, dashboard_pdf
from edmscore.reports.export import report_csv, report_xlsx

from . import _fixed

REFERENCE = pathlib.Path(__file__).parent / "reference"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def test_csv_reads_back_with_the_totals_row():
    report = _fixed.discipline()
    rows = list(csv.reader(io.StringIO(report_csv(report)), delimiter=";"))
    assert rows[0] == [report.heading]
    assert tuple(rows[1]) == report.headers
    assert len(rows) == len(report.rows) + 3
    assert rows[-1] == ["Итого", "120", "80", "25", "15"]
    assert rows[4][0] == "    Учреждение «Центр бухгалтерского учёта»"


def _text(node: etree._Element | None, path: str = "") -> str:
    """The text of ``path`` under ``node`` (all of its ``a:t`` runs when ``path`` is empty)."""
    assert node is not None
    if path:
        found = node.find(path)
        assert found is not None and found.text is not None
        return found.text
    return "".join(t.text or "" for t in node.iter(f"{A}t"))


def _chart_xml(data: bytes, number: int = 1) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(f"xl/charts/chart{number}.xml"))


def test_xlsx_has_a_native_bar_chart_over_the_rows():
    report = _fixed.discipline()
    data = report_xlsx(report)
    chart = _chart_xml(data)
    bar = chart.find(f".//{C}barChart")
    assert bar is not None
    series = bar.findall(f"{C}ser")
    assert len(series) == 3
    last = 2 + len(report.rows)
    sheet = "'Исполнительская дисциплина'"
    values = [_text(s, f"{C}val/{C}numRef/{C}f") for s in series]
    assert values == [f"{sheet}!${col}$3:${col}${last}" for col in "CDE"]
    categories = {_text(s, f"{C}cat/{C}strRef/{C}f") for s in series}
    assert categories == {f"{sheet}!$A$3:$A${last}"}
    title = chart.find(f"{C}chart/{C}title")
    assert _text(title) == "Исполнение поручений по организациям"
    assert _text(chart.find(f".//{C}valAx/{C}title")) == "Количество"


def test_xlsx_formats_freezes_and_totals():
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    report = _fixed.discipline()
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    sheet = book[report.title]
    assert sheet.freeze_panes == "A3"
    assert sheet["A1"].value == report.heading
    assert [c.value for c in sheet[2]] == list(report.headers)
    assert all(c.font.bold for c in sheet[2])
    total_row = sheet[3 + len(report.rows)]
    assert [c.value for c in total_row] == list(report.total or ())
    assert total_row[0].font.bold
    assert sheet.column_dimensions["A"].width >= len(str(report.rows[2][0]))


def test_an_aggregated_chart_draws_the_summary_sheet():
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    report = _fixed.registrations()
    data = report_xlsx(report)
    book = load_workbook(io.BytesIO(data))
    summary = book["Диаграмма"]
    assert [tuple(r) for r in summary.iter_rows(min_row=2, values_only=True)] == [
        ("Министерство здравоохранения", 782),
        ("Министерство финансов", 600),
        ("Правительство АО", 128),
    ]
    chart = _chart_xml(data)
    assert _text(chart, f".//{C}ser/{C}val/{C}numRef/{C}f") == "'Диаграмма'!$B$2:$B$4"


def test_a_line_chart_is_a_line_chart():
    chart = _chart_xml(report_xlsx(_fixed.monthly()))
    assert chart.find(f".//{C}lineChart") is not None
    assert chart.find(f".//{C}barChart") is None


def _compare(name: str, png: bytes, tmp_path: pathlib.Path) -> None:
    from matplotlib.testing.compare import compare_images

    actual = tmp_path / f"{name}.png"
    actual.write_bytes(png)
    result = compare_images(str(REFERENCE / f"{name}.png"), str(actual), tol=3)
    assert result is None, result


@pytest.mark.parametrize("name", ["discipline", "registrations", "monthly"])
def test_pictures_match_the_reference_images(name, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Cyrillic glyph warns: that fails here
        png = chart_png(getattr(_fixed, name)())
    _compare(name, png, tmp_path)


def test_a_changed_report_does_not_match_its_reference(tmp_path):
    import attrs

    report = _fixed.discipline()
    changed = attrs.evolve(report, rows=(*report.rows[:-1], ("  Министерство", 70, 10, 15, 45)))
    with pytest.raises(AssertionError):
        _compare("discipline", chart_png(changed), tmp_path)


def test_svg_is_stable_and_draws_text_as_paths():
    report = _fixed.discipline()
    first, second = chart_svg(report), chart_svg(report)
    assert first == second
    tree = etree.fromstring(first)
    assert tree.tag == "{http://www.w3.org/2000/svg}svg"
    assert not list(tree.iter("{http://www.w3.org/2000/svg}text"))


def test_the_dashboard_is_one_page_with_the_title(tmp_path):
    from pypdf import PdfReader

    reports = [_fixed.discipline(), _fixed.registrations(), _fixed.monthly()]
    data = dashboard_pdf(reports, "Аналитика документооборота")
    assert data == dashboard_pdf(reports, "Аналитика документооборота")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Аналитика документооборота" in text
    assert "Исполнение поручений по организациям" in text
    if shutil.which("pdftoppm"):
        pdf = tmp_path / "dashboard.pdf"
        pdf.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
            check=True,
        )
        assert (tmp_path / "page.png").stat().st_size > 1000
