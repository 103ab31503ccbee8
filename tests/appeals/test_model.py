"""The appeal's values: construction checks naming the field, author identity, the state table."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore.appeals import (
    TRANSITIONS,
    Answer,
    Author,
    Extension,
    QuestionStatus,
    ReceiptForm,
    StatusChange,
    check_move,
)
from edmscore.directory import PersonName
from edmscore.errors import QuestionTransitionError, StateError, ValidationError
from edmscore.testing.appeals_contract import make_appeal

D = pendulum.Date
S = QuestionStatus


def test_construction_checks_name_the_field() -> None:
    appeal = make_appeal()
    q = appeal.questions[0]
    cases = {
        "Appeal.authors": lambda: attrs.evolve(appeal, authors=()),
        "Appeal.questions": lambda: attrs.evolve(appeal, questions=()),
        "Appeal.registered_on": lambda: attrs.evolve(appeal, received_on=D(2026, 3, 3)),
        "Appeal.review_due": lambda: attrs.evolve(appeal, review_due=D(2026, 3, 1)),
        "Question.topic": lambda: attrs.evolve(q, topic="0003"),
        "Question.answer": lambda: attrs.evolve(
            q, history=(*q.history, StatusChange(S.EXPLAINED, D(2026, 3, 3), "u"))
        ),
        "Question.transfer": lambda: attrs.evolve(
            q, history=(*q.history, StatusChange(S.TRANSFERRED, D(2026, 3, 3), "u"))
        ),
        "Question.no_answer_reason": lambda: attrs.evolve(
            q, history=(*q.history, StatusChange(S.LEFT_WITHOUT_ANSWER, D(2026, 3, 3), "u"))
        ),
        "Question.history": lambda: attrs.evolve(
            q, history=(StatusChange(S.IN_WORK, D(2026, 3, 3), "u"), *q.history)
        ),
        "Extension.new_due": lambda: Extension(
            D(2026, 4, 1), D(2026, 4, 1), D(2026, 3, 5), "u", "x"
        ),
        "Author.email": lambda: Author(email="not-an-address"),
    }
    for field, build in cases.items():
        with pytest.raises(ValidationError) as caught:
            build()
        assert caught.value.field == field, field


def test_author_identity_ignores_case_spaces_and_yo() -> None:
    one = Author(PersonName("Ковалёва", "Мария"), "г. Тында,  ул. Мира, 1", "M@Mail.ru")
    two = Author(PersonName("КОВАЛЕВА", "мария"), "Г. Тында, ул. Мира, 1")
    assert one.keys() & two.keys()
    assert Author(None, "г. Тында").keys() == frozenset()
    assert Author(PersonName("Ковалёва", "Мария")).is_anonymous
    assert not one.is_anonymous
    assert one.applicant().email == "M@Mail.ru"


def test_the_state_table_makes_final_statuses_terminal() -> None:
    assert ReceiptForm.ELECTRONIC.sstu_format == "Electronic"
    assert ReceiptForm.PERSONAL_RECEPTION.sstu_format == "Other"
    for status in S:
        if status.is_final or status in (S.NOT_RECEIVED, S.NOT_REGISTERED):
            assert TRANSITIONS[status] == frozenset()
        assert status.label
    assert not any(
        S.NOT_RECEIVED in targets or S.IN_WORK in targets for targets in TRANSITIONS.values()
    )
    assert S.EXTENDED not in TRANSITIONS[S.EXTENDED]
    assert S.TRANSFERRED not in TRANSITIONS[S.EXTENDED]
    with pytest.raises(QuestionTransitionError) as caught:
        check_move("a1", 2, S.ANSWERED, S.IN_WORK)
    assert isinstance(caught.value, StateError)
    assert "question 2" in str(caught.value)


def test_closed_on_is_the_last_questions_close() -> None:
    appeal = make_appeal()
    assert appeal.closed_on is None and not appeal.is_closed
    q = appeal.questions[0]
    answered = attrs.evolve(
        q,
        history=(*q.history, StatusChange(S.ANSWERED, D(2026, 3, 9), "u")),
        answer=Answer(D(2026, 3, 9), "Ответ"),
    )
    done = attrs.evolve(appeal, questions=(answered,))
    assert done.closed_on == D(2026, 3, 9) and done.is_closed
    assert done.status_changed_between(D(2026, 3, 9), D(2026, 3, 9))
    assert not done.status_changed_between(D(2026, 3, 3), D(2026, 3, 8))
