"""Working-day arithmetic: edmscore against `holidays` and workalendar, side by side.

100,000 random (date, n) pairs over 2015–2026 (fixed seed); for each library:

* add: the date n working days after the date (n = ±1…±30, never 0);
* count: working days in [date, date + n calendar days], both ends included (for n < 0 the span
  [date + n, date]); the spans are made before timing.

Prints calls per second, edmscore's speed-up over each peer, and how many of each peer's answers
disagree with edmscore's. A peer that is not installed is reported as missing and skipped.

Then deadlines: ``DeadlinePolicy.deadline`` (the due date with its provisional mark) for the
same number of random starts in a year confirmed by its decree (2026) and in a statutory year
(2030, no decree: provisional), and the ratio of the two rates.

Run: ``.venv/bin/python benchmarks/bench_calendar.py [pairs]``. workalendar is not a project
dependency: ``.venv/bin/pip install workalendar`` to include it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from edmscore.calendar import APPEAL_REVIEW, OPERATIONAL, SERVICE_COMPLAINT, russian_calendar

Pair = tuple[dt.date, Any]
Call = Callable[[dt.date, Any], Any]


def make_pairs(count: int, seed: int = 20261125) -> list[tuple[dt.date, int]]:
    """Random (date, n) pairs whose answers stay inside 2015–2026."""
    rng = random.Random(seed)
    first = dt.date(2015, 3, 1).toordinal()
    last = dt.date(2026, 10, 31).toordinal()
    pairs = []
    for _ in range(count):
        n = rng.randint(1, 30) * rng.choice((-1, 1))
        pairs.append((dt.date.fromordinal(rng.randint(first, last)), n))
    return pairs


def make_spans(pairs: Sequence[tuple[dt.date, int]]) -> list[tuple[dt.date, dt.date]]:
    """The [start, end] span of each pair."""
    spans = []
    for day, n in pairs:
        other = day + dt.timedelta(days=n)
        spans.append((day, other) if n > 0 else (other, day))
    return spans


def timed(func: Call, args: Sequence[Pair]) -> tuple[float, list[Any]]:
    """Call ``func`` on every argument pair; (calls per second, answers)."""
    func(*args[0])  # warm caches
    started = time.perf_counter()
    answers = [func(a, b) for a, b in args]
    return len(args) / (time.perf_counter() - started), answers


def peers() -> dict[str, tuple[Call, Call]]:
    """The installed peers: name -> (add, count)."""
    found: dict[str, tuple[Call, Call]] = {}
    try:
        holidays = importlib.import_module("holidays")
    except ImportError:
        print("holidays: not installed, skipped")
    else:
        ru = holidays.country_holidays("RU", years=range(2014, 2028))
        found[f"holidays {holidays.__version__}"] = (
            ru.get_nth_working_day,
            ru.get_working_days_count,
        )
    try:
        europe = importlib.import_module("workalendar.europe")
    except ImportError:
        print("workalendar: not installed, skipped")
    else:
        russia = europe.Russia()
        found["workalendar"] = (
            russia.add_working_days,
            lambda start, end: russia.get_working_days_delta(start, end, include_start=True),
        )
    return found


def main(argv: Sequence[str]) -> int:
    """Run the benchmark; ``argv[1]`` is the number of pairs (100,000 by default)."""
    count = int(argv[1]) if len(argv) > 1 else 100_000
    pairs: list[Pair] = list(make_pairs(count))
    spans: list[Pair] = list(make_spans(make_pairs(count)))
    calendar = russian_calendar()
    print(f"{count:,} random (date, n) pairs, 2015–2026, Python {sys.version.split()[0]}")
    libraries: dict[str, tuple[Call, Call]] = {
        "edmscore": (calendar.add_working_days, calendar.count_working_days),
        **peers(),
    }
    results: dict[str, dict[str, tuple[float, list[Any]]]] = {}
    for name, (add, between) in libraries.items():
        results[name] = {"add": timed(add, pairs), "count": timed(between, spans)}
    print(f"{'library':<16}{'op':<7}{'calls/s':>12}{'edmscore is ×':>15}{'disagree':>10}")
    by_year: dict[str, Counter[int]] = {}
    for name, ops in results.items():
        for op, (rate, answers) in ops.items():
            base_rate, base_answers = results["edmscore"][op]
            differ = [
                i for i, (a, b) in enumerate(zip(answers, base_answers, strict=True)) if a != b
            ]
            print(f"{name:<16}{op:<7}{rate:>12,.0f}{base_rate / rate:>15.1f}{len(differ):>10,}")
            if differ and op == "add":
                by_year[name] = Counter(pairs[i][0].year for i in differ)
    for name, counts in by_year.items():
        years = ", ".join(f"{year}: {counts[year]}" for year in sorted(counts))
        print(f"{name} add disagreements by start year: {years}")
    deadlines(calendar, count)
    return 0


def deadlines(calendar: Any, count: int, seed: int = 20261206) -> None:
    """Deadline computation in a confirmed year against a statutory (provisional) one."""
    rng = random.Random(seed)
    policies = (APPEAL_REVIEW, OPERATIONAL, SERVICE_COMPLAINT)
    rates: dict[int, float] = {}
    for year in (2026, 2030):
        first = dt.date(year, 1, 1).toordinal()
        starts = [dt.date.fromordinal(first + rng.randint(0, 300)) for _ in range(count)]
        chosen = [policies[i % len(policies)] for i in range(count)]
        args: list[Pair] = list(zip(starts, chosen, strict=True))
        rate, answers = timed(lambda day, policy: policy.deadline(day, calendar), args)
        provisional = sum(1 for answer in answers if answer.provisional)
        status = calendar.years[year].status.value
        rates[year] = rate
        print(f"deadline {year} ({status}): {rate:,.0f} calls/s, provisional {provisional:,}")
    print(f"confirmed / provisional year rate: {rates[2026] / rates[2030]:.2f}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
