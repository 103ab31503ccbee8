"""Streebog: the standard's examples, OpenSSL as the reference, both paths, streaming."""

from __future__ import annotations

import array
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.errors import ValidationError
from edmscore.signatures._gost import (
    AcceleratedStreebog,
    Streebog256,
    Streebog512,
    accelerated_available,
    new_streebog,
    streebog256,
    streebog512,
)
from tests.signatures_gost._support import openssl, require_accelerated, require_openssl_gost

# GOST R 34.11-2012 Appendix A. The standard writes messages and digests most significant byte
# first; on the wire (OpenSSL, CMS) both are the other way round, hence the [::-1] below.
M1 = b"012345678901234567890123456789012345678901234567890123456789012"
M2 = "Се ветри, Стрибожи внуци, веютъ с моря стрелами на храбрыя плъкы Игоревы".encode("cp1251")
STANDARD = {
    (M1, 512): "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00"
    "fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b",
    (M1, 256): "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d",
    (M2, 512): "28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f03"
    "7613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e",
    (M2, 256): "508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d",
}


def _paths() -> list[bool]:
    return [False, True]


@pytest.mark.parametrize(("message", "bits"), list(STANDARD))
@pytest.mark.parametrize("accelerated", _paths())
def test_standard_examples(message: bytes, bits: int, accelerated: bool) -> None:
    if accelerated:
        require_accelerated()
    digest = new_streebog(bits, message, accelerated=accelerated).digest()
    assert digest[::-1].hex() == STANDARD[message, bits]


def test_the_standard_message_m1_is_its_hex_reversed() -> None:
    standard_hex = "323130393837363534333231303938373635343332313039383736353433323130393837"
    assert M1[::-1].hex().startswith(standard_hex)
    assert len(M1) == 63
    assert len(M2) == 72


def test_one_shot_helpers_match_the_classes() -> None:
    assert streebog256(M2) == Streebog256(M2).digest()
    assert streebog512(M2) == Streebog512(M2).digest()


def test_hashlib_attributes() -> None:
    for bits in (256, 512):
        for accelerated in (False, *([True] if accelerated_available() else [])):
            h = new_streebog(bits, accelerated=accelerated)
            assert h.name == f"streebog{bits}"
            assert h.digest_size == bits // 8
            assert h.block_size == 64
            assert len(h.digest()) == bits // 8
            assert h.hexdigest() == h.digest().hex()


@pytest.mark.parametrize("accelerated", _paths())
def test_copy_is_independent_and_digest_does_not_finalise(accelerated: bool) -> None:
    if accelerated:
        require_accelerated()
    h = new_streebog(256, b"abc" * 50, accelerated=accelerated)
    twin = h.copy()
    first = h.digest()
    assert h.digest() == first  # digest() leaves the object usable
    h.update(b"more")
    assert twin.digest() == first
    assert h.digest() == new_streebog(256, b"abc" * 50 + b"more", accelerated=False).digest()


@settings(max_examples=40, deadline=None)
@given(
    data=st.binary(max_size=400),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
    bits=st.sampled_from([256, 512]),
)
def test_streaming_in_chunks_equals_one_shot(data: bytes, cuts: list[int], bits: int) -> None:
    h = new_streebog(bits, accelerated=False)
    start = 0
    for cut in sorted(c for c in cuts if c <= len(data)):
        h.update(memoryview(data)[start:cut])
        start = cut
    h.update(bytearray(data[start:]))
    assert h.digest() == new_streebog(bits, data, accelerated=False).digest()


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=700), bits=st.sampled_from([256, 512]))
def test_pure_and_accelerated_paths_agree(data: bytes, bits: int) -> None:
    require_accelerated()
    pure = new_streebog(bits, data, accelerated=False).digest()
    assert new_streebog(bits, data, accelerated=True).digest() == pure


@pytest.mark.parametrize("size", [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 1000, 70_001])
@pytest.mark.parametrize("bits", [256, 512])
def test_pure_matches_openssl_dgst_on_random_data(size: int, bits: int) -> None:
    require_openssl_gost()
    data = os.urandom(size)
    expected = openssl("dgst", f"-md_gost12_{bits}", "-binary", data=data)
    assert new_streebog(bits, data, accelerated=False).digest() == expected


def test_bad_arguments_are_typed_errors() -> None:
    with pytest.raises(ValidationError) as info:
        new_streebog(384)
    assert info.value.field == "bits"


def test_demanding_acceleration_without_the_provider_is_a_typed_error() -> None:
    if accelerated_available():
        assert new_streebog(256, accelerated=True).digest() == streebog256(b"")
    else:
        with pytest.raises(ValidationError):
            new_streebog(256, accelerated=True)


@pytest.mark.parametrize("accelerated", _paths())
def test_any_contiguous_buffer_can_be_hashed(accelerated: bool) -> None:
    if accelerated:
        require_accelerated()
    words = array.array("Q", range(1000))
    expected = new_streebog(512, words.tobytes(), accelerated=False).digest()
    h = new_streebog(512, accelerated=accelerated)
    h.update(b"")
    h.update(memoryview(words))  # 8-byte items: hashed as their bytes
    assert h.digest() == expected
    with pytest.raises(TypeError):
        new_streebog(256, accelerated=accelerated).update("text")  # type: ignore[arg-type]


def test_long_message_in_uneven_chunks_matches_one_shot() -> None:
    data = os.urandom(5000)
    h = Streebog256()
    for start in range(0, len(data), 333):
        h.update(data[start : start + 333])
    assert h.digest() == Streebog256(data).digest()


def test_the_provider_is_probed_at_first_use_not_at_import() -> None:
    script = (
        "import sys, edmscore.signatures._gost as g\n"
        "maps = lambda: open('/proc/self/maps').read()\n"
        "print('gostprov' in maps())\n"
        "print(g.accelerated_available(), 'gostprov' in maps())\n"
        "print(g.new_streebog(256).digest().hex())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    before, after, digest = result.stdout.splitlines()
    assert before == "False"
    assert after in {"True True", "False False"}
    assert digest == streebog256(b"").hex()


def test_auto_choice_follows_the_probe() -> None:
    h = new_streebog(256)
    assert isinstance(h, AcceleratedStreebog) == accelerated_available()
    assert accelerated_available() is accelerated_available()
