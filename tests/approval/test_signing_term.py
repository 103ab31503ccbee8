"""The signatory's term: counted on the production calendar, listed as overdue, on the sheet."""

from __future__ import annotations

import datetime as dt
import io

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from edmscore._ids import new_id
from edmscore.approval import (
    DEFAULT_SIGNING_TERM_DAYS,
    SIGNING_STAGE,
    Assignment,
    Cycle,
    CycleOutcome,
    Draft,
    RouteTemplate,
    Stage,
    StageMode,
    StageOutcome,
    Substitution,
    VisaDecision,
    signing_due,
)
from edmscore.calendar import russian_calendar
from edmscore.errors import RouteError, ValidationError

from .conftest import LETTER, Ministry

# Friday 6 March 2026; 7–8 March are the weekend and 9 March the day off moved from 8 March.
FRIDAY = pendulum.datetime(2026, 3, 6, 10, 0, tz="Asia/Yakutsk")
CALENDAR = russian_calendar()


def _agreed(m: Ministry, **start: object) -> Draft:
    """A letter through one stage (the lawyer agrees on Friday), awaiting the minister."""
    m.clock.set(FRIDAY)
    draft = m.create()
    draft = m.service.start_approval(
        m.users["author"],
        draft.id,
        draft.version,
        [m.spec("lawyer")],
        **start,  # type: ignore[arg-type]
    )
    m.clock.advance(hours=2)
    return m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)


def test_the_default_term_is_one_working_day_over_the_holiday(ministry: Ministry) -> None:
    m = ministry
    draft = _agreed(m)
    cycle = draft.cycle
    assert cycle is not None and cycle.outcome is CycleOutcome.AWAITING_SIGNATURE
    assert cycle.signing_term_days == DEFAULT_SIGNING_TERM_DAYS == 1
    assert cycle.signing_started_at == FRIDAY.add(hours=2)
    assert signing_due(cycle, CALENDAR, "Asia/Yakutsk") == pendulum.Date(2026, 3, 10)
    assert m.service.overdue(m.admin, pendulum.Date(2026, 3, 10)) == []
    (task,) = m.service.overdue(m.admin, pendulum.Date(2026, 3, 12))
    assert task.signing and task.stage == SIGNING_STAGE == "Подписание"
    assert (task.draft_id, task.stage_index, task.cycle) == (draft.id, 1, 1)
    assert task.official_id == m.officials["minister"].id and task.name == "Соколов А.В."
    assert (task.due, task.working_days_overdue) == (pendulum.Date(2026, 3, 10), 2)


def test_awaiting_lists_the_pending_signature_for_the_signatory_and_deputy(
    ministry: Ministry,
) -> None:
    m = ministry
    draft = _agreed(m)
    assert m.service.awaiting(m.users["lawyer"]) == []
    assert [(d.id, s, a) for d, s, a in m.service.awaiting(m.users["minister"])] == [
        (draft.id, 1, 0)
    ]
    assert m.service.awaiting(m.users["first_deputy"]) == []
    day = FRIDAY.date()
    m.service.put_substitution(
        m.admin,
        Substitution(
            new_id(),
            m.organisation.id,
            m.officials["minister"].id,
            m.officials["first_deputy"].id,
            day,
            day.add(days=5),
            "Командировка",
        ),
    )
    assert [d.id for d, _, _ in m.service.awaiting(m.users["first_deputy"])] == [draft.id]
    signed = m.service.sign(
        m.users["minister"], draft.id, draft.version, LETTER, m.signer.sign(LETTER)
    )
    assert m.service.awaiting(m.users["minister"]) == []
    assert m.service.overdue(m.admin, pendulum.Date(2026, 4, 1)) == []
    assert signed.cycle is not None and signed.cycle.signing_term_days == 1


