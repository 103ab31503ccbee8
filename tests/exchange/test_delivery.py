"""Delivery control of sent MEDO letters, through real letters written and read back.

Organisation A sends one outgoing card to B and C over MEDO. Each recipient reads its letter
from disk with ``read_letter``, answers with a receipt built by ``build_receipt`` and a
notification built by its own ``ExchangeService`` (B registers, C first does not accept the
message, then refuses the second attempt); A reads every answer back from disk and feeds it to
its service. The records go sent → delivered → registered / failed → sent again → refused, on
the in-memory adapter and on SQLite; what waits too long is listed on the production calendar.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import attrs
import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Official, Organisation, PersonName, User
from edmscore.errors import DispatchStateError, NotFound, ValidationError
from edmscore.exchange.dispatch import DispatchState
from edmscore.exchange.medo import (
    Acknowledgment,
    DetachedSignature,
    Letter,
    Message,
    Partner,
    RefusalReason,
    build_receipt,
    read_letter,
    write_letter,
)
from edmscore.exchange.service import ExchangeService, Sent
from edmscore.records import AdminService, RecordsService, RegistrationRequest
from edmscore.registry import (
    AccessMark,
    CardDetails,
    CardKind,
    Correspondent,
    Journal,
    Signatory,
)
from edmscore.storage import MemoryStorage, Storage
from edmscore.storage.sql import SqlStorage, sqlite_engine

A = Organisation(
    "org-a", "Министерство цифрового развития", medo_id="6b3f4a2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
)
B = Organisation("org-b", "Министерство финансов", medo_id="{9C8B7A6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D}")
C = Organisation("org-c", "Администрация района", medo_id="0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")
TEXT = "%PDF-1.7\nО бюджете на 2027 год\n".encode()
#: Thursday 30 April 2026, before the May holidays (Moscow time).
SENT_AT = pendulum.datetime(2026, 4, 30, 10, 0, tz="Europe/Moscow")

Factory = Callable[[], MemoryStorage | SqlStorage]


@attrs.define
class Side:
    """One organisation: its storage, clock, clerk, a reader without ДСП clearance, journal."""

    storage: MemoryStorage | SqlStorage
    clock: FixedClock
    clerk: User
    reader: User
    journal: Journal
    exchange: ExchangeService


def _side(own: Organisation, kind: CardKind, storage: MemoryStorage | SqlStorage) -> Side:
    clock = FixedClock(SENT_AT)
    admin = User(new_id(), "admin", own.id, None, Clearance.DSP)
    with storage.unit_of_work() as uow:
        for organisation in (A, B, C):
            uow.directory.put_organisation(organisation)
        uow.directory.put_user(admin)
        uow.commit()
    setup = AdminService(storage, clock)
    official = Official(new_id(), own.id, PersonName.parse("Соколов Андрей Викторович"), "Министр")
    setup.put_official(admin, official)
    clerk = User(new_id(), "clerk", own.id, official.id, Clearance.DSP)
    reader = User(new_id(), "reader", own.id, None)
    setup.put_user(admin, clerk)
    setup.put_user(admin, reader)
    journal = Journal(new_id(), own.id, "Ж", "Журнал", "{seq}", {kind})
    setup.create_journal(admin, journal)
    return Side(storage, clock, clerk, reader, journal, ExchangeService(storage, clock=clock))


def _storages(tmp_path: Path) -> dict[str, Factory]:
    counter = iter(range(100))
    return {
        "memory": MemoryStorage,
        "sqlite": lambda: SqlStorage(
            sqlite_engine(tmp_path / f"s{next(counter)}.sqlite", durable=False)
        ),
    }


@pytest.fixture(params=["memory", "sqlite"])
def new_storage(request: pytest.FixtureRequest, tmp_path: Path) -> Factory:
    """A factory of empty storages of one kind."""
    return _storages(tmp_path)[request.param]


def _outgoing(a: Side, access: AccessMark = AccessMark.OPEN) -> str:
    records = RecordsService(a.storage, a.clock)
    details = CardDetails(
        kind=CardKind.OUTGOING,
        document_kind="Письмо",
        summary="О бюджете на 2027 год",
        addressees=(
            Correspondent(B.name, organisation_id=B.id),
            Correspondent(C.name, organisation_id=C.id),
        ),
        signatories=(Signatory("А.В. Соколов", "Министр"),),
        access=access,
    )
    card = records.register(a.clerk, RegistrationRequest(a.journal.id, details))
    card = records.attach_file(
        a.clerk, card.id, card.version, "letter.pdf", TEXT, "application/pdf"
    )
    return card.id


def _signature() -> DetachedSignature:
    return DetachedSignature(
        "letter.pdf", "letter.pdf.sig", b"0\x80detached", "Соколов А.В.", "Министр", SENT_AT
    )


def _post(sent: Sent, folder: Path) -> dict[str, Letter]:
    """Write every letter to its own folder and read it back, as the recipient gets it."""
    letters = {}
    for index, letter in enumerate(sent.letters):
        path = write_letter(
            folder / f"{sent.card.id}-{index}",
            letter.message,
            letter.files,
            addresses=("TEST~MEDOGU",),
        )
        letters[letter.destination.uid.strip("{}").lower()] = read_letter(path)
    return letters


def _back(message: Message, folder: Path) -> Message:
    """A reply written by the recipient and read back by the sender."""
    return read_letter(write_letter(folder, message, {}, addresses=("TEST~MEDOGU",))).message


def _partner(organisation: Organisation) -> Partner:
    assert organisation.medo_id is not None
    return Partner(uid=organisation.medo_id.strip("{}"), organization=organisation.name)


def _key(organisation: Organisation) -> str:
    assert organisation.medo_id is not None
    return organisation.medo_id.strip("{}").lower()


def test_sent_delivered_registered_and_failed_resent_refused(
    new_storage: Factory, tmp_path: Path
) -> None:
    a = _side(A, CardKind.OUTGOING, new_storage())
    b = _side(B, CardKind.INCOMING, MemoryStorage())
    c = _side(C, CardKind.INCOMING, MemoryStorage())
    card_id = _outgoing(a)
    sent = a.exchange.send(a.clerk, card_id, [_signature()])
    letters = _post(sent, tmp_path / "out")
    records = {d.recipient: d for d in a.exchange.dispatches(a.clerk, card_id)}
    assert set(records) == {_key(B), _key(C)}
    for letter in sent.letters:
        record = records[letter.destination.uid.strip("{}").lower()]
        assert record.state is DispatchState.SENT
        assert [(x.number, x.sent_at) for x in record.attempts] == [(1, SENT_AT)]
        assert record.last.message_uid == letter.message.header.uid
    assert records[_key(B)].recipient_id == B.id

    # B: a receipt for the letter, then the registration
    b.clock.set(SENT_AT.add(minutes=30))
    receipt = build_receipt(letters[_key(B)], source=_partner(B), time=b.clock.now(), accepted=True)
    a.clock.set(SENT_AT.add(minutes=40))
    delivered = a.exchange.receipt_received(a.clerk, _back(receipt, tmp_path / "rb"))
    assert delivered is not None and delivered.state is DispatchState.DELIVERED
    assert delivered.last.delivered_at == SENT_AT.add(minutes=30)
    b.clock.set(SENT_AT.add(hours=2))
    received = b.exchange.receive(b.clerk, letters[_key(B)], b.journal.id)
    link = a.exchange.reply_received(a.clerk, _back(received.notification, tmp_path / "nb"))
    assert link is not None and link.dispatch is not None
    registered = link.dispatch
    assert registered.state is DispatchState.REGISTERED
    assert registered.registration is not None
    assert registered.registration.number == received.card.registration.number
    assert registered.registration.date == received.card.registration.date

    # C: the message is not accepted; a second attempt goes to C only; C refuses it
    refusal = build_receipt(
        letters[_key(C)],
        source=_partner(C),
        time=SENT_AT.add(hours=1),
        accepted=False,
        comment="Файл повреждён",
    )
    failed = a.exchange.receipt_received(a.clerk, _back(refusal, tmp_path / "rc"))
    assert failed is not None and failed.state is DispatchState.FAILED
    assert failed.last.failure == "Файл повреждён"
    assert a.exchange.failed(a.clerk) == (failed,)  # awaiting a new attempt
    a.clock.set(SENT_AT.add(hours=3))
    again = a.exchange.send(a.clerk, card_id, [_signature()], attempt=2)
    assert a.exchange.failed(a.clerk) == ()  # sent again
    assert [x.destination.uid.strip("{}").lower() for x in again.letters] == [_key(C)]
    assert [x.strip("{}").lower() for x in again.already_delivered] == [_key(B)]
    second = _post(again, tmp_path / "again")[_key(C)]
    refused = c.exchange.refuse(c.clerk, second, RefusalReason.ADDRESSING_ERROR, comment="Не нам")
    link = a.exchange.reply_received(a.clerk, _back(refused, tmp_path / "nc"))
    assert link is not None and link.dispatch is not None
    assert link.dispatch.state is DispatchState.REFUSED
    assert link.dispatch.refusal is not None
    assert link.dispatch.refusal.reason is RefusalReason.ADDRESSING_ERROR
    assert [x.number for x in link.dispatch.attempts] == [1, 2]
    assert link.dispatch.attempts[0].failure == "Файл повреждён"

    # what the clerk sees, and what the audit kept
    final = {d.recipient: d.state for d in a.exchange.dispatches(a.clerk, card_id)}
    assert final == {_key(B): DispatchState.REGISTERED, _key(C): DispatchState.REFUSED}
    history = RecordsService(a.storage, a.clock).history(a.clerk, card_id)
    assert [e.action for e in history if e.action.startswith("medo.")] == [
        "medo.sent",
        "medo.receipt_received",
        "medo.notification_received",
        "medo.receipt_received",
        "medo.sent",
        "medo.notification_received",
    ]
    # the receipt's hash codes were checked against the card's file (the signature is no card
    # file); a receipt whose code does not match is reported as a mismatch, not raised
    (event,) = [e for e in history if e.action == "medo.receipt_received"][:1]
    codes = {c.field: c.after for c in event.changes}["hash_codes"]
    assert codes is not None and json.loads(codes) == {"letter.pdf": "match"}
    # a duplicate receipt changes nothing and is not audited again
    assert a.exchange.receipt_received(a.clerk, _back(receipt, tmp_path / "rb2")) == registered
    assert len(RecordsService(a.storage, a.clock).history(a.clerk, card_id)) == len(history)


def test_foreign_unknown_and_contradicting_answers(new_storage: Factory, tmp_path: Path) -> None:
    a = _side(A, CardKind.OUTGOING, new_storage())
    card_id = _outgoing(a)
    sent = a.exchange.send(a.clerk, card_id, [_signature()])
    letters = _post(sent, tmp_path / "out")
    letter = letters[_key(B)]
    # a receipt for the letter but sent by C (not its recipient): ignored
    wrong_source = build_receipt(letter, source=_partner(C), time=SENT_AT, accepted=True)
    assert a.exchange.receipt_received(a.clerk, wrong_source) is None
    # a receipt of a message nobody here sent: ignored
    stranger = attrs.evolve(
        letter,
        message=attrs.evolve(
            letter.message,
            header=attrs.evolve(letter.message.header, uid="11111111-2222-4333-8444-555555555555"),
        ),
    )
    unknown = build_receipt(stranger, source=_partner(B), time=SENT_AT, accepted=True)
    assert a.exchange.receipt_received(a.clerk, unknown) is None
    # anything but a receipt
    assert a.exchange.receipt_received(a.clerk, letter.message) is None
    # another organisation's user (stored in the same directory) sees nothing of A's records
    other = User(new_id(), "other", B.id, None, Clearance.DSP)
    with a.storage.unit_of_work() as uow:
        uow.directory.put_user(other)
        uow.commit()
    good = build_receipt(letter, source=_partner(B), time=SENT_AT, accepted=True)
    assert a.exchange.receipt_received(other, good) is None
    # the recipient acknowledges content other than what was sent: delivered, the mismatch kept
    assert isinstance(good.content, Acknowledgment) and good.content.hash_codes is not None
    wrong = tuple(
        attrs.evolve(item, code=hashlib.sha256(b"other").hexdigest())
        if item.name == "letter.pdf"
        else item
        for item in good.content.hash_codes.items
    )
    altered = attrs.evolve(
        good,
        content=attrs.evolve(
            good.content, hash_codes=attrs.evolve(good.content.hash_codes, items=wrong)
        ),
    )
    assert a.exchange.receipt_received(a.clerk, altered) is not None
    (event,) = [
        e
        for e in RecordsService(a.storage, a.clock).history(a.clerk, card_id)
        if e.action == "medo.receipt_received"
    ]
    codes = {c.field: c.after for c in event.changes}["hash_codes"]
    assert codes is not None and json.loads(codes) == {"letter.pdf": "mismatch"}
    # a refusal after the letter was delivered: refused, nothing stored
    bad = build_receipt(letter, source=_partner(B), time=SENT_AT, accepted=False)
    with pytest.raises(DispatchStateError):
        a.exchange.receipt_received(a.clerk, bad)
    states = {d.recipient: d.state for d in a.exchange.dispatches(a.clerk, card_id)}
    assert states == {_key(B): DispatchState.DELIVERED, _key(C): DispatchState.SENT}
    # sending the same attempt again builds the same messages and changes no record
    before = a.exchange.dispatches(a.clerk, card_id)
    a.exchange.send(a.clerk, card_id, [_signature()])
    assert a.exchange.dispatches(a.clerk, card_id) == before
    with pytest.raises(NotFound):  # hidden is missing
        a.exchange.dispatches(other, card_id)
    assert a.exchange.failed(other) == () and a.exchange.overdue(other) == ()


def test_overdue_counts_working_days_and_hides_dsp_cards(
    new_storage: Factory, tmp_path: Path
) -> None:
    a = _side(A, CardKind.OUTGOING, new_storage())
    with a.storage.unit_of_work() as uow:
        uow.directory.put_organisation(attrs.evolve(A, dsp_electronic=True))
        uow.commit()
    open_id, dsp_id = _outgoing(a), _outgoing(a, AccessMark.DSP)
    for card_id in (open_id, dsp_id):
        a.exchange.send(a.clerk, card_id, [_signature()])

    def overdue(day: pendulum.DateTime, user: User | None = None) -> list[tuple[str, str, object]]:
        a.clock.set(day)
        found = a.exchange.overdue(user or a.clerk, delivery_days=1, registration_days=3)
        return [(s.card.id, s.dispatch.recipient, s.due) for s in found]

    # Sent on Thursday 30 April; 1-4 May are days off, so the receipt is due on Monday 4 May
    monday = pendulum.datetime(2026, 5, 4, 18, 0, tz="Europe/Moscow")
    assert overdue(monday) == []
    tuesday = overdue(monday.add(days=1))
    may_4 = pendulum.Date(2026, 5, 4)
    assert sorted(tuesday) == sorted(
        (card, key, may_4) for card in (open_id, dsp_id) for key in (_key(B), _key(C))
    )
    # the reader without ДСП clearance sees only the open card's records
    assert {card for card, _, _ in overdue(monday.add(days=1), a.reader)} == {open_id}

    # B's receipt on Wednesday 6 May: registration due 3 working days later, Tuesday 12 May
    # (11 May is the day off for 9 May falling on a Saturday)
    letter = _post(a.exchange.send(a.clerk, open_id, [_signature()]), tmp_path / "o")[_key(B)]
    receipt = build_receipt(
        letter,
        source=_partner(B),
        time=pendulum.datetime(2026, 5, 6, 11, tz="Europe/Moscow"),
        accepted=True,
    )
    a.exchange.receipt_received(a.clerk, receipt)
    tuesday_12 = pendulum.datetime(2026, 5, 12, 17, tz="Europe/Moscow")
    assert (open_id, _key(B), pendulum.Date(2026, 5, 12)) not in overdue(tuesday_12)
    late = a.exchange.overdue(a.clerk, registration_days=3)
    assert all(s.dispatch.state is DispatchState.SENT for s in late)
    a.clock.set(tuesday_12.add(days=1))
    found = {(s.card.id, s.dispatch.recipient): s for s in a.exchange.overdue(a.clerk)}
    waiting = found[(open_id, _key(B))]
    assert waiting.dispatch.state is DispatchState.DELIVERED
    assert waiting.due == pendulum.Date(2026, 5, 12) and waiting.late == 1
    assert found[(open_id, _key(C))].late == 6  # due 4 May; 5-8 and 12-13 May, 11 May off
    with pytest.raises(ValidationError):
        a.exchange.overdue(a.clerk, delivery_days=-1)

    # C's system refuses both letters: both wait for a new attempt, the ДСП one seen only by
    # the cleared clerk
    for card_id in (open_id, dsp_id):
        letters = _post(a.exchange.send(a.clerk, card_id, [_signature()]), tmp_path / card_id)
        refusal = build_receipt(
            letters[_key(C)], source=_partner(C), time=a.clock.now(), accepted=False
        )
        assert a.exchange.receipt_received(a.clerk, refusal) is not None
    assert {d.card_id for d in a.exchange.failed(a.clerk)} == {open_id, dsp_id}
    assert {d.card_id for d in a.exchange.failed(a.reader)} == {open_id}


class _WithoutDispatches:
    """A unit of work of a storage that keeps no dispatch records (the capability is optional)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        if name == "dispatches":
            raise AttributeError(name)
        return getattr(self._inner, name)

    def __enter__(self) -> _WithoutDispatches:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._inner.__exit__(*exc)


