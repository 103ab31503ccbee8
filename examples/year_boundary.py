"""The year boundary: an appeal whose term reaches a year without its decree is registered,
marked provisional, and recounted once the decree is loaded.

Run: python examples/year_boundary.py
"""

from __future__ import annotations

import attrs
import pendulum

from edmscore import Edms, FixedClock, Organisation, User
from edmscore.appeals import AppealRequest, Author, QuestionRequest, sample_topics
from edmscore.calendar import Decree, Transfer, YearStatus, russian_calendar, statutory_year
from edmscore.directory import PersonName
from edmscore.registry import CardKind, Journal

D = pendulum.Date


def main() -> None:
    clock = FixedClock(pendulum.datetime(2027, 12, 6, 10, tz="Asia/Yakutsk"))
    edms = Edms(clock=clock, topic_classifier=sample_topics())  # the default federal calendar
    admin = edms.setup(
        Organisation("mcr", "Минцифры", timezone="Asia/Yakutsk"), User("a", "a", "mcr")
    )
    edms.admin.put_user(admin.id, User("clerk", "ivanova", "mcr", roles=("registrar",)))
    journal = Journal("og", "mcr", "ОГ", "Обращения граждан", "{letter}/{seq}", {CardKind.APPEAL})
    edms.admin.create_journal(admin.id, journal)

    # 2028 has no decree yet: the 30-day term is counted on the Labour Code and marked provisional.
    appeal = edms.appeals.register_appeal(
        "clerk",
        AppealRequest(
            journal.id,
            [Author(PersonName("Дмитриев", "Олег"), "676930, с. Ивановка, ул. Ленина, 5")],
            [QuestionRequest("0003.0001.0001.0001", "О качестве мобильной связи")],
            received_on=D(2027, 12, 6),
        ),
    )
    assert appeal.review_due == D(2028, 1, 10)
    assert appeal.is_provisional("review_due")

    # The decree for 2028 is published (here a made-up one: 1 January → 10 January).
    rules = statutory_year(2028)
    decree_2028 = attrs.evolve(
        rules,
        status=YearStatus.OFFICIAL,
        days_off={**rules.days_off, D(2028, 1, 10): "перенос с 01.01.2028"},
        transfers=(*rules.transfers, Transfer(D(2028, 1, 1), D(2028, 1, 10))),
        decree=Decree("0000", D(2027, 9, 1), "example"),
        note="",
    )
    loaded = Edms(
        edms.storage,
        calendar=russian_calendar().with_years([decree_2028]),
        clock=clock,
        topic_classifier=sample_topics(),
    )
    moves = loaded.appeals.recompute_provisional("clerk", D(2027, 12, 1), D(2027, 12, 31))
    moved = [move for move in moves if move.moved]
    assert [(m.field, m.old, m.new) for m in moved] == [
        ("review_due", D(2028, 1, 10), D(2028, 1, 11))
    ]
    assert loaded.appeals.appeal("clerk", appeal.id).provisional_dues == ()


if __name__ == "__main__":
    main()
