"""``edmscore sign prepare`` and ``edmscore sign assemble``: signing through an external signer
from scripts.

``prepare`` writes the request (JSON) and, if asked, the exact bytes to sign; it prints the
request id, the digest algorithm and the hash to sign. The signer (``openssl pkeyutl``, a token
program, a phone) signs; ``assemble`` puts the value into a CMS, verifies it and writes it.
Exit codes: 0 done, 1 a value that does not verify (or another certificate), 3 input error or an
expired request (one line on stderr).
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path
from typing import Any

from edmscore.cli._signatures import BUNDLE_FILE_LIMIT, read_bounded

INPUT_ERROR = 3
CONTENT_LIMIT = 1 << 30
VALUE_LIMIT = 64 << 10


def register(subparsers: Any) -> None:
    """Add the ``sign`` command with ``prepare`` and ``assemble``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sign",
        help="sign through an external signer: prepare the request, assemble the returned value",
        description="CAdES-BES signing where the key is elsewhere (a token, a phone, a service).",
    )
    steps = parser.add_subparsers(dest="step", metavar="STEP", required=True)
    prepare: argparse.ArgumentParser = steps.add_parser(
        "prepare", help="prepare the signed attributes and the hash to sign"
    )
    prepare.add_argument("content", help="the file to sign")
    prepare.add_argument("--cert", required=True, help="the signer's certificate (DER or PEM)")
    prepare.add_argument("--out", required=True, help="where to write the request (JSON)")
    prepare.add_argument("--to-be-signed", help="also write the exact bytes to sign (DER)")
    prepare.add_argument("--digest-out", help="also write the hash to sign (raw bytes)")
    prepare.add_argument("--attached", action="store_true", help="put the content in the CMS")
    prepare.add_argument(
        "--valid-minutes", type=float, default=15.0, help="how long the request waits (15)"
    )
    prepare.set_defaults(handler=_prepare)
    assemble: argparse.ArgumentParser = steps.add_parser(
        "assemble", help="assemble and verify the CMS around the returned value"
    )
    assemble.add_argument("request", help="the request written by prepare")
    assemble.add_argument("value", help="the signature value the signer returned")
    assemble.add_argument("content", help="the signed file")
    assemble.add_argument("--out", required=True, help="where to write the CMS (DER)")
    assemble.add_argument(
        "--value-format", choices=("raw", "hex", "base64"), default="raw", help="(raw)"
    )
    for option, label, text in (
        ("--trust", "CERT", "a trust anchor for the verification (repeat)"),
        ("--chain", "CERT", "a CA certificate to embed (repeat)"),
    ):
        assemble.add_argument(option, action="append", default=[], metavar=label, help=text)
    assemble.set_defaults(handler=_assemble)


def _fail(message: str, code: int = INPUT_ERROR) -> int:
    print(f"edmscore sign: {message}", file=sys.stderr)
    return code


def _prepare(args: argparse.Namespace) -> int:
    import pendulum

    from edmscore.errors import EdmsError
    from edmscore.signatures.signing import prepare

    try:
        if args.valid_minutes <= 0:
            return _fail("--valid-minutes must be positive")
        certificate = read_bounded(args.cert, BUNDLE_FILE_LIMIT, "certificate")
        content = read_bounded(args.content, CONTENT_LIMIT, "content")
        request = prepare(
            content,
            certificate,
            detached=not args.attached,
            valid_for=pendulum.duration(seconds=args.valid_minutes * 60),
        )
        Path(args.out).write_text(request.to_json(), encoding="utf-8")
        if args.to_be_signed:
            Path(args.to_be_signed).write_bytes(request.to_be_signed)
        if args.digest_out:
            Path(args.digest_out).write_bytes(request.to_be_signed_digest)
    except (EdmsError, OSError) as error:
        return _fail(str(error))
    print(f"request {request.id}")
    print(f"digest {request.algorithm.digest_oid}")
    print(f"to-be-signed-hash {request.to_be_signed_digest.hex()}")
    print(f"expires {request.expires_at.isoformat()}")
    return 0


def _value(data: bytes, form: str) -> bytes:
    if form == "hex":
        return bytes.fromhex(data.decode("ascii").strip())
    if form == "base64":
        return base64.b64decode(b"".join(data.split()), validate=True)
    return data


def _assemble(args: argparse.Namespace) -> int:
    from edmscore.errors import (
        EdmsError,
        SignatureValueInvalid,
        SignerCertificateMismatch,
    )
    from edmscore.signatures.signing import SigningRequest, assemble

    try:
        request = SigningRequest.from_json(read_bounded(args.request, 1 << 20, "request"))
        value = _value(read_bounded(args.value, VALUE_LIMIT, "value"), args.value_format)
        content = read_bounded(args.content, CONTENT_LIMIT, "content")
        trust = [read_bounded(p, BUNDLE_FILE_LIMIT, "certificate") for p in args.trust]
        chain = [read_bounded(p, BUNDLE_FILE_LIMIT, "certificate") for p in args.chain]
        signed = assemble(request, value, content, trust_anchors=trust, chain=chain)
        Path(args.out).write_bytes(signed.signature)
    except (SignatureValueInvalid, SignerCertificateMismatch) as error:
        return _fail(str(error), 1)
    except (EdmsError, OSError, ValueError) as error:
        return _fail(str(error))
    print(f"{signed.report.status.value} {args.out}")
    return 0
