"""Two stampings, each side by side with PyMuPDF and pyHanko (the ``bench`` extra) in one run.

``every-page``: the e-signature mark and a facsimile on every page of a 100-page PDF, against
PyMuPDF putting the same overlay on the same pages (drawing it on each page, and, its best case,
showing one prepared overlay page on each), and pyHanko's text stamp (a Cyrillic font needs
pyHanko[opentype]).

``last-page``: the e-signature mark and a facsimile on the last page of a real 352-page book
(tests/corpus/pdf/long-freeculture-352.pdf): edmscore at the marks' standard positions (it reads
the page's words and images to keep clear of them) and at forced corners, against PyMuPDF drawing
the same at fixed places and saving the whole file, or saving incrementally (with the font
subset, as edmscore embeds it, and without), and pyHanko's text stamp on the last page.

Each contender runs in a fresh process, the contenders taking turns over several rounds (the
machine is shared): wall time of the best run, and the peak resident memory its runs added over
its imports (for the warm row, over one earlier run).

Run: .venv/bin/python benchmarks/bench_stamp.py [--scenario every-page|last-page|both]
     [--pages N] [--repeat N] [--rounds N]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PAGES = 100
BOOK = (
    Path(__file__).resolve().parent.parent / "tests" / "corpus" / "pdf" / "long-freeculture-352.pdf"
)
OWNER = "Петров Пётр Петрович"
SERIAL = "01d5a0e1c2b3a4f5e6d7c8b9a0f1e2d3"
LINES = [
    "ДОКУМЕНТ ПОДПИСАН",
    "ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
    f"Сертификат {SERIAL}",
    f"Владелец {OWNER}",
    "Действителен с 01.03.2025 по 01.06.2026",
]
MM = 72 / 25.4


def make_source(pages: int) -> bytes:
    """A text PDF of ``pages`` A4 pages (fpdf2, 40 lines of Cyrillic text a page)."""
    from fpdf import FPDF

    from edmscore.pdf import font_path

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", font_path())
    pdf.set_font("DejaVu", size=11)
    for number in range(pages):
        pdf.add_page()
        for line in range(40):
            pdf.cell(0, 6, f"Страница {number + 1}, строка {line + 1}: текст документа.")
            pdf.ln(6)
    return bytes(pdf.output())


def make_facsimile() -> bytes:
    """A transparent PNG signature."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (900, 420), (255, 255, 255, 0))
    ImageDraw.Draw(image).line(
        [(150, 300), (260, 120), (330, 290), (420, 150), (520, 280), (760, 170)],
        fill=(25, 35, 120, 255),
        width=9,
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def run_edmscore(source: bytes, facsimile: bytes) -> bytes:
    """edmscore, cold: the marks drawn (fonts subset) in the run, placed on every page."""
    from edmscore.pdf._render import render_mark

    render_mark.cache_clear()
    return run_edmscore_warm(source, facsimile)


def run_edmscore_warm(source: bytes, facsimile: bytes) -> bytes:
    """edmscore, warm: the marks were drawn for an earlier document of the batch."""
    import pendulum

    from edmscore.pdf import (
        Anchor,
        Corner,
        ESignatureMark,
        Facsimile,
        SignatureMarkData,
        Stamp,
        stamp_pdf,
    )

    data = SignatureMarkData(SERIAL, OWNER, pendulum.date(2025, 3, 1), pendulum.date(2026, 6, 1))
    stamps = [
        Stamp(ESignatureMark(data), "all", Anchor(Corner.BOTTOM_LEFT, 20, 20)),
        Stamp(Facsimile(facsimile, 40), "all", Anchor(Corner.BOTTOM_LEFT, 110, 25)),
    ]
    return stamp_pdf(source, stamps).pdf


def _pymupdf_font() -> str:
    from edmscore.pdf import font_path

    return font_path()


def run_pymupdf_draw(source: bytes, facsimile: bytes) -> bytes:
    """PyMuPDF drawing the framed Cyrillic text box and the image on each page."""
    import pymupdf  # type: ignore[import-not-found,unused-ignore]  # installed by hand

    doc = pymupdf.open(stream=source, filetype="pdf")
    font = _pymupdf_font()
    image_xref = 0
    for number in range(doc.page_count):
        page = doc[number]
        height = page.rect.height
        frame = pymupdf.Rect(20 * MM, height - 44 * MM, 95 * MM, height - 20 * MM)
        page.draw_rect(frame, color=(0.12, 0.24, 0.53), width=1, radius=0.1)
        page.insert_font(fontname="dejavu", fontfile=font)
        y = frame.y0 + 10
        for index, line in enumerate(LINES):
            page.insert_text(
                (frame.x0 + 7, y), line, fontname="dejavu", fontsize=8 if index < 2 else 7.5
            )
            y += 10.5
        spot = pymupdf.Rect(110 * MM, height - 45 * MM, 150 * MM, height - 25 * MM)
        if image_xref:
            page.insert_image(spot, xref=image_xref)
        else:
            image_xref = page.insert_image(spot, stream=facsimile)
    doc.subset_fonts()
    return bytes(doc.tobytes(garbage=1, deflate=True))


def run_pymupdf_overlay(source: bytes, facsimile: bytes) -> bytes:
    """PyMuPDF's best case: one overlay page prepared once and shown on every page."""
    import pymupdf  # type: ignore[import-not-found,unused-ignore]  # installed by hand

    overlay = pymupdf.open()
    sheet = overlay.new_page(width=595, height=842)
    frame = pymupdf.Rect(20 * MM, 842 - 44 * MM, 95 * MM, 842 - 20 * MM)
    sheet.draw_rect(frame, color=(0.12, 0.24, 0.53), width=1, radius=0.1)
    sheet.insert_font(fontname="dejavu", fontfile=_pymupdf_font())
    y = frame.y0 + 10
    for index, line in enumerate(LINES):
        sheet.insert_text(
            (frame.x0 + 7, y), line, fontname="dejavu", fontsize=8 if index < 2 else 7.5
        )
        y += 10.5
    sheet.insert_image(
        pymupdf.Rect(110 * MM, 842 - 45 * MM, 150 * MM, 842 - 25 * MM), stream=facsimile
    )
    overlay.subset_fonts()
    doc = pymupdf.open(stream=source, filetype="pdf")
    for number in range(doc.page_count):
        doc[number].show_pdf_page(doc[number].rect, overlay, 0)
    return bytes(doc.tobytes(garbage=1, deflate=True))


def run_pyhanko(source: bytes, facsimile: bytes) -> bytes:
    """pyHanko's text stamp (text only: its stamps take no PNG facsimile beside the text)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStamp, TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(source))
    style = TextStampStyle(
        stamp_text="\n".join(LINES),
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(_pymupdf_font()), font_size=8),
    )
    for index in range(int(writer.root["/Pages"]["/Count"])):
        TextStamp(writer, style).apply(index, 57, 57)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def run_last_edmscore(source: bytes, facsimile: bytes) -> bytes:
    """edmscore on the last page, at the marks' standard positions clear of words and images."""
    import pendulum

    from edmscore.pdf import ESignatureMark, Facsimile, SignatureMarkData, Stamp, stamp_pdf

    data = SignatureMarkData(SERIAL, OWNER, pendulum.date(2025, 3, 1), pendulum.date(2026, 6, 1))
    stamps = [Stamp(ESignatureMark(data)), Stamp(Facsimile(facsimile, 40))]
    return stamp_pdf(source, stamps).pdf


def run_last_edmscore_anchor(source: bytes, facsimile: bytes) -> bytes:
    """edmscore on the last page at forced corners (no reading of the page)."""
    import pendulum

    from edmscore.pdf import (
        Anchor,
        Corner,
        ESignatureMark,
        Facsimile,
        SignatureMarkData,
        Stamp,
        stamp_pdf,
    )

    data = SignatureMarkData(SERIAL, OWNER, pendulum.date(2025, 3, 1), pendulum.date(2026, 6, 1))
    stamps = [
        Stamp(ESignatureMark(data), placement=Anchor(Corner.BOTTOM_LEFT, 20, 20)),
        Stamp(Facsimile(facsimile, 40), placement=Anchor(Corner.BOTTOM_LEFT, 110, 25)),
    ]
    return stamp_pdf(source, stamps).pdf


def _pymupdf_last(doc: Any, facsimile: bytes, subset: bool) -> None:
    import pymupdf  # type: ignore[import-not-found,unused-ignore]

    page = doc[doc.page_count - 1]
    height = page.rect.height
    frame = pymupdf.Rect(20 * MM, height - 44 * MM, 95 * MM, height - 20 * MM)
    page.draw_rect(frame, color=(0.12, 0.24, 0.53), width=1, radius=0.1)
    page.insert_font(fontname="dejavu", fontfile=_pymupdf_font())
    y = frame.y0 + 10
    for index, line in enumerate(LINES):
        page.insert_text(
            (frame.x0 + 7, y), line, fontname="dejavu", fontsize=8 if index < 2 else 7.5
        )
        y += 10.5
    page.insert_image(
        pymupdf.Rect(110 * MM, height - 45 * MM, 150 * MM, height - 25 * MM), stream=facsimile
    )
    if subset:
        doc.subset_fonts()


def run_last_pymupdf_full(source: bytes, facsimile: bytes) -> bytes:
    """PyMuPDF on the last page, the whole file saved (garbage collected, deflated)."""
    import pymupdf  # type: ignore[import-not-found,unused-ignore]

    doc = pymupdf.open(stream=source, filetype="pdf")
    _pymupdf_last(doc, facsimile, subset=True)
    return bytes(doc.tobytes(garbage=1, deflate=True))


def _pymupdf_incremental(source: bytes, facsimile: bytes, subset: bool) -> bytes:
    import pymupdf  # type: ignore[import-not-found,unused-ignore]

    handle, name = tempfile.mkstemp(suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(source)
        doc = pymupdf.open(name)
        _pymupdf_last(doc, facsimile, subset=subset)
        doc.saveIncr()
        doc.close()
        return Path(name).read_bytes()
    finally:
        os.unlink(name)


def run_last_pymupdf_incremental(source: bytes, facsimile: bytes) -> bytes:
    """PyMuPDF on the last page, saved incrementally, the font subset as edmscore does."""
    return _pymupdf_incremental(source, facsimile, subset=True)


def run_last_pymupdf_incremental_whole_font(source: bytes, facsimile: bytes) -> bytes:
    """PyMuPDF on the last page, saved incrementally, the whole font embedded (its fastest)."""
    return _pymupdf_incremental(source, facsimile, subset=False)


def run_last_pyhanko(source: bytes, facsimile: bytes) -> bytes:
    """pyHanko's text stamp on the last page (no facsimile), an incremental update."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStamp, TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(source))
    style = TextStampStyle(
        stamp_text="\n".join(LINES),
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(_pymupdf_font()), font_size=8),
    )
    last = int(writer.root["/Pages"]["/Count"]) - 1
    TextStamp(writer, style).apply(last, 57, 57)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


LAST_PAGE: dict[str, tuple[str, Callable[[bytes, bytes], bytes]]] = {
    "edmscore": ("edmscore, standard positions", run_last_edmscore),
    "edmscore-anchor": ("edmscore, forced corners", run_last_edmscore_anchor),
    "pymupdf-full": ("PyMuPDF, whole file saved", run_last_pymupdf_full),
    "pymupdf-incremental": ("PyMuPDF, incremental, font subset", run_last_pymupdf_incremental),
    "pymupdf-incremental-whole-font": (
        "PyMuPDF, incremental, whole font",
        run_last_pymupdf_incremental_whole_font,
    ),
    "pyhanko": ("pyHanko text stamp (no facsimile)", run_last_pyhanko),
}

CONTENDERS: dict[str, tuple[str, Callable[[bytes, bytes], bytes]]] = {
    "edmscore": ("edmscore, marks drawn in the run", run_edmscore),
    "edmscore-warm": ("edmscore, marks drawn for an earlier document", run_edmscore_warm),
    "pymupdf-draw": ("PyMuPDF, drawing on each page", run_pymupdf_draw),
    "pymupdf-overlay": ("PyMuPDF, one overlay page shown on each", run_pymupdf_overlay),
    "pyhanko": ("pyHanko text stamp (no facsimile)", run_pyhanko),
}


def _import_for(name: str) -> None:
    """Import what a contender needs, so its memory figure leaves the imports out."""
    import importlib

    if name.startswith("edmscore"):
        modules = ["edmscore.pdf", "pendulum"]
    elif name.startswith("pymupdf"):
        modules = ["pymupdf"]
    else:
        modules = ["pyhanko.stamp", "pyhanko.pdf_utils.font.opentype"]
    for module in modules:
        importlib.import_module(module)


def _peak_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def child(name: str, pages: int, repeat: int, scenario: str) -> dict[str, Any]:
    """Run one contender in this process; returns its figures."""
    if scenario == "last-page":
        _, run = LAST_PAGE[name]
        source, facsimile = BOOK.read_bytes(), make_facsimile()
    else:
        _, run = CONTENDERS[name]
        source, facsimile = make_source(pages), make_facsimile()
    try:
        _import_for(name)
    except ImportError as exc:
        return {"missing": str(exc).split("\n")[0][:160]}
    base = _peak_kib()
    if name == "edmscore-warm":
        run(source, facsimile)  # the earlier document of the batch
    best = float("inf")
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        output = run(source, facsimile)
        best = min(best, time.perf_counter() - start)
        size = len(output)
    return {"seconds": best, "peak_mib": max(0, _peak_kib() - base) / 1024, "bytes": size}


def _compete(
    scenario: str,
    contenders: dict[str, tuple[str, Callable[[bytes, bytes], bytes]]],
    args: argparse.Namespace,
) -> dict[str, dict[str, Any]]:
    """Run every contender of ``scenario`` in turn over the rounds; print and return figures."""
    results: dict[str, dict[str, Any]] = {}
    missing: dict[str, str] = {}
    for _ in range(args.rounds):
        for name in contenders:
            if name in missing:
                continue
            done = subprocess.run(
                [sys.executable, __file__, "--child", name, "--scenario", scenario,
                 "--pages", str(args.pages), "--repeat", str(args.repeat)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                missing[name] = "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:120]
                continue
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            if "missing" in figures:
                missing[name] = "peer missing: " + figures["missing"]
                continue
            peak = max(figures["peak_mib"], results.get(name, {}).get("peak_mib", 0.0))
            if name not in results or figures["seconds"] < results[name]["seconds"]:
                results[name] = figures
            results[name]["peak_mib"] = peak
    for name, (label, _) in contenders.items():
        if name in missing:
            print(f"  {label:48} {missing[name]}")
            continue
        figures = results[name]
        print(
            f"  {label:48} {figures['seconds']:7.3f} s  peak +{figures['peak_mib']:6.1f} MiB"
            f"  output {figures['bytes'] / 1024:7.0f} KiB"
        )
    return results


def _ratio(
    results: dict[str, dict[str, Any]],
    ours: str,
    peer: str,
    contenders: dict[str, tuple[str, Callable[[bytes, bytes], bytes]]],
) -> None:
    mine, theirs = results.get(ours), results.get(peer)
    label = f"{contenders[ours][0]} / {contenders[peer][0]}"
    if mine is None or theirs is None:
        print(f"ratio time {label}: missing")
        return
    print(
        f"ratio time {label}: {mine['seconds'] / theirs['seconds']:.2f}"
        f"  (memory {mine['peak_mib']:.1f} vs {theirs['peak_mib']:.1f} MiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", choices=["every-page", "last-page", "both"], default="both")
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.pages, args.repeat, args.scenario)))
        return
    if args.scenario in ("every-page", "both"):
        print(
            f"Stamp {args.pages} pages with the e-signature mark and a facsimile:"
            f" {args.rounds} interleaved rounds of {args.repeat} runs, best run"
        )
        results = _compete("every-page", CONTENDERS, args)
        _ratio(results, "edmscore-warm", "pymupdf-draw", CONTENDERS)
        for peer in ("pymupdf-draw", "pymupdf-overlay", "pyhanko"):
            _ratio(results, "edmscore", peer, CONTENDERS)
    if args.scenario in ("last-page", "both"):
        print(
            f"Stamp the last page of {BOOK.name} (352 pages) with the e-signature mark and a"
            f" facsimile: {args.rounds} interleaved rounds of {args.repeat} runs, best run"
        )
        results = _compete("last-page", LAST_PAGE, args)
        for ours in ("edmscore", "edmscore-anchor"):
            for peer in ("pymupdf-full", "pymupdf-incremental", "pymupdf-incremental-whole-font"):
                _ratio(results, ours, peer, LAST_PAGE)
        _ratio(results, "edmscore", "pyhanko", LAST_PAGE)


if __name__ == "__main__":
    main()
