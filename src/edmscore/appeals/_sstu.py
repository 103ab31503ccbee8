"""The SSTU (ССТУ.РФ) export: one JSON document per appeal with its questions' statuses.

:func:`sstu_appeal` maps an :class:`~edmscore.appeals.Appeal` to an :class:`SstuAppeal`;
:func:`validate_sstu` checks the format's rules (required fields, date order, the attachment
limit) and raises :class:`~edmscore.errors.SstuError` naming the appeal and the field;
:func:`write_sstu` writes the JSON to a binary stream, encoding an attachment to base64 in chunks
as it is read (never the whole file in memory at once); :func:`parse_sstu` reads a document back.
Dates are ``yyyy-MM-dd``. The author's name and addresses are personal data the format requires.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from collections.abc import Callable
from typing import IO, Any

import attrs
import pendulum

from edmscore.appeals._enums import QuestionStatus
from edmscore.appeals._model import Appeal, Question
from edmscore.appeals._topics import is_question_code
from edmscore.errors import SstuError

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "SSTU_STATUSES",
    "SstuAppeal",
    "SstuAttachment",
    "SstuOptions",
    "SstuQuestion",
    "SstuTransfer",
    "sstu_appeal",
    "sstu_json",
    "validate_sstu",
    "write_sstu",
]

#: An attachment must be smaller than this many bytes.
MAX_ATTACHMENT_BYTES = 10**7
#: The status names of the format.
SSTU_STATUSES = frozenset(s.value for s in QuestionStatus if s is not QuestionStatus.EXTENDED)
_REGISTERED_ON = SSTU_STATUSES - {"NotReceived", "NotRegistered"}
_RESPONSE_NEEDED = frozenset({"Explained", "Supported", "NotSupported", "Answered"})
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_CHUNK = 3 * 64 * 1024


@attrs.frozen
class SstuOptions:
    """How statuses SSTU does not name are exported.

    ``extended_status`` is sent for a question whose consideration was extended: ``InWork`` by
    default (it is still being considered); a host whose SSTU version knows a status of its own
    for it names that here.
    """

    extended_status: str = "InWork"


@attrs.frozen
class SstuAttachment:
    """An attachment: its file name, size in bytes and sha256 (the content is streamed)."""

    name: str
    size: int
    sha256: str


@attrs.frozen
class SstuTransfer:
    """Where a question was redirected: the body's SSTU id, the date and cover number."""

    department_id: str
    transfer_date: pendulum.Date
    transfer_number: str


@attrs.frozen
class SstuQuestion:
    """One question as the format has it."""

    code: str
    status: str
    incoming_date: pendulum.Date
    registration_date: pendulum.Date | None = None
    response_date: pendulum.Date | None = None
    attachment: SstuAttachment | None = None
    actions_taken: str | None = None
    transfer: SstuTransfer | None = None


@attrs.frozen
class SstuAppeal:
    """One appeal as the format has it (not checked until :func:`validate_sstu`)."""

    department_id: str
    is_direct: bool
    format: str
    number: str
    name: str
    questions: tuple[SstuQuestion, ...]
    create_date: pendulum.Date | None = None
    address: str | None = None
    email: str | None = None


def _question(appeal: Appeal, q: Question, options: SstuOptions) -> SstuQuestion:
    status = q.status
    code = options.extended_status if status is QuestionStatus.EXTENDED else status.value
    response = None
    attachment = None
    if q.answer is not None:
        response = q.answer.date
        ref = q.answer.file
        if ref is not None:
            attachment = SstuAttachment(ref.name, ref.size, ref.sha256)
    elif status is QuestionStatus.LEFT_WITHOUT_ANSWER:
        response = q.status_date
    transfer = None
    if q.transfer is not None:
        transfer = SstuTransfer(q.transfer.department_id or "", q.transfer.date, q.transfer.number)
    return SstuQuestion(
        code=q.topic,
        status=code,
        incoming_date=appeal.received_on,
        registration_date=appeal.registered_on,
        response_date=response,
        attachment=attachment,
        actions_taken=q.actions_taken or None if status is QuestionStatus.SUPPORTED else None,
        transfer=transfer,
    )


def sstu_appeal(
    appeal: Appeal, department_id: str, options: SstuOptions | None = None
) -> SstuAppeal:
    """Map ``appeal`` to its SSTU document (``department_id``: this body's GUID in SSTU)."""
    options = options or SstuOptions()
    forwarding = appeal.forwarding
    first = appeal.authors[0]
    return SstuAppeal(
        department_id=department_id,
        is_direct=forwarding is None,
        format=appeal.form.sstu_format,
        number=forwarding.cover_number if forwarding else appeal.number,
        create_date=forwarding.cover_date if forwarding else None,
        name=", ".join(author.full_name for author in appeal.authors),
        address=first.postal_address or None,
        email=first.email or None,
        questions=tuple(_question(appeal, q, options) for q in appeal.questions),
    )


