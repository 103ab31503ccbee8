"""Access in the appeals capability under a strict policy, on every adapter.

Each use case is refused without its permission and allowed with it alone; another
organisation's user gets NotFound and sees nothing in listings, the SSTU batch or the statistics;
an uncleared user never sees a ДСП card's appeal; a deputy is recorded in the audit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore._ids import new_id
from edmscore.access import AccessPolicy, ActorRef, Principal, Role
from edmscore.access import Permission as P
from edmscore.appeals import (
    Answer,
    Appeal,
    AppealsService,
    NoAnswerReason,
    QuestionStatus,
    Transfer,
    execute_through_control,
    export_sstu_batch,
    sample_topics,
)
from edmscore.calendar import russian_calendar
from edmscore.clock import FixedClock
from edmscore.control import ControlService
from edmscore.directory import Clearance, RoleGrant, User
from edmscore.errors import NotFound, PermissionDenied
from edmscore.registry import AccessMark, CardKind, Journal
from edmscore.testing import World, make_world
from tests._adapters import AnyStorage, StorageFactory, adapter_settings

from .conftest import OTHER_ID, SSTU_ID, T0, Env, request

D = pendulum.Date
MARCH = (D(2026, 3, 1), D(2026, 3, 31))
OPS = (
    "register_appeal",
    "assign",
    "link_assignments",
    "extend",
    "redirect",
    "decide",
    "leave_without_answer",
    "request_materials",
    "materials_received",
    "forward_migration_information",
    "export_sstu",
    "appeal",
    "appeal_of_card",
    "changed_between",
    "registered_between",
    "statistics",
)
#: What each use case needs (the table of docs/appeals.md).
NEEDS: dict[str, set[P]] = {op: {P.HANDLE_APPEALS} for op in OPS}
NEEDS.update(
    register_appeal={P.HANDLE_APPEALS, P.REGISTER},
    link_assignments={P.IMPOSE_RESOLUTION},
    appeal={P.READ},
    appeal_of_card={P.READ},
    changed_between={P.READ},
    registered_between={P.READ},
    statistics={P.READ_REPORTS},
)
ROLES = [
    Role("everything", set(P)),
    Role("registering", {P.REGISTER}),
    *(Role(f"all-but-{p.value}", set(P) - {p}) for p in P),
    *(Role(f"just-{op}", needs) for op, needs in NEEDS.items()),
]


@attrs.frozen
class Strict:
    """An organisation and another one, under a strict policy; ``boss`` may do everything."""

    env: Env
    other: World
    policy: AccessPolicy
    boss: User
    other_boss: User
    other_journal: Journal

    @property
    def service(self) -> AppealsService:
        return self.env.service

    def user(
        self,
        *grants: RoleGrant,
        clearance: Clearance = Clearance.DSP,
        organisation_id: str | None = None,
        deputy_for: frozenset[str] = frozenset(),
    ) -> User:
        """Store a user with ``grants`` in the directory; return it."""
        user = User(
            new_id(),
            f"u-{new_id()[:8]}",
            organisation_id or self.env.world.organisation.id,
            None,
            clearance,
            roles=grants,
            deputy_for=deputy_for,
        )
        with self.env.storage.unit_of_work() as uow:
            uow.directory.put_user(user)
            uow.commit()
        return user

    def appeal(self, **changes: object) -> Appeal:
        """An appeal registered by ``boss`` (of the first department unless told otherwise)."""
        changes.setdefault("department_id", self.env.world.departments[0].id)
        return self.service.register_appeal(self.boss, request(self.env, **changes))

    def dsp(self, appeal: Appeal) -> None:
        """Mark the appeal's card ДСП."""
        records = self.service.records
        card = records.get(self.boss, appeal.card_id)
        records.update(self.boss, card.id, card.version, {"access": AccessMark.DSP})


def strict_env(storage: AnyStorage) -> Strict:
    world, other = make_world(), make_world()
    org = world.organisation.id
    letters = Journal("j-og", org, "ОГ", "Обращения граждан", "{letter}/{seq}", {CardKind.APPEAL})
    regional = Journal("j-po", org, "ПО", "Обращения", "ПО-{seq}/{topic}", {CardKind.APPEAL})
    boss = User(new_id(), "boss", org, world.officials[1].id, Clearance.DSP, roles=("everything",))
    other_boss = User(
        new_id(), "boss2", other.organisation.id, None, Clearance.DSP, roles=("everything",)
    )
    other_journal = Journal(
        "j-og2", other.organisation.id, "ОГ", "Обращения", "{letter}/{seq}", {CardKind.APPEAL}
    )
    with storage.unit_of_work() as uow:
        for w in (world, other):
            uow.directory.put_organisation(w.organisation)
            for department in w.departments:
                uow.directory.put_department(department)
            for official in w.officials:
                uow.directory.put_official(official)
        uow.directory.put_user(boss)
        uow.directory.put_user(other_boss)
        uow.journals.add(other_journal)
        uow.journals.add(letters)
        uow.journals.add(regional)
        uow.commit()
    clock = FixedClock(T0)
    policy = AccessPolicy.strict(roles=ROLES)
    service = AppealsService(
        storage, russian_calendar(), clock, classifier=sample_topics(), policy=policy
    )
    env = Env(storage, clock, world, service, letters, regional)
    return Strict(env, other, policy, boss, other_boss, other_journal)


