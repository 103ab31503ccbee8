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
    │   ├── WrongType (TypeError)             an argument of the wrong type
    │   ├── ImportRejected                    a bulk import's bad rows, every one listed
    │   ├── TemplateError                     a number template that cannot be used
    │   ├── RetentionFormatError              retention notation that cannot be parsed
    │   └── InputTooLarge                     a file or value over its size bound (not read whole)
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
    │   ├── AlreadySetUp                      the first-run set-up of a set-up installation
    │   ├── ArchiveStateError                 a step the case's archival state does not allow
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
    │   ├── DeadlineAfterParent (ValueError)  a sub-assignment due after its parent
    │   └── DraftResolutionStateError (StateError) a draft resolution move its machine forbids
    ├── MissingDependency (ImportError)       an optional extra is not installed
    ├── SignatureError                        CMS or certificate input that cannot be read
    │   ├── CmsFormatError                    a CMS signature that is not well-formed
    │   ├── CertificateFormatError            a certificate that cannot be decoded
    │   ├── CrlFormatError                    a CRL that cannot be decoded
    │   ├── OcspFormatError                   an OCSP response or request that cannot be decoded
    │   ├── TrustListError (ValueError)       an accredited-CA list that cannot be read
    │   └── PoaFormatError (ValidationError)  a machine-readable power of attorney (МЧД) that
    │       │                                 breaks its format; .field names the element
    │       └── PoaUnsafeInput                hostile МЧД XML refused (DTD, entity, too large)
    ├── SigningError                          signing through a signer port (prepare, assemble)
    │   ├── UnsupportedSigningKey (ValueError) a certificate whose key cannot sign CAdES here
    │   ├── SigningRequestUnknown (LookupError) no pending request with that id (or answered)
    │   ├── SigningRequestExpired             the answer came after the request expired
    │   ├── SignatureValueInvalid (ValueError) a returned value that does not verify
    │   ├── SignerCertificateMismatch (ValueError) the answer names another certificate
    │   └── SignerFailed                      an external signer (process, service) failed
    ├── PdfError                              a PDF that cannot be read or stamped
    │   ├── PdfDamaged                        a file pypdf cannot parse (corrupt, truncated)
    │   ├── PdfEncrypted                      an encrypted PDF that needs a password to open
    │   ├── PdfEmpty                          no bytes, or no pages
    │   ├── PdfTooLarge                       over the size or page-count limit asked for
    │   ├── PdfLocked                         no mark allowed: DocMDP, or owner permissions
    │   ├── PdfRewriteLoss                    a rewrite that would lose or change content
    │   ├── PlacementError                    a mark that cannot be placed on the page
    │   └── PdfaConversionFailed              a document that could not be made PDF/A
    ├── ApprovalError                         approval of drafts: routes, visas, signing
    │   ├── RouteError (ValueError)           a route or template that cannot be used
    │   │   └── UnclearedParticipant          a ДСП route naming someone without clearance
    │   ├── ApprovalStateError (StateError)   a step the draft's state does not allow
    │   │   ├── ApprovedVersionMismatch       signing content other than the approved version
    │   │   └── PaperApprovalRequired         a ДСП draft of an organisation that approves on paper
    │   └── SignatureRejected                 the verifier did not accept the offered signature
    ├── ExchangeError                         interchange formats
    │   ├── MedoError                         a MEDO message or container that cannot be used
    │   │   ├── MedoFormatError (ValueError)  breaks the format; .element and .file name where
    │   │   │   └── MedoUnsafeInput           hostile input refused (DTD, zip bomb, bad path)
    │   │   ├── MedoFileExists (FileExistsError) unpacking would overwrite a file
    │   │   └── MedoUnroutable (ValueError)   output with no addressee or no MEDO address
    │   ├── SstuError (ValidationError)       an SSTU export that breaks the format's rules
    │   └── DispatchStateError (StateError)   a delivery-control move the dispatch forbids
    ├── ScanError                             scanned batches, barcodes and OCR
    │   ├── CardCodeInvalid (ValidationError) a text that is not a card's barcode code
    │   ├── ScanDamaged                       a batch or page that cannot be read
    │   ├── ScanToolMissing                   a program scanning needs is not installed
    │   └── OcrFailed                         the OCR engine failed on a file
    └── TransferPackageError                  an archive transfer package not built or read
        └── PackageUnsafe                     refused unread: sizes, paths, links, zip bomb
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

