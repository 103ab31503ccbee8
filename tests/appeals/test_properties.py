"""Property tests: the lifecycle never reaches an illegal state; deadlines never on a day off;
SSTU export → parse gives the document back."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import json
from typing import Any

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.appeals import (
    TRANSITIONS,
    Answer,
    AppealTerms,
    NoAnswerReason,
    QuestionRequest,
    QuestionStatus,
    SstuAppeal,
    SstuAttachment,
    SstuQuestion,
    SstuTransfer,
    Transfer,
    appeal_from_primitive,
    appeal_to_primitive,
    parse_sstu,
    write_sstu,
)
from edmscore.calendar import DayOffRule, russian_calendar
from edmscore.errors import EdmsError, SstuError
from tests._adapters import StorageFactory, adapter_settings

from .conftest import OTHER_ID, SSTU_ID, TOPIC, build_env, request

CALENDAR = russian_calendar()
S = QuestionStatus

_action = st.one_of(
    st.tuples(st.just("extend"), st.integers(1, 35)),
    st.tuples(st.just("redirect"), st.integers(1, 3)),
    st.tuples(st.just("decide"), st.sampled_from(list(S)), st.integers(1, 3), st.booleans()),
    st.tuples(st.just("leave"), st.sampled_from(list(NoAnswerReason)), st.integers(1, 3)),
    st.tuples(st.just("wait"), st.integers(0, 20)),
)


def _apply(env: Any, appeal: Any, action: tuple[Any, ...]) -> Any:
    clerk, service = env.world.clerk, env.service
    today = env.clock.now().date()
    kind = action[0]
    if kind == "wait":
        env.clock.advance(days=action[1])
        return appeal
    if kind == "extend":
        return service.extend(clerk, appeal.id, appeal.version, action[1], "Проверка")
    if kind == "redirect":
        transfer = Transfer("Другой орган", today, "1-1", OTHER_ID)
        return service.redirect(clerk, appeal.id, appeal.version, transfer, questions=[action[1]])
    if kind == "decide":
        _, status, number, measures = action
        return service.decide(
            clerk,
            appeal.id,
            appeal.version,
            number,
            status,
            Answer(today, "Ответ"),
            actions_taken="Меры приняты" if measures else "",
        )
    return service.leave_without_answer(
        clerk, appeal.id, appeal.version, action[1], questions=[action[2]]
    )


def test_the_lifecycle_never_reaches_an_illegal_state(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    @adapter_settings(storage_adapter, 60)
    @given(st.lists(_action, max_size=12))
    def check(actions: list[tuple[Any, ...]]) -> None:
        env = build_env(new_storage())
        questions = tuple(QuestionRequest(TOPIC, f"Вопрос {i}") for i in range(1, 4))
        appeal = env.service.register_appeal(env.world.clerk, request(env, questions=questions))
        for action in actions:
            try:
                appeal = _apply(env, appeal, action)
            except EdmsError:
                with env.storage.unit_of_work() as uow:
                    assert uow.appeals.get(appeal.id) == appeal  # a refused move changes nothing
        stored = json.loads(json.dumps(appeal_to_primitive(appeal), ensure_ascii=False))
        assert appeal_from_primitive(stored) == appeal
        extensions = 0
        for question in appeal.questions:
            statuses = [change.status for change in question.history]
            assert statuses[0] is S.IN_WORK
            for before, after in itertools.pairwise(statuses):
                assert after in TRANSITIONS[before]
            assert all(not s.is_final for s in statuses[:-1])
            if question.status is S.SUPPORTED:
                assert question.actions_taken
            if question.status.is_decision:
                assert question.answer is not None
            extensions += statuses.count(S.EXTENDED)
        if appeal.extension is None:
            assert extensions == 0
        else:
            assert appeal.review_due == appeal.extension.new_due
            assert appeal.extension.new_due <= appeal.extension.old_due.add(days=40)

    check()


_days = st.dates(dt.date(2020, 1, 1), dt.date(2026, 10, 31))


@settings(max_examples=200, deadline=None)
@given(
    _days,
    st.sampled_from([DayOffRule.NEXT_WORKING_DAY, DayOffRule.PREVIOUS_WORKING_DAY]),
    st.integers(1, 30),
)
def test_deadlines_never_fall_on_a_day_off(day: dt.date, rule: DayOffRule, extra: int) -> None:
    terms = AppealTerms.default().with_day_off_rule(rule)
    for policy in (
        terms.registration,
        terms.redirect,
        terms.migration_forward,
        terms.review,
        terms.review_migration,
        terms.materials,
        terms.complaint,
        terms.complaint_refusal,
    ):
        due = policy.due_date(day, CALENDAR)
        assert CALENDAR.is_working_day(due), (policy.code, day, due)
        raw = policy.term.last_day(day, CALENDAR)
        assert (due >= raw) if rule is DayOffRule.NEXT_WORKING_DAY else (due <= raw)
    due = terms.review.due_date(day, CALENDAR)
    extended = terms.extended_due(due, extra, CALENDAR)
    assert CALENDAR.is_working_day(extended)
    # moving back to a working day may undo a short extension; forward never does
    assert extended > due if rule is DayOffRule.NEXT_WORKING_DAY else extended >= due


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40)
_code = st.lists(st.integers(0, 9999), min_size=4, max_size=4).map(
    lambda parts: ".".join(f"{p:04d}" for p in parts)
)
_pdate = st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)).map(
    lambda d: pendulum.Date(d.year, d.month, d.day)
)


@st.composite
def _documents(draw: st.DrawFn) -> tuple[SstuAppeal, dict[str, bytes]]:
    create = draw(_pdate)
    direct = draw(st.booleans())
    contents: dict[str, bytes] = {}
    questions = []
    for _ in range(draw(st.integers(1, 3))):
        incoming = create.add(days=draw(st.integers(0, 10)))
        registered = incoming.add(days=draw(st.integers(0, 5)))
        status = draw(st.sampled_from(sorted(s.value for s in S if s is not S.EXTENDED)))
        response = None
        if status in ("Explained", "Supported", "NotSupported", "Answered"):
            response = registered.add(days=draw(st.integers(0, 40)))
        transfer = None
        if status == "Transferred":
            transfer = SstuTransfer(OTHER_ID, registered.add(days=draw(st.integers(0, 7))), "7/1")
        attachment = None
        if response is not None and draw(st.booleans()):
            blob = draw(st.binary(min_size=1, max_size=3000))
            import hashlib

            sha = hashlib.sha256(blob).hexdigest()
            contents[sha] = blob
            attachment = SstuAttachment(draw(_text.filter(str.strip)), len(blob), sha)
        questions.append(
            SstuQuestion(
                code=draw(_code),
                status=status,
                incoming_date=incoming,
                registration_date=None
                if status in ("NotReceived", "NotRegistered")
                else registered,
                response_date=response,
                attachment=attachment,
                actions_taken=draw(_text.filter(str.strip)) if status == "Supported" else None,
                transfer=transfer,
            )
        )
    doc = SstuAppeal(
        department_id=SSTU_ID,
        is_direct=direct,
        format=draw(st.sampled_from(["Electronic", "Other"])),
        number=draw(_text.filter(str.strip)),
        name=draw(_text.filter(str.strip)),
        questions=tuple(questions),
        create_date=None if direct and draw(st.booleans()) else create,
        address=draw(st.none() | _text),
        email=draw(st.none() | _text),
    )
    return doc, contents


@settings(max_examples=150, deadline=None)
@given(_documents())
def test_export_then_parse_gives_the_document_back(
    case: tuple[SstuAppeal, dict[str, bytes]],
) -> None:
    doc, contents = case
    out = io.BytesIO()
    write_sstu(doc, out, lambda a: io.BytesIO(contents[a.sha256]))
    assert parse_sstu(out.getvalue()) == doc


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_parsing_arbitrary_bytes_gives_a_document_or_an_sstu_error(data: bytes) -> None:
    with contextlib.suppress(SstuError):
        parse_sstu(data)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(_documents(), st.data())
def test_a_damaged_document_gives_an_sstu_error_or_a_valid_one(
    case: tuple[SstuAppeal, dict[str, bytes]], data: st.DataObject
) -> None:
    doc, contents = case
    out = io.BytesIO()
    write_sstu(doc, out, lambda a: io.BytesIO(contents[a.sha256]))
    tree = json.loads(out.getvalue())
    target = tree
    if data.draw(st.booleans()):
        target = data.draw(st.sampled_from(tree["questions"]))
    key = data.draw(st.sampled_from(sorted(target)))
    target[key] = data.draw(_json)
    with contextlib.suppress(SstuError):
        parse_sstu(json.dumps(tree).encode())


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_damaged_appeal_data_gives_a_validation_error(data: st.DataObject) -> None:
    from edmscore.errors import ValidationError
    from edmscore.testing.appeals_contract import make_appeal

    tree = appeal_to_primitive(make_appeal())
    target: dict[str, Any] = tree
    if data.draw(st.booleans()):
        target = tree["questions"][0]
    key = data.draw(st.sampled_from(sorted(target)))
    target[key] = data.draw(_json)
    with contextlib.suppress(ValidationError):
        appeal_from_primitive(tree)
