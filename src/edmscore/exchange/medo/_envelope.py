"""The transport envelope of a MEDO letter: an INI file (``envelope.ini`` / ``envelope.ltr``).

Written in Windows-1251 as the rules ask; read in Windows-1251 or UTF-8 (some real senders write
UTF-8). File entries holding a Windows path (``D:\\MailToMin\\…\\document.xml``, as some senders
write them) are matched by their base name, which passes the same safety checks as any name.
"""

from __future__ import annotations

import re

from attrs import field, frozen

from edmscore.errors import MedoFormatError, ValidationError
from edmscore.exchange.medo._checks import Validator
from edmscore.exchange.medo._names import check_file_name

__all__ = ["Envelope", "build_envelope", "parse_envelope"]

LETTER_SECTION = "ПИСЬМО КП ПС СЗИ"
ADDRESSEES_SECTION = "АДРЕСАТЫ"
FILES_SECTION = "ФАЙЛЫ"
TEXT_SECTION = "ТЕКСТ"
_ENCODINGS = ("cp1251", "utf-8")
_MAX_ENVELOPE = 1024 * 1024
_SECTION = re.compile(r"\[(.+)\]\Z")
# INI lines end in CR LF, LF or CR only (not the other separators str.splitlines knows).
_LINE_END = re.compile(r"\r\n|\r|\n")


def _no_line_breaks(name: str) -> Validator:
    def validate(_inst: object, _attr: object, value: object) -> None:
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if not isinstance(item, str) or "\n" in item or "\r" in item or "\x00" in item:
                raise ValidationError(name, f"must be one line of text: {item!r}")

    return validate


@frozen
class Envelope:
    """The envelope: subject, flags, addressees (transport addresses) and the files listed.

    ``signed`` is the ``ЭЦП`` flag. ``delivered``, ``read`` and ``date`` are kept as written (the
    format of ``ДАТА`` is not fixed by any source found). ``addressees`` are MEDO mailbox
    addresses (``GOSD_S~MEDOGU``). ``files`` are plain file names (a Windows path read from an
    envelope is cut to its base name). ``text_file`` is the ``[ТЕКСТ]`` section's ``ФАЙЛ``: a
    text file (usually ``annotation.txt``) carrying the letter's cover text. ``encoding`` is the
    one the envelope was read in, or is to be written in (``cp1251`` or ``utf-8``).
    """

    subject: str = field(validator=_no_line_breaks("ТЕМА"))
    addressees: tuple[str, ...] = field(validator=_no_line_breaks("АДРЕСАТЫ"))
    files: tuple[str, ...] = field(validator=_no_line_breaks("ФАЙЛЫ"))
    auto_send: bool = True
    encrypted: bool = False
    signed: bool = False
    delivered: str = field(default="", validator=_no_line_breaks("ДОСТАВЛЕНО"))
    read: str = field(default="", validator=_no_line_breaks("ПРОЧТЕНО"))
    date: str = field(default="", validator=_no_line_breaks("ДАТА"))
    text_file: str | None = field(default=None)
    encoding: str = field(default="cp1251")

    @text_file.validator
    def _check_text_file(self, _attr: object, value: str | None) -> None:
        if value is not None:
            _no_line_breaks("ТЕКСТ")(self, _attr, value)

    @encoding.validator
    def _check_encoding(self, _attr: object, value: str) -> None:
        if value not in _ENCODINGS:
            raise ValidationError("envelope", f"encoding must be one of {_ENCODINGS}")


def _decode(data: bytes, source: str) -> tuple[str, str]:
    """The envelope's text and encoding: UTF-8 when marked so or valid as such, else cp1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            raise MedoFormatError(
                "envelope", f"byte {exc.start + 3} breaks the UTF-8 it is marked as", file=source
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise MedoFormatError(
            "envelope", "is in UTF-16; an envelope must be Windows-1251 or UTF-8", file=source
        )
    if not data.isascii():
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:
        raise MedoFormatError(
            "envelope", f"byte {exc.start} is neither Windows-1251 nor UTF-8", file=source
        ) from None


def _base_name(entry: str, element: str, source: str) -> str:
    """An entry's file name: a Windows or POSIX path is cut to its last part, then checked."""
    base = entry.replace("/", "\\").rsplit("\\", 1)[-1]
    return check_file_name(base, element=element, source=source)


def _flag(value: str, key: str, source: str) -> bool:
    if value.strip() in ("", "0"):
        return False
    if value.strip() == "1":
        return True
    raise MedoFormatError(
        f"[{LETTER_SECTION}]/{key}", f"must be 0 or 1, not {value!r}", file=source
    )


