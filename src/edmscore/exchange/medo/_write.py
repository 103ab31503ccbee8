"""Write MEDO 2.x messages as XML that validates against the format's own schema."""

from __future__ import annotations

from typing import Any

from lxml import etree

from edmscore.errors import MedoFormatError
from edmscore.exchange.medo._document import (
    AttachedFile,
    Clause,
    Document,
    Enclosure,
    LinkedDocument,
    LinkedDocumentDetails,
)
from edmscore.exchange.medo._message import (
    IEDMS_NS,
    LEGACY_VERSIONS,
    MESSAGE_NS_271,
    ContainerReference,
    Destination,
    DocumentContent,
    Message,
)
from edmscore.exchange.medo._notice import (
    Acknowledgment,
    CourseChanged,
    DocumentAccepted,
    DocumentPublished,
    DocumentRefused,
    ExecutorAssigned,
    Notification,
    ReportPrepared,
    ReportSent,
)
from edmscore.exchange.medo._parties import (
    Addressee,
    AddresseeList,
    DocumentNumber,
    DocumentReference,
    Partner,
    Party,
    QualifiedValue,
    Signatory,
)
from edmscore.exchange.medo._values import format_bool, format_date, format_datetime

__all__ = ["build_message"]

_ENCODINGS = {"utf-8": "UTF-8", "windows-1251": "windows-1251"}
_EVENT_NAMES: dict[type[Any], str] = {
    DocumentAccepted: "documentAccepted",
    DocumentRefused: "documentRefused",
    ExecutorAssigned: "executorAssigned",
    ReportPrepared: "reportPrepared",
    ReportSent: "reportSent",
    CourseChanged: "courseChanged",
    DocumentPublished: "documentPublished",
}