__all__ = [
    "LOCALES",
    "AccessDenied",
    "ActorBlocked",
    "AlreadySetUp",
    "AppealError",
    "ApprovalError",
    "ApprovalStateError",
    "ApprovedVersionMismatch",
    "ArchiveStateError",
    "BundleError",
    "CalendarError",
    "CalendarFormatError",
    "CalendarYearMissing",
    "CardCodeInvalid",
    "CertificateFormatError",
    "CmsFormatError",
    "ConflictError",
    "ControlError",
    "CrlFormatError",
    "DeadlineAfterParent",
    "DispatchStateError",
    "DraftResolutionStateError",
    "DuplicateNumber",
    "EdmsError",
    "ExchangeError",
    "IdInUse",
    "IllegalTransition",
    "ImportRejected",
    "InputTooLarge",
    "IntegrityError",
    "MedoError",
    "MedoFileExists",
    "MedoFormatError",
    "MedoUnroutable",
    "MedoUnsafeInput",
    "MissingDependency",
    "NotFound",
    "OcrFailed",
    "OcspFormatError",
    "PackageUnsafe",
    "PaperApprovalRequired",
    "PdfDamaged",
    "PdfEmpty",
    "PdfEncrypted",
    "PdfError",
    "PdfLocked",
    "PdfRewriteLoss",
    "PdfTooLarge",
    "PdfaConversionFailed",
    "PermissionDenied",
    "PlacementError",
    "PoaFormatError",
    "PoaUnsafeInput",
    "QuestionTransitionError",
    "RetentionFormatError",
    "RouteError",
    "ScanDamaged",
    "ScanError",
    "ScanToolMissing",
    "SchemaVersionError",
    "SignatureError",
    "SignatureRejected",
    "SignatureValueInvalid",
    "SignerCertificateMismatch",
    "SignerFailed",
    "SigningError",
    "SigningRequestExpired",
    "SigningRequestUnknown",
    "SstuError",
    "StateError",
    "StorageError",
    "StorageUnavailable",
    "TemplateError",
    "TransactionConflict",
    "TransferPackageError",
    "TrustListError",
    "UnclearedParticipant",
    "UnknownActor",
    "UnsupportedSigningKey",
    "ValidationError",
    "WrongType",
    "get_locale",
    "set_locale",
]


#: The locales of the message catalogue; ``en`` is the fallback.
LOCALES = ("en", "ru")
_default_locale = "en"


def set_locale(locale: str) -> None:
    """Set the locale :meth:`EdmsError.message` uses when a call names none (``en`` or ``ru``)."""
    global _default_locale
    if locale not in LOCALES:
        raise ValidationError("locale", f"not one of {', '.join(LOCALES)}: {locale!r}")
    _default_locale = locale


def get_locale() -> str:
    """The locale :meth:`EdmsError.message` uses when a call names none."""
    return _default_locale


def _snake_code(name: str) -> str:
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*", name)
    if len(words) > 1 and words[-1] == "Error":
        words.pop()
    return "_".join(words).upper()


class EdmsError(Exception):
    """The root of every error edmscore raises on purpose.

    Each class has a stable machine ``code`` (``NOT_FOUND``, ``PDF_DAMAGED``…), and each error
    carries structured fields: ``what`` (the kind of object), ``record`` (its id) and ``field``
    (the offending field), ``None`` where they do not apply, plus the class's own (see
    :attr:`fields`). :meth:`message` gives the text for a person, in English or Russian, from the
    message catalogue; it never carries internal ids. ``str(error)`` is the developer's text for
    logs (English, with ids).
    """

    #: The stable machine code of the class (a subclass without its own gets one from its name).
    code: ClassVar[str] = "EDMS_ERROR"
    #: The kind of object the error is about (``card``, ``journal``…), if any.
    what: str | None = None
    #: The id of the record the error is about, if any (for the host, never shown to a person).
    record: object = None
    #: The offending field (dotted for nested ones), if any.
    field: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            cls.code = _snake_code(cls.__name__)

    @property
    def fields(self) -> dict[str, Any]:
        """The structured fields: ``what``, ``record``, ``field`` and the class's own values."""
        found: dict[str, Any] = {"what": self.what, "record": self.record, "field": self.field}
        for name, value in vars(self).items():
            if not name.startswith("_") and name not in found:
                found[name] = value
        return found

    def message(self, locale: str | None = None) -> str:
        """The text for a person, from the message catalogue: ``locale`` or :func:`get_locale`."""
        from edmscore._error_catalogue import render

        return render(self, locale or _default_locale)

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        """What a UI or an API answer needs: ``code``, ``message`` and the fields (as text)."""
        fields = {
            k: v if v is None or isinstance(v, int | str) else str(v)
            for k, v in self.fields.items()
        }
        return {"code": self.code, "message": self.message(locale), **fields}


