"""An action made through a substitution against the same action by the official in person.

The same number of assignments is reported twice over on the in-memory storage through
``edms.control.report``: once by the executor, once by their deputy acting as
``Principal(deputy, on_behalf_of=executor)`` under a dated substitution handing over control (the
actor's resolution then reads the substitutions in force and follows the chain). A second pair
times the actor's resolution alone (``resolve_actor``), which is what the substitution adds.
The ratios printed are deputy / in person; the aim is ≤ 1.2× for the whole action.

Run: python benchmarks/bench_deputies.py [N]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import pendulum

from edmscore import (
    AccessPolicy,
    Clearance,
    Edms,
    FixedClock,
    Official,
    Organisation,
    PersonName,
    Principal,
    RegistrationRequest,
    User,
)
from edmscore.access import resolve_actor, substitutions_of
from edmscore.control import ItemRequest, ResolutionRequest
from edmscore.directory import Power, Substitution
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.storage import MemoryStorage

ZONE = "Europe/Moscow"
DAY = pendulum.Date(2026, 3, 4)


def build(n: int) -> tuple[Edms, MemoryStorage, list[str], list[str]]:
    """An organisation, a head, an executor and their deputy, and 2n open assignments."""
    storage = MemoryStorage()
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz=ZONE))
    edms = Edms(storage, clock=clock, policy=AccessPolicy.strict())
    org = Organisation("org", "Министерство", timezone=ZONE)
    admin = edms.setup(org, User("admin", "admin", org.id))
    people = {"head": "head", "executor": "executor", "deputy": "executor", "other": "executor"}
    for key, role in people.items():
        name = PersonName("Иванов", key.capitalize(), "Петрович")
        edms.admin.put_official(admin.id, Official(key, org.id, name, "Должность"))
        roles = (role, "registrar") if key == "head" else (role,)
        edms.admin.put_user(
            admin.id, User(f"u-{key}", key, org.id, key, Clearance.DSP, roles=roles)
        )
    journal = Journal("in", org.id, "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    edms.admin.create_journal(admin.id, journal)
    details = CardDetails(
        kind=CardKind.INCOMING, document_kind="Письмо", summary="О плане",
        correspondents=(Correspondent("Минэкономразвития"),), received_on=DAY.subtract(days=2),
    )  # fmt: skip
    card = edms.records.register("u-head", RegistrationRequest(journal.id, details))
    ids: list[str] = []
    for _ in range(2 * n):
        item = ItemRequest("executor", "Доложить", pendulum.Date(2026, 3, 31))
        request = ResolutionRequest(card.id, "head", "Прошу", (item,))
        ids.extend(edms.control.impose("u-head", request).item_ids)
    # a few substitutions of other people too, as an organisation has
    for i in range(20):
        edms.approval.put_substitution(
            admin.id,
            Substitution(
                f"x{i}", org.id, "other", "head", DAY.add(days=i * 20), DAY.add(days=i * 20 + 5)
            ),
        )
    edms.approval.put_substitution(
        admin.id,
        Substitution(
            "s", org.id, "executor", "deputy", DAY, DAY.add(days=9), powers={Power.CONTROL}
        ),
    )
    clock.set(pendulum.datetime(2026, 3, 4, 10, tz=ZONE))
    return edms, storage, ids[:n], ids[n:]


def timed(action: Callable[[], None]) -> float:
    """Seconds taken by ``action``."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    edms, storage, own, by_deputy = build(n)
    acting = Principal("u-deputy", on_behalf_of="u-executor")

    def in_person() -> None:
        for assignment_id in own:
            edms.control.report("u-executor", assignment_id, 1, "Исполнено")

    def deputy() -> None:
        for assignment_id in by_deputy:
            edms.control.report(acting, assignment_id, 1, "Исполнено")

    direct, through = timed(in_person), timed(deputy)
    print(f"report ×{n}: in person {direct / n * 1e6:.0f} µs, deputy {through / n * 1e6:.0f} µs")
    print(f"ratio deputy / in person (report): {through / direct:.2f}x")

    policy = AccessPolicy.strict()
    rounds = 20 * n

    def resolve(who: str | Principal) -> Callable[[], None]:
        def run() -> None:
            with storage.unit_of_work() as uow:
                subs = substitutions_of(uow)
                for _ in range(rounds):
                    resolve_actor(
                        uow.directory, who, policy, DAY, substitutions=subs, power=Power.CONTROL
                    )

        return run

    alone, substituted = timed(resolve("u-executor")), timed(resolve(acting))
    print(
        f"resolve_actor ×{rounds}: in person {alone / rounds * 1e6:.1f} µs, "
        f"deputy {substituted / rounds * 1e6:.1f} µs"
    )
    print(f"ratio deputy / in person (actor resolution): {substituted / alone:.2f}x")


if __name__ == "__main__":
    main()
