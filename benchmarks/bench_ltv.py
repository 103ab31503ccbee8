"""Long-term verification of a CAdES-X Long Type 1 signature side by side with OpenSSL.

The signature (RSA-2048, and GOST R 34.10-2012-256 when OpenSSL's GOST engine and edmscore's GOST
primitives are there) is over 1 MB of detached content and carries a signature timestamp, the
complete references and values (an OCSP response) and a CAdES-C timestamp; the signer's
certificate expired since. edmscore checks it all with one ``verify_ltv`` call in process.
OpenSSL, which does not read the CAdES attributes, does the same checks as four commands:
``cms -verify`` of the signature at the signing time, ``ts -verify`` of each token against the
data edmscore extracted for it, and ``ocsp -respin`` of the embedded response. Its time is shown
with and without the bare start-up of the four processes. Best of several runs (the machine may
be shared). Run: ``.venv/bin/python benchmarks/bench_ltv.py``.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pendulum

from edmscore.signatures import Certificate, SubjectFields, gost_available, load_certificate
from edmscore.signatures.evidence import (
    add_esc_timestamp,
    add_signature_timestamp,
    add_validation_data,
    esc_timestamp_imprint,
    signature_timestamp_imprint,
)
from edmscore.signatures.ltv import verify_ltv
from edmscore.testing.ltv import ocsp_response, timestamp_token
from edmscore.testing.pki import TestPki

MB = 1_000_000
SIGNED = pendulum.datetime(2023, 5, 15, 9, tz="UTC")
TODAY = pendulum.datetime(2026, 3, 2, tz="UTC")
ENGINE_CONF = (
    "openssl_conf = openssl_def\n[ openssl_def ]\nengines = engine_section\n"
    "[ engine_section ]\ngost = gost_section\n[ gost_section ]\nengine_id = gost\n"
    "default_algorithms = ALL\n"
)


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _pem(der: bytes) -> bytes:
    body = base64.encodebytes(der)
    return b"-----BEGIN CERTIFICATE-----\n" + body + b"-----END CERTIFICATE-----\n"


def _build(algorithm: str, content: bytes) -> tuple[bytes, list[Certificate], dict[str, bytes]]:
    from edmscore.signatures._cms import parse_signed_data
    from edmscore.signatures._ltv_data import esc_timestamp_data, read_signers

    pki = TestPki.create(algorithm, not_before=SIGNED.subtract(years=1))
    user = pki.issue(
        SubjectFields(surname="Иванова", given_name="Мария"),
        not_before=SIGNED.subtract(days=30),
        not_after=SIGNED.add(months=6),
    )
    tsa = pki.issue(
        SubjectFields(common_name="TSA"),
        not_before=SIGNED.subtract(days=30),
        not_after=SIGNED.add(years=6),
        time_stamping=True,
    )
    digest = pki.root.key.digest_oid
    bes = pki.sign(content, user, signing_time=SIGNED)
    stamp = timestamp_token(
        tsa, signature_timestamp_imprint(bes, hash_algorithm=digest), hash_algorithm=digest,
        at=SIGNED.add(minutes=1),
    )  # fmt: skip
    response = ocsp_response(pki.root, user, this_update=SIGNED.add(minutes=5), wrapped=False)
    with_values = add_validation_data(
        add_signature_timestamp(bes, stamp), certificates=[pki.root.certificate],
        ocsp_responses=[response],
    )  # fmt: skip
    esc = timestamp_token(
        tsa, esc_timestamp_imprint(with_values, hash_algorithm=digest), hash_algorithm=digest,
        at=SIGNED.add(minutes=6),
    )  # fmt: skip
    signature = add_esc_timestamp(with_values, esc)
    signer = parse_signed_data(signature).signers[0]
    data = read_signers(signature)[0]
    files = {
        "sig.der": signature,
        "ca.pem": _pem(pki.root.certificate),
        "user.pem": _pem(user.certificate),
        "stamp.der": stamp,
        "stamp.data": signer.signature,
        "esc.der": esc,
        "esc.data": esc_timestamp_data(data, signer.signature),
        "ocsp.der": ocsp_response(pki.root, user, this_update=SIGNED.add(minutes=5)),
    }
    # Anchors loaded once, as a host keeps them (see docs/signatures.md).
    return signature, [load_certificate(pki.root.certificate)], files


def _row(folder: Path, algorithm: str, content: bytes, repeat: int) -> float:
    signature, anchors, files = _build(algorithm, content)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    report = verify_ltv(content, signature, trust_anchors=anchors, at=TODAY)
    assert report.valid, report.signers[0].findings
    ours = _best(lambda: verify_ltv(content, signature, trust_anchors=anchors, at=TODAY), repeat)
    gost = algorithm.startswith("gost")
    env = dict(os.environ)
    if gost:
        (folder / "engine.cnf").write_text(ENGINE_CONF)
        env["OPENSSL_CONF"] = str(folder / "engine.cnf")
    at = ["-attime", str(int(SIGNED.add(hours=1).timestamp()))]
    cms = ["cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content"]
    ts = ["ts", "-verify", "-token_in", "-CAfile", "ca.pem"]
    commands = [
        [*cms, "content.bin", "-CAfile", "ca.pem", "-out", "/dev/null", *at],
        [*ts, "-in", "stamp.der", "-data", "stamp.data", *at],
        [*ts, "-in", "esc.der", "-data", "esc.data", *at],
        [
            "ocsp",
            "-respin",
            "ocsp.der",
            "-CAfile",
            "ca.pem",
            "-issuer",
            "ca.pem",
            "-cert",
            "user.pem",
            *at,
        ],
    ]

    def peer() -> None:
        for argv in commands:
            result = subprocess.run(
                ["openssl", *argv], cwd=folder, capture_output=True, check=False, env=env
            )
            assert result.returncode == 0, (argv, result.stderr)

    theirs = _best(peer, repeat)
    startup = _best(
        lambda: [
            subprocess.run(["openssl", "version"], capture_output=True, check=True, env=env)
            for _ in commands
        ],
        repeat,
    )
    net = max(theirs - startup, 1e-6)
    print(
        f"{algorithm:8} edmscore {ours * 1000:7.1f} ms | openssl 4 commands {theirs * 1000:7.1f} ms"
        f" (start-up {startup * 1000:5.1f} ms, net {net * 1000:6.1f} ms) | "
        f"ratio {ours / theirs:4.2f}× total, {ours / net:4.2f}× net"
    )
    return ours / net


def main() -> None:
    if shutil.which("openssl") is None:
        print("openssl is not installed")
        sys.exit(1)
    repeat = 5
    algorithms = ["rsa"]
    engine = subprocess.run(
        ["openssl", "engine", "gost", "-t"], capture_output=True, text=True, check=False
    )
    if gost_available() and "available" in engine.stdout:
        algorithms.append("gost256")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        content = bytes(range(256)) * (MB // 256)
        (folder / "content.bin").write_bytes(content)
        print("CAdES-X Long Type 1 over 1 MB: verify_ltv vs openssl cms + ts ×2 + ocsp")
        for algorithm in algorithms:
            _row(folder, algorithm, content, repeat)


if __name__ == "__main__":
    main()
