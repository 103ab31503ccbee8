"""Hypothesis strategies for edmscore's values, valid and deliberately invalid.

Import them in a host's test suite::

    from hypothesis import given
    from edmscore.testing import strategies as eds

    @given(eds.card_details())
    def test_my_export_accepts_any_card(details): ...

Needs the ``testing`` extra (hypothesis).
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "hypothesis", "testing") from exc

from typing import Any

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.directory import Clearance, Department, Official, Organisation, PersonName, User
from edmscore.registry import (
    AccessMark,
    Applicant,
    CardDetails,
    CardKind,
    Correspondent,
    DeliveryMethod,
    Enclosure,
    Journal,
    ResetPeriod,
    Signatory,
)
from edmscore.testing._control_strategies import (
    control_deadlines,
    instruction_policies,
    invalid_item_requests,
    invalid_resolution_requests,
    item_requests,
    refused_resolution_requests,
    resolution_requests,
    working_days,
)
from edmscore.testing._nomenclature_strategies import (
    invalid_nomenclature_arguments,
    invalid_notations,
    nomenclatures,
    retention_notations,
    retention_periods,
)

__all__ = [
    "card_details",
    "card_kinds",
    "control_deadlines",
    "dates",
    "departments",
    "directories",
    "instruction_policies",
    "invalid_card_details",
    "invalid_item_requests",
    "invalid_nomenclature_arguments",
    "invalid_notations",
    "invalid_resolution_requests",
    "invalid_templates",
    "item_requests",
    "journals",
    "nomenclatures",
    "officials",
    "organisations",
    "person_names",
    "refused_resolution_requests",
    "resolution_requests",
    "retention_notations",
    "retention_periods",
    "russian_text",
    "templates",
    "users",
    "working_days",
]

_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
_SURNAMES = ("Иванов", "Петрова", "Сидоров", "Дмитриева", "Ёлкин", "Щукин", "Юдина", "Абрамов")
_GIVEN = ("Иван", "Анна", "Пётр", "Мария", "Олег", "Елена")
_PATRONYMICS = ("Иванович", "Петровна", "Сергеевич", "")


def russian_text(min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[str]:
    """Non-blank Cyrillic text with spaces, digits and punctuation."""
    alphabet = _CYRILLIC + " 0123456789.,-№«»"
    return st.text(alphabet=alphabet, min_size=min_size, max_size=max_size).filter(str.strip)


_FIRST_DAY = pendulum.Date(2015, 1, 1)
_LAST_DAY = pendulum.Date(2026, 12, 31)


def dates(
    min_value: pendulum.Date = _FIRST_DAY, max_value: pendulum.Date = _LAST_DAY
) -> st.SearchStrategy[pendulum.Date]:
    """Calendar dates as pendulum Dates."""
    return st.dates(min_value, max_value).map(lambda d: pendulum.Date(d.year, d.month, d.day))


def person_names() -> st.SearchStrategy[PersonName]:
    """Russian full names."""
    return st.builds(
        PersonName,
        st.sampled_from(_SURNAMES),
        st.sampled_from(_GIVEN),
        st.sampled_from(_PATRONYMICS),
    )


def organisations() -> st.SearchStrategy[Organisation]:
    """Organisations with ids, names and time zones."""
    return st.builds(
        Organisation,
        id=st.builds(new_id),
        name=russian_text(3, 80),
        short_name=st.just(""),
        timezone=st.sampled_from(("Europe/Moscow", "Asia/Yakutsk", "Europe/Kaliningrad")),
        code=st.sampled_from(("", "МЦР", "АГ")),
    )


def users(organisation_id: str) -> st.SearchStrategy[User]:
    """Users of an organisation, with or without ДСП clearance."""
    return st.builds(
        User,
        id=st.builds(new_id),
        login=st.from_regex(r"[a-z]{3,10}", fullmatch=True),
        organisation_id=st.just(organisation_id),
        clearance=st.sampled_from(Clearance),
    )


def departments(organisation_id: str) -> st.SearchStrategy[Department]:
    """Departments with two-digit codes."""
    return st.builds(
        Department,
        id=st.builds(new_id),
        organisation_id=st.just(organisation_id),
        code=st.from_regex(r"[0-9]{2}", fullmatch=True),
        name=russian_text(3, 40),
    )


def officials(organisation_id: str) -> st.SearchStrategy[Official]:
    """Officials of an organisation."""
    return st.builds(
        Official,
        id=st.builds(new_id),
        organisation_id=st.just(organisation_id),
        name=person_names(),
        position=st.sampled_from(("Министр", "Заместитель министра", "Главный специалист")),
    )


_VALID_TEMPLATES = (
    "{seq}",
    "вх-{seq}",
    "{seq:05d}",
    "{seq}-ДСП",
    "{letter}-{seq}",
    "{letter}/{seq}",
    "ПО-{seq}",
    "{seq}/{yy}",
    "{org}-{seq}",
    "{journal}-{seq:04d}",
    "{{{seq}}}",
)


def templates() -> st.SearchStrategy[str]:
    """Valid number templates using the counter, date, organisation/journal codes and letter."""
    prefix = st.text(alphabet=_CYRILLIC + "-/", max_size=5)
    built = st.builds(lambda p, w: f"{p}{{seq:0{w}d}}", prefix, st.integers(1, 9))
    return st.one_of(st.sampled_from(_VALID_TEMPLATES), built)


def invalid_templates() -> st.SearchStrategy[str]:
    """Templates every journal must refuse at creation."""
    return st.one_of(
        st.sampled_from(("", "   ", "вх-", "{seq}{seq}", "{sequence}", "{seq:x}", "{seq", "seq}")),
        st.sampled_from(("{dept:3d}-{seq}", "{unknown}-{seq}", "{seq:5f}", "{}")),
        russian_text(1, 10),  # no {seq} at all
    )


def journals(
    organisation_id: str, kinds: frozenset[CardKind] | None = None
) -> st.SearchStrategy[Journal]:
    """Journals of an organisation with valid templates."""
    return st.builds(
        Journal,
        id=st.builds(new_id),
        organisation_id=st.just(organisation_id),
        code=st.sampled_from(("ВХ", "ИСХ", "ПР", "ОГ")),
        name=russian_text(3, 40),
        template=templates(),
        kinds=st.just(kinds)
        if kinds is not None
        else st.frozensets(st.sampled_from(CardKind), min_size=1),
        reset=st.sampled_from(ResetPeriod),
    )


def card_kinds() -> st.SearchStrategy[CardKind]:
    """Any card kind."""
    return st.sampled_from(CardKind)


@st.composite
def card_details(
    draw: st.DrawFn,
    kind: CardKind | None = None,
    access: AccessMark | None = None,
    access_list_from: tuple[str, ...] = (),
    received_on: pendulum.Date | None = None,
) -> CardDetails:
    """Valid :class:`CardDetails` (no directory references, no files, no case, no links)."""
    chosen = kind if kind is not None else draw(card_kinds())
    mark = access if access is not None else draw(st.sampled_from(AccessMark))
    fields: dict[str, Any] = {
        "kind": chosen,
        "document_kind": draw(st.sampled_from(("Письмо", "Приказ", "Распоряжение", "Запрос"))),
        "summary": draw(russian_text(1, 120)),
        "sheets": draw(st.integers(0, 300)),
        "enclosures": tuple(
            draw(
                st.lists(st.builds(Enclosure, russian_text(1, 30), st.integers(0, 50)), max_size=3)
            )
        ),
        "delivery_method": draw(st.none() | st.sampled_from(DeliveryMethod)),
        "access": mark,
        "on_control": draw(st.booleans()),
    }
    if access_list_from:
        fields["access_list"] = frozenset(draw(st.lists(st.sampled_from(access_list_from))))
    if chosen is CardKind.INCOMING:
        received = received_on or draw(dates())
        fields["correspondents"] = (Correspondent(draw(russian_text(3, 60))),)
        fields["received_on"] = received
        fields["sender_number"] = draw(
            st.none() | st.from_regex(r"[0-9]{1,4}(-[0-9]{2})?", fullmatch=True)
        )
        fields["sender_date"] = received.subtract(days=draw(st.integers(0, 30)))
    if chosen in (CardKind.OUTGOING, CardKind.INTERNAL):
        fields["signatories"] = (Signatory(draw(person_names()).surname_initials, "Министр"),)
    if chosen is CardKind.OUTGOING:
        fields["addressees"] = tuple(
            Correspondent(name)
            for name in draw(st.lists(russian_text(3, 60), min_size=1, max_size=4))
        )
    if chosen is CardKind.APPEAL:
        fields["applicants"] = tuple(
            Applicant(name) for name in draw(st.lists(person_names(), min_size=1, max_size=3))
        )
    return CardDetails(**fields)


@st.composite
def invalid_card_details(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """Keyword arguments for :class:`CardDetails` that must be refused, with the field to blame."""
    base: dict[str, Any] = {
        "kind": CardKind.INTERNAL,
        "document_kind": "Приказ",
        "summary": "Текст",
    }
    base["signatories"] = (Signatory("Петров П.П.", "Министр"),)
    cases: tuple[tuple[str, dict[str, Any]], ...] = (
        ("summary", {"summary": "   "}),
        ("summary", {"summary": "x" * 4001}),
        ("document_kind", {"document_kind": ""}),
        ("signatories", {"signatories": ()}),
        ("sheets", {"sheets": -1}),
        (
            "correspondents",
            {"kind": CardKind.INCOMING, "received_on": pendulum.Date(2026, 1, 9)},
        ),
        (
            "received_on",
            {"kind": CardKind.INCOMING, "correspondents": (Correspondent("Орган"),)},
        ),
        ("addressees", {"kind": CardKind.OUTGOING}),
        ("applicants", {"kind": CardKind.APPEAL}),
        ("access", {"access": "dsp"}),
        ("case_index", {"case_index": "01-01"}),
        ("files", {"files": ("file.pdf",)}),
    )
    field, changes = draw(st.sampled_from(cases))
    return {**base, **changes}, field


@st.composite
def directories(
    draw: st.DrawFn,
) -> tuple[Organisation, tuple[Department, ...], tuple[Official, ...], tuple[User, ...]]:
    """A consistent directory: an organisation with departments, officials and users in it.

    Department codes are unique; officials sit in the organisation's departments; users act for
    the officials or for nobody, with random clearance.
    """
    organisation = draw(organisations())
    codes = draw(
        st.lists(st.from_regex(r"[0-9]{2}", fullmatch=True), min_size=1, max_size=4, unique=True)
    )
    depts = tuple(
        Department(new_id(), organisation.id, code, draw(russian_text(3, 40))) for code in codes
    )
    people = tuple(
        attrs.evolve(official, department_id=draw(st.sampled_from(depts)).id)
        for official in draw(st.lists(officials(organisation.id), min_size=1, max_size=5))
    )
    members = tuple(
        attrs.evolve(
            user, official_id=draw(st.none() | st.sampled_from(people).map(lambda o: o.id))
        )
        for user in draw(
            st.lists(users(organisation.id), min_size=1, max_size=5, unique_by=lambda u: u.login)
        )
    )
    return organisation, depts, people, members
