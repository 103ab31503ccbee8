"""Signing through an external signer, side by side with OpenSSL.

For a 1 MB document and each algorithm (RSA-2048, ECDSA P-256, GOST R 34.10-2012-256): edmscore's
``prepare`` + the signature value (a local key, in process) + ``assemble`` (which writes the CMS
and verifies it at once) against ``openssl cms -sign`` followed by ``openssl cms -verify`` on the
same key, certificate and data (two processes; their bare start-up time, measured apart, is
taken off twice). Also shown: the same edmscore path with the value made by ``openssl pkeyutl``
in a separate process (the GOST engine for GOST keys).

Goal (issue 26): ≤ 1.2× OpenSSL less process start-up. Times are the best of several runs (the
machine may be shared). Run: ``.venv/bin/python benchmarks/bench_signers.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from edmscore.signatures import SubjectFields
from edmscore.signatures.signing import LocalKeySigner, OpenSslSigner, assemble, prepare
from edmscore.testing.pki import TestPki

MB = 1_000_000


def _best(run: Callable[[], object], repeat: int) -> float:
    """The best wall time of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], capture_output=True, check=True)


def _bench(kind: str, folder: Path, content: bytes, repeat: int) -> float:
    pki = TestPki.create(kind)
    user = pki.issue(SubjectFields(common_name=f"bench {kind}", surname="Бенчмарков"))
    (folder / "root.pem").write_bytes(pki.root.certificate_pem)
    (folder / "user.pem").write_bytes(user.certificate_pem)
    (folder / "user.key").write_bytes(user.private_key_pem)
    (folder / "doc.bin").write_bytes(content)
    p = {name: str(folder / name) for name in ("root.pem", "user.pem", "user.key", "doc.bin")}
    signer = LocalKeySigner(user.private_key_pem)
    anchors = [pki.root.certificate]

    def ours() -> None:
        request = prepare(content, user.certificate)
        signed = assemble(request, signer.sign(request), content, trust_anchors=anchors)
        assert signed.report.valid

    process = OpenSslSigner(p["user.key"])

    def ours_with_process() -> None:
        request = prepare(content, user.certificate)
        assert assemble(request, process.sign(request), content, trust_anchors=anchors).report.valid

    engine = ["-engine", "gost"] if kind.startswith("gost") else []
    sig = str(folder / "doc.p7s")

    def theirs() -> None:
        signer_args = ["-signer", p["user.pem"], "-inkey", p["user.key"]]
        _openssl("cms", "-sign", *engine, "-binary", "-in", p["doc.bin"], *signer_args,
                 "-outform", "DER", "-out", sig)  # fmt: skip
        checks = ["-content", p["doc.bin"], "-CAfile", p["root.pem"], "-out", os.devnull]
        _openssl("cms", "-verify", *engine, "-binary", "-inform", "DER", "-in", sig, *checks)

    ours_s = _best(ours, repeat)
    process_s = _best(ours_with_process, repeat)
    theirs_s = _best(theirs, repeat)
    startup = _best(lambda: _openssl(*(["engine", "gost"] if engine else ["version"])), repeat)
    net = max(theirs_s - 2 * startup, 1e-9)
    ratio = ours_s / net
    print(
        f"{kind:8} 1 MB  edmscore prepare+sign+assemble+verify {ours_s * 1000:7.1f} ms "
        f"(value by openssl pkeyutl process {process_s * 1000:7.1f} ms)   "
        f"openssl cms -sign + -verify {theirs_s * 1000:7.1f} ms (start-up {startup * 1000:.1f} ms "
        f"each)   ratio {ours_s / theirs_s:.2f}× (vs openssl less start-up {ratio:.2f}×, "
        "goal <= 1.2)"
    )
    return ratio


def main() -> int:
    """Run the comparison for each algorithm."""
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    content = os.urandom(MB)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("rsa", "ecdsa", "gost256"):
            folder = Path(tmp) / kind
            folder.mkdir()
            _bench(kind, folder, content, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
