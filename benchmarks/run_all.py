"""Run every benchmark (``benchmarks/bench_*.py``) and print the figures with the machine.

Each benchmark runs in its own interpreter (the one running this script, so run it with the
check's virtual environment: ``.venv/bin/python benchmarks/run_all.py`` after
``pip install '.[bench]'``), one after another, each within ``--timeout`` seconds. Their output
is printed as it comes; at the end a summary lists each benchmark's lines that carry a ratio, a
speed-up or a peer that is missing. ``--write`` puts that summary, with the machine it ran on,
into benchmarks/README.md between its markers. ``--only NAME`` and ``--skip NAME`` choose
(``stamp``, ``calendar``…; repeatable).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import platform
import re
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
README = HERE / "README.md"
START = "<!-- latest figures: written by benchmarks/run_all.py --write -->"
END = "<!-- end of latest figures -->"
# Lines worth keeping in the summary: ratios, speed-ups, goals, and peers that did not run.
_NOTABLE = re.compile(
    r"ratio|speed-?up|faster|slower|×|\bx\b|goal|missing|not installed|skipped", re.I
)


def machine() -> str:
    """The machine the figures come from: CPU, cores, memory, OS, Python."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    try:
        load = f", load average {os.getloadavg()[0]:.1f} at the start"
    except OSError:
        load = ""
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()};"
        f" Python {platform.python_version()}{load}"
    )


def benchmarks(only: list[str], skip: list[str]) -> list[pathlib.Path]:
    """The benchmark scripts to run, by name."""
    found = sorted(HERE.glob("bench_*.py"))
    names = {p.stem.removeprefix("bench_"): p for p in found}
    unknown = [n for n in [*only, *skip] if n not in names]
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(unknown)} (have {', '.join(names)})")
    return [p for n, p in names.items() if (not only or n in only) and n not in skip]


def run(script: pathlib.Path, timeout: float) -> tuple[str, float, str]:
    """Run one benchmark; returns its status, its time in seconds and its output."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(script)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=HERE.parent,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return f"timed out after {timeout:.0f} s", time.perf_counter() - start, out
    status = "ok" if done.returncode == 0 else f"exit {done.returncode}"
    output = done.stdout + (f"\n{done.stderr.strip()}" if done.returncode else "")
    return status, time.perf_counter() - start, output


def summary(results: list[tuple[str, str, float, str]], where: str) -> str:
    """The Markdown summary: the machine, then one section per benchmark."""
    day = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    lines = [START, "", f"Run on {day} on: {where}.", ""]
    lines += ["| benchmark | status | time, s | figures |", "|---|---|---:|---|"]
    for name, status, seconds, output in results:
        notable = [" ".join(line.split()) for line in output.splitlines() if _NOTABLE.search(line)]
        figures = "<br>".join(n.replace("|", "\\|") for n in notable[:12]) or "—"
        lines.append(f"| `{name}` | {status} | {seconds:.0f} | {figures} |")
    return "\n".join([*lines, "", END])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--skip", action="append", default=[], metavar="NAME")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per benchmark")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args()
    where = machine()
    print(f"machine: {where}", flush=True)
    results = []
    for script in benchmarks(args.only, args.skip):
        print(f"\n== {script.name}", flush=True)
        status, seconds, output = run(script, args.timeout)
        print(output.rstrip(), flush=True)
        print(f"-- {script.name}: {status} in {seconds:.0f} s", flush=True)
        results.append((script.name, status, seconds, output))
    text = summary(results, where)
    print("\n" + text)
    if args.write:
        page = README.read_text(encoding="utf-8")
        head, _, rest = page.partition(START)
        _, _, tail = rest.partition(END)
        README.write_text(head + text + tail, encoding="utf-8")
    return 0 if all(r[1] == "ok" for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
