"""Every real message of ``tests/corpus/medo`` (see its PROVENANCE.md) through
read → card → reply → write → validate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pendulum
import pytest

from edmscore.directory import Organisation
from edmscore.errors import MedoFormatError
from edmscore.exchange.medo import (
    DocumentContent,
    DocumentPublished,
    Notification,
    Partner,
    RefusalReason,
    SchemaStatus,
    build_message,
    build_receipt,
    check_schema,
    foundation_key,
    incoming_draft,
    notify_refused,
    notify_registered,
    parse_message,
    read_letter,
    reply_target,
    write_letter,
)
from edmscore.registry import AccessMark

CORPUS = Path(__file__).parents[2] / "corpus" / "medo"
US = Partner(uid="7a1c0b2e-3d4f-4a5b-8c6d-9e0f1a2b3c4d", organization="Правительство края")
NOW = pendulum.datetime(2024, 3, 5, 9, 0, tz="Europe/Moscow")
ROSTEKHNADZOR = Organisation(
    "rtn",
    "Ростехнадзор",
    medo_id="c20565d9-db37-42f7-8982-fc01d5f2381f",
    medo_address="S_FSECO_S~MEDOGU",
)


class _Directory:
    def __init__(self, *known: Organisation) -> None:
        self.known = known

    def organisation_by_medo_id(self, medo_id: str) -> Organisation | None:
        return next((o for o in self.known if (o.medo_id or "").lower() == medo_id.lower()), None)


def test_the_corpus_is_documented() -> None:
    provenance = (CORPUS / "PROVENANCE.md").read_text("utf-8")
    files = [p for p in CORPUS.rglob("*") if p.is_file() and p.name != "PROVENANCE.md"]
    assert len(files) >= 6
    for path in files:
        assert path.name in provenance or path.parent.name in provenance, path


def _round_trip(reply_bytes: bytes, folder: Path, address: str) -> None:
    """write → read back → the same message; the written letter's description validates."""
    message = parse_message(reply_bytes)
    written = write_letter(folder, message, {}, addresses=(address,))
    again = read_letter(written)
    assert again.message == message
    assert again.envelope is not None and again.envelope.addressees == (address,)


def test_a_25_letter_with_windows_paths_in_its_envelope(tmp_path: Path) -> None:
    folder = tmp_path / "letter"
    shutil.copytree(CORPUS / "letter-2.5-rostekhnadzor", folder)
    # read: the envelope's Windows paths are matched by base name, nothing missing or extra
    letter = read_letter(folder)
    assert letter.message.version == "2.5"
    assert letter.envelope is not None
    assert letter.envelope.addressees == ("S_FSECO_S~MEDOGU",)
    assert letter.envelope.files == ("document.xml", "Пр-51-15 от 18.02.2015.PDF")
    assert (letter.missing, letter.extra) == ((), ())
    # card
    draft = incoming_draft(
        letter, directory=_Directory(ROSTEKHNADZOR), received_on=pendulum.date(2016, 6, 16)
    )
    details = draft.details
    assert details.sender_number == "Пр-51"
    assert details.sender_date == pendulum.date(2015, 2, 18)
    assert details.document_kind == "Приказ по основной деятельности"
    assert details.summary.startswith("Об утверждении Требований к содержанию правил")
    assert details.sheets == 1
    assert details.correspondents[0].organisation_id == "rtn"
    assert [f.name for f in details.files] == ["Пр-51-15 от 18.02.2015.PDF"]
    # «Не публиковать» is not a restriction mark edmscore knows: fail closed, flagged
    assert details.access is AccessMark.DSP and draft.classification_review_needed
    assert draft.validation is not None and draft.validation.status is SchemaStatus.VALID
    # reply: «Зарегистрирован» in 2.5 with the sender's number as foundation; and a refusal
    card_number, card_date = "Вх-1/16", pendulum.date(2016, 6, 16)
    accepted = notify_registered(
        letter.message, source=US, number=card_number, date=card_date, time=NOW
    )
    refused = notify_refused(
        letter.message, source=US, reason=RefusalReason.ADDRESSING_ERROR, time=NOW
    )
    for i, reply in enumerate((accepted, refused)):
        assert reply.version == "2.5"
        assert isinstance(reply.content, Notification)
        assert reply.content.document_uid == "85D220E8-356A-446B-A6CF-3892A177F797"
        assert reply.content.message_uid == "C1DE421E-1252-499B-AF7C-E395E3B000C3"
        foundation = reply.content.event.foundation
        assert foundation is not None and foundation.num.number == "Пр-51"
        data = build_message(reply, encoding="windows-1251")
        check = check_schema(data)
        assert check.status is SchemaStatus.VALID, check.errors
        # the sender's gateway finds its card through foundation
        assert reply_target(parse_message(data), {foundation_key(foundation.num): "card"}) == "card"
        _round_trip(data, tmp_path / f"reply-{i}", ROSTEKHNADZOR.medo_address or "")
    # receipt, with the file's hash
    receipt = build_receipt(letter, source=US, time=NOW, accepted=True)
    data = build_message(receipt)
    assert check_schema(data).status is SchemaStatus.VALID
    _round_trip(data, tmp_path / "receipt", "S_FSECO_S~MEDOGU")


