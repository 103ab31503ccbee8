"""Reading a scanned batch (multi-page PDF or TIFF) page by page and writing its parts.

:func:`scan_batch` yields what each page carries; :func:`split_batch` runs the
:class:`~edmscore.scanning._plan.Planner` over it and hands each part, as soon as it is closed,
to a sink as a file of its own (a PDF for a PDF batch, a TIFF for a TIFF batch). Pages are
decoded at a reduced resolution first (``ScanOptions.dpi``); a page is looked at again at the
scanner's full resolution only when a symbol was seen there but did not decode. Memory holds one
page image and one part at a time, whatever the batch's length.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import io
import os
import struct
from collections.abc import Callable, Iterator
from typing import Any

import attrs
from PIL import Image, TiffImagePlugin, UnidentifiedImageError

from edmscore.errors import InputTooLarge, PdfEncrypted, ScanDamaged, ValidationError
from edmscore.scanning._codes import ReadCode, classify
from edmscore.scanning._plan import PageScan, Part, Planner
from edmscore.scanning._render import embedded_image, pdftoppm_page, reduce_to
from edmscore.scanning._symbols import Symbology
from edmscore.scanning._zxing import zxing

__all__ = [
    "BatchFormat",
    "BatchReport",
    "PartFile",
    "ScanOptions",
    "scan_batch",
    "split_batch",
]


class BatchFormat(enum.Enum):
    """The container of a scanned batch."""

    PDF = "pdf"
    TIFF = "tiff"

    @property
    def media_type(self) -> str:
        """The media type of the batch's parts."""
        return "application/pdf" if self is BatchFormat.PDF else "image/tiff"

    @property
    def suffix(self) -> str:
        """The file name suffix of the batch's parts."""
        return ".pdf" if self is BatchFormat.PDF else ".tif"


