"""Appeal use cases: numbering, terms, anonymous and repeated appeals, the lifecycle, audit."""

from __future__ import annotations

import pendulum
import pytest

from edmscore.appeals import (
    Answer,
    AppealKind,
    Author,
    Forwarding,
    NoAnswerReason,
    NoticeKind,
    QuestionRequest,
    QuestionStatus,
    Transfer,
)
from edmscore.calendar import DayOffRule
from edmscore.directory import PersonName
from edmscore.errors import (
    ConflictError,
    NotFound,
    QuestionTransitionError,
    StateError,
    ValidationError,
)
from edmscore.registry import LinkType

from .conftest import OTHER_ID, T0, TOPIC, Env, citizen, request

D = pendulum.Date


def test_numbers_by_the_surname_letter_and_by_the_regional_topic_template(env: Env) -> None:
    first = env.service.register_appeal(env.world.clerk, request(env))
    second = env.service.register_appeal(
        env.world.clerk, request(env, authors=(citizen("Жукова"),))
    )
    regional = env.service.register_appeal(
        env.world.clerk, request(env, journal_id=env.regional.id)
    )
    assert (first.number, second.number) == ("Д/1", "Ж/2")
    assert regional.number == f"ПО-1/{TOPIC}"
    card = env.service.records.get(env.world.clerk, first.card_id)
    assert card.details.applicants[0].name.surname == "Дмитриев"
    assert card.details.received_on == T0.date()


def test_a_failed_registration_leaves_no_gap_in_the_numbers(env: Env) -> None:
    with pytest.raises(NotFound):
        env.service.register_appeal(env.world.clerk, request(env, case_id="no-such-case"))
    appeal = env.service.register_appeal(env.world.clerk, request(env))
    assert appeal.number == "Д/1"


def test_terms_follow_the_59fz_and_210fz_presets(env: Env) -> None:
    clerk = env.world.clerk
    plain = env.service.register_appeal(clerk, request(env, received_on=D(2026, 2, 27)))
    assert plain.registration_due == D(2026, 3, 2)  # 27.02 + 3 = 2 March
    assert plain.redirect_due == D(2026, 3, 10)  # 9 March is the day off for 8 March
    assert plain.review_due == D(2026, 4, 1)
    migration = env.service.register_appeal(
        clerk, request(env, migration=True, to_region_head=True)
    )
    assert migration.review_due == D(2026, 3, 23)  # 22 March is a Sunday: the next working day
    assert migration.migration_forward_due == D(2026, 3, 10)  # 7 March is a Saturday, 9 off
    complaint = env.service.register_appeal(clerk, request(env, kind=AppealKind.SERVICE_COMPLAINT))
    assert complaint.review_due == D(2026, 3, 24)  # 15 working days
    refusal = env.service.register_appeal(
        clerk, request(env, kind=AppealKind.SERVICE_COMPLAINT_REFUSAL)
    )
    assert refusal.review_due == D(2026, 3, 10)  # 5 working days, 9 March off


def test_the_day_off_rule_is_configurable(env: Env) -> None:
    import attrs

    service = attrs.evolve  # silence unused warnings in some linters
    del service
    from edmscore.appeals import AppealsService, AppealTerms
    from edmscore.calendar import russian_calendar

    previous = AppealsService(
        env.storage,
        russian_calendar(),
        env.clock,
        terms=AppealTerms.default().with_day_off_rule(DayOffRule.PREVIOUS_WORKING_DAY),
    )
    appeal = previous.register_appeal(
        env.world.clerk, request(env, migration=True, to_region_head=True)
    )
    assert appeal.review_due == D(2026, 3, 20)  # Friday before Sunday 22 March


def test_registration_checks_dates_and_topics(env: Env) -> None:
    with pytest.raises(ValidationError) as caught:
        env.service.register_appeal(env.world.clerk, request(env, received_on=D(2026, 3, 3)))
    assert caught.value.field == "received_on"
    with pytest.raises(ValidationError) as caught:
        env.service.register_appeal(
            env.world.clerk,
            request(env, questions=(QuestionRequest("0009.0009.0009.0009", "Что-то"),)),
        )
    assert caught.value.field == "topic"
    with pytest.raises(ValidationError):
        QuestionRequest("0003.0001", "Не вопрос")


def test_an_anonymous_appeal_is_left_without_answer_and_without_notice(env: Env) -> None:
    unsigned = env.service.register_appeal(env.world.clerk, request(env, authors=(Author(),)))
    no_address = env.service.register_appeal(
        env.world.clerk, request(env, authors=(Author(PersonName("Петров", "Пётр")),))
    )
    for appeal in (unsigned, no_address):
        question = appeal.questions[0]
        assert question.status is QuestionStatus.LEFT_WITHOUT_ANSWER
        assert question.no_answer_reason is NoAnswerReason.ANONYMOUS
        assert [c.status for c in question.history] == [
            QuestionStatus.IN_WORK,
            QuestionStatus.LEFT_WITHOUT_ANSWER,
        ]
        assert appeal.notices == ()
        assert appeal.is_closed
    assert unsigned.number == "А/1"  # registered as «Анонимное обращение»


