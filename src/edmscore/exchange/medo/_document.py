"""The document section of a MEDO message and its attached files."""

from __future__ import annotations

import pendulum
from attrs import field, frozen

from edmscore.exchange.medo._checks import (
    Validator,
    check_count,
    check_guid,
    check_min_items,
    check_text,
    optional,
)
from edmscore.exchange.medo._classification import ClassificationLevel, classify_mark
from edmscore.exchange.medo._enums import FileGroup, FileType, LinkType
from edmscore.exchange.medo._parties import (
    Addressee,
    AddresseeList,
    Correspondent,
    DocumentNumber,
    DocumentReference,
    Party,
    QualifiedValue,
    Signatory,
)

__all__ = [
    "AttachedFile",
    "Clause",
    "Document",
    "Enclosure",
    "LinkedDocument",
    "LinkedDocumentDetails",
    "SignedData",
    "SignerInfo",
]

_COMMENT = optional(check_text("comment", 1, 2047))
_LOCAL_ID = optional(check_text("@id", 1, 127, "token"))
_FILE_NAME = check_text("@localName", 1, 255, "normalized")


def _file_ids(name: str) -> Validator:
    def validate(_inst: object, _attr: object, value: tuple[int, ...]) -> None:
        for item in value:
            check_count(name, 0)(None, None, item)

    return validate


@frozen
class Enclosure:
    """An enclosure (приложение): its title, pages, files and nested enclosures."""

    title: str = field(validator=check_text("title", 0, 4000))
    pages: int = field(validator=check_count("pages", 0))
    reference: DocumentReference | None = None
    file_ids: tuple[int, ...] = field(default=(), validator=_file_ids("files"))
    enclosures: tuple[Enclosure, ...] = ()
    comment: str | None = field(default=None, validator=_COMMENT)
    uid: str | None = field(default=None, validator=optional(check_guid("@uid")))
    id: str | None = field(default=None, validator=_LOCAL_ID)


@frozen
class Clause:
    """A clause (пункт) of the document with its deadline and executors."""

    designation: str | None = field(
        default=None, validator=optional(check_text("designation", 0, 255, "normalized"))
    )
    text: str | None = field(default=None, validator=optional(check_text("text", 0, 4000)))
    deadline: pendulum.Date | None = None
    principal: Addressee | AddresseeList | None = None
    participants: tuple[Addressee | AddresseeList, ...] = ()
    comment: str | None = field(default=None, validator=_COMMENT)
    local_id: int | None = field(default=None, validator=optional(check_count("@localId", 0)))
    id: str | None = field(default=None, validator=_LOCAL_ID)


@frozen
class LinkedDocumentDetails:
    """A linked document described in full (the ``link/document`` choice)."""

    num: DocumentNumber
    signatories: tuple[Signatory, ...] = field(validator=check_min_items("signatories", 1))
    addressees: tuple[Addressee, ...] = field(validator=check_min_items("addressees", 1))
    pages: int = field(validator=check_count("pages", 0))
    annotation: str | None = field(
        default=None, validator=optional(check_text("annotation", 0, 4000))
    )
    kind: QualifiedValue | None = None
    classification: QualifiedValue | None = None
    enclosures_pages: int | None = field(
        default=None, validator=optional(check_count("enclosuresPages", 0))
    )
    enclosures: tuple[Enclosure, ...] = ()
    correspondents: tuple[Correspondent, ...] = ()
    links: tuple[LinkedDocument, ...] = ()
    clauses: tuple[Clause, ...] = ()
    comment: str | None = field(default=None, validator=_COMMENT)


@frozen
class LinkedDocument:
    """A link to another document: the kind of link and a reference or a full description."""

    link_type: LinkType
    target: DocumentReference | LinkedDocumentDetails
    uid: str | None = field(default=None, validator=optional(check_guid("@uid")))
    id: str | None = field(default=None, validator=_LOCAL_ID)


@frozen
class Document:
    """The ``document`` section: the requisites of the document being sent."""

    uid: str = field(validator=check_guid("document/@uid"))
    num: DocumentNumber
    signatories: tuple[Signatory, ...] = field(validator=check_min_items("signatories", 1))
    addressees: tuple[Addressee, ...] = field(validator=check_min_items("addressees", 1))
    pages: int = field(validator=check_count("pages", 0))
    annotation: str | None = field(
        default=None, validator=optional(check_text("annotation", 0, 4000))
    )
    id: str | None = field(default=None, validator=_LOCAL_ID)
    type: QualifiedValue | None = None
    kind: QualifiedValue | None = None
    classification: QualifiedValue | None = None
    urgency: QualifiedValue | None = None
    instead_of_distributed: bool | None = None
    special_mark: str | None = field(
        default=None, validator=optional(check_text("specialMark", 1, 511, "normalized"))
    )
    enclosures_pages: int | None = field(
        default=None, validator=optional(check_count("enclosuresPages", 0))
    )
    enclosures: tuple[Enclosure, ...] = ()
    correspondents: tuple[Correspondent, ...] = ()
    links: tuple[LinkedDocument, ...] = ()
    clauses: tuple[Clause, ...] = ()
    executor: Addressee | None = None
    file_ids: tuple[int, ...] = field(default=(), validator=_file_ids("files"))
    comment: str | None = field(default=None, validator=_COMMENT)

    @property
    def classification_level(self) -> ClassificationLevel:
        """How the restriction mark (``classification``) reads: open, ДСП or not recognised."""
        return classify_mark(None if self.classification is None else self.classification.value)

    @property
    def is_restricted(self) -> bool:
        """Whether the document is handled as ДСП: marked so, or marked in wording not known.

        Fails closed: any non-empty mark that is not a recognised open wording restricts.
        """
        return self.classification_level.is_restricted

    @property
    def classification_review_needed(self) -> bool:
        """Whether a person must read the mark: restrictive wording that is not a ДСП spelling."""
        return self.classification_level.review_needed


@frozen
class SignerInfo:
    """One detached signature of a file: the signature file's name, the time, the signer."""

    signature: str = field(validator=_FILE_NAME)
    digest_time: pendulum.DateTime
    signer: Party
    comment: str | None = field(default=None, validator=optional(check_text("comment", 0, 2048)))


@frozen
class SignedData:
    """The ``signedData`` of a file: its signers (at least one)."""

    signers: tuple[SignerInfo, ...] = field(validator=check_min_items("signerInfo", 1))
    local_name: str | None = field(default=None, validator=optional(_FILE_NAME))
    type: FileType | None = None


@frozen
class AttachedFile:
    """A file travelling beside the message (``associatedFile``): name, group, signatures."""

    local_name: str = field(validator=_FILE_NAME)
    group: FileGroup
    local_id: int | None = field(default=None, validator=optional(check_count("@localId", 0)))
    type: FileType | None = None
    description: str | None = field(
        default=None, validator=optional(check_text("description", 0, 511))
    )
    pages: int | None = field(default=None, validator=optional(check_count("pages", 0)))
    signed_data: tuple[SignedData, ...] = ()

    def signature_names(self) -> tuple[str, ...]:
        """The names of the detached signature files of this file, in order."""
        return tuple(s.signature for d in self.signed_data for s in d.signers)
