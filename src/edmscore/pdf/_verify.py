"""A rewritten document, checked against what it was made from before it is returned.

Rewriting parses every object and writes it back, so whatever the parser read wrongly is
written wrongly: a name that runs over a NUL separator (``/DeviceRGB\\0 255`` read as one name)
comes out as ``/DeviceRGB#00255`` and the images using it vanish. The check compares, page by
page, the content and everything the resources reach (fonts, images, colour spaces), and looks
for names no correct parser produces; any difference is a
:class:`~edmscore.errors.PdfRewriteLoss` instead of a damaged document.
"""

from __future__ import annotations

import hashlib
import io
from typing import BinaryIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
)

from edmscore.errors import PdfRewriteLoss
from edmscore.pdf._incremental import unsafe_names

__all__ = ["page_fingerprint", "rewrite_verified"]

_MAX_NODES = 500_000


def _fingerprint(
    obj: object, digest: hashlib._Hash, memo: dict[int, int], budget: list[int]
) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise PdfRewriteLoss("the document is too large to check after rewriting")
    if isinstance(obj, IndirectObject):
        key = obj.idnum
        if key in memo:
            digest.update(b"R%d" % memo[key])
            return
        memo[key] = len(memo)
        digest.update(b"O")
        _fingerprint(obj.get_object(), digest, memo, budget)
        return
    if isinstance(obj, StreamObject):
        digest.update(b"S%d:" % len(obj._data))
        digest.update(obj._data)
    if isinstance(obj, DictionaryObject):
        digest.update(b"<<")
        for key in sorted(obj):
            if key in ("/Parent", "/Length", "/P"):
                continue
            digest.update(key.encode("utf-8", "surrogatepass"))
            _fingerprint(obj.raw_get(key), digest, memo, budget)
        digest.update(b">>")
    elif isinstance(obj, ArrayObject):
        digest.update(b"[")
        for item in obj:
            _fingerprint(item, digest, memo, budget)
        digest.update(b"]")
    elif isinstance(obj, NameObject):
        digest.update(b"/" + str(obj).encode("utf-8", "surrogatepass"))
    elif isinstance(obj, BooleanObject | NullObject):
        digest.update(repr(obj).encode())
    elif isinstance(obj, NumberObject | FloatObject | int | float):
        digest.update(b"%.6g" % float(obj))
    elif isinstance(obj, bytes | str):
        raw = obj.get_original_bytes() if hasattr(obj, "get_original_bytes") else obj
        digest.update(b"(" + (raw if isinstance(raw, bytes) else str(raw).encode()) + b")")


def page_fingerprint(page: DictionaryObject) -> str:
    """A digest of what a page shows: its content and everything its resources reach."""
    digest = hashlib.sha256()
    budget = [_MAX_NODES]
    contents = page.get_contents() if hasattr(page, "get_contents") else None
    digest.update(contents.get_data() if contents is not None else b"")
    for key in ("/Resources", "/MediaBox", "/CropBox", "/Rotate", "/Annots"):
        if key in page:
            digest.update(key.encode())
            _fingerprint(page.raw_get(key), digest, {}, budget)
    return digest.hexdigest()


def _unsafe_in(obj: object, budget: int = _MAX_NODES) -> list[str]:
    found: list[str] = []
    pending = [obj]
    seen: set[int] = set()
    while pending and budget > 0:
        budget -= 1
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        found.extend(unsafe_names(item, limit=1))
        if isinstance(item, NameObject):
            continue
        if isinstance(item, DictionaryObject):
            pending.extend(NameObject(key) for key in item)
            pending.extend(v for k, v in item.items() if k != "/Parent")
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return found


def rewrite_verified(data: bytes, out: BinaryIO, *, max_pages: int) -> None:
    """Rewrite the PDF ``data`` whole into ``out``, after checking that nothing is lost."""
    source = PdfReader(io.BytesIO(data), strict=False)
    for number, page in enumerate(source.pages, start=1):
        bad = _unsafe_in(page.raw_get("/Resources") if "/Resources" in page else None)
        if bad:
            names = ", ".join(sorted(set(bad))[:3])
            raise PdfRewriteLoss(
                f"page {number} uses names a rewrite cannot keep ({names}):"
                " stamp it by an incremental update instead"
            )
    writer = PdfWriter(clone_from=source)
    buffer = io.BytesIO()
    writer.write(buffer)
    result = PdfReader(io.BytesIO(buffer.getvalue()), strict=False)
    if len(result.pages) != len(source.pages) or len(result.pages) > max_pages:
        raise PdfRewriteLoss(
            f"the rewrite has {len(result.pages)} pages instead of {len(source.pages)}"
        )
    for number, (before, after) in enumerate(zip(source.pages, result.pages, strict=True), 1):
        if page_fingerprint(before) != page_fingerprint(after):
            raise PdfRewriteLoss(f"page {number} would change in the rewrite")
    out.write(buffer.getvalue())