# --- validation ---------------------------------------------------------------------------------


class ValidationError(EdmsError, ValueError):
    """Input that breaks a rule; ``field`` names the offending field (dotted for nested ones)."""

    code = "VALIDATION"
    field: str

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.detail = message
        super().__init__(f"{field}: {message}")


class WrongType(ValidationError, TypeError):
    """An argument of the wrong type (a list where one mark goes, a string where a user goes).

    ``expected`` names the type asked for, ``given`` the type passed; ``field`` the argument.
    """

    code = "WRONG_TYPE"

    def __init__(self, field: str, expected: str, given: object) -> None:
        self.expected = expected
        self.given = type(given).__name__
        super().__init__(field, f"expected {expected}, got {self.given}")


class TemplateError(ValidationError):
    """A registration number template that cannot be parsed or rendered."""

    code = "NUMBER_TEMPLATE"


class RetentionFormatError(ValidationError):
    """A retention-period notation that cannot be parsed; ``text`` is what was given."""

    code = "RETENTION_FORMAT"

    def __init__(self, text: str, message: str = "unrecognised retention notation") -> None:
        self.text = text
        super().__init__("retention", f"{message}: {text!r}")


class InputTooLarge(ValidationError):
    """Input over its size bound, refused once the bound is passed (never read whole).

    ``field`` names what it is (``signature``…), ``limit`` the bound in bytes, ``source`` where
    it came from (a path).
    """

    code = "INPUT_TOO_LARGE"

    def __init__(self, field: str, limit: int, source: str = "") -> None:
        self.limit = limit
        self.source = source
        where = f" ({source})" if source else ""
        super().__init__(field, f"larger than {limit} bytes{where}")


# --- lookups, conflicts, access -----------------------------------------------------------------


class NotFound(EdmsError, LookupError):
    """Nothing is stored under the key asked for."""

    code = "NOT_FOUND"

    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        self.record = key
        super().__init__(f"{what} not found: {key!r}")


class ConflictError(EdmsError):
    """A write based on a stale version: someone else changed the object first."""

    code = "CONFLICT"

    def __init__(self, what: str, key: object, expected: int, actual: int) -> None:
        self.what = what
        self.key = key
        self.record = key
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{what} {key!r} was changed by someone else: expected version {expected}, "
            f"stored version is {actual}"
        )


class IdInUse(ConflictError):
    """A new object's id (chosen by the host) is already used; says nothing of the holder."""

    code = "ID_IN_USE"

    def __init__(self, what: str, key: object) -> None:
        EdmsError.__init__(self, f"{what} id {key!r} is already used")
        self.what, self.key, self.expected, self.actual = what, key, 0, 0
        self.record = key


class DuplicateNumber(EdmsError):
    """A registration number that is already taken in its journal and period."""

    code = "DUPLICATE_NUMBER"

    def __init__(self, journal_id: str, period: int, number: str) -> None:
        self.what = "journal"
        self.record = journal_id
        self.journal_id = journal_id
        self.period = period
        self.number = number
        super().__init__(
            f"registration number {number!r} is already taken in journal {journal_id!r}"
            f" (period {period})"
        )


class AccessDenied(EdmsError, PermissionError):
    """The acting user may not see or change the object."""

    code = "ACCESS_DENIED"


