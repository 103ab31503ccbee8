"""The envelope INI: Windows-1251, numbered sections with gaps, clear errors."""

from __future__ import annotations

import pytest

from edmscore.errors import MedoFormatError, MedoUnsafeInput
from edmscore.exchange.medo import Envelope, build_envelope, parse_envelope


def test_round_trip_in_windows_1251() -> None:
    envelope = Envelope(
        subject="О бюджете №5",
        addressees=("МЭДО:Администрация района",),
        files=("document.xml", "document.pdf", "document.pdf.p7s"),
        signed=True,
    )
    data = build_envelope(envelope)
    assert "[ПИСЬМО КП ПС СЗИ]".encode("cp1251") in data
    assert "ЭЦП=1".encode("cp1251") in data
    assert b"\r\n" in data
    assert parse_envelope(data) == envelope


def test_gaps_in_numbering_keep_numeric_order() -> None:
    text = (
        "[ПИСЬМО КП ПС СЗИ]\nТЕМА=x\nЭЦП=0\n[АДРЕСАТЫ]\n0=a\n[ФАЙЛЫ]\n10=c.pdf\n2=b.pdf\n0=a.xml\n"
    )
    envelope = parse_envelope(text.encode("cp1251"))
    assert envelope.files == ("a.xml", "b.pdf", "c.pdf")
    assert envelope.signed is False


def test_a_utf8_envelope_is_read_and_written_back_in_utf8() -> None:
    text = "[ПИСЬМО КП ПС СЗИ]\nТЕМА=Письмо\n[АДРЕСАТЫ]\n0=GOSD_S~MEDOGU\n[ФАЙЛЫ]\n0=документ.pdf\n"
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        envelope = parse_envelope(data, source="in/envelope.ini")
        assert envelope.subject == "Письмо"
        assert envelope.files == ("документ.pdf",)
        assert envelope.encoding == "utf-8"
        assert parse_envelope(build_envelope(envelope)) == envelope


def test_a_utf16_envelope_gets_a_clear_error() -> None:
    text = "[ПИСЬМО КП ПС СЗИ]\nТЕМА=Письмо\n"
    with pytest.raises(MedoFormatError, match="UTF-16") as caught:
        parse_envelope(b"\xff\xfe" + text.encode("utf-16-le"), source="in/envelope.ini")
    assert caught.value.file == "in/envelope.ini"


def test_a_windows_path_in_the_file_list_is_matched_by_its_base_name() -> None:
    text = (
        "[ПИСЬМО КП ПС СЗИ]\nТЕМА=x\n[ФАЙЛЫ]\n0=D:\\MailToMin\\Письмо 1\\document.xml\n"
        "1=..\\..\\boot.ini\n2=/var/spool/a.pdf\n[ТЕКСТ]\nФАЙЛ=C:\\out\\annotation.txt\n"
    )
    envelope = parse_envelope(text.encode("cp1251"))
    assert envelope.files == ("document.xml", "boot.ini", "a.pdf")
    assert envelope.text_file == "annotation.txt"


@pytest.mark.parametrize(
    "entry", ["C:\\x\\..", "D:\\a\\", "D:\\a\\CON", "a\\b\\c:d.pdf", "D:\\a\\x.pdf."]
)
def test_the_base_name_of_a_path_passes_the_same_checks(entry: str) -> None:
    text = f"[ПИСЬМО КП ПС СЗИ]\nТЕМА=x\n[ФАЙЛЫ]\n0={entry}\n"
    with pytest.raises(MedoUnsafeInput) as caught:
        parse_envelope(text.encode("cp1251"))
    assert caught.value.element == "[ФАЙЛЫ]"


def test_the_text_section_is_written_and_read() -> None:
    envelope = Envelope(
        subject="x", addressees=("A~B",), files=("document.xml",), text_file="annotation.txt"
    )
    data = build_envelope(envelope)
    assert "[ТЕКСТ]\r\nФАЙЛ=annotation.txt".encode("cp1251") in data
    assert parse_envelope(data) == envelope


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[АДРЕСАТЫ]\n0=a\n", "[ПИСЬМО КП ПС СЗИ]"),
        ("ТЕМА=x\n", "line 1"),
        ("[ПИСЬМО КП ПС СЗИ]\nЭЦП=да\n", "[ПИСЬМО КП ПС СЗИ]/ЭЦП"),
        ("[ПИСЬМО КП ПС СЗИ]\n[ФАЙЛЫ]\nx=a.pdf\n", "[ФАЙЛЫ]/X"),
        ("[ПИСЬМО КП ПС СЗИ]\n[ФАЙЛЫ]\n0=a\n0=b\n", "[ФАЙЛЫ]/0"),
        ("[ПИСЬМО КП ПС СЗИ]\nгарбидж\n", "line 2"),
    ],
)
def test_broken_envelopes_name_the_entry(text: str, where: str) -> None:
    with pytest.raises(MedoFormatError) as caught:
        parse_envelope(text.encode("cp1251"))
    assert caught.value.element == where


def test_a_subject_outside_windows_1251_cannot_be_written() -> None:
    with pytest.raises(MedoFormatError):
        build_envelope(Envelope(subject="emoji 🙂", addressees=(), files=()))
