"""A substitution that starts while a cycle runs reads on the sheet like one in force at its start.

Regression: the deputy's visa was recorded with the absent official as the visa's official, and
the sheet read «Зуев П.О. Согласовано» instead of «Лаптева О.И. (за Зуев П.О.)».
"""

from __future__ import annotations

import pendulum

from edmscore._ids import new_id
from edmscore.approval import Draft, SheetRow, Substitution, VisaDecision

from .conftest import Ministry


def _absent(m: Ministry, starts: pendulum.Date) -> None:
    m.service.put_substitution(
        m.admin,
        Substitution(
            new_id(),
            m.organisation.id,
            m.officials["dep1"].id,
            m.officials["dep2"].id,
            starts,
            starts.add(days=14),
            "Командировка",
        ),
    )


def _row(m: Ministry, draft: Draft) -> SheetRow:
    return m.service.sheet(m.users["author"], draft.id).cycles[0].rows[0]


def _deputy_visa(m: Ministry) -> Draft:
    draft = m.create()
    return m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("dep1")])


def test_a_substitution_started_before_the_cycle(ministry: Ministry) -> None:
    m = ministry
    _absent(m, m.clock.now().date())
    draft = _deputy_visa(m)
    draft = m.service.give_visa(m.users["dep2"], draft.id, draft.version, VisaDecision.AGREED)
    row = _row(m, draft)
    assert row.who == "Лаптева О.И. (за Зуев П.О.)"
    assert row.decision == "Согласовано"
    visa = draft.cycles[0].visas[0]
    assert visa.official_id == m.officials["dep2"].id
    assert visa.acting_for == m.officials["dep1"].id


def test_a_substitution_started_during_the_cycle(ministry: Ministry) -> None:
    m = ministry
    draft = _deputy_visa(m)  # Зуев is at work when the cycle starts
    m.clock.advance(days=1)
    _absent(m, m.clock.now().date())  # … and leaves the next day
    draft = m.service.give_visa(m.users["dep2"], draft.id, draft.version, VisaDecision.AGREED)
    row = _row(m, draft)
    assert row.participant == "Лаптева О.И."
    assert row.position == "Заместитель министра по информатизации"
    assert row.acting_for == "Зуев П.О."
    assert row.who == "Лаптева О.И. (за Зуев П.О.)"
    assert "замещает Зуев П.О." in row.participant_cell
    visa = draft.cycles[0].visas[0]
    assert visa.user_id == m.users["dep2"].id
    assert visa.official_id == m.officials["dep2"].id
    assert visa.acting_for == m.officials["dep1"].id


def test_the_official_back_before_the_visa_answers_in_person(ministry: Ministry) -> None:
    m = ministry
    draft = _deputy_visa(m)
    m.clock.advance(days=1)
    _absent(m, m.clock.now().date())
    draft = m.service.give_visa(m.users["dep1"], draft.id, draft.version, VisaDecision.AGREED)
    row = _row(m, draft)
    assert row.who == "Зуев П.О."
    assert draft.cycles[0].visas[0].acting_for is None