class UnknownActor(AccessDenied):
    """The identity a host vouches for names no user of the directory."""

    code = "UNKNOWN_ACTOR"

    def __init__(self, user_id: str) -> None:
        self.what = "user"
        self.record = user_id
        self.user_id = user_id
        super().__init__(f"no user {user_id!r} in the directory")


class ActorBlocked(AccessDenied):
    """The acting user is blocked or dismissed, or acts for someone they may not replace."""

    code = "ACTOR_BLOCKED"


class PermissionDenied(AccessDenied):
    """The acting user's roles do not grant the permission the operation needs."""

    code = "PERMISSION_DENIED"

    def __init__(self, permission: str, detail: str = "", *, message: str = "") -> None:
        self.permission = permission
        tail = f" ({detail})" if detail else ""
        super().__init__(message or f"the operation needs the permission {permission!r}{tail}")


class StateError(EdmsError):
    """The object's current state does not allow the operation."""

    code = "STATE"


class AlreadySetUp(StateError):
    """The first-run set-up asked of an installation that already has organisations."""

    code = "ALREADY_SET_UP"

    def __init__(self) -> None:
        self.what = "installation"
        super().__init__("the installation is already set up: it has organisations")


# --- storage ------------------------------------------------------------------------------------


class StorageError(EdmsError):
    """The storage adapter failed or refused an operation."""

    code = "STORAGE"


class IntegrityError(StorageError):
    """Stored data does not match its checksum (a damaged or tampered blob)."""

    code = "STORAGE_INTEGRITY"


class SchemaVersionError(StorageError):
    """The database schema is unknown to this version of edmscore, or newer than it."""

    code = "SCHEMA_VERSION"


class StorageUnavailable(StorageError):
    """The database cannot be reached or refused the connection."""

    code = "STORAGE_UNAVAILABLE"


class BundleError(StorageError):
    """A backup bundle is damaged, incomplete or does not follow its base; ``.part`` names the
    file (or manifest field) that is wrong and ``.reason`` what is wrong with it."""

    code = "BACKUP_BUNDLE"

    def __init__(self, part: str, reason: str) -> None:
        super().__init__(f"backup bundle: {part}: {reason}")
        self.part = part
        self.reason = reason


class ImportRejected(ValidationError):
    """A bulk import found bad rows and imported nothing; ``.problems`` lists every one as
    (file, row, field, reason), rows counted from 1."""

    code = "IMPORT_REJECTED"

    def __init__(self, problems: list[tuple[str, int, str, str]], total: int) -> None:
        listed = [p for p in problems if isinstance(p, tuple) and len(p) == 4]
        first = listed[0] if listed else ("", 0, "", "")
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

    code = "TRANSACTION_CONFLICT"

    def __init__(self, detail: str) -> None:
        self.what = "transaction"
        self.key = None
        self.record = None
        self.expected = 0
        self.actual = 0
        self.detail = detail
        EdmsError.__init__(self, f"a concurrent transaction got in the way; retry: {detail}")


# --- calendar -----------------------------------------------------------------------------------


class CalendarError(EdmsError):
    """A production-calendar or deadline computation that cannot be done."""

    code = "CALENDAR"


class CalendarYearMissing(CalendarError, LookupError):
    """The calendar holds no data for the year asked, and no fallback was requested."""

    code = "CALENDAR_YEAR_MISSING"


class CalendarFormatError(CalendarError, ValidationError):
    """A calendar file (xmlcalendar XML or JSON, a plain list) that cannot be read."""

    code = "CALENDAR_FORMAT"


# --- appeals ------------------------------------------------------------------------------------


class AppealError(EdmsError):
    """A citizens' appeal (обращение гражданина) operation that cannot be done."""

    code = "APPEAL"


class QuestionTransitionError(AppealError, StateError):
    """A question status move the appeal lifecycle forbids; names both statuses."""

    code = "QUESTION_TRANSITION"

    def __init__(self, appeal_id: str, question: int, current: str, target: str) -> None:
        self.what = "appeal"
        self.record = appeal_id
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

    code = "ILLEGAL_TRANSITION"

    def __init__(self, current: str, target: str, action: str = "") -> None:
        self.what = "assignment"
        self.current = current
        self.target = target
        self.action = action
        how = f" by {action!r}" if action else ""
        super().__init__(f"an assignment cannot go from {current!r} to {target!r}{how}")