@pytest.fixture
def strict(storage: AnyStorage) -> Strict:
    return strict_env(storage)


def _attempt(s: Strict, op: str, tmp_path: Path) -> Callable[[ActorRef], object]:
    """The use case ``op`` on a fresh appeal, as a call taking the actor."""
    svc, executor = s.service, s.env.world.officials[0].id
    a = s.appeal(migration=op == "forward_migration_information")
    if op == "materials_received":
        a = svc.request_materials(s.boss, a.id, a.version, "УМВД")
    today = T0.date()
    calls: dict[str, Callable[[ActorRef], object]] = {
        "register_appeal": lambda me: svc.register_appeal(
            me, request(s.env, department_id=s.env.world.departments[0].id)
        ),
        "assign": lambda me: svc.assign(me, a.id, a.version, 1, executor),
        "link_assignments": lambda me: svc.link_assignments(
            me, a.id, a.version, {1: (executor, "a-1")}
        ),
        "extend": lambda me: svc.extend(me, a.id, a.version, 10, "Проверка"),
        "redirect": lambda me: svc.redirect(
            me, a.id, a.version, Transfer("Министерство ЖКХ", today, "02-15/77", OTHER_ID)
        ),
        "decide": lambda me: svc.decide(
            me, a.id, a.version, 1, QuestionStatus.EXPLAINED, Answer(today, "Разъяснено")
        ),
        "leave_without_answer": lambda me: svc.leave_without_answer(
            me, a.id, a.version, NoAnswerReason.WITHDRAWN
        ),
        "request_materials": lambda me: svc.request_materials(me, a.id, a.version, "УМВД"),
        "materials_received": lambda me: svc.materials_received(me, a.id, a.version, 1),
        "forward_migration_information": lambda me: svc.forward_migration_information(
            me, a.id, a.version, Transfer("УМВД", today, "14/3")
        ),
        "export_sstu": lambda me: export_sstu_batch(svc, me, *MARCH, SSTU_ID, tmp_path / new_id()),
        "appeal": lambda me: svc.appeal(me, a.id),
        "appeal_of_card": lambda me: svc.appeal_of_card(me, a.card_id),
        "changed_between": lambda me: svc.changed_between(me, *MARCH),
        "registered_between": lambda me: svc.registered_between(me, *MARCH),
        "statistics": lambda me: svc.statistics(me, *MARCH),
    }
    return calls[op]


def test_each_use_case_is_refused_without_its_permission_and_allowed_with_it(
    strict: Strict, tmp_path: Path
) -> None:
    for op in OPS:
        for missing in NEEDS[op]:
            lacking = strict.user(RoleGrant(f"all-but-{missing.value}"))
            with pytest.raises(PermissionDenied) as caught:
                _attempt(strict, op, tmp_path)(lacking.id)
            assert caught.value.permission == missing.value, op
        allowed = strict.user(RoleGrant(f"just-{op}"))
        _attempt(strict, op, tmp_path)(Principal(allowed.id))


def test_a_role_less_user_may_do_nothing_under_the_strict_policy(strict: Strict) -> None:
    nobody = strict.user()
    appeal = strict.appeal()
    with pytest.raises(PermissionDenied):
        strict.service.appeal(nobody.id, appeal.id)
    with pytest.raises(PermissionDenied):
        strict.service.register_appeal(nobody.id, request(strict.env))


def test_putting_an_appeal_on_control_needs_impose_resolution(strict: Strict) -> None:
    control = ControlService(
        strict.env.storage,
        strict.env.clock,
        russian_calendar(include_provisional=True),
        policy=strict.policy,
    )
    appeal = strict.appeal(executor_id=strict.env.world.officials[0].id)
    registrar = strict.user(RoleGrant("registrar"))
    with pytest.raises(PermissionDenied) as caught:
        execute_through_control(
            strict.service, control, registrar.id, appeal.id, appeal.version,
            strict.env.world.officials[1].id,
        )  # fmt: skip
    assert caught.value.permission == P.IMPOSE_RESOLUTION.value
    assert control.resolutions_of(strict.boss, appeal.card_id) == []
    assert strict.service.appeal(strict.boss, appeal.id).questions[0].assignment_id is None


