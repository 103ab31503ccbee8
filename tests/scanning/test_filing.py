"""Filing a scanned batch on cards through the use cases, on every storage adapter.

The batch is printed with the registered cards' own labels, scanned (rasterised, degraded), and
filed by a clerk; each part must land on its card as a new file with the right pages, the parts
without a card are reported, access is applied, and the OCR'd text is found by card search.
"""

from __future__ import annotations

import functools
import io
import pathlib
import uuid

import attrs
import pendulum
import pytest
from pypdf import PdfReader

from edmscore import Edms
from edmscore.clock import FixedClock
from edmscore.errors import CardCodeInvalid, NotFound
from edmscore.records import CardQuery, RegistrationRequest
from edmscore.registry import RegistrationCard
from edmscore.scanning import OcrResult, card_code, ocr_file, tesseract_languages
from edmscore.testing import World, make_details, make_world, store_world
from edmscore.testing.scanning import BatchDocument, make_batch
from tests._adapters import AnyStorage

T0 = pendulum.datetime(2026, 12, 7, 9, 30, tz="Asia/Yakutsk")


#: The cards' ids, fixed so that one scanned batch serves every adapter.
CARD_IDS = tuple(uuid.UUID(int=n * 104729).hex for n in range(1, 4))


def _edms(storage: AnyStorage) -> tuple[Edms, list[RegistrationCard], World]:
    world = make_world()
    # The entry point's strict policy: the clerk is a registrar (делопроизводитель).
    world = store_world(
        storage, attrs.evolve(world, clerk=attrs.evolve(world.clerk, roles=("registrar",)))
    )
    edms = Edms(storage, clock=FixedClock(T0))
    cards = [
        edms.records.register(
            world.clerk,
            RegistrationRequest(
                world.journal.id, make_details(summary=f"Письмо номер {n}"), card_id=card_id
            ),
        )
        for n, card_id in enumerate(CARD_IDS)
    ]
    return edms, cards, world


def _batch(path: pathlib.Path, words: str, turn: int) -> pathlib.Path:
    make_batch(
        path,
        [
            BatchDocument(CARD_IDS[0], pages=2),
            BatchDocument(None, pages=1, label=False),  # follows card 0: its third page
            BatchDocument(None, pages=1, label=False, separator=True),  # nobody's
            BatchDocument(CARD_IDS[1], pages=1, turn=turn, words=words),
            BatchDocument("f" * 32, pages=1),  # a card that does not exist
        ],
        dpi=200,
        compression="g4",
    )
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return _batch(tmp_path_factory.mktemp("filing") / "batch.pdf", "Текст", 180)


@pytest.fixture(scope="module")
def ocr_batch(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return _batch(tmp_path_factory.mktemp("ocr") / "batch.pdf", "Капитальный ремонт кровли", 0)


def test_parts_are_filed_on_their_cards(storage: AnyStorage, batch: pathlib.Path) -> None:
    edms, cards, world = _edms(storage)
    path = batch
    left: list[int] = []
    report = edms.scanning.file_batch(
        world.clerk, path, left_over=lambda p, c, f: left.append(p.index)
    )
    assert [(f.card_id, f.pages, f.name) for f in report.filed] == [
        (cards[0].id, 3, "scan-001.pdf"),
        (cards[1].id, 1, "scan-003.pdf"),
    ]
    assert [(p.index, why) for p, why in report.not_filed] == [
        (2, "no-code"),
        (4, "card-not-found"),
    ]
    assert left == [2, 4]
    for filed in report.filed:
        content = edms.records.read_file(world.clerk, filed.card_id, filed.name)
        assert len(PdfReader(io.BytesIO(content)).pages) == filed.pages
        card = edms.records.get(world.clerk, filed.card_id)
        (ref,) = card.details.files
        assert ref.sha256 == filed.sha256 and ref.media_type == "application/pdf"
    # The same batch again: new files beside the first ones, never over them.
    again = edms.scanning.file_batch(world.clerk, path)
    assert [f.name for f in again.filed] == ["scan-001-2.pdf", "scan-003-2.pdf"]
    # Nothing was filed on the card nobody labelled.
    assert not edms.records.get(world.clerk, cards[2].id).details.files


def test_find_card_applies_access(storage: AnyStorage) -> None:
    edms, cards, world = _edms(storage)
    code = card_code(cards[0].id)
    assert edms.scanning.find_card(world.clerk, code).id == cards[0].id
    with pytest.raises(CardCodeInvalid):
        edms.scanning.find_card(world.clerk, code[:-1] + str((int(code[-1]) + 1) % 10))
    with pytest.raises(NotFound):
        edms.scanning.find_card(world.clerk, card_code("e" * 32))
    # A card of another organisation is not there for its clerk (its existence not told).
    other = make_world()
    other = store_world(
        storage, attrs.evolve(other, clerk=attrs.evolve(other.clerk, roles=("registrar",)))
    )
    with pytest.raises(NotFound):
        edms.scanning.find_card(other.clerk, code)


@functools.cache
def _recognised(content: bytes, media_type: str) -> OcrResult:
    """Tesseract's real result, computed once per distinct part and reused by every adapter."""
    return ocr_file(content, media_type)


@pytest.mark.skipif("rus" not in tesseract_languages(), reason="tesseract-ocr-rus is missing")
def test_recognised_text_is_found_by_card_search(
    storage: AnyStorage, ocr_batch: pathlib.Path
) -> None:
    edms, cards, world = _edms(storage)
    report = edms.scanning.file_batch(world.clerk, ocr_batch, ocr=_recognised)
    filed = {f.card_id: f for f in report.filed}
    assert all(f.recognised for f in report.filed)
    query = CardQuery(text="капитальный ремонт")
    found = edms.records.query(world.clerk, query).items
    assert [c.id for c in found] == [cards[1].id] == [c for c in filed if c == cards[1].id]
    content = edms.records.read_file(world.clerk, cards[1].id, filed[cards[1].id].name)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "ремонт" in text.lower()  # the text layer is in the filed PDF