class ControlError(EdmsError):
    """Resolutions, assignments and execution control."""

    code = "CONTROL"


class DraftResolutionStateError(ControlError, StateError):
    """A draft resolution move its state machine forbids (approving a rejected one, …)."""

    code = "DRAFT_RESOLUTION_STATE"

    def __init__(self, draft_id: str, current: str, move: str) -> None:
        self.what = "draft resolution"
        self.record = draft_id
        self.current = current
        self.move = move
        super().__init__(f"draft resolution {draft_id!r} is {current}: cannot {move} it")


class DeadlineAfterParent(ControlError, ValidationError):
    """A sub-assignment's deadline later than its parent's."""

    code = "DEADLINE_AFTER_PARENT"

    def __init__(self, due: object, parent_due: object) -> None:
        self.what = "assignment"
        self.due = due
        self.parent_due = parent_due
        ValidationError.__init__(
            self, "due", f"{due} is after the parent assignment's deadline {parent_due}"
        )


class MissingDependency(EdmsError, ImportError):
    """An optional dependency is not installed; ``extra`` names the extra that brings it."""

    code = "MISSING_DEPENDENCY"

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"the optional package {package} is not installed: install edmscore with the"
            f" {extra!r} extra (pip install '.[{extra}]' in a clone, or the wheel with"
            f" [{extra}]), or pip install {package}"
        )


# --- signatures ---------------------------------------------------------------------------------


class SignatureError(EdmsError):
    """Signature or certificate input that cannot be read at all (malformed CMS, bad DER)."""

    code = "SIGNATURE"


class CmsFormatError(SignatureError):
    """A CMS signature (SignedData) that is not well-formed, too large or too deeply nested."""

    code = "CMS_FORMAT"


class CertificateFormatError(SignatureError):
    """An X.509 certificate (a trust anchor or one inside a signature) that cannot be decoded."""

    code = "CERTIFICATE_FORMAT"


class CrlFormatError(SignatureError):
    """A certificate revocation list that cannot be decoded."""

    code = "CRL_FORMAT"


class OcspFormatError(SignatureError):
    """An OCSP response (RFC 6960) that cannot be decoded, or one too large."""

    code = "OCSP_FORMAT"


class TrustListError(SignatureError, ValueError):
    """An accredited-CA list (the Минцифры trusted-services XML) that cannot be read."""

    code = "TRUST_LIST_FORMAT"


class PoaFormatError(SignatureError, ValidationError):
    """A machine-readable power of attorney (МЧД) that cannot be read or breaks its format.

    ``field`` is the path of the offending element or attribute (``СвДов/@НомДовер``).
    """

    code = "POA_FORMAT"

    def __init__(self, field: str, message: str) -> None:
        ValidationError.__init__(self, field, message)


class PoaUnsafeInput(PoaFormatError):
    """Hostile МЧД XML refused: a DTD or entity declaration, or a file over the size bound."""

    code = "POA_UNSAFE_INPUT"


# --- signing -----------------------------------------------------------------------------------


class SigningError(EdmsError):
    """Signing through a signer port: preparing CAdES attributes, assembling the returned value."""

    code = "SIGNING"


class UnsupportedSigningKey(SigningError, ValueError):
    """A certificate whose key algorithm cannot make a CAdES signature here (GOST 2001, DSA…)."""

    code = "UNSUPPORTED_SIGNING_KEY"


class SigningRequestUnknown(SigningError, LookupError):
    """No pending signing request with that id: never made, cancelled or already answered."""

    code = "SIGNING_REQUEST_UNKNOWN"


class SigningRequestExpired(SigningError):
    """The signature value came after the signing request had expired; prepare it again."""

    code = "SIGNING_REQUEST_EXPIRED"


class SignatureValueInvalid(SigningError, ValueError):
    """The returned signature value does not verify over the prepared attributes."""

    code = "SIGNATURE_VALUE_INVALID"


class SignerCertificateMismatch(SigningError, ValueError):
    """The signer answered with another certificate than the one the request was prepared for."""

    code = "SIGNER_CERTIFICATE_MISMATCH"


class SignerFailed(SigningError):
    """An external signer (a process, a service) failed or gave no usable answer."""

    code = "SIGNER_FAILED"


