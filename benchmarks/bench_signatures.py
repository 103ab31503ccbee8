"""CMS verification side by side with OpenSSL, and Streebog against its peers.

In one run:

* RSA-2048 and GOST-256 verification of a detached signature over 1 MB: ``edmscore.signatures
  .verify`` (in process) against ``openssl cms -verify`` of the same files (one process per
  signature, as a host shelling out would run it; its bare start-up time is shown apart);
* Streebog-256 MB/s: edmscore pure Python, edmscore accelerated (OpenSSL's GOST provider loaded
  into this process), gostcrypto (when installed) and ``openssl dgst``;
* GOST R 34.10-2012-256 signature math alone (pure Python), per verification.

Goals (issue 5): RSA ≤ 1.5× OpenSSL; accelerated Streebog ≥ 0.8× OpenSSL; pure Streebog
≥ 4× gostcrypto; GOST-256 signature math ≤ 20 ms. Times are the best of several runs (the machine
may be shared). Run: ``.venv/bin/python benchmarks/bench_signatures.py``.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from edmscore.signatures import accelerated_available, verify
from edmscore.signatures._gost import (
    CURVES_BY_OID,
    OID_TC26_256_A,
    gost_sign,
    gost_verify,
    new_streebog,
    public_key_from_private,
)

MB = 1_000_000
CONFIG = "[ req ]\ndistinguished_name = dn\n[ dn ]\n"


def _best(run: Callable[[], object], repeat: int) -> float:
    """The best wall time of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _openssl(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "OPENSSL_CONF": str(folder / "openssl.cnf")}
    return subprocess.run(["openssl", *args], cwd=folder, capture_output=True, check=True, env=env)


def _make(folder: Path, kind: str) -> tuple[bytes, bytes, bytes]:
    """Key, self-signed certificate and detached signature over 1 MB with OpenSSL."""
    engine = ["-engine", "gost"] if kind == "gost256" else []
    if kind == "rsa":
        opts = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
    else:
        opts = ["-algorithm", "gost2012_256", "-pkeyopt", "paramset:A"]
    _openssl(folder, "genpkey", *engine, *opts, "-out", f"{kind}.key")
    _openssl(
        folder,
        "req",
        *engine,
        "-new",
        "-x509",
        "-key",
        f"{kind}.key",
        "-subj",
        f"/CN=bench {kind}",
        "-days",
        "30",
        "-out",
        f"{kind}.crt",
    )
    _openssl(
        folder,
        "cms",
        *engine,
        "-sign",
        "-binary",
        "-in",
        "content.bin",
        "-signer",
        f"{kind}.crt",
        "-inkey",
        f"{kind}.key",
        "-outform",
        "DER",
        "-out",
        f"{kind}.p7s",
    )
    return (
        (folder / "content.bin").read_bytes(),
        (folder / f"{kind}.p7s").read_bytes(),
        (folder / f"{kind}.crt").read_bytes(),
    )


def _cms_row(folder: Path, kind: str, repeat: int) -> None:
    content, signature, anchor = _make(folder, kind)
    report = verify(content, signature, trust_anchors=[anchor])
    assert report.valid, report.signers[0].findings
    ours = _best(lambda: verify(content, signature, trust_anchors=[anchor]), repeat)
    engine = ["-engine", "gost"] if kind == "gost256" else []
    argv = [
        "cms",
        *engine,
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        f"{kind}.p7s",
        "-content",
        "content.bin",
        "-CAfile",
        f"{kind}.crt",
        "-out",
        os.devnull,
    ]
    theirs = _best(lambda: _openssl(folder, *argv), repeat)
    startup = _best(
        lambda: _openssl(folder, *(["engine", "gost"] if engine else ["version"])), repeat
    )
    print(
        f"{kind:8} 1 MB detached  edmscore {ours * 1000:8.1f} ms   openssl cms -verify "
        f"{theirs * 1000:8.1f} ms (start-up {startup * 1000:.1f} ms)   "
        f"ratio {ours / theirs:.2f}× (vs openssl less start-up {ours / (theirs - startup):.2f}×)"
    )


def _streebog_rate(accelerated: bool, size: int, repeat: int) -> float:
    data = os.urandom(size)

    def run() -> None:
        hasher = new_streebog(256, accelerated=accelerated)
        hasher.update(data)
        hasher.digest()

    return size / _best(run, repeat) / MB


def _gostcrypto_rate(size: int) -> float | None:
    try:
        module: Any = importlib.import_module("gostcrypto.gosthash")
    except ImportError:
        return None
    data = os.urandom(size)

    def run() -> None:
        module.new("streebog256", data=data).digest()

    return size / _best(run, 2) / MB


def _openssl_rate(folder: Path, size: int) -> float:
    (folder / "big.bin").write_bytes(os.urandom(size))
    argv = ["dgst", "-engine", "gost", "-md_gost12_256", "big.bin"]
    whole = _best(lambda: _openssl(folder, *argv), 3)
    startup = _best(lambda: _openssl(folder, "engine", "gost"), 3)
    return size / max(whole - startup, 1e-9) / MB


def _gost_math_ms(repeat: int) -> float:
    curve = CURVES_BY_OID[OID_TC26_256_A]
    private = 0x1234567890ABCDEF1234567890ABCDEF1234567890ABCDEF1234567890ABCDE
    public = public_key_from_private(curve, private)
    digest = bytes(range(32))
    signature = gost_sign(curve, private, digest)
    assert gost_verify(curve, public, digest, signature)
    return _best(lambda: gost_verify(curve, public, digest, signature), repeat) * 1000


def main() -> None:
    if shutil.which("openssl") is None:
        sys.exit("openssl is not installed")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "openssl.cnf").write_text(CONFIG)
        (folder / "content.bin").write_bytes(os.urandom(MB))
        print("CMS verification, per signature (best of runs)")
        _cms_row(folder, "rsa", 15)
        _cms_row(folder, "gost256", 7)
        print()
        print("Streebog-256 throughput")
        pure = _streebog_rate(False, 2 * MB, 2)
        print(f"  edmscore pure Python   {pure:8.2f} MB/s")
        accelerated = _streebog_rate(True, 64 * MB, 3) if accelerated_available() else None
        if accelerated is not None:
            print(f"  edmscore accelerated   {accelerated:8.2f} MB/s")
        peer = _gostcrypto_rate(MB // 8)
        if peer is not None:
            print(f"  gostcrypto             {peer:8.2f} MB/s   pure/gostcrypto {pure / peer:.1f}×")
        openssl = _openssl_rate(folder, 64 * MB)
        print(f"  openssl dgst           {openssl:8.2f} MB/s", end="")
        if accelerated is not None:
            print(f"   accelerated/openssl {accelerated / openssl:.2f}×")
        else:
            print()
        print()
        print(f"GOST R 34.10-2012-256 signature math (pure Python): {_gost_math_ms(20):.2f} ms")


if __name__ == "__main__":
    main()
