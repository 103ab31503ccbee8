"""Hostile XML: DTDs, entities, network, blow-ups, encodings and sizes."""

from __future__ import annotations

import pytest

from edmscore.errors import MedoFormatError, MedoUnsafeInput
from edmscore.exchange.medo import Limits, parse_message, schema_errors

from .samples import DOCUMENT_XML

_BODY = DOCUMENT_XML.split("?>", 1)[1]


def _with_doctype(doctype: str, body: str = _BODY) -> bytes:
    return ('<?xml version="1.0" encoding="windows-1251"?>' + doctype + body).encode("cp1251")


def test_xxe_reading_a_local_file_is_refused() -> None:
    data = _with_doctype(
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        _BODY.replace("О бюджете на 2024 год", "&xxe;"),
    )
    with pytest.raises(MedoUnsafeInput, match="document type"):
        parse_message(data, source="evil.xml")


def test_xxe_over_the_network_is_refused() -> None:
    data = _with_doctype(
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/evil">]>',
        _BODY.replace("О бюджете на 2024 год", "&xxe;"),
    )
    with pytest.raises(MedoUnsafeInput):
        parse_message(data)


def test_an_external_dtd_is_refused() -> None:
    with pytest.raises(MedoUnsafeInput):
        parse_message(_with_doctype('<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">'))


def test_billion_laughs_is_refused() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    data = _with_doctype(
        f"<!DOCTYPE x [{entities}]>", _BODY.replace("О бюджете на 2024 год", "&lol9;")
    )
    with pytest.raises(MedoUnsafeInput):
        parse_message(data)


def test_quadratic_blowup_is_refused() -> None:
    big = "a" * 50_000
    data = _with_doctype(
        f'<!DOCTYPE x [<!ENTITY a "{big}">]>',
        _BODY.replace("О бюджете на 2024 год", "&a;" * 1000),
    )
    with pytest.raises(MedoUnsafeInput):
        parse_message(data)


def test_an_undeclared_entity_is_a_format_error() -> None:
    data = _with_doctype("", _BODY.replace("О бюджете на 2024 год", "&foo;"))
    with pytest.raises(MedoFormatError, match="well-formed"):
        parse_message(data)


def test_schema_validation_also_refuses_a_dtd() -> None:
    with pytest.raises(MedoUnsafeInput):
        schema_errors(_with_doctype('<!DOCTYPE x [<!ENTITY a "b">]>'))


def test_size_limit() -> None:
    data = DOCUMENT_XML.encode("cp1251")
    with pytest.raises(MedoUnsafeInput, match="bytes"):
        parse_message(data, limits=Limits(max_xml_bytes=len(data) - 1))


def test_element_count_limit() -> None:
    with pytest.raises(MedoUnsafeInput, match="elements"):
        parse_message(DOCUMENT_XML.encode("cp1251"), limits=Limits(max_xml_elements=10))


def test_deep_nesting_is_refused_by_the_parser() -> None:
    deep = "<a>" * 5000 + "</a>" * 5000
    data = _with_doctype("", _BODY.replace("О бюджете на 2024 год", deep))
    with pytest.raises(MedoFormatError):
        parse_message(data)


def test_utf8_bytes_declared_windows_1251_are_refused() -> None:
    with pytest.raises(MedoFormatError, match="UTF-8") as caught:
        parse_message(DOCUMENT_XML.encode("utf-8"), source="document.xml")
    assert caught.value.element == "encoding"
    assert caught.value.file == "document.xml"


def test_windows_1251_bytes_declared_utf8_are_refused() -> None:
    text = DOCUMENT_XML.replace("windows-1251", "UTF-8")
    with pytest.raises(MedoFormatError, match="not UTF-8"):
        parse_message(text.encode("cp1251"))


def test_windows_1251_bytes_without_declaration_are_refused() -> None:
    text = DOCUMENT_XML.split("?>", 1)[1].lstrip()
    with pytest.raises(MedoFormatError, match="not UTF-8"):
        parse_message(text.encode("cp1251"))


def test_utf8_bom_is_accepted_with_a_utf8_declaration() -> None:
    text = DOCUMENT_XML.replace("windows-1251", "UTF-8")
    message = parse_message(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert message.version == "2.2"


def test_utf8_bom_with_a_windows_1251_declaration_is_refused() -> None:
    with pytest.raises(MedoFormatError, match="byte order mark"):
        parse_message(b"\xef\xbb\xbf" + DOCUMENT_XML.encode("cp1251"))


def test_utf16_is_refused() -> None:
    with pytest.raises(MedoFormatError, match="UTF-16"):
        parse_message(DOCUMENT_XML.replace("windows-1251", "UTF-16").encode("utf-16"))


def test_an_unknown_encoding_is_refused() -> None:
    text = DOCUMENT_XML.replace("windows-1251", "koi8-r")
    with pytest.raises(MedoFormatError, match="koi8-r"):
        parse_message(text.encode("koi8-r"))
