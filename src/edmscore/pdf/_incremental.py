"""An incremental update written by hand: the original bytes, then only what changed.

Nothing of the original is parsed and written back: the changed objects (the touched pages'
dictionaries) and the new ones (marks, content streams) follow the original bytes, then a
cross-reference section of the same kind as the original's last one (a table or a stream) whose
``/Prev`` points at it, and a trailer whose ``/Size`` is one past the highest object number.
Objects of an encrypted document are encrypted with its key, as the reader expects.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import Any, BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

from edmscore.errors import PdfDamaged

__all__ = ["IncrementalUpdate", "unsafe_names"]

_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_CHUNK = 1 << 20
_MAX_IMPORT = 100_000
# Characters a name cannot hold even escaped (NUL), or that a correct parser never leaves in a
# name (white space, delimiters): their presence means the original was read wrongly.
_BAD_NAME = re.compile(r"[\x00\t\n\x0c\r ()<>\[\]{}%]")


def unsafe_names(obj: object, limit: int = 20_000) -> list[str]:
    """Names in ``obj`` (direct parts only) that cannot be written back as they were read."""
    found: list[str] = []
    pending: list[object] = [obj]
    seen = 0
    while pending and seen < limit:
        item = pending.pop()
        seen += 1
        if isinstance(item, IndirectObject):
            continue
        if isinstance(item, NameObject) and _BAD_NAME.search(item[1:]):
            found.append(repr(str(item)))
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                pending.append(NameObject(key))
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return found


class IncrementalUpdate:
    """The objects an update adds or replaces, and the writing of the update after ``source``."""

    def __init__(self, reader: PdfReader, source: bytes | BinaryIO) -> None:
        self.reader = reader
        self._source = source
        trailer = reader.trailer
        size = trailer.get("/Size")
        highest = max(
            [0, *(n for table in reader.xref.values() for n in table), *reader.xref_objStm]
        )
        self._next = max(int(size) if isinstance(size, int) else 0, highest + 1)
        self._objects: dict[int, tuple[int, PdfObject]] = {}
        self._imported: dict[tuple[int, int, int], IndirectObject] = {}
        self._sources: dict[int, object] = {}
        self.touched_pages: list[int] = []

    # --- adding objects -------------------------------------------------------------------

    def add(self, obj: PdfObject) -> IndirectObject:
        """Give ``obj`` a new object number in the update; returns its reference."""
        number = self._next
        self._next += 1
        self._objects[number] = (0, obj)
        return IndirectObject(number, 0, self)

    def get_object(self, ref: IndirectObject | int) -> PdfObject | None:
        """An object of the update by reference, else the original's (what pypdf resolves)."""
        number = ref if isinstance(ref, int) else ref.idnum
        if number in self._objects:
            return self._objects[number][1]
        if isinstance(ref, int):
            return self.reader.get_object(ref)
        return self.reader.get_object(IndirectObject(ref.idnum, ref.generation, self.reader))

    def replace(self, ref: IndirectObject, obj: PdfObject) -> None:
        """Write ``obj`` in place of the original object ``ref``."""
        self._objects[ref.idnum] = (ref.generation, obj)

    def new_objects(self) -> list[PdfObject]:
        """The objects the update writes (added and replaced), for checks before writing."""
        return [obj for _, obj in self._objects.values()]

    def _add_object(self, obj: PdfObject) -> IndirectObject:
        """The name pypdf's cloning calls: the same as :meth:`add`."""
        return self.add(obj)

    def import_object(self, obj: PdfObject, budget: list[int] | None = None) -> PdfObject:
        """A copy of ``obj`` from another document, its indirect objects added to the update."""
        budget = budget if budget is not None else [_MAX_IMPORT]
        budget[0] -= 1
        if budget[0] < 0:
            raise PdfDamaged("the drawn mark has too many objects to import")
        if isinstance(obj, IndirectObject):
            key = (id(obj.pdf), obj.idnum, obj.generation)
            # The source document is kept alive: a freed one's id could name the next one.
            self._sources[id(obj.pdf)] = obj.pdf
            if key not in self._imported:
                placeholder = self.add(NullObject())
                self._imported[key] = placeholder
                target = obj.get_object()
                copied = self.import_object(target, budget) if target is not None else NullObject()
                self._objects[placeholder.idnum] = (0, copied)
            return self._imported[key]
        if isinstance(obj, StreamObject):
            copy = StreamObject()
            copy.set_data(obj._data)
            for key, value in obj.items():
                if key != "/Length":
                    copy[NameObject(key)] = self.import_object(value, budget)
            return copy
        if isinstance(obj, DictionaryObject):
            return DictionaryObject(
                {NameObject(k): self.import_object(v, budget) for k, v in obj.items()}
            )
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.import_object(v, budget) for v in obj)
        return obj

    # --- writing --------------------------------------------------------------------------

    def _original_tail(self) -> tuple[int, bool, int]:
        """The original's last ``startxref`` offset, whether it points at a stream, its size."""
        source = self._source
        if isinstance(source, bytes):
            size = len(source)
            tail = source[-2048:]
        else:
            size = source.seek(0, io.SEEK_END)
            source.seek(max(0, size - 2048))
            tail = source.read()
        found = _STARTXREF.findall(tail)
        if not found:
            raise PdfDamaged("no startxref at the end of the file: an update cannot follow it")
        offset = int(found[-1])
        if isinstance(source, bytes):
            head = source[offset : offset + 16]
        else:
            source.seek(offset)
            head = source.read(16)
        return offset, not head.lstrip().startswith(b"xref"), size

    def _copy_source(self, out: BinaryIO) -> int:
        source = self._source
        if isinstance(source, bytes):
            out.write(source)
            last = source[-1:]
            written = len(source)
        else:
            source.seek(0)
            written = 0
            last = b""
            while chunk := source.read(_CHUNK):
                out.write(chunk)
                written += len(chunk)
                last = chunk[-1:]
        if last not in (b"\n", b"\r"):
            out.write(b"\n")
            written += 1
        return written

    def _encrypt(self, obj: PdfObject, number: int, generation: int) -> PdfObject:
        encryption: Any = getattr(self.reader, "_encryption", None)
        if encryption is None:
            return obj
        return encryption.encrypt_object(obj, number, generation)  # type: ignore[no-any-return]

    def _trailer_entries(self, prev: int) -> DictionaryObject:
        original = self.reader.trailer
        entries = DictionaryObject()
        for key in ("/Root", "/Info", "/ID", "/Encrypt"):
            value = original.raw_get(key) if key in original else None
            if value is not None:
                entries[NameObject(key)] = value
        entries[NameObject("/Prev")] = NumberObject(prev)
        return entries

    def write(self, out: BinaryIO) -> None:
        """Write the original bytes, then the update, to ``out``."""
        prev, as_stream, _ = self._original_tail()
        position = self._copy_source(out)
        offsets: dict[int, tuple[int, int]] = {}
        for number in sorted(self._objects):
            generation, obj = self._objects[number]
            bad = unsafe_names(obj)
            if bad:
                raise PdfDamaged(
                    f"object {number} holds names that cannot be written back as read"
                    f" ({', '.join(bad[:3])}): the page would lose content"
                )
            buffer = io.BytesIO()
            buffer.write(f"{number} {generation} obj\n".encode())
            self._encrypt(obj, number, generation).write_to_stream(buffer)
            buffer.write(b"\nendobj\n")
            offsets[number] = (position, generation)
            data = buffer.getvalue()
            out.write(data)
            position += len(data)
        if as_stream:
            self._write_xref_stream(out, position, offsets, prev)
        else:
            self._write_xref_table(out, position, offsets, prev)

    def _sections(self, numbers: list[int]) -> list[list[int]]:
        sections: list[list[int]] = []
        for number in numbers:
            if sections and sections[-1][-1] + 1 == number:
                sections[-1].append(number)
            else:
                sections.append([number])
        return sections

    def _write_xref_table(
        self, out: BinaryIO, position: int, offsets: dict[int, tuple[int, int]], prev: int
    ) -> None:
        lines = [b"xref\n"]
        for section in self._sections(sorted(offsets)):
            lines.append(f"{section[0]} {len(section)}\n".encode())
            for number in section:
                offset, generation = offsets[number]
                lines.append(f"{offset:010d} {generation:05d} n\r\n".encode())
        trailer = self._trailer_entries(prev)
        trailer[NameObject("/Size")] = NumberObject(self._next)
        buffer = io.BytesIO()
        buffer.write(b"trailer\n")
        trailer.write_to_stream(buffer)
        out.write(b"".join(lines) + buffer.getvalue())
        out.write(f"\nstartxref\n{position}\n%%EOF\n".encode())

    def _write_xref_stream(
        self, out: BinaryIO, position: int, offsets: dict[int, tuple[int, int]], prev: int
    ) -> None:
        number = self._next
        self._next += 1
        offsets = {**offsets, number: (position, 0)}
        numbers = sorted(offsets)
        rows = bytearray()
        index = ArrayObject()
        for section in self._sections(numbers):
            index.extend([NumberObject(section[0]), NumberObject(len(section))])
            for item in section:
                offset, generation = offsets[item]
                rows += b"\x01" + offset.to_bytes(5, "big") + generation.to_bytes(2, "big")
        stream = StreamObject()
        stream.update(self._trailer_entries(prev))
        stream.update(
            {
                NameObject("/Type"): NameObject("/XRef"),
                NameObject("/Size"): NumberObject(self._next),
                NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(5), NumberObject(2)]),
                NameObject("/Index"): index,
                NameObject("/Filter"): NameObject("/FlateDecode"),
            }
        )
        stream.set_data(zlib.compress(bytes(rows)))
        buffer = io.BytesIO()
        buffer.write(f"{number} 0 obj\n".encode())
        stream.write_to_stream(buffer)
        buffer.write(b"\nendobj\n")
        out.write(buffer.getvalue())
        out.write(f"startxref\n{position}\n%%EOF\n".encode())