class _PlainStorage:
    def __init__(self, inner: MemoryStorage) -> None:
        self._inner = inner

    def unit_of_work(self) -> Any:
        return _WithoutDispatches(self._inner.unit_of_work())


def test_a_storage_without_records_sends_as_before(tmp_path: Path) -> None:
    a = _side(A, CardKind.OUTGOING, MemoryStorage())
    assert isinstance(a.storage, MemoryStorage)
    card_id = _outgoing(a)
    plain = ExchangeService(cast(Storage, _PlainStorage(a.storage)), clock=a.clock)
    sent = plain.send(a.clerk, card_id, [_signature()])
    assert len(sent.letters) == 2 and sent.already_delivered == ()
    assert plain.dispatches(a.clerk, card_id) == ()
    assert plain.overdue(a.clerk) == ()
    letter = _post(sent, tmp_path / "out")[_key(B)]
    receipt = build_receipt(letter, source=_partner(B), time=SENT_AT, accepted=True)
    assert plain.receipt_received(a.clerk, receipt) is None
    with a.storage.unit_of_work() as uow:
        assert list(uow.dispatches.of_card(card_id)) == []


@pytest.mark.parametrize("version", ["2.7", "2.7.1"])
def test_container_letters_are_followed_like_2x_letters(
    new_storage: Factory, tmp_path: Path, version: str
) -> None:
    from edmscore.exchange.medo import (
        ContainerReference,
        StampImage,
        StampPosition,
        container_letter,
        registration_stamp_image,
    )
    from edmscore.pdf import RegistrationMark

    a = _side(A, CardKind.OUTGOING, new_storage())
    b = _side(B, CardKind.INCOMING, MemoryStorage())
    card_id = _outgoing(a)
    sent = a.exchange.send(a.clerk, card_id, [_signature()])
    stamp = registration_stamp_image(RegistrationMark("01-15/7", SENT_AT.date()))
    place = StampPosition(page=1, x=20, y=40, width=60, height=15)
    for_b = next(x for x in sent.letters if x.destination.same_participant(_partner(B)))
    wrapped = container_letter(
        for_b,
        registration=StampImage(stamp, place),
        signature_stamps=[StampImage(stamp, place)],
        version=version,
    )
    assert wrapped.message.header.uid == for_b.message.header.uid
    assert isinstance(wrapped.message.content, ContainerReference)
    letter = read_letter(
        write_letter(tmp_path / "out", wrapped.message, wrapped.files, addresses=("B~MEDOGU",))
    )
    assert letter.message.version == version

    # B: a receipt for the container letter, then the registration
    receipt = build_receipt(letter, source=_partner(B), time=SENT_AT.add(minutes=30), accepted=True)
    assert receipt.version == ("2.7.1" if version == "2.7.1" else "2.6")
    delivered = a.exchange.receipt_received(a.clerk, _back(receipt, tmp_path / "rb"))
    assert delivered is not None and delivered.state is DispatchState.DELIVERED
    b.clock.set(SENT_AT.add(hours=2))
    received = b.exchange.receive(b.clerk, letter, b.journal.id)
    assert received.card.details.sender_number == received.incoming.document.num.number  # type: ignore[union-attr]
    assert {"regStamp.png", "stamp.png", "letter.pdf", "letter.pdf.p7s"} <= {
        f.name for f in received.card.details.files
    }
    link = a.exchange.reply_received(a.clerk, _back(received.notification, tmp_path / "nb"))
    assert link is not None and link.card.id == card_id
    assert link.dispatch is not None and link.dispatch.state is DispatchState.REGISTERED
    assert link.dispatch.registration is not None
    assert link.dispatch.registration.number == received.card.registration.number
