"""Registration number templates.

A template is text with fields in braces. ``{seq}`` (the serial number from the journal's counter)
must appear exactly once; the other fields are taken from the card being registered:

============== ============================================================= ===========
field          value                                                         spec
============== ============================================================= ===========
``seq``        the serial number                                             ``05d``, ``d``
``year``       the registration year, four digits                            ``d``
``yy``         the registration year, last two digits                        —
``y``          the registration year, last digit                             —
``case_index`` the index of the case (дело) the card is filed to             —
``dept``       the code of the card's responsible department                 —
``letter``     the first letter of the (first) applicant's surname, capital  —
``org``        the organisation's code                                       —
``journal``    the journal's code                                            —
``topic``      the topic code of an appeal's first question (appeals only)   —
============== ============================================================= ===========

``{{`` and ``}}`` stand for literal braces. Examples: ``{case_index}/{seq}``, ``{seq}-{dept}``,
``вх-{seq}``, ``{seq:05d}``, ``{letter}-{seq}``, ``{letter}/{seq}``, ``ПО-{seq}``, ``{seq}-ДСП``.

A template is checked when it is parsed (so when its journal is created): an unknown field, a
missing or repeated ``{seq}``, a bad spec or a stray brace raise :class:`TemplateError`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import attrs

from edmscore.errors import TemplateError, ValidationError

__all__ = ["TEMPLATE_FIELDS", "NumberTemplate", "clean_number"]

#: The fields a template may use, with the card data each needs (for error messages).
TEMPLATE_FIELDS: Mapping[str, str] = {
    "seq": "the journal counter",
    "year": "the registration date",
    "yy": "the registration date",
    "y": "the registration date",
    "case_index": "a case (дело) the card is filed to",
    "dept": "the responsible department",
    "letter": "an applicant's surname",
    "org": "the organisation's code",
    "journal": "the journal's code",
    "topic": "an appeal's topic code (registered through edmscore.appeals)",
}
_NUMERIC_FIELDS = frozenset({"seq", "year"})
_SPEC = re.compile(r"(0?)([1-9][0-9]?)?d")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]|[^{}]+")
_MAX_NUMBER_LENGTH = 64


@attrs.frozen
class _Field:
    name: str
    width: int
    zero_pad: bool

    def render(self, value: str | int) -> str:
        text = str(value)
        if self.width:
            text = text.rjust(self.width, "0" if self.zero_pad else " ")
        return text


@attrs.frozen
class NumberTemplate:
    """A parsed registration number template; build one with :meth:`parse`."""

    source: str
    _parts: tuple[str | _Field, ...] = attrs.field(alias="parts", repr=False)

    @classmethod
    def parse(cls, source: str) -> NumberTemplate:
        """Parse ``source``; raise :class:`TemplateError` naming what is wrong."""
        if not isinstance(source, str) or not source.strip():
            raise TemplateError("template", "must be a non-empty string")
        if len(source) > 200:
            raise TemplateError("template", "must be at most 200 characters")
        parts: list[str | _Field] = []
        position = 0
        while position < len(source):
            match = _TOKEN.match(source, position)
            assert match is not None  # the pattern matches any character
            token = match.group(0)
            position = match.end()
            if token in ("{{", "}}"):
                parts.append(token[0])
            elif token in ("{", "}"):
                raise TemplateError(
                    "template", f"unbalanced {token!r} at {match.start()}: {source!r}"
                )
            elif match.group(1) is not None:
                parts.append(_parse_field(match.group(1), source))
            else:
                parts.append(token)
        seq_count = sum(1 for p in parts if isinstance(p, _Field) and p.name == "seq")
        if seq_count != 1:
            raise TemplateError(
                "template", f"must contain {{seq}} exactly once, found {seq_count}: {source!r}"
            )
        return cls(source=source, parts=tuple(parts))

    @property
    def fields(self) -> frozenset[str]:
        """The names of the fields the template uses."""
        return frozenset(p.name for p in self._parts if isinstance(p, _Field))

    def render(self, values: Mapping[str, str | int | None]) -> str:
        """Render with ``values``; a used field without a value raises ValidationError."""
        out: list[str] = []
        for part in self._parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = values.get(part.name)
            if value is None or value == "":
                raise ValidationError(
                    part.name,
                    f"the number template {self.source!r} needs {TEMPLATE_FIELDS[part.name]}",
                )
            out.append(part.render(value))
        number = "".join(out)
        if len(number) > _MAX_NUMBER_LENGTH:
            raise ValidationError("registration_number", f"longer than {_MAX_NUMBER_LENGTH}")
        return number

    def __str__(self) -> str:
        return self.source

    @property
    def cyrillic(self) -> bool:
        """Whether the template's own text has Cyrillic letters (its numbers are Cyrillic)."""
        return any(isinstance(p, str) and _CYRILLIC.search(p) for p in self._parts)

    def recase(self, number: str) -> str | None:
        """``number`` with the template's literal text in the template's letter case, when it
        has the template's shape ignoring case (``ВХ-12`` for ``вх-{seq}`` gives ``вх-12``);
        None when it does not. A ``{letter}`` is a capital, other field values stay as typed."""
        pattern = "".join(
            re.escape(part) if isinstance(part, str) else f"(?P<f{i}>.+?)"
            for i, part in enumerate(self._parts)
        )
        found = re.fullmatch(pattern, number, re.IGNORECASE | re.DOTALL)
        if found is None:
            return None
        out: list[str] = []
        for i, part in enumerate(self._parts):
            if isinstance(part, str):
                out.append(part)
            else:
                value = found.group(f"f{i}")
                out.append(value.upper() if part.name == "letter" else value)
        return "".join(out)


# Latin letters that look like Cyrillic ones, mapped to the Cyrillic letter.
_LOOKALIKES = str.maketrans("ABCEHKMOPTXaceopxy", "АВСЕНКМОРТХасеорху")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SPACES = re.compile(r"\s+")


def clean_number(text: str, *, cyrillic: bool = False) -> str:
    """A number typed by hand in its plain form: Unicode NFC, no surrounding blanks, each run of
    inner blanks one space, and — in a number written in Cyrillic — the Latin letters that look
    like Cyrillic ones (``A``, ``B``, ``C``, ``E``, ``H``, ``K``, ``M``, ``O``, ``P``, ``T``,
    ``X``, ``a``, ``c``, ``e``, ``o``, ``p``, ``x``, ``y``) made Cyrillic. A number with no
    Cyrillic letter keeps its Latin ones unless ``cyrillic`` says the journal writes its numbers
    in Cyrillic (its template's own text has Cyrillic letters)."""
    plain = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    if cyrillic or _CYRILLIC.search(plain):
        plain = plain.translate(_LOOKALIKES)
    return plain


def _parse_field(body: str, source: str) -> _Field:
    name, _, spec = body.partition(":")
    name = name.strip()
    if name not in TEMPLATE_FIELDS:
        known = ", ".join(sorted(TEMPLATE_FIELDS))
        raise TemplateError("template", f"unknown field {{{name}}} in {source!r}; known: {known}")
    if not spec:
        return _Field(name, 0, False)
    if name not in _NUMERIC_FIELDS:
        raise TemplateError("template", f"field {{{name}}} takes no format spec in {source!r}")
    match = _SPEC.fullmatch(spec)
    if match is None:
        raise TemplateError("template", f"bad format spec {spec!r} for {{{name}}} in {source!r}")
    return _Field(name, int(match.group(2) or 0), bool(match.group(1)))
