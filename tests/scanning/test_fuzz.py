"""Damaged batches: whatever bytes a broken scanner or disk leaves, reading either works or
raises one of the library's typed errors — never a crash deep in pypdf, Pillow or zxing."""

from __future__ import annotations

import pathlib
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edmscore.errors import EdmsError
from edmscore.scanning import split_batch

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "corpus" / "scanning"
SEEDS = {
    name: (CORPUS / name).read_bytes() for name in ("kcs.pdf", "g4-multi.tiff", "multipage.tiff")
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(SEEDS)),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=8),
    st.one_of(st.none(), st.integers(8, 1 << 20)),
)
def test_damaged_batches_fail_typed(
    seed: str, flips: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray(SEEDS[seed])
    for at, value in flips:
        data[at % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data) + 1]
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / seed
        path.write_bytes(bytes(data))
        try:
            report = split_batch(path, lambda p, c, f: None)
        except EdmsError:
            return
    assert report.pages >= 1 and sum(len(p.pages) for p in report.parts) == report.pages
