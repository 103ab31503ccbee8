"""The acting user comes from the directory: unknown, blocked and dismissed users are refused,
nothing a host builds raises its clearance, deputies act only for whom the directory allows."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore.access import AccessPolicy, Actor, Permission, Principal, Role, resolve_actor
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Organisation, RoleGrant, User
from edmscore.errors import (
    ActorBlocked,
    NotFound,
    PermissionDenied,
    StateError,
    UnknownActor,
    ValidationError,
)
from edmscore.records import AdminService, RecordsService, RegistrationRequest
from edmscore.registry import AccessMark, CardKind
from edmscore.storage import CardQuery, MemoryStorage
from edmscore.testing import make_details, make_world, store_world

DAY = pendulum.date(2026, 3, 2)
T0 = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Moscow")


def _stored(*users: User) -> MemoryStorage:
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(Organisation("org", "Министерство"))
        uow.directory.put_organisation(Organisation("other", "Другое ведомство"))
        for user in users:
            uow.directory.put_user(user)
        uow.commit()
    return storage


def _resolve(storage: MemoryStorage, who: object, policy: AccessPolicy | None = None) -> Actor:
    with storage.unit_of_work() as uow:
        return resolve_actor(uow.directory, who, policy or AccessPolicy.strict(), DAY)  # type: ignore[arg-type]


def test_an_unknown_user_is_refused_with_a_typed_error() -> None:
    storage = _stored()
    with pytest.raises(UnknownActor) as info:
        _resolve(storage, Principal("ghost"))
    assert info.value.user_id == "ghost"


def test_blocked_and_dismissed_users_are_refused() -> None:
    blocked = User("b", "blocked", "org", active=False, roles=("registrar",))
    leaving = User("d", "leaving", "org", dismissed_on=DAY.add(days=1), roles=("registrar",))
    gone = User("g", "gone", "org", dismissed_on=DAY, roles=("registrar",))
    storage = _stored(blocked, leaving, gone)
    with pytest.raises(ActorBlocked):
        _resolve(storage, "b")
    assert _resolve(storage, "d").id == "d"  # still works on their last day
    with pytest.raises(ActorBlocked):
        _resolve(storage, "g")


def test_a_user_value_built_by_the_host_cannot_raise_its_own_clearance_or_roles() -> None:
    stored = User("u", "clerk", "org", clearance=Clearance.NONE)
    storage = _stored(stored)
    forged = attrs.evolve(stored, clearance=Clearance.DSP, roles=("system_admin",))
    actor = _resolve(storage, forged)
    assert actor.clearance is Clearance.NONE
    assert not actor.dsp_cleared
    assert actor.grants == {}
    with pytest.raises(TypeError):
        resolve_actor(
            None,  # type: ignore[arg-type]
            attrs.evolve(actor, seal=object()),
            AccessPolicy.strict(),
            DAY,
        )


def test_a_forged_clearance_does_not_open_a_dsp_card() -> None:
    world = make_world()
    storage = MemoryStorage()
    store_world(storage, world)
    records = RecordsService(storage, FixedClock(T0))
    card = records.register(
        world.clerk,
        RegistrationRequest(
            world.journal.id, make_details(CardKind.INCOMING, access=AccessMark.DSP)
        ),
    )
    forged = attrs.evolve(world.plain, clearance=Clearance.DSP)
    with pytest.raises(NotFound):
        records.get(forged, card.id)
    assert records.query(forged, CardQuery()).items == ()


def test_strict_policy_gives_a_role_less_user_nothing_and_legacy_gives_everything() -> None:
    storage = _stored(User("u", "plain", "org"))
    assert _resolve(storage, "u").grants == {}
    legacy = _resolve(storage, "u", AccessPolicy.legacy_permissive())
    assert set(legacy.grants) == set(Permission)


def test_department_grants_limit_the_permission_to_those_departments() -> None:
    user = User("u", "reg", "org", roles=(RoleGrant("registrar", "dept-x"),))
    actor = _resolve(_stored(user), "u")
    assert actor.has(Permission.REGISTER, "dept-x")
    assert not actor.has(Permission.REGISTER, "dept-y")
    assert not actor.has(Permission.REGISTER)
    with pytest.raises(PermissionDenied):
        actor.require(Permission.REGISTER, "dept-y")
    assert actor.scope().department_ids == frozenset({"dept-x"})


def test_host_roles_extend_the_builtin_ones_and_unknown_roles_are_refused() -> None:
    policy = AccessPolicy.strict(roles=[Role("reception", {Permission.REGISTER})])
    user = User("u", "reception", "org", roles=("reception",))
    actor = _resolve(_stored(user), "u", policy)
    assert set(actor.grants) == {Permission.REGISTER}
    with pytest.raises(ValidationError):
        policy.role("no-such-role")


def test_a_deputy_acts_only_for_whom_the_directory_lists_and_gets_their_rights() -> None:
    head = User("h", "head", "org", roles=("head",))
    deputy = User("d", "deputy", "org", roles=("executor",), deputy_for={"h"})
    stranger = User("s", "stranger", "org", roles=("executor",))
    foreign = User("f", "foreign", "other", roles=("head",))
    storage = _stored(head, deputy, stranger, foreign)
    acting = _resolve(storage, Principal("d", on_behalf_of="h"))
    assert acting.id == "d" and acting.on_behalf_of == "h"
    assert acting.has(Permission.SIGN) and acting.has(Permission.EXECUTE)
    with pytest.raises(ActorBlocked):
        _resolve(storage, Principal("s", on_behalf_of="h"))
    cross = attrs.evolve(deputy, id="x", login="x", deputy_for={"f"})
    storage = _stored(head, cross, foreign)
    with pytest.raises(ActorBlocked):
        _resolve(storage, Principal("x", on_behalf_of="f"))


def test_the_audit_names_the_real_user_and_the_one_replaced() -> None:
    world = make_world()
    storage = MemoryStorage()
    head = attrs.evolve(world.clerk, roles=("registrar",))
    deputy = attrs.evolve(world.cleared, roles=(), deputy_for={head.id})
    store_world(storage, attrs.evolve(world, clerk=head, cleared=deputy))
    records = RecordsService(storage, FixedClock(T0), policy=AccessPolicy.strict())
    card = records.register(
        Principal(deputy.id, on_behalf_of=head.id),
        RegistrationRequest(world.journal.id, make_details(CardKind.INCOMING)),
    )
    (event,) = records.history(head.id, card.id)
    assert event.actor_id == deputy.id
    assert event.on_behalf_of == head.id


def test_first_run_setup_is_a_use_case_and_runs_once() -> None:
    storage = MemoryStorage()
    admin = AdminService(storage, FixedClock(T0), policy=AccessPolicy.strict())
    org = Organisation("gov", "Правительство области")
    stored = admin.bootstrap(org, User("root", "root", "gov"))
    assert {g.role for g in stored.roles} == {"system_admin", "organisation_admin"}
    with pytest.raises(StateError):
        admin.bootstrap(Organisation("x", "Ещё одна"), User("r2", "r2", "x"))
    # The administrator may now keep the directory, but may not raise their own clearance.
    admin.put_user("root", User("clerk", "clerk", "gov", roles=("registrar",)))
    with pytest.raises(PermissionDenied):
        admin.put_user("root", attrs.evolve(stored, clearance=Clearance.DSP))


def test_an_organisation_admin_cannot_overwrite_another_organisations_entries() -> None:
    from edmscore.directory import Department

    storage = MemoryStorage()
    admin = AdminService(storage, FixedClock(T0), policy=AccessPolicy.strict())
    root = admin.bootstrap(Organisation("gov", "Правительство"), User("root", "root", "gov"))
    admin.put_organisation(root.id, Organisation("minfin", "Минфин"))
    admin.put_user(root.id, User("mf-admin", "mf", "minfin", roles=("organisation_admin",)))
    admin.put_department(root.id, Department("gov-01", "gov", "01", "Канцелярия"))
    admin.put_user(root.id, User("gov-clerk", "clerk", "gov", roles=("registrar",)))
    # Moving the governor's department or user into the ministry by reusing their ids is refused.
    with pytest.raises(PermissionDenied):
        admin.put_department("mf-admin", Department("gov-01", "minfin", "01", "Чужой отдел"))
    with pytest.raises(PermissionDenied):
        admin.put_user("mf-admin", User("gov-clerk", "clerk", "minfin", roles=("registrar",)))
    # Its own entries it keeps as it likes.
    admin.put_department("mf-admin", Department("mf-01", "minfin", "01", "Бюджетный отдел"))
    with storage.unit_of_work() as uow:
        assert uow.directory.department("gov-01").organisation_id == "gov"
        assert uow.directory.user("gov-clerk").organisation_id == "gov"
