"""Registration use cases: numbering, updates with versions, links, deletion, audit, access."""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.directory import Clearance, PersonName
from edmscore.errors import (
    AccessDenied,
    ActorBlocked,
    ConflictError,
    DuplicateNumber,
    NotFound,
    StateError,
    ValidationError,
)
from edmscore.records import RegistrationRequest
from edmscore.registry import (
    AccessMark,
    Applicant,
    CardKind,
    CardStatus,
    Journal,
    LinkType,
)
from edmscore.storage import CardQuery
from edmscore.testing import make_details

from .conftest import T0, Env


def _incoming(env: Env, **changes: Any) -> RegistrationRequest:
    details = attrs.evolve(make_details(CardKind.INCOMING, received_on=T0.date()), **changes)
    return RegistrationRequest(env.world.journal.id, details)


def test_register_numbers_from_the_journal_and_dates_in_the_org_time_zone(env: Env) -> None:
    env.clock.set(T0.in_timezone("UTC").replace(hour=20))  # 05:00 next day in Yakutsk
    card = env.records.register(env.world.clerk, _incoming(env))
    assert card.number == "вх-1"
    assert card.registration.date == T0.date().add(days=1)
    assert card.registration.seq == 1
    assert card.version == 1


def test_a_failed_registration_leaves_no_gap(env: Env) -> None:
    env.records.register(env.world.clerk, _incoming(env))
    with pytest.raises(NotFound):  # an executor that does not exist
        env.records.register(env.world.clerk, _incoming(env, executor_id="ghost"))
    card = env.records.register(env.world.clerk, _incoming(env))
    assert card.number == "вх-2"


def test_manual_numbers_are_unique_and_the_counter_skips_them(env: Env) -> None:
    clerk = env.world.clerk
    manual = attrs.evolve(_incoming(env), manual_number="вх-2")
    assert env.records.register(clerk, manual).registration.seq is None
    with pytest.raises(DuplicateNumber):
        env.records.register(clerk, manual)
    numbers = [env.records.register(clerk, _incoming(env)).number for _ in range(3)]
    assert numbers == ["вх-1", "вх-3", "вх-4"]


def test_registration_date_may_not_be_in_the_future(env: Env) -> None:
    request = attrs.evolve(_incoming(env), registration_date=T0.date().add(days=1))
    with pytest.raises(ValidationError) as info:
        env.records.register(env.world.clerk, request)
    assert info.value.field == "registration_date"


def test_the_journal_must_take_the_card_kind(env: Env) -> None:
    details = make_details(CardKind.OUTGOING)
    with pytest.raises(ValidationError) as info:
        env.records.register(env.world.clerk, RegistrationRequest(env.world.journal.id, details))
    assert info.value.field == "kind"


def test_appeals_are_numbered_by_the_applicants_first_letter(env: Env) -> None:
    journal = Journal(
        id=new_id(),
        organisation_id=env.world.organisation.id,
        code="ОГ",
        name="Обращения граждан",
        template="{letter}/{seq}",
        kinds={CardKind.APPEAL},
    )
    env.admin.create_journal(env.world.clerk, journal)
    numbers = []
    for surname in ("Дмитриев", "Абрамова", "ёлкин"):
        details = attrs.evolve(
            make_details(CardKind.APPEAL), applicants=(Applicant(PersonName(surname, "Олег")),)
        )
        numbers.append(
            env.records.register(env.world.clerk, RegistrationRequest(journal.id, details)).number
        )
    assert numbers == ["Д/1", "А/2", "Ё/3"]


def test_update_checks_the_version_and_audits_before_and_after(env: Env) -> None:
    clerk = env.world.clerk
    card = env.records.register(clerk, _incoming(env))
    updated = env.records.update(clerk, card.id, 1, {"summary": "Уточнённое содержание"})
    assert updated.version == 2
    with pytest.raises(ConflictError):
        env.records.update(clerk, card.id, 1, {"summary": "Опоздавшая правка"})
    history = env.records.history(clerk, card.id)
    assert [e.action for e in history] == ["card.registered", "card.updated"]
    (change,) = history[1].changes
    assert change.field == "summary"
    assert change.before is not None and "О предоставлении информации" in change.before
    assert change.after is not None and "Уточнённое" in change.after


def test_update_refuses_fields_with_their_own_use_case(env: Env) -> None:
    card = env.records.register(env.world.clerk, _incoming(env))
    with pytest.raises(ValidationError) as info:
        env.records.update(env.world.clerk, card.id, 1, {"kind": CardKind.OUTGOING})
    assert info.value.field == "kind"


def test_link_unlink_and_query_by_link(env: Env) -> None:
    clerk = env.world.clerk
    first = env.records.register(clerk, _incoming(env))
    second = env.records.register(clerk, _incoming(env))
    linked = env.records.link(clerk, second.id, 1, first.id, LinkType.IN_REPLY_TO)
    assert linked.details.links[0].target_id == first.id
    found = env.records.query(clerk, CardQuery(linked_to=first.id)).items
    assert [c.id for c in found] == [second.id]
    with pytest.raises(ValidationError):
        env.records.link(clerk, second.id, 2, first.id, LinkType.IN_REPLY_TO)
    unlinked = env.records.unlink(clerk, second.id, 2, first.id, LinkType.IN_REPLY_TO)
    assert unlinked.details.links == ()