def test_an_unreadable_appeal_records_the_reason_and_the_notice(env: Env) -> None:
    appeal = env.service.register_appeal(
        env.world.clerk, request(env, no_answer=NoAnswerReason.UNREADABLE)
    )
    assert appeal.questions[0].no_answer_reason is NoAnswerReason.UNREADABLE
    assert [n.kind for n in appeal.notices] == [NoticeKind.NO_ANSWER]


def test_repeated_appeals_are_linked_by_author_and_topic(env: Env) -> None:
    clerk = env.world.clerk
    first = env.service.register_appeal(clerk, request(env))
    other_topic = env.service.register_appeal(
        clerk,
        request(env, questions=(QuestionRequest("0005.0001.0001.0001", "О тепле"),)),
    )
    namesake = env.service.register_appeal(
        clerk, request(env, authors=(citizen(address="г. Тында"),))
    )
    again = env.service.register_appeal(clerk, request(env))
    assert other_topic.repeated_of == ()
    assert namesake.repeated_of == ()
    assert again.repeated_of == (first.id,)
    card = env.service.records.get(clerk, again.card_id)
    assert [(link.target_id, link.link_type) for link in card.details.links] == [
        (first.card_id, LinkType.REPEATED)
    ]
    third = env.service.register_appeal(clerk, request(env))
    assert set(third.repeated_of) == {first.id, again.id}


def test_extension_once_with_notice_up_to_30_days(env: Env) -> None:
    clerk = env.world.clerk
    appeal = env.service.register_appeal(clerk, request(env))
    with pytest.raises(ValidationError):
        env.service.extend(clerk, appeal.id, appeal.version, 31, "Нужна проверка")
    extended = env.service.extend(clerk, appeal.id, appeal.version, 30, "Нужна проверка")
    assert extended.review_due == D(2026, 5, 4)  # 1 May + … → 1 April + 30 = 1 May, a holiday
    assert extended.extension is not None and extended.extension.old_due == D(2026, 4, 1)
    assert extended.questions[0].status is QuestionStatus.EXTENDED
    assert [n.kind for n in extended.notices] == [NoticeKind.EXTENDED]
    with pytest.raises(StateError):
        env.service.extend(clerk, appeal.id, extended.version, 5, "Ещё раз")


def test_redirect_records_the_transfer_and_notifies(env: Env) -> None:
    clerk = env.world.clerk
    appeal = env.service.register_appeal(clerk, request(env))
    env.clock.advance(days=2)
    transfer = Transfer("Министерство ЖКХ", D(2026, 3, 4), "02-15/77", OTHER_ID)
    moved = env.service.redirect(clerk, appeal.id, appeal.version, transfer)
    question = moved.questions[0]
    assert question.status is QuestionStatus.TRANSFERRED
    assert question.transfer == transfer
    assert [n.kind for n in moved.notices] == [NoticeKind.REDIRECTED]
    with pytest.raises(QuestionTransitionError) as caught:
        env.service.decide(
            clerk, moved.id, moved.version, 1, QuestionStatus.EXPLAINED, Answer(D(2026, 3, 4), "x")
        )
    assert (caught.value.current, caught.value.target) == ("Transferred", "Explained")


def test_decide_records_the_answer_and_measures(env: Env) -> None:
    clerk = env.world.clerk
    appeal = env.service.register_appeal(clerk, request(env))
    env.clock.advance(days=5)
    answer = Answer(D(2026, 3, 6), "Вышка связи будет построена", "01-05/9")
    with pytest.raises(ValidationError) as caught:
        env.service.decide(clerk, appeal.id, appeal.version, 1, QuestionStatus.SUPPORTED, answer)
    assert caught.value.field == "Question.actions_taken"
    with pytest.raises(ValidationError):
        env.service.decide(
            clerk,
            appeal.id,
            appeal.version,
            1,
            QuestionStatus.SUPPORTED,
            Answer(D(2026, 3, 9), "В будущем"),
            actions_taken="x",
        )
    done = env.service.decide(
        clerk,
        appeal.id,
        appeal.version,
        1,
        QuestionStatus.SUPPORTED,
        answer,
        actions_taken="Включено в план строительства",
        attachment=("ответ.pdf", b"%PDF-1.4 answer"),
    )
    question = done.questions[0]
    assert question.status is QuestionStatus.SUPPORTED
    assert question.answer is not None and question.answer.file is not None
    assert question.answer.file.size == len(b"%PDF-1.4 answer")
    assert done.closed_on == D(2026, 3, 6)
    with env.storage.unit_of_work() as uow:
        assert uow.blobs.get(question.answer.file.sha256) == b"%PDF-1.4 answer"
    with pytest.raises(ConflictError):
        env.service.leave_without_answer(clerk, appeal.id, appeal.version, NoAnswerReason.OFFENSIVE)


