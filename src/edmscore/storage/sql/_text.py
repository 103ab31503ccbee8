"""Text the SQL adapter searches: the case-folded substring haystack and Russian word stems.

:func:`search_text` keeps the exact semantics of ``CardQuery.text`` (a case-insensitive substring
of the summary, the numbers or a correspondent's name): each item is case-folded in Python and
the items are joined by a separator no needle can match across. On PostgreSQL the needle becomes
a LIKE pattern (:func:`like_pattern`), which a ``pg_trgm`` index can serve.

:func:`stem` is an implementation of the Snowball stemming algorithm for Russian (the same
algorithm PostgreSQL's ``russian`` text-search configuration uses), so SQLite's FTS5 index and
PostgreSQL's tsvector find the same inflected forms: «дорога», «дороги», «дорогах» share the stem
«дорог». Words in other scripts are only case-folded.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from edmscore.registry import RegistrationCard

__all__ = [
    "fold",
    "fts_words",
    "like_pattern",
    "search_text",
    "search_text_of",
    "stem",
    "stem_query",
]

_SEPARATOR = "\x1f"
_REPLACED = str.maketrans({"\x00": "\ufffd", _SEPARATOR: "\ufffd"})
_WORD = re.compile(r"\w+")
_LIKE_ESCAPES = str.maketrans({"\\": "\\\\", "%": "\\%", "_": "\\_"})


def fold(text: str) -> str:
    """Case-folded text with the characters the haystack reserves replaced."""
    return text.casefold().translate(_REPLACED)


def like_pattern(needle: str) -> str:
    """A LIKE pattern for "contains the case-folded ``needle``" (PostgreSQL).

    The needle's ``%``, ``_`` and backslashes are escaped with a backslash, LIKE's default
    escape character, so they match literally; no ESCAPE clause is needed (its literal would
    depend on ``standard_conforming_strings``).
    """
    return "%" + fold(needle).translate(_LIKE_ESCAPES) + "%"


def search_text(card: RegistrationCard) -> str:
    """The substring haystack of a card (see the module docstring)."""
    details = card.details
    items = (
        details.summary,
        card.registration.number,
        details.sender_number or "",
        *(c.name for c in details.correspondents),
        *(c.name for c in details.addressees),
        *(f.text for f in details.files if f.text),
    )
    return _SEPARATOR.join(fold(item) for item in items)


def search_text_of(card: Mapping[str, Any]) -> str:
    """:func:`search_text` of a card in its primitive form (``card_to_primitive``)."""
    details = card["details"]
    items = (
        details["summary"],
        card["registration"]["number"],
        details["sender_number"] or "",
        *(c["name"] for c in details["correspondents"]),
        *(c["name"] for c in details["addressees"]),
        *(f["text"] for f in details["files"] if f.get("text")),
    )
    joined = _SEPARATOR.join(items)
    if "\x00" in joined or joined.count(_SEPARATOR) != len(items) - 1:
        return _SEPARATOR.join(fold(item) for item in items)
    # Case folding maps each character on its own, so folding the joined text once is the
    # same as folding each item: the common case, with no reserved character in any item.
    return joined.casefold()


# --- the Snowball Russian stemmer ---------------------------------------------------------------

_VOWELS = frozenset("аеиоуыэюя")


def _endings(text: str) -> tuple[str, ...]:
    # Longest first, so the first match is the longest ending.
    return tuple(sorted(text.split(), key=len, reverse=True))


_GERUND_1 = _endings("в вши вшись")
_GERUND_2 = _endings("ив ивши ившись ыв ывши ывшись")
_ADJECTIVE = _endings(
    "ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею"
)
_PARTICIPLE_1 = _endings("ем нн вш ющ щ")
_PARTICIPLE_2 = _endings("ивш ывш ующ")
_REFLEXIVE = _endings("ся сь")
_VERB_1 = _endings("ла на ете йте ли й л ем н ло но ет ют ны ть ешь нно")
_VERB_2 = _endings(
    "ила ыла ена ейте уйте ите или ыли ей уй ил ыл им ым ен ило ыло ено ят ует уют ит ыт ены "
    "ить ыть ишь ую ю"
)
_NOUN = _endings(
    "а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь "
    "ию ью ю ия ья я"
)
_SUPERLATIVE = _endings("ейш ейше")
_DERIVATIONAL = _endings("ост ость")


def _regions(word: str) -> tuple[int, int]:
    """RV (after the first vowel) and R2 (R1 of R1), as start offsets."""
    rv = len(word)
    for i, ch in enumerate(word):
        if ch in _VOWELS:
            rv = i + 1
            break

    def r1_from(start: int) -> int:
        for i in range(start + 1, len(word)):
            if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
                return i + 1
        return len(word)

    r1 = r1_from(0)
    return rv, r1_from(r1)


def _strip(word: str, rv: int, endings: tuple[str, ...], after_a: bool = False) -> str | None:
    """``word`` without the longest of ``endings`` inside RV, or None if none matches."""
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= rv:
            if after_a:
                before = len(word) - len(ending) - 1
                if before < rv or word[before] not in "ая":
                    continue
            return word[: len(word) - len(ending)]
    return None


def _longest(word: str, rv: int, group_1: tuple[str, ...], group_2: tuple[str, ...]) -> str | None:
    """Strip the longer match of a group needing а/я before it and a group that does not."""
    one = _strip(word, rv, group_1, after_a=True)
    two = _strip(word, rv, group_2)
    if one is None:
        return two
    if two is None:
        return one
    return one if len(one) < len(two) else two


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball Russian stem of a lower-case word (ё is read as е)."""
    word = word.casefold().replace("ё", "е")
    if not any(ch in _VOWELS for ch in word):
        return word
    rv, r2 = _regions(word)
    # Step 1.
    stripped = _longest(word, rv, _GERUND_1, _GERUND_2)
    if stripped is not None:
        word = stripped
    else:
        word = _strip(word, rv, _REFLEXIVE) or word
        adjective = _strip(word, rv, _ADJECTIVE)
        if adjective is not None:
            word = _longest(adjective, rv, _PARTICIPLE_1, _PARTICIPLE_2) or adjective
        else:
            verb = _longest(word, rv, _VERB_1, _VERB_2)
            word = verb if verb is not None else (_strip(word, rv, _NOUN) or word)
    # Step 2.
    if word.endswith("и") and len(word) - 1 >= rv:
        word = word[:-1]
    # Step 3.
    derivational = _strip(word, max(r2, rv), _DERIVATIONAL)
    if derivational is not None:
        word = derivational
    # Step 4.
    if word.endswith("нн") and len(word) - 2 >= rv:
        word = word[:-1]
    else:
        superlative = _strip(word, rv, _SUPERLATIVE)
        if superlative is not None:
            word = superlative
            if word.endswith("нн") and len(word) - 2 >= rv:
                word = word[:-1]
        elif word.endswith("ь") and len(word) - 1 >= rv:
            word = word[:-1]
    return word


def fts_words(text: str) -> str:
    """The stems of the words of ``text``, space-separated (what the FTS5 index holds)."""
    return " ".join(stem(w) for w in _WORD.findall(text))


def stem_query(words: str) -> str | None:
    """An FTS5 MATCH expression requiring every word's stem; None if ``words`` has none."""
    stems = [stem(w) for w in _WORD.findall(words)]
    if not stems:
        return None
    return " AND ".join('"' + s.replace('"', '""') + '"' for s in stems)
