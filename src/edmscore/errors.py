"""The one error hierarchy of edmscore.

Every exception the library raises on purpose derives from :class:`EdmsError`, so a host can catch
everything edmscore means with one ``except``. Errors about bad input also derive from the builtin
:class:`ValueError` and name the offending field; lookups that find nothing also derive from
:class:`LookupError`; refusals of access from :class:`PermissionError`.

Verification *outcomes* (an invalid signature, an expired certificate) are values in a report, not
exceptions: an exception means the input could not be processed at all.

The tree::

    EdmsError
    ├── ValidationError (ValueError)          bad input; .field names what is wrong
    │   ├── ImportRejected                    a bulk import's bad rows, every one listed
    │   ├── TemplateError                     a number template that cannot be used
    │   └── RetentionFormatError              retention notation that cannot be parsed
    ├── NotFound (LookupError)                no such card, journal, case, person, blob
    ├── ConflictError                         a stale write: the stored version moved on
    │   ├── TransactionConflict               a concurrent transaction won; retry the unit
    │   └── IdInUse                           a new object's id is taken (no more is said)
    ├── DuplicateNumber                       a registration number already taken
    ├── AccessDenied (PermissionError)        the acting user may not see or do this
    │   ├── UnknownActor                      the vouched-for identity names no user
    │   ├── ActorBlocked                      a blocked or dismissed user, a deputy without right
    │   └── PermissionDenied                  the actor's roles lack the operation's permission
    ├── StateError                            an operation the object's state does not allow
    │   └── IllegalTransition                 an assignment move the state machine forbids
    ├── StorageError                          the storage failed or refused
    │   ├── IntegrityError                    stored data does not match its checksum
    │   ├── SchemaVersionError                unknown or newer database schema
    │   ├── StorageUnavailable                the database cannot be reached
    │   └── BundleError                       a backup bundle damaged, incomplete or out of order
    ├── CalendarError                         production calendar and deadlines
    │   ├── CalendarYearMissing (LookupError) no data for the year asked
    │   └── CalendarFormatError (ValueError)  a calendar file that cannot be read
    ├── AppealError                           citizens' appeals (59-FZ)
    │   └── QuestionTransitionError (StateError) a question status move the lifecycle forbids
    ├── ControlError                          resolutions, assignments, execution control
    │   └── DeadlineAfterParent (ValueError)  a sub-assignment due after its parent
    ├── MissingDependency (ImportError)       an optional extra is not installed
    ├── SignatureError                        CMS or certificate input that cannot be read
    │   ├── CmsFormatError                    a CMS signature that is not well-formed
    │   ├── CertificateFormatError            a certificate that cannot be decoded
    │   └── CrlFormatError                    a CRL that cannot be decoded
    ├── PdfError                              a PDF that cannot be read or stamped
    │   ├── PdfDamaged                        a file pypdf cannot parse (corrupt, truncated)
    │   ├── PdfEncrypted                      an encrypted PDF (stamping would drop protection)
    │   ├── PdfEmpty                          no bytes, or no pages
    │   ├── PdfTooLarge                       over the size or page-count limit asked for
    │   ├── PdfLocked                         certified so that no mark may be added (DocMDP)
    │   └── PlacementError                    a mark that cannot be placed on the page
    ├── ApprovalError                         approval of drafts: routes, visas, signing
    │   ├── RouteError (ValueError)           a route or template that cannot be used
    │   │   └── UnclearedParticipant          a ДСП route naming someone without clearance
    │   ├── ApprovalStateError (StateError)   a step the draft's state does not allow
    │   │   ├── ApprovedVersionMismatch       signing content other than the approved version
    │   │   └── PaperApprovalRequired         a ДСП draft of an organisation that approves on paper
    │   └── SignatureRejected                 the verifier did not accept the offered signature
    └── ExchangeError                         interchange formats
        ├── MedoError                         a MEDO message or container that cannot be used
        │   └── MedoFormatError (ValueError)  breaks the format; .element and .file name where
        │       └── MedoUnsafeInput           hostile input refused (DTD, zip bomb, bad path)
        ├── SstuError (ValidationError)       an SSTU export that breaks the format's rules
        └── DispatchStateError (StateError)   a delivery-control move the dispatch forbids
"""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "ActorBlocked",
    "AppealError",
    "ApprovalError",
    "ApprovalStateError",
    "ApprovedVersionMismatch",
    "BundleError",
    "CalendarError",
    "CalendarFormatError",
    "CalendarYearMissing",
    "CertificateFormatError",
    "CmsFormatError",
    "ConflictError",
    "ControlError",
    "CrlFormatError",
    "DeadlineAfterParent",
    "DispatchStateError",
    "DuplicateNumber",
    "EdmsError",
    "ExchangeError",
    "IdInUse",
    "IllegalTransition",
    "ImportRejected",
    "IntegrityError",
    "MedoError",
    "MedoFormatError",
    "MedoUnsafeInput",
    "MissingDependency",
    "NotFound",
    "PaperApprovalRequired",
    "PdfDamaged",
    "PdfEmpty",
    "PdfEncrypted",
    "PdfError",
    "PdfLocked",
    "PdfTooLarge",
    "PermissionDenied",
    "PlacementError",
    "QuestionTransitionError",
    "RetentionFormatError",
    "RouteError",
    "SchemaVersionError",
    "SignatureError",
    "SignatureRejected",
    "SstuError",
    "StateError",
    "StorageError",
    "StorageUnavailable",
    "TemplateError",
    "TransactionConflict",
    "UnclearedParticipant",
    "UnknownActor",
    "ValidationError",
]


