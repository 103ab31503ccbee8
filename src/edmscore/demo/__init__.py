"""The demo: one working day of a regional ministry on the embedded in-memory storage.

It builds the organisation (departments, officials, users), its journals and its 2026
nomenclature of cases, registers a day of incoming, outgoing and internal documents and a
citizens' appeal, files them to cases, and prints each journal as a table; then the minister's
resolutions on the day's letters and the day's control summary. At the end, two more appeals go
through :mod:`edmscore.appeals`: one is redirected by competence, the other answered, and both
are exported to SSTU.
"""

from __future__ import annotations

import io
from typing import Any, TextIO

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.calendar import URGENT, VERY_URGENT
from edmscore.clock import FixedClock
from edmscore.control import ControlService, ItemRequest, ResolutionRequest
from edmscore.directory import Clearance, Department, Official, Organisation, PersonName, User
from edmscore.records import AdminService, RecordsService, RegistrationRequest
from edmscore.registry import (
    AccessMark,
    Applicant,
    CardDetails,
    CardKind,
    Correspondent,
    DeliveryMethod,
    Enclosure,
    Journal,
    LinkType,
    RegistrationCard,
    Signatory,
)
from edmscore.registry.nomenclature import Case, Nomenclature, NomenclatureSection
from edmscore.registry.retention import parse_retention
from edmscore.reports import render_journal
from edmscore.storage import CardQuery, MemoryStorage

__all__ = ["AnalyticsRegion", "DemoAppeals", "build_region", "demo_appeals", "run_demo"]

_DAY = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk")


@attrs.frozen
class _Setup:
    organisation: Organisation
    departments: dict[str, Department]
    minister: Official
    lawyer: Official
    admin_user: User
    clerk: User
    journals: dict[str, Journal]
    cases: dict[str, Case]