def test_delete_moves_to_deleted_and_keeps_everything(env: Env) -> None:
    clerk = env.world.clerk
    card = env.records.register(clerk, _incoming(env))
    with pytest.raises(ValidationError):
        env.records.delete(clerk, card.id, 1, reason=" ")
    deleted = env.records.delete(clerk, card.id, 1, reason="Зарегистрирован ошибочно")
    assert deleted.status is CardStatus.DELETED
    assert env.records.get(clerk, card.id).details == card.details
    assert env.records.query(clerk, CardQuery()).items == ()
    with pytest.raises(StateError):
        env.records.update(clerk, card.id, 2, {"summary": "x"})
    restored = env.records.restore(clerk, card.id, 2, reason="Восстановлен")
    assert restored.status is CardStatus.REGISTERED
    assert [e.action for e in env.records.history(clerk, card.id)][-2:] == [
        "card.deleted",
        "card.restored",
    ]


def test_files_are_stored_by_hash_and_read_back(env: Env) -> None:
    clerk = env.world.clerk
    card = env.records.register(clerk, _incoming(env))
    with_file = env.records.attach_file(
        clerk, card.id, 1, "письмо.pdf", b"%PDF-1.7", "application/pdf"
    )
    (ref,) = with_file.details.files
    assert ref.size == 8
    assert env.records.read_file(clerk, card.id, "письмо.pdf") == b"%PDF-1.7"


def test_dsp_cards_need_clearance_and_keep_no_image_on_paper_policy(env: Env) -> None:
    world = env.world
    request = _incoming(env, access=AccessMark.DSP)
    with pytest.raises(AccessDenied):
        env.records.register(world.plain, request)
    card = env.records.register(world.clerk, request)
    with pytest.raises(NotFound):  # a hidden card answers as a missing one
        env.records.get(world.plain, card.id)
    assert env.records.query(world.plain, CardQuery()).items == ()
    assert env.records.get(world.cleared, card.id) == card
    with pytest.raises(ValidationError) as info:
        env.records.attach_file(world.clerk, card.id, 1, "скан.pdf", b"x")
    assert info.value.field == "files"


def test_access_list_opens_a_dsp_card_to_a_named_user(env: Env) -> None:
    world = env.world
    card = env.records.register(
        world.clerk, _incoming(env, access=AccessMark.DSP, access_list=frozenset({world.plain.id}))
    )
    assert env.records.get(world.plain, card.id) == card


def test_an_inactive_user_is_refused(env: Env) -> None:
    retired = attrs.evolve(env.world.clerk, active=False)
    with env.storage.unit_of_work() as uow:
        uow.directory.put_user(retired)
        uow.commit()
    with pytest.raises(ActorBlocked):
        env.records.register(env.world.clerk, _incoming(env))  # the directory decides


def test_another_organisations_user_cannot_change_a_card(env: Env) -> None:
    card = env.records.register(env.world.clerk, _incoming(env))
    outsider = attrs.evolve(env.world.clerk, id=new_id(), organisation_id="elsewhere")
    with pytest.raises(AccessDenied):
        env.records.update(outsider, card.id, 1, {"summary": "Чужая правка"})
    assert env.world.cleared.clearance is Clearance.DSP


def test_reregistration_gives_a_new_number_and_keeps_the_old_in_history(env: Env) -> None:
    clerk = env.world.clerk
    card = env.records.register(clerk, _incoming(env))
    moved = env.records.reregister(clerk, card.id, 1, env.world.journal.id, manual_number="вх-100")
    assert moved.number == "вх-100"
    event = env.records.history(clerk, card.id)[-1]
    assert event.action == "card.reregistered"
    (change,) = [c for c in event.changes if c.field == "registration"]
    assert change.before is not None and '"вх-1"' in change.before


def test_template_values_fill_fields_the_card_does_not_carry(env: Env) -> None:
    journal = Journal(
        id=new_id(),
        organisation_id=env.world.organisation.id,
        code="ПО",
        name="Обращения по темам",
        template="ПО-{seq}/{topic}",
        kinds={CardKind.APPEAL},
    )
    env.admin.create_journal(env.world.clerk, journal)
    request = RegistrationRequest(
        journal.id, make_details(CardKind.APPEAL), template_values={"topic": "0003.0001"}
    )
    assert env.records.register(env.world.clerk, request).number == "ПО-1/0003.0001"
    with pytest.raises(ValidationError) as info:
        RegistrationRequest(journal.id, make_details(CardKind.APPEAL), template_values={"seq": "9"})
    assert info.value.field == "template_values"


