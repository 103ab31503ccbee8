"""Scanned batches split into parts: every part lands on the right card, in every form."""

from __future__ import annotations

import io
import pathlib
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from edmscore.errors import InputTooLarge, PdfEncrypted, ScanDamaged
from edmscore.scanning import (
    PartFile,
    PartProblem,
    ScanOptions,
    Symbology,
    scan_batch,
    split_batch,
)
from tests.scanning.conftest import EXPECTED, Batch


@pytest.mark.parametrize(
    "kind", ["jpeg-pdf-300", "g4-pdf-200", "g4-tiff-200", "jpeg-tiff-200", "code128-pdf-300"]
)
def test_every_part_lands_on_its_card(batches: dict[str, Batch], kind: str) -> None:
    batch = batches[kind]
    written: list[tuple[int, bytes, PartFile]] = []
    report = split_batch(batch.path, lambda p, c, f: written.append((p.index, c, f)))
    assert report.pages == batch.pages == 13
    assert [(p.pages, p.card_id) for p in report.parts] == EXPECTED
    assert report.separators == (4, 9)
    (left,) = report.unassigned
    assert left.problem is PartProblem.NO_CODE
    for (index, content, file), part in zip(written, report.parts, strict=True):
        assert index == part.index and file.size == len(content)
        if kind.endswith("tiff-200"):
            with Image.open(io.BytesIO(content)) as image:
                assert getattr(image, "n_frames", 1) == part.page_count
            assert file.media_type == "image/tiff"
        else:
            assert len(PdfReader(io.BytesIO(content)).pages) == part.page_count
            assert file.media_type == "application/pdf"


def test_a_part_keeps_the_scanned_pages_unchanged(batches: dict[str, Batch]) -> None:
    batch = batches["jpeg-pdf-300"]
    source = PdfReader(batch.path)
    parts: dict[int, bytes] = {}
    split_batch(batch.path, lambda p, c, f: parts.__setitem__(p.index, c))
    part = PdfReader(io.BytesIO(parts[4]))
    for n, page in zip((6, 7, 8), part.pages, strict=True):
        original: Any = source.pages[n - 1]["/Resources"]
        copied: Any = page["/Resources"]
        (a,), (b,) = original["/XObject"].values(), copied["/XObject"].values()
        assert a.get_object()._data == b.get_object()._data  # the JPEG bytes as scanned


def test_only_the_symbologies_asked_are_read(batches: dict[str, Batch]) -> None:
    only_qr = ScanOptions(symbologies=frozenset({Symbology.QR}))
    scans = list(scan_batch(batches["g4-pdf-200"].path, only_qr))
    assert all(not s.codes for s in scans)


def test_damaged_and_foreign_files_are_typed_errors(tmp_path: pathlib.Path) -> None:
    cases = {
        "empty.pdf": b"",
        "text.pdf": b"hello, not a scan",
        "truncated.pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog",
        "truncated.tif": b"II*\x00\x08\x00\x00\x00\xff\xff",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ScanDamaged):
            split_batch(path, lambda p, c, f: None)
    with pytest.raises(ScanDamaged):
        split_batch(tmp_path / "missing.pdf", lambda p, c, f: None)


def test_size_bounds(batches: dict[str, Batch]) -> None:
    with pytest.raises(InputTooLarge):
        split_batch(batches["g4-pdf-200"].path, lambda p, c, f: None, ScanOptions(max_bytes=1000))
    with pytest.raises(ScanDamaged, match="more than 5 pages"):
        split_batch(batches["g4-pdf-200"].path, lambda p, c, f: None, ScanOptions(max_pages=5))


def test_a_truncated_batch_fails_at_the_broken_page(
    batches: dict[str, Batch], tmp_path: pathlib.Path
) -> None:
    data = batches["g4-tiff-200"].path.read_bytes()
    path = tmp_path / "cut.tif"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ScanDamaged):
        split_batch(path, lambda p, c, f: None)


def test_an_encrypted_batch_is_refused(tmp_path: pathlib.Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(PdfEncrypted):
        split_batch(path, lambda p, c, f: None)
