"""Letters on disk: write, read, digests, missing and extra files, hostile names, receipts."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pendulum
import pytest
from attrs import evolve

from edmscore.errors import MedoFormatError, MedoUnsafeInput
from edmscore.exchange.medo import (
    DocumentContent,
    HashStatus,
    Limits,
    build_message,
    build_receipt,
    parse_message,
    read_letter,
    verify_hash_codes,
    write_letter,
)

from .samples import RECIPIENT, document_message

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40
SIG = b"0\x82signature"


def _letter(tmp_path: Path) -> Path:
    return write_letter(
        tmp_path / "out",
        document_message(),
        {"document.pdf": PDF, "document.pdf.p7s": SIG},
        addresses=("МЭДО:район",),
        subject="Письмо",
    )


def test_write_then_read(tmp_path: Path) -> None:
    folder = _letter(tmp_path)
    assert {p.name for p in folder.iterdir()} == {
        "document.xml",
        "document.pdf",
        "document.pdf.p7s",
        "envelope.ini",
    }
    letter = read_letter(folder)
    assert letter.message == document_message()
    assert letter.missing == ()
    assert letter.extra == ()
    assert letter.envelope is not None
    assert letter.envelope.signed
    assert letter.envelope.files[0] == "document.xml"
    pdf = letter.file("DOCUMENT.PDF")
    assert pdf is not None
    assert pdf.size == len(PDF)
    assert pdf.sha256 == hashlib.sha256(PDF).hexdigest()


def test_missing_and_extra_files_are_reported(tmp_path: Path) -> None:
    folder = _letter(tmp_path)
    (folder / "document.pdf.p7s").unlink()
    (folder / "stray.txt").write_bytes(b"x")
    letter = read_letter(folder)
    assert letter.missing == ("document.pdf.p7s",)
    assert letter.extra == ("stray.txt",)


@pytest.mark.parametrize(
    "name",
    [
        "../evil.pdf",
        "..\\evil.pdf",
        "/etc/passwd",
        "C:evil.pdf",
        "c:\\x.pdf",
        "CON",
        "nul.txt",
        "LPT1.pdf",
        "a.pdf.",
        " a.pdf",
        "..",
        "a*.pdf",
        "x?y.pdf",
        "con.pdf",
    ],
)
def test_hostile_local_names_are_refused(tmp_path: Path, name: str) -> None:
    folder = _letter(tmp_path)
    message = document_message()
    assert isinstance(message.content, DocumentContent)
    bad_file = evolve(message.content.files[0], local_name=name, signed_data=())
    bad = evolve(message, content=evolve(message.content, files=(bad_file,)))
    (folder / "document.xml").write_bytes(build_message(bad))
    with pytest.raises(MedoUnsafeInput) as caught:
        read_letter(folder)
    assert caught.value.element == "files/file/@localName"
    assert caught.value.file is not None
    assert caught.value.file.endswith("document.xml")


def test_a_file_listed_twice_is_refused(tmp_path: Path) -> None:
    folder = _letter(tmp_path)
    message = document_message(("document.pdf", "Document.PDF"), signed=False)
    (folder / "document.xml").write_bytes(build_message(message))
    with pytest.raises(MedoFormatError, match="twice"):
        read_letter(folder)


def test_a_symlink_in_the_letter_is_refused(tmp_path: Path) -> None:
    folder = _letter(tmp_path)
    os.symlink("/etc/passwd", folder / "passwd")
    with pytest.raises(MedoUnsafeInput, match="regular files"):
        read_letter(folder)


def test_too_many_files(tmp_path: Path) -> None:
    folder = _letter(tmp_path)
    with pytest.raises(MedoUnsafeInput, match="more than 3"):
        read_letter(folder, limits=Limits(max_members=3))


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    folder = _letter(tmp_path)
    with pytest.raises(MedoUnsafeInput, match="larger"):
        read_letter(folder, limits=Limits(max_file_bytes=len(PDF) - 1))


def test_writing_needs_every_referenced_file(tmp_path: Path) -> None:
    with pytest.raises(MedoFormatError, match=r"document\.pdf\.p7s"):
        write_letter(
            tmp_path / "x", document_message(), {"document.pdf": PDF}, addresses=("TEST~MEDOGU",)
        )


def test_receipt_hash_codes_verify_and_catch_tampering(tmp_path: Path) -> None:
    letter = read_letter(_letter(tmp_path))
    when = pendulum.datetime(2024, 3, 1, 12, tz="Europe/Moscow")
    receipt = build_receipt(letter, source=RECIPIENT, time=when, accepted=True)
    parsed = parse_message(build_message(receipt))
    assert parsed == receipt
    content = parsed.content
    from edmscore.exchange.medo import Acknowledgment

    assert isinstance(content, Acknowledgment)
    assert content.message_uid == letter.message.header.uid
    sent = {"document.pdf": PDF, "document.pdf.p7s": SIG}
    checks = verify_hash_codes(content, sent)
    assert [c.status for c in checks] == [HashStatus.MATCH, HashStatus.MATCH]
    tampered = verify_hash_codes(content, {"document.pdf": PDF + b"x"})
    assert {c.name: c.status for c in tampered} == {
        "document.pdf": HashStatus.MISMATCH,
        "document.pdf.p7s": HashStatus.MISSING_FILE,
    }


def test_a_receipt_without_an_algorithm_tries_the_code_length() -> None:
    from edmscore.exchange.medo import Acknowledgment, HashCode, HashCodes

    receipt = Acknowledgment(
        message_uid="3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        time=pendulum.datetime(2024, 3, 1, tz="UTC"),
        accepted=False,
        hash_codes=HashCodes(items=(HashCode("a.pdf", hashlib.sha512(PDF).hexdigest().upper()),)),
    )
    assert verify_hash_codes(receipt, {"A.PDF": PDF})[0].status is HashStatus.MATCH
    assert receipt.hash_codes is not None
    unknown = evolve(receipt, hash_codes=evolve(receipt.hash_codes, algorithm="md5-ish"))
    assert verify_hash_codes(unknown, {"a.pdf": PDF})[0].status is HashStatus.UNSUPPORTED_ALGORITHM
    assert receipt.accepted is False


def test_a_file_may_not_overwrite_the_message_or_envelope(tmp_path: Path) -> None:
    files = {"document.pdf": PDF, "document.pdf.p7s": SIG, "ENVELOPE.INI": b"x"}
    with pytest.raises(MedoFormatError, match="overwrite"):
        write_letter(tmp_path / "x", document_message(), files, addresses=("TEST~MEDOGU",))
