"""Documents as PDF/A for the archive: conversion by Ghostscript and a check of the result.

The rules for keeping archival documents (приказ Росархива от 31.07.2023 № 77, п. 141) want the
main file of an archival electronic document in PDF/A. :func:`to_pdfa` converts a PDF with
Ghostscript's ``pdfwrite`` device (``-dPDFA=2``, sRGB output intent from Ghostscript's own ICC
profile, every font embedded); a document that already conforms (its claim, an output intent,
every font embedded) is kept byte for byte, so its signatures stay valid. The input is opened
first by :mod:`edmscore.pdf`'s defensive reader: an encrypted, damaged, empty or oversized file
is a typed :class:`~edmscore.errors.PdfError`, never something Ghostscript half-converts.

:func:`check_pdfa` reads what a file claims and carries: the PDF/A identification
(``pdfaid:part`` and ``conformance`` in XMP), the output intent and its ICC profile, fonts not
embedded. It is not a full validator (veraPDF is one); it is what the package reader reports.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import tempfile

import attrs
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from edmscore.errors import PdfaConversionFailed, ValidationError
from edmscore.pdf._pdfa import intent_components, pdfa_claim
from edmscore.pdf._reading import DEFAULT_MAX_PAGES, open_pdf

__all__ = ["DEFAULT_MAX_PDF_BYTES", "PdfaCheck", "check_pdfa", "ghostscript", "to_pdfa"]

#: The largest document converted (bytes).
DEFAULT_MAX_PDF_BYTES = 256 * 1024 * 1024
_TIMEOUT = 300
_MAX_FONTS = 10_000
_ICC = "default_rgb.icc"
_DEF = """%!
/ICCProfile ({icc}) def
[/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark
[{{icc_PDFA}} << /N 3 >> /PUT pdfmark
[{{icc_PDFA}} ICCProfile (r) file /PUT pdfmark
[/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark
[{{OutputIntent_PDFA}} <<
  /Type /OutputIntent /S /GTS_PDFA1
  /DestOutputProfile {{icc_PDFA}}
  /OutputConditionIdentifier (sRGB)
>> /PUT pdfmark
[{{Catalog}} << /OutputIntents [ {{OutputIntent_PDFA}} ] >> /PUT pdfmark
"""


@attrs.frozen
class PdfaCheck:
    """What a PDF claims and carries for PDF/A: part and conformance, output intent, fonts."""

    part: int | None
    conformance: str | None
    output_intent: bool
    unembedded_fonts: tuple[str, ...]
    pages: int

    @property
    def conforms(self) -> bool:
        """Whether it claims PDF/A, has an output intent and embeds every font."""
        return self.part is not None and self.output_intent and not self.unembedded_fonts

    @property
    def label(self) -> str:
        """«PDF/A-2b», or «» when it claims none."""
        if self.part is None:
            return ""
        return f"PDF/A-{self.part}{(self.conformance or 'B').lower()}"


def _fonts(reader: PdfReader) -> tuple[str, ...]:
    """Names of the fonts of the pages' resources that are not embedded."""
    missing: set[str] = set()
    seen: set[int] = set()
    stack: list[object] = []
    for page in reader.pages:
        stack.append(page.get("/Resources"))
    count = 0
    while stack and count < _MAX_FONTS:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if not isinstance(item, DictionaryObject):
            continue
        fonts = item.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        if isinstance(fonts, DictionaryObject):
            for ref in fonts.values():
                count += 1
                font = ref.get_object()
                if isinstance(font, DictionaryObject) and not _embedded(font):
                    missing.add(str(font.get("/BaseFont", "?")).lstrip("/"))
        xobjects = item.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if isinstance(xobjects, DictionaryObject):
            for ref in xobjects.values():
                target = ref.get_object()
                if isinstance(target, DictionaryObject) and target.get("/Subtype") == "/Form":
                    stack.append(target.get("/Resources"))
    return tuple(sorted(missing))


def _embedded(font: DictionaryObject) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True  # glyphs drawn by the document itself
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        descendants = descendants.get_object() if descendants is not None else None
        if isinstance(descendants, ArrayObject) and descendants:
            child = descendants[0].get_object()
            return isinstance(child, DictionaryObject) and _embedded(child)
        return False
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else None
    if not isinstance(descriptor, DictionaryObject):
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def check_pdfa(data: bytes, *, max_bytes: int = DEFAULT_MAX_PDF_BYTES) -> PdfaCheck:
    """What ``data`` claims and carries for PDF/A; a :class:`~edmscore.errors.PdfError` if it is
    not a readable PDF."""
    reader = open_pdf(data, max_bytes=max_bytes, max_pages=DEFAULT_MAX_PAGES)
    claim = pdfa_claim(reader)
    return PdfaCheck(
        None if claim is None else claim.part,
        None if claim is None else claim.conformance,
        intent_components(reader) is not None,
        _fonts(reader),
        len(reader.pages),
    )


def ghostscript() -> str | None:
    """The path of Ghostscript's ``gs``, None when it is not installed."""
    return shutil.which("gs")


def _icc() -> bytes:
    """Ghostscript's own sRGB profile (``default_rgb.icc`` of its ``iccprofiles``)."""
    gs = ghostscript()
    roots = [pathlib.Path("/usr/share/ghostscript"), pathlib.Path("/usr/local/share/ghostscript")]
    if gs is not None:
        roots.append(pathlib.Path(gs).resolve().parent.parent / "share" / "ghostscript")
    for root in roots:
        for found in sorted(root.glob(f"*/iccprofiles/{_ICC}")) if root.is_dir() else ():
            return found.read_bytes()
    raise PdfaConversionFailed("Ghostscript's sRGB profile (default_rgb.icc) is not installed")


def to_pdfa(
    data: bytes,
    *,
    part: int = 2,
    keep_conforming: bool = True,
    max_bytes: int = DEFAULT_MAX_PDF_BYTES,
) -> bytes:
    """``data`` (a PDF) as PDF/A-``part``\\ b (1, 2 or 3), converted by Ghostscript.

    A document that already conforms is returned unchanged when ``keep_conforming``. Raises a
    :class:`~edmscore.errors.PdfError` for input that is not a readable PDF (encrypted, damaged,
    empty, too large) and :class:`~edmscore.errors.PdfaConversionFailed` when Ghostscript is
    missing or fails, or its output does not claim the part with an output intent and embedded
    fonts on as many pages as the input.
    """
    if part not in (1, 2, 3):
        raise ValidationError("part", "PDF/A part 1, 2 or 3")
    before = check_pdfa(data, max_bytes=max_bytes)
    if keep_conforming and before.conforms:
        return data
    gs = ghostscript()
    if gs is None:
        raise PdfaConversionFailed("Ghostscript (gs) is not installed")
    with tempfile.TemporaryDirectory(prefix="edms-pdfa-") as work:
        folder = pathlib.Path(work)
        (folder / "rgb.icc").write_bytes(_icc())
        icc = str(folder / "rgb.icc").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        (folder / "def.ps").write_text(_DEF.format(icc=icc), encoding="ascii")
        (folder / "in.pdf").write_bytes(data)
        command = [
            gs,
            "-q",
            "-dSAFER",
            "-dBATCH",
            "-dNOPAUSE",
            "-dNOOUTERSAVE",
            f"-dPDFA={part}",
            "-dPDFACompatibilityPolicy=1",
            "-sColorConversionStrategy=RGB",
            "-sDEVICE=pdfwrite",
            f"--permit-file-read={folder}/",
            f"-sOutputFile={folder / 'out.pdf'}",
            str(folder / "def.ps"),
            str(folder / "in.pdf"),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfaConversionFailed("Ghostscript took too long") from exc
        out = folder / "out.pdf"
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise PdfaConversionFailed(f"Ghostscript failed ({said[-1] if said else 'no output'})")
        result = out.read_bytes()
    after = check_pdfa(result, max_bytes=max(max_bytes, len(result)))
    if after.part != part or not after.output_intent or after.unembedded_fonts:
        raise PdfaConversionFailed(
            f"the output is not PDF/A-{part}: claim {after.label or 'none'}, output intent "
            f"{after.output_intent}, fonts not embedded {list(after.unembedded_fonts)}"
        )
    if after.pages != before.pages:
        raise PdfaConversionFailed(f"{before.pages} pages became {after.pages}")
    return result


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
