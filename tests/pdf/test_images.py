"""Facsimile preparation with Pillow: trimmed, scaled, transparent."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from edmscore.errors import ValidationError
from edmscore.pdf._images import prepare_facsimile, prepare_image

from .conftest import signature_image


def _open(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


@pytest.mark.parametrize("mode", ["RGBA", "RGB"])
def test_margin_is_trimmed_and_paper_is_transparent(mode: str) -> None:
    prepared = prepare_facsimile(signature_image(mode, margin=80), width_mm=40)
    image = _open(prepared.png)
    assert image.mode == "RGBA"
    alpha = image.getchannel("A")
    # Trimmed: ink touches every edge of the prepared image.
    assert alpha.getbbox() == (0, 0, image.width, image.height)
    # The white paper (of the JPEG) and the transparent background are transparent.
    assert alpha.getpixel((image.width - 1, image.height - 1)) == 0
    assert alpha.getextrema()[1] == 255
    # The aspect ratio of the drawn line (400 x 150 plus the pen) is kept.
    assert prepared.width_mm == 40
    assert 0.35 < prepared.height_mm / prepared.width_mm < 0.45


def test_scaled_to_300_dpi_of_the_target_width() -> None:
    prepared = prepare_facsimile(signature_image("RGBA", margin=10), width_mm=25.4)
    assert _open(prepared.png).width <= 300
    big = Image.new("RGBA", (3000, 1000), (0, 0, 0, 255))
    out = io.BytesIO()
    big.save(out, format="PNG")
    assert _open(prepare_facsimile(out.getvalue(), width_mm=50.8).png).width == 600


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40],
)
def test_unreadable_images_are_validation_errors(data: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        prepare_facsimile(data, 40)
    assert caught.value.field == "facsimile"


def test_blank_or_foreign_images_are_refused() -> None:
    blank = io.BytesIO()
    Image.new("RGBA", (50, 50), (255, 255, 255, 0)).save(blank, format="PNG")
    with pytest.raises(ValidationError, match="empty"):
        prepare_facsimile(blank.getvalue(), 40)
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, format="GIF")
    with pytest.raises(ValidationError, match="PNG or JPEG"):
        prepare_image(gif.getvalue(), 10)
