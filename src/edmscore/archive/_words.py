"""Numbers in Russian words, for the closing notes of inventories and acts («25 (двадцать пять)»).

The rules write counts in figures and, in brackets, in words; the word for one and two follows
the gender of the counted noun: «одно дело», «два дела»; «один лист», «два листа».
"""

from __future__ import annotations

import enum

from edmscore.errors import ValidationError

__all__ = ["Gender", "counted", "in_words", "plural"]

#: The largest number written in words (below a thousand millions).
MAX_IN_WORDS = 999_999_999


class Gender(enum.Enum):
    """The grammatical gender of a counted noun, which «один/одна/одно», «два/две» follow."""

    MASCULINE = "m"
    FEMININE = "f"
    NEUTER = "n"


_UNITS = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_TEENS = (
    "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать",
    "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать",
)  # fmt: skip
_TENS = (
    "", "", "двадцать", "тридцать", "сорок",
    "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто",
)  # fmt: skip
_HUNDREDS = (
    "", "сто", "двести", "триста", "четыреста",
    "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот",
)  # fmt: skip
_ONE = {Gender.MASCULINE: "один", Gender.FEMININE: "одна", Gender.NEUTER: "одно"}
_TWO = {Gender.MASCULINE: "два", Gender.FEMININE: "две", Gender.NEUTER: "два"}


def plural(number: int, one: str, few: str, many: str) -> str:
    """The noun form a count takes: ``1 → one``, ``2–4 → few``, ``5–20 → many`` (and so on)."""
    last_two = abs(number) % 100
    last = abs(number) % 10
    if last == 1 and last_two != 11:
        return one
    if 2 <= last <= 4 and not 12 <= last_two <= 14:
        return few
    return many


def _triad(number: int, gender: Gender) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(number, 100)
    if hundreds:
        words.append(_HUNDREDS[hundreds])
    if 10 <= rest <= 19:
        words.append(_TEENS[rest - 10])
        return words
    tens, units = divmod(rest, 10)
    if tens:
        words.append(_TENS[tens])
    if units == 1:
        words.append(_ONE[gender])
    elif units == 2:
        words.append(_TWO[gender])
    elif units:
        words.append(_UNITS[units])
    return words


def in_words(number: int, gender: Gender = Gender.MASCULINE) -> str:
    """``number`` (0 to 999 999 999) in Russian words, agreeing with a noun of ``gender``.

    >>> in_words(25, Gender.NEUTER)
    'двадцать пять'
    >>> in_words(2001, Gender.NEUTER)
    'две тысячи одно'
    """
    if isinstance(number, bool) or not isinstance(number, int):
        raise ValidationError("number", f"must be an integer, got {number!r}")
    if not 0 <= number <= MAX_IN_WORDS:
        raise ValidationError("number", f"must be between 0 and {MAX_IN_WORDS}, got {number}")
    if number == 0:
        return "ноль"
    millions, rest = divmod(number, 1_000_000)
    thousands, units = divmod(rest, 1000)
    words: list[str] = []
    if millions:
        words += _triad(millions, Gender.MASCULINE)
        words.append(plural(millions, "миллион", "миллиона", "миллионов"))
    if thousands:
        words += _triad(thousands, Gender.FEMININE)
        words.append(plural(thousands, "тысяча", "тысячи", "тысяч"))
    words += _triad(units, gender)
    return " ".join(words)


def counted(number: int, gender: Gender, one: str, few: str, many: str) -> str:
    """A count in figures, in words and the noun: «25 (двадцать пять) дел»."""
    return f"{number} ({in_words(number, gender)}) {plural(number, one, few, many)}"
