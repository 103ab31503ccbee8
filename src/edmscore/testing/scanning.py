"""Scanned batches made on the spot, for testing a scanning pipeline end to end.

:func:`make_batch` prints each document's pages and its label (or a separator sheet before it)
to PDF, rasterises them with poppler's ``pdftoppm`` at the scanner's resolution, pastes the
label on the first page as a clerk sticks it, then degrades every page as a feeder scanner
does — skew, a page fed upside down or sideways, noise — and compresses it as scanners do (JPEG
in grey or CCITT Group 4 in black and white), in a multi-page PDF or TIFF. Pages are written one
at a time (Pillow's appending writers), so a batch of hundreds of pages needs one page of memory.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
from collections.abc import Sequence

import attrs
import pendulum
from fpdf import FPDF
from PIL import Image, ImageChops, TiffImagePlugin

from edmscore.pdf import font_path
from edmscore.scanning import Label, LabelLayout, Symbology, label_pdf, separator_pdf

__all__ = ["BatchDocument", "make_batch", "render_pdf_page", "text_page_pdf"]


@attrs.frozen
class BatchDocument:
    """One paper document of a batch and how it was prepared for scanning.

    ``label`` sticks the card's label on its first page; ``separator`` puts a separator sheet
    before it (naming the card when ``separator_names_card``); ``turn`` turns the first page by
    90, 180 or 270 degrees (fed sideways or upside down); ``words`` are printed on every page.
    """

    card_id: str | None
    pages: int = 1
    label: bool = True
    separator: bool = False
    separator_names_card: bool = False
    turn: int = 0
    words: str = "Об исполнении поручения"
    number: str = "01-1/26"


def render_pdf_page(pdf: bytes, page: int, dpi: int) -> Image.Image:
    """Page ``page`` (from 1) of ``pdf`` rendered by pdftoppm in grey at ``dpi``."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RuntimeError("pdftoppm (poppler-utils) is needed to make scanned batches")
    done = subprocess.run(
        [tool, "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    image = Image.open(io.BytesIO(done.stdout))
    image.load()
    return image


def text_page_pdf(title: str, words: str, page: int) -> bytes:
    """An A4 page of a typed letter in Russian: a heading, the words and some body text."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", font_path())
    pdf.add_page()
    pdf.set_font("DejaVu", "", 14)
    pdf.set_xy(25, 60)
    pdf.cell(160, 8, title)
    pdf.set_font("DejaVu", "", 12)
    body = (
        f"{words}. Страница {page}. Направляем сведения о ходе работ по договору и просим"
        " рассмотреть вопрос о продлении срока исполнения до конца квартала."
    )
    pdf.set_xy(25, 75)
    pdf.multi_cell(160, 7, (body + " ") * 4)
    return bytes(pdf.output())


class _Scanner:
    def __init__(self, dpi: int, seed: int, skew: float, noise: float, symbology: Symbology):
        self.dpi, self.skew, self.noise = dpi, skew, noise
        self.symbology = symbology
        self.random = random.Random(seed)
        self._noise: Image.Image | None = None
        self._pages: dict[tuple[str, int], Image.Image] = {}

    def text_page(self, document: BatchDocument, page: int) -> Image.Image:
        key = (document.words, page)
        if key not in self._pages:
            if len(self._pages) > 8:
                self._pages.clear()
            pdf = text_page_pdf("Письмо", document.words, page)
            self._pages[key] = render_pdf_page(pdf, 1, self.dpi)
        return self._pages[key].copy()

    def label(self, document: BatchDocument) -> Image.Image:
        assert document.card_id is not None
        label = Label(document.card_id, document.number, pendulum.date(2026, 12, 7))
        layout = LabelLayout(100, 30, Symbology.CODE128) if self.symbology.linear else None
        if layout is None:
            layout = LabelLayout(symbology=self.symbology)
        return render_pdf_page(label_pdf([label], layout), 1, self.dpi)

    def separator(self, document: BatchDocument) -> Image.Image:
        named = document.separator_names_card and document.card_id is not None
        label = (
            Label(document.card_id, document.number, pendulum.date(2026, 12, 7))
            if named and document.card_id is not None
            else None
        )
        return render_pdf_page(separator_pdf([label], self.symbology), 1, self.dpi)

    def degrade(self, image: Image.Image, turn: int) -> Image.Image:
        angle = self.random.uniform(-self.skew, self.skew)
        image = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
        if self.noise > 0:
            if self._noise is None or self._noise.size != image.size:
                self._noise = Image.effect_noise(image.size, 64).point(
                    lambda v: 255 if v > 128 else v + 127
                )
            image = (
                ImageChops.darker(image, self._noise)
                if self.noise > 0.5
                else Image.blend(image, self._noise, self.noise)
            )
        if turn:
            image = image.rotate(turn, expand=True)
        return image


def _pages(documents: Sequence[BatchDocument], scanner: _Scanner) -> list[tuple[str, int, int]]:
    """(what, document index, page) of every sheet in feeding order."""
    sheets: list[tuple[str, int, int]] = []
    for index, document in enumerate(documents):
        if document.separator:
            sheets.append(("separator", index, 0))
        for page in range(1, document.pages + 1):
            sheets.append(("page", index, page))
    return sheets


def make_batch(
    path: str | os.PathLike[str],
    documents: Sequence[BatchDocument],
    *,
    dpi: int = 300,
    compression: str = "jpeg",
    container: str = "pdf",
    skew: float = 1.5,
    noise: float = 0.1,
    quality: int = 60,
    symbology: Symbology = Symbology.DATAMATRIX,
    seed: int = 0,
) -> int:
    """Write a scanned batch of ``documents`` to ``path``; returns its page count.

    ``compression`` is ``"jpeg"`` (grey) or ``"g4"`` (CCITT Group 4, black and white);
    ``container`` is ``"pdf"`` or ``"tiff"``.
    """
    if compression not in ("jpeg", "g4") or container not in ("pdf", "tiff"):
        raise ValueError("compression is jpeg or g4, container pdf or tiff")
    scanner = _Scanner(dpi, seed, skew, noise, symbology)
    labels: dict[int, Image.Image] = {}
    count = 0
    path = os.fspath(path)
    with open(path, "w+b") as out:
        tiff = TiffImagePlugin.AppendingTiffWriter(out, new=True) if container == "tiff" else None
        out.flush()
        for what, index, page in _pages(documents, scanner):
            document = documents[index]
            turn = 0
            if what == "separator":
                image = scanner.separator(document)
            else:
                image = scanner.text_page(document, page)
                if page == 1 and document.label and document.card_id is not None:
                    if index not in labels:
                        labels = {index: scanner.label(document)}
                    sticker = labels[index]
                    image.paste(sticker, (image.width - sticker.width - dpi // 4, dpi // 3))
                    turn = document.turn
            image = scanner.degrade(image, turn)
            if compression == "g4":
                image = image.point(lambda v: 255 if v > 150 else 0).convert("1")
            count += 1
            if tiff is not None:
                options = (
                    {"compression": "group4"}
                    if compression == "g4"
                    else {
                        "compression": "jpeg",
                        "quality": quality,
                    }
                )
                image.save(tiff, format="TIFF", dpi=(dpi, dpi), **options)
                tiff.newFrame()
            else:
                # By name: Pillow appends each page to the file as an incremental update.
                extra = {"quality": quality} if compression == "jpeg" else {}
                image.save(path, format="PDF", resolution=dpi, append=count > 1, **extra)
        if tiff is not None:
            tiff.close()
    return count
