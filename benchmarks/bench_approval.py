"""Visas per second through ApprovalService, beside the raw limit of the bare state transition.

No Python library models approval sheets (SpiffWorkflow has no k-of-n and no business calendar),
so the comparison is with the raw limit: the pure transition (``_machine.give_visa``) applied to
the same draft held in a dict. edmscore adds the unit of work, access and deputy checks, the
optimistic version check, the undo log and the audit event with its field diff.

Second: the approval sheet PDF of the same route beside fpdf2 writing the same rows as plain
text lines in the same font (the drawing library's own limit), and beside the same page drawn
through fpdf2's ``table()`` API (how the sheet was drawn before it got its one-pass table).

Run: python benchmarks/bench_approval.py [PARTICIPANTS]
"""

from __future__ import annotations

import sys
import time

import pendulum
from fpdf import FPDF

from edmscore._ids import new_id
from edmscore.approval import (
    ApprovalService,
    CertificateKeyVerifier,
    Draft,
    DraftFile,
    DraftRequest,
    ParticipantSpec,
    StageMode,
    StageSpec,
    VisaDecision,
    render_approval_sheet,
)
from edmscore.approval import _machine as machine
from edmscore.approval._sheet_pdf import _render
from edmscore.calendar import russian_calendar
from edmscore.clock import FixedClock
from edmscore.directory import Official, Organisation, PersonName, User
from edmscore.pdf import font_path
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.storage import MemoryStorage
from edmscore.testing import RawSigner


def _setup(n: int) -> tuple[ApprovalService, Draft, list[User], User]:
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, tz="Asia/Yakutsk"))
    storage = MemoryStorage()
    org = Organisation(new_id(), "Министерство", timezone="Asia/Yakutsk")
    officials = [
        Official(
            new_id(), org.id, PersonName("Участников", f"Имя{i}", "Отчество"), f"Должность {i}"
        )
        for i in range(n + 2)
    ]
    users = [User(new_id(), f"u{i}", org.id, o.id) for i, o in enumerate(officials)]
    journal = Journal(new_id(), org.id, "ПР", "Проекты", "П-{seq}", {CardKind.DRAFT})
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(org)
        for official in officials:
            uow.directory.put_official(official)
        for user in users:
            uow.directory.put_user(user)
        uow.journals.add(journal)
        uow.commit()
    signer = RawSigner("Подписант")
    service = ApprovalService(
        storage, russian_calendar(), CertificateKeyVerifier([signer.certificate]), clock
    )
    author, signatory, participants = users[0], officials[1], users[2:]
    draft = service.create_draft(
        author,
        DraftRequest(
            journal.id,
            CardDetails(
                kind=CardKind.DRAFT,
                document_kind="Письмо",
                summary="Тест",
                addressees=(Correspondent("Адресат"),),
            ),
            CardKind.OUTGOING,
            signatory.id,
            (DraftFile("d.pdf", b"%PDF-1.7 x"),),
        ),
    )
    stage = StageSpec(
        "Все", tuple(ParticipantSpec(o.id) for o in officials[2:]), StageMode.PARALLEL
    )
    draft = service.start_approval(author, draft.id, draft.version, [stage])
    return service, draft, participants, author


def bench_service(n: int) -> tuple[float, ApprovalService, Draft, User]:
    service, draft, participants, author = _setup(n)
    start = time.perf_counter()
    for user in participants:
        draft = service.give_visa(user, draft.id, draft.version, VisaDecision.AGREED)
    elapsed = time.perf_counter() - start
    assert draft.cycles[0].outcome.value == "awaiting_signature"
    return n / elapsed, service, draft, author


def bench_raw(n: int) -> float:
    _, draft, _, _ = _setup(n)
    store = {draft.id: draft}
    now = pendulum.datetime(2026, 3, 2, 10, tz="UTC")
    start = time.perf_counter()
    for i in range(n):
        store[draft.id] = machine.give_visa(store[draft.id], 0, i, VisaDecision.AGREED, now, "u")
    return n / (time.perf_counter() - start)


def raw_pdf(lines: list[str]) -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font("Sans", "", font_path())
    pdf.add_page()
    pdf.set_font("Sans", "", 8)
    for line in lines:
        pdf.cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    service_rate, service, draft, author = bench_service(n)
    raw_rate = bench_raw(n)
    print(f"visas, {n} participants of one parallel stage")
    print(f"  edmscore ApprovalService.give_visa : {service_rate:10.0f} visas/s")
    print(f"  raw limit (pure transition + dict) : {raw_rate:10.0f} visas/s")
    print(f"  ratio raw / edmscore               : {raw_rate / service_rate:10.1f}x")
    sheet = service.sheet(author, draft.id)
    rows = [
        f"{r.number} {r.participant} {r.position} {r.decision} {r.at}" for r in sheet.cycles[0].rows
    ]
    repeat = 5
    start = time.perf_counter()
    for _ in range(repeat):
        pdf = render_approval_sheet(sheet)
    ours = (time.perf_counter() - start) / repeat
    start = time.perf_counter()
    for _ in range(repeat):
        _render(sheet, fast=False)
    table = (time.perf_counter() - start) / repeat
    start = time.perf_counter()
    for _ in range(repeat):
        raw_pdf(rows)
    raw = (time.perf_counter() - start) / repeat
    print(f"approval sheet PDF, {len(rows)} rows ({len(pdf)} bytes)")
    print(f"  edmscore render_approval_sheet     : {ours * 1000:10.1f} ms")
    print(f"  same page through fpdf2 table()    : {table * 1000:10.1f} ms")
    print(f"  raw fpdf2 text lines, same font    : {raw * 1000:10.1f} ms")
    print(f"  ratio edmscore / raw               : {ours / raw:10.1f}x")
    print(f"  ratio table() / edmscore           : {table / ours:10.1f}x")


if __name__ == "__main__":
    main()
