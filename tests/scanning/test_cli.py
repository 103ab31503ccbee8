"""``edmscore scan``: labels and separators printed, a batch split into a folder and a store."""

from __future__ import annotations

import io
from pathlib import Path

import attrs
import pendulum
import pytest
from pypdf import PdfReader

from edmscore.cli import main
from edmscore.clock import FixedClock
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.scanning import card_code
from edmscore.storage.sql import SqlStorage, sqlite_engine
from edmscore.testing import make_details, make_world, store_world
from edmscore.testing.scanning import render_pdf_page
from tests.scanning.conftest import Batch


def _store(path: Path) -> tuple[str, list[str]]:
    storage = SqlStorage(sqlite_engine(path))
    world = make_world()
    clerk = attrs.evolve(world.clerk, roles=("registrar",))
    world = store_world(storage, attrs.evolve(world, clerk=clerk))
    records = RecordsService(storage, FixedClock(pendulum.datetime(2026, 12, 7, tz="UTC")))
    request = RegistrationRequest(world.journal.id, make_details())
    return clerk.id, [records.register(clerk, request).id for _ in range(2)]


def test_labels_and_separators_print_codes_that_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zxingcpp

    database = tmp_path / "edms.sqlite"
    user, cards = _store(database)
    labels = tmp_path / "labels.pdf"
    command = ["scan", "labels", *cards, "-o", str(labels), "--database", str(database)]
    assert main([*command, "--as", user, "--sheet", "3x8", "--size", "70x37"]) == 0
    assert "2 labels" in capsys.readouterr().out
    page = render_pdf_page(labels.read_bytes(), 1, 300)
    assert {b.text for b in zxingcpp.read_barcodes(page)} == {card_code(c) for c in cards}
    separators = tmp_path / "sep.pdf"
    assert main(["scan", "separators", "-o", str(separators), "--count", "2"]) == 0
    assert len(PdfReader(separators).pages) == 2
    # A card the user may not see: a typed error, exit status 2.
    assert main([*command[:2], "e" * 32, *command[3:], "--as", user]) == 2
    assert "not found" in capsys.readouterr().err


def test_split_into_a_folder_and_into_the_store(
    batches: dict[str, Batch], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "parts"
    assert main(["scan", "split", str(batches["g4-pdf-200"].path), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "13 pages, 7 parts, 1 without" in printed
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 7 and "part-003-no-code.pdf" in names
    content = (out / names[0]).read_bytes()
    assert len(PdfReader(io.BytesIO(content)).pages) == 2
    database = tmp_path / "edms.sqlite"
    user, _ = _store(database)
    command = ["scan", "split", str(batches["g4-pdf-200"].path), "--database", str(database)]
    # None of the batch's cards is in this store: every part is reported, none filed.
    assert main([*command, "--as", user]) == 1
    assert capsys.readouterr().out.count("not filed") == 7
