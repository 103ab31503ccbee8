"""The grammar of retention notations as people actually write them (private).

:func:`scan` normalises a notation (case, ``ё``, Latin look-alike letters, spacing, footnote
markers) and matches it against one regular expression. It returns the raw parts; turning them
into a :class:`~edmscore.registry.retention.RetentionPeriod` (and every range check) is the public
module's job.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: Longest notation accepted; a nomenclature cell is short, anything longer is not a notation.
MAX_NOTATION_LENGTH = 200

# Latin letters that look like Cyrillic ones, as OCR and hurried typing leave them.
_LOOKALIKES = str.maketrans(
    "AaBCcEeHKkMOoPpTXxy",
    "АаВСсЕеНКкМОоРрТХху",
)

# Superscript digits, asterisks and bracketed footnote numbers: «Постоянно¹», «5 лет ЭПК*»,
# «1 год (1)», «[2]».
_FOOTNOTES = re.compile(
    r"[\u00b9\u00b2\u00b3\u2070-\u2079]+|\*+|\(\s*[0-9]{1,2}\s*\)|\[\s*[0-9]{1,2}\s*\]"
)
# A footnote digit glued to the end of a keyword once the superscript was lost in copying:
# «постоянно1», «эпк2», «лет1».
_GLUED_FOOTNOTE = re.compile(
    r"(постоянно|надобности|организации|учреждения|предприятия|новыми|лет|года|год|эпк)[0-9]{1,2}\b"
)
_LATIN = re.compile(r"[A-Za-z]")
_FOOTNOTE_TRIGGER = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079*(\[]")
_LETTER_DIGIT = re.compile(r"[а-я][0-9]")

_ARTICLE = r"[0-9]{1,4}(?:\.[0-9]{1,4})*(?:\s?[а-я])?"
_ARTICLES = rf"{_ARTICLE}(?:(?:\s?[,;]\s?|\s(?:и)\s){_ARTICLE})*"
_ARTICLE_WORD = r"(?:ст\.?\s?ст\.?|статьи|статья|ст\.?)"


def _clause(name: str) -> str:
    """The article clause, optionally in parentheses: «ст. 16а, 17б», «(ст. 16 а перечня)»."""

    def body(group: str) -> str:
        return rf"{_ARTICLE_WORD}\s?(?P<{group}>{_ARTICLES})(?:\s?перечня)?"

    return rf"(?:{body(name)}|\(\s?{body(name + '_p')}\s?\))"


_PERIOD = r"""
(?:
    (?P<permanent>постоянно)
  | (?P<liquidation>до\s?ликвидации(?:\s(?:организации|учреждения|предприятия))?)
  | (?P<need>до\s?минования\s(?:надобности|необходимости)|дмн)
  | (?P<replaced>до\s?замены\s(?:новыми|новым|новой))
  | (?<![0-9.])(?:(?P<split>[0-9]{1,3})\s?/\s?)?(?P<years>[0-9]{1,4})\s?(?:лет|года|год|г|л)\.?
)
(?P<epk>\s?(?:\(\s?)?э\s?\.?\s?п\s?\.?\s?к\.?(?:\s?\))?)?
"""

_SEPARATOR = r"[\s,;/\u2013\u2014-]*"

_NOTATION = re.compile(
    rf"(?:{_clause('before')}{_SEPARATOR})?{_PERIOD}(?:{_SEPARATOR}{_clause('after')})?",
    re.VERBOSE,
)


class RawRetention(NamedTuple):
    """The parts of a notation as written: the kind keyword, the years, ЭПК and articles."""

    kind: str
    """``"years"``, ``"permanent"``, ``"liquidation"``, ``"need"`` or ``"replaced"``."""
    years: int | None
    split_years: int | None
    """The first figure of a split term such as «50/75 лет»."""
    epk: bool
    articles: tuple[str, ...]


def normalise(text: str) -> str:
    """Lower-case, Cyrillic-only, footnote-free, single-spaced text of a notation."""
    # Each step runs only when its cheap trigger is present: most notations need none.
    if _LATIN.search(text) is not None:
        text = text.translate(_LOOKALIKES)
    text = text.lower().replace("ё", "е")
    if _FOOTNOTE_TRIGGER.search(text) is not None:
        text = _FOOTNOTES.sub(" ", text)
    if _LETTER_DIGIT.search(text) is not None:
        text = _GLUED_FOOTNOTE.sub(r"\1", text)
    return " ".join(text.split()).strip(" .,;")


_ARTICLE_SEPARATOR = r"(?:\s?[,;]\s?|\s(?:и)\s)"
_ARTICLE_ITEM = re.compile(rf"({_ARTICLE})(?={_ARTICLE_SEPARATOR}|$)")


def _split_articles(group: str) -> tuple[str, ...]:
    # The same article grammar as the notation, so «16 и 17» and «16 и» split as they matched.
    return tuple(match.group(1).replace(" ", "") for match in _ARTICLE_ITEM.finditer(group))


def scan(text: str) -> RawRetention | None:
    """Match a notation; ``None`` when it is not one."""
    match = _NOTATION.fullmatch(normalise(text))
    if match is None:
        return None
    groups = match.groupdict()
    clauses = [
        groups[name]
        for name in ("before", "before_p", "after", "after_p")
        if groups[name] is not None
    ]
    if len(clauses) > 1:
        return None  # articles on both sides of the period: ambiguous, refuse
    articles = _split_articles(clauses[0]) if clauses else ()
    epk = groups["epk"] is not None
    if groups["years"] is not None:
        split = groups["split"]
        return RawRetention(
            "years", int(groups["years"]), int(split) if split else None, epk, articles
        )
    kind = next(name for name in ("permanent", "liquidation", "need", "replaced") if groups[name])
    return RawRetention(kind, None, None, epk, articles)
