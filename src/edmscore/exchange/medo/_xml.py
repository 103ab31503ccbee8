"""Hardened XML reading: declared encoding honoured, DTDs and entities refused, sizes bounded."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from edmscore.errors import MedoFormatError, MedoUnsafeInput
from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits

__all__ = ["detect_encoding", "parse_xml"]

_DECL = re.compile(rb"\A<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_UTF8 = {"utf-8", "utf8"}
_CP1251 = {"windows-1251", "cp1251"}
_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def detect_encoding(data: bytes, *, source: str) -> str:
    """Return ``"utf-8"`` or ``"windows-1251"`` for an XML document, failing closed.

    A UTF-8 BOM must agree with the declaration; other BOMs are refused; bytes that do not match
    the declared encoding are refused (a UTF-8 document labelled Windows-1251 is caught because
    Cyrillic in Windows-1251 is almost never valid UTF-8).
    """
    bom = data.startswith(_UTF8_BOM)
    if data.startswith(_OTHER_BOMS):
        raise MedoFormatError("encoding", "UTF-16 or UTF-32 is not allowed", file=source)
    body = data[3:] if bom else data
    match = _DECL.match(body)
    declared = match.group(1).decode("ascii").lower() if match else None
    if declared is None or declared in _UTF8:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MedoFormatError(
                "encoding",
                f"declared UTF-8 but byte {exc.start} is not UTF-8 (Windows-1251 undeclared?)",
                file=source,
            ) from None
        return "utf-8"
    if declared in _CP1251:
        if bom:
            raise MedoFormatError(
                "encoding", "a UTF-8 byte order mark on a Windows-1251 document", file=source
            )
        if not body.isascii():
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                raise MedoFormatError(
                    "encoding", "declared Windows-1251 but the bytes are UTF-8", file=source
                )
        try:
            body.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise MedoFormatError(
                "encoding", f"byte {exc.start} is not Windows-1251", file=source
            ) from None
        return "windows-1251"
    raise MedoFormatError("encoding", f"encoding {declared!r} is not allowed", file=source)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(
    data: bytes, *, source: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[etree._Element, str]:
    """Parse untrusted XML bytes; return the root element and the encoding it was written in."""
    if len(data) > limits.max_xml_bytes:
        raise MedoUnsafeInput(
            "document",
            f"{len(data)} bytes, more than the {limits.max_xml_bytes} allowed",
            file=source,
        )
    encoding = detect_encoding(data, source=source)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise MedoUnsafeInput("DOCTYPE", "a document type declaration is refused", file=source)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise MedoFormatError("document", f"not well-formed XML: {exc}", file=source) from None
    info: Any = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise MedoUnsafeInput("DOCTYPE", "a document type declaration is refused", file=source)
    for count, node in enumerate(root.iter(), start=1):
        if not isinstance(node.tag, str):
            raise MedoUnsafeInput("document", "entity references are refused", file=source)
        if count > limits.max_xml_elements:
            raise MedoUnsafeInput(
                "document", f"more than {limits.max_xml_elements} elements", file=source
            )
    return root, encoding
