"""The MEDO 2.x message (``communication``): header, content, delivery index."""

from __future__ import annotations

import pendulum
from attrs import field, frozen

from edmscore.errors import ValidationError
from edmscore.exchange.medo._checks import check_guid, check_text, optional
from edmscore.exchange.medo._document import AttachedFile, Document
from edmscore.exchange.medo._enums import MessageType
from edmscore.exchange.medo._notice import Acknowledgment, Notification
from edmscore.exchange.medo._parties import Partner, QualifiedValue

#: The namespace of MEDO 2.x messages up to 2.7, and the one of 2.7.1 messages.
IEDMS_NS = "http://www.infpres.com/IEDMS"
MESSAGE_NS_271 = "urn:IEDMS:MESSAGE"

__all__ = [
    "IEDMS_NS",
    "LEGACY_VERSIONS",
    "MESSAGE_NS_271",
    "SUPPORTED_VERSIONS",
    "ContainerReference",
    "Destination",
    "DocumentContent",
    "Header",
    "Message",
]

#: Versions of the ``communication`` root read and written by this package.
SUPPORTED_VERSIONS = ("2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.7.1")
#: Older versions still emitted by some senders: read (mapped like 2.2), never written.
LEGACY_VERSIONS = ("1.0", "2.0")
_COMMENT = optional(check_text("comment", 1, 2047))


@frozen
class Header:
    """The message header: its uid, creation time and source participant."""

    source: Partner
    uid: str | None = field(default=None, validator=optional(check_guid("header/@uid")))
    created: pendulum.DateTime | None = None
    operator: QualifiedValue | None = None
    comment: str | None = field(default=None, validator=_COMMENT)


@frozen
class DocumentContent:
    """The content of a document message: the document section and its file list."""

    document: Document
    files: tuple[AttachedFile, ...] = ()

    def file_by_id(self, local_id: int) -> AttachedFile | None:
        """The file with this ``@localId``, if any."""
        for item in self.files:
            if item.local_id == local_id:
                return item
        return None


@frozen
class ContainerReference:
    """The content of a 2.7 transport message: the name of the container archive it carries."""

    body: str = field(validator=check_text("container/body", 1, 255, "normalized"))


@frozen
class Destination:
    """One recipient in the delivery index, and which files go to it (``None``: all)."""

    partner: Partner
    file_ids: tuple[int, ...] | None = None
    comment: str | None = field(default=None, validator=_COMMENT)


def _check_version(_inst: object, _attr: object, value: str) -> None:
    if value not in SUPPORTED_VERSIONS and value not in LEGACY_VERSIONS:
        raise ValidationError("communication/@version", f"unsupported version {value!r}")


@frozen
class Message:
    """A whole MEDO 2.x message: a document, a notification or a receipt."""

    header: Header
    content: DocumentContent | Notification | Acknowledgment | ContainerReference
    version: str = field(default="2.6", validator=_check_version)
    destinations: tuple[Destination, ...] = ()

    @property
    def type(self) -> MessageType:
        """The header's ``@type``, which follows from the content."""
        if isinstance(self.content, DocumentContent):
            return MessageType.DOCUMENT
        if isinstance(self.content, Notification):
            return MessageType.NOTIFICATION
        if isinstance(self.content, ContainerReference):
            return MessageType.TRANSPORT_CONTAINER
        return MessageType.ACKNOWLEDGMENT
