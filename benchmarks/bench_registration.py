"""Registrations per second in memory, side by side with a bare dict insert of the same record.

The raw limit: building the same frozen card and putting it in a dict. edmscore does that plus
a unit of work, the journal and directory look-ups, number allocation and rendering, validation,
the uniqueness index, the ordered index for keyset paging, and the audit event with its field
diff. Prints both rates and the ratio.

Run: python benchmarks/bench_registration.py [N]
"""

from __future__ import annotations

import sys
import time

import pendulum

from edmscore._ids import new_id
from edmscore.clock import FixedClock
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import Registration, RegistrationCard
from edmscore.storage import MemoryStorage
from edmscore.testing import make_details, make_world


def bench_edmscore(n: int) -> float:
    storage = MemoryStorage()
    world = make_world()
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(world.organisation)
        uow.directory.put_user(world.clerk)
        uow.journals.add(world.journal)
        uow.commit()
    records = RecordsService(storage, FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="UTC")))
    details = make_details(received_on=pendulum.Date(2026, 3, 2))
    request = RegistrationRequest(world.journal.id, details)
    start = time.perf_counter()
    for _ in range(n):
        records.register(world.clerk, request)
    return n / (time.perf_counter() - start)


def bench_dict(n: int) -> float:
    table: dict[str, RegistrationCard] = {}
    details = make_details(received_on=pendulum.Date(2026, 3, 2))
    at = pendulum.datetime(2026, 3, 2, 10, tz="UTC")
    start = time.perf_counter()
    for seq in range(1, n + 1):
        card = RegistrationCard(
            id=new_id(),
            organisation_id="org",
            registration=Registration("j", f"вх-{seq}", at.date(), 2026, seq),
            details=details,
            registered_at=at,
            registered_by="u",
        )
        table[card.id] = card
    return n / (time.perf_counter() - start)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    bench_edmscore(500)  # warm-up
    ours = bench_edmscore(n)
    raw = bench_dict(n)
    print(f"registrations: {n}")
    print(f"edmscore register(), in memory:   {ours:12,.0f} /s")
    print(f"bare dict insert of the same card: {raw:12,.0f} /s")
    print(f"ratio (dict / edmscore):           {raw / ours:12.1f}x")


if __name__ == "__main__":
    main()