def test_executor_and_assignment_are_recorded_on_the_question(env: Env) -> None:
    clerk = env.world.clerk
    appeal = env.service.register_appeal(clerk, request(env))
    executor = env.world.officials[1].id
    with pytest.raises(NotFound):
        env.service.assign(clerk, appeal.id, appeal.version, 1, "nobody")
    assigned = env.service.assign(
        clerk, appeal.id, appeal.version, 1, executor, assignment_id="a-1"
    )
    assert (assigned.questions[0].executor_id, assigned.questions[0].assignment_id) == (
        executor,
        "a-1",
    )
    with pytest.raises(ValidationError):
        env.service.assign(clerk, appeal.id, assigned.version, 2, executor)


def test_materials_request_is_due_in_15_days(env: Env) -> None:
    appeal = env.service.register_appeal(env.world.clerk, request(env))
    asked = env.service.request_materials(
        env.world.clerk, appeal.id, appeal.version, "Администрация г. Тынды"
    )
    assert asked.materials[0].due == D(2026, 3, 17)


def test_every_change_is_audited_and_listings_follow_the_period(env: Env) -> None:
    clerk = env.world.clerk
    appeal = env.service.register_appeal(clerk, request(env))
    env.clock.advance(days=40)
    env.service.leave_without_answer(clerk, appeal.id, appeal.version, NoAnswerReason.WITHDRAWN)
    with env.storage.unit_of_work() as uow:
        actions = [event.action for _, event in uow.audit.events(appeal.id)]
    assert actions == ["appeal.registered", "appeal.left_without_answer"]
    march = env.service.changed_between(clerk, D(2026, 3, 1), D(2026, 3, 31))
    april = env.service.changed_between(clerk, D(2026, 4, 1), D(2026, 4, 30))
    assert [a.id for a in march] == [appeal.id]
    assert [a.id for a in april] == [appeal.id]
    assert env.service.registered_between(clerk, D(2026, 4, 1), D(2026, 4, 30)) == []


def test_a_forwarded_appeal_keeps_the_cover_letter(env: Env) -> None:
    forwarding = Forwarding("Администрация Президента РФ", "А26-1", D(2026, 2, 26))
    appeal = env.service.register_appeal(env.world.clerk, request(env, forwarding=forwarding))
    card = env.service.records.get(env.world.clerk, appeal.card_id)
    assert not appeal.is_direct
    assert (card.details.sender_number, card.details.sender_date) == ("А26-1", D(2026, 2, 26))
    with pytest.raises(ValidationError):
        env.service.register_appeal(
            env.world.clerk,
            request(env, forwarding=Forwarding("X", "1", D(2026, 3, 5)), received_on=T0.date()),
        )


def test_materials_and_migration_information_are_recorded_once(env: Env) -> None:
    clerk = env.world.clerk
    appeal = env.service.register_appeal(clerk, request(env, migration=True))
    appeal = env.service.request_materials(clerk, appeal.id, appeal.version, "УМВД")
    env.clock.advance(days=4)
    appeal = env.service.materials_received(clerk, appeal.id, appeal.version, 1)
    assert appeal.materials[0].answered_on == D(2026, 3, 6)
    with pytest.raises(StateError):
        env.service.materials_received(clerk, appeal.id, appeal.version, 1)
    with pytest.raises(ValidationError):
        env.service.materials_received(clerk, appeal.id, appeal.version, 2)
    transfer = Transfer("УМВД России по Амурской области", D(2026, 3, 5), "14/3")
    forwarded = env.service.forward_migration_information(
        clerk, appeal.id, appeal.version, transfer
    )
    assert forwarded.migration_forward == transfer
    assert forwarded.migration_forward_due == D(2026, 3, 10)
    assert forwarded.questions[0].status is QuestionStatus.IN_WORK  # consideration goes on
    with pytest.raises(StateError):
        env.service.forward_migration_information(clerk, forwarded.id, forwarded.version, transfer)
    plain = env.service.register_appeal(clerk, request(env))
    with pytest.raises(StateError):
        env.service.forward_migration_information(clerk, plain.id, plain.version, transfer)


def test_a_journal_may_count_each_topic_separately(env: Env) -> None:
    from edmscore.registry import CardKind, Journal

    by_topic = Journal(
        "j-topic",
        env.world.organisation.id,
        "ПОТ",
        "Обращения по темам",
        "ПО-{seq}/{topic}",
        {CardKind.APPEAL},
        counter_per=("topic",),
    )
    with env.storage.unit_of_work() as uow:
        uow.journals.add(by_topic)
        uow.commit()
    heat = (QuestionRequest("0005.0001.0001.0001", "Тепло"),)
    numbers = [
        env.service.register_appeal(env.world.clerk, request(env, journal_id=by_topic.id, **extra))
        for extra in ({}, {"questions": heat}, {})
    ]
    assert [a.number for a in numbers] == [
        f"ПО-1/{TOPIC}",
        "ПО-1/0005.0001.0001.0001",
        f"ПО-2/{TOPIC}",
    ]
    from edmscore.records import RegistrationRequest
    from edmscore.testing import make_details

    with pytest.raises(ValidationError) as caught:  # a plain card has no topic
        env.service.records.register(
            env.world.clerk, RegistrationRequest(by_topic.id, make_details(CardKind.APPEAL))
        )
    assert caught.value.field == "topic"
