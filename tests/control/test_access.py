"""Access in the control capability, on every adapter, under ``AccessPolicy.strict()``.

Each use case is refused without its permission and allowed with it; another organisation's
user gets NotFound and sees nothing in lists, the summary or the discipline report; a user
without ДСП clearance never sees a ДСП card's assignments there; a deputy is named in the audit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.access import AccessPolicy, Permission, Principal, Role
from edmscore.calendar import MONTHLY_REPORT, Period
from edmscore.clock import FixedClock
from edmscore.control import (
    Assignment,
    AssignmentKind,
    AssignmentQuery,
    ControlService,
    ItemRequest,
    RecurrenceRequest,
    ResolutionRequest,
)
from edmscore.directory import Clearance, Organisation, RoleGrant, User
from edmscore.errors import NotFound, PermissionDenied
from edmscore.records import RegistrationRequest
from edmscore.registry import AccessMark, RegistrationCard
from edmscore.testing import make_card, make_details
from edmscore.testing.control_builders import make_assignment
from tests._adapters import StorageFactory, adapter_settings
from tests.control.conftest import Office

D = pendulum.Date
P = Permission
#: One role per permission, so a test grants exactly the permissions it names.
POLICY = AccessPolicy.strict(roles=[Role(f"only-{p.value}", {p}) for p in Permission])
EVERY = frozenset(Permission)

#: A prepared call: given the strict service and the acting user's id, run the use case.
Call = Callable[[ControlService, str], object]


def _grant(
    office: Office, user: User, permissions: Iterable[Permission], department: str | None = None
) -> str:
    """Store ``user`` in the directory with exactly ``permissions`` (limited to ``department``)."""
    roles = tuple(RoleGrant(f"only-{p.value}", department) for p in sorted(permissions, key=str))
    with office.storage.unit_of_work() as uow:
        uow.directory.put_user(attrs.evolve(user, roles=roles))
        uow.commit()
    return user.id


def _strict(office: Office) -> ControlService:
    return ControlService(office.storage, office.clock, policy=POLICY)


def _impose(office: Office, card_id: str | None = None, **fields: object) -> str:
    """One assignment to the deputy by the governor, entered by the (legacy, role-less) clerk."""
    item = ItemRequest(office.deputy.id, "Подготовить ответ", **fields)  # type: ignore[arg-type]
    resolution = office.control.impose(
        office.world.clerk,
        ResolutionRequest(card_id or office.card.id, office.governor.id, "Прошу", (item,)),
    )
    return resolution.item_ids[0]


def _on_control(office: Office) -> str:
    return _impose(office, deadline=D(2026, 3, 20), on_control=True, controller_id=office.other.id)


# --- each use case: (who acts, the permission it needs, how to prepare and call it) ----------


def _case_impose(office: Office) -> Call:
    request = ResolutionRequest(
        office.card.id, office.governor.id, "Т", (ItemRequest(office.deputy.id, "A"),)
    )
    return lambda control, who: control.impose(who, request)


def _case_pass_down(office: Office) -> Call:
    parent = _impose(office, deadline=D(2026, 3, 20))
    items = [ItemRequest(office.chief.id, "Проект")]
    return lambda control, who: control.pass_down(who, parent, "Т", items)


def _case_report(office: Office) -> Call:
    a = _impose(office, deadline=D(2026, 3, 20))
    return lambda control, who: control.report(who, a, 1, "Исполнено")


def _case_acknowledge(office: Office) -> Call:
    a = _impose(office, kind=AssignmentKind.INFORMATION)
    return lambda control, who: control.acknowledge(who, a, 1)


def _case_request_extension(office: Office) -> Call:
    a = _impose(office, deadline=D(2026, 3, 20))
    return lambda control, who: control.request_extension(who, a, 1, D(2026, 3, 31), "Нужно")


def _reported(office: Office) -> str:
    a = _on_control(office)
    office.control.report(office.user(office.deputy), a, 1, "Готово")
    return a


def _case_accept(office: Office) -> Call:
    a = _reported(office)
    return lambda control, who: control.accept(who, a, 2)


def _case_return(office: Office) -> Call:
    a = _reported(office)
    return lambda control, who: control.return_for_rework(who, a, 2, "Доработать")


def _case_cancel(office: Office) -> Call:
    a = _impose(office, deadline=D(2026, 3, 20))
    return lambda control, who: control.cancel(who, a, 1, "Снято")


def _case_decide_extension(office: Office) -> Call:
    a = _impose(office, deadline=D(2026, 3, 20))
    office.control.request_extension(office.user(office.deputy), a, 1, D(2026, 3, 31), "Нужно")
    return lambda control, who: control.decide_extension(who, a, 2, approve=True)


def _case_set_deadline(office: Office) -> Call:
    a = _impose(office, deadline=D(2026, 3, 20))
    return lambda control, who: control.set_deadline(who, a, 1, D(2026, 3, 25), "Перенос")


def _case_occurrences(office: Office) -> Call:
    a = _impose(office, recurrence=RecurrenceRequest(Period.MONTH, D(2026, 6, 30), MONTHLY_REPORT))
    return lambda control, who: control.generate_occurrences(who, a, D(2026, 4, 15))


def _reading(
    read: Callable[[ControlService, str, str, str, Office], object],
) -> Callable[[Office], Call]:
    """A reading case: ``read(control, who, assignment_id, resolution_id, office)``."""

    def prepare(office: Office) -> Call:
        a = _on_control(office)
        resolution_id = office.control.get(office.user(office.governor), a).resolution_id
        return lambda control, who: read(control, who, a, resolution_id, office)

    return prepare


CASES: dict[str, tuple[str, Permission, Callable[[Office], Call]]] = {
    "impose": ("governor", P.IMPOSE_RESOLUTION, _case_impose),
    "pass_down": ("deputy", P.EXECUTE, _case_pass_down),
    "report": ("deputy", P.EXECUTE, _case_report),
    "acknowledge": ("deputy", P.EXECUTE, _case_acknowledge),
    "request_extension": ("deputy", P.EXECUTE, _case_request_extension),
    "accept": ("other", P.CONTROL, _case_accept),
    "return_for_rework": ("other", P.CONTROL, _case_return),
    "cancel": ("governor", P.CONTROL, _case_cancel),
    "decide_extension": ("governor", P.CONTROL, _case_decide_extension),
    "set_deadline": ("governor", P.CONTROL, _case_set_deadline),
    "generate_occurrences": ("governor", P.CONTROL, _case_occurrences),
    "get": ("governor", P.READ, _reading(lambda c, who, a, r, o: c.get(who, a))),
    "history": ("governor", P.READ, _reading(lambda c, who, a, r, o: c.history(who, a))),
    "subtree": ("governor", P.READ, _reading(lambda c, who, a, r, o: c.subtree(who, a))),
    "progress": ("governor", P.READ, _reading(lambda c, who, a, r, o: c.progress(who, a))),
    "resolutions_of": (
        "governor",
        P.READ,
        _reading(lambda c, who, a, r, o: c.resolutions_of(who, o.card.id)),
    ),
    "resolution": (
        "governor",
        P.READ,
        _reading(lambda c, who, a, r, o: c.resolution(who, r)),
    ),
    "query": (
        "governor",
        P.READ,
        _reading(lambda c, who, a, r, o: c.query(who, AssignmentQuery())),
    ),
    "assignments": (
        "governor",
        P.READ,
        _reading(lambda c, who, a, r, o: list(c.assignments(who, AssignmentQuery()))),
    ),
    "overdue": ("governor", P.READ, _reading(lambda c, who, a, r, o: c.overdue(who))),
    "due_soon": ("governor", P.READ, _reading(lambda c, who, a, r, o: c.due_soon(who, 3))),
    "summary": ("governor", P.READ, _reading(lambda c, who, a, r, o: c.summary(who))),
    "discipline": (
        "governor",
        P.READ_REPORTS,
        _reading(lambda c, who, a, r, o: c.discipline(who, D(2026, 3, 1), D(2026, 3, 31))),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_use_case_needs_its_permission(office: Office, name: str) -> None:
    who, permission, prepare = CASES[name]
    call = prepare(office)
    control = _strict(office)
    user = office.user(getattr(office, who))
    _grant(office, user, EVERY - {permission})
    with pytest.raises(PermissionDenied) as refused:
        call(control, user.id)
    assert refused.value.permission == permission.value
    _grant(office, user, {permission})
    call(control, user.id)


def _card_in(office: Office, department: str) -> RegistrationCard:
    card = office.records.register(
        office.world.clerk,
        RegistrationRequest(office.world.journal.id, make_details(received_on=D(2026, 3, 2))),
    )
    return office.records.update(
        office.world.clerk, card.id, card.version, {"department_id": department}
    )


def test_a_department_limited_grant_works_only_for_that_department(office: Office) -> None:
    dep_a, dep_b = office.world.departments
    card = _card_in(office, dep_b.id)
    governor = office.user(office.governor)
    control = _strict(office)
    request = ResolutionRequest(
        card.id, office.governor.id, "Т", (ItemRequest(office.deputy.id, "A"),)
    )
    _grant(office, governor, {P.IMPOSE_RESOLUTION}, dep_a.id)
    with pytest.raises(PermissionDenied):
        control.impose(governor.id, request)
    _grant(office, governor, {P.IMPOSE_RESOLUTION}, dep_b.id)
    assert control.impose(governor.id, request).card_id == card.id


def test_a_department_limited_reader_lists_only_that_departments_cards(office: Office) -> None:
    dep_a, dep_b = office.world.departments
    in_a = _impose(office, _card_in(office, dep_a.id).id, deadline=D(2026, 3, 4))
    in_b = _impose(office, _card_in(office, dep_b.id).id, deadline=D(2026, 3, 4))
    office.clock.set(pendulum.datetime(2026, 3, 10, 10, tz="Asia/Yakutsk"))
    reader = office.user(office.chief)
    _grant(office, reader, {P.READ, P.READ_REPORTS}, dep_b.id)
    control = _strict(office)
    assert [a.id for a in control.assignments(reader.id, AssignmentQuery())] == [in_b]
    assert [i.assignment.id for i in control.overdue(reader.id)] == [in_b]
    report = control.discipline(reader.id, D(2026, 3, 1), D(2026, 3, 31))
    assert (report.total.total, [o.assignment_id for o in report.overdue]) == (1, [in_b])
    with pytest.raises(NotFound):
        control.get(reader.id, in_a)


# --- organisations ---------------------------------------------------------------------------


def _stranger(office: Office) -> User:
    """A user of another organisation holding every permission and ДСП clearance."""
    with office.storage.unit_of_work() as uow:
        uow.directory.put_organisation(Organisation("far", "Администрация района"))
        uow.commit()
    stranger = User("u-far", "far", "far", None, Clearance.DSP)
    _grant(office, stranger, EVERY)
    return stranger


def test_another_organisation_gets_not_found_and_sees_nothing(office: Office) -> None:
    a = _impose(office, deadline=D(2026, 3, 4), on_control=True, controller_id=office.other.id)
    office.clock.set(pendulum.datetime(2026, 3, 10, 10, tz="Asia/Yakutsk"))
    stranger = _stranger(office).id
    control = _strict(office)
    resolution_id = office.control.get(office.user(office.governor), a).resolution_id
    for read in (control.get, control.history, control.subtree, control.progress):
        with pytest.raises(NotFound) as hidden:
            read(stranger, a)  # type: ignore[operator]
        assert hidden.value.args == NotFound("assignment", a).args
    with pytest.raises(NotFound):
        control.resolution(stranger, resolution_id)
    with pytest.raises(NotFound):
        control.resolutions_of(stranger, office.card.id)
    with pytest.raises(NotFound):
        control.report(stranger, a, 1, "Чужое")
    with pytest.raises(NotFound):
        control.impose(
            stranger,
            ResolutionRequest(
                office.card.id, office.governor.id, "Т", (ItemRequest(office.deputy.id, "A"),)
            ),
        )
    org = office.world.organisation.id
    assert list(control.assignments(stranger, AssignmentQuery(organisation_id=org))) == []
    assert list(control.assignments(stranger, AssignmentQuery())) == []
    assert control.overdue(stranger) == []
    summary = control.summary(stranger)
    assert (summary.open_total, summary.on_control, summary.overdue) == (0, 0, ())
    assert control.discipline(stranger, D(2026, 3, 1), D(2026, 3, 31)).total.total == 0
    # the governor sees it all: the assertions above could fail
    governor = _grant(office, office.user(office.governor), EVERY)
    assert control.summary(governor).open_total == 1
    assert control.discipline(governor, D(2026, 3, 1), D(2026, 3, 31)).total.total == 1
    denied = list(office.records.history(office.world.clerk, office.card.id))
    assert any(e.action == "access.denied" and e.actor_id == stranger for e in denied)


def test_a_shared_card_is_read_but_not_changed_by_the_other_organisation(office: Office) -> None:
    a = _impose(office, deadline=D(2026, 3, 20))
    stranger = _stranger(office).id
    card = office.records.get(office.world.clerk, office.card.id)
    office.records.update(
        office.world.clerk, card.id, card.version, {"shared_with": frozenset({"far"})}
    )
    control = _strict(office)
    assert control.get(stranger, a).id == a
    org = office.world.organisation.id
    assert [x.id for x in control.assignments(stranger, AssignmentQuery(organisation_id=org))] == [
        a
    ]
    with pytest.raises(PermissionDenied):
        control.cancel(stranger, a, 1, "Чужое")
    with pytest.raises(PermissionDenied):
        control.impose(
            stranger,
            ResolutionRequest(
                office.card.id, office.governor.id, "Т", (ItemRequest(office.deputy.id, "A"),)
            ),
        )


# --- ДСП -------------------------------------------------------------------------------------


def test_without_clearance_a_dsp_cards_assignments_are_in_no_list_or_total(office: Office) -> None:
    dsp = office.records.register(
        office.world.clerk,
        RegistrationRequest(
            office.world.journal.id, make_details(access=AccessMark.DSP, received_on=D(2026, 3, 2))
        ),
    )
    secret = _impose(office, dsp.id, deadline=D(2026, 3, 4), on_control=True,
                     controller_id=office.other.id)  # fmt: skip
    public = _impose(office, deadline=D(2026, 3, 5))
    office.clock.set(pendulum.datetime(2026, 3, 10, 10, tz="Asia/Yakutsk"))
    control = _strict(office)
    plain = _grant(office, office.world.plain, EVERY)
    cleared = _grant(office, office.user(office.governor), EVERY)
    period = (D(2026, 3, 1), D(2026, 3, 31))

    def seen(who: str) -> tuple[set[str], set[str], int, int, int]:
        listed = {a.id for a in control.assignments(who, AssignmentQuery())}
        overdue = {i.assignment.id for i in control.overdue(who)}
        summary = control.summary(who)
        report = control.discipline(who, *period)
        return listed, overdue, summary.on_control, report.total.total, len(report.overdue)

    assert seen(plain) == ({public}, {public}, 0, 1, 1)
    assert seen(cleared) == ({secret, public}, {secret, public}, 1, 2, 2)
    with pytest.raises(NotFound):
        control.get(plain, secret)
    # the cleared reader's reads of the ДСП card's assignment are audited on the card
    actions = {
        e.action
        for e in office.records.history(office.world.clerk, dsp.id)
        if e.actor_id == cleared
    }
    assert {"assignment.listed"} <= actions
    control.get(cleared, secret)
    after = [e for e in office.records.history(office.world.clerk, dsp.id) if e.note == secret]
    assert any(e.action == "assignment.read" for e in after)


# --- deputies --------------------------------------------------------------------------------


def test_a_deputy_acts_for_the_replaced_official_and_is_named_in_the_audit(
    office: Office,
) -> None:
    a = _impose(office, deadline=D(2026, 3, 20))
    governor = office.user(office.governor)
    _grant(office, governor, {P.CONTROL, P.READ})
    stand_in = User("u-stand-in", "stand-in", office.world.organisation.id, None, Clearance.DSP,
                    deputy_for=frozenset({governor.id}))  # fmt: skip
    _grant(office, stand_in, {P.READ})
    control = _strict(office)
    with pytest.raises(PermissionDenied):  # alone: no control permission, no official
        control.set_deadline(stand_in.id, a, 1, D(2026, 3, 25), "Перенос")
    principal = Principal(stand_in.id, on_behalf_of=governor.id)
    moved = control.set_deadline(principal, a, 1, D(2026, 3, 25), "Перенос")
    assert moved.deadline_history[-1].changed_by == office.governor.id
    event = control.history(governor.id, a)[-1]
    assert (event.action, event.actor_id, event.on_behalf_of) == (
        "assignment.deadline_changed",
        stand_in.id,
        governor.id,
    )


# --- a property: lists and totals reveal exactly what the visibility rule allows -------------

ORGS = ("org-a", "org-b", "org-c")
DEPTS = {org: (f"{org}-d1", f"{org}-d2") for org in ORGS}
#: org-a supervises org-b.
READERS = AccessPolicy.strict(
    roles=[
        Role("reader", {P.READ, P.READ_REPORTS}),
        Role("overseer", {P.READ, P.READ_REPORTS, P.SUPERVISE}),
    ],
    supervision={"org-a": ["org-b"]},
)
PERIOD = (D(2026, 3, 1), D(2026, 3, 31))


@st.composite
def _people(draw: st.DrawFn) -> list[User]:
    found = []
    for n in range(draw(st.integers(1, 4))):
        org = draw(st.sampled_from(ORGS))
        role = draw(st.sampled_from(["reader", "overseer"]))
        department = draw(st.sampled_from((None, *DEPTS[org])))
        clearance = draw(st.sampled_from(Clearance))
        found.append(
            User(f"u{n}", f"user{n}", org, None, clearance, roles=(RoleGrant(role, department),))
        )
    return found


@st.composite
def _cards(
    draw: st.DrawFn, user_ids: list[str]
) -> list[tuple[str, str | None, bool, set[str], set[str]]]:
    specs = []
    for _ in range(draw(st.integers(0, 6))):
        org = draw(st.sampled_from(ORGS))
        specs.append(
            (
                org,
                draw(st.sampled_from((None, *DEPTS[org]))),
                draw(st.booleans()),
                draw(st.sets(st.sampled_from(user_ids), max_size=1)),
                draw(st.sets(st.sampled_from(ORGS), max_size=1)) - {org},
            )
        )
    return specs


def _sees(user: User, org: str, department: str | None, dsp: bool, listed: set[str],
          shared: set[str]) -> bool:  # fmt: skip
    """docs/access.md, restated plainly for one card."""
    grant = user.roles[0]
    if user.id in listed:
        return True
    reached = (
        (org == user.organisation_id and grant.department_id in (None, department))
        or user.organisation_id in shared
        or (grant.role == "overseer" and user.organisation_id == "org-a" and org == "org-b")
    )
    return reached and (not dsp or user.clearance is Clearance.DSP)


def test_lists_and_report_totals_reveal_only_visible_assignments(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    @adapter_settings(storage_adapter, 30)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        people = data.draw(_people())
        specs = data.draw(_cards([u.id for u in people]))
        storage = new_storage()
        made: list[tuple[Assignment, tuple[str, str | None, bool, set[str], set[str]]]] = []
        with storage.unit_of_work() as uow:
            for org in ORGS:
                uow.directory.put_organisation(Organisation(org, f"Организация {org}"))
            for person in people:
                uow.directory.put_user(person)
            for n, spec in enumerate(specs):
                org, department, dsp, listed, shared = spec
                card = make_card(
                    "journal", f"№{n}", organisation_id=org,
                    access=AccessMark.DSP if dsp else AccessMark.OPEN,
                    access_list=frozenset(listed),
                )  # fmt: skip
                card = attrs.evolve(
                    card,
                    details=attrs.evolve(
                        card.details, department_id=department, shared_with=frozenset(shared)
                    ),
                )
                uow.cards.add(card)
                # due 4 March: overdue and open on the 10th, counted in March's report
                assignment = make_assignment(card.id, organisation_id=org, due=D(2026, 3, 4))
                uow.assignments.add(assignment)
                made.append((assignment, spec))
            uow.commit()
        clock = FixedClock(pendulum.datetime(2026, 3, 10, 10, tz="Europe/Moscow"))
        control = ControlService(storage, clock, policy=READERS)  # type: ignore[arg-type]
        for person in people:
            visible = {a.id for a, spec in made if _sees(person, *spec)}
            own = {
                a.id for a, spec in made if a.id in visible and spec[0] == person.organisation_id
            }
            assert {a.id for a in control.assignments(person.id, AssignmentQuery())} == own
            for org in ORGS:
                query = AssignmentQuery(organisation_id=org)
                listed = {a.id for a in control.assignments(person.id, query)}
                assert listed == {a.id for a, spec in made if a.id in visible and spec[0] == org}
            assert {i.assignment.id for i in control.overdue(person.id)} == own
            assert control.summary(person.id).open_total == len(own)
            report = control.discipline(person.id, *PERIOD)
            assert report.total.total == len(own)
            assert {o.assignment_id for o in report.overdue} == own
            for a, _ in made:
                if a.id not in visible:
                    with pytest.raises(NotFound):
                        control.get(person.id, a.id)

    check()
