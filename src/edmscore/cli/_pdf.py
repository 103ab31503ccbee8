"""``edmscore stamp``: put the e-signature mark, a facsimile and other marks on a PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["register"]

_CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
_KINDS = ("e-signature", "facsimile", "registration", "dsp", "qr")
_COLOURS = {"white": (255, 255, 255), "black": (0, 0, 0)}


def register(subparsers: Any) -> None:
    """Add the ``stamp`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "stamp",
        help="stamp a PDF with the e-signature mark, a facsimile, registration or ДСП marks",
        description=(
            "Write a stamped copy of IN.pdf to OUT.pdf. The e-signature mark takes its data from"
            " a certificate (--cert) or from explicit fields (--owner, --serial, --valid-from,"
            " --valid-to). The file is stamped by an incremental update. Each mark goes to its"
            " standard position (GOST R 7.0.97) clear of the page's text and images, scaled down"
            " if need be, else on an added page (--fallback); --place forces a position."
        ),
    )
    parser.add_argument("source", metavar="IN.pdf", type=Path)
    parser.add_argument("target", metavar="OUT.pdf", type=Path)
    sig = parser.add_argument_group("e-signature mark")
    sig.add_argument("--cert", type=Path, help="signer's certificate, PEM or DER")
    sig.add_argument("--signature", type=Path, help="detached CMS signature to verify (.sig)")
    sig.add_argument("--content", type=Path, help="signed content for --signature")
    sig.add_argument("--trust", type=Path, action="append", help="trusted CA for --signature")
    sig.add_argument("--owner", help="owner's full name")
    sig.add_argument("--serial", help="certificate serial number, hexadecimal")
    sig.add_argument("--valid-from", help="first day of validity, YYYY-MM-DD")
    sig.add_argument("--valid-to", help="last day of validity, YYYY-MM-DD")
    sig.add_argument("--emblem", type=Path, help="emblem image (PNG/JPEG) in the mark")
    other = parser.add_argument_group("other marks")
    other.add_argument("--facsimile", type=Path, help="signature image, PNG or JPEG")
    other.add_argument("--facsimile-width", type=float, default=40.0, help="in mm (40)")
    other.add_argument("--registration", metavar="NUMBER", help="registration number")
    other.add_argument("--date", help="registration date, YYYY-MM-DD")
    other.add_argument("--organisation", help="organisation in the receipt mark")
    other.add_argument("--received", action="store_true", help="a receipt mark «Вх. №»")
    other.add_argument("--dsp", metavar="COPY", type=int, nargs="?", const=0, help="ДСП mark")
    other.add_argument("--qr", metavar="DATA", help="QR code of the card, bottom right")
    where = parser.add_argument_group("placement of the e-signature mark and facsimile")
    where.add_argument("--page", default="last", help="first, last, all or a number (last)")
    where.add_argument("--at", choices=_CORNERS, help="force this corner (as the reader sees it)")
    where.add_argument("--offset", help="X,Y in mm from the --at corner (20,20)")
    where.add_argument("--near", metavar="TEXT", help="next to this text (e.g. the position)")
    where.add_argument("--free-space", action="store_true", help="where the mark covers no text")
    every = parser.add_argument_group("placement of any mark")
    every.add_argument(
        "--place",
        action="append",
        default=[],
        metavar="KIND=WHERE",
        help=(
            f"KIND is one of {', '.join(_KINDS)}; WHERE is CORNER[,X,Y] (forced, X,Y in mm),"
            " near:TEXT, free or standard"
        ),
    )
    every.add_argument(
        "--on", action="append", default=[], metavar="KIND=PAGES", help="pages of a mark"
    )
    every.add_argument(
        "--fallback",
        choices=("new-page", "annotation", "refuse"),
        help="when a mark fits nowhere: an added page (default; an annotation if signed)",
    )
    every.add_argument(
        "--background", metavar="COLOUR", help="opaque background: white, black or #RRGGBB"
    )
    every.add_argument(
        "--annotations", action="store_true", default=None, help="marks as /Stamp annotations"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--incremental", dest="incremental", action="store_true", default=None)
    mode.add_argument("--rewrite", dest="incremental", action="store_false")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from edmscore.errors import EdmsError

    try:
        return _stamp(args)
    except EdmsError as exc:
        print(f"edmscore stamp: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"edmscore stamp: {exc}", file=sys.stderr)
        return 1


def _standard(args: argparse.Namespace) -> Any:
    from edmscore.pdf import Fallback, Standard

    fallback = Fallback(args.fallback) if args.fallback else None
    return Standard(fallback=fallback)


def _placement(args: argparse.Namespace) -> Any:
    from edmscore.errors import ValidationError
    from edmscore.pdf import Anchor, Corner, FreeSpace, NearText

    offset = args.offset or "20,20"
    try:
        dx, dy = (float(part) for part in offset.split(","))
    except ValueError as exc:
        raise ValidationError("offset", f"expected X,Y in mm, got {offset!r}") from exc
    anchor = Anchor(Corner(args.at or "bottom-left"), dx, dy)
    if args.near:
        return NearText(args.near, fallback=anchor)
    if args.free_space:
        return FreeSpace(preferred=anchor)
    if args.at or args.offset:
        return anchor
    return None


def _where(args: argparse.Namespace, spec: str) -> Any:
    """A placement from ``--place``'s WHERE: CORNER[,X,Y], near:TEXT, free or standard."""
    from edmscore.errors import ValidationError
    from edmscore.pdf import Anchor, Corner, FreeSpace, NearText

    if spec == "standard":
        return _standard(args)
    if spec == "free":
        return FreeSpace()
    if spec.startswith("near:"):
        return NearText(spec[5:])
    corner, *offsets = spec.split(",")
    if corner not in _CORNERS or len(offsets) not in (0, 2):
        raise ValidationError(
            "place", f"expected CORNER[,X,Y], near:TEXT, free or standard: {spec!r}"
        )
    try:
        numbers = [float(value) for value in offsets] or [20.0, 20.0]
    except ValueError as exc:
        raise ValidationError("place", f"offsets must be numbers in mm: {spec!r}") from exc
    return Anchor(Corner(corner), numbers[0], numbers[1])


def _per_kind(values: list[str], option: str) -> dict[str, str]:
    from edmscore.errors import ValidationError

    chosen: dict[str, str] = {}
    for value in values:
        kind, _, rest = value.partition("=")
        if kind not in _KINDS or not rest:
            raise ValidationError(
                option, f"expected KIND=VALUE with KIND one of {_KINDS}: {value!r}"
            )
        chosen[kind] = rest
    return chosen


def _colour(value: str | None) -> tuple[int, int, int] | None:
    from edmscore.errors import ValidationError

    if value is None:
        return None
    if value in _COLOURS:
        return _COLOURS[value]
    text = value.lstrip("#")
    if len(text) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in text):
        raise ValidationError("background", f"expected white, black or #RRGGBB: {value!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _verified_signers(args: argparse.Namespace) -> list[Any]:
    """The mark data of every signer of a CMS signature that verifies (edmscore.signatures)."""
    import importlib

    from edmscore.errors import ValidationError
    from edmscore.pdf import SignatureMarkData

    try:
        signatures: Any = importlib.import_module("edmscore.signatures")
    except ImportError as exc:
        raise ValidationError(
            "signature",
            "verifying a CMS signature needs edmscore.signatures, which this build lacks;"
            " pass the signer's certificate with --cert",
        ) from exc
    if not args.trust:
        raise ValidationError("trust", "--signature needs at least one --trust certificate")
    report = signatures.verify(
        args.content,
        args.signature.read_bytes(),
        trust_anchors=[path.read_bytes() for path in args.trust],
    )
    if not report.valid:
        raise ValidationError(
            "signature", f"the signature does not verify: {report.status.name} {report.reason}"
        )
    return SignatureMarkData.from_report(report)


def _stamp(args: argparse.Namespace) -> int:
    from edmscore.errors import ValidationError
    from edmscore.pdf import (
        CodeMark,
        ESignatureMark,
        Facsimile,
        NearText,
        RegistrationMark,
        RestrictionMark,
        Side,
        SignatureMarkData,
        Stamp,
        stamp_file,
    )

    places = {kind: _where(args, spec) for kind, spec in _per_kind(args.place, "place").items()}
    on = _per_kind(args.on, "on")
    background = _colour(args.background)
    standard = _standard(args)
    signature_rule = _placement(args) or standard
    signature_pages = on.get("e-signature", args.page)
    stamps: list[Stamp] = []

    def add(kind: str, mark: Any, pages: str | None, rule: Any) -> None:
        chosen = places.get(kind, rule)
        stamps.append(Stamp(mark, on.get(kind, pages), chosen, background))

    data = None
    if args.signature is not None:
        for signer in _verified_signers(args):
            add("e-signature", ESignatureMark(signer), signature_pages, signature_rule)
    elif args.cert is not None:
        data = SignatureMarkData.from_certificate(args.cert.read_bytes())
    elif args.owner or args.serial:
        if not (args.owner and args.serial and args.valid_from and args.valid_to):
            raise ValidationError(
                "owner", "--owner, --serial, --valid-from and --valid-to go together"
            )
        data = SignatureMarkData(args.serial, args.owner, args.valid_from, args.valid_to)
    if data is not None:
        emblem = args.emblem.read_bytes() if args.emblem else None
        add("e-signature", ESignatureMark(data, emblem=emblem), signature_pages, signature_rule)
    if args.facsimile is not None:
        image = Facsimile(args.facsimile.read_bytes(), args.facsimile_width)
        rule = signature_rule
        if isinstance(rule, NearText):
            rule = NearText(rule.text, side=Side.RIGHT, fallback=rule.fallback)
        add("facsimile", image, on.get("facsimile", args.page), rule)
    if args.registration:
        if not args.date:
            raise ValidationError("date", "--registration needs --date")
        mark = RegistrationMark(args.registration, args.date, args.organisation, args.received)
        add("registration", mark, None, standard)
    if args.dsp is not None:
        add("dsp", RestrictionMark(args.dsp or None), None, standard)
    if args.qr:
        add("qr", CodeMark(args.qr), None, standard)
    if not stamps:
        raise ValidationError("marks", "nothing to stamp: give --cert, --facsimile, ... ")
    result = stamp_file(
        args.source,
        args.target,
        stamps,
        incremental=args.incremental,
        annotations=args.annotations,
    )
    mode = "incremental update" if result.incremental else "rewritten"
    print(f"{args.target}: {len(result.placements)} mark(s), {mode}")
    for placed in result.placements:
        left, bottom, right, top = placed.box_mm
        print(
            f"  page {placed.page}: {placed.kind} at ({left}, {bottom})-({right}, {top}) mm"
            f" [{placed.how}]"
        )
    return 0
