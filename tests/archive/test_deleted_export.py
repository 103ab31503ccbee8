"""Deleted cards exported with their history, for archivists only, audited, on every adapter."""

from __future__ import annotations

import io
import json

import pytest

from edmscore.access import AccessPolicy
from edmscore.archive.deleted_export import (
    DELETED_CARD_HEADERS,
    DELETED_HISTORY_HEADERS,
    DeletedCardsExport,
)
from edmscore.clock import FixedClock
from edmscore.errors import PermissionDenied
from edmscore.records import CardQuery, RecordsService
from tests._adapters import AnyStorage

from ._scene import NOW, build_scene


def test_deleted_cards_export_with_their_history(storage: AnyStorage) -> None:
    scene = build_scene(storage)
    records = RecordsService(storage)
    deleted = [scene.cards["01-01"][0], scene.cards["02-04"][1]]
    for card in deleted:
        records.delete(scene.world.clerk, card.id, card.version, "Зарегистрирована ошибочно")
    export = DeletedCardsExport(storage, FixedClock(NOW))
    out = io.BytesIO()
    count = export.jsonl(scene.archivist, CardQuery(limit=1), out)  # pages of one: all followed
    assert count == 2
    lines = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    assert {line["card"]["id"] for line in lines} == {c.id for c in deleted}
    for line in lines:
        assert line["card"]["status"] == "deleted"
        actions = [event["action"] for event in line["history"]]
        assert actions[-1] == "card.deleted"
        assert line["history"][-1]["note"] == "Зарегистрирована ошибочно"
        assert line["history"][-1]["actor_id"] == scene.world.clerk.id
    openpyxl = pytest.importorskip("openpyxl")
    book_bytes = io.BytesIO()
    assert export.xlsx(scene.archivist, CardQuery(), book_bytes) == 2
    book = openpyxl.load_workbook(io.BytesIO(book_bytes.getvalue()))
    cards = list(book["Карточки"].iter_rows(values_only=True))
    history = list(book["История"].iter_rows(values_only=True))
    assert cards[0] == DELETED_CARD_HEADERS and history[0] == DELETED_HISTORY_HEADERS
    assert {row[0] for row in cards[1:]} == {c.id for c in deleted}
    assert all(row[8] == "Зарегистрирована ошибочно" for row in cards[1:])
    assert {row[3] for row in history[1:]} >= {"card.deleted"}
    with storage.unit_of_work() as uow:
        events = [
            e
            for _, e in uow.audit.events(scene.world.organisation.id)
            if e.action == "archive.deleted_exported"
        ]
    assert len(events) == 2 and all(e.actor_id == scene.archivist.id for e in events)


def test_only_archivists_export(storage: AnyStorage) -> None:
    scene = build_scene(storage, strict=True)
    export = DeletedCardsExport(storage, FixedClock(NOW), policy=AccessPolicy.strict())
    with pytest.raises(PermissionDenied):
        export.jsonl(scene.world.clerk, CardQuery(), io.BytesIO())
    assert export.jsonl(scene.archivist, CardQuery(), io.BytesIO()) == 0
