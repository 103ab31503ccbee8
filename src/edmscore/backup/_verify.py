"""Checking a bundle without restoring it, and reading its records back.

:func:`verify_bundle` reads every byte once: the manifest against its hash, each kind's file
against the size, count and SHA-256 the manifest gives (its header line naming the kind and a
line format this release reads), the file list against its hash, and each file against the
hash it is named by; nothing may be missing and nothing extra may lie in ``records/`` or
``files/``. With ``deep=True`` each record is also decoded into its domain value (what a
restore would do). Every problem found is listed, not just the first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from edmscore.backup._bundle import file_path
from edmscore.backup._kinds import RECORD_KINDS, RecordKind, kind_named
from edmscore.backup._manifest import FORMAT, MANIFEST, MANIFEST_HASH, Manifest, read_manifest
from edmscore.errors import BundleError, EdmsError
from edmscore.registry.codec import canonical_card

__all__ = [
    "VerifyReport",
    "read_card_primitives",
    "read_file_hashes",
    "read_records",
    "verify_bundle",
]

_CHUNK = 1024 * 1024
#: The longest line read (a card with many correspondents is far below it).
MAX_LINE = 16 * 1024 * 1024
_SHA = frozenset("0123456789abcdef")


@attrs.frozen
class VerifyReport:
    """What :func:`verify_bundle` found: the manifest (if it could be read) and the problems."""

    manifest: Manifest | None
    problems: tuple[BundleError, ...]

    @property
    def ok(self) -> bool:
        """Whether the bundle is whole and undamaged."""
        return self.manifest is not None and not self.problems

    def raise_if_damaged(self) -> Manifest:
        """The manifest of a sound bundle; the first problem (as BundleError) otherwise."""
        if self.problems:
            raise self.problems[0]
        assert self.manifest is not None
        return self.manifest


def _lines(path: Path, part: str) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as source:
        number = 0
        while True:
            line = source.readline(MAX_LINE + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE:
                raise BundleError(f"{part}:{number}", f"a line longer than {MAX_LINE} bytes")
            if not line.endswith(b"\n"):
                raise BundleError(f"{part}:{number}", "the last line is cut short")
            yield number, line


def _check_header(kind: RecordKind, line: bytes, part: str) -> None:
    try:
        header = json.loads(line)
    except ValueError as exc:
        raise BundleError(f"{part}:1", "the header line is not JSON") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BundleError(f"{part}:1", "not a bundle's records file")
    if header.get("kind") != kind.name:
        raise BundleError(f"{part}:1", f"holds {header.get('kind')!r}, not {kind.name!r}")
    version = header.get("version")
    if type(version) is not int or not 1 <= version <= kind.version:
        raise BundleError(f"{part}:1", f"line format {version!r} is not one this release reads")


def read_records(root: Path, kind_name: str) -> Iterator[Any]:
    """The records of one kind in a bundle, decoded, in file order; BundleError naming the
    line of a damaged one. (Hashes are :func:`verify_bundle`'s business: verify first.)"""
    return _read(root, kind_name, kind_named(kind_name).decode)


def read_card_primitives(root: Path) -> Iterator[Any]:
    """The bundle's cards in their canonical primitive form, checked as plain data where they
    can be (what an adapter that takes card primitives is handed on restore)."""
    return _read(root, "cards", canonical_card)


def _read(root: Path, kind_name: str, decode: Callable[[Any], Any]) -> Iterator[Any]:
    kind = kind_named(kind_name)
    part = f"records/{kind.name}.jsonl"
    path = root / part
    if not path.is_file():
        raise BundleError(part, "missing")
    lines = _lines(path, part)
    first = next(lines, None)
    if first is None:
        raise BundleError(part, "empty: no header line")
    _check_header(kind, first[1], part)
    for number, line in lines:
        try:
            yield decode(json.loads(line))
        except (EdmsError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BundleError(f"{part}:{number}", f"cannot be read: {exc}") from exc


def read_file_hashes(root: Path) -> Iterator[str]:
    """The hashes ``files/list.txt`` lists, in order."""
    for number, line in _lines(root / "files" / "list.txt", "files/list.txt"):
        sha256 = line[:-1].decode("ascii", "replace")
        if len(sha256) != 64 or not set(sha256) <= _SHA:
            raise BundleError(f"files/list.txt:{number}", "not a SHA-256 hash")
        yield sha256


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_bundle(
    root: str | Path, *, deep: bool = False, progress: Callable[[str, int], None] | None = None
) -> VerifyReport:
    """Check a bundle without restoring it (see the module docstring)."""
    root = Path(root)
    try:
        manifest = read_manifest(root)
    except BundleError as exc:
        return VerifyReport(None, (exc,))
    problems: list[BundleError] = []
    expected = {f"{k.name}.jsonl" for k in RECORD_KINDS if k.name in manifest.records}
    for name in sorted(manifest.records):
        try:
            kind = kind_named(name)
        except EdmsError:
            problems.append(BundleError(MANIFEST, f"names an unknown kind {name!r}"))
            continue
        problems.extend(_verify_kind(root, kind, manifest, deep))
        if progress is not None:
            progress(name, manifest.records[name].count)
    for kind in RECORD_KINDS:
        if kind.name not in manifest.records:
            problems.append(BundleError(MANIFEST, f"does not list the kind {kind.name!r}"))
    records_dir = root / "records"
    if records_dir.is_dir():
        for extra in sorted(p.name for p in records_dir.iterdir() if p.name not in expected):
            problems.append(BundleError(f"records/{extra}", "not listed in the manifest"))
    problems.extend(_verify_files(root, manifest, progress))
    extra_top = sorted(
        p.name
        for p in root.iterdir()
        if p.name not in {MANIFEST, MANIFEST_HASH, "records", "files"}
    )
    problems.extend(BundleError(name, "not part of a bundle") for name in extra_top)
    return VerifyReport(manifest, tuple(problems))


def _verify_kind(root: Path, kind: RecordKind, manifest: Manifest, deep: bool) -> list[BundleError]:
    summary = manifest.records[kind.name]
    part = f"records/{kind.name}.jsonl"
    path = root / part
    if not path.is_file():
        return [BundleError(part, "missing")]
    digest, size = _hash_file(path)
    if digest != summary.sha256 or size != summary.bytes:
        return [BundleError(part, "its content does not match the manifest's hash or size")]
    try:
        if deep:
            count = sum(1 for _ in read_records(root, kind.name))
        else:
            lines = _lines(path, part)
            first = next(lines, None)
            if first is None:
                return [BundleError(part, "empty: no header line")]
            _check_header(kind, first[1], part)
            count = sum(1 for _ in lines)
    except BundleError as exc:
        return [exc]
    if count != summary.count:
        return [BundleError(part, f"holds {count} records, the manifest says {summary.count}")]
    return []


def _verify_files(
    root: Path, manifest: Manifest, progress: Callable[[str, int], None] | None
) -> list[BundleError]:
    problems: list[BundleError] = []
    listing = root / "files" / "list.txt"
    if not listing.is_file():
        return [BundleError("files/list.txt", "missing")]
    digest, _ = _hash_file(listing)
    if digest != manifest.files.list_sha256:
        return [BundleError("files/list.txt", "does not match the manifest's hash")]
    count = size = 0
    listed: set[str] = set()
    try:
        for sha256 in read_file_hashes(root):
            count += 1
            listed.add(sha256)
            path = file_path(root, sha256)
            part = str(path.relative_to(root))
            if not path.is_file():
                problems.append(BundleError(part, "missing"))
                continue
            actual, length = _hash_file(path)
            size += length
            if actual != sha256:
                problems.append(BundleError(part, "its content does not match its hash"))
            if progress is not None and count % 1000 == 0:
                progress("files", count)
    except BundleError as exc:
        return [exc]
    if count != manifest.files.count or size != manifest.files.bytes:
        problems.append(
            BundleError(
                "files/list.txt",
                f"{count} files of {size} bytes, the manifest says "
                f"{manifest.files.count} of {manifest.files.bytes}",
            )
        )
    for path in sorted((root / "files").rglob("*")):
        if path.is_file() and path.name != "list.txt" and path.name not in listed:
            problems.append(BundleError(str(path.relative_to(root)), "not listed"))
    return problems
