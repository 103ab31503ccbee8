"""Shared fixtures for the PDF tests: real producers (LibreOffice, Ghostscript), rendering."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence

import pendulum
import pytest
from PIL import Image, ImageChops, ImageDraw

from edmscore.pdf import PlacedMark, SignatureMarkData

IN_CI = os.environ.get("CI") == "true"

PAGE_SIZES_CM = {"A4": (21.0, 29.7), "A3": (29.7, 42.0), "Letter": (21.59, 27.94)}


def need_tool(name: str) -> str:
    """The path of a system tool; skips the test without it (fails in CI)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (scripts/check installs it when run as root)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def _fodt(width_cm: float, height_cm: float, pages: list[list[str]]) -> str:
    body = []
    for number, page in enumerate(pages):
        for index, line in enumerate(page):
            style = ' text:style-name="Break"' if number and index == 0 else ""
            body.append(f"<text:p{style}>{line}</text:p>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties
   fo:page-width="{width_cm}cm" fo:page-height="{height_cm}cm" fo:margin-top="2cm"
   fo:margin-bottom="2cm" fo:margin-left="3cm" fo:margin-right="1.5cm"/></style:page-layout>
  <style:style style:name="Break" style:family="paragraph">
   <style:paragraph-properties fo:break-before="page"/></style:style>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1"/>
 </office:master-styles>
 <office:body><office:text>{"".join(body)}</office:text></office:body>
</office:document>
"""


LETTER_PAGES = [
    [
        "Министерство финансов области",
        "Главе муниципального образования",
        "Уважаемый Иван Петрович!",
        "Направляем сведения об исполнении бюджета за третий квартал.",
        "Просим рассмотреть их до конца месяца.",
    ],
    [
        "Приложение: на 2 л. в 1 экз.",
        "Министр финансов области",
        "Петров П.П.",
    ],
]


@pytest.fixture(scope="session")
def libreoffice_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Two-page letters made by LibreOffice Writer on A4, A3 and Letter paper."""
    soffice = need_tool("soffice")
    folder = tmp_path_factory.mktemp("libreoffice")
    sources = []
    for name, (width, height) in PAGE_SIZES_CM.items():
        path = folder / f"{name}.fodt"
        path.write_text(_fodt(width, height, LETTER_PAGES), encoding="utf-8")
        sources.append(str(path))
    profile = folder / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {name: (folder / f"{name}.pdf").read_bytes() for name in PAGE_SIZES_CM}


@pytest.fixture(scope="session")
def ghostscript_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A one-page A4 PDF made by Ghostscript's ps2pdf from PostScript."""
    ps2pdf = need_tool("ps2pdf")
    folder = tmp_path_factory.mktemp("ghostscript")
    source = folder / "page.ps"
    source.write_text(
        "%!PS\n<< /PageSize [595 842] >> setpagedevice\n"
        "/Helvetica findfont 12 scalefont setfont\n"
        "72 760 moveto (Director of the department) show\n"
        "72 740 moveto (J. Smith) show\nshowpage\n",
        encoding="ascii",
    )
    target = folder / "page.pdf"
    subprocess.run([ps2pdf, str(source), str(target)], check=True, timeout=120)
    return target.read_bytes()


def render_page(pdf: bytes, page: int, dpi: int = 50) -> Image.Image:
    """Page ``page`` (from 1) of a PDF rendered at ``dpi`` with pdftoppm, as an RGB image."""
    result = subprocess.run(
        [
            need_tool("pdftoppm"),
            *("-cropbox", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-"),
        ],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=120,
    )
    with Image.open(io.BytesIO(result.stdout)) as image:
        return image.convert("RGB")


@pytest.fixture
def render() -> Callable[[bytes, int, int], Image.Image]:
    """:func:`render_page`, once pdftoppm is known to be there (skip or, in CI, fail if not)."""
    need_tool("pdftoppm")
    return render_page


def assert_marks_exactly_in(
    before: Image.Image,
    after: Image.Image,
    placed: Sequence[PlacedMark],
    dpi: int = 40,
    tol: int = 2,
) -> None:
    """Changed pixels all lie inside the reported boxes, and each box holds some."""
    assert before.size == after.size
    diff = ImageChops.difference(before, after).convert("L").point(lambda v: 255 if v > 40 else 0)
    scale = dpi / 25.4
    outside = diff.copy()
    draw = ImageDraw.Draw(outside)
    for mark in placed:
        left, bottom, right, top = mark.box_mm
        box = (
            int(left * scale) - tol,
            int(after.height - top * scale) - tol,
            int(right * scale) + tol + 1,
            int(after.height - bottom * scale) + tol + 1,
        )
        assert diff.crop(box).getbbox() is not None, f"nothing drawn in {mark}"
        draw.rectangle(box, fill=0)
    assert outside.getbbox() is None, f"pixels changed outside the marks: {outside.getbbox()}"


@pytest.fixture
def mark_data() -> SignatureMarkData:
    """E-signature mark data of a typical signer."""
    return SignatureMarkData(
        serial_hex="01d5a0e1c2b3a4f5e6d7c8b9a0f1e2d3",
        owner="Петров Пётр Петрович",
        valid_from=pendulum.date(2025, 3, 1),
        valid_to=pendulum.date(2026, 6, 1),
        organisation="Министерство финансов области",
        position="Министр финансов области",
    )


def signature_image(mode: str = "RGBA", margin: int = 60) -> bytes:
    """A drawn 'handwritten' signature with an empty margin, as PNG (RGBA) or JPEG (RGB)."""
    background = (255, 255, 255, 0) if mode == "RGBA" else (255, 255, 255)
    image = Image.new(mode, (400 + 2 * margin, 150 + 2 * margin), background)
    draw = ImageDraw.Draw(image)
    points = [(margin, margin + 120), (margin + 120, margin), (margin + 260, margin + 150)]
    points.append((margin + 400, margin + 30))
    draw.line(points, fill=(10, 20, 140) if mode == "RGB" else (10, 20, 140, 255), width=10)
    out = io.BytesIO()
    image.save(out, format="PNG" if mode == "RGBA" else "JPEG", quality=95)
    return out.getvalue()


@pytest.fixture
def facsimile_png() -> bytes:
    """A transparent PNG signature with a 60 px empty margin."""
    return signature_image("RGBA")


def rewrite(pdf: bytes, edit: Callable[[object], None]) -> bytes:
    """Apply ``edit`` to a pypdf writer cloned from ``pdf`` and return the new bytes."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(objects: list[str], root: int = 1) -> bytes:
    """A PDF file written by hand from numbered object bodies (object 1 first)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stream(data: str) -> str:
    """An uncompressed stream object body."""
    return f"<< /Length {len(data.encode('latin-1'))} >>\nstream\n{data}\nendstream"


def assert_upright(
    page: Image.Image, placed: PlacedMark, mark_image: Image.Image, dpi: int = 40
) -> None:
    """The mark on the rendered page matches its own drawing unturned better than turned."""
    scale = dpi / 25.4
    left, bottom, right, top = placed.box_mm
    crop = page.crop(
        (
            round(left * scale),
            round(page.height - top * scale),
            round(right * scale),
            round(page.height - bottom * scale),
        )
    ).convert("L")
    scores = {}
    for turn in (0, 90, 180, 270):
        candidate = mark_image.convert("L").rotate(turn, expand=True).resize(crop.size)
        histogram = ImageChops.difference(crop, candidate).histogram()
        scores[turn] = sum(value * count for value, count in enumerate(histogram))
    assert min(scores, key=lambda turn: scores[turn]) == 0, scores