class _Writer:
    def __init__(self, ns: str) -> None:
        self.ns = ns

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def sub(self, parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, self.q(name))
        if text is not None:
            el.text = text
        return el

    def opt(self, parent: etree._Element, name: str, text: str | None) -> None:
        if text is not None:
            self.sub(parent, name, text)

    def set(self, el: etree._Element, name: str, value: str | None) -> None:
        if value is not None:
            el.set(self.q(name), value)

    def qualified(self, parent: etree._Element, name: str, value: QualifiedValue | None) -> None:
        if value is None:
            return
        el = self.sub(parent, name, value.value)
        self.set(el, "id", value.id)
        self.set(el, "retro", None if value.retro is None else format_bool(value.retro))
        self.set(
            el, "modified", None if value.modified is None else format_datetime(value.modified)
        )

    def partner(self, el: etree._Element, value: Partner) -> None:
        self.set(el, "uid", value.uid)
        self.sub(el, "organization", value.organization)
        self.opt(el, "comment", value.comment)

    def party(self, el: etree._Element, value: Party) -> None:
        for name in ("region", "organization", "person", "department", "post"):
            self.qualified(el, name, getattr(value, name))
        self.opt(el, "contactInfo", value.contact_info)

    def addressee(self, el: etree._Element, value: Addressee) -> etree._Element:
        self.set(el, "uid", value.uid)
        self.party(el, value.party)
        self.opt(el, "comment", value.comment)
        return el

    def addressee_list(self, el: etree._Element, value: AddresseeList) -> None:
        self.set(el, "id", value.id)
        self.sub(el, "name", value.name)
        contents = self.sub(el, "contents")
        for item in value.contents:
            self.addressee(self.sub(contents, "addressee"), item)

    def number(self, el: etree._Element, value: DocumentNumber) -> None:
        self.sub(el, "number", value.number)
        if value.date is not None:
            self.sub(el, "date", format_date(value.date))

    def signatory(self, el: etree._Element, value: Signatory) -> None:
        self.party(el, value.party)
        self.sub(el, "signed", format_date(value.signed))
        self.opt(el, "comment", value.comment)

    def reference(self, el: etree._Element, value: DocumentReference) -> None:
        self.party(el, value.party)
        self.number(self.sub(el, "num"), value.num)
        self.opt(el, "comment", value.comment)

    def file_ids(self, parent: etree._Element, name: str, ids: tuple[int, ...]) -> None:
        if ids:
            self.sub(parent, name, " ".join(str(i) for i in ids))

    def enclosure(self, el: etree._Element, value: Enclosure) -> None:
        self.set(el, "uid", value.uid)
        self.set(el, "id", value.id)
        self.sub(el, "title", value.title)
        if value.reference is not None:
            self.reference(self.sub(el, "reference"), value.reference)
        self.sub(el, "pages", str(value.pages))
        self.file_ids(el, "files", value.file_ids)
        if value.enclosures:
            group = self.sub(el, "enclosures")
            for item in value.enclosures:
                self.enclosure(self.sub(group, "enclosure"), item)
        self.opt(el, "comment", value.comment)

    def clause(self, el: etree._Element, value: Clause) -> None:
        self.set(el, "localId", None if value.local_id is None else str(value.local_id))
        self.set(el, "id", value.id)
        self.opt(el, "designation", value.designation)
        self.opt(el, "text", value.text)
        if value.deadline is not None:
            self.sub(el, "deadline", format_date(value.deadline))
        if isinstance(value.principal, Addressee):
            self.addressee(self.sub(el, "principal"), value.principal)
        elif isinstance(value.principal, AddresseeList):
            self.addressee_list(self.sub(el, "principals"), value.principal)
        if value.participants:
            group = self.sub(el, "parcipants")
            for item in value.participants:
                if isinstance(item, Addressee):
                    self.addressee(self.sub(group, "parcipant"), item)
                else:
                    self.addressee_list(self.sub(group, "parcipants"), item)
        self.opt(el, "comment", value.comment)

    def link(self, el: etree._Element, value: LinkedDocument) -> None:
        self.set(el, "uid", value.uid)
        self.set(el, "id", value.id)
        self.sub(el, "linkType", value.link_type.value)
        if isinstance(value.target, DocumentReference):
            self.reference(self.sub(el, "reference"), value.target)
        else:
            self.details(self.sub(el, "document"), value.target, None)

    def details(
        self, el: etree._Element, value: Document | LinkedDocumentDetails, full: Document | None
    ) -> None:
        if full is not None:
            self.set(el, "uid", full.uid)
            self.set(el, "id", full.id)
            self.qualified(el, "type", full.type)
        self.qualified(el, "kind", value.kind)
        self.number(self.sub(el, "num"), value.num)
        self.qualified(el, "classification", value.classification)
        if full is not None:
            self.qualified(el, "urgency", full.urgency)
            if full.instead_of_distributed is not None:
                self.sub(el, "insteadOfDistributed", format_bool(full.instead_of_distributed))
            self.opt(el, "specialMark", full.special_mark)
        group = self.sub(el, "signatories")
        for signatory in value.signatories:
            self.signatory(self.sub(group, "signatory"), signatory)
        group = self.sub(el, "addressees")
        for addressee in value.addressees:
            self.addressee(self.sub(group, "addressee"), addressee)
        self.sub(el, "pages", str(value.pages))
        if value.enclosures_pages is not None:
            self.sub(el, "enclosuresPages", str(value.enclosures_pages))
        annotation = self.sub(el, "annotation", value.annotation)
        if value.annotation is None:
            annotation.set("{http://www.w3.org/2001/XMLSchema-instance}nil", "true")
        if value.enclosures:
            group = self.sub(el, "enclosures")
            for enclosure in value.enclosures:
                self.enclosure(self.sub(group, "enclosure"), enclosure)
        if value.correspondents:
            group = self.sub(el, "correspondents")
            for correspondent in value.correspondents:
                item = self.sub(group, "correspondent")
                self.party(item, correspondent.party)
                if correspondent.num is not None:
                    self.number(self.sub(item, "num"), correspondent.num)
                self.opt(item, "comment", correspondent.comment)
        if value.links:
            group = self.sub(el, "links")
            for link in value.links:
                self.link(self.sub(group, "link"), link)
        if value.clauses:
            group = self.sub(el, "clauses")
            for clause in value.clauses:
                self.clause(self.sub(group, "clause"), clause)
        if full is not None:
            if full.executor is not None:
                self.addressee(self.sub(el, "executor"), full.executor)
            self.file_ids(el, "files", full.file_ids)
        self.opt(el, "comment", value.comment)

    def file(self, el: etree._Element, value: AttachedFile) -> None:
        self.set(el, "localName", value.local_name)
        self.set(el, "localId", None if value.local_id is None else str(value.local_id))
        self.set(el, "type", None if value.type is None else value.type.value)
        self.sub(el, "group", value.group.value)
        self.opt(el, "description", value.description)
        if value.pages is not None:
            self.sub(el, "pages", str(value.pages))
        for data in value.signed_data:
            item = self.sub(el, "signedData")
            self.set(item, "localName", data.local_name)
            self.set(item, "type", None if data.type is None else data.type.value)
            for signer in data.signers:
                info = self.sub(item, "signerInfo")
                self.set(info, "signature", signer.signature)
                self.sub(info, "digestTime", format_datetime(signer.digest_time))
                self.party(self.sub(info, "signer"), signer.signer)
                self.opt(info, "comment", signer.comment)

    def notification(self, el: etree._Element, value: Notification) -> None:
        self.set(el, "type", value.type.value)
        self.set(el, "uid", value.document_uid)
        self.set(el, "id", value.id)
        self.set(el, "mid", value.message_uid)
        event = value.event
        ev = self.sub(el, _EVENT_NAMES[type(event)])
        self.sub(ev, "time", format_datetime(event.time))
        if event.foundation is not None:
            self.reference(self.sub(ev, "foundation"), event.foundation)
        if event.clause is not None:
            self.clause(self.sub(ev, "clause"), event.clause)
        if event.correspondent is not None:
            self.addressee(self.sub(ev, "correspondent"), event.correspondent)
        if isinstance(event, DocumentAccepted):
            self.number(self.sub(ev, "num"), event.num)
        elif isinstance(event, DocumentRefused):
            self.sub(ev, "reason", event.reason.value)
        elif isinstance(event, ExecutorAssigned):
            self.addressee(self.sub(ev, "secretary"), event.secretary)
            self.addressee(self.sub(ev, "manager"), event.manager)
            self.addressee(self.sub(ev, "executor"), event.executor)
        elif isinstance(event, ReportPrepared):
            self.signatory(self.sub(ev, "signatory"), event.signatory)
        elif isinstance(event, ReportSent):
            self.reference(self.sub(ev, "report"), event.report)
        elif isinstance(event, CourseChanged):
            self.sub(ev, "courseText", event.course_text)
            if event.reference is not None:
                self.reference(self.sub(ev, "reference"), event.reference)
        else:
            num = self.sub(ev, "num")
            self.sub(num, "number", event.number)
            self.sub(num, "date", format_datetime(event.published))
            self.sub(ev, "publicationPoint", event.publication_point)
        self.opt(el, "comment", value.comment)

    def acknowledgment(self, el: etree._Element, value: Acknowledgment) -> None:
        self.set(el, "uid", value.message_uid)
        self.set(el, "content", value.content)
        self.sub(el, "time", format_datetime(value.time))
        self.sub(el, "accepted", format_bool(value.accepted))
        self.opt(el, "comment", value.comment)
        if value.hash_codes is not None:
            codes = self.sub(el, "hashCodes")
            self.set(codes, "algorithm", value.hash_codes.algorithm)
            for code in value.hash_codes.items:
                item = self.sub(codes, "item")
                self.sub(item, "name", code.name)
                self.sub(item, "code", code.code)

    def destination(self, el: etree._Element, value: Destination) -> None:
        self.partner(self.sub(el, "destination"), value.partner)
        if value.file_ids is not None:
            self.sub(el, "files", " ".join(str(i) for i in value.file_ids))
        self.opt(el, "comment", value.comment)

    def message(self, value: Message) -> etree._Element:
        root = etree.Element(self.q("communication"), nsmap={"xdms": self.ns})
        self.set(root, "version", value.version)
        header = self.sub(root, "header")
        self.set(header, "type", value.type.value)
        self.set(header, "uid", value.header.uid)
        if value.header.created is not None:
            self.set(header, "created", format_datetime(value.header.created))
        self.partner(self.sub(header, "source"), value.header.source)
        self.qualified(header, "operator", value.header.operator)
        self.opt(header, "comment", value.header.comment)
        content = value.content
        if isinstance(content, DocumentContent):
            self.details(self.sub(root, "document"), content.document, content.document)
            files = self.sub(root, "files")
            for item in content.files:
                self.file(self.sub(files, "file"), item)
        elif isinstance(content, Notification):
            self.notification(self.sub(root, "notification"), content)
        elif isinstance(content, Acknowledgment):
            self.acknowledgment(self.sub(root, "acknowledgment"), content)
        else:
            assert isinstance(content, ContainerReference)
            self.sub(self.sub(root, "container"), "body", content.body)
        if value.destinations:
            index = self.sub(root, "deliveryIndex")
            for destination in value.destinations:
                self.destination(self.sub(index, "destination"), destination)
        return root


