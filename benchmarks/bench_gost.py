"""GOST primitives side by side with their peers: Streebog-256 throughput and GOST verification.

Streebog-256 MiB/s for edmscore pure Python, edmscore accelerated (OpenSSL's GOST provider),
gostcrypto (pure Python, when installed: ``pip install gostcrypto``) and ``openssl dgst``;
GOST R 34.10-2012 verification time for 256- and 512-bit keys (edmscore, and gostcrypto when
installed). Goals (issue 5): pure ≥ 4× gostcrypto, accelerated ≥ 0.8× OpenSSL, 256-bit verification
≤ 20 ms in pure Python.

Run: ``.venv/bin/python benchmarks/bench_gost.py``.
"""

from __future__ import annotations

import importlib
import os
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


def _best(run: Callable[[], object], repeat: int = 3) -> float:
    """The best wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _rate(size: int, seconds: float) -> float:
    return size / MiB / seconds


def _gostcrypto() -> Any | None:
    try:
        return importlib.import_module("gostcrypto")
    except ImportError:
        return None


def _hash_file(path: str) -> bytes:
    """Streebog-256 of a file read in 1 MiB chunks, the way a host hashes signed content."""
    h = new_streebog(256, accelerated=True)
    with open(path, "rb") as stream:
        while chunk := stream.read(MiB):
            h.update(chunk)
    return h.digest()


def _accelerated_and_openssl_rates() -> tuple[float | None, float | None]:
    """Accelerated Streebog and ``openssl dgst`` over the same 64 MiB file, runs interleaved.

    The machine is shared, so the two are measured turn by turn and the best run of each kept;
    ``openssl``'s start-up time (hashing an empty file) is subtracted.
    """
    argv = ["openssl", "dgst", "-engine", "gost", "-md_gost12_256"]
    have_openssl = shutil.which("openssl") is not None
    with tempfile.TemporaryDirectory() as folder:
        empty = os.path.join(folder, "empty")
        big = os.path.join(folder, "big")
        open(empty, "wb").close()
        size = 64 * MiB
        with open(big, "wb") as out:
            out.write(os.urandom(size))
        if have_openssl:
            have_openssl = not subprocess.run([*argv, empty], capture_output=True).returncode
        ours, theirs, startup = [], [], []
        for _ in range(5):
            if accelerated_available():
                ours.append(_best(lambda: _hash_file(big), 1))
            if have_openssl:
                startup.append(
                    _best(lambda: subprocess.run([*argv, empty], capture_output=True), 1)
                )
                theirs.append(_best(lambda: subprocess.run([*argv, big], capture_output=True), 1))
        accelerated = _rate(size, min(ours)) if ours else None
        openssl = _rate(size, min(theirs) - min(startup)) if theirs else None
        return accelerated, openssl


def main() -> None:
    """Measure and print."""
    print("== Streebog-256 throughput")
    pure_data = os.urandom(MiB)
    pure = _rate(len(pure_data), _best(lambda: new_streebog(256, pure_data, accelerated=False)))
    print(f"edmscore pure Python     {pure:8.2f} MiB/s")

    accelerated, openssl = _accelerated_and_openssl_rates()
    if accelerated is not None:
        print(f"edmscore accelerated     {accelerated:8.2f} MiB/s")
    else:
        print("edmscore accelerated     (OpenSSL GOST provider not available)")

    gostcrypto = _gostcrypto()
    peer = None
    if gostcrypto is not None:
        gosthash = importlib.import_module("gostcrypto.gosthash")
        small = os.urandom(MiB // 4)
        peer = _rate(
            len(small),
            _best(lambda: gosthash.new("streebog256", data=bytearray(small)).digest(), 2),
        )
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

    print("== GOST R 34.10-2012 verification (pure Python)")
    for oid, hash_function, mode in (
        (OID_TC26_256_A, streebog256, 256),
        (OID_TC26_512_A, streebog512, 512),
    ):
        ours = _our_verify_ms(oid, hash_function)
        line = f"edmscore verify {mode}       {ours:8.2f} ms"
        if gostcrypto is not None:
            peer_ms = _gostcrypto_verify_ms(mode)
            line += f"   gostcrypto {peer_ms:8.2f} ms   ratio {peer_ms / ours:6.1f}x faster"
        print(line + ("   (goal <= 20 ms)" if mode == 256 else ""))


def _our_verify_ms(oid: str, hash_function: Callable[[bytes], bytes]) -> float:
    curve = CURVES_BY_OID[oid]
    private = int.from_bytes(os.urandom(curve.size), "big") % (curve.q - 1) + 1
    public = public_key_from_private(curve, private)
    digest = hash_function(b"benchmark document")
    signature = gost_sign(curve, private, digest)
    assert gost_verify(curve, public, digest, signature)
    # The first call builds the cached base-point table; the best of 20 is the steady state.
    return _best(lambda: gost_verify(curve, public, digest, signature), 20) * 1000


def _gostcrypto_verify_ms(mode: int) -> float:
    module = importlib.import_module("gostcrypto.gostsignature")
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
    return _best(lambda: signer.verify(public, digest, signature), 3) * 1000


if __name__ == "__main__":
    main()
