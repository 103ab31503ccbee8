"""The transport envelope of a MEDO letter: an INI file in Windows-1251 (``envelope.ini``)."""

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
    format of ``ДАТА`` is not fixed by any source found).
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


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        raise MedoFormatError(
            "envelope",
            "has a Unicode byte order mark; an envelope must be Windows-1251",
            file=source,
        )
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise MedoFormatError(
                "envelope", "is written in UTF-8; an envelope must be Windows-1251", file=source
            )
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise MedoFormatError(
            "envelope", f"byte {exc.start} is not Windows-1251", file=source
        ) from None


def _flag(value: str, key: str, source: str) -> bool:
    if value.strip() in ("", "0"):
        return False
    if value.strip() == "1":
        return True
    raise MedoFormatError(
        f"[{LETTER_SECTION}]/{key}", f"must be 0 or 1, not {value!r}", file=source
    )


def parse_envelope(data: bytes, *, source: str = "envelope.ini") -> Envelope:
    """Read an envelope; numbered entries may have gaps and are taken in numeric order."""
    if len(data) > _MAX_ENVELOPE:
        raise MedoFormatError("envelope", "is larger than 1 MiB", file=source)
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    current_name = ""
    for number, raw in enumerate(_LINE_END.split(_decode(data, source)), start=1):
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
            check_file_name(name, element=f"[{FILES_SECTION}]", source=source)
            for name in _numbered(sections.get(FILES_SECTION, {}), FILES_SECTION, source)
        ),
        auto_send=_flag(letter.get("АВТООТПРАВКА", "0"), "АВТООТПРАВКА", source),
        encrypted=_flag(letter.get("ШИФРОВАНИЕ", "0"), "ШИФРОВАНИЕ", source),
        signed=_flag(letter.get("ЭЦП", "0"), "ЭЦП", source),
        delivered=letter.get("ДОСТАВЛЕНО", ""),
        read=letter.get("ПРОЧТЕНО", ""),
        date=letter.get("ДАТА", ""),
    )


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
    """Write an envelope in Windows-1251 with CRLF line ends, entries numbered from 0."""
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
    text = "\r\n".join(lines) + "\r\n"
    try:
        return text.encode("cp1251")
    except UnicodeEncodeError as exc:
        raise MedoFormatError(
            "envelope", f"{text[exc.start : exc.end]!r} cannot be written in Windows-1251"
        ) from None
