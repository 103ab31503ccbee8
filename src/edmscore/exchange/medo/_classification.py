"""The restriction mark (гриф) of a received document, read so that unknown wording fails closed.

MEDO carries the mark as free text: ``document/classification`` in 2.x messages, the
``classification`` element of a 2.7 / 2.7.1 container's passport. Senders spell it in many ways
(«ДСП», «Д.С.П.», «Для служ. пользования», a non-breaking space, Latin look-alike letters, a copy
number after it), so the text is normalised first, then matched against the ДСП spellings and a
short list of open wordings. Anything else that is not empty is restrictive until a person says
otherwise.
"""

from __future__ import annotations

import enum
import re
import unicodedata

__all__ = ["OPEN_WORDINGS", "ClassificationLevel", "classify_mark", "normalize_mark"]


class ClassificationLevel(enum.Enum):
    """What a restriction mark means for access: open, ДСП, or restrictive but not recognised."""

    OPEN = "open"
    RESTRICTED_DSP = "dsp"
    UNKNOWN_RESTRICTIVE = "unknown"

    @property
    def is_restricted(self) -> bool:
        """Whether the document must be handled as restricted (ДСП or an unrecognised mark)."""
        return self is not ClassificationLevel.OPEN

    @property
    def review_needed(self) -> bool:
        """Whether a person must read the mark: it is restrictive but not recognised."""
        return self is ClassificationLevel.UNKNOWN_RESTRICTIVE


#: The wordings that mean "no restriction", as a person would write them; matched after
#: normalisation, the whole mark only («Открыто для всех» is not open).
OPEN_WORDINGS: tuple[str, ...] = (
    "Без ограничений",
    "Без ограничения",
    "Без ограничения доступа",
    "Без грифа",
    "Открыто",
    "Открытый",
    "Открытый доступ",
    "Несекретно",
    "Не секретно",
    "Нет",
    "Отсутствует",
)

# Latin letters drawn like Cyrillic ones, by case: «ДCП» with a Latin C is «ДСП».
_LOOK_ALIKES = str.maketrans(
    "ABCEHKMOPTXYaceopxy",
    "АВСЕНКМОРТХУасеорху",
)
_SERVICE = r"(?:служебного|служебн|служеб|служ|сл)"
_USE = r"(?:пользования|пользован|пользов|польз)"
_DESIGNATION = rf"(?:дсп|для{_SERVICE}{_USE})"
# «экз. № 2», «экземпляр N 2», «Экз.No2»: «№» is read as «номер» before NFKC turns it into «No».
_COPY = r"(?:экз(?:емпляр|емпл)?(?:номер|n|nо)?[0-9]+)"
_DSP = re.compile(rf"(?:{_COPY})*{_DESIGNATION}(?:{_DESIGNATION}|{_COPY})*")


def _is_separator(ch: str) -> bool:
    # punctuation, symbols, spaces and control characters (tabs, newlines); private-use and
    # unassigned characters stay, so that a mark hiding one is not recognised as anything
    category = unicodedata.category(ch)
    return category[0] in "PSZ" or category == "Cc"


def normalize_mark(text: str) -> str:
    """The mark reduced for matching: NFKC, look-alikes made Cyrillic, case-folded, ё → е.

    Format characters (zero-width spaces, soft hyphens) are dropped; punctuation and symbols
    (dots, quotes, dashes, brackets) become spaces; runs of any whitespace become one space.
    """
    text = unicodedata.normalize("NFKC", text.replace("№", " номер "))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.translate(_LOOK_ALIKES).casefold().replace("ё", "е")
    text = "".join(" " if _is_separator(ch) else ch for ch in text)
    return " ".join(text.split())


def _compact(text: str) -> str:
    return normalize_mark(text).replace(" ", "")


_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
_OPEN = frozenset(_compact(wording) for wording in OPEN_WORDINGS)


def classify_mark(text: str | None) -> ClassificationLevel:
    """Classify a restriction mark; unknown non-empty wording is :attr:`UNKNOWN_RESTRICTIVE`.

    No mark, or one of only spaces and invisible characters, is open; so is one of
    :data:`OPEN_WORDINGS`. Every spelling of «Для служебного пользования» / «ДСП», with or without
    a copy number, is ДСП. Spaces and punctuation inside words are ignored («Д С П», «Д.С.П.»).
    """
    if text is None:
        return ClassificationLevel.OPEN
    if not any(unicodedata.category(ch) not in _INVISIBLE for ch in text):
        return ClassificationLevel.OPEN
    compact = _compact(text)
    if compact in _OPEN:
        return ClassificationLevel.OPEN
    if _DSP.fullmatch(compact):
        return ClassificationLevel.RESTRICTED_DSP
    return ClassificationLevel.UNKNOWN_RESTRICTIVE
