"""Merging CMS signatures of the same content (co-signatures, countersignatures), on real files:
the TC26 example signatures (GOST R 34.10-2012 256 and 512) of the same text become one
co-signed CMS that the library and OpenSSL with the GOST engine accept; damaged input is a typed
error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.errors import EdmsError, ValidationError
from edmscore.signatures import Status, verify
from edmscore.signatures._cms import parse_signed_data
from edmscore.signatures.signing import merge_signatures

from ._corpus import der_of_pem

PKI = Path(__file__).parent.parent / "corpus" / "pki"
A111 = der_of_pem((PKI / "tc26-signed_a111.pem").read_bytes())  # GOST 2012-256 signer
A121 = der_of_pem((PKI / "tc26-signed_a121.pem").read_bytes())  # GOST 2012-512 signer
OTHER = der_of_pem((PKI / "ddulesov-gost2012-256.cms.pem").read_bytes())  # other content
ROOT = (PKI / "tc26-root256_cert.pem").read_bytes()


def _values(signature: bytes) -> list[bytes]:
    return sorted(s.signature for s in parse_signed_data(signature).signers)


def test_two_real_signatures_of_one_text_become_one_co_signed_cms(tmp_path: Path) -> None:
    joint = merge_signatures(A111, A121)
    assert _values(joint) == sorted(_values(A111) + _values(A121))
    report = verify(None, joint, trust_anchors=[ROOT])
    assert report.status is Status.VALID
    assert [s.status for s in report.signers] == [Status.VALID, Status.VALID]
    assert {s.digest_algorithm for s in report.signers} == {
        r.signers[0].digest_algorithm
        for r in (verify(None, x, trust_anchors=[ROOT]) for x in (A111, A121))
    }
    # Merging again adds nothing; the order of merging does not change the signers.
    assert _values(merge_signatures(joint, A121)) == _values(joint)
    assert _values(merge_signatures(A121, A111)) == _values(joint)
    assert _values(merge_signatures(A111, A111)) == _values(A111)
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    (tmp_path / "joint.der").write_bytes(joint)
    done = subprocess.run(
        ["openssl", "cms", "-verify", "-inform", "DER", "-in", str(tmp_path / "joint.der"),
         "-noverify", "-engine", "gost", "-out", str(tmp_path / "content.bin")],
        capture_output=True, check=False,
    )  # fmt: skip
    if b"engine" in done.stderr.lower() and done.returncode != 0:
        pytest.skip("OpenSSL's GOST engine is not installed")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "content.bin").read_bytes() == parse_signed_data(A111).content


def test_signatures_of_different_content_do_not_merge() -> None:
    with pytest.raises(ValidationError):
        merge_signatures(A111, OTHER)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_damaged_signatures_are_typed_errors(data: st.DataObject) -> None:
    damaged = bytearray(A121)
    for _ in range(data.draw(st.integers(1, 4))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(damaged)))
    candidate = bytes(damaged[:cut])
    first, second = data.draw(st.permutations([A111, candidate]))
    try:
        merged = merge_signatures(first, second)
    except EdmsError:
        return
    parse_signed_data(merged)  # what comes out is a CMS again


@given(junk=st.binary(max_size=300))
def test_junk_is_a_typed_error(junk: bytes) -> None:
    with pytest.raises(EdmsError):
        merge_signatures(A111, junk)
