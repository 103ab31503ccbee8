"""Property tests of the foundation's invariants, over random sequences of use cases."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from edmscore.access import may_see
from edmscore.directory import Clearance, User
from edmscore.errors import ConflictError, DuplicateNumber, EdmsError
from edmscore.records import RegistrationRequest
from edmscore.registry import AccessMark, CardKind, RegistrationCard
from edmscore.storage import CardQuery
from edmscore.testing import make_details
from edmscore.testing import strategies as eds
from tests._adapters import StorageFactory, adapter_settings

from .conftest import T0, build_env

# Failures before allocation (bad executor, bad case), after allocation inside the registering
# unit of work (a card that fails validation, an id that is already taken), and a host's own
# unit of work that allocates and then rolls back.
_FAILURES = ("ok", "bad_executor", "bad_case", "received_later", "duplicate_id", "raise_after")


def test_numbers_are_unique_and_gapless_whatever_fails(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    @adapter_settings(storage_adapter, 40)
    @given(st.lists(st.sampled_from(_FAILURES), min_size=1, max_size=40))
    def check(steps: list[str]) -> None:
        env = build_env(new_storage())
        clerk = env.world.clerk
        details = make_details(CardKind.INCOMING, received_on=T0.date())
        succeeded: list[RegistrationCard] = []
        for step in steps:
            request = RegistrationRequest(env.world.journal.id, details)
            if step == "bad_executor":
                request = attrs.evolve(request, details=attrs.evolve(details, executor_id="nobody"))
            elif step == "bad_case":
                request = attrs.evolve(request, details=attrs.evolve(details, case_id="nowhere"))
            elif step == "received_later":
                later = T0.date().add(days=1)
                request = attrs.evolve(request, details=attrs.evolve(details, received_on=later))
            elif step == "duplicate_id" and succeeded:
                request = attrs.evolve(request, card_id=succeeded[0].id)
            if step == "raise_after":
                # The registration itself succeeds, then the host's own work in the same unit fails.
                with env.storage.unit_of_work() as uow:
                    counter = env.world.journal.counter_key(2026, {})
                    uow.numbers.next(counter)
                    # no commit: the host's failure rolls the allocation back
                continue
            try:
                succeeded.append(env.records.register(clerk, request))
            except EdmsError:
                assert step not in ("ok", "duplicate_id") or (step == "duplicate_id" and succeeded)
        seqs = [card.registration.seq for card in succeeded]
        assert seqs == list(range(1, len(succeeded) + 1))
        assert len({card.number for card in succeeded}) == len(succeeded)

    check()


def test_numbers_typed_by_hand_and_counted_never_collide_and_leave_no_gap(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    # None: the journal's counter gives the number; k: the clerk types "вх-k" by hand.
    steps = st.lists(st.none() | st.integers(min_value=1, max_value=25), min_size=1, max_size=30)

    @adapter_settings(storage_adapter, 40)
    @given(steps)
    def check(typed: list[int | None]) -> None:
        env = build_env(new_storage())
        details = make_details(CardKind.INCOMING, received_on=T0.date())
        held: set[str] = set()
        counted: list[int] = []
        for k in typed:
            request = RegistrationRequest(env.world.journal.id, details)
            if k is None:
                card = env.records.register(env.world.clerk, request)
                assert card.number not in held
                assert card.registration.seq is not None
                counted.append(card.registration.seq)
            else:
                number = f"вх-{k}"
                request = attrs.evolve(request, manual_number=number)
                try:
                    card = env.records.register(env.world.clerk, request)
                except DuplicateNumber:
                    assert number in held  # refused only when taken
                    continue
                assert number not in held
            held.add(card.number)
        assert counted == sorted(set(counted))  # the counter only moves on
        if counted:  # every value the counter passed is held: by a counted card or a typed one
            assert {f"вх-{s}" for s in range(1, counted[-1] + 1)} <= held

    check()


def test_a_stale_update_is_always_refused(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    @adapter_settings(storage_adapter, 40)
    @given(st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=12))
    def check(expected_versions: list[int]) -> None:
        env = build_env(new_storage())
        clerk = env.world.clerk
        card = env.records.register(
            clerk, RegistrationRequest(env.world.journal.id, make_details(received_on=T0.date()))
        )
        version = card.version
        for index, expected in enumerate(expected_versions):
            try:
                stored = env.records.update(
                    clerk, card.id, expected, {"summary": f"Правка {index}"}
                )
            except ConflictError as error:
                assert expected != version
                assert error.actual == version
            else:
                assert expected == version
                version = stored.version
        assert env.records.get(clerk, card.id).version == version

    check()


@st.composite
def _population(draw: st.DrawFn) -> tuple[list[User], list[tuple[AccessMark, list[int]]]]:
    user_count = draw(st.integers(1, 4))
    clearances = draw(
        st.lists(st.sampled_from(Clearance), min_size=user_count, max_size=user_count)
    )
    active = draw(st.lists(st.booleans(), min_size=user_count, max_size=user_count))
    users = [
        User(f"u{i}", f"user{i}", "org", None, clearance, is_active)
        for i, (clearance, is_active) in enumerate(zip(clearances, active, strict=True))
    ]
    cards = draw(
        st.lists(
            st.tuples(
                st.sampled_from(AccessMark),
                st.lists(st.integers(0, user_count - 1), max_size=2),
            ),
            min_size=1,
            max_size=12,
        )
    )
    return users, cards


def test_no_query_ever_returns_a_card_the_user_may_not_see(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    @adapter_settings(storage_adapter, 50)
    @given(_population(), st.data())
    def check(
        population: tuple[list[User], list[tuple[AccessMark, list[int]]]], data: st.DataObject
    ) -> None:
        env = build_env(new_storage())
        users, specs = population
        with env.storage.unit_of_work() as uow:
            for user in users:
                uow.directory.put_user(
                    attrs.evolve(user, organisation_id=env.world.organisation.id)
                )
            uow.commit()
        users = [attrs.evolve(u, organisation_id=env.world.organisation.id) for u in users]
        created = []
        for mark, listed in specs:
            details = data.draw(
                eds.card_details(kind=CardKind.INCOMING, access=mark, received_on=T0.date())
            )
            details = attrs.evolve(details, access_list=frozenset(users[i].id for i in listed))
            request = RegistrationRequest(env.world.journal.id, details)
            created.append(env.records.register(env.world.clerk, request))
        for user in users:
            if not user.active:
                continue
            seen = set()
            query = CardQuery(limit=data.draw(st.integers(1, 5)))
            while True:
                page = env.records.query(user, query)
                for card in page.items:
                    assert may_see(user, card)
                    seen.add(card.id)
                if page.next_cursor is None:
                    break
                query = attrs.evolve(query, after=page.next_cursor)
            assert seen == {card.id for card in created if may_see(user, card)}

    check()


_TO_LATIN = {"в": "B", "х": "x", "В": "B", "Х": "X", "с": "c", "С": "C"}


def test_a_number_found_as_typed_is_the_one_registration_would_refuse_as_a_duplicate(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    """Whatever a person types, the search finds the card exactly when registering under the
    same text would be refused as the card's number (one rule for both)."""
    env = build_env(new_storage())
    clerk = env.world.clerk
    details = make_details(CardKind.INCOMING, received_on=T0.date())
    journal_id = env.world.journal.id
    env.records.register(clerk, RegistrationRequest(journal_id, details, "вх-17"))

    @adapter_settings(storage_adapter, 60)
    @given(
        st.lists(
            st.tuples(st.sampled_from("вх-17с"), st.sampled_from(("same", "upper", "latin"))),
            min_size=1,
            max_size=7,
        ),
        st.sampled_from(("", " ", "  ", "\t")),
        st.sampled_from(("", " ", "\u00a0")),
    )
    def check(letters: list[tuple[str, str]], before: str, after: str) -> None:
        typed = before
        for letter, how in letters:
            if how == "upper":
                letter = letter.upper()
            elif how == "latin":
                letter = _TO_LATIN.get(letter, letter)
            typed += letter
        typed += after
        found = {c.id for c in env.records.query(clerk, CardQuery(number=typed)).items}
        request = RegistrationRequest(journal_id, details, typed)
        try:
            made = env.records.register(clerk, request)
        except DuplicateNumber:
            assert len(found) == 1  # the card holding the number, found as typed
            return
        assert found == set()
        again = {c.id for c in env.records.query(clerk, CardQuery(number=typed)).items}
        assert again == {made.id}

    check()
