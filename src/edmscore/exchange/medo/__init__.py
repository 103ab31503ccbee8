"""MEDO (межведомственный электронный документооборот) messages, letters and containers.

Parse and build MEDO 2.x messages (2.2–2.6 document messages, notifications, receipts; 2.7 /
2.7.1 transport messages), read and write transport letters with their Windows-1251 envelope,
read 2.7 / 2.7.1 containers and write 2.7 ones, check receipts' hash codes and files' detached
signatures, and map messages to and from registration cards. All input is treated as hostile:
see ``docs/medo.md``.
"""

from __future__ import annotations

from edmscore.exchange.medo._classification import (
    OPEN_WORDINGS,
    ClassificationLevel,
    classify_mark,
    normalize_mark,
)
from edmscore.exchange.medo._container import (
    CONTAINER_SIGNATURE,
    Container,
    ContainerMember,
    build_container,
    read_container,
)
from edmscore.exchange.medo._document import (
    AttachedFile,
    Clause,
    Document,
    Enclosure,
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
from edmscore.exchange.medo._envelope import Envelope, build_envelope, parse_envelope
from edmscore.exchange.medo._incoming import IncomingDraft, MedoDirectory, incoming_draft
from edmscore.exchange.medo._letter import (
    Letter,
    LetterFile,
    read_letter,
    referenced_files,
    write_letter,
)
from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits
from edmscore.exchange.medo._message import (
    IEDMS_NS,
    MESSAGE_NS_271,
    SUPPORTED_VERSIONS,
    ContainerReference,
    Destination,
    DocumentContent,
    Header,
    Message,
)
from edmscore.exchange.medo._names import check_file_name
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
from edmscore.exchange.medo._notify import (
    build_notification,
    notify_refused,
    notify_registered,
    reply_target,
    uid_key,
)
from edmscore.exchange.medo._outgoing import (
    DetachedSignature,
    OutgoingLetter,
    document_uid_for,
    outgoing_messages,
)
from edmscore.exchange.medo._parties import (
    Addressee,
    AddresseeList,
    Correspondent,
    DocumentNumber,
    DocumentReference,
    Partner,
    Party,
    QualifiedValue,
    Signatory,
)
from edmscore.exchange.medo._passport import (
    CONTAINER_NS_27,
    CONTAINER_NS_271,
    ContainerAttachment,
    ContainerAuthor,
    ContainerSigner,
    Passport,
    StampPosition,
    build_passport,
)
from edmscore.exchange.medo._read import parse_message
from edmscore.exchange.medo._receipt import (
    HashCheck,
    HashStatus,
    build_receipt,
    verify_hash_codes,
)
from edmscore.exchange.medo._replies import (
    notify_course_changed,
    notify_executor_assigned,
    notify_report_sent,
)
from edmscore.exchange.medo._schema import schema_errors
from edmscore.exchange.medo._signatures import (
    CmsVerifier,
    DetachedVerifier,
    SignatureCheck,
    SignatureStatus,
    check_signatures,
)
from edmscore.exchange.medo._write import build_message

__all__ = [
    "CONTAINER_NS_27",
    "CONTAINER_NS_271",
    "CONTAINER_SIGNATURE",
    "DEFAULT_LIMITS",
    "IEDMS_NS",
    "MESSAGE_NS_271",
    "OPEN_WORDINGS",
    "SUPPORTED_VERSIONS",
    "Acknowledgment",
    "Addressee",
    "AddresseeList",
    "AttachedFile",
    "ClassificationLevel",
    "Clause",
    "CmsVerifier",
    "Container",
    "ContainerAttachment",
    "ContainerAuthor",
    "ContainerMember",
    "ContainerReference",
    "ContainerSigner",
    "Correspondent",
    "CourseChanged",
    "Destination",
    "DetachedSignature",
    "DetachedVerifier",
    "Document",
    "DocumentAccepted",
    "DocumentContent",
    "DocumentNumber",
    "DocumentPublished",
    "DocumentReference",
    "DocumentRefused",
    "Enclosure",
    "Envelope",
    "ExecutorAssigned",
    "FileGroup",
    "FileType",
    "HashCheck",
    "HashCode",
    "HashCodes",
    "HashStatus",
    "Header",
    "IncomingDraft",
    "Letter",
    "LetterFile",
    "Limits",
    "LinkType",
    "LinkedDocument",
    "LinkedDocumentDetails",
    "MedoDirectory",
    "Message",
    "MessageType",
    "Notification",
    "NotificationEvent",
    "NotificationType",
    "OutgoingLetter",
    "Partner",
    "Party",
    "Passport",
    "QualifiedValue",
    "RefusalReason",
    "ReportPrepared",
    "ReportSent",
    "Signatory",
    "SignatureCheck",
    "SignatureStatus",
    "SignedData",
    "SignerInfo",
    "StampPosition",
    "build_container",
    "build_envelope",
    "build_message",
    "build_notification",
    "build_passport",
    "build_receipt",
    "check_file_name",
    "check_signatures",
    "classify_mark",
    "document_uid_for",
    "incoming_draft",
    "normalize_mark",
    "notify_course_changed",
    "notify_executor_assigned",
    "notify_refused",
    "notify_registered",
    "notify_report_sent",
    "outgoing_messages",
    "parse_envelope",
    "parse_message",
    "read_container",
    "read_letter",
    "referenced_files",
    "reply_target",
    "schema_errors",
    "uid_key",
    "verify_hash_codes",
    "write_letter",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