def _set_up(storage: MemoryStorage, clock: FixedClock) -> _Setup:
    org = Organisation(
        id=new_id(),
        name="Министерство цифрового развития и связи Амурской области",
        short_name="Минцифры Амурской области",
        inn="2801100402",
        timezone="Asia/Yakutsk",
        code="МЦР",
        medo_id="3d9f1c52-7a0e-4b5c-9f13-1c2d3e4f5a6b",
    )
    departments = {
        code: Department(new_id(), org.id, code, name)
        for code, name in (
            ("01", "Отдел документационного обеспечения"),
            ("02", "Правовой отдел"),
            ("03", "Отдел информационной безопасности"),
        )
    }
    minister = Official(
        new_id(), org.id, PersonName("Соколов", "Андрей", "Викторович"), "Министр", None
    )
    lawyer = Official(
        new_id(),
        org.id,
        PersonName("Ким", "Елена", "Сергеевна"),
        "Начальник правового отдела",
        departments["02"].id,
    )
    admin_user = User(new_id(), "admin", org.id, None, Clearance.DSP)
    clerk = User(new_id(), "kanc", org.id, None, Clearance.DSP)
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(org)
        uow.directory.put_user(admin_user)
        uow.commit()
    admin = AdminService(storage, clock)
    for department in departments.values():
        admin.put_department(admin_user, department)
    for official in (minister, lawyer):
        admin.put_official(admin_user, official)
    admin.put_user(admin_user, clerk)

    journals = {
        "ВХ": Journal(new_id(), org.id, "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING}),
        "ИСХ": Journal(
            new_id(), org.id, "ИСХ", "Исходящие", "{case_index}/{seq}", {CardKind.OUTGOING}
        ),
        "П": Journal(new_id(), org.id, "П", "Приказы", "{seq}-п", {CardKind.INTERNAL}),
        "ОГ": Journal(
            new_id(), org.id, "ОГ", "Обращения граждан", "{letter}/{seq}", {CardKind.APPEAL}
        ),
        "ДСП": Journal(
            new_id(),
            org.id,
            "ДСП",
            "Документы ДСП",
            "{seq}-ДСП",
            {CardKind.INCOMING, CardKind.OUTGOING, CardKind.INTERNAL},
            access=AccessMark.DSP,
        ),
    }
    for journal in journals.values():
        admin.create_journal(admin_user, journal)

    sections = (
        NomenclatureSection("01", "Отдел документационного обеспечения", departments["01"].id),
        NomenclatureSection("02", "Правовой отдел", departments["02"].id),
    )
    case_rows = (
        ("01-01", "01", "Приказы министра по основной деятельности", "Постоянно ст. 19а"),
        ("01-05", "01", "Переписка с федеральными органами власти", "5 лет ЭПК ст. 27"),
        ("01-12", "01", "Документы ДСП (входящие и исходящие)", "5 лет ЭПК ст. 27"),
        ("02-03", "02", "Обращения граждан и документы по их рассмотрению", "5 лет ЭПК ст. 154"),
    )
    cases = {
        index: Case(new_id(), index, title, section, parse_retention(retention))
        for index, section, title, retention in case_rows
    }
    nomenclature = Nomenclature(new_id(), org.id, 2026, sections, tuple(cases.values()))
    admin.add_nomenclature(admin_user, nomenclature)
    return _Setup(org, departments, minister, lawyer, admin_user, clerk, journals, cases)


def _register_day(records: RecordsService, clock: FixedClock, s: _Setup) -> list[RegistrationCard]:
    today = _DAY.date()
    minister = Signatory(s.minister.name.initials_surname, s.minister.position, s.minister.id)
    incoming = [
        (
            "Министерство цифрового развития, связи и массовых коммуникаций Российской Федерации",
            "П-11-2/4512",
            "О мониторинге перехода на отечественное программное обеспечение",
            DeliveryMethod.MEDO,
            AccessMark.OPEN,
        ),
        (
            "Правительство Амурской области",
            "01-2345",
            "О подготовке к отопительному сезону 2026/2027 годов",
            DeliveryMethod.MEDO,
            AccessMark.OPEN,
        ),
        (
            "Администрация города Благовещенска",
            "15/887",
            "О согласовании размещения базовых станций связи",
            DeliveryMethod.EMAIL,
            AccessMark.OPEN,
        ),
        (
            "Управление ФСТЭК России по Дальневосточному федеральному округу",
            "240/2/ДСП",
            "Об угрозах безопасности информации в государственных информационных системах",
            DeliveryMethod.COURIER,
            AccessMark.DSP,
        ),
    ]
    registered = []
    for sender, number, summary, method, mark in incoming:
        clock.advance(minutes=17)
        details = CardDetails(
            kind=CardKind.INCOMING,
            document_kind="Письмо",
            summary=summary,
            correspondents=(Correspondent(sender),),
            sender_number=number,
            sender_date=today.subtract(days=3),
            received_on=today,
            sheets=2,
            delivery_method=method,
            access=mark,
            executor_id=s.lawyer.id,
        )
        journal = s.journals["ДСП" if mark is AccessMark.DSP else "ВХ"]
        card = records.register(s.clerk, RegistrationRequest(journal.id, details))
        case = s.cases["01-12" if mark is AccessMark.DSP else "01-05"]
        registered.append(records.file_to_case(s.clerk, card.id, card.version, case.id))

    clock.advance(minutes=40)
    appeal = CardDetails(
        kind=CardKind.APPEAL,
        document_kind="Обращение",
        summary="О качестве мобильной связи в с. Ивановка",
        applicants=(
            Applicant(
                PersonName("Дмитриев", "Олег", "Сергеевич"), "676930, с. Ивановка, ул. Ленина, 5"
            ),
        ),
        delivery_method=DeliveryMethod.WEB_FORM,
        case_id=s.cases["02-03"].id,
    )
    registered.append(records.register(s.clerk, RegistrationRequest(s.journals["ОГ"].id, appeal)))

    clock.advance(hours=2)
    reply = CardDetails(
        kind=CardKind.OUTGOING,
        document_kind="Письмо",
        summary="О мониторинге перехода на отечественное программное обеспечение (ответ)",
        addressees=(Correspondent(incoming[0][0]),),
        signatories=(minister,),
        sheets=3,
        enclosures=(Enclosure("Сведения о ходе перехода", 5),),
        delivery_method=DeliveryMethod.MEDO,
        case_id=s.cases["01-05"].id,
    )
    card = records.register(s.clerk, RegistrationRequest(s.journals["ИСХ"].id, reply))
    registered.append(
        records.link(s.clerk, card.id, card.version, registered[0].id, LinkType.IN_REPLY_TO)
    )

    clock.advance(hours=1)
    order = CardDetails(
        kind=CardKind.INTERNAL,
        document_kind="Приказ",
        summary="Об утверждении номенклатуры дел министерства на 2026 год",
        signatories=(minister,),
        sheets=4,
        case_id=s.cases["01-01"].id,
    )
    registered.append(records.register(s.clerk, RegistrationRequest(s.journals["П"].id, order)))
    return registered


def run_demo(out: TextIO) -> None:
    """Run the demo and print it to ``out``: the day's work, then every journal as it stands."""
    clock = FixedClock(_DAY)
    storage = MemoryStorage()
    setup = _set_up(storage, clock)
    records = RecordsService(storage, clock)
    cards = _register_day(records, clock, setup)
    out.write(f"{setup.organisation.name}\n")
    out.write(
        f"Рабочий день {_DAY.format('DD.MM.YYYY')}: поступившие и подготовленные документы "
        f"зарегистрированы ({len(cards)}); министр дал по ним поручения.\n"
    )
    _control_summary(storage, clock, setup, cards, out)
    # Approval (issue 9): a reply letter through two cycles, signed and registered as outgoing.
    from edmscore.demo._approval import approval_section

    approval_section(
        storage,
        clock,
        setup.admin_user,
        setup.minister,
        setup.lawyer,
        setup.journals["ИСХ"].id,
        setup.cases["01-05"].id,
        out,
    )
    _print_appeals(_appeals(storage, clock, setup), out)
    _print_journals(storage, clock, setup, records, out)
    out.write(_NEXT_STEPS)


def _print_journals(
    storage: MemoryStorage, clock: FixedClock, s: _Setup, records: RecordsService, out: TextIO
) -> None:
    """Every journal at the end of the day, whole (page after page), and what a guest sees."""
    total = 0
    parts: list[str] = []
    for code, journal in s.journals.items():
        cards = list(records.query_all(s.clerk, CardQuery(journal_ids={journal.id}, limit=100)))
        total += len(cards)
        if cards:
            parts.append(render_journal(f"Журнал «{journal.name}» ({code})", cards))
    out.write(
        f"\nЖурналы регистрации на конец дня {_DAY.format('DD.MM.YYYY')}: "
        f"зарегистрировано документов — {total}\n\n"
    )
    out.write("\n".join(parts))
    plain = User(new_id(), "guest", s.organisation.id)
    AdminService(storage, clock).put_user(s.admin_user, plain)
    every = CardQuery(journal_ids={journal.id for journal in s.journals.values()}, limit=100)
    visible = sum(1 for _ in records.query_all(plain, every))
    out.write(f"\nПользователь без допуска к ДСП видит {visible} из {total} карточек.\n")


_NEXT_STEPS = """
Что дальше:
  - руководство: docs/index.md (хост на SQLite за несколько шагов), разделы docs/*.md;
  - примеры, которые можно запустить: examples/registration.py, examples/control.py,
    examples/appeals.py, examples/approval.py, examples/storage.py;
  - командная строка: edmscore calendar year 2027, edmscore control --help,
    edmscore appeals --help, edmscore verify --help.
"""


# --- citizens' appeals (edmscore.appeals) ------------------------------------------------------

#: The demo ministry's department id in SSTU (a made-up GUID).
_SSTU_ID = "5b2f7c1e-0d4a-4e8b-9a61-2f3c4d5e6f70"
#: The receiving ministry's (made up too).
_SSTU_HOUSING = "8c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"


@attrs.frozen
class DemoAppeals:
    """What the appeals part of the demo leaves: the storage, its clerk and the SSTU documents."""

    storage: MemoryStorage
    clerk: User
    department_id: str
    appeals: tuple[Any, ...]
    documents: tuple[bytes, ...]


def _appeals(storage: MemoryStorage, clock: FixedClock, s: _Setup) -> DemoAppeals:
    from edmscore.appeals import (
        Answer,
        AppealRequest,
        AppealsService,
        Author,
        Forwarding,
        QuestionRequest,
        QuestionStatus,
        ReceiptForm,
        Transfer,
        sample_topics,
        sstu_appeal,
        sstu_json,
    )
    from edmscore.calendar import russian_calendar

    service = AppealsService(storage, russian_calendar(), clock, classifier=sample_topics())
    journal = s.journals["ОГ"].id
    clock.advance(minutes=10)
    internet = service.register_appeal(
        s.clerk,
        AppealRequest(
            journal,
            [
                Author(
                    PersonName("Ковалёва", "Мария", "Петровна"),
                    "676930, с. Ивановка, ул. Школьная, 12",
                    "kovaleva@example.ru",
                    social_status="Пенсионер",
                )
            ],
            [QuestionRequest("0003.0001.0001.0002", "Об отсутствии доступа в интернет")],
            received_on=_DAY.date().subtract(days=1),
            form=ReceiptForm.ELECTRONIC,
            delivery_method=DeliveryMethod.WEB_FORM,
            executor_id=s.lawyer.id,
        ),
    )
    heating = service.register_appeal(
        s.clerk,
        AppealRequest(
            journal,
            [Author(PersonName("Белов", "Игорь", "Андреевич"), "675000, г. Благовещенск")],
            [QuestionRequest("0005.0001.0001.0001", "О перебоях в подаче тепла")],
            received_on=_DAY.date(),
            forwarding=Forwarding(
                "Управление Президента Российской Федерации по работе с обращениями граждан",
                "А26-02-12345",
                _DAY.date().subtract(days=4),
            ),
            delivery_method=DeliveryMethod.SSTU,
        ),
    )
    clock.advance(days=2)
    heating = service.redirect(
        s.clerk,
        heating.id,
        heating.version,
        Transfer(
            "Министерство жилищно-коммунального хозяйства Амурской области",
            clock.now().date(),
            "02-15/77",
            _SSTU_HOUSING,
        ),
    )
    clock.advance(days=5)
    internet = service.decide(
        s.clerk,
        internet.id,
        internet.version,
        1,
        QuestionStatus.EXPLAINED,
        Answer(clock.now().date(), "Разъяснены сроки подключения села к сети", "01-05/12"),
        attachment=("ответ.pdf", b"%PDF-1.4 demo answer\n"),
    )
    with storage.unit_of_work() as uow:
        blobs = uow.blobs
        documents = tuple(
            sstu_json(sstu_appeal(a, _SSTU_ID), lambda att: blobs.get(att.sha256))
            for a in (internet, heating)
        )
    return DemoAppeals(storage, s.clerk, _SSTU_ID, (internet, heating), documents)


def _print_appeals(demo: DemoAppeals, out: TextIO) -> None:
    from edmscore.appeals import QuestionStatus, parse_sstu

    out.write("\nОбращения граждан (59-ФЗ) и выгрузка в ССТУ.РФ:\n")
    for appeal, document in zip(demo.appeals, demo.documents, strict=True):
        question = appeal.questions[0]
        parsed = parse_sstu(document)
        redirected = question.transfer is not None
        due = appeal.redirect_due if redirected else appeal.review_due
        on = question.status_date.format("DD.MM.YYYY")
        exported = QuestionStatus(parsed.questions[0].status).label
        out.write(
            f"  {appeal.number}: {question.status.label} {on}"
            f" (срок {due.format('DD.MM.YYYY')}); выгружено в ССТУ со статусом «{exported}»,"
            f" {len(document)} байт\n"
        )


def demo_appeals() -> DemoAppeals:
    """Run the whole demo silently and return its appeals part (for ``edmscore appeals``)."""
    clock = FixedClock(_DAY)
    storage = MemoryStorage()
    setup = _set_up(storage, clock)
    _register_day(RecordsService(storage, clock), clock, setup)
    return _appeals(storage, clock, setup)


@attrs.frozen
class DemoControl:
    """What the control part of the demo leaves: the storage, its clerk and the demo's clock."""

    storage: MemoryStorage
    clerk: User
    clock: FixedClock


def demo_control() -> DemoControl:
    """Run the demo's day and resolutions silently (for ``edmscore control``)."""
    clock = FixedClock(_DAY)
    storage = MemoryStorage()
    setup = _set_up(storage, clock)
    cards = _register_day(RecordsService(storage, clock), clock, setup)
    _control_summary(storage, clock, setup, cards, io.StringIO())
    return DemoControl(storage, setup.clerk, clock)


def _control_summary(
    storage: MemoryStorage,
    clock: FixedClock,
    s: _Setup,
    cards: list[RegistrationCard],
    out: TextIO,
) -> None:
    """The minister's resolutions on the day's letters, and the day's control summary."""
    control = ControlService(storage, clock)
    clock.advance(hours=1)
    for card, items in (
        (
            cards[0],
            (
                ItemRequest(
                    s.lawyer.id,
                    "Представить сведения о переходе на отечественное ПО",
                    VERY_URGENT,
                    on_control=True,
                    controller_id=s.minister.id,
                ),
            ),
        ),
        (cards[1], (ItemRequest(s.lawyer.id, "Подготовить план подготовки", URGENT),)),
        (cards[2], (ItemRequest(s.lawyer.id, "Рассмотреть и подготовить ответ"),)),
    ):
        control.impose(s.clerk, ResolutionRequest(card.id, s.minister.id, "Прошу исполнить", items))
    summary = control.summary(s.clerk, due_soon_days=3)
    out.write(
        f"\nСводка по контролю на {summary.today.format('DD.MM.YYYY')}: на исполнении "
        f"{summary.open_total}, на контроле {summary.on_control}, срок сегодня "
        f"{len(summary.due_today)}, в ближайшие {summary.due_soon_days} рабочих дня "
        f"{len(summary.due_soon)}, просрочено {len(summary.overdue)}\n"
    )
    for item in (*summary.due_today, *summary.due_soon):
        due = item.assignment.due
        assert due is not None
        out.write(
            f"  {item.card_number}: «{item.assignment.text}» — срок {due.format('DD.MM.YYYY')}"
            f" (осталось рабочих дней: {item.working_days_left})\n"
        )


# A region's government for analytics (its generator runs the demo's day for its ministry).
from edmscore.demo._analytics import AnalyticsRegion, build_region  # noqa: E402
