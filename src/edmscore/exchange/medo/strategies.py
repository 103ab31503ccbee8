"""Hypothesis strategies for MEDO messages (for property tests; needs the ``testing`` extra).

Every strategy draws values the 2.6 schema allows, so ``build_message`` then ``parse_message``
must give back an equal message.
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "hypothesis", "testing") from exc

import unicodedata
from typing import Any

import pendulum

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
from edmscore.exchange.medo._enums import FileGroup, FileType, LinkType, RefusalReason
from edmscore.exchange.medo._message import Destination, DocumentContent, Header, Message
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
    ReportPrepared,
    ReportSent,
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

__all__ = [
    "acknowledgments",
    "document_messages",
    "messages",
    "notification_messages",
    "partners",
]

_ALPHABET = (
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "abcxyzABCXYZ0123456789 .,;:-–—№«»\"'<>&/()"
)


def _text(low: int, high: int, kind: str = "string") -> st.SearchStrategy[str]:
    """Text of ``low``..``high`` characters any XML 1.0 document can carry, mostly Cyrillic."""
    breaks = "\t\n\r" if kind == "string" else ""
    anything = st.characters(
        min_codepoint=0x20, codec="utf-8", exclude_characters="\ufffe\uffff"
    ).filter(lambda c: unicodedata.category(c) not in ("Cn", "Co"))  # assigned characters
    chars = st.sampled_from(_ALPHABET + breaks) | anything
    base = st.text(alphabet=chars, min_size=low, max_size=high)
    if kind == "token":
        return (
            base.map(lambda s: " ".join(s.split(" ")).strip(" "))
            .map(_collapse)
            .filter(lambda s: low <= len(s) <= high)
        )
    return base


def _collapse(text: str) -> str:
    while "  " in text:
        text = text.replace("  ", " ")
    return text


_SHORT = 24
guids = st.uuids().map(str).map(lambda s: s.upper() if len(s) % 2 else s)
dates = st.dates(min_value=pendulum.date(1990, 1, 1), max_value=pendulum.date(2100, 12, 31)).map(
    lambda d: pendulum.date(d.year, d.month, d.day)
)


@st.composite
def datetimes(draw: st.DrawFn) -> pendulum.DateTime:
    """Time-zone-aware times with a whole-minute offset."""
    day = draw(dates)
    offset = draw(st.integers(-14 * 4, 14 * 4)) * 15 * 60
    micro = draw(st.sampled_from([0, 0, 500_000, 123_456]))
    return pendulum.datetime(
        day.year,
        day.month,
        day.day,
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 59)),
        micro,
        tz=pendulum.FixedTimezone(offset),
    )


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


qualified = st.builds(
    QualifiedValue,
    value=_text(1, _SHORT, "normalized"),
    id=_opt(_text(1, 10, "token")),
    retro=_opt(st.booleans()),
    modified=_opt(datetimes()),
)
parties = st.builds(
    Party,
    region=_opt(qualified),
    organization=_opt(qualified),
    person=_opt(qualified),
    department=_opt(qualified),
    post=_opt(qualified),
    contact_info=_opt(_text(1, _SHORT)),
)
ref_parties = parties.map(
    lambda p: Party(p.region, p.organization, p.person, p.department, p.post, None)
)
comments = _opt(_text(1, _SHORT))
partners = st.builds(
    Partner, uid=guids, organization=_text(1, _SHORT, "normalized"), comment=comments
)
numbers = st.builds(DocumentNumber, number=_text(1, 31, "token"), date=_opt(dates))
addressees = st.builds(Addressee, party=parties, comment=comments, uid=_opt(guids))
addressee_lists = st.builds(
    AddresseeList,
    name=_text(0, _SHORT, "normalized"),
    contents=st.lists(addressees, min_size=1, max_size=2).map(tuple),
    id=_opt(_text(1, 10, "token")),
)
signatories = st.builds(Signatory, party=parties, signed=dates, comment=comments)
references = st.builds(DocumentReference, num=numbers, party=ref_parties, comment=comments)
correspondents = st.builds(Correspondent, party=parties, num=_opt(numbers), comment=comments)
file_ids = st.lists(st.integers(0, 99), max_size=3).map(tuple)
clauses = st.builds(
    Clause,
    designation=_opt(_text(0, _SHORT, "normalized")),
    text=_opt(_text(0, _SHORT)),
    deadline=_opt(dates),
    principal=_opt(addressees | addressee_lists),
    participants=st.lists(addressees | addressee_lists, max_size=2).map(tuple),
    comment=comments,
    local_id=_opt(st.integers(0, 1000)),
    id=_opt(_text(1, 10, "token")),
)
leaf_enclosures = st.builds(
    Enclosure,
    title=_text(0, _SHORT),
    pages=st.integers(0, 500),
    reference=_opt(references),
    file_ids=file_ids,
    comment=comments,
    uid=_opt(guids),
    id=_opt(_text(1, 10, "token")),
)
enclosures = st.builds(
    Enclosure,
    title=_text(0, _SHORT),
    pages=st.integers(0, 500),
    enclosures=st.lists(leaf_enclosures, max_size=2).map(tuple),
)
details = st.builds(
    LinkedDocumentDetails,
    num=numbers,
    signatories=st.lists(signatories, min_size=1, max_size=2).map(tuple),
    addressees=st.lists(addressees, min_size=1, max_size=2).map(tuple),
    pages=st.integers(0, 500),
    annotation=_opt(_text(0, _SHORT)),
    kind=_opt(qualified),
    classification=_opt(qualified),
    enclosures_pages=_opt(st.integers(0, 500)),
    enclosures=st.lists(leaf_enclosures, max_size=1).map(tuple),
    correspondents=st.lists(correspondents, max_size=1).map(tuple),
    clauses=st.lists(clauses, max_size=1).map(tuple),
    comment=comments,
)
links = st.builds(
    LinkedDocument,
    link_type=st.sampled_from(LinkType),
    target=references | details,
    uid=_opt(guids),
    id=_opt(_text(1, 10, "token")),
)
documents = st.builds(
    Document,
    uid=guids,
    num=numbers,
    signatories=st.lists(signatories, min_size=1, max_size=3).map(tuple),
    addressees=st.lists(addressees, min_size=1, max_size=3).map(tuple),
    pages=st.integers(0, 500),
    annotation=_opt(_text(0, 60)),
    id=_opt(_text(1, 10, "token")),
    type=_opt(qualified),
    kind=_opt(qualified),
    classification=_opt(qualified),
    urgency=_opt(qualified),
    instead_of_distributed=_opt(st.booleans()),
    special_mark=_opt(_text(1, _SHORT, "normalized")),
    enclosures_pages=_opt(st.integers(0, 500)),
    enclosures=st.lists(enclosures, max_size=2).map(tuple),
    correspondents=st.lists(correspondents, max_size=2).map(tuple),
    links=st.lists(links, max_size=2).map(tuple),
    clauses=st.lists(clauses, max_size=2).map(tuple),
    executor=_opt(addressees),
    file_ids=file_ids,
    comment=comments,
)
file_names = st.from_regex(r"[A-Za-zА-Яа-я0-9_-]{1,20}\.(pdf|p7s|sig|tif|doc)", fullmatch=True)
signer_infos = st.builds(
    SignerInfo,
    signature=file_names,
    digest_time=datetimes(),
    signer=parties,
    comment=_opt(_text(0, _SHORT)),
)
attached_files = st.builds(
    AttachedFile,
    local_name=file_names,
    group=st.sampled_from(FileGroup),
    local_id=_opt(st.integers(0, 99)),
    type=_opt(st.sampled_from(FileType)),
    description=_opt(_text(0, _SHORT)),
    pages=_opt(st.integers(0, 500)),
    signed_data=st.lists(
        st.builds(
            SignedData,
            signers=st.lists(signer_infos, min_size=1, max_size=2).map(tuple),
            local_name=_opt(file_names),
            type=_opt(st.sampled_from(FileType)),
        ),
        max_size=2,
    ).map(tuple),
)
headers = st.builds(
    Header,
    source=partners,
    uid=_opt(guids),
    created=_opt(datetimes()),
    operator=_opt(qualified),
    comment=comments,
)
destinations = st.lists(
    st.builds(
        Destination,
        partner=partners,
        file_ids=_opt(st.lists(st.integers(0, 99), min_size=1, max_size=3).map(tuple)),
        comment=comments,
    ),
    max_size=3,
).map(tuple)
versions = st.sampled_from(["2.6", "2.5", "2.4", "2.3"])

_common = {
    "time": datetimes(),
    "foundation": _opt(references),
    "clause": _opt(clauses),
    "correspondent": _opt(addressees),
}
events = st.one_of(
    st.builds(DocumentAccepted, num=numbers, **_common),
    st.builds(DocumentRefused, reason=st.sampled_from(RefusalReason), **_common),
    st.builds(
        ExecutorAssigned, secretary=addressees, manager=addressees, executor=addressees, **_common
    ),
    st.builds(ReportPrepared, signatory=signatories, **_common),
    st.builds(ReportSent, report=references, **_common),
    st.builds(CourseChanged, course_text=_text(0, 60), reference=_opt(references), **_common),
    st.builds(
        DocumentPublished,
        number=_text(1, 31, "token"),
        published=datetimes(),
        publication_point=_text(1, _SHORT, "normalized"),
        **_common,
    ),
)
notifications = st.builds(
    Notification,
    document_uid=guids,
    event=events,
    id=_opt(_text(1, 10, "token")),
    message_uid=_opt(guids),
    comment=comments,
)
hex_codes = st.binary(min_size=32, max_size=64).map(lambda b: b.hex())
acknowledgment_contents = st.builds(
    Acknowledgment,
    message_uid=guids,
    time=datetimes(),
    accepted=st.booleans(),
    comment=comments,
    content=_opt(_text(1, _SHORT, "normalized")),
    hash_codes=_opt(
        st.builds(
            HashCodes,
            items=st.lists(
                st.builds(HashCode, name=file_names, code=hex_codes), min_size=1, max_size=3
            ).map(tuple),
            algorithm=_opt(st.sampled_from(["sha256", "GOST R 34.11-2012 256"])),
        )
    ),
)


def document_messages() -> st.SearchStrategy[Message]:
    """Document messages of versions 2.3–2.6 with files, signatures and destinations."""
    return st.builds(
        Message,
        header=headers,
        content=st.builds(
            DocumentContent,
            document=documents,
            files=st.lists(attached_files, max_size=3).map(tuple),
        ),
        version=versions,
        destinations=destinations,
    )


def notification_messages() -> st.SearchStrategy[Message]:
    """Notification messages of every event type."""
    return st.builds(
        Message, header=headers, content=notifications, version=versions, destinations=destinations
    )


def acknowledgments() -> st.SearchStrategy[Message]:
    """Receipt messages, with and without ``hashCodes``."""
    return st.builds(
        Message,
        header=headers,
        content=acknowledgment_contents,
        version=versions,
        destinations=destinations,
    )


def messages() -> st.SearchStrategy[Message]:
    """Any message: a document, a notification or a receipt."""
    return document_messages() | notification_messages() | acknowledgments()