class EdmsError(Exception):
    """The root of every error edmscore raises on purpose."""


# --- validation ---------------------------------------------------------------------------------


class ValidationError(EdmsError, ValueError):
    """Input that breaks a rule; ``field`` names the offending field (dotted for nested ones)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class TemplateError(ValidationError):
    """A registration number template that cannot be parsed or rendered."""


class RetentionFormatError(ValidationError):
    """A retention-period notation that cannot be parsed; ``text`` is what was given."""

    def __init__(self, text: str, message: str = "unrecognised retention notation") -> None:
        self.text = text
        super().__init__("retention", f"{message}: {text!r}")


# --- lookups, conflicts, access -----------------------------------------------------------------


class NotFound(EdmsError, LookupError):
    """Nothing is stored under the key asked for."""

    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        super().__init__(f"{what} not found: {key!r}")


class ConflictError(EdmsError):
    """A write based on a stale version: someone else changed the object first."""

    def __init__(self, what: str, key: object, expected: int, actual: int) -> None:
        self.what = what
        self.key = key
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{what} {key!r} was changed by someone else: expected version {expected}, "
            f"stored version is {actual}"
        )


class IdInUse(ConflictError):
    """A new object's id (chosen by the host) is already used; says nothing of the holder."""

    def __init__(self, what: str, key: object) -> None:
        EdmsError.__init__(self, f"{what} id {key!r} is already used")
        self.what, self.key, self.expected, self.actual = what, key, 0, 0


class DuplicateNumber(EdmsError):
    """A registration number that is already taken in its journal and period."""

    def __init__(self, journal_id: str, period: int, number: str) -> None:
        self.journal_id = journal_id
        self.period = period
        self.number = number
        super().__init__(
            f"registration number {number!r} is already taken in journal {journal_id!r}"
            f" (period {period})"
        )


class AccessDenied(EdmsError, PermissionError):
    """The acting user may not see or change the object."""


class UnknownActor(AccessDenied):
    """The identity a host vouches for names no user of the directory."""

    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
        super().__init__(f"no user {user_id!r} in the directory")


class ActorBlocked(AccessDenied):
    """The acting user is blocked or dismissed, or acts for someone they may not replace."""


class PermissionDenied(AccessDenied):
    """The acting user's roles do not grant the permission the operation needs."""

    def __init__(self, permission: str, detail: str = "", *, message: str = "") -> None:
        self.permission = permission
        tail = f" ({detail})" if detail else ""
        super().__init__(message or f"the operation needs the permission {permission!r}{tail}")


class StateError(EdmsError):
    """The object's current state does not allow the operation."""


