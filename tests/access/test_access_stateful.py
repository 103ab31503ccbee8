"""A stateful property: whatever registrations, reclassifications, access-list changes and shares
happen in whatever order, on every adapter, each user's listing is exactly what the rule allows,
every change succeeds only with its permission and clearance, and a hidden card reads as missing.
"""

from __future__ import annotations

import attrs
import hypothesis.strategies as st
import pendulum
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from edmscore.access import AccessPolicy
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Organisation, User
from edmscore.errors import AccessDenied, NotFound
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import AccessMark, CardKind, Journal, RegistrationCard
from edmscore.storage import CardQuery
from edmscore.testing import make_details
from tests._adapters import SQL_SHARE, StorageFactory

ORGS = ("a", "b")
T0 = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Moscow")
#: (id, organisation, clearance, roles)
PEOPLE = (
    ("reg-a", "a", Clearance.DSP, ("registrar",)),
    ("plain-reg-a", "a", Clearance.NONE, ("registrar",)),
    ("exe-a", "a", Clearance.NONE, ("executor",)),
    ("reg-b", "b", Clearance.DSP, ("registrar",)),
    ("exe-b", "b", Clearance.NONE, ("executor",)),
)

#: Those an access list opens something to.
UNCLEARED = tuple(p for p in PEOPLE if p[2] is Clearance.NONE)


def _sees(user: tuple[str, str, Clearance, tuple[str, ...]], card: RegistrationCard) -> bool:
    user_id, org, clearance, _ = user
    details = card.details
    if user_id in details.access_list:
        return True
    reached = card.organisation_id == org or org in details.shared_with
    return reached and (details.access is AccessMark.OPEN or clearance is Clearance.DSP)


def machine_for(new_storage: StorageFactory) -> type[RuleBasedStateMachine]:
    class AccessMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.storage = new_storage()
            with self.storage.unit_of_work() as uow:
                for org in ORGS:
                    uow.directory.put_organisation(Organisation(org, f"Ведомство {org}"))
                    uow.journals.add(
                        Journal(f"j-{org}", org, "ВХ", "Входящие", "{seq}", {CardKind.INCOMING})
                    )
                for user_id, org, clearance, roles in PEOPLE:
                    uow.directory.put_user(
                        User(user_id, user_id, org, None, clearance, roles=roles)
                    )
                uow.commit()
            self.records = RecordsService(
                self.storage,  # type: ignore[arg-type]
                FixedClock(T0),
                policy=AccessPolicy.strict(),
            )
            self.cards: dict[str, RegistrationCard] = {}

        @rule(who=st.sampled_from(PEOPLE), dsp=st.booleans(), listed=st.sampled_from(UNCLEARED))
        def register(self, who: tuple, dsp: bool, listed: tuple) -> None:  # type: ignore[type-arg]
            details = make_details(
                CardKind.INCOMING,
                access=AccessMark.DSP if dsp else AccessMark.OPEN,
                access_list=frozenset({listed[0]}),
                received_on=T0.date(),
            )
            request = RegistrationRequest(f"j-{who[1]}", details)
            allowed = "registrar" in who[3] and (not dsp or who[2] is Clearance.DSP)
            if allowed:
                card = self.records.register(who[0], request)
                self.cards[card.id] = card
            else:
                with pytest.raises(AccessDenied):
                    self.records.register(who[0], request)

        @precondition(lambda self: bool(self.cards))
        @rule(data=st.data(), who=st.sampled_from(PEOPLE), dsp=st.booleans())
        def reclassify(self, data: st.DataObject, who: tuple, dsp: bool) -> None:  # type: ignore[type-arg]
            card = self.cards[data.draw(st.sampled_from(list(self.cards)))]
            mark = AccessMark.DSP if dsp else AccessMark.OPEN
            if mark is card.details.access:
                return
            # A registrar of the owning organisation who sees the card, with clearance.
            allowed = (
                _sees(who, card)
                and who[1] == card.organisation_id
                and "registrar" in who[3]
                and who[2] is Clearance.DSP
            )
            if allowed:
                self.cards[card.id] = self.records.update(
                    who[0], card.id, card.version, {"access": mark}
                )
            else:
                with pytest.raises((AccessDenied, NotFound)):
                    self.records.update(who[0], card.id, card.version, {"access": mark})

        @precondition(lambda self: bool(self.cards))
        @rule(data=st.data(), who=st.sampled_from(PEOPLE), organisation=st.sampled_from(ORGS))
        def share(self, data: st.DataObject, who: tuple, organisation: str) -> None:  # type: ignore[type-arg]
            card = self.cards[data.draw(st.sampled_from(list(self.cards)))]
            allowed = (
                _sees(who, card)
                and who[1] == card.organisation_id
                and "registrar" in who[3]
                and (card.details.access is AccessMark.OPEN or who[2] is Clearance.DSP)
            )
            if allowed:
                self.cards[card.id] = self.records.share(
                    who[0], card.id, card.version, [organisation]
                )
            else:
                with pytest.raises((AccessDenied, NotFound)):
                    self.records.share(who[0], card.id, card.version, [organisation])

        @invariant()
        def listings_and_reads_follow_the_rule(self) -> None:
            for person in PEOPLE:
                expected = {c.id for c in self.cards.values() if _sees(person, c)}
                page = self.records.query(person[0], CardQuery(limit=1000))
                assert {c.id for c in page.items} == expected
                for card in self.cards.values():
                    if card.id not in expected:
                        with pytest.raises(NotFound):
                            self.records.get(person[0], card.id)

    return AccessMachine


def test_access_holds_through_any_sequence_of_changes(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    machine = machine_for(new_storage)
    machine.TestCase.settings = settings(
        max_examples=max(5, round(100 * SQL_SHARE[storage_adapter])),
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    machine.TestCase().runTest()


def test_the_rule_restated_here_matches_the_scope() -> None:
    """The plain restatement above agrees with ``AccessScope`` on a few hand-picked cards."""
    from edmscore.access import AccessScope
    from edmscore.testing import make_card

    shared = make_card("j", "1", organisation_id="a")
    shared = attrs.evolve(
        shared, details=attrs.evolve(shared.details, shared_with=frozenset({"b"}))
    )
    for person in PEOPLE:
        scope = AccessScope(person[0], person[2] is Clearance.DSP, organisation_id=person[1])
        assert scope.permits(shared) == _sees(person, shared)
