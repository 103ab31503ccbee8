"""``edmscore verify``: check a CMS signature from the command line.

Exit codes: 0 valid, 1 invalid, 2 indeterminate, 3 input error (one line on stderr).
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
    parser.add_argument("--at", metavar="ISO-TIME", help="check at this time instead of now")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    import pendulum

    from edmscore.errors import EdmsError
    from edmscore.signatures import verify

    try:
        at = None
        if args.at:
            parsed = pendulum.parse(args.at)
            if not isinstance(parsed, pendulum.DateTime):
                raise ValueError(f"--at: not a date and time: {args.at}")
            at = parsed
        anchors = [_read_many(p, b"CERTIFICATE") for p in args.trust]
        crls = [_read_many(p, b"X509 CRL") for p in args.crl]
        extra = [_read_many(p, b"CERTIFICATE") for p in args.intermediate]
        signature = read_bounded(args.signature, SIGNATURE_FILE_LIMIT, "signature")
        content = None if args.content == "-" else Path(args.content)
        if content is not None and not content.is_file():
            raise FileNotFoundError(f"no such file: {content}")
        report = verify(
            content,
            signature,
            trust_anchors=[item for group in anchors for item in group],
            crls=[item for group in crls for item in group],
            intermediates=[item for group in extra for item in group],
            at=at,
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
        for finding in signer.findings:
            print(f"     {finding.reason.value}: {finding.message}")
