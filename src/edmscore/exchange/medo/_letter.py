"""The MEDO 2.x transport letter: a folder with the message XML, its files and the envelope."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from attrs import frozen

from edmscore.errors import MedoFormatError, MedoUnroutable, MedoUnsafeInput
from edmscore.exchange.medo._envelope import Envelope, build_envelope, parse_envelope
from edmscore.exchange.medo._hashing import hash_file
from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits
from edmscore.exchange.medo._message import ContainerReference, DocumentContent, Message
from edmscore.exchange.medo._names import check_file_name, name_key
from edmscore.exchange.medo._read import parse_message
from edmscore.exchange.medo._write import build_message

__all__ = ["Letter", "LetterFile", "read_letter", "referenced_files", "write_letter"]

#: File names a message XML is known under, in the order they are looked for.
MESSAGE_NAMES = ("document.xml", "notification.xml", "acknowledgment.xml", "message.xml")
ENVELOPE_NAMES = ("envelope.ini", "envelope.ltr")


@frozen
class LetterFile:
    """A file of a letter as found on disk: its name, size and SHA-256 digest (hex)."""

    name: str
    size: int
    sha256: str


@frozen
class Letter:
    """A letter read from a folder.

    ``missing`` lists files the message or envelope names that are not there; ``extra`` the files
    present that nothing names. Both are warnings for the clerk, not errors: a letter with a
    missing enclosure may still be registered, or refused with a reason.
    """

    folder: Path
    message_name: str
    message: Message
    envelope: Envelope | None
    files: tuple[LetterFile, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]

    def file(self, name: str) -> LetterFile | None:
        """The file of this name, if present."""
        key = name_key(name)
        return next((f for f in self.files if name_key(f.name) == key), None)

    def path(self, name: str) -> Path:
        """The path of a present file (its name was checked to be a plain file name)."""
        found = self.file(name)
        if found is None:
            raise MedoFormatError("files", f"{name!r} is not in the letter", file=str(self.folder))
        return self.folder / found.name


def referenced_files(message: Message, *, source: str | None = None) -> tuple[str, ...]:
    """The file names a document message refers to: its files and their signatures, checked."""
    if isinstance(message.content, ContainerReference):
        body = message.content.body
        return (check_file_name(body, element="container/body", source=source),)
    if not isinstance(message.content, DocumentContent):
        return ()
    names: list[str] = []
    files: set[str] = set()
    for item in message.content.files:
        name = check_file_name(item.local_name, element="files/file/@localName", source=source)
        if name_key(name) in files:
            raise MedoFormatError("files/file/@localName", f"{name!r} is listed twice", file=source)
        files.add(name_key(name))
        names.append(name)
        for signature in item.signature_names():
            names.append(
                check_file_name(
                    signature, element="files/file/signedData/signerInfo/@signature", source=source
                )
            )
    keys: dict[str, str] = {}
    for name in names:
        prior = keys.setdefault(name_key(name), name)
        if prior != name:
            raise MedoFormatError(
                "files/file", f"{prior!r} and {name!r} differ only in letter case", file=source
            )
    return tuple(keys.values())


def _listing(folder: Path, limits: Limits) -> dict[str, Path]:
    entries: dict[str, Path] = {}
    with os.scandir(folder) as scan:
        for count, entry in enumerate(scan, start=1):
            if count > limits.max_members:
                raise MedoUnsafeInput(
                    "letter", f"more than {limits.max_members} files", file=str(folder)
                )
            mode = entry.stat(follow_symlinks=False).st_mode
            if not stat.S_ISREG(mode):
                raise MedoUnsafeInput(
                    entry.name,
                    "a letter may hold only regular files (no links or folders)",
                    file=str(folder),
                )
            check_file_name(entry.name, element="letter", source=str(folder))
            if name_key(entry.name) in entries:
                raise MedoUnsafeInput(entry.name, "two files differ only in case", file=str(folder))
            entries[name_key(entry.name)] = Path(entry.path)
    return entries


def _find(entries: dict[str, Path], names: tuple[str, ...], suffix: str | None) -> Path | None:
    """The first present of ``names``; else the only file ending in ``suffix``, if one."""
    for name in names:
        if name_key(name) in entries:
            return entries[name_key(name)]
    if suffix is None:
        return None
    found = [p for p in entries.values() if p.name.lower().endswith(suffix)]
    return found[0] if len(found) == 1 else None


def read_letter(
    folder: str | os.PathLike[str],
    *,
    limits: Limits = DEFAULT_LIMITS,
    default_tz: str = "Europe/Moscow",
) -> Letter:
    """Read a letter folder: the envelope (if any), the message XML, and every file's digest.

    Each file is read once, streamed through SHA-256; sizes and counts are bounded by ``limits``.
    """
    root = Path(folder)
    entries = _listing(root, limits)
    envelope_path = _find(entries, ENVELOPE_NAMES, ".ltr")
    envelope = None
    if envelope_path is not None:
        envelope = parse_envelope(envelope_path.read_bytes(), source=str(envelope_path))
    message_path = _find(entries, MESSAGE_NAMES, None)
    if message_path is None and envelope is not None:
        xml = [n for n in envelope.files if n.lower().endswith(".xml") and name_key(n) in entries]
        message_path = entries[name_key(xml[0])] if len(xml) == 1 else None
    if message_path is None:
        raise MedoFormatError("letter", "no message XML (document.xml…) found", file=str(root))
    if message_path.stat().st_size > limits.max_xml_bytes:
        raise MedoUnsafeInput("document", "the message XML is too large", file=str(message_path))
    message = parse_message(
        message_path.read_bytes(), source=str(message_path), limits=limits, default_tz=default_tz
    )
    named = list(referenced_files(message, source=str(message_path)))
    if envelope is not None:
        named.extend(envelope.files)
        if envelope.text_file is not None:
            named.append(envelope.text_file)
    service = {name_key(message_path.name)}
    if envelope_path is not None:
        service.add(name_key(envelope_path.name))
    named_keys = {name_key(n) for n in named} | service
    missing = tuple(
        dict.fromkeys(n for n in named if name_key(n) not in entries and name_key(n) not in service)
    )
    extra = tuple(sorted(p.name for k, p in entries.items() if k not in named_keys))
    files: list[LetterFile] = []
    total = 0
    for key, path in sorted(entries.items()):
        if key in service:
            continue
        size, digests = hash_file(path, names=("sha256",), max_bytes=limits.max_file_bytes)
        total += size
        if total > limits.max_total_bytes:
            raise MedoUnsafeInput("letter", "the files are larger than allowed", file=str(root))
        files.append(LetterFile(name=path.name, size=size, sha256=digests["sha256"]))
    return Letter(
        folder=root,
        message_name=message_path.name,
        message=message,
        envelope=envelope,
        files=tuple(files),
        missing=missing,
        extra=extra,
    )


def write_letter(
    folder: str | os.PathLike[str],
    message: Message,
    files: Mapping[str, bytes],
    *,
    addresses: tuple[str, ...] = (),
    subject: str = "",
    message_name: str | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Write a letter into a new or empty folder: the XML, every file, and ``envelope.ini``.

    ``files`` maps each file name (attachments and detached signatures) to its bytes; every file
    the message refers to must be given. ``addresses`` are the transport addresses of the
    envelope's ``[АДРЕСАТЫ]`` (MEDO mailbox addresses, ``GOSD_S~MEDOGU``): a letter without
    one could reach nobody and raises :class:`~edmscore.errors.MedoUnroutable`. Returns the folder.
    """
    if not addresses or not all(a.strip() for a in addresses):
        raise MedoUnroutable(
            "addresses", "the envelope names no MEDO mailbox address: the letter reaches nobody"
        )
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise MedoFormatError("letter", "the folder is not empty", file=str(root))
    if message_name is None:
        message_name = {
            "Документ": "document.xml",
            "Уведомление": "notification.xml",
            "Квитанция": "acknowledgment.xml",
        }.get(message.type.value, "message.xml")
    check_file_name(message_name, element="letter", source=None)
    needed = referenced_files(message)
    given = {name_key(check_file_name(n, element="files", source=None)): n for n in files}
    absent = [n for n in needed if name_key(n) not in given]
    if absent:
        raise MedoFormatError("files", f"no content given for {absent}")
    reserved = {name_key(message_name), name_key("envelope.ini")}
    clashing = [n for key, n in given.items() if key in reserved]
    if clashing:
        raise MedoFormatError("files", f"{clashing} would overwrite the message or envelope")
    data = build_message(message, encoding=encoding)
    (root / message_name).write_bytes(data)
    for name, content in files.items():
        (root / name).write_bytes(content)
    signed = any(item.signed_data for item in getattr(message.content, "files", ()))
    envelope = Envelope(
        subject=subject,
        addressees=addresses,
        files=(message_name, *files),
        signed=signed,
    )
    (root / "envelope.ini").write_bytes(build_envelope(envelope))
    return root
