"""Parsing real-shaped messages: namespaces not prefixes, whitespace rules, located errors."""

from __future__ import annotations

import pendulum
import pytest

from edmscore.errors import MedoFormatError, ValidationError
from edmscore.exchange.medo import (
    DocumentContent,
    MessageType,
    build_message,
    parse_message,
    schema_errors,
)

from .samples import DOCUMENT_XML, SENDER


def _cp1251(text: str) -> bytes:
    return text.encode("cp1251")


def test_parses_a_windows_1251_message_with_any_prefix() -> None:
    message = parse_message(_cp1251(DOCUMENT_XML), source="document.xml")
    assert message.version == "2.2"
    assert message.type is MessageType.DOCUMENT
    assert message.header.source.same_participant(SENDER)
    assert isinstance(message.content, DocumentContent)
    document = message.content.document
    assert document.num.number == "01-15/123"  # token whitespace collapsed
    assert document.num.date == pendulum.date(2024, 3, 1)
    assert document.is_restricted
    assert message.content.files[0].local_name == "document.pdf"
    # a time without an offset is read as Moscow time
    assert message.header.created == pendulum.datetime(2024, 3, 1, 7, 30, tz="UTC")
    assert schema_errors(_cp1251(DOCUMENT_XML)) == ()


def test_the_default_namespace_works_like_a_prefix() -> None:
    text = DOCUMENT_XML.replace("x:", "").replace("xmlns:x=", "xmlns=")
    assert parse_message(_cp1251(text)) == parse_message(_cp1251(DOCUMENT_XML))


def test_a_foreign_namespace_is_refused() -> None:
    text = DOCUMENT_XML.replace("http://www.infpres.com/IEDMS", "urn:other")
    with pytest.raises(MedoFormatError, match="not a MEDO communication"):
        parse_message(_cp1251(text), source="x.xml")


def test_a_number_over_31_characters_names_element_and_file() -> None:
    text = DOCUMENT_XML.replace("01-15/123", "1" * 32)
    with pytest.raises(MedoFormatError) as caught:
        parse_message(_cp1251(text), source="letter/document.xml")
    err = caught.value
    assert err.element == "communication/document/num/number"
    assert err.file == "letter/document.xml"
    assert "letter/document.xml" in str(err)
    assert isinstance(err, ValidationError)
    assert isinstance(err, ValueError)


def test_an_annotation_over_4000_characters_is_refused() -> None:
    text = DOCUMENT_XML.replace("О бюджете на 2024 год", "я" * 4001)
    with pytest.raises(MedoFormatError, match="annotation"):
        parse_message(_cp1251(text))


def test_a_group_outside_the_closed_list_is_refused() -> None:
    text = DOCUMENT_XML.replace("Текст документа", "Картинка")
    with pytest.raises(MedoFormatError) as caught:
        parse_message(_cp1251(text), source="d.xml")
    assert caught.value.element == "communication/files/file/group"


def test_a_bad_guid_is_refused() -> None:
    text = DOCUMENT_XML.replace("11111111-2222-3333-4444-555555555555", "not-a-guid")
    with pytest.raises(MedoFormatError, match="GUID"):
        parse_message(_cp1251(text))


def test_header_type_must_match_the_content() -> None:
    text = DOCUMENT_XML.replace('x:type="Документ"', 'x:type="Квитанция"')
    with pytest.raises(MedoFormatError, match="acknowledgment"):
        parse_message(_cp1251(text))


def test_missing_required_element_is_named() -> None:
    text = DOCUMENT_XML.replace("<x:pages>2</x:pages>", "")
    with pytest.raises(MedoFormatError) as caught:
        parse_message(_cp1251(text))
    assert caught.value.element == "communication/document/pages"


def test_a_2_7_1_message_must_be_utf8() -> None:
    text = DOCUMENT_XML.replace('x:version="2.2"', 'x:version="2.7.1"').replace(
        "http://www.infpres.com/IEDMS", "urn:IEDMS:MESSAGE"
    )
    with pytest.raises(MedoFormatError, match=r"2\.7\.1"):
        parse_message(_cp1251(text))
    utf8 = text.replace("windows-1251", "UTF-8").encode()
    assert parse_message(utf8).version == "2.7.1"


def test_a_2_7_1_message_is_written_in_its_own_namespace() -> None:
    message = parse_message(_cp1251(DOCUMENT_XML))
    from attrs import evolve

    data = build_message(evolve(message, version="2.7.1"))
    assert b"urn:IEDMS:MESSAGE" in data
    assert parse_message(data).version == "2.7.1"
    with pytest.raises(MedoFormatError):
        build_message(evolve(message, version="2.7.1"), encoding="windows-1251")


def test_schema_errors_are_reported_not_raised() -> None:
    text = DOCUMENT_XML.replace("<x:kind>Письмо</x:kind>", "<x:unknown>1</x:unknown>")
    problems = schema_errors(_cp1251(text))
    assert problems
    assert any("unknown" in p for p in problems)


def test_a_2_2_message_is_built_only_with_what_2_2_can_carry() -> None:
    from attrs import evolve

    from .samples import document_message

    sample = document_message(signed=False)
    assert isinstance(sample.content, DocumentContent)
    document = sample.content.document
    no_uid = tuple(evolve(a, uid=None) for a in document.addressees)  # 2.2 has no addressee/@uid
    content = evolve(sample.content, document=evolve(document, addressees=no_uid))
    plain = evolve(sample, version="2.2", content=content)
    data = build_message(plain, encoding="windows-1251")
    assert schema_errors(data) == ()  # checked against the 2.2 schema
    assert parse_message(data) == plain
    with pytest.raises(MedoFormatError, match=r"2\.2 message cannot carry"):
        build_message(evolve(document_message(signed=True), version="2.2"))


def test_characters_windows_1251_lacks_survive_as_references() -> None:
    # libxml2's own Windows-1251 encoder silently drops the Unicode tag characters
    from attrs import evolve

    from edmscore.exchange.medo import DocumentNumber

    from .samples import document_message

    sample = document_message()
    assert isinstance(sample.content, DocumentContent)
    document = evolve(
        sample.content.document,
        num=DocumentNumber("№ 5\U000e0020😀"),
        annotation="Ωmega € «ёлка»",
    )
    message = evolve(sample, content=evolve(sample.content, document=document))
    data = build_message(message, encoding="windows-1251")
    assert b"&#917536;" in data
    assert "«ёлка»".encode("cp1251") in data
    assert parse_message(data) == message
