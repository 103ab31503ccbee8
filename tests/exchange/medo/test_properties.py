"""Invariants of names and envelopes over generated input."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.errors import MedoUnsafeInput
from edmscore.exchange.medo import Envelope, build_envelope, check_file_name, parse_envelope

_PIECES = st.sampled_from(["..", ".", "/", "\\", ":", "C:", "CON", "nul", "a", "б", " ", "\x00"])
_NAMES = st.lists(_PIECES | st.text(max_size=4), max_size=6).map("".join)


@settings(max_examples=300)
@given(_NAMES)
def test_an_accepted_name_stays_inside_the_folder(name: str) -> None:
    try:
        check_file_name(name, element="x", source=None)
    except MedoUnsafeInput:
        return
    for path in (PurePosixPath("/letter") / name, PureWindowsPath("C:\\letter") / name):
        assert path.parent.name == "letter"
        assert path.name == name


_LINE = st.text(
    alphabet=st.characters(codec="cp1251", exclude_characters="\r\n\x00\x85\u2028\u2029"),
    max_size=20,
).map(str.strip)
_FILE = st.from_regex(r"[A-Za-zА-Яа-я0-9_-]{1,12}\.(pdf|xml|p7s)", fullmatch=True)


@settings(max_examples=100)
@given(
    subject=_LINE,
    addressees=st.lists(_LINE.filter(bool), max_size=4).map(tuple),
    files=st.lists(_FILE, max_size=4).map(tuple),
    signed=st.booleans(),
)
def test_envelopes_round_trip(
    subject: str, addressees: tuple[str, ...], files: tuple[str, ...], signed: bool
) -> None:
    envelope = Envelope(subject=subject, addressees=addressees, files=files, signed=signed)
    assert parse_envelope(build_envelope(envelope)) == envelope
