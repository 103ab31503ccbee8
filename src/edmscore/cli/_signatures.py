"""``edmscore verify`` and ``edmscore verify-batch``: check CMS signatures from the command line.

Exit codes: 0 valid, 1 invalid, 2 indeterminate, 3 input error (one line on stderr). A batch
exits with the worst of its files' codes. The trust anchors, trust list and CRLs of a batch are
read once for all its files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

_EXIT = {"valid": 0, "invalid": 1, "indeterminate": 2}
INPUT_ERROR = 3
SIGNATURE_FILE_LIMIT = 96 << 20
"""The largest signature file read: the CMS limit (64 MiB of DER) as PEM or base64, with room."""
BUNDLE_FILE_LIMIT = 64 << 20
"""The largest certificate or CRL file (a PEM bundle) read."""


TRUST_LIST_FILE_LIMIT = 256 << 20
"""The largest accredited-CA list file read (the list itself is tens of megabytes)."""


def read_bounded(path: str, limit: int, what: str) -> bytes:
    """The bytes of ``path``, read at most ``limit`` + 1 at a time so an endless or huge file
    (``/dev/zero``, a wrong path) is refused without being read whole."""
    from edmscore.errors import InputTooLarge

    with open(path, "rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputTooLarge(what, limit, path)
    return data


def register(subparsers: Any) -> None:
    """Add the ``verify`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "verify",
        help="verify a CMS signature (RSA, ECDSA, GOST R 34.10-2012)",
        description="Verify a detached or attached CMS signature against trust anchors.",
    )
    parser.add_argument("content", help="the signed file ('-' for an attached signature)")
    parser.add_argument("signature", help="the signature (DER, PEM or base64)")
    parser.add_argument(
        "--trust", action="append", default=[], metavar="CERT", help="a trust anchor (repeat)"
    )
    parser.add_argument(
        "--crl", action="append", default=[], metavar="CRL", help="a CRL to check (repeat)"
    )
    parser.add_argument(
        "--intermediate",
        action="append",
        default=[],
        metavar="CERT",
        help="an intermediate CA certificate (repeat)",
    )
    _common_options(parser)
    parser.set_defaults(handler=_run)

    batch: argparse.ArgumentParser = subparsers.add_parser(
        "verify-batch",
        help="verify many CMS signatures against one set of trust anchors",
        description=(
            "Verify many signatures, loading the trust anchors, trust list and CRLs once. Each "
            "item is SIGNATURE (the content is the same path without .sig/.sgn/.p7s, or the "
            "signature is attached) or CONTENT=SIGNATURE. One line per item; with --json one "
            "JSON report per line."
        ),
    )
    batch.add_argument("items", nargs="+", metavar="ITEM", help="SIGNATURE or CONTENT=SIGNATURE")
    for option, label, text in (
        ("--trust", "CERT", "a trust anchor or bundle (repeat)"),
        ("--crl", "CRL", "a CRL to check (repeat)"),
        ("--intermediate", "CERT", "an intermediate CA certificate (repeat)"),
    ):
        batch.add_argument(option, action="append", default=[], metavar=label, help=text)
    _common_options(batch)
    batch.set_defaults(handler=_run_batch)


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trust-list",
        action="append",
        default=[],
        metavar="XML",
        help="the accredited-CA list (Минцифры XML): its CA certificates become trust anchors",
    )
    parser.add_argument("--at", metavar="ISO-TIME", help="check at this time instead of now")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def _run(args: argparse.Namespace) -> int:
    from edmscore.errors import EdmsError
    from edmscore.signatures import verify

    try:
        at = _at(args.at)
        anchors, crls, extra = _load_inputs(args)
        signature = read_bounded(args.signature, SIGNATURE_FILE_LIMIT, "signature")
        content = None if args.content == "-" else Path(args.content)
        if content is not None and not content.is_file():
            raise FileNotFoundError(f"no such file: {content}")
        report = verify(
            content, signature, trust_anchors=anchors, crls=crls, intermediates=extra, at=at
        )
    except (EdmsError, OSError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"edmscore verify: {message}", file=sys.stderr)
        return INPUT_ERROR
    if args.json:
        print(report.to_json())
    else:
        _print_summary(report)
    return _EXIT[report.status.value]


def _at(text: str | None) -> Any:
    import pendulum

    if not text:
        return None
    parsed = pendulum.parse(text)
    if not isinstance(parsed, pendulum.DateTime):
        raise ValueError(f"--at: not a date and time: {text}")
    return parsed


def _load_inputs(args: argparse.Namespace) -> tuple[Any, list[Any], list[Any]]:
    """Trust anchors (decoded once), CRLs and intermediates from the command's options.

    A --trust file none of whose certificates reads is an input error; single unreadable
    certificates of a bundle are skipped (the report lists them).
    """
    from edmscore.signatures import TrustAnchors, load_crl, load_trust_list

    certificates: list[Any] = []
    skipped: list[Any] = []
    for path in args.trust:
        loaded = TrustAnchors.load(read_bounded(path, BUNDLE_FILE_LIMIT, "certificate"))
        if not len(loaded):
            first = loaded.skipped[0].message if loaded.skipped else "no certificate"
            raise ValueError(f"--trust {path}: {first}")
        certificates += loaded
        skipped += loaded.skipped
    for path in args.trust_list:
        trust_list = load_trust_list(read_bounded(path, TRUST_LIST_FILE_LIMIT, "trust list"))
        certificates += trust_list.anchors()
        skipped += trust_list.anchors().skipped
    crls = [load_crl(item) for path in args.crl for item in _read_many(path, b"X509 CRL")]
    extra = [item for path in args.intermediate for item in _read_many(path, b"CERTIFICATE")]
    return TrustAnchors(certificates, skipped), crls, extra


def _run_batch(args: argparse.Namespace) -> int:
    from edmscore.errors import EdmsError
    from edmscore.signatures import verify

    try:
        at = _at(args.at)
        anchors, crls, extra = _load_inputs(args)
    except (EdmsError, OSError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"edmscore verify-batch: {message}", file=sys.stderr)
        return INPUT_ERROR
    worst = 0
    for item in args.items:
        try:
            content, signature_path = _batch_item(item)
            report = verify(
                content,
                read_bounded(str(signature_path), SIGNATURE_FILE_LIMIT, "signature"),
                trust_anchors=anchors,
                crls=crls,
                intermediates=extra,
                at=at,
            )
        except (EdmsError, OSError, ValueError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            print(f"edmscore verify-batch: {item}: {message}", file=sys.stderr)
            worst = max(worst, INPUT_ERROR)
            continue
        code = _EXIT[report.status.value]
        worst = max(worst, code)
        if args.json:
            import json

            print(json.dumps({"item": item, **report.to_dict()}, ensure_ascii=False))
        else:
            reason = "" if report.reason is None else f" ({report.reason.value})"
            print(f"{item}: {report.status.value}{reason}")
    return worst


_SIGNATURE_SUFFIXES = (".sig", ".sgn", ".p7s", ".p7b")


def _batch_item(item: str) -> tuple[Path | None, Path]:
    """The content (``None`` for an attached signature) and signature paths of a batch item."""
    if "=" in item:
        content_text, _, signature_text = item.partition("=")
        content = Path(content_text)
        if not content.is_file():
            raise FileNotFoundError(f"no such file: {content}")
        return content, Path(signature_text)
    signature = Path(item)
    if signature.suffix.lower() in _SIGNATURE_SUFFIXES:
        candidate = signature.with_suffix("")
        if candidate.is_file():
            return candidate, signature
    return None, signature


def _read_many(path: str, label: bytes) -> list[bytes]:
    """The PEM blocks of a file (a bundle), or the whole file when it is DER."""
    from edmscore.signatures._decode import split_pem

    what = "CRL" if label == b"X509 CRL" else "certificate"
    data = read_bounded(path, BUNDLE_FILE_LIMIT, what)
    if b"-----BEGIN " + label in data:
        return split_pem(data)
    return [data]


def _print_summary(report: Any) -> None:
    from edmscore.signatures import Status

    labels = {
        Status.VALID: "действительна",
        Status.INVALID: "недействительна",
        Status.INDETERMINATE: "не удалось проверить",
    }
    print(f"Подпись {labels[report.status]} ({report.status.value})")
    for number, signer in enumerate(report.signers, start=1):
        cert = signer.certificate
        who = "сертификат не найден" if cert is None else (cert.fields.full_name or cert.subject)
        print(f"  {number}. {who}: {signer.status.value}")
        if cert is not None:
            print(f"     сертификат {cert.serial}, выдан: {cert.issuer}")
        if signer.signing_time is not None:
            print(
                f"     время подписания: {signer.signing_time.isoformat()}"
                f" ({signer.signing_time_source.value})"
            )
        if signer.legacy_algorithm:
            print("     алгоритм ГОСТ Р 34.10-2001 (устаревший)")
        for finding in signer.findings:
            print(f"     {finding.reason.value}: {finding.message}")
    for finding in report.skipped:
        print(f"  пропущено: {finding.message}")
