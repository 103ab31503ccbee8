"""What real senders emit and real receivers need: broken zips, old dates, validation outcomes,
replies with ``foundation``, 2.2 replies without ``@mid``."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pendulum
import pytest

from edmscore.errors import MedoFileExists, MedoFormatError
from edmscore.exchange.medo import (
    DocumentAccepted,
    DocumentContent,
    Message,
    Notification,
    Partner,
    RefusalReason,
    SchemaStatus,
    build_message,
    check_schema,
    notify_refused,
    notify_registered,
    parse_message,
    read_container,
)
from edmscore.exchange.medo._values import format_datetime, parse_datetime

from .samples import SENDER, document_message
from .test_container import FILES, PASSPORT, build_container

RECEIVER = Partner(uid="c1b2c3d4-0000-1111-2222-333344445555", organization="Район")
NOW = pendulum.datetime(2024, 3, 5, 9, 0, tz="Europe/Moscow")


# --- zip containers: every failure of the archive is a typed error ---------------------------


def _zip(name: str, data: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


def _patch_method(data: bytes, method: int) -> bytes:
    """Set the compression method of the (only) member in both of its headers."""
    raw = bytearray(data)
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<H", raw, local + 8, method)
    struct.pack_into("<H", raw, central + 10, method)
    return bytes(raw)


def _patch_flags(data: bytes, flags: int) -> bytes:
    raw = bytearray(data)
    struct.pack_into("<H", raw, raw.find(b"PK\x03\x04") + 6, flags)
    struct.pack_into("<H", raw, raw.find(b"PK\x01\x02") + 8, flags)
    return bytes(raw)


def _broken_archives() -> dict[str, bytes]:
    good = _zip("passport.xml", b"<x/>" * 100)
    deflated = bytearray(good)
    start = deflated.find(b"PK\x03\x04") + 30 + len("passport.xml")
    deflated[start : start + 4] = b"\xff\xff\xff\xff"  # a corrupt deflate stream
    return {
        "not a zip": b"PK\x03\x04 nothing more",
        "strong encryption / unknown method": _patch_method(good, 99),
        "bzip2": _zip("passport.xml", b"<x/>" * 100, zipfile.ZIP_BZIP2),
        "lzma": _zip("passport.xml", b"<x/>" * 100, zipfile.ZIP_LZMA),
        "encrypted member": _patch_flags(good, 0x1),
        "corrupt deflate": bytes(deflated),
        "empty member name": _zip("", b"x"),
        "truncated": good[: len(good) // 2],
    }


@pytest.mark.parametrize("case", sorted(_broken_archives()))
def test_a_broken_archive_is_a_typed_error(case: str) -> None:
    with pytest.raises(MedoFormatError) as caught:
        read_container(_broken_archives()[case], source="in.zip")
    assert caught.value.file == "in.zip"


def test_a_corrupt_member_found_while_reading_is_a_typed_error() -> None:
    data = bytearray(build_container(PASSPORT, FILES))
    pdf = data.find(b"PK\x03\x04", data.find(b"document.pdf") - 40)
    data[pdf + 60 : pdf + 90] = b"\x00" * 30
    with pytest.raises(MedoFormatError):
        read_container(bytes(data), source="in.zip")
    assert zlib  # the failure above is zlib's, translated


def test_extracting_over_an_existing_file_is_a_typed_error(tmp_path: Path) -> None:
    container = read_container(build_container(PASSPORT, FILES))
    (tmp_path / "document.pdf").write_bytes(b"mine")
    with pytest.raises(MedoFileExists) as caught:
        container.extract(tmp_path)
    assert isinstance(caught.value, FileExistsError)
    assert caught.value.element == "document.pdf"
    assert (tmp_path / "document.pdf").read_bytes() == b"mine"


# --- dates: local mean time never written as an offset ----------------------------------------


@pytest.mark.parametrize(
    "text", ["1900-01-01T00:00:00", "1917-11-07T10:00:00.5", "1800-06-01T12:00:00"]
)
def test_old_dates_round_trip_as_they_were(text: str) -> None:
    value = parse_datetime(text, "Europe/Moscow")
    written = format_datetime(value)
    assert written.startswith(text[:19])
    assert "+02:30" not in written
    assert parse_datetime(written, "Europe/Moscow") == value


def test_an_old_created_date_makes_a_schema_valid_message() -> None:
    message = document_message()
    old = pendulum.instance(
        parse_datetime("1900-01-01T00:00:00", "Europe/Moscow"), tz="Europe/Moscow"
    )
    data = build_message(
        Message(
            header=message.header.__class__(
                source=message.header.source, uid=message.header.uid, created=old
            ),
            content=message.content,
            version="2.6",
        )
    )
    assert b"1900-01-01T00:00:00" in data
    assert check_schema(data).status is SchemaStatus.VALID


# --- validation says three things -------------------------------------------------------------


def test_validation_tells_valid_invalid_and_not_validated() -> None:
    valid = build_message(document_message())
    assert check_schema(valid).status is SchemaStatus.VALID
    invalid = valid.replace(b"<xdms:pages>", b"<xdms:pagez>").replace(
        b"</xdms:pages>", b"</xdms:pagez>"
    )
    result = check_schema(invalid)
    assert result.status is SchemaStatus.INVALID
    assert result.errors and "pagez" in result.errors[0]
    for version in (b"2.7", b"2.7.1", b"9.9", b"1.0", b"2.0"):
        other = valid.replace(b'version="2.6"', b'version="' + version + b'"')
        check = check_schema(other)
        assert check.status is SchemaStatus.NOT_VALIDATED, version
        assert not check.valid


# --- replies: foundation filled, @mid only where the schema has it ----------------------------


def test_a_reply_carries_the_senders_number_as_foundation() -> None:
    received = document_message()
    assert isinstance(received.content, DocumentContent)
    reply = notify_registered(
        received, source=RECEIVER, number="Вх-7", date=pendulum.date(2024, 3, 5), time=NOW
    )
    assert isinstance(reply.content, Notification)
    foundation = reply.content.event.foundation
    assert foundation is not None
    assert foundation.num == received.content.document.num
    data = build_message(reply)
    assert b"foundation" in data
    assert check_schema(data).status is SchemaStatus.VALID
    again = parse_message(data)
    assert isinstance(again.content, Notification)
    assert again.content.event.foundation == foundation


def test_a_22_sender_gets_a_reply_it_can_validate() -> None:
    received = parse_message(build_message(document_message()).replace(b'"2.6"', b'"2.2"'))
    assert received.version == "2.2"
    accepted = notify_registered(
        received, source=RECEIVER, number="Вх-7", date=pendulum.date(2024, 3, 5), time=NOW
    )
    refused = notify_refused(
        received, source=RECEIVER, reason=RefusalReason.ADDRESSING_ERROR, time=NOW
    )
    for reply in (accepted, refused):
        assert reply.version == "2.2"
        assert isinstance(reply.content, Notification)
        assert reply.content.message_uid is None
        data = build_message(reply)
        assert b"mid=" not in data
        check = check_schema(data)
        assert check.status is SchemaStatus.VALID, check.errors
    assert isinstance(accepted.content, Notification)
    assert isinstance(accepted.content.event, DocumentAccepted)
    assert SENDER.same_participant(accepted.destinations[0].partner)