def parse_envelope(data: bytes, *, source: str = "envelope.ini") -> Envelope:
    """Read an envelope; numbered entries may have gaps and are taken in numeric order.

    A file entry holding a path is matched by its base name (checked like any file name).
    """
    if len(data) > _MAX_ENVELOPE:
        raise MedoFormatError("envelope", "is larger than 1 MiB", file=source)
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    current_name = ""
    text, encoding = _decode(data, source)
    for number, raw in enumerate(_LINE_END.split(text), start=1):
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        match = _SECTION.match(line)
        if match:
            current_name = match.group(1).strip().upper()
            if current_name in sections:
                raise MedoFormatError(f"[{current_name}]", "appears twice", file=source)
            current = sections[current_name] = {}
            continue
        if current is None or "=" not in line:
            raise MedoFormatError(
                f"line {number}", f"is not a key=value entry: {raw!r}", file=source
            )
        key, _, value = line.partition("=")
        key = key.strip().upper()
        if key in current:
            raise MedoFormatError(f"[{current_name}]/{key}", "appears twice", file=source)
        current[key] = value.strip()
    letter = sections.get(LETTER_SECTION)
    if letter is None:
        raise MedoFormatError(f"[{LETTER_SECTION}]", "is required but missing", file=source)
    return Envelope(
        subject=letter.get("ТЕМА", ""),
        addressees=_numbered(sections.get(ADDRESSEES_SECTION, {}), ADDRESSEES_SECTION, source),
        files=tuple(
            _base_name(name, f"[{FILES_SECTION}]", source)
            for name in _numbered(sections.get(FILES_SECTION, {}), FILES_SECTION, source)
        ),
        auto_send=_flag(letter.get("АВТООТПРАВКА", "0"), "АВТООТПРАВКА", source),
        encrypted=_flag(letter.get("ШИФРОВАНИЕ", "0"), "ШИФРОВАНИЕ", source),
        signed=_flag(letter.get("ЭЦП", "0"), "ЭЦП", source),
        delivered=letter.get("ДОСТАВЛЕНО", ""),
        read=letter.get("ПРОЧТЕНО", ""),
        date=letter.get("ДАТА", ""),
        text_file=_text_file(sections.get(TEXT_SECTION), source),
        encoding=encoding,
    )


def _text_file(section: dict[str, str] | None, source: str) -> str | None:
    if section is None or not section.get("ФАЙЛ"):
        return None
    return _base_name(section["ФАЙЛ"], f"[{TEXT_SECTION}]/ФАЙЛ", source)


def _numbered(section: dict[str, str], name: str, source: str) -> tuple[str, ...]:
    entries: list[tuple[int, str]] = []
    for key, value in section.items():
        if not key.isdigit() or len(key) > 6:
            raise MedoFormatError(f"[{name}]/{key}", "keys must be numbers", file=source)
        if not value:
            raise MedoFormatError(f"[{name}]/{key}", "is empty", file=source)
        entries.append((int(key), value))
    return tuple(value for _key, value in sorted(entries))


def build_envelope(envelope: Envelope) -> bytes:
    """Write an envelope in its encoding (Windows-1251 unless said) with CRLF line ends.

    Entries are numbered from 0; a ``[ТЕКСТ]`` section is written when ``text_file`` is set.
    """
    lines = [
        f"[{LETTER_SECTION}]",
        f"ТЕМА={envelope.subject}",
        f"АВТООТПРАВКА={int(envelope.auto_send)}",
        f"ШИФРОВАНИЕ={int(envelope.encrypted)}",
        f"ЭЦП={int(envelope.signed)}",
        f"ДОСТАВЛЕНО={envelope.delivered}",
        f"ПРОЧТЕНО={envelope.read}",
        f"ДАТА={envelope.date}",
        f"[{ADDRESSEES_SECTION}]",
        *(f"{i}={a}" for i, a in enumerate(envelope.addressees)),
        f"[{FILES_SECTION}]",
        *(f"{i}={f}" for i, f in enumerate(envelope.files)),
    ]
    if envelope.text_file is not None:
        lines.extend((f"[{TEXT_SECTION}]", f"ФАЙЛ={envelope.text_file}"))
    text = "\r\n".join(lines) + "\r\n"
    try:
        return text.encode(envelope.encoding)
    except UnicodeEncodeError as exc:
        raise MedoFormatError(
            "envelope", f"{text[exc.start : exc.end]!r} cannot be written in Windows-1251"
        ) from None
