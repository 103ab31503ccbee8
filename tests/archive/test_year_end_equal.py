"""The batched year end leaves exactly what the case-by-case one leaves, on every adapter.

The year end reads and writes case files in batches (``find_case_files``, ``put_case_files``).
Here the same fixed scene (same ids) runs on each adapter and on a storage whose archive
repository answers the batch calls one case at a time through ``find_case_file`` and
``put_case_file``; every returned value and everything read back afterwards (case files,
inventories, acts, nomenclatures, cards, the audit trail) must be equal.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import attrs
import pytest

from edmscore.archive import CaseFile, CaseState
from edmscore.storage import MemoryStorage
from tests._adapters import AnyStorage

from ._year_end_scene import YearEndScene, build_scene, run_year_end, snapshot, store_scene


class _OneByOneArchive:
    """An archive repository whose batch calls go through the single-case ones."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def find_case_files(self, case_ids: Collection[str]) -> Mapping[str, CaseFile]:
        found = {k: self._inner.find_case_file(k) for k in dict.fromkeys(case_ids)}
        return {k: v for k, v in found.items() if v is not None}

    def put_case_files(self, changes: Sequence[tuple[CaseFile, int]]) -> Sequence[CaseFile]:
        return [self._inner.put_case_file(case, expected) for case, expected in changes]


class _OneByOneUnit:
    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @property
    def archive(self) -> _OneByOneArchive:
        return _OneByOneArchive(self._inner.archive)

    def __enter__(self) -> _OneByOneUnit:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(*exc)


class _OneByOneStorage:
    """A storage whose units of work keep the archive case by case."""

    def __init__(self, inner: AnyStorage) -> None:
        self._inner = inner

    def unit_of_work(self) -> _OneByOneUnit:
        return _OneByOneUnit(self._inner.unit_of_work())


@pytest.fixture(scope="module")
def scene() -> YearEndScene:
    return build_scene()


@pytest.fixture(scope="module")
def case_by_case(scene: YearEndScene) -> tuple[dict[str, Any], dict[str, Any]]:
    """The run on the in-memory adapter, one case at a time."""
    storage = MemoryStorage()
    store_scene(storage, scene)
    results = run_year_end(_OneByOneStorage(storage), scene)  # type: ignore[arg-type]
    return results, snapshot(storage, scene)


def test_the_scene_exercises_every_step(
    case_by_case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    results, stored = case_by_case
    closing = results["closing"]
    assert len(closing.closed) > 30 and len(closing.carried_over) == 1
    assert {i.kind.value for i in closing.inventories} == {"permanent", "over_10", "personnel"}
    assert closing.act is None and "must be approved" in closing.act_refused
    assert {b.reason.value for b in results["blocked"]} == {"legal_hold", "open_control"}
    assert results["destroyed"].state.value == "executed"
    assert any(c.volume_count > 1 for c in stored["case_files"])
    states = stored["states"]
    assert states[CaseState.DESTROYED] == len(results["act"].rows) > 0
    assert states[CaseState.INVENTORIED] > 0 and states[CaseState.OPEN] == 0


def test_batched_year_end_equals_case_by_case(
    storage: AnyStorage,
    scene: YearEndScene,
    case_by_case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    expected_results, expected_stored = case_by_case
    store_scene(storage, scene)
    results = run_year_end(storage, scene)
    stored = snapshot(storage, scene)
    for key, value in expected_results.items():
        assert results[key] == value, key
    for key, value in expected_stored.items():
        assert stored[key] == value, key


def test_stored_text_is_the_plain_encoding(
    case_by_case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """A case file's text (its documents' rows reused from earlier writes) is exactly the
    plain encoding of the whole record, and decodes back to it afresh."""
    from edmscore.records.codec import dumps, encode
    from edmscore.storage.sql._archive import _MEMO, _decode_record, _encode_record

    _, stored = case_by_case
    for case in stored["case_files"]:
        plain = encode(attrs.evolve(case, documents=()))
        plain["documents"] = [
            [d.card_id, d.number, d.date.isoformat(), d.title, d.sheets, d.on_control]
            for d in case.documents
        ]
        text = _encode_record(case)
        assert _encode_record(case) == text == dumps(plain)
        _MEMO.clear()
        assert _decode_record("case_file", text) == case


def test_backup_round_trip_keeps_the_documents(
    new_storage: Any, case_by_case: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    """The archive's records, case files with their documents, export and import unchanged."""
    from edmscore.storage.sql._archive import _MEMO

    _, stored = case_by_case
    source, target = new_storage(), new_storage()
    with source.unit_of_work() as uow:
        for case in stored["case_files"]:
            uow.archive.put_case_file(attrs.evolve(case, version=0), 0)
        uow.commit()
    with source.unit_of_work() as uow:
        records = list(uow.export_records("archive"))
    assert len(records) == len(stored["case_files"])
    with target.unit_of_work() as uow:
        uow.import_records("archive", records)
        uow.commit()
    _MEMO.clear()
    with target.unit_of_work() as uow:
        back = list(uow.archive.case_files(stored["case_files"][0].organisation_id))
    assert back == [attrs.evolve(c, version=1) for c in stored["case_files"]]
    assert sum(len(c.documents) for c in back) > 0