def namespace_for(version: str) -> str:
    """The message namespace of a version: ``urn:IEDMS:MESSAGE`` for 2.7.1, else IEDMS."""
    return MESSAGE_NS_271 if version == "2.7.1" else IEDMS_NS


def build_message(message: Message, *, encoding: str = "utf-8") -> bytes:
    """Write ``message`` as XML bytes in ``encoding`` (``utf-8`` or ``windows-1251``).

    A 2.7.1 message is always UTF-8, as its rules require. A 2.2 message is checked against
    the 2.2 schema, which lacks parts the model has (signatures, publication notices, the later
    refusal reasons…); what 2.2 cannot carry raises :class:`~edmscore.errors.MedoFormatError`.
    """
    if message.version in LEGACY_VERSIONS:
        raise MedoFormatError(
            "communication/@version", f"version {message.version} is read, never written"
        )
    key = encoding.lower().replace("cp1251", "windows-1251").replace("utf8", "utf-8")
    if key not in _ENCODINGS:
        raise MedoFormatError("encoding", f"cannot write in {encoding!r}")
    if message.version == "2.7.1" and key != "utf-8":
        raise MedoFormatError("encoding", "a 2.7.1 message must be UTF-8")
    root = _Writer(namespace_for(message.version)).message(message)
    # Serialise as UTF-8 and re-encode in Python: libxml2's iconv encoder silently drops some
    # characters (the Unicode tag characters) when writing Windows-1251; Python's codec writes
    # every character Windows-1251 lacks as a character reference instead.
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    assert isinstance(body, bytes)
    declaration = f"<?xml version='1.0' encoding='{_ENCODINGS[key]}'?>\n".encode("ascii")
    if key == "utf-8":
        data = declaration + body
    else:
        data = declaration + body.decode("utf-8").encode("cp1251", "xmlcharrefreplace")
    if message.version == "2.2":
        from edmscore.exchange.medo._schema import schema_for

        schema = schema_for("2.2")
        assert schema is not None
        if not schema.validate(root):
            log: Any = schema.error_log
            first = log.last_error
            raise MedoFormatError(
                "communication", f"a 2.2 message cannot carry this: {first.message}"
            )
    return data
