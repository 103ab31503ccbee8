"""Reading an electronic transfer package back and checking it, finding by finding.

:func:`read_package` opens a package (:mod:`edmscore.archive.package`) defensively: the ZIP's
central directory is checked before any entry is read — the file size, the entry count, each
entry's and the total uncompressed size, the compression ratio (a zip bomb), every path (no
absolute path, no ``..``, no backslash, no duplicate, no link, no encrypted entry) — and entries
are read in bounded chunks that stop at the size the directory declares. A package refused on
those grounds raises :class:`~edmscore.errors.PackageUnsafe`; a file that is not a ZIP, or one
with no readable metadata, :class:`~edmscore.errors.TransferPackageError`.

Then every check becomes a :class:`Finding` of the :class:`PackageReport`: the metadata against
the shipped XSD; the manifest against the entries (nothing missing, nothing extra, every hash);
the metadata's files against the manifest (hash and size); each archival rendition's PDF/A claim,
output intent and fonts; each signature verified again by
:func:`edmscore.signatures.ltv.verify_ltv` over the original file.
"""

from __future__ import annotations

import enum
import hashlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable
from typing import IO

import attrs
import pendulum

from edmscore.archive._package_meta import PackageMetadata, parse_metadata, schema_errors
from edmscore.archive.package import MANIFEST, METADATA
from edmscore.archive.pdfa import check_pdfa
from edmscore.errors import EdmsError, PackageUnsafe, TransferPackageError

__all__ = ["Finding", "PackageLimits", "PackageReport", "Severity", "read_package"]

#: What zipfile raises on damaged entries (a bad CRC, a broken deflate stream, a bad method…).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    ValueError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    struct.error,
)
_HASH_LINE = re.compile(r"([0-9a-f]{64})  ([^\r\n]+)")
_CHUNK = 1024 * 1024


@attrs.frozen
class PackageLimits:
    """The bounds a package must keep to be read at all (bytes and counts)."""

    max_bytes: int = 4 * 1024**3
    max_entries: int = 20_000
    max_entry_bytes: int = 1024**3
    max_total_bytes: int = 8 * 1024**3
    max_ratio: int = 200
    max_metadata_bytes: int = 32 * 1024**2


