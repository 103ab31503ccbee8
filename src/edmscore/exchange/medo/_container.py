"""MEDO 2.7 / 2.7.1 containers: a zip of the passport, the PDF, signatures, stamps, enclosures."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import attrs
from attrs import frozen

from edmscore.errors import MedoFormatError
from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits
from edmscore.exchange.medo._names import check_file_name, name_key
from edmscore.exchange.medo._passport import (
    CONTAINER_NS_271,
    Passport,
    build_passport,
    read_passport,
)
from edmscore.exchange.medo._xml import parse_xml
from edmscore.exchange.medo._zip import SafeZip

__all__ = [
    "CONTAINER_SIGNATURE",
    "Container",
    "ContainerMember",
    "build_container",
    "read_container",
]

#: The name of the signature over the whole container seen in 2.7.1 samples.
CONTAINER_SIGNATURE = "containerSign.p7s"
_PASSPORT_NAME = re.compile(r"[a-zA-Z0-9]{1,251}\.xml\Z")


@frozen
class ContainerMember:
    """A member of a container: its name, size and SHA-256 digest (hex)."""

    name: str
    size: int
    sha256: str


@frozen
class Container:
    """A container read and checked: the passport, the members, and what is missing or extra."""

    source: str
    passport_name: str
    passport: Passport
    members: tuple[ContainerMember, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    archive: SafeZip
    #: members' content read while checking them (kept so they are not unpacked twice)
    cache: dict[str, bytes] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def container_signature(self) -> str | None:
        """The name of the signature over the whole container, if present."""
        named = self.passport.container_signature
        if named and self.archive.has(named):
            return self.archive.names[name_key(named)]
        return CONTAINER_SIGNATURE if self.archive.has(CONTAINER_SIGNATURE) else None

    @property
    def version(self) -> str:
        """``2.7.1`` for a passport in ``urn:IEDMS:CONTAINER``, else ``2.7``."""
        return "2.7.1" if self.passport.namespace == CONTAINER_NS_271 else "2.7"

    def read(self, name: str) -> bytes:
        """A member's content (bounded by its declared size)."""
        cached = self.cache.get(name_key(name))
        return cached if cached is not None else self.archive.read(name)

    def extract(self, folder: Path) -> tuple[Path, ...]:
        """Write every member into ``folder`` (names were checked; existing files are kept)."""
        folder.mkdir(parents=True, exist_ok=True)
        return tuple(self.archive.extract(m.name, folder) for m in self.members)


def _passport_name(archive: SafeZip, source: str) -> str:
    if archive.has("passport.xml"):
        return archive.names[name_key("passport.xml")]
    xml = [n for n in archive.list() if _PASSPORT_NAME.match(n)]
    if len(xml) != 1:
        raise MedoFormatError("container", "no single passport XML found", file=source)
    return xml[0]


def read_container(
    data: bytes, *, source: str = "<container>", limits: Limits = DEFAULT_LIMITS
) -> Container:
    """Open and check a container: safe names (cp866 decoded), bounded sizes, the passport read.

    Every member is hashed (streamed, within its declared size) so a truncated or inflated
    member is caught here, not later.
    """
    archive = SafeZip(data, source=source, limits=limits)
    passport_name = _passport_name(archive, source)
    root, _encoding = parse_xml(
        archive.read(passport_name), source=f"{source}:{passport_name}", limits=limits
    )
    passport = read_passport(root, source=f"{source}:{passport_name}")
    named = [
        check_file_name(n, element="passport file name", source=source)
        for n in passport.referenced_files()
    ]
    missing = tuple(n for n in named if not archive.has(n))
    known = {name_key(n) for n in named} | {name_key(passport_name), name_key(CONTAINER_SIGNATURE)}
    extra = tuple(n for n in archive.list() if name_key(n) not in known)
    members: list[ContainerMember] = []
    cache: dict[str, bytes] = {}
    for name in archive.list():
        content = b"".join(archive.chunks(name))
        cache[name_key(name)] = content
        digest = hashlib.sha256(content).hexdigest()
        members.append(ContainerMember(name=name, size=len(content), sha256=digest))
    return Container(
        source=source,
        passport_name=passport_name,
        passport=passport,
        members=tuple(members),
        missing=missing,
        extra=extra,
        archive=archive,
        cache=cache,
    )


def build_container(
    passport: Passport,
    files: Mapping[str, bytes],
    *,
    container_signature: bytes | None = None,
) -> bytes:
    """Build a 2.7 or 2.7.1 container archive: ``passport.xml`` and the files, all at the root.

    The passport's namespace decides the version. The main document must be a PDF, at least one
    ``.p7s`` must be present (as the one public writer requires), and every file the passport
    names must be given. A ``container_signature`` is stored as ``containerSign.p7s`` and named
    in the passport.
    """
    if container_signature is not None and passport.container_signature is None:
        passport = attrs.evolve(passport, container_signature=CONTAINER_SIGNATURE)
    if not passport.document_name.lower().endswith(".pdf"):
        raise MedoFormatError("document/@localName", "the main document must be a PDF")
    given = {name_key(check_file_name(n, element="files", source=None)) for n in files}
    if container_signature is not None:
        given.add(name_key(passport.container_signature or CONTAINER_SIGNATURE))
    absent = [n for n in passport.referenced_files() if name_key(n) not in given]
    if absent:
        raise MedoFormatError("files", f"no content given for {absent}")
    if not any(n.lower().endswith(".p7s") for n in files):
        raise MedoFormatError("files", "a container needs at least one .p7s signature")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("passport.xml", build_passport(passport))
        for name, content in files.items():
            archive.writestr(name, content)
        if container_signature is not None:
            archive.writestr(
                passport.container_signature or CONTAINER_SIGNATURE, container_signature
            )
    return out.getvalue()
