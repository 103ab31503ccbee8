"""Pages by number without reading the whole page tree: the tree's /Count leads to the page.

A long document stamped on its last page only reads the nodes on the way there. A tree whose
counts do not add up is read whole, as pypdf reads it.
"""

from __future__ import annotations

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

__all__ = ["PageTree"]

_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_MAX_DEPTH = 64


class PageTree:
    """The pages of ``reader``, found through the tree's counts."""

    def __init__(self, reader: PdfReader) -> None:
        self._reader = reader
        self._cache: dict[int, PageObject] = {}
        self._kids: dict[int, list[tuple[IndirectObject, DictionaryObject, int | None]] | None] = {}
        self._flat = False
        root = reader.trailer["/Root"].get_object()
        pages = root.get("/Pages") if isinstance(root, DictionaryObject) else None
        self._root = pages.get_object() if pages is not None else None
        count = self._root.get("/Count") if isinstance(self._root, DictionaryObject) else None
        self.count = int(count) if isinstance(count, int) and count > 0 else 0
        if not self.count or self._walk(self.count - 1) is None:
            self._use_flat()

    def _use_flat(self) -> None:
        self._flat = True
        self.count = len(self._reader.pages)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> PageObject:
        if index not in self._cache:
            page = None if self._flat else self._walk(index)
            if page is None:
                if not self._flat:
                    self._use_flat()
                page = self._reader.pages[index]
            self._cache[index] = page
        return self._cache[index]

    def _walk(self, index: int) -> PageObject | None:
        node: object = self._root
        inherited: dict[str, PdfObject] = {}
        remaining = index
        for _ in range(_MAX_DEPTH):
            if not isinstance(node, DictionaryObject):
                return None
            for key in _INHERITED:
                if key in node:
                    inherited[key] = node.raw_get(key)
            kids = self._children(node)
            if kids is None:
                return None
            for kid, child, count in kids:
                if count is not None:
                    if remaining < count:
                        node = child
                        break
                    remaining -= count
                else:
                    if remaining == 0:
                        return self._page(kid, child, inherited)
                    remaining -= 1
            else:
                return None
        return None

    def _children(
        self, node: DictionaryObject
    ) -> list[tuple[IndirectObject, DictionaryObject, int | None]] | None:
        """A node's kids with their page counts (None for a page), read once per node."""
        key = id(node)
        if key in self._kids:
            return self._kids[key]
        found = self._read_children(node)
        self._kids[key] = found
        return found

    @staticmethod
    def _read_children(
        node: DictionaryObject,
    ) -> list[tuple[IndirectObject, DictionaryObject, int | None]] | None:
        kids = node.get("/Kids")
        kids = kids.get_object() if kids is not None else None
        if not isinstance(kids, ArrayObject):
            return None
        found: list[tuple[IndirectObject, DictionaryObject, int | None]] = []
        for kid in kids:
            child = kid.get_object() if isinstance(kid, IndirectObject) else None
            if not isinstance(kid, IndirectObject) or not isinstance(child, DictionaryObject):
                return None
            if child.get("/Type") == "/Pages" or "/Kids" in child:
                count = child.get("/Count")
                if not isinstance(count, int) or count < 0:
                    return None
                found.append((kid, child, int(count)))
            else:
                found.append((kid, child, None))
        return found

    def _page(
        self, ref: IndirectObject, page: DictionaryObject, inherited: dict[str, PdfObject]
    ) -> PageObject:
        result = PageObject(self._reader, ref)
        result.update(page)
        copied = set()
        for key, value in inherited.items():
            if key not in result:
                result[NameObject(key)] = value
                copied.add(key)
        result.__dict__["edms_inherited"] = copied
        return result
