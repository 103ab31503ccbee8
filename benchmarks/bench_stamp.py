"""Stamp every page of a 100-page PDF with the e-signature mark and a facsimile.

Side by side with PyMuPDF putting the same overlay on the same pages (drawing it on each page,
and, its best case, showing one prepared overlay page on each), and pyHanko's text stamp where
it can run (a Cyrillic font needs pyHanko[opentype]). Each contender runs in a fresh process,
the contenders taking turns over several rounds (the machine is shared): wall time of the best
run, and the peak resident memory its runs added over its imports (for the warm row, over one
earlier run).

Run: .venv/bin/python benchmarks/bench_stamp.py [--pages N] [--repeat N] [--rounds N]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

PAGES = 100
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

    modules = {
        "edmscore": ["edmscore.pdf", "pendulum"],
        "edmscore-warm": ["edmscore.pdf", "pendulum"],
        "pymupdf-draw": ["pymupdf"],
        "pymupdf-overlay": ["pymupdf"],
        "pyhanko": ["pyhanko.stamp", "pyhanko.pdf_utils.font.opentype"],
    }
    for module in modules[name]:
        importlib.import_module(module)


def _peak_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def child(name: str, pages: int, repeat: int) -> dict[str, Any]:
    """Run one contender in this process; returns its figures."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=sorted(CONTENDERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.pages, args.repeat)))
        return
    print(
        f"Stamp {args.pages} pages with the e-signature mark and a facsimile:"
        f" {args.rounds} interleaved rounds of {args.repeat} runs, best run"
    )
    results: dict[str, dict[str, Any]] = {}
    missing: dict[str, str] = {}
    for _ in range(args.rounds):
        for name in CONTENDERS:
            if name in missing:
                continue
            done = subprocess.run(
                [sys.executable, __file__, "--child", name, "--pages", str(args.pages),
                 "--repeat", str(args.repeat)],
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
    for name, (label, _) in CONTENDERS.items():
        if name in missing:
            print(f"  {label:48} {missing[name]}")
            continue
        figures = results[name]
        print(
            f"  {label:48} {figures['seconds']:7.3f} s  peak +{figures['peak_mib']:6.1f} MiB"
            f"  output {figures['bytes'] / 1024:7.0f} KiB"
        )
    ours = results.get("edmscore")
    if ours is None:
        return
    for name in ("pymupdf-draw", "pymupdf-overlay", "pyhanko"):
        if name == "pymupdf-draw" and name in results:
            warm = results.get("edmscore-warm", ours)
            print(
                f"ratio time edmscore warm / {CONTENDERS[name][0]}:"
                f" {warm['seconds'] / results[name]['seconds']:.2f}"
            )
        peer = results.get(name)
        if peer is None:
            print(f"ratio vs {CONTENDERS[name][0]}: peer missing")
            continue
        print(
            f"ratio time edmscore / {CONTENDERS[name][0]}: {ours['seconds'] / peer['seconds']:.2f}"
            f"  (memory {ours['peak_mib']:.1f} vs {peer['peak_mib']:.1f} MiB)"
        )


if __name__ == "__main__":
    main()