def test_another_organisations_user_gets_not_found_and_sees_nothing(
    strict: Strict, tmp_path: Path
) -> None:
    svc = strict.service
    appeal = strict.appeal()
    stranger = strict.user(RoleGrant("everything"), organisation_id=strict.other.organisation.id)
    with pytest.raises(NotFound) as missing:
        svc.appeal(stranger.id, "no-such-appeal")
    with pytest.raises(NotFound) as hidden:
        svc.appeal(stranger.id, appeal.id)
    assert (hidden.value.what, hidden.value.key) == ("appeal", appeal.id)
    assert str(hidden.value) == str(missing.value).replace("no-such-appeal", appeal.id)
    with pytest.raises(NotFound):
        svc.appeal_of_card(stranger.id, appeal.card_id)
    with pytest.raises(NotFound):
        svc.decide(
            stranger.id, appeal.id, appeal.version, 1, QuestionStatus.EXPLAINED,
            Answer(T0.date(), "Разъяснено"),
        )  # fmt: skip
    assert svc.changed_between(stranger.id, *MARCH) == []
    assert svc.registered_between(stranger.id, *MARCH) == []
    assert svc.statistics(stranger.id, *MARCH).appeals == 0
    result = export_sstu_batch(svc, stranger.id, *MARCH, SSTU_ID, tmp_path)
    assert (result.written, result.failed) == ((), ())
    with strict.env.storage.unit_of_work() as uow:
        denied = [e for _, e in uow.audit.events(appeal.card_id) if e.action == "access.denied"]
    assert {e.actor_id for e in denied} == {stranger.id}
    assert svc.appeal(strict.boss, appeal.id).version == appeal.version  # nothing changed


def test_an_uncleared_user_never_sees_a_dsp_cards_appeal(strict: Strict, tmp_path: Path) -> None:
    svc = strict.service
    secret, plain = strict.appeal(), strict.appeal()
    strict.dsp(secret)
    uncleared = strict.user(RoleGrant("everything"), clearance=Clearance.NONE)
    forged = attrs.evolve(uncleared, clearance=Clearance.DSP)  # a User value counts as its id
    for who in (uncleared, forged, uncleared.id):
        with pytest.raises(NotFound):
            svc.appeal(who, secret.id)
        assert [a.id for a in svc.registered_between(who, *MARCH)] == [plain.id]
        assert [a.id for a in svc.changed_between(who, *MARCH)] == [plain.id]
        assert svc.statistics(who, *MARCH).appeals == 1
    exported = export_sstu_batch(svc, uncleared.id, *MARCH, SSTU_ID, tmp_path / "u")
    assert [p.name for p in exported.written] == [f"2026-03-02-{plain.id}.json"]
    cleared = strict.user(RoleGrant("everything"))
    assert svc.statistics(cleared.id, *MARCH).appeals == 2
    svc.appeal(cleared.id, secret.id)
    svc.registered_between(cleared.id, *MARCH)
    export_sstu_batch(svc, cleared.id, *MARCH, SSTU_ID, tmp_path / "c")
    with strict.env.storage.unit_of_work() as uow:
        reads = [
            (e.action, e.actor_id)
            for _, e in uow.audit.events(secret.card_id)
            if e.action.startswith("appeal.")
        ]
        plain_reads = [
            e for _, e in uow.audit.events(plain.card_id) if e.action != "card.registered"
        ]
    assert reads == [
        ("appeal.read", cleared.id),
        ("appeal.listed", cleared.id),
        ("appeal.exported", cleared.id),
    ]
    assert plain_reads == []  # reads of open cards are not recorded


def test_a_department_limited_grant_works_in_its_department_only(strict: Strict) -> None:
    first, second = (d.id for d in strict.env.world.departments)
    limited = strict.user(RoleGrant("registrar", department_id=second))
    own = strict.appeal(department_id=second)
    foreign = strict.appeal(department_id=first)
    with pytest.raises(NotFound):  # read limited to the second department: the first's is hidden
        strict.service.request_materials(limited.id, foreign.id, foreign.version, "УМВД")
    strict.service.request_materials(limited.id, own.id, own.version, "УМВД")
    assert [a.id for a in strict.service.registered_between(limited.id, *MARCH)] == [own.id]
    handles_second = strict.user(
        RoleGrant("just-extend", department_id=second), RoleGrant("registering")
    )
    with pytest.raises(PermissionDenied) as caught:
        strict.service.register_appeal(handles_second.id, request(strict.env, department_id=first))
    assert caught.value.permission == P.HANDLE_APPEALS.value
    strict.service.register_appeal(handles_second.id, request(strict.env, department_id=second))


