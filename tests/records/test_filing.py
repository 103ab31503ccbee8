"""Filing cards to cases, closing cases, copying the nomenclature to the next year."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore.errors import AccessDenied, StateError, ValidationError
from edmscore.records import RegistrationRequest
from edmscore.registry import CardKind
from edmscore.testing import make_details, make_nomenclature

from .conftest import T0, Env


def _register(env: Env) -> str:
    details = make_details(CardKind.INCOMING, received_on=T0.date())
    return env.records.register(
        env.world.clerk, RegistrationRequest(env.world.journal.id, details)
    ).id


def test_a_card_is_filed_to_a_case_of_its_organisation_and_year(env: Env) -> None:
    nomenclature = make_nomenclature(env.world.organisation.id, 2026)
    env.admin.add_nomenclature(env.world.clerk, nomenclature)
    case = nomenclature.cases[1]
    filed = env.records.file_to_case(env.world.clerk, _register(env), 1, case.id)
    assert (filed.details.case_id, filed.details.case_index) == (case.id, "01-05")
    assert env.records.history(env.world.clerk, filed.id)[-1].action == "card.filed"


def test_a_case_of_another_year_or_organisation_is_refused(env: Env) -> None:
    last_year = make_nomenclature(env.world.organisation.id, 2025)
    foreign = make_nomenclature("another-org", 2026)
    env.admin.add_nomenclature(env.world.clerk, last_year)
    with env.storage.unit_of_work() as uow:
        uow.nomenclatures.add(foreign)
        uow.commit()
    card_id = _register(env)
    for case_id in (last_year.cases[0].id, foreign.cases[0].id):
        with pytest.raises(ValidationError) as info:
            env.records.file_to_case(env.world.clerk, card_id, 1, case_id)
        assert info.value.field == "case_id"


def test_a_closed_case_takes_no_more_cards(env: Env) -> None:
    nomenclature = make_nomenclature(env.world.organisation.id, 2026)
    env.admin.add_nomenclature(env.world.clerk, nomenclature)
    case = nomenclature.cases[0]
    closed = env.admin.close_case(env.world.clerk, case.id, pendulum.Date(2026, 3, 1))
    assert closed.case_by_id(case.id).is_closed
    with pytest.raises(ValidationError, match="closed"):
        env.records.file_to_case(env.world.clerk, _register(env), 1, case.id)
    with pytest.raises(StateError):
        env.admin.close_case(env.world.clerk, case.id, pendulum.Date(2026, 3, 2))


def test_registration_can_name_the_case_directly(env: Env) -> None:
    nomenclature = make_nomenclature(env.world.organisation.id, 2026)
    env.admin.add_nomenclature(env.world.clerk, nomenclature)
    details = attrs.evolve(
        make_details(CardKind.INCOMING, received_on=T0.date()), case_id=nomenclature.cases[2].id
    )
    card = env.records.register(env.world.clerk, RegistrationRequest(env.world.journal.id, details))
    assert card.details.case_index == "02-03"


def test_copy_to_next_year_keeps_indexes_and_is_stored(env: Env) -> None:
    nomenclature = make_nomenclature(env.world.organisation.id, 2026)
    env.admin.add_nomenclature(env.world.clerk, nomenclature)
    copy = env.admin.copy_nomenclature_to_next_year(
        env.world.clerk, env.world.organisation.id, 2026, "next"
    )
    assert copy.year == 2027
    assert [c.index for c in copy.cases] == [c.index for c in nomenclature.cases]
    with env.storage.unit_of_work() as uow:
        assert uow.nomenclatures.find(env.world.organisation.id, 2027) == (copy, 1)


def test_nomenclature_of_another_organisation_cannot_be_added(env: Env) -> None:
    with pytest.raises(AccessDenied):
        env.admin.add_nomenclature(env.world.clerk, make_nomenclature("another-org", 2026))
