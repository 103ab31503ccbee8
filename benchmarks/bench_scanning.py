"""Split and file a scanned batch against the straightforward baseline (issue 20).

The batch: 200 A4 pages scanned at 300 dpi in grey (JPEG, as a feeder scanner writes them),
20 documents of 10 pages, each with its card's DataMatrix label on the first page, pages
skewed and noisy (``edmscore.testing.scanning.make_batch``). edmscore's side is what a clerk's
"file the batch" does: ``Edms.scanning.file_batch`` — every page read (a bare scan's JPEG
decoded at a reduced scale, the symbol re-read at full size only when it did not decode), the
batch split at the labels, each part written as a PDF and attached to its card in memory
storage. The baseline is the raw limit of the obvious loop: ``pdftoppm -r 300`` of every page,
one process per page, and zxing-cpp decoding each page image (no splitting, no writing).
Aim: ≥ 1.5× the baseline's pages per second, peak memory < 300 MB.

Each side runs in a fresh interpreter (``spawn``), so its peak resident memory is its own.
Run: ``.venv/bin/python benchmarks/bench_scanning.py [--pages 200] [--documents 20]``.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import resource
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import attrs
import pendulum
import zxingcpp
from PIL import Image

from edmscore import Edms
from edmscore.clock import FixedClock
from edmscore.records import RegistrationRequest
from edmscore.storage import MemoryStorage
from edmscore.testing import make_details, make_world, store_world
from edmscore.testing.scanning import BatchDocument, make_batch

#: The symbologies edmscore reads (ScanOptions' default), for the baseline too.
FORMATS = zxingcpp.barcode_formats_from_str("Code128,DataMatrix,QRCode")
IDS = [uuid.UUID(int=n * 15485863).hex for n in range(1, 101)]


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: reset by exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ours(path: str, documents: int, queue: Any) -> None:
    storage = MemoryStorage()
    world = make_world()
    clerk = attrs.evolve(world.clerk, roles=("registrar",))
    world = store_world(storage, attrs.evolve(world, clerk=clerk))
    edms = Edms(storage, clock=FixedClock(pendulum.datetime(2026, 12, 7, 9, tz="UTC")))
    for card_id in IDS[:documents]:
        request = RegistrationRequest(world.journal.id, make_details(), card_id=card_id)
        edms.records.register(clerk, request)
    start = time.perf_counter()
    report = edms.scanning.file_batch(clerk, path)
    seconds = time.perf_counter() - start
    right = sum(
        1
        for f in report.filed
        if f.card_id == IDS[(f.part.pages[0] - 1) * documents // report.batch.pages]
    )
    queue.put({"seconds": seconds, "peak": _peak_mb(), "parts": len(report.filed), "right": right})


def _baseline(path: str, pages: int, queue: Any) -> None:
    start = time.perf_counter()
    found = 0
    for page in range(1, pages + 1):
        done = subprocess.run(
            ["pdftoppm", "-f", str(page), "-l", str(page), "-r", "300", "-gray", path],
            capture_output=True,
            check=True,
        )
        image = Image.open(io.BytesIO(done.stdout))
        found += len(zxingcpp.read_barcodes(image, formats=FORMATS))
    seconds = time.perf_counter() - start
    queue.put({"seconds": seconds, "peak": _peak_mb(), "codes": found})


def _run(target: Any, *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--batch", help="reuse (or keep) the batch at this path")
    args = parser.parse_args()
    per = args.pages // args.documents
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.batch) if args.batch else Path(tmp) / "batch.pdf"
        if not path.exists():
            started = time.perf_counter()
            docs = [
                BatchDocument(IDS[i], pages=per, words=f"Документ {i + 1}")
                for i in range(args.documents)
            ]
            make_batch(path, docs, dpi=300, compression="jpeg", quality=60, noise=0.05)
            size = path.stat().st_size / 2**20
            print(f"batch made in {time.perf_counter() - started:.0f} s: {size:.1f} MiB")
        pages = per * args.documents
        theirs = _run(_baseline, str(path), pages)
        ours = _run(_ours, str(path), args.documents)
    ours_pps = pages / ours["seconds"]
    theirs_pps = pages / theirs["seconds"]
    print(
        f"edmscore file_batch: {ours_pps:.2f} pages/s, {ours['parts']} parts filed"
        f" ({ours['right']} on the right card), peak {ours['peak']:.0f} MB"
    )
    print(
        f"baseline pdftoppm -r 300 + zxing-cpp: {theirs_pps:.2f} pages/s,"
        f" {theirs['codes']} codes read, peak {theirs['peak']:.0f} MB"
    )
    ratio = ours_pps / theirs_pps
    print(f"ratio edmscore / baseline throughput: {ratio:.2f}x (goal >= 1.5x, < 300 MB)")


if __name__ == "__main__":
    main()
