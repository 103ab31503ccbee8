"""Stamp a two-page letter: the e-signature mark from a certificate, a facsimile next to the
signatory's name, the registration mark, the ДСП mark and a QR code of the card.

Run: python examples/pdf_stamp.py [OUTPUT_FOLDER]   (writes letter.pdf and letter-stamped.pdf)
"""

from __future__ import annotations

import datetime
import io
import sys
import tempfile
from pathlib import Path

import pendulum
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfReader

from edmscore.pdf import (
    Anchor,
    CodeMark,
    Corner,
    ESignatureMark,
    Facsimile,
    FreeSpace,
    NearText,
    RegistrationMark,
    RestrictionMark,
    Side,
    SignatureMarkData,
    Stamp,
    font_path,
    stamp_pdf,
)


def make_letter() -> bytes:
    """A two-page letter as a department would print it (any PDF producer will do)."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", font_path())
    pdf.set_font("DejaVu", size=12)
    pdf.set_margins(30, 20, 15)
    pdf.add_page()
    for line in [
        "МИНИСТЕРСТВО ФИНАНСОВ ОБЛАСТИ",
        "",
        "Главе муниципального образования",
        "",
        "Уважаемый Иван Петрович!",
        "Направляем сведения об исполнении бюджета за третий квартал.",
    ]:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.cell(0, 8, "Приложение: на 2 л. в 1 экз.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(20)
    pdf.cell(100, 8, "Министр финансов области")
    pdf.cell(0, 8, "П.П. Петров", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_certificate() -> bytes:
    """A signer's certificate (a real one comes from the accredited CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.SURNAME, "Петров"),
            x509.NameAttribute(NameOID.GIVEN_NAME, "Пётр Петрович"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Министерство финансов области"),
        ]
    )
    start = datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x01D5A0E1C2B3A4F5E6D7C8B9A0F1E2D3)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=457))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def make_facsimile() -> bytes:
    """A scanned handwritten signature: ink on white paper with a wide margin."""
    image = Image.new("RGB", (900, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(150, 300), (260, 120), (330, 290), (420, 150), (520, 280), (760, 170)],
              fill=(25, 35, 120), width=9)  # fmt: skip
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    letter = make_letter()
    data = SignatureMarkData.from_certificate(make_certificate())
    stamps = [
        Stamp(ESignatureMark(data), placement=NearText("Министр финансов области")),
        Stamp(Facsimile(make_facsimile(), 30), placement=NearText("П.П. Петров", Side.LEFT)),
        Stamp(
            RegistrationMark("01-15/1234", pendulum.date(2026, 11, 25)),
            placement=FreeSpace(preferred=Anchor(Corner.TOP_LEFT, 30, 30)),
        ),
        Stamp(RestrictionMark(copy_number=2)),
        Stamp(CodeMark("https://edms.example/cards/2026/01-15-1234", caption="01-15/1234")),
    ]
    result = stamp_pdf(letter, stamps)
    (folder / "letter.pdf").write_bytes(letter)
    (folder / "letter-stamped.pdf").write_bytes(result.pdf)
    print(f"stamped {len(result.pdf)} bytes into {folder / 'letter-stamped.pdf'}")
    for placed in result.placements:
        print(f"  page {placed.page}: {placed.kind:12} {placed.box_mm} mm ({placed.how})")
    text = PdfReader(io.BytesIO(result.pdf)).pages[1].extract_text()
    print("text of page 2 read back by pypdf:")
    for line in text.splitlines():
        print("  " + line)
    assert "Владелец Петров Пётр Петрович" in text


if __name__ == "__main__":
    main()
