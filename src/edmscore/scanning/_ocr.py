"""OCR of scanned parts with Tesseract (the ``ocr`` extra: the ``tesseract`` program with its
``rus`` and ``eng`` language data): a text layer added under the scan and the text for search.

Each page of a PDF is rendered by ``pdftoppm`` at 300 dpi, one at a time; Tesseract writes the
page's words as an invisible text-only PDF page, which is laid over the original page scaled to
its box, so the scan itself is kept as it was. A page that already has text (a born-digital
page) is kept as it is and its text is taken. A TIFF is read by Tesseract directly, for the
text only. Memory holds one page image and the part being written.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile

import attrs

from edmscore.errors import OcrFailed, ScanDamaged, ScanToolMissing
from edmscore.registry.cards import MAX_FILE_TEXT

__all__ = ["OcrResult", "ocr_file", "tesseract_languages"]

_TIMEOUT = 600
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@attrs.frozen
class OcrResult:
    """What OCR gave: the file with its text layer (a PDF; None for a TIFF), the text, pages."""

    pdf: bytes | None = attrs.field(repr=lambda v: "None" if v is None else f"<{len(v)} bytes>")
    text: str = attrs.field(repr=lambda v: f"<{len(v)} characters>")
    pages: int


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ScanToolMissing(name, package)
    return found


def tesseract_languages() -> frozenset[str]:
    """The language data installed for Tesseract (``rus``, ``eng``…)."""
    done = subprocess.run(
        [_tool("tesseract", "tesseract-ocr"), "--list-langs"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def _clean(text: str) -> str:
    """Text fit to keep: control characters (Tesseract's form feeds) become line breaks."""
    lines = (line.rstrip() for line in _CONTROL.sub("\n", text).splitlines())
    return "\n".join(line for line in lines if line)


def _tesseract(image: str, out_base: str, languages: str, *configs: str) -> None:
    command = [
        _tool("tesseract", "tesseract-ocr"),
        image,
        out_base,
        "-l",
        languages,
        "--dpi",
        "300",
        *configs,
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed("Tesseract took too long") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(message[-1] if message else f"exit status {done.returncode}")


def _ocr_pdf(data: bytes, languages: str, workdir: str) -> OcrResult:
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation
    from pypdf.errors import PyPdfError

    from edmscore.scanning._render import pdftoppm_page

    source = os.path.join(workdir, "part.pdf")
    with open(source, "wb") as handle:
        handle.write(data)
    try:
        reader = PdfReader(source)
        count = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ScanDamaged(f"the PDF cannot be read: {exc}") from exc
    writer = PdfWriter(clone_from=reader)
    texts: list[str] = []
    for index, page in enumerate(writer.pages):
        existing = (page.extract_text() or "").strip()
        if existing:
            texts.append(existing)
            continue
        image = pdftoppm_page(source, index + 1, 300)
        png = os.path.join(workdir, "page.png")
        image.save(png)
        del image
        base = os.path.join(workdir, "page")
        _tesseract(png, base, languages, "-c", "textonly_pdf=1", "pdf", "txt")
        with open(base + ".txt", encoding="utf-8", errors="replace") as handle:
            texts.append(handle.read())
        layer: PageObject = PdfReader(base + ".pdf").pages[0]
        if page.rotation:
            page.transfer_rotation_to_content()
        box, lbox = page.mediabox, layer.mediabox
        scale_x = float(box.width) / float(lbox.width)
        scale_y = float(box.height) / float(lbox.height)
        move = (
            Transformation().scale(scale_x, scale_y).translate(float(box.left), float(box.bottom))
        )
        page.merge_transformed_page(layer, move, over=True)
    out = io.BytesIO()
    writer.write(out)
    return OcrResult(out.getvalue(), _clean("\n".join(texts))[:MAX_FILE_TEXT], count)


def _ocr_tiff(data: bytes, languages: str, workdir: str) -> OcrResult:
    from PIL import Image, UnidentifiedImageError

    source = os.path.join(workdir, "part.tif")
    with open(source, "wb") as handle:
        handle.write(data)
    try:
        with Image.open(source) as image:
            count = int(getattr(image, "n_frames", 1))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ScanDamaged(f"the TIFF cannot be read: {exc}") from exc
    base = os.path.join(workdir, "part")
    _tesseract(source, base, languages, "txt")
    with open(base + ".txt", encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    return OcrResult(None, _clean(text)[:MAX_FILE_TEXT], count)


def ocr_file(data: bytes, media_type: str, languages: str = "rus+eng") -> OcrResult:
    """Recognise the text of a scanned part (``application/pdf`` or ``image/tiff``).

    A PDF comes back with an invisible text layer over each scanned page; a TIFF gives its text
    only. Needs the ``tesseract`` program with the languages asked (:class:`ScanToolMissing`
    otherwise); a failure of the engine is :class:`OcrFailed`.
    """
    if not re.fullmatch(r"[a-z_]{3,}(\+[a-z_]{3,})*", languages):
        raise OcrFailed(f"not a Tesseract language list: {languages!r}")
    missing = set(languages.split("+")) - tesseract_languages()
    if missing:
        raise ScanToolMissing(f"tesseract ({'+'.join(sorted(missing))})", "tesseract-ocr-rus")
    with tempfile.TemporaryDirectory(prefix="edms-ocr-") as workdir:
        if media_type == "application/pdf":
            return _ocr_pdf(data, languages, workdir)
        if media_type == "image/tiff":
            return _ocr_tiff(data, languages, workdir)
    raise OcrFailed(f"cannot recognise {media_type} files")
