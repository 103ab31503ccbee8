"""Scanned batches printed, rasterised and degraded on the spot (edmscore.testing.scanning)."""

from __future__ import annotations

import pathlib
import uuid

import attrs
import pytest

from edmscore.scanning import Symbology
from edmscore.testing.scanning import BatchDocument, make_batch

#: Card ids of the made-up batches: the library's own form and a host's text form.
IDS = (*(uuid.UUID(int=n * 7919).hex for n in range(1, 6)), "host-card.7")


def documents() -> list[BatchDocument]:
    """Six documents: labels on first pages fed every way round, a page without a code, a
    separator naming its card and a plain one."""
    return [
        BatchDocument(IDS[0], pages=2, words="Ремонт кровли школы"),
        BatchDocument(IDS[1], pages=1, turn=90),
        BatchDocument(None, pages=1, label=False, separator=True),  # nobody's: for a person
        BatchDocument(IDS[2], pages=3, turn=180),
        BatchDocument(IDS[3], pages=1, label=False, separator=True, separator_names_card=True),
        BatchDocument(IDS[4], pages=2, turn=270),
        BatchDocument(IDS[5], pages=1),
    ]


#: (first-page number, pages, card id or None) of each part the documents above must give.
EXPECTED = [
    ((1, 2), IDS[0]),
    ((3,), IDS[1]),
    ((5,), None),
    ((6, 7, 8), IDS[2]),
    ((10,), IDS[3]),
    ((11, 12), IDS[4]),
    ((13,), IDS[5]),
]


@attrs.frozen
class Batch:
    path: pathlib.Path
    pages: int


def _make(tmp: pathlib.Path, name: str, **options: object) -> Batch:
    path = tmp / name
    pages = make_batch(path, documents(), **options)  # type: ignore[arg-type]
    return Batch(path, pages)


@pytest.fixture(scope="session")
def batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Batch]:
    """The same documents scanned five ways."""
    tmp = tmp_path_factory.mktemp("batches")
    return {
        "jpeg-pdf-300": _make(tmp, "jpeg300.pdf", dpi=300, compression="jpeg", quality=45),
        "g4-pdf-200": _make(tmp, "g4.pdf", dpi=200, compression="g4", skew=2.5),
        "g4-tiff-200": _make(tmp, "g4.tif", dpi=200, compression="g4", container="tiff"),
        "jpeg-tiff-200": _make(tmp, "jpeg.tif", dpi=200, container="tiff", noise=0.15),
        "code128-pdf-300": _make(
            tmp, "code128.pdf", dpi=300, symbology=Symbology.CODE128, skew=1.0
        ),
    }