def _dpi(_owner: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or not 72 <= value <= 600:
        raise ValidationError(attribute.name, "must be 72..600")


@attrs.frozen
class ScanOptions:
    """How a batch is read: the first-pass resolution, the symbologies and the size bounds."""

    dpi: int = attrs.field(default=150, validator=_dpi)
    full_dpi: int = attrs.field(default=300, validator=_dpi)
    symbologies: frozenset[Symbology] = frozenset(Symbology)
    max_pages: int = 10_000
    max_bytes: int = 4 << 30


@attrs.frozen
class PartFile:
    """A part written out: the part, its bytes' sha256 and size, name suffix and media type."""

    part: Part
    sha256: str
    size: int
    media_type: str
    suffix: str


@attrs.frozen
class BatchReport:
    """What became of a batch: its pages, the parts and the separator pages dropped."""

    pages: int
    parts: tuple[Part, ...]
    separators: tuple[int, ...]

    @property
    def unassigned(self) -> tuple[Part, ...]:
        """The parts without a card, for a person to sort out."""
        return tuple(p for p in self.parts if p.card_id is None)


def _sniff(path: str) -> BatchFormat:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ScanDamaged(f"the batch cannot be opened: {exc.strerror}") from exc
    if head.startswith(b"%PDF-") or b"%PDF-" in head:
        return BatchFormat.PDF
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return BatchFormat.TIFF
    raise ScanDamaged("the batch is neither a PDF nor a TIFF")


def _decode(image: Image.Image, formats: Any) -> tuple[tuple[ReadCode, ...], bool]:
    z = zxing()
    try:
        found = z.read_barcodes(image, formats=formats, return_errors=True)
    except (ValueError, RuntimeError) as exc:  # pragma: no cover - zxing refuses the image
        raise ScanDamaged(f"the page image cannot be decoded: {exc}") from exc
    codes = {classify(b.text) for b in found if b.valid}
    return tuple(sorted(codes, key=lambda c: c.text)), any(not b.valid for b in found)


def _formats(options: ScanOptions) -> Any:
    z = zxing()
    names = {
        Symbology.CODE128: "Code128",
        Symbology.DATAMATRIX: "DataMatrix",
        Symbology.QR: "QRCode",
    }
    return z.barcode_formats_from_str(
        ",".join(names[s] for s in sorted(options.symbologies, key=lambda s: s.value))
    )


def _scan(
    page: int, image: Image.Image, full: Callable[[], Image.Image] | None, formats: Any
) -> PageScan:
    codes, undecoded = _decode(image, formats)
    if undecoded and full is not None:
        # A symbol was seen but did not decode at the reduced size: look at every pixel.
        codes, undecoded = _decode(full(), formats)
    return PageScan(page, codes, undecoded)


class _PdfBatch:
    def __init__(self, path: str, options: ScanOptions) -> None:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        self.path, self.options = path, options
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        try:
            self.reader = PdfReader(self._handle)
            if self.reader.is_encrypted and not self.reader.decrypt(""):
                raise PdfEncrypted("the batch needs a password to open")
            self.count = len(self.reader.pages)
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            self._handle.close()
            raise ScanDamaged(f"the PDF cannot be read: {exc}") from exc
        except BaseException:
            self._handle.close()
            raise

    def close(self) -> None:
        self._handle.close()

    def scan(self, index: int, formats: Any) -> PageScan:
        from pypdf.errors import PyPdfError

        page_no = index + 1
        options = self.options
        try:
            page = self.reader.pages[index]
            embedded = embedded_image(page, options.dpi)
            if embedded is not None:

                def full() -> Image.Image:
                    found = embedded_image(page, None)
                    assert found is not None
                    return found[0]

                scan = _scan(page_no, embedded[0], full, formats)
            else:
                image = pdftoppm_page(self.path, page_no, options.dpi)
                scan = _scan(
                    page_no,
                    image,
                    lambda: pdftoppm_page(self.path, page_no, options.full_dpi),
                    formats,
                )
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise ScanDamaged(f"the page cannot be read: {exc}", page_no) from exc
        finally:
            self.reader.resolved_objects.clear()  # drop the page's decoded objects
        return scan

    def write(self, pages: tuple[int, ...], out: io.BytesIO) -> None:
        from pypdf import PdfWriter

        writer = PdfWriter()
        for page_no in pages:
            writer.add_page(self.reader.pages[page_no - 1])
        writer.write(out)
        self.reader.resolved_objects.clear()


#: What Pillow raises on a broken image file (it has no error class of its own).
_PIL_ERRORS = (OSError, ValueError, EOFError, SyntaxError, TypeError, KeyError, struct.error)
_TIFF_KEEP = {"group4", "group3", "tiff_lzw", "tiff_adobe_deflate", "jpeg", "packbits", "raw"}


class _TiffBatch:
    def __init__(self, path: str, options: ScanOptions) -> None:
        self.path, self.options = path, options
        try:
            self.image = Image.open(path)
            self.count = int(getattr(self.image, "n_frames", 1))
        except (UnidentifiedImageError, *_PIL_ERRORS) as exc:
            raise ScanDamaged(f"the TIFF cannot be read: {exc}") from exc

    def close(self) -> None:
        self.image.close()

    def _frame(self, index: int) -> Image.Image:
        try:
            self.image.seek(index)
            self.image.load()
        except _PIL_ERRORS as exc:
            raise ScanDamaged(f"the page cannot be decoded: {exc}", index + 1) from exc
        return self.image

    def scan(self, index: int, formats: Any) -> PageScan:
        frame = self._frame(index)
        dpi = float(frame.info.get("dpi", (300, 300))[0] or 300)
        image = reduce_to(frame, dpi, self.options.dpi)

        def full() -> Image.Image:
            return self._frame(index).convert("L")

        return _scan(index + 1, image, full, formats)

    def write(self, pages: tuple[int, ...], out: io.BytesIO) -> None:
        with TiffImagePlugin.AppendingTiffWriter(out, new=True) as tiff:
            for page_no in pages:
                frame = self._frame(page_no - 1)
                compression = frame.info.get("compression", "raw")
                if compression not in _TIFF_KEEP or (
                    compression.startswith("group") and frame.mode != "1"
                ):
                    compression = "tiff_lzw"
                extra: dict[str, Any] = {"compression": compression}
                if "dpi" in frame.info:
                    extra["dpi"] = frame.info["dpi"]
                frame.save(tiff, format="TIFF", **extra)
                tiff.newFrame()


def _open(path: str | os.PathLike[str], options: ScanOptions) -> tuple[Any, BatchFormat]:
    path = os.fspath(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ScanDamaged(f"the batch cannot be opened: {exc.strerror}") from exc
    if size > options.max_bytes:
        raise InputTooLarge("batch", options.max_bytes, path)
    if size == 0:
        raise ScanDamaged("the batch is empty")
    kind = _sniff(path)
    batch = _PdfBatch(path, options) if kind is BatchFormat.PDF else _TiffBatch(path, options)
    if batch.count > options.max_pages:
        batch.close()
        raise ScanDamaged(f"the batch has more than {options.max_pages} pages")
    if batch.count == 0:
        batch.close()
        raise ScanDamaged("the batch has no pages")
    return batch, kind


def scan_batch(
    path: str | os.PathLike[str], options: ScanOptions | None = None
) -> Iterator[PageScan]:
    """What each page of the batch at ``path`` carries, page by page."""
    options = options if options is not None else ScanOptions()
    batch, _ = _open(path, options)
    formats = _formats(options)
    try:
        for index in range(batch.count):
            yield batch.scan(index, formats)
    finally:
        batch.close()


PartSink = Callable[[Part, bytes, "PartFile"], None]


def split_batch(
    path: str | os.PathLike[str],
    sink: PartSink,
    options: ScanOptions | None = None,
) -> BatchReport:
    """Split the batch at ``path`` into parts, handing each to ``sink`` as soon as it closes.

    ``sink(part, content, file)`` gets the part, its file's bytes (PDF or TIFF, as the batch)
    and a :class:`PartFile` with the sha256, size and media type. Parts without a card are
    handed over too (their ``card_id`` is None and ``problem`` says why).
    """
    options = options if options is not None else ScanOptions()
    batch, kind = _open(path, options)
    formats = _formats(options)
    planner = Planner()
    parts: list[Part] = []

    def emit(part: Part) -> None:
        out = io.BytesIO()
        batch.write(part.pages, out)
        content = out.getvalue()
        file = PartFile(
            part, hashlib.sha256(content).hexdigest(), len(content), kind.media_type, kind.suffix
        )
        parts.append(part)
        sink(part, content, file)

    try:
        for index in range(batch.count):
            for part in planner.add(batch.scan(index, formats)):
                emit(part)
        for part in planner.finish():
            emit(part)
    finally:
        with contextlib.suppress(OSError):
            batch.close()
    return BatchReport(batch.count, tuple(parts), tuple(planner.separators))