# --- storage ------------------------------------------------------------------------------------


class StorageError(EdmsError):
    """The storage adapter failed or refused an operation."""


class IntegrityError(StorageError):
    """Stored data does not match its checksum (a damaged or tampered blob)."""


class SchemaVersionError(StorageError):
    """The database schema is unknown to this version of edmscore, or newer than it."""


class StorageUnavailable(StorageError):
    """The database cannot be reached or refused the connection."""


class BundleError(StorageError):
    """A backup bundle is damaged, incomplete or does not follow its base; ``.part`` names the
    file (or manifest field) that is wrong and ``.reason`` what is wrong with it."""

    def __init__(self, part: str, reason: str) -> None:
        super().__init__(f"backup bundle: {part}: {reason}")
        self.part = part
        self.reason = reason


class ImportRejected(ValidationError):
    """A bulk import found bad rows and imported nothing; ``.problems`` lists every one as
    (file, row, field, reason), rows counted from 1."""

    def __init__(self, problems: list[tuple[str, int, str, str]], total: int) -> None:
        first = problems[0] if problems else ("", 0, "", "")
        super().__init__(
            first[2] or "row",
            f"{total} bad row(s), nothing imported; first: {first[0]} row {first[1]}: {first[3]}",
        )
        self.problems = problems
        self.total = total


class TransactionConflict(ConflictError):
    """A concurrent transaction got in the way (serialization failure, deadlock, lock timeout).

    Nothing was written; running the whole unit of work again may succeed.
    """

    def __init__(self, detail: str) -> None:
        self.what = "transaction"
        self.key = None
        self.expected = 0
        self.actual = 0
        self.detail = detail
        EdmsError.__init__(self, f"a concurrent transaction got in the way; retry: {detail}")


# --- calendar -----------------------------------------------------------------------------------


class CalendarError(EdmsError):
    """A production-calendar or deadline computation that cannot be done."""


class CalendarYearMissing(CalendarError, LookupError):
    """The calendar holds no data for the year asked, and no fallback was requested."""


class CalendarFormatError(CalendarError, ValidationError):
    """A calendar file (xmlcalendar XML or JSON, a plain list) that cannot be read."""


# --- appeals ------------------------------------------------------------------------------------


class AppealError(EdmsError):
    """A citizens' appeal (обращение гражданина) operation that cannot be done."""


class QuestionTransitionError(AppealError, StateError):
    """A question status move the appeal lifecycle forbids; names both statuses."""

    def __init__(self, appeal_id: str, question: int, current: str, target: str) -> None:
        self.appeal_id = appeal_id
        self.question = question
        self.current = current
        self.target = target
        super().__init__(
            f"appeal {appeal_id!r}, question {question}: cannot move from {current} to {target}"
        )


# --- control ------------------------------------------------------------------------------------


class IllegalTransition(StateError):
    """An assignment move its state machine forbids; names both states and the action."""

    def __init__(self, current: str, target: str, action: str = "") -> None:
        self.current = current
        self.target = target
        self.action = action
        how = f" by {action!r}" if action else ""
        super().__init__(f"an assignment cannot go from {current!r} to {target!r}{how}")


class ControlError(EdmsError):
    """Resolutions, assignments and execution control."""


class DeadlineAfterParent(ControlError, ValidationError):
    """A sub-assignment's deadline later than its parent's."""

    def __init__(self, due: object, parent_due: object) -> None:
        self.due = due
        self.parent_due = parent_due
        ValidationError.__init__(
            self, "due", f"{due} is after the parent assignment's deadline {parent_due}"
        )


class MissingDependency(EdmsError, ImportError):
    """An optional dependency is not installed; ``extra`` names the extra that brings it."""

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(f"{package} is needed: pip install 'edmscore[{extra}]'")


# --- signatures ---------------------------------------------------------------------------------


class SignatureError(EdmsError):
    """Signature or certificate input that cannot be read at all (malformed CMS, bad DER)."""


class CmsFormatError(SignatureError):
    """A CMS signature (SignedData) that is not well-formed, too large or too deeply nested."""


