"""``edmscore sign prepare`` → ``openssl pkeyutl`` (GOST engine) → ``edmscore sign assemble``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from edmscore.cli import main
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import TestPki

from .conftest import require_tools


@pytest.mark.parametrize("algorithm", ["gost256", "ecdsa"])
def test_prepare_sign_with_openssl_assemble(
    algorithm: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_tools(algorithm)
    pki = TestPki.create(algorithm)
    user = pki.issue(SubjectFields(common_name="Соколов", surname="Соколов"))
    files = {
        "root.pem": pki.root.certificate_pem,
        "user.pem": user.certificate_pem,
        "user.key": user.private_key_pem,
        "doc.txt": "Приказ о подписании\n".encode() * 500,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    p = {name: str(tmp_path / name) for name in (*files, "req.json", "h.bin", "v.bin", "s.p7s")}
    assert main(["sign", "prepare", p["doc.txt"], "--cert", p["user.pem"], "--out",
                 p["req.json"], "--digest-out", p["h.bin"]]) == 0  # fmt: skip
    out = capsys.readouterr().out
    digest_hex = Path(p["h.bin"]).read_bytes().hex()
    assert f"to-be-signed-hash {digest_hex}" in out
    engine = ["-engine", "gost"] if algorithm == "gost256" else []
    subprocess.run(
        ["openssl", "pkeyutl", "-sign", *engine, "-inkey", p["user.key"], "-in", p["h.bin"],
         "-out", p["v.bin"]],
        check=True, capture_output=True,
    )  # fmt: skip
    assert main(["sign", "assemble", p["req.json"], p["v.bin"], p["doc.txt"], "--out",
                 p["s.p7s"], "--trust", p["root.pem"]]) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith("valid ")
    done = subprocess.run(
        ["openssl", "cms", "-verify", *engine, "-binary", "-inform", "DER", "-in", p["s.p7s"],
         "-content", p["doc.txt"], "-CAfile", p["root.pem"], "-out", "/dev/null"],
        capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # A damaged value: exit 1 and one line on stderr; a damaged request: exit 3.
    value = bytearray(Path(p["v.bin"]).read_bytes())
    value[-3] ^= 0x10
    Path(p["v.bin"]).write_bytes(bytes(value))
    args = ["sign", "assemble", p["req.json"], p["v.bin"], p["doc.txt"], "--out", p["s.p7s"]]
    assert main(args) == 1
    assert capsys.readouterr().err.count("\n") == 1
    Path(p["req.json"]).write_text("{}")
    assert main(args) == 3
