"""The classifier of appeal topics (тематический классификатор обращений), loaded by the host.

A code has up to four levels of four digits — section, theme, subject, question —
``0001.0002.0003.0004``; a question of an appeal carries a full four-level code. The library
ships the code *structure* and a tiny sample (``data/topics-sample.json``, marked ``"sample":
true``), never a list to be taken for the official one: a host loads its current classifier with
:func:`load_topics` from JSON or from a ``code;title`` CSV.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

import attrs

from edmscore.errors import ValidationError

__all__ = [
    "LEVELS",
    "TopicClassifier",
    "is_question_code",
    "load_topics",
    "sample_topics",
    "topic_level",
]

#: The level names, top down.
LEVELS = ("section", "theme", "subject", "question")
_CODE = re.compile(r"[0-9]{4}(?:\.[0-9]{4}){0,3}")
_MAX_ENTRIES = 100_000
_MAX_BYTES = 32 * 1024 * 1024


def topic_level(code: str) -> int:
    """The level of ``code``: 1 (section) to 4 (question); ValidationError if malformed."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise ValidationError("topic", f"not a classifier code like 0001.0002.0003.0004: {code!r}")
    return code.count(".") + 1


def is_question_code(code: object) -> bool:
    """Whether ``code`` is a well-formed four-level (question) code."""
    return isinstance(code, str) and bool(_CODE.fullmatch(code)) and code.count(".") == 3


def _frozen_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class TopicClassifier:
    """A loaded classifier: code → title, every code's parent present.

    ``sample`` is True for the illustrative data shipped with edmscore.
    """

    name: str
    version: str
    titles: Mapping[str, str] = attrs.field(converter=_frozen_mapping)
    sample: bool = False

    def __attrs_post_init__(self) -> None:
        if len(self.titles) > _MAX_ENTRIES:
            raise ValidationError("topics", f"more than {_MAX_ENTRIES} entries")
        for code, title in self.titles.items():
            level = topic_level(code)
            if not isinstance(title, str) or not title.strip():
                raise ValidationError("topics", f"{code}: empty title")
            if level > 1 and code.rsplit(".", 1)[0] not in self.titles:
                raise ValidationError("topics", f"{code}: its parent {code[:-5]} is missing")

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.titles

    def title(self, code: str) -> str:
        """The title of ``code``; ValidationError if the classifier has no such code."""
        self.check(code)
        return self.titles[code]

    def check(self, code: str, *, question: bool = False) -> None:
        """Raise ValidationError unless ``code`` is in the classifier (a question code if asked)."""
        level = topic_level(code)
        if question and level != 4:
            raise ValidationError("topic", f"{code}: a question needs a four-level code")
        if code not in self.titles:
            raise ValidationError("topic", f"{code}: not in the classifier {self.name!r}")

    def path(self, code: str) -> tuple[tuple[str, str], ...]:
        """(code, title) from the section down to ``code``."""
        self.check(code)
        parts = code.split(".")
        prefixes = (".".join(parts[: i + 1]) for i in range(len(parts)))
        return tuple((p, self.titles[p]) for p in prefixes)

    def children(self, code: str | None = None) -> tuple[str, ...]:
        """The codes directly under ``code`` (the sections when None), in order."""
        level = 0 if code is None else topic_level(code)
        prefix = "" if code is None else code + "."
        return tuple(
            sorted(c for c in self.titles if c.startswith(prefix) and topic_level(c) == level + 1)
        )


def section_of(code: str) -> str:
    """The section (first level) of ``code``."""
    topic_level(code)
    return code[:4]


def _from_entries(entries: Iterable[tuple[str, str]]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for code, title in entries:
        code = code.strip()
        if code in titles:
            raise ValidationError("topics", f"{code}: listed twice")
        titles[code] = title.strip()
    return titles


def load_topics(
    source: str | Path | bytes, *, name: str = "", version: str = ""
) -> TopicClassifier:
    """Load a classifier from a JSON or CSV file (a path) or its bytes.

    JSON: ``{"name": …, "version": …, "sample": false, "topics": [{"code": …, "title": …}]}``.
    CSV (UTF-8, ``;`` or ``,``): ``code;title`` rows, an optional header row.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if len(data) > _MAX_BYTES:
        raise ValidationError("topics", f"larger than {_MAX_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError("topics", "not UTF-8 text") from exc
    if text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError("topics", f"not JSON: {exc.msg}") from exc
        if not isinstance(document, dict) or not isinstance(document.get("topics"), list):
            raise ValidationError("topics", "a JSON classifier needs a 'topics' list")
        entries = []
        for item in document["topics"]:
            if not isinstance(item, dict) or not isinstance(item.get("code"), str):
                raise ValidationError("topics", f"not a topic entry: {item!r}")
            entries.append((item["code"], str(item.get("title", ""))))
        return TopicClassifier(
            name=str(document.get("name") or name or "classifier"),
            version=str(document.get("version") or version),
            titles=_from_entries(entries),
            sample=bool(document.get("sample", False)),
        )
    dialect = ";" if text.count(";") >= text.count(",") else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=dialect) if r and any(r)]
    if rows and not _CODE.fullmatch(rows[0][0].strip()):
        rows = rows[1:]
    for row in rows:
        if len(row) < 2:
            raise ValidationError("topics", f"a row needs a code and a title: {row!r}")
    return TopicClassifier(
        name=name or "classifier",
        version=version,
        titles=_from_entries((row[0], row[1]) for row in rows),
    )


def sample_topics() -> TopicClassifier:
    """The small illustrative classifier shipped with edmscore (``sample`` is True)."""
    data = (
        importlib.resources.files("edmscore.appeals").joinpath("data", "topics-sample.json")
    ).read_bytes()
    return load_topics(data)
