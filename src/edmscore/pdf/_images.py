"""Images for marks, prepared with Pillow: facsimiles trimmed, scaled and kept transparent."""

from __future__ import annotations

import io

from PIL import Image, ImageChops, UnidentifiedImageError

from edmscore.errors import ValidationError

__all__ = ["PreparedImage", "prepare_facsimile", "prepare_image"]

_MAX_INPUT_BYTES = 20 * 1024 * 1024
_MAX_PIXELS = 40_000_000
_DPI = 300
# A pixel this close to white (on every channel) counts as paper in an opaque image.
_PAPER_THRESHOLD = 245


class PreparedImage:
    """A PNG ready to embed, with its size in millimetres."""

    __slots__ = ("height_mm", "png", "width_mm")

    def __init__(self, png: bytes, width_mm: float, height_mm: float) -> None:
        self.png = png
        self.width_mm = width_mm
        self.height_mm = height_mm


def _open(data: bytes, field: str) -> Image.Image:
    if not data:
        raise ValidationError(field, "empty image")
    if len(data) > _MAX_INPUT_BYTES:
        raise ValidationError(field, f"image larger than {_MAX_INPUT_BYTES} bytes")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in {"PNG", "JPEG"}:
                raise ValidationError(field, f"PNG or JPEG expected, got {probe.format}")
            if probe.width * probe.height > _MAX_PIXELS:
                raise ValidationError(field, "image has too many pixels")
            probe.load()
            image = probe.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(field, f"unreadable image: {exc}") from exc
    return image


def _content_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The box of the non-empty pixels: opaque ones, and not near-white ones."""
    alpha = image.getchannel("A")
    opaque_box = alpha.point(lambda a: 255 if a > 8 else 0).getbbox()
    if opaque_box is None:
        return None
    grey = image.convert("L")
    ink = grey.point(lambda v: 255 if v < _PAPER_THRESHOLD else 0)
    ink = ImageChops.multiply(ink, alpha.point(lambda a: 255 if a > 8 else 0))
    return ink.getbbox()


def _to_png(image: Image.Image, width_mm: float) -> PreparedImage:
    target_px = max(1, round(width_mm / 25.4 * _DPI))
    if image.width > target_px:
        height_px = max(1, round(image.height * target_px / image.width))
        image = image.resize((target_px, height_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    height_mm = width_mm * image.height / image.width
    return PreparedImage(out.getvalue(), width_mm, height_mm)


def prepare_facsimile(data: bytes, width_mm: float, *, field: str = "facsimile") -> PreparedImage:
    """Trim the empty margin, make paper-white transparent, scale to ``width_mm`` at 300 dpi."""
    image = _open(data, field)
    box = _content_box(image)
    if box is None:
        raise ValidationError(field, "the image is empty (no visible ink)")
    image = image.crop(box)
    # Opaque white paper of a scanned signature becomes transparent, so the text stays visible.
    grey = image.convert("L")
    paper = grey.point(lambda v: 0 if v >= _PAPER_THRESHOLD else 255)
    alpha = ImageChops.multiply(image.getchannel("A"), paper)
    image.putalpha(alpha)
    return _to_png(image, width_mm)


def prepare_image(data: bytes, width_mm: float, *, field: str = "emblem") -> PreparedImage:
    """Scale an image (an emblem) to ``width_mm``, keeping it as it is otherwise."""
    return _to_png(_open(data, field), width_mm)
