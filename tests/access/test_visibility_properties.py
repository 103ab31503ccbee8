"""On every adapter, for random organisations, departments, roles, clearances, access lists and
shares: listings, searches and reads reveal exactly what the visibility rule allows, and a
hidden card answers like a missing one.

The expected set is computed by a plain restatement of the rule written here (not by
``AccessScope.permits``), so the adapters' SQL, the memory filter and ``permits`` are all checked
against one independent statement.
"""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.access import AccessPolicy, Principal, Role
from edmscore.access import Permission as P
from edmscore.directory import Clearance, Department, Organisation, RoleGrant, User
from edmscore.errors import NotFound
from edmscore.records import RecordsService
from edmscore.registry import AccessMark, CardStatus
from edmscore.storage import CardQuery
from edmscore.testing import make_card
from tests._adapters import StorageFactory, adapter_settings

ORGS = ("org-a", "org-b", "org-c")
DEPTS = {org: (f"{org}-d1", f"{org}-d2") for org in ORGS}
#: org-a supervises org-b (and only that).
POLICY = AccessPolicy.strict(
    roles=[Role("reader", {P.READ}), Role("overseer", {P.READ, P.SUPERVISE})],
    supervision={"org-a": ["org-b"]},
)
NOW = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Moscow")

_counter = itertools.count()


@st.composite
def users(draw: st.DrawFn) -> list[User]:
    found = []
    for n in range(draw(st.integers(1, 5))):
        org = draw(st.sampled_from(ORGS))
        role = draw(st.sampled_from(["reader", "overseer", None]))
        department = draw(st.sampled_from((None, *DEPTS[org])))
        grants = () if role is None else (RoleGrant(role, department),)
        clearance = draw(st.sampled_from(Clearance))
        found.append(User(f"u{n}", f"user{n}", org, None, clearance, roles=grants))
    return found


@st.composite
def cards_of(
    draw: st.DrawFn, user_ids: list[str]
) -> list[tuple[str, str | None, bool, set[str], set[str]]]:
    specs = []
    for _ in range(draw(st.integers(0, 8))):
        org = draw(st.sampled_from(ORGS))
        department = draw(st.sampled_from((None, *DEPTS[org])))
        dsp = draw(st.booleans())
        listed = draw(st.sets(st.sampled_from(user_ids), max_size=2)) if user_ids else set()
        shared = draw(st.sets(st.sampled_from(ORGS), max_size=2)) - {org}
        specs.append((org, department, dsp, listed, shared))
    return specs


def expected(
    user: User, org: str, department: str | None, dsp: bool, listed: set[str], shared: set[str]
) -> bool:
    """The rule of docs/access.md, restated plainly."""
    grants = {g.role: g.department_id for g in user.roles}
    if not grants:
        return False  # no READ: nothing at all (the use case refuses the listing)
    if user.id in listed:
        return True
    department_ok = None in grants.values() or department in grants.values()
    reached = (
        (org == user.organisation_id and department_ok)
        or user.organisation_id in shared
        or ("overseer" in grants and user.organisation_id == "org-a" and org == "org-b")
    )
    return reached and (not dsp or user.clearance is Clearance.DSP)


def _store_world(storage: object, people: list[User]) -> None:
    with storage.unit_of_work() as uow:  # type: ignore[attr-defined]
        for org in ORGS:
            uow.directory.put_organisation(Organisation(org, f"Организация {org}"))
            for code, dept in enumerate(DEPTS[org]):
                uow.directory.put_department(Department(dept, org, f"0{code}", "Отдел"))
        for person in people:
            uow.directory.put_user(person)
        uow.commit()


def test_listings_and_reads_reveal_exactly_what_the_rule_allows(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    @adapter_settings(storage_adapter, 60)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        people = data.draw(users())
        specs = data.draw(cards_of([u.id for u in people]))
        storage = new_storage()
        _store_world(storage, people)
        stored = []
        with storage.unit_of_work() as uow:
            for n, (org, department, dsp, listed, shared) in enumerate(specs):
                card = make_card(
                    "journal",
                    f"№{n}",
                    organisation_id=org,
                    access=AccessMark.DSP if dsp else AccessMark.OPEN,
                    access_list=frozenset(listed),
                )
                card = attrs.evolve(
                    card,
                    details=attrs.evolve(
                        card.details, department_id=department, shared_with=frozenset(shared)
                    ),
                )
                uow.cards.add(card)
                stored.append((card, (org, department, dsp, listed, shared)))
            uow.commit()
        records = RecordsService(storage, policy=POLICY)  # type: ignore[arg-type]
        for person in people:
            allowed = {card.id for card, spec in stored if expected(person, *spec)}
            if not person.roles:
                continue  # no READ at all: see test_a_user_without_read_lists_nothing
            page = records.query(Principal(person.id), CardQuery(limit=1000))
            assert {c.id for c in page.items} == allowed
            text = records.query(person.id, CardQuery(text="информации", limit=1000))
            assert {c.id for c in text.items} == allowed
            for card, _ in stored:
                if card.id in allowed:
                    assert records.get(person.id, card.id).id == card.id
                else:
                    with pytest.raises(NotFound) as hidden:
                        records.get(person.id, card.id)
                    with pytest.raises(NotFound) as missing:
                        records.get(person.id, f"missing-{card.id}")
                    # The same error, word for word, but for the id asked about.
                    assert str(hidden.value).replace(card.id, "X") == str(missing.value).replace(
                        f"missing-{card.id}", "X"
                    )

    check()


def test_a_user_without_read_lists_nothing_and_is_refused(
    new_storage: StorageFactory,
) -> None:
    storage = new_storage()
    nobody = User("u-none", "none", "org-a")
    _store_world(storage, [nobody])
    with storage.unit_of_work() as uow:
        uow.cards.add(make_card("journal", "1", organisation_id="org-a"))
        uow.commit()
    records = RecordsService(storage, policy=POLICY)  # type: ignore[arg-type]
    from edmscore.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        records.query(nobody.id, CardQuery())


def test_deleted_cards_follow_the_same_rule(new_storage: StorageFactory) -> None:
    storage = new_storage()
    reader = User("u-r", "reader", "org-b", roles=("reader",))
    _store_world(storage, [reader])
    with storage.unit_of_work() as uow:
        mine = attrs.evolve(make_card("j", "1", organisation_id="org-b"), status=CardStatus.DELETED)
        theirs = attrs.evolve(
            make_card("j", "2", organisation_id="org-a"), status=CardStatus.DELETED
        )
        uow.cards.add(mine)
        uow.cards.add(theirs)
        uow.commit()
    records = RecordsService(storage, policy=POLICY)  # type: ignore[arg-type]
    page = records.query(reader.id, CardQuery(statuses={CardStatus.DELETED}))
    assert [c.id for c in page.items] == [mine.id]