# --- pdf ----------------------------------------------------------------------------------------


class PdfError(EdmsError):
    """A PDF that cannot be read, or a mark that cannot be placed."""

    code = "PDF"


class PdfDamaged(PdfError):
    """A file that is not a readable PDF: corrupt, truncated or structurally broken."""

    code = "PDF_DAMAGED"


class PdfEncrypted(PdfError):
    """An encrypted PDF that needs a password to open (a user password): it is refused."""

    code = "PDF_ENCRYPTED"


class PdfEmpty(PdfError):
    """An empty file, or a PDF without a single page."""

    code = "PDF_EMPTY"


class PdfTooLarge(PdfError):
    """A PDF over the byte or page limit the caller set."""

    code = "PDF_TOO_LARGE"


class PdfLocked(PdfError):
    """A PDF whose permissions allow no added mark: certified with DocMDP 1 or 2, or protected
    by an owner password whose permissions forbid changing the content (or adding annotations)."""


class PdfRewriteLoss(PdfError):
    """Rewriting the PDF would lose or change content (pages, resources, images, fonts, content
    streams): the rewritten file is not returned."""

    code = "PDF_REWRITE_LOSS"


class PlacementError(PdfError):
    """A mark that cannot be placed: no such page, or a box that does not fit on the page."""

    code = "PDF_PLACEMENT"


# --- approval -----------------------------------------------------------------------------------


class ApprovalError(EdmsError):
    """Approval of drafts: routes, visas, signing and registration of the signed document."""

    code = "APPROVAL"


class RouteError(ApprovalError, ValidationError):
    """An approval route or route template that cannot be used; ``field`` names what is wrong."""

    code = "APPROVAL_ROUTE"


class UnclearedParticipant(RouteError):
    """A route of a ДСП draft names a participant (or signatory) without ДСП clearance."""

    code = "UNCLEARED_PARTICIPANT"


class ApprovalStateError(ApprovalError, StateError):
    """An approval step the draft's current state does not allow (not your turn, cycle running…)."""

    code = "APPROVAL_STATE"


class ApprovedVersionMismatch(ApprovalStateError):
    """The content offered for signing is not the version the route approved."""

    code = "APPROVED_VERSION_MISMATCH"

    def __init__(self, approved_sha256: str, offered_sha256: str) -> None:
        self.what = "draft"
        self.approved_sha256 = approved_sha256
        self.offered_sha256 = offered_sha256
        super().__init__(
            f"the content offered for signing (sha256 {offered_sha256}) is not the approved "
            f"version (sha256 {approved_sha256})"
        )


class PaperApprovalRequired(ApprovalStateError):
    """A ДСП draft of an organisation whose policy keeps ДСП approval on paper."""

    code = "PAPER_APPROVAL_REQUIRED"


class SignatureRejected(ApprovalError):
    """The signature-verifier port did not accept the signature; ``failure`` is its report."""

    code = "SIGNATURE_REJECTED"

    def __init__(self, failure: object, message: str) -> None:
        self.failure = failure
        super().__init__(message)


# --- exchange -----------------------------------------------------------------------------------


class ExchangeError(EdmsError):
    """An interchange document (MEDO, SSTU) that cannot be read or written."""

    code = "EXCHANGE"


class MedoError(ExchangeError):
    """A MEDO message, notification or container that breaks the format."""

    code = "MEDO"


class MedoFormatError(MedoError, ValidationError):
    """A MEDO message, envelope or container that breaks the format.

    ``element`` is the path of the offending element or attribute (``document/num/number``,
    ``[ФАЙЛЫ]/3``), ``file`` the name of the file it was read from (``None`` for data in memory);
    ``field`` equals ``element``.
    """

    code = "MEDO_FORMAT"

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

    code = "MEDO_UNSAFE_INPUT"


class MedoFileExists(MedoError, FileExistsError):
    """Unpacking a container or letter would overwrite a file already in the target folder.

    ``element`` is the member's name, ``file`` the folder.
    """

    code = "MEDO_FILE_EXISTS"

    def __init__(self, element: str, message: str, *, file: str | None = None) -> None:
        self.element = element
        self.file = file
        where = f"{file}: " if file else ""
        super().__init__(f"{where}{element}: {message}")


