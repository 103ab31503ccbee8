"""The manifest of a bundle: what it holds, with counts and SHA-256 hashes, itself hashed.

A bundle is a folder::

    manifest.json          what follows, with counts and hashes (JSON, keys sorted)
    manifest.sha256        the manifest's SHA-256, as ``sha256sum`` writes it
    records/<kind>.jsonl   one header line, then one record per line (JSON Lines)
    files/list.txt         the hash of every file held, one per line
    files/ab/cd/<sha256>   the files, named by their SHA-256 (a content-addressed tree)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from edmscore.errors import BundleError

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "FileSummary",
    "KindSummary",
    "Manifest",
    "read_manifest",
    "write_manifest",
]

FORMAT = "edmscore-backup"
#: The version of the bundle layout this release writes and the newest it reads.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
#: The largest manifest read (a manifest names kinds, not records: it stays small).
_MAX_MANIFEST = 1024 * 1024


@attrs.frozen
class KindSummary:
    """One kind's file: its line format version, how many records, its size and SHA-256."""

    version: int
    count: int
    bytes: int
    sha256: str


@attrs.frozen
class FileSummary:
    """The files held: how many, their total size, the SHA-256 of ``files/list.txt``."""

    count: int
    bytes: int
    list_sha256: str
    #: Files records name that the store did not have (so the bundle cannot hold them).
    missing: int = 0


@attrs.frozen
class Manifest:
    """What a bundle holds (see the module docstring); ``sha256`` is the manifest's own hash."""

    created_at: str
    edmscore_version: str
    organisation_id: str | None
    date_from: dt.date | None
    date_to: dt.date | None
    #: The highest audit sequence in the store when the bundle was taken.
    audit_seq: int
    #: For an incremental bundle: the manifest hash and audit sequence of the one it follows.
    base_sha256: str | None
    base_audit_seq: int | None
    records: Mapping[str, KindSummary]
    files: FileSummary
    sha256: str = ""

    @property
    def incremental(self) -> bool:
        """Whether the bundle holds only what changed since another one."""
        return self.base_sha256 is not None

    @property
    def whole(self) -> bool:
        """Whether the bundle covers the whole installation (no organisation, no period)."""
        return self.organisation_id is None and self.date_from is None and self.date_to is None

    def to_primitive(self) -> dict[str, Any]:
        """The manifest as JSON-ready data (what ``manifest.json`` holds)."""
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "edmscore_version": self.edmscore_version,
            "scope": {
                "organisation_id": self.organisation_id,
                "date_from": None if self.date_from is None else self.date_from.isoformat(),
                "date_to": None if self.date_to is None else self.date_to.isoformat(),
            },
            "audit_seq": self.audit_seq,
            "base": None
            if self.base_sha256 is None
            else {"manifest_sha256": self.base_sha256, "audit_seq": self.base_audit_seq},
            "records": {name: attrs.asdict(s) for name, s in sorted(self.records.items())},
            "files": attrs.asdict(self.files),
        }


def _text(manifest: Manifest) -> bytes:
    return (
        json.dumps(manifest.to_primitive(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    ).encode("utf-8")


def write_manifest(folder: Path, manifest: Manifest) -> Manifest:
    """Write ``manifest.json`` and ``manifest.sha256``; the manifest with its hash."""
    text = _text(manifest)
    digest = hashlib.sha256(text).hexdigest()
    (folder / MANIFEST).write_bytes(text)
    (folder / MANIFEST_HASH).write_text(f"{digest}  {MANIFEST}\n", encoding="ascii")
    return attrs.evolve(manifest, sha256=digest)


def _date(value: Any, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise BundleError(field, f"not a date: {value!r}") from exc


def read_manifest(folder: Path) -> Manifest:
    """Read and check the manifest against its hash; BundleError naming what is wrong."""
    path, hash_path = folder / MANIFEST, folder / MANIFEST_HASH
    if not folder.is_dir():
        raise BundleError(str(folder), "not a bundle folder")
    for required in (path, hash_path):
        if not required.is_file():
            raise BundleError(required.name, "missing")
    if path.stat().st_size > _MAX_MANIFEST:
        raise BundleError(MANIFEST, f"larger than {_MAX_MANIFEST} bytes")
    text = path.read_bytes()
    stated = hash_path.read_bytes()[:200]
    digest = hashlib.sha256(text).hexdigest()
    if stated != f"{digest}  {MANIFEST}\n".encode("ascii"):
        raise BundleError(MANIFEST_HASH, "does not match manifest.json")
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise BundleError(MANIFEST, f"not an {FORMAT} manifest")
        version = data.get("format_version")
        if type(version) is not int or not 1 <= version <= FORMAT_VERSION:
            raise BundleError(MANIFEST, f"format version {version!r} is not one this release reads")
        scope, base = data["scope"], data["base"]
        records = {
            str(name): KindSummary(int(s["version"]), int(s["count"]), int(s["bytes"]), s["sha256"])
            for name, s in data["records"].items()
        }
        files = data["files"]
        return Manifest(
            created_at=str(data["created_at"]),
            edmscore_version=str(data["edmscore_version"]),
            organisation_id=scope["organisation_id"],
            date_from=_date(scope["date_from"], "scope.date_from"),
            date_to=_date(scope["date_to"], "scope.date_to"),
            audit_seq=int(data["audit_seq"]),
            base_sha256=None if base is None else str(base["manifest_sha256"]),
            base_audit_seq=None if base is None else int(base["audit_seq"]),
            records=records,
            files=FileSummary(
                int(files["count"]),
                int(files["bytes"]),
                str(files["list_sha256"]),
                int(files.get("missing", 0)),
            ),
            sha256=digest,
        )
    except BundleError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BundleError(MANIFEST, f"cannot be read: {exc!r}") from exc
