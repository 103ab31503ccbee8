"""PDF/A: which part a document claims, and the rules a mark added to it must keep.

The claim is read from the document's XMP metadata (``pdfaid:part``, ``pdfaid:conformance``).
An incremental update keeps the metadata and output intents as they are; what the update adds
must follow the claimed part. PDF/A-1 allows no transparency: a facsimile's alpha channel
(a soft mask) becomes a stencil mask (``/Mask``, one bit a pixel), which PDF/A-1 allows.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import Any

import attrs
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

__all__ = [
    "PdfAClaim",
    "intent_components",
    "pdfa_claim",
    "pdfa_problems",
    "strip_soft_masks",
]

_PART = re.compile(rb"pdfaid:part(?:>|\s*=\s*[\"'])\s*(\d)")
_CONFORMANCE = re.compile(rb"pdfaid:conformance(?:>|\s*=\s*[\"'])\s*([ABUabu])")
_MAX_METADATA = 4 * 1024 * 1024
_MAX_NODES = 200_000


@attrs.frozen
class PdfAClaim:
    """The PDF/A part and conformance level a document claims (``1``, ``"B"``)."""

    part: int
    conformance: str

    def __str__(self) -> str:
        return f"PDF/A-{self.part}{self.conformance.lower()}"


def pdfa_claim(reader: PdfReader) -> PdfAClaim | None:
    """The PDF/A claim of the document's XMP metadata, None when it claims none."""
    root = reader.trailer["/Root"].get_object()
    metadata = root.get("/Metadata") if isinstance(root, DictionaryObject) else None
    stream = metadata.get_object() if metadata is not None else None
    if not isinstance(stream, StreamObject):
        return None
    try:
        data = stream.get_data()[:_MAX_METADATA]
    except Exception:  # unreadable metadata claims nothing
        return None
    part = _PART.search(data)
    if part is None:
        return None
    conformance = _CONFORMANCE.search(data)
    return PdfAClaim(
        int(part.group(1)), conformance.group(1).decode().upper() if conformance else "B"
    )


def intent_components(reader: PdfReader) -> int | None:
    """The colour components (1, 3, 4) of the document's PDF/A output intent, None if none."""
    root = reader.trailer["/Root"].get_object()
    intents = root.get("/OutputIntents") if isinstance(root, DictionaryObject) else None
    intents = intents.get_object() if intents is not None else None
    if not isinstance(intents, ArrayObject):
        return None
    for intent in intents[:16]:
        intent = intent.get_object()
        if not isinstance(intent, DictionaryObject) or intent.get("/S") != "/GTS_PDFA1":
            continue
        profile = intent.get("/DestOutputProfile")
        profile = profile.get_object() if profile is not None else None
        components = profile.get("/N") if isinstance(profile, StreamObject) else None
        if isinstance(components, int):
            return int(components)
    return None


def _stencil(mask: StreamObject) -> StreamObject | None:
    """A one-bit image mask from an 8-bit soft mask: painted where the alpha is over half."""
    width, height = int(mask.get("/Width", 0)), int(mask.get("/Height", 0))
    if int(mask.get("/BitsPerComponent", 8)) != 8 or width <= 0 or height <= 0:
        return None
    alpha = mask.get_data()
    if len(alpha) < width * height:
        return None
    rows = bytearray()
    for y in range(height):
        row = alpha[y * width : (y + 1) * width]
        for x in range(0, width, 8):
            byte = 0
            for bit, value in enumerate(row[x : x + 8]):
                if value <= 127:  # transparent: masked out (sample 1)
                    byte |= 0x80 >> bit
            if width - x < 8:
                byte |= 0xFF >> (width - x)
            rows.append(byte)
    stencil = StreamObject()
    stencil.set_data(zlib.compress(bytes(rows)))
    stencil.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ImageMask"): BooleanObject(True),
            NameObject("/BitsPerComponent"): NumberObject(1),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    return stencil


def strip_soft_masks(resources: object, writer: Any) -> None:
    """Replace every image's /SMask under ``resources`` with a stencil /Mask (in place)."""
    nodes = 0
    pending: list[object] = [resources]
    seen: set[int] = set()
    while pending and nodes < _MAX_NODES:
        item = pending.pop()
        nodes += 1
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, StreamObject) and item.get("/Subtype") == "/Image" and "/SMask" in item:
            soft = item["/SMask"].get_object()
            stencil = _stencil(soft) if isinstance(soft, StreamObject) else None
            del item["/SMask"]
            if stencil is not None:
                item[NameObject("/Mask")] = writer.add(stencil)
        if isinstance(item, DictionaryObject):
            pending.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def pdfa_problems(objects: Sequence[object], part: int) -> list[str]:
    """What in ``objects`` (and what they reference) breaks the rules of PDF/A-``part``.

    The rules checked are those a mark can break: transparency (soft masks, transparency
    groups, constant alpha below 1, blend modes other than Normal) for PDF/A-1, interpolated
    images, and fonts that are not embedded.
    """
    problems: list[str] = []
    pending = list(objects)
    seen: set[tuple[int, int]] = set()
    nodes = 0
    while pending and nodes < _MAX_NODES:
        item = pending.pop()
        nodes += 1
        if isinstance(item, IndirectObject):
            key = (id(item.pdf), item.idnum)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if not isinstance(item, DictionaryObject):
            if isinstance(item, ArrayObject):
                pending.extend(item)
            continue
        if part == 1:
            if "/SMask" in item and item.get("/SMask") != "/None":
                problems.append("a soft mask (/SMask), which PDF/A-1 forbids")
            group = item.get("/Group")
            group = group.get_object() if group is not None else None
            if isinstance(group, DictionaryObject) and group.get("/S") == "/Transparency":
                problems.append("a transparency group, which PDF/A-1 forbids")
            for alpha in ("/CA", "/ca"):
                if alpha in item and float(item[alpha]) != 1.0:  # type: ignore[arg-type]
                    problems.append(f"constant alpha {alpha} below 1, which PDF/A-1 forbids")
            mode = item.get("/BM")
            if mode is not None and mode not in ("/Normal", "/Compatible"):
                problems.append(f"blend mode {mode}, which PDF/A-1 forbids")
        if item.get("/Interpolate") is True or item.get("/Interpolate") == BooleanObject(True):
            problems.append("an interpolated image, which PDF/A forbids")
        if item.get("/Type") == "/FontDescriptor" and not any(
            key in item for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            problems.append(f"font {item.get('/FontName')} is not embedded")
        pending.extend(value for key, value in item.items() if key not in ("/Parent", "/P"))
    return sorted(set(problems))
