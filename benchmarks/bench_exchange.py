"""Receive MEDO letters as registered cards, against the MEDO work alone.

``ExchangeService.receive`` reads nothing twice: it maps the letter (``incoming_draft``: schema
check, signature check with edmscore's CMS verifier over GOST R 34.10-2012), stores every file
and the message in the blob store, registers the card (number allocation, checks, audit) and
builds the notification, in one unit of work. The raw limit is the MEDO work alone:
``read_letter`` + ``incoming_draft`` with the same verifier. The ratio is the price of the
registry around it. Goal: ratio ≤ 1.5.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import pendulum

from edmscore._ids import new_id
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Official, Organisation, PersonName, User
from edmscore.exchange.medo import (
    CmsVerifier,
    DetachedSignature,
    incoming_draft,
    read_letter,
    write_letter,
)
from edmscore.exchange.service import ExchangeService
from edmscore.records import AdminService, RecordsService, RegistrationRequest
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal, Signatory
from edmscore.signatures import SubjectFields
from edmscore.storage import MemoryStorage
from edmscore.testing.pki import TestPki

NOW = pendulum.now("UTC")
A = Organisation(new_id(), "Министерство А", medo_id="6b3f4a2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
B = Organisation(new_id(), "Министерство Б", medo_id="9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
TEXT = b"%PDF-1.7\n" + bytes(range(256)) * 4096  # 1 MiB


def _side(own: Organisation, kind: CardKind) -> tuple[MemoryStorage, User, Journal]:
    storage = MemoryStorage()
    admin = User(new_id(), "admin", own.id, None, Clearance.DSP)
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(A)
        uow.directory.put_organisation(B)
        uow.directory.put_user(admin)
        uow.commit()
    setup = AdminService(storage, FixedClock(NOW))
    official = Official(new_id(), own.id, PersonName.parse("Соколов Андрей Викторович"), "Министр")
    setup.put_official(admin, official)
    user = User(new_id(), "clerk", own.id, official.id)
    setup.put_user(admin, user)
    journal = Journal(new_id(), own.id, "Ж", "Журнал", "{seq}", {kind})
    setup.create_journal(admin, journal)
    return storage, user, journal


def _letter(folder: Path, pki: TestPki) -> None:
    storage, user, journal = _side(A, CardKind.OUTGOING)
    records = RecordsService(storage, FixedClock(NOW))
    details = CardDetails(
        kind=CardKind.OUTGOING,
        document_kind="Письмо",
        summary="О бюджете",
        addressees=(Correspondent(B.name, organisation_id=B.id),),
        signatories=(Signatory("А.В. Соколов", "Министр"),),
    )
    card = records.register(user, RegistrationRequest(journal.id, details))
    card = records.attach_file(user, card.id, card.version, "letter.pdf", TEXT, "application/pdf")
    signer = pki.issue(SubjectFields(surname="Соколов", given_name="Андрей Викторович"))
    signature = DetachedSignature(
        "letter.pdf", "letter.pdf.p7s", pki.sign(TEXT, signer), "Соколов А.В.", "Министр", NOW
    )
    sent = ExchangeService(storage, clock=FixedClock(NOW)).send(user, card.id, [signature])
    (letter,) = sent.letters
    write_letter(folder, letter.message, letter.files, addresses=("DISTRICT~MEDOGU",))


def main(rounds: int = 20) -> None:
    """Print letters per second of both and the ratio."""
    pki = TestPki.create("gost256")
    verifier = CmsVerifier(trust_anchors=[pki.root.certificate])
    storage, clerk, journal = _side(B, CardKind.INCOMING)
    exchange = ExchangeService(storage, verifier=verifier, clock=FixedClock(NOW))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "letter"
        _letter(folder, pki)
        raw_times, ours_times = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            draft = incoming_draft(
                read_letter(folder),
                directory=_Directory(),
                received_on=NOW.date(),
                verifier=verifier,
            )
            raw_times.append(time.perf_counter() - start)
            assert draft.signatures[0].status.value == "valid"
            start = time.perf_counter()
            received = exchange.receive(clerk, read_letter(folder), journal.id)
            ours_times.append(time.perf_counter() - start)
            assert received.incoming.signatures[0].status.value == "valid"
    raw, ours = statistics.median(raw_times), statistics.median(ours_times)
    print(f"MEDO alone (read_letter + incoming_draft): {1 / raw:8.1f} letters/s")
    print(f"ExchangeService.receive (+ blobs, card):   {1 / ours:8.1f} letters/s")
    print(f"ratio: {ours / raw:.2f} (goal ≤ 1.5)")


class _Directory:
    def organisation_by_medo_id(self, medo_id: str) -> Organisation | None:
        return A if medo_id.lower() == (A.medo_id or "").lower() else None


if __name__ == "__main__":
    main()