class CertificateFormatError(SignatureError):
    """An X.509 certificate (a trust anchor or one inside a signature) that cannot be decoded."""


class CrlFormatError(SignatureError):
    """A certificate revocation list that cannot be decoded."""


# --- pdf ----------------------------------------------------------------------------------------


class PdfError(EdmsError):
    """A PDF that cannot be read, or a mark that cannot be placed."""


class PdfDamaged(PdfError):
    """A file that is not a readable PDF: corrupt, truncated or structurally broken."""


class PdfEncrypted(PdfError):
    """An encrypted PDF: stamping it would have to drop or redo its protection, so it is refused."""


class PdfEmpty(PdfError):
    """An empty file, or a PDF without a single page."""


class PdfTooLarge(PdfError):
    """A PDF over the byte or page limit the caller set."""


class PdfLocked(PdfError):
    """A certified PDF whose permissions (DocMDP 1 or 2) allow no added mark or annotation."""


class PlacementError(PdfError):
    """A mark that cannot be placed: no such page, or a box that does not fit on the page."""


# --- approval -----------------------------------------------------------------------------------


class ApprovalError(EdmsError):
    """Approval of drafts: routes, visas, signing and registration of the signed document."""


class RouteError(ApprovalError, ValidationError):
    """An approval route or route template that cannot be used; ``field`` names what is wrong."""


class UnclearedParticipant(RouteError):
    """A route of a ДСП draft names a participant (or signatory) without ДСП clearance."""


class ApprovalStateError(ApprovalError, StateError):
    """An approval step the draft's current state does not allow (not your turn, cycle running…)."""


class ApprovedVersionMismatch(ApprovalStateError):
    """The content offered for signing is not the version the route approved."""

    def __init__(self, approved_sha256: str, offered_sha256: str) -> None:
        self.approved_sha256 = approved_sha256
        self.offered_sha256 = offered_sha256
        super().__init__(
            f"the content offered for signing (sha256 {offered_sha256}) is not the approved "
            f"version (sha256 {approved_sha256})"
        )


class PaperApprovalRequired(ApprovalStateError):
    """A ДСП draft of an organisation whose policy keeps ДСП approval on paper."""


class SignatureRejected(ApprovalError):
    """The signature-verifier port did not accept the signature; ``failure`` is its report."""

    def __init__(self, failure: object, message: str) -> None:
        self.failure = failure
        super().__init__(message)


# --- exchange -----------------------------------------------------------------------------------


class ExchangeError(EdmsError):
    """An interchange document (MEDO, SSTU) that cannot be read or written."""


class MedoError(ExchangeError):
    """A MEDO message, notification or container that breaks the format."""


class MedoFormatError(MedoError, ValidationError):
    """A MEDO message, envelope or container that breaks the format.

    ``element`` is the path of the offending element or attribute (``document/num/number``,
    ``[ФАЙЛЫ]/3``), ``file`` the name of the file it was read from (``None`` for data in memory);
    ``field`` equals ``element``.
    """

    def __init__(self, element: str, message: str, *, file: str | None = None) -> None:
        ValidationError.__init__(self, element, message)
        self.element = element
        self.file = file
        where = f"{file}: " if file else ""
        self.args = (f"{where}{element}: {message}",)

    def __str__(self) -> str:
        return str(self.args[0])


class MedoUnsafeInput(MedoFormatError):
    """Hostile input refused: a DTD or entity, a path outside the letter, a zip bomb."""


class SstuError(ExchangeError, ValidationError):
    """An SSTU (ССТУ.РФ) export that breaks the format's rules; names the appeal and the field."""

    def __init__(self, appeal: str, field: str, message: str) -> None:
        self.appeal = appeal
        ValidationError.__init__(self, field, f"appeal {appeal}: {message}")


class DispatchStateError(ExchangeError, StateError):
    """A move of a sent letter's delivery record that its state machine forbids.

    ``state`` is the record's state, ``move`` what was asked (``deliver``, ``register``…).
    """

    def __init__(self, state: str, move: str, message: str) -> None:
        self.state = state
        self.move = move
        super().__init__(f"{move} in state {state}: {message}")
