"""Opening a PDF defensively: size limits, encryption, damage and signatures, as typed errors."""

from __future__ import annotations

import io
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import DictionaryObject

from edmscore.errors import (
    MissingDependency,
    PdfDamaged,
    PdfEmpty,
    PdfEncrypted,
    PdfLocked,
    PdfTooLarge,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PAGES",
    "check_permissions",
    "docmdp_permission",
    "inherited",
    "is_signed",
    "open_pdf",
]

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_PAGES = 20_000
_MAX_DEPTH = 64
_MAX_FIELDS = 10_000


def open_pdf(source: bytes | BinaryIO, *, max_bytes: int, max_pages: int) -> PdfReader:
    """Parse ``source`` (bytes, or a seekable binary file) as a PDF.

    Every failure is an :class:`~edmscore.errors.PdfError`, or
    :class:`~edmscore.errors.MissingDependency` when an optional decoder (Brotli) is needed.
    An encrypted file opens when its user password is empty. A file is read as pypdf needs it,
    not copied into memory first.
    """
    stream: BinaryIO
    if isinstance(source, bytes):
        size, head, stream = len(source), source[:1024], io.BytesIO(source)
    else:
        stream = source
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        head = stream.read(1024)
        stream.seek(0)
    if not size:
        raise PdfEmpty("the input is empty")
    if size > max_bytes:
        raise PdfTooLarge(f"the input is {size} bytes, over the limit of {max_bytes}")
    if b"%PDF-" not in head:
        raise PdfDamaged("not a PDF: no %PDF- header in the first 1024 bytes")
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise PdfEncrypted("the PDF needs a password to open; decrypt it before stamping")
        count = _page_count(reader)
    except (PdfEncrypted, PdfEmpty, PdfTooLarge):
        raise
    except DependencyError as exc:
        raise missing_decoder(exc) from exc
    except Exception as exc:  # pypdf raises many kinds on broken input; none may leak
        raise PdfDamaged(f"the PDF cannot be read: {type(exc).__name__}: {exc}") from exc
    if count == 0:
        raise PdfEmpty("the PDF has no pages")
    if count > max_pages:
        raise PdfTooLarge(f"the PDF has {count} pages, over the limit of {max_pages}")
    return reader


def missing_decoder(exc: DependencyError) -> MissingDependency:
    """The typed error for a stream filter whose optional decoder is not installed."""
    package = "brotli" if "brotli" in str(exc).lower() else str(exc).split()[0]
    return MissingDependency(package, "brotli")


def _opens_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except DependencyError:
        raise
    except Exception:  # an encryption pypdf cannot handle opens no better than a wrong password
        return False


def _page_count(reader: PdfReader) -> int:
    from edmscore.pdf._pages import PageTree

    return len(PageTree(reader))


# Permission bits (ISO 32000-1, table 22): 4 modify the contents, 6 add or modify annotations.
_MODIFY = 1 << 3
_ANNOTATE = 1 << 5


def check_permissions(reader: PdfReader, annotations: bool) -> None:
    """Refuse (:class:`~edmscore.errors.PdfLocked`) a change the owner's permissions forbid.

    An unencrypted document allows everything. Marks in the content need permission to modify
    the contents; marks as annotations, permission to add annotations.
    """
    if not reader.is_encrypted:
        return
    encrypt = reader.trailer["/Encrypt"].get_object()
    value = encrypt.get("/P") if isinstance(encrypt, DictionaryObject) else None
    if not isinstance(value, int):
        raise PdfLocked("the encryption dictionary states no permissions (/P)")
    bits = int(value) & 0xFFFFFFFF
    needed, what = (_ANNOTATE, "add annotations") if annotations else (_MODIFY, "modify it")
    if not bits & needed:
        raise PdfLocked(f"the document's owner password permissions do not allow to {what}")


def inherited(page: DictionaryObject, key: str) -> object | None:
    """A page attribute, looked up through the page tree (/Resources, /MediaBox, /Rotate...)."""
    node: object = page
    for _ in range(_MAX_DEPTH):
        if not isinstance(node, DictionaryObject):
            return None
        if key in node:
            return node[key].get_object()
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def docmdp_permission(reader: PdfReader) -> int | None:
    """The certification's permission level (DocMDP /P: 1, 2 or 3), None when not certified."""
    root = reader.trailer["/Root"].get_object()
    perms = root.get("/Perms") if isinstance(root, DictionaryObject) else None
    perms = perms.get_object() if perms is not None else None
    if not isinstance(perms, DictionaryObject) or "/DocMDP" not in perms:
        return None
    signature = perms["/DocMDP"].get_object()
    references = signature.get("/Reference") if isinstance(signature, DictionaryObject) else None
    for reference in references.get_object() if references is not None else []:
        reference = reference.get_object()
        if not isinstance(reference, DictionaryObject):
            continue
        if reference.get("/TransformMethod") != "/DocMDP":
            continue
        params = reference.get("/TransformParams")
        params = params.get_object() if params is not None else None
        level = params.get("/P", 2) if isinstance(params, DictionaryObject) else 2
        return int(level)
    return 2  # a DocMDP signature without its transform parameters: the default level


def is_signed(reader: PdfReader) -> bool:
    """Whether the document holds a filled signature field (or declares /SigFlags 1)."""
    root = reader.trailer["/Root"].get_object()
    if not isinstance(root, DictionaryObject):
        return False
    form = root.get("/AcroForm")
    if form is None:
        return False
    form = form.get_object()
    if not isinstance(form, DictionaryObject):
        return False
    flags = form.get("/SigFlags")
    if flags is not None and int(flags.get_object()) & 1:
        return True
    fields = form.get("/Fields")
    pending = list(fields.get_object()) if fields is not None else []
    seen = 0
    while pending and seen < _MAX_FIELDS:
        field = pending.pop().get_object()
        seen += 1
        if not isinstance(field, DictionaryObject):
            continue
        if field.get("/FT") == "/Sig" and field.get("/V") is not None:
            return True
        kids = field.get("/Kids")
        if kids is not None:
            pending.extend(kids.get_object())
    return False
