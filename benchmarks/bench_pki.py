"""Verification on the real Russian PKI's terms, side by side with ``openssl cms -verify``.

In one run, for GOST R 34.10-2012-256 and for the legacy GOST R 34.10-2001:

* a detached signature over 1 MB with a full chain (root → intermediate CA → signer, the
  intermediate inside the signature) and the CRLs of both CAs: ``edmscore.signatures.verify``
  in process against ``openssl cms -verify -crl_check_all`` of the same files, OpenSSL's bare
  process start-up (``openssl engine gost``) shown apart and taken off its time;
* the same signature with the whole accredited-CA set (2,403 certificates of
  tests/corpus/pki) added to the trust anchors, the anchors decoded once (``TrustAnchors``):
  milliseconds per signature, and OpenSSL given the same bundle as ``-CAfile`` (which it reads on
  every call).

Goals (issue 17): 1 MB GOST-2012-256 ≤ 1.2× openssl less start-up; with the whole list as trust
≤ 20 ms a signature; GOST-2001 the same. Times are the best of several runs (the machine may be
shared). Run: ``.venv/bin/python benchmarks/bench_pki.py``.
"""

from __future__ import annotations

import lzma
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from edmscore.signatures import TrustAnchors, load_certificate, load_crl, verify

MB = 1_000_000
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "pki" / "accredited-ca"
CONFIG = """\
[ req ]
distinguished_name = dn
[ dn ]
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}
serial = {dir}/serial
crlnumber = {dir}/crlnumber
certificate = {dir}/inter.crt
private_key = {dir}/inter.key
default_md = default
default_crl_days = 30
policy = policy_any
[ policy_any ]
commonName = supplied
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_inter ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_user ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""
KINDS = {"gost2012-256": ("gost2012_256", "md_gost12_256"), "gost2001": ("gost2001", "md_gost94")}


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _openssl(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "OPENSSL_CONF": str(folder / "openssl.cnf")}
    return subprocess.run(["openssl", *args], cwd=folder, capture_output=True, check=True, env=env)


def _make(folder: Path, algorithm: str, md: str) -> None:
    """root → intermediate → user with OpenSSL's GOST engine; a CRL of the intermediate."""
    g = ["-engine", "gost"]
    for name in ("root", "inter", "user"):
        _openssl(folder, "genpkey", *g, "-algorithm", algorithm, "-pkeyopt", "paramset:A",
                 "-out", f"{name}.key")  # fmt: skip
    _openssl(folder, "req", *g, "-new", "-x509", "-key", "root.key", "-subj", "/CN=Bench root",
             f"-{md}", "-days", "60", "-extensions", "v3_root", "-out", "root.crt")  # fmt: skip
    for name, issuer, ext in (("inter", "root", "v3_inter"), ("user", "inter", "v3_user")):
        _openssl(folder, "req", *g, "-new", "-key", f"{name}.key", "-subj", f"/CN=Bench {name}",
                 f"-{md}", "-out", f"{name}.csr")  # fmt: skip
        _openssl(folder, "x509", *g, "-req", "-in", f"{name}.csr", "-CA", f"{issuer}.crt",
                 "-CAkey", f"{issuer}.key", "-CAcreateserial", "-days", "30", f"-{md}",
                 "-extfile", "openssl.cnf", "-extensions", ext, "-out", f"{name}.crt")  # fmt: skip
    for issuer in ("root", "inter"):
        _openssl(folder, "ca", *g, "-gencrl", "-md", md, "-cert", f"{issuer}.crt", "-keyfile",
                 f"{issuer}.key", "-out", f"{issuer}.crl")  # fmt: skip
    (folder / "trust.pem").write_bytes(  # openssl cms reads CRLs from its -CAfile
        (folder / "root.crt").read_bytes()
        + (folder / "root.crl").read_bytes()
        + (folder / "inter.crl").read_bytes()
    )
    _openssl(folder, "cms", *g, "-sign", "-binary", "-in", "content.bin", "-signer", "user.crt",
             "-inkey", "user.key", "-certfile", "inter.crt", "-md", md, "-outform", "DER",
             "-out", "signature.p7s")  # fmt: skip


