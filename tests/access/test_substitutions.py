"""Resolving a deputy through dated substitutions: in force that day, with the power asked for,
along a chain; the actor names the substitution and the grants of the person replaced."""

from __future__ import annotations

import pendulum
import pytest

from edmscore.access import (
    AccessPolicy,
    Actor,
    Permission,
    Principal,
    resolve_actor,
    substitutions_of,
)
from edmscore.directory import Official, Organisation, PersonName, Power, Substitution, User
from edmscore.errors import ActorBlocked, RouteError
from edmscore.storage import MemoryStorage

DAY = pendulum.Date(2026, 3, 4)


def _storage(*substitutions: Substitution) -> MemoryStorage:
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(Organisation("org", "Министерство"))
        for key in ("head", "deputy", "third"):
            uow.directory.put_official(
                Official(key, "org", PersonName("Петров", "Пётр", "Петрович"), key)
            )
        uow.directory.put_user(User("u-head", "head", "org", "head", roles=("head",)))
        uow.directory.put_user(User("u-deputy", "deputy", "org", "deputy", roles=("executor",)))
        uow.directory.put_user(User("u-third", "third", "org", "third"))
        for item in substitutions:
            uow.substitutions.put(item)
        uow.commit()
    return storage


def _resolve(
    storage: MemoryStorage, who: Principal, power: Power, day: pendulum.Date = DAY
) -> Actor:
    with storage.unit_of_work() as uow:
        return resolve_actor(
            uow.directory, who, AccessPolicy.strict(), day,
            substitutions=substitutions_of(uow), power=power,
        )  # fmt: skip


ACTING = Principal("u-deputy", on_behalf_of="u-head")


def test_a_substitution_in_force_lets_the_deputy_act_with_the_head_s_grants() -> None:
    sub = Substitution("s", "org", "head", "deputy", DAY, DAY.add(days=3), powers={Power.CONTROL})
    storage = _storage(sub)
    actor = _resolve(storage, ACTING, Power.CONTROL)
    assert actor.id == "u-deputy" and actor.on_behalf_of == "u-head"
    assert actor.substitution == sub
    assert actor.has(Permission.IMPOSE_RESOLUTION)  # the head's, for the time being
    for day in (DAY.subtract(days=1), DAY.add(days=4)):
        with pytest.raises(ActorBlocked):
            _resolve(storage, ACTING, Power.CONTROL, day)
    with pytest.raises(ActorBlocked):  # the substitution hands over control only
        _resolve(storage, ACTING, Power.SIGNING)


def test_a_chain_is_followed_and_a_loop_refused() -> None:
    chain = _storage(
        Substitution("a", "org", "head", "third", DAY, DAY),
        Substitution("b", "org", "third", "deputy", DAY, DAY),
    )
    assert _resolve(chain, ACTING, Power.APPEALS).on_behalf_of == "u-head"
    with pytest.raises(ActorBlocked):  # the middle of the chain is not the one acting
        _resolve(chain, Principal("u-third", on_behalf_of="u-head"), Power.APPEALS)
    loop = _storage(
        Substitution("a", "org", "head", "deputy", DAY, DAY),
        Substitution("b", "org", "deputy", "head", DAY, DAY),
    )
    with pytest.raises(RouteError):
        _resolve(loop, ACTING, Power.APPEALS)
