"""Appeals benchmark: SSTU export against its raw limits, registration against plain cards.

1. One SSTU document (map, validate, serialise) against the raw limit: ``json.dumps`` of the
   same document already built as a dict.
2. A 9.9 MB attachment streamed to base64 (``write_sstu``) against ``base64.b64encode`` of the
   whole buffer plus ``json.dumps``: time and peak memory (tracemalloc).
3. Registering an appeal (card + appeal + repeated-appeal lookup, one unit of work) against
   registering a plain appeal card with ``RecordsService.register``.

Run: .venv/bin/python benchmarks/bench_appeals.py
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import time
import tracemalloc
from collections.abc import Callable

import attrs
import pendulum

from edmscore.appeals import (
    Answer,
    AppealRequest,
    AppealsService,
    Author,
    QuestionRequest,
    QuestionStatus,
    SstuAttachment,
    sstu_appeal,
    write_sstu,
)
from edmscore.calendar import russian_calendar
from edmscore.clock import FixedClock
from edmscore.directory import PersonName, User
from edmscore.records import RegistrationRequest
from edmscore.registry import Applicant, CardDetails, CardKind, Journal
from edmscore.storage import MemoryStorage
from edmscore.testing import make_world

SSTU_ID = "5b2f7c1e-0d4a-4e8b-9a61-2f3c4d5e6f70"
TOPIC = "0003.0001.0001.0001"


def _best(fn: Callable[[], object], repeat: int = 5, number: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def _service() -> tuple[AppealsService, User, Journal]:
    world = make_world()
    storage = MemoryStorage()
    journal = Journal(
        "og", world.organisation.id, "ОГ", "Обращения", "{letter}/{seq}", {CardKind.APPEAL}
    )
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(world.organisation)
        uow.directory.put_user(world.clerk)
        uow.journals.add(journal)
        uow.commit()
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Asia/Yakutsk"))
    return AppealsService(storage, russian_calendar(), clock), world.clerk, journal


def main() -> None:
    service, clerk, journal = _service()
    author = Author(PersonName("Дмитриев", "Олег", "Сергеевич"), "с. Ивановка, ул. Ленина, 5")
    request = AppealRequest(
        journal.id,
        [author],
        [QuestionRequest(TOPIC, "О связи")],
        received_on=pendulum.Date(2026, 3, 2),
    )
    appeal = service.register_appeal(clerk, request)
    appeal = service.decide(
        clerk,
        appeal.id,
        appeal.version,
        1,
        QuestionStatus.SUPPORTED,
        Answer(pendulum.Date(2026, 3, 2), "Поддержано"),
        actions_taken="Меры приняты",
    )

    # 1. one document
    def ours() -> bytes:
        out = io.BytesIO()
        write_sstu(sstu_appeal(appeal, SSTU_ID), out)
        return out.getvalue()

    prebuilt = json.loads(ours())
    n = 2000
    t_ours = _best(ours, number=n)
    t_raw = _best(lambda: json.dumps(prebuilt, ensure_ascii=False).encode(), number=n)
    print(
        f"SSTU document: edmscore {t_ours * 1e6:.1f} µs, raw json.dumps {t_raw * 1e6:.1f} µs, "
        f"ratio {t_ours / t_raw:.1f}×"
    )

    # 2. a large attachment
    blob = bytes(range(256)) * (9_900_000 // 256)
    attachment = SstuAttachment("ответ.pdf", len(blob), hashlib.sha256(blob).hexdigest())
    doc = sstu_appeal(appeal, SSTU_ID)
    doc = attrs.evolve(doc, questions=(attrs.evolve(doc.questions[0], attachment=attachment),))

    class _Sink(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: object) -> int:
            return len(data)  # type: ignore[arg-type]

    def streamed() -> None:
        write_sstu(doc, _Sink(), lambda a: io.BytesIO(blob))  # type: ignore[arg-type]

    def whole() -> None:
        body = dict(prebuilt)
        q = dict(body["questions"][0])
        q["attachment"] = {"name": "ответ.pdf", "content": base64.b64encode(blob).decode()}
        body["questions"] = [q]
        json.dumps(body, ensure_ascii=False).encode()

    for name, fn in (("streamed (edmscore)", streamed), ("whole buffer (raw)", whole)):
        elapsed = _best(fn, repeat=3)
        tracemalloc.start()
        fn()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"9.9 MB attachment, {name}: {elapsed * 1000:.0f} ms, "
            f"{len(blob) / elapsed / 1e6:.0f} MB/s, extra peak memory {peak / 1e6:.1f} MB"
        )
    t_stream = _best(streamed, repeat=3)
    t_whole = _best(whole, repeat=3)
    print(
        f"attachment ratio (streamed / whole): {t_stream / t_whole:.2f}× time; "
        f"edmscore also checks the sha256"
    )

    # 3. registration
    count = 300
    service, clerk, journal = _service()

    def appeals() -> None:
        for i in range(count):
            a = Author(PersonName(f"Фамилия{i % 50}", "Имя"), f"адрес {i % 50}")
            service.register_appeal(
                clerk, attrs.evolve(request, journal_id=journal.id, authors=(a,))
            )

    plain_service, plain_clerk, plain_journal = _service()
    details = CardDetails(
        kind=CardKind.APPEAL,
        document_kind="Обращение",
        summary="О связи",
        applicants=(Applicant(PersonName("Дмитриев", "Олег")),),
        received_on=pendulum.Date(2026, 3, 2),
    )

    def cards() -> None:
        for _ in range(count):
            plain_service.records.register(
                plain_clerk, RegistrationRequest(plain_journal.id, details)
            )

    t_appeals = _best(appeals, repeat=3) / count
    t_cards = _best(cards, repeat=3) / count
    print(
        f"registration: appeal {t_appeals * 1e6:.0f} µs, plain card {t_cards * 1e6:.0f} µs, "
        f"ratio {t_appeals / t_cards:.2f}×"
    )


if __name__ == "__main__":
    main()
