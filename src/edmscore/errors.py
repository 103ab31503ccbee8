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
    │   ├── TemplateError                     a number template that cannot be used
    │   └── RetentionFormatError              retention notation that cannot be parsed
    ├── NotFound (LookupError)                no such card, journal, case, person, blob
    ├── ConflictError                         a stale write: the stored version moved on
    ├── DuplicateNumber                       a registration number already taken
    ├── AccessDenied (PermissionError)        the acting user may not see or do this
    ├── StateError                            an operation the object's state does not allow
    ├── StorageError                          the storage failed or refused
    │   ├── IntegrityError                    stored data does not match its checksum
    │   └── SchemaVersionError                unknown or newer database schema
    ├── CalendarError                         production calendar and deadlines
    │   ├── CalendarYearMissing (LookupError) no data for the year asked
    │   └── CalendarFormatError (ValueError)  a calendar file that cannot be read
    ├── SignatureError                        CMS or certificate input that cannot be read
    ├── PdfError                              a PDF that cannot be read or stamped
    │   ├── PdfDamaged                        a file pypdf cannot parse (corrupt, truncated)
    │   ├── PdfEncrypted                      an encrypted PDF (stamping would drop protection)
    │   ├── PdfEmpty                          no bytes, or no pages
    │   ├── PdfTooLarge                       over the size or page-count limit asked for
    │   ├── PdfLocked                         certified so that no mark may be added (DocMDP)
    │   └── PlacementError                    a mark that cannot be placed on the page
    └── ExchangeError                         interchange formats
        └── MedoError                         a MEDO message or container that cannot be used
"""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "CalendarError",
    "CalendarFormatError",
    "CalendarYearMissing",
    "ConflictError",
    "DuplicateNumber",
    "EdmsError",
    "ExchangeError",
    "IntegrityError",
    "MedoError",
    "NotFound",
    "PdfDamaged",
    "PdfEmpty",
    "PdfEncrypted",
    "PdfError",
    "PdfLocked",
    "PdfTooLarge",
    "PlacementError",
    "RetentionFormatError",
    "SchemaVersionError",
    "SignatureError",
    "StateError",
    "StorageError",
    "TemplateError",
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


class StateError(EdmsError):
    """The object's current state does not allow the operation."""


# --- storage ------------------------------------------------------------------------------------


class StorageError(EdmsError):
    """The storage adapter failed or refused an operation."""


class IntegrityError(StorageError):
    """Stored data does not match its checksum (a damaged or tampered blob)."""


class SchemaVersionError(StorageError):
    """The database schema is unknown to this version of edmscore, or newer than it."""


# --- calendar -----------------------------------------------------------------------------------


class CalendarError(EdmsError):
    """A production-calendar or deadline computation that cannot be done."""


class CalendarYearMissing(CalendarError, LookupError):
    """The calendar holds no data for the year asked, and no fallback was requested."""


class CalendarFormatError(CalendarError, ValidationError):
    """A calendar file (xmlcalendar XML or JSON, a plain list) that cannot be read."""


# --- signatures ---------------------------------------------------------------------------------


class SignatureError(EdmsError):
    """Signature or certificate input that cannot be read at all (malformed CMS, bad DER)."""


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


# --- exchange -----------------------------------------------------------------------------------


class ExchangeError(EdmsError):
    """An interchange document (MEDO, SSTU) that cannot be read or written."""


class MedoError(ExchangeError):
    """A MEDO message, notification or container that breaks the format."""