@pytest.mark.parametrize("typed", [" вх-7", "вх-7 ", "ВХ-7", "Вх-7", "вх-7", "BX-7", "вх\u20037"])
def test_hand_typed_numbers_are_one_number_under_the_journals_rule(env: Env, typed: str) -> None:
    clerk = env.world.clerk
    first = env.records.register(clerk, attrs.evolve(_incoming(env), manual_number="вх-7"))
    assert first.number == "вх-7"
    if typed == "вх\u20037":  # a wide space inside: another number, cleaned to one space
        assert (
            env.records.register(clerk, attrs.evolve(_incoming(env), manual_number=typed)).number
            == "ВХ 7"
        )
        return
    with pytest.raises(DuplicateNumber):
        env.records.register(clerk, attrs.evolve(_incoming(env), manual_number=typed))


def test_a_case_sensitive_journal_keeps_the_case(env: Env) -> None:
    strict = Journal(
        new_id(), env.world.organisation.id, "ЧС", "С регистром", "чс-{seq}",
        {CardKind.INCOMING}, numbers_ignore_case=False,
    )  # fmt: skip
    with env.storage.unit_of_work() as uow:
        uow.journals.add(strict)
        uow.commit()
    request = RegistrationRequest(strict.id, _incoming(env).details, manual_number=" ЧС-1 ")
    assert env.records.register(env.world.clerk, request).number == "ЧС-1"
    lower = attrs.evolve(request, manual_number="чс-1")
    assert env.records.register(env.world.clerk, lower).number == "чс-1"


@pytest.mark.parametrize("typed", [" вх-7", "вх-7 ", "ВХ-7", "Вх-7", "вх-7", "BX-7", "вх  7"])
def test_a_search_by_a_typed_number_finds_the_card_as_registration_would(
    env: Env, typed: str
) -> None:
    clerk = env.world.clerk
    card = env.records.register(clerk, attrs.evolve(_incoming(env), manual_number="вх-7"))
    env.records.register(clerk, attrs.evolve(_incoming(env), manual_number="вх-8"))
    found = env.records.query(clerk, CardQuery(number=typed)).items
    if typed == "вх  7":  # another number: a space where the hyphen was
        assert found == ()
        return
    assert [c.id for c in found] == [card.id]
    narrowed = CardQuery(number=typed, journal_ids={card.registration.journal_id})
    assert [c.id for c in env.records.query(clerk, narrowed).items] == [card.id]


def test_a_number_in_two_forms_pages_across_both_in_registration_order(env: Env) -> None:
    strict = Journal(
        new_id(), env.world.organisation.id, "ЧС", "С регистром", "чс-{seq}",
        {CardKind.INCOMING}, numbers_ignore_case=False,
    )  # fmt: skip
    with env.storage.unit_of_work() as uow:
        uow.journals.add(strict)
        uow.commit()
    clerk = env.world.clerk
    ids = []
    for year, number in zip(
        (2022, 2023, 2024, 2025), ("ЧС-1", "чс-1", "ЧС-1", "чс-1"), strict=True
    ):
        # The counter's yearly period allows the same number again each year.
        day = pendulum.date(year, 3, 2)
        request = RegistrationRequest(
            strict.id,
            _incoming(env, received_on=day, sender_date=day).details,
            manual_number=number,
            registration_date=day,
        )
        ids.append(env.records.register(clerk, request).id)
    listing = [c.id for c in env.records.query_all(clerk, CardQuery(journal_ids={strict.id}))]
    # The strict journal keeps the case: each typed case finds its own cards only, although the
    # other journals' rule would write both in capitals; one card a page, in listing order.
    lower = [c.id for c in env.records.query_all(clerk, CardQuery(number="чс-1", limit=1))]
    assert lower == [i for i in listing if i in (ids[1], ids[3])]
    upper = [c.id for c in env.records.query_all(clerk, CardQuery(number=" ЧС-1", limit=1))]
    assert upper == [i for i in listing if i in (ids[0], ids[2])]


def test_a_received_date_in_the_future_is_refused(env: Env) -> None:
    far = _incoming(env, received_on=T0.date().add(days=30))
    with pytest.raises(ValidationError) as info:
        env.records.register(env.world.clerk, far)
    assert info.value.field == "received_on"
    card = env.records.register(env.world.clerk, _incoming(env))
    with pytest.raises(ValidationError) as info:
        env.records.update(
            env.world.clerk, card.id, card.version, {"received_on": T0.date().add(days=30)}
        )
    assert info.value.field == "received_on"


def test_a_page_says_it_is_not_the_last_and_query_all_reads_every_page(env: Env) -> None:
    from edmscore.reports import render_journal

    clerk = env.world.clerk
    for _ in range(57):
        env.records.register(clerk, _incoming(env))
    page = env.records.query(clerk, CardQuery())
    assert len(page.items) == 50
    assert not page.is_last
    rest = env.records.query(clerk, CardQuery(after=page.next_cursor))
    assert len(rest.items) == 7 and rest.is_last
    every = list(env.records.query_all(clerk, CardQuery(limit=20)))
    # One fixed clock: cards registered in the same instant come in id order, each once.
    assert sorted(card.registration.seq or 0 for card in every) == list(range(1, 58))
    printed = render_journal("Входящие", every)
    assert "вх-57" in printed and "вх-1 " in printed
