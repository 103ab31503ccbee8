"""Helpers for the GOST tests: OpenSSL with its GOST engine as the reference peer."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from edmscore.signatures._gost import accelerated_available


def _missing(reason: str) -> None:
    """Skip outside CI; in CI (``CI=true``) a missing peer is a failure, not a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


@cache
def _openssl_gost_works() -> bool:
    if shutil.which("openssl") is None:
        return False
    result = subprocess.run(
        ["openssl", "dgst", "-engine", "gost", "-md_gost12_256"],
        input=b"",
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def require_openssl_gost() -> None:
    """Skip (or fail in CI) unless the ``openssl`` command has the GOST engine."""
    if not _openssl_gost_works():
        _missing("openssl with the GOST engine (libengine-gost-openssl) is not installed")


def require_accelerated() -> None:
    """Skip (or fail in CI) unless the accelerated Streebog path loads."""
    if not accelerated_available():
        _missing("the OpenSSL GOST provider (libengine-gost-openssl) cannot be loaded")


def openssl(*args: str | Path, data: bytes = b"") -> bytes:
    """Run ``openssl`` with the GOST engine loaded; return its standard output."""
    argv = ["openssl", *map(str, args)]
    argv[2:2] = ["-engine", "gost"]
    result = subprocess.run(argv, input=data, capture_output=True, check=False)
    if result.returncode != 0:
        raise AssertionError(f"{argv} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout


def der_children(data: bytes) -> list[tuple[int, bytes]]:
    """The (tag, content) pairs of a run of DER elements (definite lengths only)."""
    out = []
    i = 0
    while i < len(data):
        tag = data[i]
        length = data[i + 1]
        i += 2
        if length & 0x80:
            count = length & 0x7F
            length = int.from_bytes(data[i : i + count], "big")
            i += count
        out.append((tag, data[i : i + length]))
        i += length
    return out


def der_oid(content: bytes) -> str:
    """A dotted OID from the content octets of an OBJECT IDENTIFIER."""
    arcs = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(map(str, [first, arcs[0] - 40 * first, *arcs[1:]]))


def spki_parts(der: bytes) -> tuple[str, str, bytes]:
    """(algorithm OID, parameter-set OID, public-key octets) of a GOST SubjectPublicKeyInfo."""
    ((_, spki),) = der_children(der)
    (_, algorithm), (_, bits) = der_children(spki)
    (_, alg_oid), (_, params) = der_children(algorithm)[:2]
    (_, paramset) = der_children(params)[0]
    return der_oid(alg_oid), der_oid(paramset), bits[1:]  # drop the BIT STRING's unused-bits byte


def der_raw_children(data: bytes) -> list[bytes]:
    """The whole encodings (header included) of a run of DER elements."""
    out = []
    i = 0
    while i < len(data):
        start = i
        length = data[i + 1]
        i += 2
        if length & 0x80:
            count = length & 0x7F
            length = int.from_bytes(data[i : i + count], "big")
            i += count
        i += length
        out.append(data[start:i])
    return out
