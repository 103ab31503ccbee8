"""The description (metadata) of an electronic transfer package and its XML form.

The XML follows the schema shipped in ``edmscore/archive/data/transfer-package-1.xsd``
(namespace :data:`PACKAGE_NS`). :func:`metadata_xml` writes it; :func:`parse_metadata` reads it
back with entities, DTDs and the network off, validated against the schema, into the same
:class:`PackageMetadata`.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import attrs
import pendulum
from lxml import etree

from edmscore.errors import TransferPackageError

__all__ = [
    "PACKAGE_NS",
    "SCHEMA_NAME",
    "CaseEntry",
    "DocumentEntry",
    "FileEntry",
    "PackageMetadata",
    "SignatureEntry",
    "metadata_xml",
    "parse_metadata",
    "schema_bytes",
]

PACKAGE_NS = "urn:edmscore:archive:transfer-package:1"
SCHEMA_NAME = "transfer-package-1.xsd"
_N = f"{{{PACKAGE_NS}}}"


@attrs.frozen
class FileEntry:
    """A file of the package: path, SHA-256, size, media type, name as registered, format."""

    path: str
    sha256: str
    size: int
    media_type: str
    name: str = ""
    format: str = ""


@attrs.frozen
class SignatureEntry:
    """A detached signature file: what it signs, who, the CAdES level, the verdict at packing."""

    file: FileEntry
    signs: str
    signer: str
    certificate_serial: str
    level: str
    status: str
    signing_time: pendulum.DateTime | None = None


@attrs.frozen
class DocumentEntry:
    """A document of the case: registration data, the files and the signatures."""

    sequence: int
    card_id: str
    registration_number: str
    registration_date: pendulum.Date
    kind: str
    title: str
    author: str
    pages: int
    original: FileEntry
    archival: FileEntry
    signatures: tuple[SignatureEntry, ...] = ()


@attrs.frozen
class CaseEntry:
    """The case's archival description: index, title, dates, sheets, inventory, act."""

    case_id: str
    index: str
    title: str
    year: int
    retention: str
    sheets: int
    volumes: int
    start: pendulum.Date | None = None
    end: pendulum.Date | None = None
    inventory: str = ""
    inventory_number: str = ""
    transfer_act: str = ""


@attrs.frozen
class PackageMetadata:
    """What a package's ``metadata.xml`` says."""

    package_id: str
    created: pendulum.DateTime
    organisation: str
    organisation_id: str
    case: CaseEntry
    documents: tuple[DocumentEntry, ...] = ()
    fund: str = ""

    def files(self) -> tuple[FileEntry, ...]:
        """Every file the metadata names (originals, renditions, signatures), once each."""
        found: dict[str, FileEntry] = {}
        for document in self.documents:
            for entry in (
                document.original,
                document.archival,
                *(s.file for s in document.signatures),
            ):
                found.setdefault(entry.path, entry)
        return tuple(found.values())


def schema_bytes() -> bytes:
    """The XSD of the metadata file, as shipped."""
    return resources.files("edmscore.archive").joinpath("data").joinpath(SCHEMA_NAME).read_bytes()


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=True,
    )


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(schema_bytes(), _parser()))


def _time(value: pendulum.DateTime) -> str:
    return value.in_tz("UTC").isoformat().replace("+00:00", "Z")


def _file(parent: etree._Element, tag: str, entry: FileEntry) -> etree._Element:
    element = etree.SubElement(parent, _N + tag)
    element.set("path", entry.path)
    element.set("sha256", entry.sha256)
    element.set("size", str(entry.size))
    element.set("mediaType", entry.media_type)
    if entry.name:
        element.set("name", entry.name)
    if entry.format:
        element.set("format", entry.format)
    return element


def _text(parent: etree._Element, tag: str, value: str) -> None:
    etree.SubElement(parent, _N + tag).text = value