def test_the_term_comes_from_the_template_or_the_call(ministry: Ministry) -> None:
    m = ministry
    template = RouteTemplate(
        new_id(), m.organisation.id, "письмо", "Письма", (m.spec("lawyer"),), signing_term_days=3
    )
    m.service.put_route_template(m.admin, template)
    m.clock.set(FRIDAY)
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version)
    assert draft.cycle is not None and draft.cycle.signing_term_days == 3
    other = m.create()
    other = m.service.start_approval(
        m.users["author"], other.id, other.version, signing_term_days=5
    )
    assert other.cycle is not None and other.cycle.signing_term_days == 5
    explicit = m.create()
    explicit = m.service.start_approval(
        m.users["author"], explicit.id, explicit.version, [m.spec("finance")]
    )
    assert explicit.cycle is not None and explicit.cycle.signing_term_days == 1
    for bad in (0, 251, True):
        fresh = m.create()
        with pytest.raises(RouteError) as caught:
            m.service.start_approval(
                m.users["author"], fresh.id, fresh.version, signing_term_days=bad
            )
        assert caught.value.field == "signing_term_days"
    with pytest.raises(ValidationError) as refused:
        RouteTemplate(new_id(), m.organisation.id, "акт", "Акты", (m.spec("lawyer"),), 0)
    assert refused.value.field == "RouteTemplate.signing_term_days"
    with pytest.raises(RouteError) as too_long:
        RouteTemplate(new_id(), m.organisation.id, "акт", "Акты", (m.spec("lawyer"),), 251)
    assert too_long.value.field == "signing_term_days"


def test_the_sheet_shows_the_signing_term(ministry: Ministry) -> None:
    m = ministry
    draft = _agreed(m, signing_term_days=2)
    sheet = m.service.sheet(m.users["author"], draft.id)
    visa_row, signing_row = sheet.cycles[0].rows
    assert (visa_row.term_days, visa_row.term) == (None, "")
    assert signing_row.stage == SIGNING_STAGE
    assert (signing_row.term_days, signing_row.due) == (2, pendulum.Date(2026, 3, 11))
    assert signing_row.decision_cell == "Ожидает подписания\nСрок: 2 раб. дн., до 11.03.2026"
    pdf = m.service.sheet_pdf(m.users["author"], draft.id)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "до 11.03.2026" in text


def _awaiting_cycle(finished: pendulum.DateTime, term: int) -> Cycle:
    assignment = Assignment("o", "Ким Е.С.", "Начальник отдела", activated_at=finished)
    stage = Stage(
        "Этап",
        StageMode.SEQUENTIAL,
        None,
        1,
        (assignment,),
        StageOutcome.COMPLETED,
        finished,
        finished,
    )
    return Cycle(
        1,
        1,
        None,
        finished,
        "u",
        (stage,),
        "signatory",
        CycleOutcome.AWAITING_SIGNATURE,
        signing_term_days=term,
    )


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(
        min_value=pendulum.datetime(2025, 1, 1).naive(),
        max_value=pendulum.datetime(2026, 11, 30).naive(),
    ),
    st.sampled_from(("Asia/Yakutsk", "Europe/Moscow", "Europe/Kaliningrad", "Asia/Kamchatka")),
    st.integers(1, 20),
)
def test_a_signing_term_never_ends_on_a_day_off(moment: dt.datetime, zone: str, term: int) -> None:
    finished = pendulum.instance(moment, tz="UTC")
    due = signing_due(_awaiting_cycle(finished, term), CALENDAR, zone)
    assert due is not None
    local_day = finished.in_timezone(zone).date()
    assert CALENDAR.is_working_day(due)
    assert due > local_day
    assert CALENDAR.working_days_between(local_day, due) == term
    assert CALENDAR.count_working_days(local_day.add(days=1), due) == term


def test_no_signing_term_runs_while_a_stage_is_open(ministry: Ministry) -> None:
    m = ministry
    m.clock.set(FRIDAY)
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    assert draft.cycle is not None and draft.cycle.signing_started_at is None
    assert signing_due(draft.cycle, CALENDAR, "Asia/Yakutsk") is None
    assert all(not t.signing for t in m.service.overdue(m.admin, pendulum.Date(2026, 4, 1)))
