"""Real scanned files (tests/corpus/scanning, see PROVENANCE.md): read page by page, filed
whole behind a separator, and every broken one refused with a typed error."""

from __future__ import annotations

import io
import pathlib
from typing import Any

import pendulum
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from edmscore.errors import ScanDamaged
from edmscore.scanning import Label, PartProblem, separator_pdf, split_batch

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "corpus" / "scanning"
PDFS = ["kcs.pdf", "ccitt.pdf", "jbig2.pdf", "rotated_skew.pdf", "c02-22.pdf", "epson.pdf"]
TIFFS = {"g4-multi.tiff": 3, "multipage.tiff": 3, "hopper_jpg.tif": 1, "g4_orientation_6.tif": 1}
BROKEN = [
    "invalid.pdf",
    "crash-1185209cf7655b5aed8ae5e77784dfdd18ab59e9.tif",
    "oom-225817ca0f8c663be7ab4b9e717b02c661e66834.tif",
    "seek_too_large.tif",
    "libtiff_segfault.tif",
]


def _split(path: pathlib.Path) -> tuple[Any, list[bytes]]:
    contents: list[bytes] = []
    report = split_batch(path, lambda p, c, f: contents.append(c))
    return report, contents


@pytest.mark.parametrize("name", PDFS)
def test_a_real_scan_without_a_code_is_one_part_for_a_person(name: str) -> None:
    report, contents = _split(CORPUS / name)
    pages = len(PdfReader(CORPUS / name).pages)
    assert [(p.pages, p.card_id, p.problem) for p in report.parts] == [
        (tuple(range(1, pages + 1)), None, PartProblem.NO_CODE)
    ]
    assert len(PdfReader(io.BytesIO(contents[0])).pages) == pages


@pytest.mark.parametrize(("name", "pages"), TIFFS.items())
def test_real_tiffs_are_read_frame_by_frame(name: str, pages: int) -> None:
    report, contents = _split(CORPUS / name)
    assert report.pages == pages and report.parts[0].pages == tuple(range(1, pages + 1))
    with Image.open(io.BytesIO(contents[0])) as part, Image.open(CORPUS / name) as source:
        assert getattr(part, "n_frames", 1) == pages
        for frame in range(pages):
            part.seek(frame)
            source.seek(frame)
            assert part.size == source.size and part.mode == source.mode


@pytest.mark.parametrize("name", BROKEN)
def test_broken_real_files_are_typed_errors(name: str) -> None:
    with pytest.raises(ScanDamaged):
        split_batch(CORPUS / name, lambda p, c, f: None)


def test_real_scans_behind_separators_land_on_their_cards(tmp_path: pathlib.Path) -> None:
    """A batch as a clerk feeds it: a separator naming a card before each real scanned document."""
    writer = PdfWriter()
    cards = [f"{n:032x}" for n in range(1, 4)]
    names = ["ccitt.pdf", "jbig2.pdf", "rotated_skew.pdf"]
    for card_id, name in zip(cards, names, strict=True):
        sheet = separator_pdf([Label(card_id, "01-7/26", pendulum.date(2026, 12, 7))])
        writer.append(PdfReader(io.BytesIO(sheet)))
        writer.append(PdfReader(CORPUS / name))
    path = tmp_path / "batch.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    report, contents = _split(path)
    assert [(p.pages, p.card_id) for p in report.parts] == [
        ((2,), cards[0]),
        ((4,), cards[1]),
        ((6,), cards[2]),
    ]
    assert report.separators == (1, 3, 5)
    for content, name in zip(contents, names, strict=True):
        original = PdfReader(CORPUS / name).pages[0]
        (page,) = PdfReader(io.BytesIO(content)).pages
        assert page.mediabox == original.mediabox and page.rotation == original.rotation
