"""Masking of an author's personal data (152-FZ) for reports and exports that do not need it.

The rule of thumb: keep what identifies the appeal for the reader's purpose (the first letter of
the surname, the initials, the locality's first word), hide the rest with «*».
"""

from __future__ import annotations

import re

from edmscore.appeals._model import Author

__all__ = ["mask_address", "mask_author", "mask_email", "mask_name", "mask_phone"]

_STAR = "*"


def _hide(word: str, keep: int = 1) -> str:
    if len(word) <= keep:
        return word
    return word[:keep] + _STAR * (len(word) - keep)


def mask_name(full_name: str) -> str:
    """«Дмитриев Олег Сергеевич» → «Д******* О. С.»: surname's first letter, initials."""
    words = full_name.split()
    if not words:
        return ""
    rest = [f"{w[0]}." for w in words[1:]]
    return " ".join([_hide(words[0]), *rest])


def mask_email(email: str) -> str:
    """«oleg.d@mail.ru» → «o*****@mail.ru»: the domain stays."""
    local, at, domain = email.partition("@")
    if not at:
        return _hide(email)
    return f"{_hide(local)}@{domain}"


def mask_phone(phone: str) -> str:
    """«+7 914 555-12-34» → «+7 *** ***-**-34»: every digit but the country code and last two."""
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    keep = set(digits[-2:]) | ({digits[0]} if phone.lstrip().startswith("+") and digits else set())
    return "".join(_STAR if ch.isdigit() and i not in keep else ch for i, ch in enumerate(phone))


def mask_address(address: str) -> str:
    """Keep the first comma-separated part past a postcode (the locality), hide the rest."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    parts = [p for p in parts if not re.fullmatch(r"\d{6}", p)]
    if not parts:
        return ""
    return parts[0] + (", " + _STAR * 3 if len(parts) > 1 else "")


def mask_author(author: Author) -> Author:
    """The author with every personal field masked; social data and categories stay."""
    import attrs

    from edmscore.directory import PersonName

    name = author.name
    masked_name = None
    if name is not None:
        masked_name = PersonName(
            _hide(name.surname),
            f"{name.given_name[0]}.",
            name.patronymic[:1] + "." * bool(name.patronymic),
        )
    return attrs.evolve(
        author,
        name=masked_name,
        postal_address=mask_address(author.postal_address),
        email=mask_email(author.email) if author.email else "",
        phone=mask_phone(author.phone),
    )
