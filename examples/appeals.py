"""Citizens' appeals: register two, redirect one, answer the other, print their SSTU JSON.

Run: python examples/appeals.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pendulum

from edmscore import Edms, FixedClock, Organisation, User
from edmscore.appeals import (
    Answer,
    AppealRequest,
    Author,
    QuestionRequest,
    QuestionStatus,
    ReceiptForm,
    Transfer,
    export_sstu_batch,
    mask_author,
    mask_name,
    sample_topics,
)
from edmscore.directory import PersonName
from edmscore.registry import CardKind, Journal
from edmscore.reports import render_appeals

OUR_SSTU_ID = "5b2f7c1e-0d4a-4e8b-9a61-2f3c4d5e6f70"
HOUSING_SSTU_ID = "8c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"


def main() -> None:
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Asia/Yakutsk"))
    edms = Edms(clock=clock, topic_classifier=sample_topics())
    organisation = Organisation(
        "mcr", "Министерство цифрового развития Амурской области", timezone="Asia/Yakutsk"
    )
    admin = edms.setup(organisation, User("admin", "admin", "mcr"))
    # The appeals office registers and answers; reading the statistics is a controller's right.
    clerk = "clerk"
    edms.admin.put_user(admin.id, User(clerk, "ivanova", "mcr", roles=("registrar", "controller")))
    journal = Journal("po", "mcr", "ПО", "Обращения граждан", "ПО-{seq}/{topic}", {CardKind.APPEAL})
    edms.admin.create_journal(admin.id, journal)
    service = edms.appeals

    author = Author(
        PersonName("Ковалёва", "Мария", "Петровна"),
        "676930, с. Ивановка, ул. Школьная, 12",
        "kovaleva@example.ru",
        "+7 914 555-12-34",
        social_status="Пенсионер",
    )
    internet = service.register_appeal(
        clerk,
        AppealRequest(
            journal.id,
            [author],
            [QuestionRequest("0003.0001.0001.0002", "Нет доступа в интернет в селе")],
            received_on=pendulum.Date(2026, 2, 27),
            form=ReceiptForm.ELECTRONIC,
        ),
    )
    heating = service.register_appeal(
        clerk,
        AppealRequest(
            journal.id,
            [Author(PersonName("Белов", "Игорь"), "675000, г. Благовещенск, ул. Мира, 3")],
            [QuestionRequest("0005.0001.0001.0001", "Перебои в подаче тепла")],
            received_on=pendulum.Date(2026, 3, 2),
        ),
    )
    for appeal in (internet, heating):
        print(
            f"{appeal.number}: зарегистрировано {appeal.registered_on.format('DD.MM.YYYY')}, "
            f"срок рассмотрения {appeal.review_due.format('DD.MM.YYYY')}, "
            f"переадресации {appeal.redirect_due.format('DD.MM.YYYY')}"
        )
    print("Автор (маскировано):", mask_name(author.full_name), mask_author(author).email)

    clock.advance(days=2)
    heating = service.redirect(
        clerk,
        heating.id,
        heating.version,
        Transfer(
            "Министерство ЖКХ Амурской области", clock.now().date(), "02-15/77", HOUSING_SSTU_ID
        ),
    )
    clock.advance(days=5)
    internet = service.decide(
        clerk,
        internet.id,
        internet.version,
        1,
        QuestionStatus.EXPLAINED,
        Answer(clock.now().date(), "Разъяснены сроки подключения", "01-05/12"),
        attachment=("ответ.pdf", b"%PDF-1.4 example answer\n"),
    )

    today = clock.now().date()
    with tempfile.TemporaryDirectory() as folder:
        batch = export_sstu_batch(service, clerk, today.start_of("month"), today, OUR_SSTU_ID,
                                  Path(folder))  # fmt: skip
        for written in batch.written:
            print(json.dumps(json.loads(written.read_bytes()), ensure_ascii=False, indent=2))

    # The statistics count only the appeals whose card the reader may see.
    report = service.statistics(clerk, today.start_of("month"), today)
    print(render_appeals(report))


if __name__ == "__main__":
    main()
