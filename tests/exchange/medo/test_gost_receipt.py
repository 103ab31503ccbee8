"""Receipts whose hash codes are GOST R 34.11-2012, computed by ``openssl dgst``: always checked."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

import pendulum
import pytest

from edmscore.exchange.medo import (
    Acknowledgment,
    HashCode,
    HashCodes,
    HashStatus,
    build_message,
    parse_message,
    verify_hash_codes,
)
from edmscore.signatures import new_streebog, streebog256, streebog512

FILES = {
    "document.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 300,
    "document.pdf.p7s": b"0\x82" + b"\x07" * 1500,
}


@cache
def _gost_dgst_works() -> bool:
    try:
        result = subprocess.run(
            ["openssl", "dgst", "-engine", "gost", "-md_gost12_256"],
            input=b"",
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        return False
    return result.returncode == 0


def _openssl_digests(folder: Path, bits: int) -> dict[str, str]:
    if not _gost_dgst_works():
        reason = "openssl with the GOST engine (libengine-gost-openssl) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (required when CI=true)")
        pytest.skip(reason)
    codes = {}
    for name, content in FILES.items():
        (folder / name).write_bytes(content)
        out = subprocess.run(
            ["openssl", "dgst", "-engine", "gost", f"-md_gost12_{bits}", "-r", name],
            cwd=folder,
            capture_output=True,
            check=True,
        ).stdout.decode()
        codes[name] = out.split()[0]
    return codes


def _receipt(codes: dict[str, str], algorithm: str | None) -> Acknowledgment:
    receipt = Acknowledgment(
        message_uid="3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        time=pendulum.datetime(2026, 3, 2, 10, tz="Europe/Moscow"),
        accepted=True,
        hash_codes=HashCodes(
            items=tuple(HashCode(name, code.upper()) for name, code in codes.items()),
            algorithm=algorithm,
        ),
    )
    return receipt


@pytest.mark.parametrize(
    ("bits", "algorithm"),
    [
        (256, "GOST R 34.11-2012 256"),
        (256, "1.2.643.7.1.1.2.2"),
        (256, None),
        (512, "streebog512"),
        (512, None),
    ],
)
def test_gost_hash_codes_made_by_openssl_match(
    tmp_path: Path, bits: int, algorithm: str | None
) -> None:
    codes = _openssl_digests(tmp_path, bits)
    receipt = _receipt(codes, algorithm)
    # through the XML and back, as a receipt arrives
    from edmscore.exchange.medo import Destination, Header, Message, Partner

    partner = Partner(uid="a1b2c3d4-0000-4000-8000-000000000001", organization="Получатель")
    message = Message(
        header=Header(
            source=partner, uid="a1b2c3d4-0000-4000-8000-000000000002", created=receipt.time
        ),
        content=receipt,
        destinations=(Destination(partner=partner),),
    )
    parsed = parse_message(build_message(message)).content
    assert isinstance(parsed, Acknowledgment)
    checks = verify_hash_codes(parsed, FILES)
    assert [c.status for c in checks] == [HashStatus.MATCH, HashStatus.MATCH]
    assert {c.algorithm for c in checks} == {f"md_gost12_{bits}"}
    tampered = {**FILES, "document.pdf": FILES["document.pdf"] + b" "}
    statuses = {c.name: c.status for c in verify_hash_codes(parsed, tampered)}
    assert statuses == {"document.pdf": HashStatus.MISMATCH, "document.pdf.p7s": HashStatus.MATCH}


def test_the_public_streebog_agrees_with_openssl_with_and_without_the_provider(
    tmp_path: Path,
) -> None:
    codes256 = _openssl_digests(tmp_path, 256)
    codes512 = _openssl_digests(tmp_path, 512)
    for name, content in FILES.items():
        assert streebog256(content).hex() == codes256[name]
        assert streebog512(content).hex() == codes512[name]
        pure = new_streebog(256, accelerated=False)
        half = len(content) // 2
        pure.update(content[:half])
        pure.update(content[half:])
        assert pure.hexdigest() == codes256[name]
