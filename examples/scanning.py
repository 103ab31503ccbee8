"""Streaming scanning: a card's label and a separator sheet, a batch split and filed on cards.

A clerk registers two letters, prints the first one's barcode label and a separator sheet that
names the second, "scans" a batch (here the pages are PDF pages; a scanner's batch is read the
same way, page by page), and files it: each part lands on its card as a new file. The label PDF
and the batch are written to a temporary folder.

Run: python examples/scanning.py (needs the scanning extra and poppler's pdftoppm)
"""

from __future__ import annotations

import io
import pathlib
import tempfile

import pendulum
from pypdf import PdfReader, PdfWriter

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
from edmscore.pdf import stamp_pdf
from edmscore.registry import Correspondent
from edmscore.scanning import Label, code_stamp, label_pdf, separator_pdf


def letter_pdf(text: str) -> bytes:
    """A one-page letter, as the sender printed it."""
    from fpdf import FPDF

    from edmscore.pdf import font_path

    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font("DejaVu", "", font_path())
    pdf.add_page()
    pdf.set_font("DejaVu", "", 12)
    pdf.set_xy(25, 40)
    pdf.multi_cell(160, 7, text)
    return bytes(pdf.output())


def main() -> None:
    clock = FixedClock(pendulum.datetime(2026, 12, 7, 10, tz="Europe/Moscow"))
    edms = Edms(clock=clock)
    organisation = Organisation("mcr", "Министерство", code="МЦР", timezone="Europe/Moscow")
    admin = edms.setup(organisation, User("admin", "admin", "mcr"))
    edms.admin.put_user(admin.id, User("clerk", "ivanova", "mcr", roles=("registrar",)))
    journal = edms.admin.create_journal(
        admin.id, Journal("in", "mcr", "ВХ", "Входящие", "вх-{seq}", {CardKind.INCOMING})
    )
    details = CardDetails(
        kind=CardKind.INCOMING,
        document_kind="Письмо",
        summary="О ремонте кровли",
        correspondents=(Correspondent("Администрация района"),),
        received_on=pendulum.Date(2026, 12, 7),
    )
    first, second = (
        edms.records.register("clerk", RegistrationRequest(journal.id, details)) for _ in "ab"
    )

    # At registration: the first letter gets its barcode on its first page (or a sticker).
    labels = label_pdf([edms.scanning.label("clerk", first.id)])
    marked = stamp_pdf(
        letter_pdf("Просим отремонтировать кровлю школы."), [code_stamp(Label.of(first))]
    )
    # The second letter is scanned behind a separator sheet that names its card.
    separator = separator_pdf([Label.of(second)])

    batch = PdfWriter()
    for part in (marked.pdf, separator, letter_pdf("Направляем смету на ремонт кровли.")):
        batch.append(PdfReader(io.BytesIO(part)))
    with tempfile.TemporaryDirectory() as folder:
        (pathlib.Path(folder) / "labels.pdf").write_bytes(labels)
        path = pathlib.Path(folder) / "batch.pdf"
        with path.open("wb") as handle:
            batch.write(handle)
        report = edms.scanning.file_batch("clerk", path)

    for filed in report.filed:
        card = edms.records.get("clerk", filed.card_id)
        print(f"{card.number}: {filed.name}, {filed.pages} page(s), sha256 {filed.sha256[:12]}…")
    assert [f.card_id for f in report.filed] == [first.id, second.id]
    assert not report.not_filed and report.batch.separators == (2,)


if __name__ == "__main__":
    main()