def metadata_xml(metadata: PackageMetadata) -> bytes:
    """The metadata as the schema's XML (UTF-8, with declaration), valid against the XSD."""
    root = etree.Element(_N + "package", nsmap={None: PACKAGE_NS})  # type: ignore[dict-item]
    root.set("version", "1")
    root.set("id", metadata.package_id)
    root.set("created", _time(metadata.created))
    organisation = etree.SubElement(root, _N + "organisation")
    organisation.set("id", metadata.organisation_id)
    if metadata.fund:
        organisation.set("fund", metadata.fund)
    organisation.text = metadata.organisation
    c = metadata.case
    case = etree.SubElement(root, _N + "case")
    case.set("id", c.case_id)
    case.set("index", c.index)
    case.set("year", f"{c.year:04d}")
    if c.start is not None:
        case.set("startDate", c.start.isoformat())
    if c.end is not None:
        case.set("endDate", c.end.isoformat())
    case.set("sheets", str(c.sheets))
    case.set("volumes", str(c.volumes))
    for attribute, value in (
        ("inventory", c.inventory),
        ("inventoryNumber", c.inventory_number),
        ("transferAct", c.transfer_act),
    ):
        if value:
            case.set(attribute, value)
    _text(case, "title", c.title)
    _text(case, "retention", c.retention)
    for d in metadata.documents:
        document = etree.SubElement(root, _N + "document")
        document.set("sequence", str(d.sequence))
        document.set("cardId", d.card_id)
        document.set("registrationNumber", d.registration_number)
        document.set("registrationDate", d.registration_date.isoformat())
        document.set("pages", str(d.pages))
        _text(document, "kind", d.kind)
        _text(document, "title", d.title)
        _text(document, "author", d.author)
        _file(document, "original", d.original)
        _file(document, "archival", d.archival)
        for s in d.signatures:
            signature = _file(document, "signature", s.file)
            signature.set("signs", s.signs)
            signature.set("signer", s.signer)
            signature.set("certificateSerial", s.certificate_serial)
            signature.set("level", s.level)
            if s.signing_time is not None:
                signature.set("signingTime", _time(s.signing_time))
            signature.set("status", s.status)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _file_of(element: etree._Element) -> FileEntry:
    return FileEntry(
        element.get("path", ""),
        element.get("sha256", ""),
        int(element.get("size", "0")),
        element.get("mediaType", ""),
        element.get("name", ""),
        element.get("format", ""),
    )


def _child_text(element: etree._Element, tag: str) -> str:
    found = element.find(_N + tag)
    return "" if found is None or found.text is None else found.text


def _date(value: str | None) -> pendulum.Date | None:
    return None if value is None else pendulum.Date.fromisoformat(value)


def _datetime(value: str | None) -> pendulum.DateTime | None:
    if value is None:
        return None
    parsed = pendulum.parse(value)
    if not isinstance(parsed, pendulum.DateTime):
        raise ValueError(f"not a date and time: {value}")
    return parsed.in_tz("UTC")


def schema_errors(data: bytes) -> tuple[list[str], etree._Element | None]:
    """The schema's complaints about ``data`` (empty when valid) and the parsed root."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"], None
    schema = _schema()
    if schema.validate(root):
        return [], root
    log: Any = schema.error_log
    return [f"line {e.line}: {e.message}" for e in log], root


def parse_metadata(data: bytes) -> PackageMetadata:
    """Read ``metadata.xml``; :class:`~edmscore.errors.TransferPackageError` when it is not
    well-formed or not valid against the schema."""
    errors, root = schema_errors(data)
    if errors or root is None:
        raise TransferPackageError("metadata.xml is not valid: " + "; ".join(errors[:5]))
    try:
        organisation = root.find(_N + "organisation")
        case = root.find(_N + "case")
        assert organisation is not None and case is not None  # the schema requires them
        documents = []
        for d in root.findall(_N + "document"):
            original, archival = d.find(_N + "original"), d.find(_N + "archival")
            assert original is not None and archival is not None
            signatures = tuple(
                SignatureEntry(
                    _file_of(s),
                    s.get("signs", ""),
                    s.get("signer", ""),
                    s.get("certificateSerial", ""),
                    s.get("level", ""),
                    s.get("status", ""),
                    _datetime(s.get("signingTime")),
                )
                for s in d.findall(_N + "signature")
            )
            registered = _date(d.get("registrationDate"))
            assert registered is not None
            documents.append(
                DocumentEntry(
                    int(d.get("sequence", "0")),
                    d.get("cardId", ""),
                    d.get("registrationNumber", ""),
                    registered,
                    _child_text(d, "kind"),
                    _child_text(d, "title"),
                    _child_text(d, "author"),
                    int(d.get("pages", "0")),
                    _file_of(original),
                    _file_of(archival),
                    signatures,
                )
            )
        created = _datetime(root.get("created"))
        assert created is not None
        return PackageMetadata(
            root.get("id", ""),
            created,
            organisation.text or "",
            organisation.get("id", ""),
            CaseEntry(
                case.get("id", ""),
                case.get("index", ""),
                _child_text(case, "title"),
                int(case.get("year", "0")),
                _child_text(case, "retention"),
                int(case.get("sheets", "0")),
                int(case.get("volumes", "1")),
                _date(case.get("startDate")),
                _date(case.get("endDate")),
                case.get("inventory", ""),
                case.get("inventoryNumber", ""),
                case.get("transferAct", ""),
            ),
            tuple(documents),
            organisation.get("fund", ""),
        )
    except (ValueError, TypeError) as exc:
        raise TransferPackageError(f"metadata.xml cannot be read: {exc}") from exc
