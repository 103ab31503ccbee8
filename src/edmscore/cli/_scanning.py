"""``edmscore scan``: print labels and separator sheets, split a scanned batch, OCR a file."""

from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Any

from edmscore.errors import EdmsError


def _size(text: str) -> tuple[float, float]:
    try:
        width, _, height = text.lower().partition("x")
        return float(width), float(height)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a size like 58x40: {text!r}") from exc


def _grid(text: str) -> tuple[int, int]:
    try:
        columns, _, rows = text.lower().partition("x")
        return int(columns), int(rows)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a grid like 3x8: {text!r}") from exc


def _symbology(text: str) -> Any:
    from edmscore.scanning import Symbology

    try:
        return Symbology(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("code128, datamatrix or qr") from exc


def _database(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument(
        "--database",
        required=required,
        help="a SQLite database file or a postgresql:// URL (the cards' store)",
    )
    parser.add_argument("--as", dest="user", required=required, help="the acting user's id")


def register(subparsers: Any) -> None:
    """Add ``scan`` with its ``labels``, ``separators``, ``split`` and ``ocr`` commands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "scan", help="scanning: card labels, separator sheets, batches split onto cards, OCR"
    )
    commands = parser.add_subparsers(dest="scan_command", required=True)
    symbology = {"type": _symbology, "default": "datamatrix", "help": "code128, datamatrix, qr"}

    labels = commands.add_parser("labels", help="a PDF of the cards' barcode labels")
    labels.add_argument("cards", metavar="CARD_ID", nargs="+")
    labels.add_argument("-o", "--output", required=True, help="the label PDF to write")
    labels.add_argument("--size", type=_size, default=(58.0, 40.0), help="label mm (58x40)")
    labels.add_argument("--sheet", type=_grid, help="labels on A4 sheets: COLUMNSxROWS")
    labels.add_argument("--symbology", **symbology)  # type: ignore[arg-type]
    _database(labels, True)
    labels.set_defaults(handler=_run_labels)

    separators = commands.add_parser("separators", help="a PDF of separator sheets")
    separators.add_argument("-o", "--output", required=True, help="the PDF to write")
    separators.add_argument("--count", type=int, default=1, help="plain sheets (default 1)")
    separators.add_argument("--card", action="append", default=[], help="a sheet naming a card")
    separators.add_argument("--symbology", **symbology)  # type: ignore[arg-type]
    _database(separators, False)
    separators.set_defaults(handler=_run_separators)

    split = commands.add_parser("split", help="split a scanned batch (PDF or TIFF)")
    split.add_argument("batch", metavar="BATCH")
    split.add_argument("--out", help="write every part to this folder")
    split.add_argument("--ocr", action="store_true", help="add a text layer (Tesseract)")
    split.add_argument("--dpi", type=int, default=150, help="first-pass resolution")
    _database(split, False)
    split.set_defaults(handler=_run_split)

    ocr = commands.add_parser("ocr", help="add a text layer to a scanned PDF (Tesseract)")
    ocr.add_argument("input", metavar="IN")
    ocr.add_argument("output", metavar="OUT", nargs="?", help="the PDF with its text layer")
    ocr.add_argument("--languages", default="rus+eng", help="Tesseract languages (rus+eng)")
    ocr.add_argument("--text", action="store_true", help="print the recognised text")
    ocr.set_defaults(handler=_run_ocr)


def _guarded(run: Any, args: argparse.Namespace) -> int:
    try:
        code: int = run(args)
        return code
    except EdmsError as exc:
        print(f"edmscore scan: {exc}", file=sys.stderr)
        return 2


def _edms(args: argparse.Namespace) -> Any:
    from edmscore.cli._backup import _edms as open_edms

    return open_edms(args.database)


def _run_labels(args: argparse.Namespace) -> int:
    def run(options: argparse.Namespace) -> int:
        from edmscore.scanning import LabelLayout, label_pdf

        edms = _edms(options)
        labels = [edms.scanning.label(options.user, card) for card in options.cards]
        width, height = options.size
        columns, rows = options.sheet or (1, 1)
        layout = LabelLayout(width, height, options.symbology, columns=columns, rows=rows)
        pathlib.Path(options.output).write_bytes(label_pdf(labels, layout))
        print(f"{len(labels)} labels: {options.output}")
        return 0

    return _guarded(run, args)


def _run_separators(args: argparse.Namespace) -> int:
    def run(options: argparse.Namespace) -> int:
        from edmscore.scanning import separator_pdf

        sheets: list[Any] = [None] * max(0, options.count if not options.card else 0)
        if options.card:
            if not options.database:
                raise SystemExit("edmscore scan separators: --card needs --database and --as")
            edms = _edms(options)
            sheets = [edms.scanning.label(options.user, card) for card in options.card]
        pathlib.Path(options.output).write_bytes(separator_pdf(sheets, options.symbology))
        print(f"{len(sheets)} separator sheets: {options.output}")
        return 0

    return _guarded(run, args)


def _print_parts(parts: Any) -> None:
    for part, where in parts:
        pages = f"{part.pages[0]}-{part.pages[-1]}" if len(part.pages) > 1 else str(part.pages[0])
        print(f"part {part.index}: pages {pages} ({part.page_count}) -> {where}")


def _run_split(args: argparse.Namespace) -> int:
    def run(options: argparse.Namespace) -> int:
        from edmscore.scanning import ScanOptions, ocr_file, split_batch

        scan = ScanOptions(dpi=options.dpi)
        if options.database:
            edms = _edms(options)
            folder = pathlib.Path(options.out) if options.out else None

            def keep(part: Any, content: bytes, file: Any) -> None:
                if folder is not None:
                    folder.mkdir(parents=True, exist_ok=True)
                    (folder / f"part-{part.index:03d}{file.suffix}").write_bytes(content)

            report = edms.scanning.file_batch(
                options.user, options.batch, options=scan, ocr=options.ocr, left_over=keep
            )
            _print_parts([(f.part, f"card {f.card_id} as {f.name}") for f in report.filed])
            _print_parts([(p, f"not filed: {why}") for p, why in report.not_filed])
            return 1 if report.not_filed else 0
        if not options.out:
            raise SystemExit("edmscore scan split: give --out FOLDER or --database and --as")
        folder = pathlib.Path(options.out)
        folder.mkdir(parents=True, exist_ok=True)
        done: list[tuple[Any, str]] = []

        def write(part: Any, content: bytes, file: Any) -> None:
            owner = part.card_id or part.problem.value
            name = f"part-{part.index:03d}-{owner}{file.suffix}"
            if options.ocr:
                result = ocr_file(content, file.media_type)
                content = result.pdf or content
                (folder / f"part-{part.index:03d}-{owner}.txt").write_text(result.text, "utf-8")
            (folder / name).write_bytes(content)
            done.append((part, name))

        report = split_batch(options.batch, write, scan)
        _print_parts(done)
        print(f"{report.pages} pages, {len(report.parts)} parts, {len(report.unassigned)} without")
        return 1 if report.unassigned else 0

    return _guarded(run, args)


def _run_ocr(args: argparse.Namespace) -> int:
    def run(options: argparse.Namespace) -> int:
        from edmscore.scanning import ocr_file

        data = pathlib.Path(options.input).read_bytes()
        media = "image/tiff" if data[:2] in (b"II", b"MM") else "application/pdf"
        result = ocr_file(data, media, options.languages)
        if options.output and result.pdf is not None:
            pathlib.Path(options.output).write_bytes(result.pdf)
        if options.text or not options.output:
            print(result.text)
        return 0

    return _guarded(run, args)