def _row(folder: Path, kind: str, everything: bytes, repeat: int) -> None:
    algorithm, md = KINDS[kind]
    sub = folder / kind
    sub.mkdir()
    (sub / "openssl.cnf").write_text(CONFIG.format(dir=sub))
    (sub / "index.txt").write_text("")
    (sub / "crlnumber").write_text("01\n")
    (sub / "content.bin").write_bytes(os.urandom(MB))
    _make(sub, algorithm, md)
    content = (sub / "content.bin").read_bytes()
    signature = (sub / "signature.p7s").read_bytes()
    root = load_certificate((sub / "root.crt").read_bytes())
    crls = [load_crl((sub / f"{name}.crl").read_bytes()) for name in ("root", "inter")]

    def ours() -> None:
        report = verify(content, signature, trust_anchors=[root], crls=crls)
        assert report.valid, report.to_json()

    ours()
    mine = _best(ours, repeat)
    argv = ["cms", "-engine", "gost", "-verify", "-binary", "-inform", "DER", "-in",
            "signature.p7s", "-content", "content.bin", "-CAfile", "trust.pem",
            "-crl_check_all", "-out", os.devnull]  # fmt: skip
    theirs = _best(lambda: _openssl(sub, *argv), repeat)
    startup = _best(lambda: _openssl(sub, "engine", "gost"), repeat)
    print(
        f"{kind:13} 1 MB, chain + CRL   edmscore {mine * 1000:7.1f} ms   openssl "
        f"{theirs * 1000:7.1f} ms (start-up {startup * 1000:.1f})   ratio vs openssl less "
        f"start-up {mine / (theirs - startup):.2f}×"
    )

    started = time.perf_counter()
    anchors = TrustAnchors([*TrustAnchors.load(everything), root])
    loaded = time.perf_counter() - started
    small = os.urandom(4096)
    (sub / "small.bin").write_bytes(small)
    _openssl(sub, "cms", "-engine", "gost", "-sign", "-binary", "-in", "small.bin", "-signer",
             "user.crt", "-inkey", "user.key", "-certfile", "inter.crt", "-md", md,
             "-outform", "DER", "-out", "small.p7s")  # fmt: skip
    small_signature = (sub / "small.p7s").read_bytes()

    def ours_list() -> None:
        report = verify(small, small_signature, trust_anchors=anchors, crls=crls)
        assert report.valid, report.to_json()

    ours_list()
    per_signature = _best(ours_list, repeat * 3)
    bundle = sub / "bundle.pem"
    bundle.write_bytes(
        (sub / "trust.pem").read_bytes()
        + b"".join(_pem(c.der) for c in anchors if c.der != root.der)
    )
    argv = ["cms", "-engine", "gost", "-verify", "-binary", "-inform", "DER", "-in",
            "small.p7s", "-content", "small.bin", "-CAfile", str(bundle), "-crl_check_all",
            "-out", os.devnull]  # fmt: skip
    theirs_list = _best(lambda: _openssl(sub, *argv), 3)
    print(
        f"{kind:13} whole list as trust ({len(anchors)} anchors, loaded once in "
        f"{loaded:.2f} s)   edmscore {per_signature * 1000:6.1f} ms a signature   "
        f"openssl -CAfile bundle {theirs_list * 1000:7.1f} ms a call"
    )


def _pem(der: bytes) -> bytes:
    import base64
    import textwrap

    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode(), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n".encode()


def main() -> None:
    if shutil.which("openssl") is None:
        sys.exit("openssl is not installed")
    everything = lzma.decompress((CORPUS / "certificates.der.xz").read_bytes())
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print("Verification on the Russian PKI's terms (best of runs)")
        _row(folder, "gost2012-256", everything, 7)
        _row(folder, "gost2001", everything, 7)


if __name__ == "__main__":
    main()