def test_a_deputy_acts_with_the_replaced_users_permissions_and_is_audited(
    strict: Strict,
) -> None:
    handler = strict.user(RoleGrant("registrar"))
    deputy = strict.user(deputy_for=frozenset({handler.id}))
    with pytest.raises(PermissionDenied):
        strict.service.register_appeal(deputy.id, request(strict.env))
    acting = Principal(deputy.id, on_behalf_of=handler.id)
    appeal = strict.service.register_appeal(acting, request(strict.env))
    decided = strict.service.decide(
        acting, appeal.id, appeal.version, 1, QuestionStatus.EXPLAINED,
        Answer(T0.date(), "Разъяснено"),
    )  # fmt: skip
    with strict.env.storage.unit_of_work() as uow:
        events = [e for _, e in uow.audit.events(appeal.id)]
    assert [e.action for e in events] == ["appeal.registered", "appeal.decided"]
    assert {(e.actor_id, e.on_behalf_of) for e in events} == {(deputy.id, handler.id)}
    assert decided.questions[0].history[-1].by == deputy.id


def test_listings_and_totals_reveal_only_the_appeals_the_reader_may_see(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    """Random appeals (organisation, department, ДСП) and a random reader (organisation,
    clearance, read limited to a department or not): listings and statistics hold exactly the
    appeals of the reader's organisation that the plain rule lets them see."""

    @adapter_settings(storage_adapter, 30)
    @given(
        drawn=st.lists(
            st.tuples(st.booleans(), st.integers(0, 1), st.booleans()), min_size=1, max_size=5
        ),
        reader_elsewhere=st.booleans(),
        cleared=st.booleans(),
        read_in=st.sampled_from([None, 0, 1]),
    )
    def check(
        drawn: list[tuple[bool, int, bool]],
        reader_elsewhere: bool,
        cleared: bool,
        read_in: int | None,
    ) -> None:
        s = strict_env(new_storage())
        expected: set[str] = set()
        for elsewhere, department, dsp in drawn:
            world = s.other if elsewhere else s.env.world
            boss = s.other_boss if elsewhere else s.boss
            journal = s.other_journal if elsewhere else s.env.letters
            department_id = world.departments[department].id
            appeal = s.service.register_appeal(
                boss, request(s.env, journal_id=journal.id, department_id=department_id)
            )
            if dsp:
                records = s.service.records
                records.update(boss, appeal.card_id, 1, {"access": AccessMark.DSP})
            if (
                elsewhere == reader_elsewhere
                and (read_in is None or read_in == department)
                and (cleared or not dsp)
            ):
                expected.add(appeal.id)
        home = s.other if reader_elsewhere else s.env.world
        grants = (
            (RoleGrant("everything"),)
            if read_in is None
            else (
                RoleGrant("all-but-read"),
                RoleGrant("just-appeal", department_id=home.departments[read_in].id),
            )
        )
        reader = s.user(
            *grants,
            clearance=Clearance.DSP if cleared else Clearance.NONE,
            organisation_id=home.organisation.id,
        )
        assert {a.id for a in s.service.registered_between(reader.id, *MARCH)} == expected
        assert {a.id for a in s.service.changed_between(reader.id, *MARCH)} == expected
        report = s.service.statistics(reader.id, *MARCH)
        assert (report.appeals, report.total.questions) == (len(expected), len(expected))

    check()


def test_a_deputy_under_a_dated_substitution_handles_appeals_for_the_absent(
    strict: Strict,
) -> None:
    from edmscore.directory import Official, PersonName, Power, Substitution
    from edmscore.errors import ActorBlocked

    org = strict.env.world.organisation.id
    absent = Official(new_id(), org, PersonName("Зуев", "Павел", "Олегович"), "Заместитель")
    stand_in = Official(new_id(), org, PersonName("Лаптева", "Ольга", "Ивановна"), "Заместитель")
    handler = attrs.evolve(strict.user(RoleGrant("registrar")), official_id=absent.id)
    deputy = attrs.evolve(strict.user(), official_id=stand_in.id)
    day = T0.date()
    with strict.env.storage.unit_of_work() as uow:
        for official in (absent, stand_in):
            uow.directory.put_official(official)
        for user in (handler, deputy):
            uow.directory.put_user(user)
        uow.commit()
    acting = Principal(deputy.id, on_behalf_of=handler.id)
    with pytest.raises(ActorBlocked):  # no substitution yet, nor deputy_for
        strict.service.register_appeal(acting, request(strict.env))
    with strict.env.storage.unit_of_work() as uow:
        uow.substitutions.put(
            Substitution(new_id(), org, absent.id, stand_in.id, day, day.add(days=7),
                         powers={Power.APPEALS})
        )  # fmt: skip
        uow.commit()
    appeal = strict.service.register_appeal(acting, request(strict.env))
    with strict.env.storage.unit_of_work() as uow:
        (event,) = [e for _, e in uow.audit.events(appeal.id)]
    assert (event.action, event.actor_id, event.on_behalf_of) == (
        "appeal.registered",
        deputy.id,
        handler.id,
    )
