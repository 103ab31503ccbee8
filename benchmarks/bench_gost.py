"""GOST primitives side by side with their peers: Streebog-256 throughput and GOST verification.

Streebog-256 MiB/s for edmscore pure Python, edmscore accelerated (OpenSSL's GOST provider),
gostcrypto (pure Python, when installed: ``pip install gostcrypto``) and ``openssl dgst``;
GOST R 34.10-2012 verification time for 256- and 512-bit keys (edmscore, and gostcrypto when
installed). Goals (issue 5): pure ≥ 4× gostcrypto, accelerated ≥ 0.8× OpenSSL, 256-bit
verification ≤ 20 ms in pure Python.

The machine may be shared, so times are CPU times (this process's for in-process work, the
children's for ``openssl``), peers are measured turn by turn with the contender, and the best of
several runs is kept.

Run: ``.venv/bin/python benchmarks/bench_gost.py``.
"""

from __future__ import annotations

import importlib
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from typing import Any

from edmscore.signatures._gost import (
    CURVES_BY_OID,
    OID_TC26_256_A,
    OID_TC26_512_A,
    accelerated_available,
    gost_sign,
    gost_verify,
    new_streebog,
    public_key_from_private,
    streebog256,
    streebog512,
)

MiB = 1 << 20
OPENSSL_DGST = ["openssl", "dgst", "-engine", "gost", "-md_gost12_256"]


def _cpu(run: Callable[[], object]) -> float:
    """CPU seconds this process spends in ``run``."""
    start = time.process_time()
    run()
    return time.process_time() - start


def _children_cpu(argv: list[str]) -> float:
    """CPU seconds (user + system) a child process spends."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _rate(size: int, seconds: float) -> float:
    return size / MiB / seconds


def _import(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _hash_file(path: str) -> bytes:
    """Streebog-256 of a file read in 1 MiB chunks, the way a host hashes signed content."""
    h = new_streebog(256, accelerated=True)
    with open(path, "rb") as stream:
        while chunk := stream.read(MiB):
            h.update(chunk)
    return h.digest()


def _pure_and_gostcrypto() -> tuple[float, float | None]:
    """Pure-Python Streebog-256: edmscore and gostcrypto, turn by turn, best of three."""
    gosthash = _import("gostcrypto.gosthash")
    ours_data = os.urandom(MiB)
    peer_data = bytearray(os.urandom(MiB // 4))
    new_streebog(256, b"warm up the tables", accelerated=False).digest()
    ours, theirs = [], []
    for _ in range(3):
        ours.append(_cpu(lambda: new_streebog(256, ours_data, accelerated=False).digest()))
        if gosthash is not None:
            theirs.append(_cpu(lambda: gosthash.new("streebog256", data=peer_data).digest()))
    peer = _rate(len(peer_data), min(theirs)) if theirs else None
    return _rate(len(ours_data), min(ours)), peer


def _accelerated_and_openssl() -> tuple[float | None, float | None]:
    """Accelerated Streebog and ``openssl dgst`` over the same 64 MiB file, turn by turn.

    ``openssl``'s start-up (hashing an empty file) is subtracted.
    """
    have_openssl = shutil.which("openssl") is not None
    with tempfile.TemporaryDirectory() as folder:
        empty = os.path.join(folder, "empty")
        big = os.path.join(folder, "big")
        open(empty, "wb").close()
        size = 64 * MiB
        with open(big, "wb") as out:
            out.write(os.urandom(size))
        if have_openssl:
            probe = subprocess.run([*OPENSSL_DGST, empty], capture_output=True, check=False)
            have_openssl = probe.returncode == 0
        ours, theirs, startup = [], [], []
        for _ in range(5):
            if accelerated_available():
                ours.append(_cpu(lambda: _hash_file(big)))
            if have_openssl:
                startup.append(_children_cpu([*OPENSSL_DGST, empty]))
                theirs.append(_children_cpu([*OPENSSL_DGST, big]))
        accelerated = _rate(size, min(ours)) if ours else None
        openssl = _rate(size, min(theirs) - min(startup)) if theirs else None
        return accelerated, openssl


def _our_verify_ms(oid: str, hash_function: Callable[[bytes], bytes]) -> float:
    curve = CURVES_BY_OID[oid]
    private = int.from_bytes(os.urandom(curve.size), "big") % (curve.q - 1) + 1
    public = public_key_from_private(curve, private)
    digest = hash_function(b"benchmark document")
    signature = gost_sign(curve, private, digest)
    assert gost_verify(curve, public, digest, signature)
    # The first call built the cached base-point table; the best of 20 is the steady state.
    return min(_cpu(lambda: gost_verify(curve, public, digest, signature)) for _ in range(20)) * 1e3


def _gostcrypto_verify_ms(module: Any, mode: int) -> float:
    name = (
        "id-tc26-gost-3410-2012-256-paramSetA"
        if mode == 256
        else "id-tc26-gost-3410-12-512-paramSetA"
    )
    curve = module.CURVES_R_1323565_1_024_2019[name]
    signer = module.new(module.MODE_256 if mode == 256 else module.MODE_512, curve)
    private = bytearray(os.urandom(mode // 8))
    public = signer.public_key_generate(private)
    digest = bytearray(os.urandom(mode // 8))
    signature = signer.sign(private, digest)
    assert signer.verify(public, digest, signature)
    return min(_cpu(lambda: signer.verify(public, digest, signature)) for _ in range(3)) * 1e3


def main() -> None:
    """Measure and print."""
    print("== Streebog-256 throughput (CPU time)")
    pure, peer = _pure_and_gostcrypto()
    accelerated, openssl = _accelerated_and_openssl()
    print(f"edmscore pure Python     {pure:8.2f} MiB/s")
    if accelerated is not None:
        print(f"edmscore accelerated     {accelerated:8.2f} MiB/s")
    else:
        print("edmscore accelerated     (OpenSSL GOST provider not available)")
    if peer is not None:
        print(f"gostcrypto               {peer:8.2f} MiB/s")
    else:
        print("gostcrypto               (not installed: pip install gostcrypto)")
    if openssl is not None:
        print(f"openssl dgst             {openssl:8.2f} MiB/s")
    else:
        print("openssl dgst             (openssl with the GOST engine not available)")
    if peer:
        print(f"ratio pure / gostcrypto          {pure / peer:6.2f}  (goal >= 4)")
    if accelerated and openssl:
        print(f"ratio accelerated / openssl dgst {accelerated / openssl:6.2f}  (goal >= 0.8)")

    print("== GOST R 34.10-2012 verification, pure Python (CPU time)")
    signature_module = _import("gostcrypto.gostsignature")
    for oid, hash_function, mode in (
        (OID_TC26_256_A, streebog256, 256),
        (OID_TC26_512_A, streebog512, 512),
    ):
        ours = _our_verify_ms(oid, hash_function)
        line = f"edmscore verify {mode}       {ours:8.2f} ms"
        if signature_module is not None:
            peer_ms = _gostcrypto_verify_ms(signature_module, mode)
            line += f"   gostcrypto {peer_ms:8.2f} ms   ratio {peer_ms / ours:6.1f}x faster"
        print(line + ("   (goal <= 20 ms)" if mode == 256 else ""))


if __name__ == "__main__":
    main()
