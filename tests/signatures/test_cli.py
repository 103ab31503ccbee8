"""``edmscore verify``: exit codes, the summary and the JSON report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from edmscore.cli import main
from edmscore.testing.pki import Identity, TestPki

CONTENT = "Приказ о проверке".encode()


@pytest.fixture
def files(tmp_path: Path, rsa_pki: TestPki, rsa_user: Identity) -> Path:
    (tmp_path / "content.txt").write_bytes(CONTENT)
    (tmp_path / "tampered.txt").write_bytes(CONTENT + b".")
    (tmp_path / "sig.p7s").write_bytes(rsa_pki.sign(CONTENT, rsa_user))
    (tmp_path / "attached.p7s").write_bytes(rsa_pki.sign(CONTENT, rsa_user, detached=False))
    (tmp_path / "root.pem").write_bytes(rsa_pki.root.certificate_pem)
    (tmp_path / "other.pem").write_bytes(TestPki.create("ecdsa").root.certificate_pem)
    (tmp_path / "bundle.pem").write_bytes(
        (tmp_path / "other.pem").read_bytes() + rsa_pki.root.certificate_pem
    )
    (tmp_path / "garbage.p7s").write_bytes(b"garbage")
    return tmp_path


def _run(files: Path, *args: str) -> int:
    return main(["verify", *(str(files / a) if (files / a).exists() else a for a in args)])


def test_exit_codes(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(files, "content.txt", "sig.p7s", "--trust", "root.pem") == 0
    out = capsys.readouterr().out
    assert "Подпись действительна (valid)" in out
    assert "Иванов Иван Петрович" in out
    assert _run(files, "tampered.txt", "sig.p7s", "--trust", "root.pem") == 1
    assert "digest_mismatch" in capsys.readouterr().out
    assert _run(files, "content.txt", "sig.p7s", "--trust", "other.pem") == 2
    assert "no_chain_to_trust_anchor" in capsys.readouterr().out
    assert _run(files, "content.txt", "sig.p7s", "--trust", "bundle.pem") == 0
    assert _run(files, "-", "attached.p7s", "--trust", "root.pem") == 0


def test_input_errors(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert _run(files, "content.txt", "garbage.p7s", "--trust", "root.pem") == 3
    err = capsys.readouterr().err
    assert err.startswith("edmscore verify: signature:")
    assert err.count("\n") == 1
    assert _run(files, "missing.txt", "sig.p7s", "--trust", "root.pem") == 3
    assert _run(files, "content.txt", "sig.p7s", "--trust", "content.txt") == 3
    assert _run(files, "content.txt", "sig.p7s", "--trust", "root.pem", "--at", "soon") == 3


def test_json_and_time(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    later = pendulum.now("UTC").add(years=5).isoformat()
    code = _run(files, "content.txt", "sig.p7s", "--trust", "root.pem", "--at", later, "--json")
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert report["status"] == "indeterminate"
    assert report["reason"] == "expired"
    assert report["signers"][0]["certificate"]["fields"]["surname"] == "Иванов"


def test_installed_command(files: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "edmscore.cli",
            "verify",
            "content.txt",
            "sig.p7s",
            "--trust",
            "root.pem",
            "--json",
        ],
        cwd=files,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "valid"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_signature_file_is_refused_without_being_read_whole(files: Path) -> None:
    import resource

    def limit_memory() -> None:  # a regression fails here instead of eating the machine
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "edmscore.cli", "verify", str(files / "content.txt"), "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_memory,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert "signature: larger than" in done.stderr
    assert "Traceback" not in done.stderr