def test_a_20_document_with_a_broken_uid_is_refused_clearly() -> None:
    data = (CORPUS / "document-2.0-many-addressees.xml").read_bytes()
    with pytest.raises(MedoFormatError) as caught:
        parse_message(data, source="document.xml")
    assert "document/@uid" in caught.value.element
    assert "GUID" in str(caught.value)
    assert check_schema(data).status is SchemaStatus.NOT_VALIDATED


def test_a_20_document_maps_like_22_once_its_uid_is_repaired(tmp_path: Path) -> None:
    data = (CORPUS / "document-2.0-many-addressees.xml").read_bytes()
    repaired = data.replace("C4ю1".encode("cp1251"), b"C401")
    assert repaired != data
    folder = tmp_path / "letter"
    folder.mkdir()
    (folder / "document.xml").write_bytes(repaired)
    letter = read_letter(folder)
    assert letter.message.version == "2.0"
    content = letter.message.content
    assert isinstance(content, DocumentContent)
    assert len(content.document.addressees) == 90
    draft = incoming_draft(letter, directory=_Directory(), received_on=pendulum.date(2016, 6, 20))
    assert draft.details.sender_number == content.document.num.number
    assert any("не проверен по схеме" in w for w in draft.warnings)
    assert any("файл отсутствует" in w for w in draft.warnings)  # the PDF was not published
    accepted = draft.refused(RefusalReason.ADDRESSING_ERROR, source=US, time=NOW)
    assert accepted.version == "2.2"  # 2.0 is never written: answered in the closest version
    assert isinstance(accepted.content, Notification)
    assert accepted.content.message_uid is None  # 2.2 has no @mid
    written = build_message(accepted)
    check = check_schema(written)
    assert check.status is SchemaStatus.VALID, check.errors
    _round_trip(written, tmp_path / "reply", "SENDER~MEDOGU")


def test_a_10_publication_notice_is_read_and_matched_through_foundation(tmp_path: Path) -> None:
    data = (CORPUS / "notification-1.0-published.xml").read_bytes()
    message = parse_message(data)
    assert message.version == "1.0"
    assert check_schema(data).status is SchemaStatus.NOT_VALIDATED
    content = message.content
    assert isinstance(content, Notification)
    event = content.event
    assert isinstance(event, DocumentPublished)
    assert event.foundation is not None
    assert event.foundation.num.number == "1431/пр"
    assert event.foundation.num.date == pendulum.date(2017, 10, 16)
    # matched to the outgoing card by document uid, and by foundation when the uid is not known
    assert reply_target(message, {content.document_uid.upper(): "by uid"}) == "by uid"
    key = foundation_key(event.foundation.num)
    assert reply_target(message, {key: "by number"}) == "by number"
    # a 1.0 message is read, never written: a clear error, not a 1.0 file
    with pytest.raises(MedoFormatError, match="never written"):
        build_message(message)
    # the receipt goes back in 2.2
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notification.xml").write_bytes(data)
    receipt = build_receipt(read_letter(folder), source=US, time=NOW, accepted=True)
    assert receipt.version == "2.2"
    written = build_message(receipt)
    assert check_schema(written).status is SchemaStatus.VALID
    _round_trip(written, tmp_path / "receipt", "MINJUST~MEDOGU")