class MedoUnroutable(MedoError, ValidationError):
    """Outgoing MEDO output that could not reach anyone: no addressee, or an addressee without
    a MEDO mailbox address or participant id in the directory. ``field`` names what is missing.
    """

    code = "MEDO_UNROUTABLE"


class SstuError(ExchangeError, ValidationError):
    """An SSTU (ССТУ.РФ) export that breaks the format's rules; names the appeal and the field."""

    code = "SSTU_FORMAT"

    def __init__(self, appeal: str, field: str, message: str) -> None:
        self.what = "appeal"
        self.record = appeal
        self.appeal = appeal
        ValidationError.__init__(self, field, f"appeal {appeal}: {message}")


class DispatchStateError(ExchangeError, StateError):
    """A move of a sent letter's delivery record that its state machine forbids.

    ``state`` is the record's state, ``move`` what was asked (``deliver``, ``register``…).
    """

    code = "DISPATCH_STATE"

    def __init__(self, state: str, move: str, message: str) -> None:
        self.what = "dispatch"
        self.state = state
        self.move = move
        super().__init__(f"{move} in state {state}: {message}")


# --- archive ------------------------------------------------------------------------------------


class ArchiveStateError(StateError):
    """A case's archival state forbids the step (``edmscore.archive``).

    ``number`` is the case index, ``state`` its state, ``move`` what was asked (``destroy``,
    ``inventory``, ``close``…).
    """

    code = "ARCHIVE_STATE"

    def __init__(self, number: str, state: str, move: str, message: str) -> None:
        self.what = "case"
        self.number = number
        self.state = state
        self.move = move
        super().__init__(f"case {number}: {move} in state {state}: {message}")


# --- scanning -----------------------------------------------------------------------------------


class ScanError(EdmsError):
    """Scanned batches, card barcodes and OCR (:mod:`edmscore.scanning`)."""

    code = "SCAN"


class CardCodeInvalid(ScanError, ValidationError):
    """A text that is not a card's barcode code, or one whose check digits do not match."""

    code = "CARD_CODE_INVALID"


class ScanDamaged(ScanError):
    """A scanned batch that cannot be read: not a PDF or TIFF, corrupt, or a page that does not
    decode. ``page`` is the page number (from 1) when one page is at fault."""

    code = "SCAN_DAMAGED"

    def __init__(self, detail: str, page: int | None = None) -> None:
        self.detail = detail
        self.page = page
        where = f"page {page}: " if page is not None else ""
        super().__init__(f"{where}{detail}")


class ScanToolMissing(ScanError):
    """A program scanning needs (``pdftoppm``, ``tesseract``) is not installed."""

    code = "SCAN_TOOL_MISSING"

    def __init__(self, tool: str, package: str) -> None:
        self.tool = tool
        self.package = package
        super().__init__(f"the program {tool} is not installed (Debian package {package})")


class OcrFailed(ScanError):
    """The OCR engine failed on a file; ``detail`` is what it said."""

    code = "OCR_FAILED"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"OCR failed: {detail}")


# --- archive: PDF/A and electronic transfer packages ---------------------------------------------


class PdfaConversionFailed(PdfError):
    """A document could not be made PDF/A for the archive (``edmscore.archive.pdfa``):
    Ghostscript is missing, failed, or its output is not the PDF/A asked for. ``detail`` says
    what happened."""

    code = "PDFA_CONVERSION"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"cannot make the document PDF/A: {detail}")


class TransferPackageError(EdmsError):
    """An electronic transfer package cannot be built or read (``edmscore.archive.package``):
    not a ZIP, no metadata or manifest, metadata not readable. ``detail`` says what."""

    code = "TRANSFER_PACKAGE"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"transfer package: {detail}")


class PackageUnsafe(TransferPackageError):
    """A package refused before anything of it is unpacked: over a size or entry-count
    ``limit``, an entry path leaving the package, an encrypted or linked entry, a compression
    ratio of a zip bomb."""

    code = "TRANSFER_PACKAGE_UNSAFE"

    def __init__(self, detail: str, limit: str = "") -> None:
        self.limit = limit
        super().__init__(detail)