class Severity(enum.Enum):
    """How much a finding matters: an error fails the package, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Finding:
    """One thing found: a code (``hash_mismatch``, ``missing_file``…), the path, the words."""

    code: str
    path: str
    message: str
    severity: Severity = Severity.ERROR


@attrs.frozen
class PackageReport:
    """The package's metadata and every finding; ``ok`` when no finding is an error."""

    metadata: PackageMetadata
    findings: tuple[Finding, ...]
    files: int
    signatures_checked: int

    @property
    def ok(self) -> bool:
        """Whether the package is complete, intact and its signatures hold."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that fail the package."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)


def _safe_path(name: str) -> bool:
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    parts = name.split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _check_directory(archive: zipfile.ZipFile, size: int, limits: PackageLimits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise PackageUnsafe(f"{len(infos)} entries", f"{limits.max_entries} entries")
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if not _safe_path(name):
            raise PackageUnsafe("an entry's path leaves the package or is not plain", "paths")
        if name in names:
            raise PackageUnsafe("two entries with one path", "paths")
        names.add(name)
        if info.flag_bits & 0x1:
            raise PackageUnsafe("an encrypted entry", "encryption")
        mode = info.external_attr >> 16
        if mode and stat.S_ISLNK(mode):
            raise PackageUnsafe("a symbolic link entry", "links")
        if info.file_size > limits.max_entry_bytes:
            raise PackageUnsafe("an entry is too large", f"{limits.max_entry_bytes} bytes")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise PackageUnsafe("the entries are too large", f"{limits.max_total_bytes} bytes")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _CHUNK and ratio > limits.max_ratio:
            raise PackageUnsafe(
                "an entry's compression ratio of a zip bomb", f"ratio {limits.max_ratio}"
            )
    if total > max(size, 1) * limits.max_ratio and total > _CHUNK:
        raise PackageUnsafe(
            "the package's compression ratio of a zip bomb", f"ratio {limits.max_ratio}"
        )


_LOCAL = struct.Struct("<IHHHHHIIIHH")
_LOCAL_SIGNATURE = 0x04034B50
_CENTRAL_FIXED = 46
_END_FIXED = 22


def _dos(info: zipfile.ZipInfo) -> tuple[int, int]:
    y, m, d, hh, mm, ss = info.date_time
    return (hh << 11) | (mm << 5) | (ss // 2), ((y - 1980) << 9) | (m << 5) | d


def _structure(source: IO[bytes], archive: zipfile.ZipFile, size: int) -> list[Finding]:
    """Each local header against the central directory, and no byte left unaccounted for:
    the entries, the central directory and its end record fill the file exactly."""
    found: list[Finding] = []
    infos = sorted(archive.infolist(), key=lambda i: i.header_offset)
    position = 0
    for info in infos:
        if info.header_offset != position:
            found.append(Finding("zip_structure", info.filename, "bytes between entries"))
        source.seek(info.header_offset)
        head = source.read(_LOCAL.size)
        if len(head) != _LOCAL.size:
            found.append(Finding("zip_structure", info.filename, "a truncated local header"))
            return found
        sig, version, flags, method, time, date, crc, csize, usize, nlen, elen = _LOCAL.unpack(head)
        name = source.read(nlen)
        extra = source.read(elen)
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        descriptor = bool(info.flag_bits & 0x08)
        expected = (
            _LOCAL_SIGNATURE,
            info.extract_version,
            info.flag_bits,
            info.compress_type,
            *_dos(info),
        )
        sizes_here = not descriptor and csize != 0xFFFFFFFF
        if (
            (sig, version, flags, method, time, date) != expected
            or name != info.orig_filename.encode(encoding)
            or extra != info.extra
            or (
                sizes_here and (crc, csize, usize) != (info.CRC, info.compress_size, info.file_size)
            )
        ):
            found.append(
                Finding(
                    "zip_structure",
                    info.filename,
                    "its local header differs from the central directory",
                )
            )
        position = info.header_offset + _LOCAL.size + nlen + elen + info.compress_size
        if descriptor:
            source.seek(position)
            tail = source.read(16)
            start = 4 if tail[:4] == b"PK\x07\x08" else 0
            if len(tail) < start + 12:
                found.append(Finding("zip_structure", info.filename, "a truncated descriptor"))
                return found
            crc_here, c_here, u_here = struct.unpack("<III", tail[start : start + 12])
            if (crc_here, c_here, u_here) != (info.CRC, info.compress_size, info.file_size):
                found.append(Finding("zip_structure", info.filename, "its data descriptor differs"))
            position += start + 12
    central = sum(
        _CENTRAL_FIXED
        + len(i.orig_filename.encode("utf-8" if i.flag_bits & 0x800 else "cp437"))
        + len(i.extra)
        + len(i.comment)
        for i in infos
    )
    zip64 = any(i.file_size > 0xFFFFFFFF or i.header_offset > 0xFFFFFFFF for i in infos)
    if zip64:
        return found
    end = position + central
    source.seek(end)
    record = source.read(_END_FIXED + len(archive.comment) + 1)
    end_record = (
        struct.pack(
            "<IHHHHIIH",
            0x06054B50,
            0,
            0,
            len(infos),
            len(infos),
            central,
            position,
            len(archive.comment),
        )
        + archive.comment
    )
    if record != end_record:
        found.append(
            Finding(
                "zip_structure",
                "",
                "the end of the central directory differs "
                "from the entries, or bytes lie outside them",
            )
        )
    return found


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, str]:
    """The entry's bytes and SHA-256, read in chunks, never past its declared size."""
    digest = hashlib.sha256()
    parts = []
    read = 0
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            read += len(chunk)
            if read > info.file_size:
                raise PackageUnsafe("an entry is longer than declared", "declared sizes")
            digest.update(chunk)
            parts.append(chunk)
    return b"".join(parts), digest.hexdigest()


def _manifest(text: bytes, findings: list[Finding]) -> dict[str, str]:
    listed: dict[str, str] = {}
    try:
        lines = text.decode("ascii").splitlines()
    except UnicodeDecodeError:
        findings.append(Finding("manifest_unreadable", MANIFEST, "not ASCII text"))
        return listed
    for number, line in enumerate(lines, 1):
        match = _HASH_LINE.fullmatch(line)
        if match is None or not _safe_path(match.group(2)):
            findings.append(
                Finding("manifest_line", MANIFEST, f"line {number} is not «hash  path»")
            )
            continue
        if match.group(2) in listed:
            findings.append(Finding("manifest_line", MANIFEST, f"line {number} repeats a path"))
        listed[match.group(2)] = match.group(1)
    return listed


def read_package(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    trust_anchors: Iterable[bytes] = (),
    at: pendulum.DateTime | None = None,
    limits: PackageLimits | None = None,
    check_signatures: bool = True,
) -> PackageReport:
    """Open the package at ``source`` (a path or a seekable binary file) and check it.

    ``trust_anchors`` are the root certificates the signatures are verified against, ``at`` the
    moment of the check (now by default). See the module's description for what is checked.
    """
    bounds = limits if limits is not None else PackageLimits()
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            return read_package(
                stream,
                trust_anchors=trust_anchors,
                at=at,
                limits=bounds,
                check_signatures=check_signatures,
            )
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    if size > bounds.max_bytes:
        raise PackageUnsafe("the package is too large", f"{bounds.max_bytes} bytes")
    try:
        archive = zipfile.ZipFile(source)
    except _ZIP_ERRORS as exc:
        raise TransferPackageError(f"not a ZIP file ({type(exc).__name__})") from exc
    with archive:
        _check_directory(archive, size, bounds)
        report = _check(archive, bounds, tuple(trust_anchors), at, check_signatures)
        structure = _structure(source, archive, size)
    return attrs.evolve(report, findings=(*structure, *report.findings))


