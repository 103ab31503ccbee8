"""Round trips as properties: any store, backed up, restored on any adapter and backed up again,
gives an identical manifest; any bundle restored proves itself equal before it commits."""

from __future__ import annotations

import hashlib
import itertools
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pendulum
from hypothesis import given
from hypothesis import strategies as st

from edmscore._ids import new_id
from edmscore.audit import AuditEvent, FieldChange
from edmscore.backup import restore_bundles, verify_bundle, write_bundle
from edmscore.registry import FileRef, Registration, RegistrationCard
from edmscore.storage import MemoryStorage
from edmscore.testing.strategies import card_details, dates, directories, journals, russian_text
from tests._adapters import adapter_settings

CREATED = "2026-03-16T18:00:00+03:00"
_serial = itertools.count(1)


@st.composite
def stores(draw: st.DrawFn) -> dict[str, list[Any]]:
    """Records of every core kind, as the bulk port takes them, with files."""
    organisation, departments, officials, users = draw(directories())
    journal = draw(journals(organisation.id))
    contents = draw(st.lists(st.binary(min_size=0, max_size=64), max_size=4, unique=True))
    cards: list[RegistrationCard] = []
    for index in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(sorted(journal.kinds, key=lambda k: k.value)))
        day = draw(dates())
        details = draw(
            card_details(kind=kind, access_list_from=tuple(u.id for u in users), received_on=day)
        )
        if contents:
            picked = draw(st.lists(st.sampled_from(contents), max_size=2, unique=True))
            files = tuple(
                FileRef(f"файл-{n}.bin", len(c), hashlib.sha256(c).hexdigest())
                for n, c in enumerate(picked)
            )
            details = attrs.evolve(details, files=files)
        at = pendulum.datetime(day.year, day.month, day.day, 9, tz=organisation.timezone).add(
            seconds=index
        )
        cards.append(
            RegistrationCard(
                id=f"card-{next(_serial)}",
                organisation_id=organisation.id,
                registration=Registration(
                    journal.id, str(index + 1), day, journal.period_of(day), index + 1
                ),
                details=details,
                registered_at=at,
                registered_by=users[0].id,
                version=draw(st.integers(1, 5)),
            )
        )
    events = [
        (
            n,
            AuditEvent(
                pendulum.datetime(2026, 1, 1, tz="UTC").add(minutes=n),
                users[0].id,
                "update",
                "card",
                new_id(),
                (FieldChange("summary", None, draw(russian_text(0, 20))),),
            ),
        )
        for n in range(1, draw(st.integers(0, 5)) + 1)
    ]
    return {
        "organisations": [organisation],
        "departments": list(departments),
        "officials": list(officials),
        "users": list(users),
        "journals": [journal],
        "counters": [(f"{journal.id}|2026", len(cards))],
        "cards": cards,
        "audit": events,
        "files": contents,
    }


def _load(storage: Any, records: dict[str, list[Any]]) -> None:
    with storage.unit_of_work() as uow:
        for kind, items in records.items():
            if kind == "files":
                for content in items:
                    uow.blobs.put(content)
            else:
                uow.import_records(kind, items)
        uow.commit()


def test_backup_restore_backup_gives_identical_manifests(
    storage_adapter: str, new_storage: Any
) -> None:
    @adapter_settings(storage_adapter, 25)
    @given(stores())
    def run(records: dict[str, list[Any]]) -> None:
        source = MemoryStorage()
        _load(source, records)
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            first = write_bundle(source, root / "a", created_at=CREATED)
            assert verify_bundle(root / "a", deep=True).ok
            target = new_storage()
            restore_bundles(target, [root / "a"])
            second = write_bundle(target, root / "b", created_at=CREATED)
            assert second.to_primitive() == first.to_primitive()
            assert (root / "a" / "manifest.json").read_bytes() == (
                root / "b" / "manifest.json"
            ).read_bytes()
            assert first.records["cards"].count == len(records["cards"])
            assert first.files.count == len(records["files"])

    run()
