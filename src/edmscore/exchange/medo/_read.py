"""Parse MEDO 2.x messages (2.2–2.7.1): documents, notifications, receipts, container refs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from edmscore.exchange.medo._document import (
    AttachedFile,
    Document,
    LinkedDocument,
    LinkedDocumentDetails,
    SignedData,
    SignerInfo,
)
from edmscore.exchange.medo._enums import (
    FileGroup,
    FileType,
    LinkType,
    MessageType,
    NotificationType,
    RefusalReason,
)
from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits
from edmscore.exchange.medo._message import (
    IEDMS_NS,
    MESSAGE_NS_271,
    ContainerReference,
    Destination,
    DocumentContent,
    Header,
    Message,
)
from edmscore.exchange.medo._notice import (
    Acknowledgment,
    CourseChanged,
    DocumentAccepted,
    DocumentPublished,
    DocumentRefused,
    ExecutorAssigned,
    HashCode,
    HashCodes,
    Notification,
    NotificationEvent,
    ReportPrepared,
    ReportSent,
)
from edmscore.exchange.medo._read_parts import PartsReader
from edmscore.exchange.medo._values import parse_bool
from edmscore.exchange.medo._xml import parse_xml

__all__ = ["parse_message"]

_DEFAULT_TZ = "Europe/Moscow"


class _Reader(PartsReader):
    def message(self, root: etree._Element, encoding: str) -> Message:
        path = "communication"
        version = self.need_attr(root, "version", path)
        if version == "2.7.1" and encoding != "utf-8":
            raise self.error(path, "a 2.7.1 message must be UTF-8")
        header_el = self.need(root, "header", path)
        hpath = f"{path}/header"
        mtype = self.enum(
            f"{hpath}/@type", MessageType, self.need_attr(header_el, "type", hpath).strip()
        )
        created = self.attr(header_el, "created")
        header = self.build(
            hpath,
            Header,
            source=self.partner(self.need(header_el, "source", hpath), f"{hpath}/source"),
            uid=self.attr(header_el, "uid"),
            created=None if created is None else self.to_datetime(f"{hpath}/@created", created),
            operator=self.qualified(header_el, "operator", hpath),
            comment=self.text(header_el, "comment", hpath),
        )
        content = self.content(root, mtype, path)
        index = self.child(root, "deliveryIndex", path)
        destinations: tuple[Destination, ...] = ()
        if index is not None:
            dpath = f"{path}/deliveryIndex/destination"
            destinations = tuple(
                self.destination(d, dpath) for d in self.children(index, "destination")
            )
        return self.build(
            path,
            Message,
            header=header,
            content=content,
            version=version,
            destinations=destinations,
        )

    def content(
        self, root: etree._Element, mtype: MessageType, path: str
    ) -> DocumentContent | Notification | Acknowledgment | ContainerReference:
        present = {
            name: self.child(root, name, path)
            for name in ("document", "notification", "acknowledgment", "container")
        }
        found = [name for name, el in present.items() if el is not None]
        expected = {
            MessageType.DOCUMENT: "document",
            MessageType.NOTIFICATION: "notification",
            MessageType.ACKNOWLEDGMENT: "acknowledgment",
            MessageType.TRANSPORT_CONTAINER: "container",
        }[mtype]
        if found != [expected]:
            raise self.error(
                f"{path}/{expected}",
                f"header/@type is {mtype.value!r} but the message holds {found or 'nothing'}",
            )
        el = present[expected]
        assert el is not None
        here = f"{path}/{expected}"
        if expected == "document":
            files_el = self.need(root, "files", path)
            files = tuple(
                self.file(f, f"{path}/files/file") for f in self.children(files_el, "file")
            )
            return DocumentContent(document=self.document(el, here), files=files)
        if expected == "notification":
            return self.notification(el, here)
        if expected == "acknowledgment":
            return self.acknowledgment(el, here)
        return self.build(
            here, ContainerReference, body=self.need_text(el, "body", here, "normalized")
        )

    def destination(self, el: etree._Element, path: str) -> Destination:
        files = self.child(el, "files", path)
        return self.build(
            path,
            Destination,
            partner=self.partner(self.need(el, "destination", path), f"{path}/destination"),
            file_ids=None if files is None else self.id_list(el, "files", path) or (),
            comment=self.text(el, "comment", path),
        )

    def _details(self, el: etree._Element, path: str) -> dict[str, Any]:
        """The requisites shared by ``document`` and ``link/document``."""
        annotation = self.need(el, "annotation", path)
        lists: dict[str, tuple[Any, ...]] = {}
        specs: list[tuple[str, str, str, Callable[[etree._Element, str], Any]]] = [
            ("signatories", "signatories", "signatory", self.signatory),
            ("addressees", "addressees", "addressee", self.addressee),
            ("enclosures", "enclosures", "enclosure", self.enclosure),
            ("correspondents", "correspondents", "correspondent", self.correspondent),
            ("links", "links", "link", self.link),
            ("clauses", "clauses", "clause", self.clause),
        ]
        for key, outer, inner, read in specs:
            group = self.child(el, outer, path)
            if group is None:
                if key in ("signatories", "addressees"):
                    raise self.error(f"{path}/{outer}", "is required but missing")
                lists[key] = ()
                continue
            lists[key] = tuple(
                read(item, f"{path}/{outer}/{inner}") for item in self.children(group, inner)
            )
        return {
            "num": self.number(self.need(el, "num", path), f"{path}/num"),
            "kind": self.qualified(el, "kind", path),
            "classification": self.qualified(el, "classification", path),
            "pages": self.need_count(el, "pages", path),
            "enclosures_pages": self.count(el, "enclosuresPages", path),
            "annotation": None if self.is_nil(annotation) else self.text_of(annotation),
            "comment": self.text(el, "comment", path),
            **lists,
        }

    def document(self, el: etree._Element, path: str) -> Document:
        executor = self.child(el, "executor", path)
        return self.build(
            path,
            Document,
            uid=self.need_attr(el, "uid", path),
            id=self.attr(el, "id"),
            type=self.qualified(el, "type", path),
            urgency=self.qualified(el, "urgency", path),
            instead_of_distributed=self.flag(el, "insteadOfDistributed", path),
            special_mark=self.text(el, "specialMark", path, "normalized"),
            executor=None if executor is None else self.addressee(executor, f"{path}/executor"),
            file_ids=self.id_list(el, "files", path) or (),
            **self._details(el, path),
        )

    def link(self, el: etree._Element, path: str) -> LinkedDocument:
        link_type = self.enum(
            f"{path}/linkType", LinkType, self.need_text(el, "linkType", path, "token")
        )
        inline = self.child(el, "document", path)
        target: Any
        if inline is not None:
            target = self.build(
                f"{path}/document",
                LinkedDocumentDetails,
                **self._details(inline, f"{path}/document"),
            )
        else:
            target = self.reference(self.need(el, "reference", path), f"{path}/reference")
        return self.build(
            path,
            LinkedDocument,
            link_type=link_type,
            target=target,
            uid=self.attr(el, "uid"),
            id=self.attr(el, "id"),
        )

    def file(self, el: etree._Element, path: str) -> AttachedFile:
        local_id = self.attr(el, "localId")
        ftype = self.attr(el, "type")
        return self.build(
            path,
            AttachedFile,
            local_name=self.need_attr(el, "localName", path),
            group=self.enum(f"{path}/group", FileGroup, self.need_text(el, "group", path, "token")),
            local_id=None if local_id is None else self.count_of(f"{path}/@localId", local_id),
            type=None if ftype is None else self.enum(f"{path}/@type", FileType, ftype.strip()),
            description=self.text(el, "description", path),
            pages=self.count(el, "pages", path),
            signed_data=tuple(
                self.signed_data(s, f"{path}/signedData") for s in self.children(el, "signedData")
            ),
        )

    def signed_data(self, el: etree._Element, path: str) -> SignedData:
        ftype = self.attr(el, "type")
        return self.build(
            path,
            SignedData,
            signers=tuple(
                self.build(
                    f"{path}/signerInfo",
                    SignerInfo,
                    signature=self.need_attr(s, "signature", f"{path}/signerInfo"),
                    digest_time=self.need_datetime(s, "digestTime", f"{path}/signerInfo"),
                    signer=self.party(
                        self.need(s, "signer", f"{path}/signerInfo"), f"{path}/signerInfo/signer"
                    ),
                    comment=self.text(s, "comment", f"{path}/signerInfo"),
                )
                for s in self.children(el, "signerInfo")
            ),
            local_name=self.attr(el, "localName"),
            type=None if ftype is None else self.enum(f"{path}/@type", FileType, ftype.strip()),
        )

    def notification(self, el: etree._Element, path: str) -> Notification:
        ntype = self.enum(
            f"{path}/@type", NotificationType, self.need_attr(el, "type", path).strip()
        )
        readers: dict[NotificationType, tuple[str, Callable[[etree._Element, str], Any]]] = {
            NotificationType.REGISTERED: ("documentAccepted", self._accepted),
            NotificationType.REFUSED: ("documentRefused", self._refused),
            NotificationType.EXECUTOR_ASSIGNED: ("executorAssigned", self._assigned),
            NotificationType.REPORT_PREPARED: ("reportPrepared", self._prepared),
            NotificationType.REPORT_SENT: ("reportSent", self._sent),
            NotificationType.COURSE_CHANGED: ("courseChanged", self._course),
            NotificationType.PUBLISHED: ("documentPublished", self._published),
        }
        name, read = readers[ntype]
        event_el = self.child(el, name, path)
        if event_el is None:
            raise self.error(f"{path}/{name}", f"a notification of type {ntype.value!r} needs it")
        event: NotificationEvent = read(event_el, f"{path}/{name}")
        return self.build(
            path,
            Notification,
            document_uid=self.need_attr(el, "uid", path),
            event=event,
            id=self.attr(el, "id"),
            message_uid=self.attr(el, "mid"),
            comment=self.text(el, "comment", path),
        )

    def _common(self, el: etree._Element, path: str) -> dict[str, Any]:
        clause = self.child(el, "clause", path)
        correspondent = self.child(el, "correspondent", path)
        return {
            "time": self.need_datetime(el, "time", path),
            "foundation": self.optional_reference(el, "foundation", path),
            "clause": None if clause is None else self.clause(clause, f"{path}/clause"),
            "correspondent": None
            if correspondent is None
            else self.addressee(correspondent, f"{path}/correspondent"),
        }

    def _accepted(self, el: etree._Element, path: str) -> DocumentAccepted:
        num = self.number(self.need(el, "num", path), f"{path}/num")
        return self.build(path, DocumentAccepted, num=num, **self._common(el, path))

    def _refused(self, el: etree._Element, path: str) -> DocumentRefused:
        reason = self.enum(
            f"{path}/reason", RefusalReason, self.need_text(el, "reason", path, "normalized")
        )
        return self.build(path, DocumentRefused, reason=reason, **self._common(el, path))

    def _assigned(self, el: etree._Element, path: str) -> ExecutorAssigned:
        people = {
            name: self.addressee(self.need(el, name, path), f"{path}/{name}")
            for name in ("secretary", "manager", "executor")
        }
        return self.build(path, ExecutorAssigned, **people, **self._common(el, path))

    def _prepared(self, el: etree._Element, path: str) -> ReportPrepared:
        signatory = self.signatory(self.need(el, "signatory", path), f"{path}/signatory")
        return self.build(path, ReportPrepared, signatory=signatory, **self._common(el, path))

    def _sent(self, el: etree._Element, path: str) -> ReportSent:
        report = self.reference(self.need(el, "report", path), f"{path}/report")
        return self.build(path, ReportSent, report=report, **self._common(el, path))

    def _course(self, el: etree._Element, path: str) -> CourseChanged:
        return self.build(
            path,
            CourseChanged,
            course_text=self.need_text(el, "courseText", path),
            reference=self.optional_reference(el, "reference", path),
            **self._common(el, path),
        )

    def _published(self, el: etree._Element, path: str) -> DocumentPublished:
        num = self.need(el, "num", path)
        return self.build(
            path,
            DocumentPublished,
            number=self.need_text(num, "number", f"{path}/num", "token"),
            published=self.need_datetime(num, "date", f"{path}/num"),
            publication_point=self.need_text(el, "publicationPoint", path, "normalized"),
            **self._common(el, path),
        )

    def acknowledgment(self, el: etree._Element, path: str) -> Acknowledgment:
        codes = self.child(el, "hashCodes", path)
        hash_codes = None
        if codes is not None:
            ipath = f"{path}/hashCodes/item"
            hash_codes = self.build(
                f"{path}/hashCodes",
                HashCodes,
                items=tuple(
                    self.build(
                        ipath,
                        HashCode,
                        name=self.need_text(item, "name", ipath, "normalized"),
                        code=self.need_text(item, "code", ipath, "token"),
                    )
                    for item in self.children(codes, "item")
                ),
                algorithm=self.attr(codes, "algorithm"),
            )
        accepted = self.need_text(el, "accepted", path, "token")
        return self.build(
            path,
            Acknowledgment,
            message_uid=self.need_attr(el, "uid", path),
            time=self.need_datetime(el, "time", path),
            accepted=self.convert(f"{path}/accepted", parse_bool, accepted),
            comment=self.text(el, "comment", path),
            content=self.attr(el, "content"),
            hash_codes=hash_codes,
        )


def parse_message(
    data: bytes,
    *,
    source: str = "<message>",
    limits: Limits = DEFAULT_LIMITS,
    default_tz: str = _DEFAULT_TZ,
) -> Message:
    """Parse a MEDO 2.x message from untrusted bytes.

    ``source`` names the file in errors; times written without an offset are read in
    ``default_tz`` (Moscow time by default, the MEDO gateway's zone). Raises
    :class:`~edmscore.errors.MedoFormatError` (or its subclass ``MedoUnsafeInput``).
    """
    root, encoding = parse_xml(data, source=source, limits=limits)
    ns = etree.QName(root).namespace
    if ns not in (IEDMS_NS, MESSAGE_NS_271) or etree.QName(root).localname != "communication":
        raise PartsReader(IEDMS_NS, source, default_tz).error(
            "communication", f"the root is {root.tag!r}, not a MEDO communication"
        )
    return _Reader(ns, source, default_tz).message(root, encoding)