def validate_sstu(doc: SstuAppeal, *, extra_statuses: frozenset[str] = frozenset()) -> None:
    """Check the format's rules; raise SstuError naming the appeal and the field."""
    ref = doc.number or "(без номера)"

    def fail(field: str, message: str) -> None:
        raise SstuError(ref, field, message)

    if not _GUID.fullmatch(doc.department_id or ""):
        fail("departmentId", f"not a GUID: {doc.department_id!r}")
    if doc.format not in ("Electronic", "Other"):
        fail("format", f"must be Electronic or Other: {doc.format!r}")
    if not doc.number.strip():
        fail("number", "required")
    if not doc.name.strip():
        fail("name", "required")
    if not doc.is_direct and doc.create_date is None:
        fail("createDate", "required for a forwarded appeal")
    if not doc.questions:
        fail("questions", "at least one question")
    for i, q in enumerate(doc.questions):
        at = f"questions[{i}]"
        if not is_question_code(q.code):
            fail(f"{at}.code", f"not a four-level classifier code: {q.code!r}")
        if q.status not in SSTU_STATUSES | extra_statuses:
            fail(f"{at}.status", f"unknown status {q.status!r}")
        if not doc.is_direct and doc.create_date and q.incoming_date < doc.create_date:
            fail(f"{at}.incomingDate", "before the cover letter's date (createDate)")
        reg = q.registration_date
        if q.status in _REGISTERED_ON and reg is None:
            fail(f"{at}.registrationDate", f"required for status {q.status}")
        if reg is not None and reg < q.incoming_date:
            fail(f"{at}.registrationDate", "before incomingDate")
        if q.status in _RESPONSE_NEEDED and q.response_date is None:
            fail(f"{at}.responseDate", f"required for status {q.status}")
        if q.response_date is not None and (reg is None or q.response_date < reg):
            fail(f"{at}.responseDate", "before registrationDate")
        if q.status == "Supported" and not (q.actions_taken or "").strip():
            fail(f"{at}.actionsTaken", "required for status Supported")
        if q.status == "Transferred":
            t = q.transfer
            if t is None:
                fail(f"{at}.transfer", "required for status Transferred")
            else:
                if not _GUID.fullmatch(t.department_id):
                    fail(f"{at}.transfer.departmentId", f"not a GUID: {t.department_id!r}")
                if not t.transfer_number.strip():
                    fail(f"{at}.transfer.transferNumber", "required")
                if reg is not None and t.transfer_date < reg:
                    fail(f"{at}.transfer.transferDate", "before registrationDate")
        a = q.attachment
        if a is not None:
            if not a.name.strip():
                fail(f"{at}.attachment.name", "required")
            if not 0 < a.size < MAX_ATTACHMENT_BYTES:
                fail(f"{at}.attachment", f"{a.size} bytes; must be 1..{MAX_ATTACHMENT_BYTES - 1}")


def _date(day: pendulum.Date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _stream_base64(
    ref: str, field: str, attachment: SstuAttachment, source: IO[bytes], out: IO[bytes]
) -> None:
    digest = hashlib.sha256()
    total = 0
    while True:
        chunk = source.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total >= MAX_ATTACHMENT_BYTES:
            raise SstuError(ref, field, f"attachment reaches {MAX_ATTACHMENT_BYTES} bytes")
        digest.update(chunk)
        out.write(base64.b64encode(chunk))  # _CHUNK is a multiple of 3: no padding inside
    if total != attachment.size or digest.hexdigest() != attachment.sha256:
        raise SstuError(ref, field, "the attachment's content does not match its size and hash")


def write_sstu(
    doc: SstuAppeal,
    out: IO[bytes],
    open_attachment: Callable[[SstuAttachment], IO[bytes]] | None = None,
    *,
    extra_statuses: frozenset[str] = frozenset(),
) -> None:
    """Validate ``doc`` and write it as UTF-8 JSON to ``out``, streaming attachments.

    ``open_attachment`` opens an attachment's content for reading (the blob store); it is needed
    when any question has one. The content is checked against the attachment's size and sha256.
    """
    validate_sstu(doc, extra_statuses=extra_statuses)
    head: dict[str, Any] = {
        "departmentId": doc.department_id,
        "isDirect": doc.is_direct,
        "format": doc.format,
        "number": doc.number,
    }
    if doc.create_date is not None:
        head["createDate"] = _date(doc.create_date)
    head["name"] = doc.name
    if doc.address is not None:
        head["address"] = doc.address
    if doc.email is not None:
        head["email"] = doc.email
    out.write(_dump(head)[:-1] + b', "questions": [')
    for i, q in enumerate(doc.questions):
        if i:
            out.write(b", ")
        body: dict[str, Any] = {
            "code": q.code,
            "status": q.status,
            "incomingDate": _date(q.incoming_date),
        }
        if q.registration_date is not None:
            body["registrationDate"] = _date(q.registration_date)
        if q.response_date is not None:
            body["responseDate"] = _date(q.response_date)
        if q.actions_taken is not None:
            body["actionsTaken"] = q.actions_taken
        if q.transfer is not None:
            body["transfer"] = {
                "departmentId": q.transfer.department_id,
                "transferDate": _date(q.transfer.transfer_date),
                "transferNumber": q.transfer.transfer_number,
            }
        if q.attachment is None:
            out.write(_dump(body))
            continue
        if open_attachment is None:
            raise SstuError(doc.number, f"questions[{i}].attachment", "no way to read the file")
        out.write(_dump(body)[:-1] + b', "attachment": {"name": ')
        out.write(_dump(q.attachment.name) + b', "content": "')
        source = open_attachment(q.attachment)
        try:
            _stream_base64(doc.number, f"questions[{i}].attachment", q.attachment, source, out)
        finally:
            source.close()
        out.write(b'"}}')
    out.write(b"]}")


def sstu_json(
    doc: SstuAppeal,
    read_attachment: Callable[[SstuAttachment], bytes] | None = None,
    *,
    extra_statuses: frozenset[str] = frozenset(),
) -> bytes:
    """The document as JSON bytes (see :func:`write_sstu`)."""
    out = io.BytesIO()
    opener = None
    if read_attachment is not None:
        reader = read_attachment

        def opener(a: SstuAttachment) -> IO[bytes]:
            return io.BytesIO(reader(a))

    write_sstu(doc, out, opener, extra_statuses=extra_statuses)
    return out.getvalue()
