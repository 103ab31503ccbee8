"""Retention notation: parse + format throughput against a bare ``re.fullmatch`` (the raw limit).

The raw limit matches the same strings with one compiled case-insensitive regular expression of
the canonical notation and builds nothing; ``parse_retention`` + ``format_retention`` normalise
the text (case, look-alike letters, footnotes, spaces), match, validate and build a frozen value,
then write the canonical form. Run with ``.venv/bin/python benchmarks/bench_retention.py``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from edmscore.registry.retention import format_retention, parse_retention

NOTATIONS = [
    "Постоянно",
    "Постоянно ст. 19а",
    "Постоянно¹",
    "5 лет ЭПК",
    "5 лет ЭПК ст. 16а",
    "5 лет ЭПК, Ст. 16 а",
    "75 лет",
    "75 лет ЭПК ст. 445",
    "1 год",
    "1 год ст. 453",
    "3 года",
    "3 г.",
    "10 лет ЭПК",
    "10 лет ЭПК ст. 16а, 17б",
    "До минования надобности",
    "До ликвидации организации",
    "До замены новыми ст. 421",
    "  5  ЛЕТ   эпк  ",
    "ст. 16а\n5 лет ЭПК",
    "15 лет ЭПК* ст. 258 в",
]

RAW = re.compile(
    r"\s*(?:ст\.\s*[0-9]+\s*[а-я]?(?:,\s*[0-9]+\s*[а-я]?)*\s*)?"
    r"(?:постоянно|до ликвидации организации|до минования надобности|до замены новыми"
    r"|[0-9]+\s*(?:лет|года|год|г\.))[¹*]?"
    r"(?:\s*эпк[¹*]?)?,?(?:\s*ст\.\s*[0-9]+\s*[а-я]?(?:,\s*[0-9]+\s*[а-я]?)*)?\s*",
    re.IGNORECASE,
)
ROUNDS = 2000


def run(label: str, work: Callable[[str], object]) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(ROUNDS):
            for text in NOTATIONS:
                work(text)
        best = min(best, time.perf_counter() - start)
    rate = ROUNDS * len(NOTATIONS) / best
    print(f"{label:<40} {rate:>12,.0f} notations/s")
    return rate


def main() -> None:
    matched = sum(RAW.fullmatch(text) is not None for text in NOTATIONS)
    print(f"{len(NOTATIONS)} notations; the raw regex matches {matched} of them as written")
    raw = run("re.fullmatch (raw limit)", RAW.fullmatch)
    ours = run("parse_retention + format_retention", lambda t: format_retention(parse_retention(t)))
    print(f"ratio: edmscore runs at {ours / raw:.2f} of the raw limit ({raw / ours:.1f}x slower)")


if __name__ == "__main__":
    main()
