"""Pages of one PDF appended to another by an incremental update: the original stays a prefix.

The appended pages and what they use are copied into the update under new numbers and hung
under the root of the document's page tree; nothing of the original is parsed and written back
but that root node.
"""

from __future__ import annotations

import io
from typing import Any

from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject

from edmscore.errors import EdmsError, PdfDamaged, PdfLocked
from edmscore.pdf._incremental import IncrementalUpdate
from edmscore.pdf._pages import PageTree
from edmscore.pdf._reading import (
    check_permissions,
    docmdp_permission,
    missing_decoder,
    open_pdf,
)

__all__ = ["append_pages"]

_PAGE_KEYS = ("/Type", "/MediaBox", "/CropBox", "/Rotate", "/Resources", "/Contents", "/Annots")


def append_pages(document: bytes, pages: bytes, *, max_bytes: int, max_pages: int) -> bytes:
    """``document`` with every page of ``pages`` after its last, as an incremental update."""
    reader = open_pdf(document, max_bytes=max_bytes, max_pages=max_pages)
    extra = open_pdf(pages, max_bytes=max_bytes, max_pages=max_pages)
    try:
        level = docmdp_permission(reader)
        if level is not None and level < 3:
            raise PdfLocked(f"the document is certified with DocMDP permission {level}")
        check_permissions(reader, annotations=False)
        update = IncrementalUpdate(reader, document)
        root: Any = reader.trailer["/Root"].get_object()
        pages_ref = root.raw_get("/Pages")
        if not isinstance(pages_ref, IndirectObject):
            raise PdfDamaged("the page tree's root is not an indirect object")
        node: Any = pages_ref.get_object()
        kids_ref = node.raw_get("/Kids")
        kids: Any = kids_ref.get_object()
        if not isinstance(kids, ArrayObject):
            raise PdfDamaged("the page tree's root has no /Kids array")
        added = PageTree(extra)
        for index in range(len(added)):
            page = added[index]
            copy = DictionaryObject()
            for key in _PAGE_KEYS:
                if key in page:
                    copy[NameObject(key)] = update.import_object(page.raw_get(key))
            copy[NameObject("/Parent")] = pages_ref
            kids.append(update.add(copy))
        node[NameObject("/Count")] = NumberObject(int(node.get("/Count", 0)) + len(added))
        if isinstance(kids_ref, IndirectObject):
            update.replace(kids_ref, kids)
        update.replace(pages_ref, node)
        out = io.BytesIO()
        update.write(out)
    except EdmsError:
        raise
    except DependencyError as exc:
        raise missing_decoder(exc) from exc
    except Exception as exc:  # a damaged object met on the way; no pypdf error may leak
        raise PdfDamaged(f"the pages cannot be appended: {type(exc).__name__}: {exc}") from exc
    return out.getvalue()