def _check(
    archive: zipfile.ZipFile,
    limits: PackageLimits,
    anchors: tuple[bytes, ...],
    at: pendulum.DateTime | None,
    check_signatures: bool,
) -> PackageReport:
    findings: list[Finding] = []
    infos = {i.filename: i for i in archive.infolist() if not i.is_dir()}
    for required in (METADATA, MANIFEST):
        if required not in infos:
            raise TransferPackageError(f"no {required} in the package")
    if infos[METADATA].file_size > limits.max_metadata_bytes:
        raise PackageUnsafe("metadata.xml is too large", f"{limits.max_metadata_bytes} bytes")
    try:
        metadata_bytes, _ = _read(archive, infos[METADATA])
        manifest_bytes, _ = _read(archive, infos[MANIFEST])
    except _ZIP_ERRORS as exc:
        raise TransferPackageError(f"the package is damaged ({type(exc).__name__})") from exc
    complaints, _ = schema_errors(metadata_bytes)
    if complaints:
        raise TransferPackageError("metadata.xml is not valid: " + "; ".join(complaints[:5]))
    metadata = parse_metadata(metadata_bytes)
    listed = _manifest(manifest_bytes, findings)
    contents: dict[str, bytes] = {}
    wanted = {e.path for e in metadata.files()}
    for path in sorted(set(infos) - {MANIFEST}):
        if path not in listed:
            findings.append(Finding("unlisted_file", path, "in the package, not in the manifest"))
        try:
            data, sha = _read(archive, infos[path])
        except _ZIP_ERRORS as exc:
            findings.append(Finding("unreadable_file", path, f"cannot be read: {exc}"))
            continue
        if path in listed and listed[path] != sha:
            findings.append(Finding("hash_mismatch", path, "its SHA-256 differs from the manifest"))
        if path in wanted:
            contents[path] = data
    for path in sorted(set(listed) - set(infos)):
        findings.append(Finding("missing_file", path, "in the manifest, not in the package"))
    if METADATA not in listed:
        findings.append(Finding("unlisted_file", METADATA, "the metadata is not in the manifest"))
    for entry in metadata.files():
        data_or_none = contents.get(entry.path)
        if data_or_none is None:
            if entry.path in infos:
                continue  # unreadable: already found
            findings.append(Finding("missing_file", entry.path, "named by the metadata, absent"))
            continue
        if listed.get(entry.path) not in (None, entry.sha256):
            findings.append(
                Finding(
                    "metadata_hash", entry.path, "the metadata's SHA-256 differs from the manifest"
                )
            )
        if hashlib.sha256(data_or_none).hexdigest() != entry.sha256:
            findings.append(
                Finding("metadata_hash", entry.path, "the file's SHA-256 differs from the metadata")
            )
        if len(data_or_none) != entry.size:
            findings.append(
                Finding("metadata_size", entry.path, "the file's size differs from the metadata")
            )
    checked = 0
    for document in metadata.documents:
        findings += _archival(document.archival.path, contents.get(document.archival.path))
        if not check_signatures:
            continue
        for signature in document.signatures:
            content = contents.get(signature.signs)
            value = contents.get(signature.file.path)
            if content is None or value is None:
                continue  # missing files are already found
            findings += _verify(signature.file.path, content, value, anchors, at)
            checked += 1
    return PackageReport(metadata, tuple(findings), len(infos), checked)


def _archival(path: str, data: bytes | None) -> list[Finding]:
    if data is None:
        return []
    try:
        check = check_pdfa(data)
    except EdmsError as exc:
        return [Finding("archival_unreadable", path, f"not a readable PDF: {exc}")]
    found = []
    if check.part is None:
        found.append(Finding("not_pdfa", path, "claims no PDF/A part in its XMP metadata"))
    if not check.output_intent:
        found.append(Finding("no_output_intent", path, "has no PDF/A output intent"))
    if check.unembedded_fonts:
        found.append(
            Finding(
                "font_not_embedded",
                path,
                "fonts not embedded: " + ", ".join(check.unembedded_fonts),
            )
        )
    return found


def _verify(
    path: str,
    content: bytes,
    signature: bytes,
    anchors: tuple[bytes, ...],
    at: pendulum.DateTime | None,
) -> list[Finding]:
    from edmscore.signatures import Status
    from edmscore.signatures.ltv import verify_ltv

    try:
        report = verify_ltv(content, signature, trust_anchors=anchors, at=at)
    except EdmsError as exc:
        return [Finding("signature_unreadable", path, f"not a readable signature: {exc}")]
    if report.status is Status.VALID:
        return []
    reason = report.reason.value if report.reason is not None else ""
    if report.status is Status.INVALID:
        return [Finding("signature_invalid", path, f"the signature is invalid ({reason})")]
    return [
        Finding(
            "signature_indeterminate",
            path,
            f"the signature cannot be confirmed ({reason})",
            Severity.WARNING,
        )
    ]


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
