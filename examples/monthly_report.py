"""The region's monthly leadership report: document flow, MEDO, approval, execution discipline
over the organisation tree, appeals and workload, as one XLSX workbook with charts, CSV and a
one-page PDF dashboard.

The region's government here is generated (``edmscore.demo.build_region``: the region's office,
bodies, institutions, a year of records, and the demo's ministry with its approval and appeals);
a host passes its own ``Edms`` and reader instead.

Run: python examples/monthly_report.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from edmscore import Edms
from edmscore.demo import build_region
from edmscore.errors import MissingDependency
from edmscore.reports import REPORTS, report_csv
from edmscore.reports.charts import dashboard_pdf
from edmscore.reports.export import reports_xlsx
from edmscore.storage import MemoryStorage

MONTH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def main(folder: Path) -> None:
    storage = MemoryStorage()
    region = build_region(storage, cards_per_organisation=40, with_demo_day=True)
    edms = Edms(storage, clock=region.clock, policy=region.policy)
    reader = region.reader.id  # the region's head: supervises every body and institution
    reports = [build(edms, reader, *MONTH) for build in REPORTS.values()]

    discipline = REPORTS["discipline"](edms, reader, *MONTH)
    assert discipline.total is not None
    root = discipline.rows[0]
    assert root[1:6] == discipline.total[1:6]  # the region's row rolls up the whole tree

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "monthly.xlsx").write_bytes(reports_xlsx(reports))
    (folder / "discipline.csv").write_text(report_csv(discipline), encoding="utf-8-sig")
    try:
        pdf = dashboard_pdf(
            [discipline, reports[0], reports[1], reports[-1]], "Аналитика документооборота"
        )
    except MissingDependency:
        print("the dashboard needs: pip install '.[charts]'")
        return
    (folder / "dashboard.pdf").write_bytes(pdf)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
