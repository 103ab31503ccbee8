"""Page images of a scanned batch, one page at a time and no larger than asked.

A page that is one scanned image (what scanners write) is not rendered at all: its image is
decoded straight from the PDF — a JPEG at a reduced scale by the decoder itself (libjpeg's DCT
scaling), a CCITT, JBIG2-free Flate or other image at full size and then reduced. Any other
page (text, vector labels, several images) is rendered by poppler's ``pdftoppm``, one page per
run, in grey. TIFF frames are read by Pillow one frame at a time. Nothing holds more than one
page image.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

from PIL import Image

from edmscore.errors import ScanDamaged, ScanToolMissing

__all__ = ["embedded_image", "pdftoppm_page", "reduce_to"]

#: The longest a page may take to render before it is refused as damaged (seconds).
RENDER_TIMEOUT = 120
Image.MAX_IMAGE_PIXELS = max(Image.MAX_IMAGE_PIXELS or 0, 300_000_000)


def _pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        raise ScanToolMissing("pdftoppm", "poppler-utils")
    return found


def pdftoppm_page(path: str, page: int, dpi: int) -> Image.Image:
    """Page ``page`` (from 1) of the PDF at ``path`` rendered in grey at ``dpi``."""
    command = [_pdftoppm(), "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=RENDER_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ScanDamaged("the page takes too long to render", page) from exc
    if done.returncode != 0 or not done.stdout:
        raise ScanDamaged("the page cannot be rendered", page)
    try:
        image = Image.open(io.BytesIO(done.stdout))
        image.load()
    except (OSError, ValueError) as exc:
        raise ScanDamaged("the page cannot be rendered", page) from exc
    return image


def reduce_to(image: Image.Image, source_dpi: float, dpi: int) -> Image.Image:
    """``image`` in grey, reduced by a whole factor to about ``dpi`` (never enlarged)."""
    grey = image if image.mode == "L" else image.convert("L")
    factor = int(source_dpi / dpi) if dpi > 0 else 1
    return grey.reduce(factor) if factor >= 2 else grey


def _single_image(page: Any) -> Any | None:
    """The page's one image XObject when the page is a bare scan (no fonts, no forms)."""
    resources = page.get("/Resources")
    if resources is None:
        return None
    resources = resources.get_object()
    if "/Font" in resources:
        return None
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return None
    xobjects = xobjects.get_object()
    if len(xobjects) != 1:
        return None
    (ref,) = xobjects.values()
    image = ref.get_object()
    if image.get("/Subtype") != "/Image" or "/SMask" in image or "/Mask" in image:
        return None
    return image


def _filters(image: Any) -> list[str]:
    value = image.get("/Filter")
    if value is None:
        return []
    value = value.get_object()
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def embedded_image(page: Any, dpi: int | None) -> tuple[Image.Image, float] | None:
    """The scan on a bare-scan page in grey, reduced to about ``dpi`` (None: full size),
    with the resolution it ends at; None when the page is not a bare scan."""
    xobject = _single_image(page)
    if xobject is None:
        return None
    box = page.mediabox
    long_side_in = max(float(box.width), float(box.height)) / 72
    if long_side_in <= 0:
        return None
    width, height = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
    source_dpi = max(width, height) / long_side_in
    filters = _filters(xobject)
    if filters == ["/DCTDecode"]:
        jpeg = Image.open(io.BytesIO(xobject._data))
        if dpi is not None and source_dpi > dpi:
            scale = source_dpi / dpi
            jpeg.draft("L", (int(width / scale), int(height / scale)))
        grey = jpeg.convert("L")
        return grey, max(grey.size) / long_side_in
    if any(f in ("/JBIG2Decode", "/JPXDecode") for f in filters):
        return None  # pdftoppm renders these; Pillow may not decode them
    image = xobject.decode_as_image()
    if dpi is None:
        return (image if image.mode == "L" else image.convert("L")), source_dpi
    reduced = reduce_to(image, source_dpi, dpi)
    return reduced, max(reduced.size) / long_side_in
