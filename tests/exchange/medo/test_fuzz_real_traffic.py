"""Fuzzing the paths real traffic opened: envelopes in two encodings with Windows paths, zip
containers of any bytes, passports in both namespaces, old dates, the container mapping.

Whatever the input, the outcome is a value or an :class:`~edmscore.errors.EdmsError`; a name
accepted from a path stays a plain name inside the letter.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edmscore.errors import EdmsError
from edmscore.exchange.medo import (
    CONTAINER_NS_27,
    CONTAINER_NS_271,
    ContainerReference,
    Header,
    Message,
    Partner,
    SchemaStatus,
    build_passport,
    check_schema,
    parse_envelope,
    passport_document,
    read_container,
)
from edmscore.exchange.medo._passport import read_passport
from edmscore.exchange.medo._values import format_datetime, parse_datetime
from edmscore.exchange.medo._xml import parse_xml

from .test_container import FILES, PASSPORT, build_container

_PIECES = st.sampled_from(
    ["..", ".", "\\", "/", "C:", "D:\\MailToMin\\", "CON", "nul.txt", "a", "б", " ", "\x00", "~"]
)
_ENTRY = st.lists(_PIECES | st.text(max_size=5), min_size=1, max_size=7).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(_ENTRY, min_size=1, max_size=4), utf8=st.booleans())
def test_an_envelope_entry_is_a_plain_name_or_refused(entries: list[str], utf8: bool) -> None:
    body = "".join(f"{i}={e}\n" for i, e in enumerate(entries))
    text = f"[ПИСЬМО КП ПС СЗИ]\nТЕМА=x\n[ФАЙЛЫ]\n{body}[ТЕКСТ]\nФАЙЛ={entries[0]}\n"
    try:
        data = text.encode("utf-8" if utf8 else "cp1251")
    except UnicodeEncodeError:
        return
    try:
        envelope = parse_envelope(data)
    except EdmsError:
        return
    for name in (*envelope.files, envelope.text_file or "x"):
        assert "\\" not in name and "/" not in name and name not in (".", "..")
        for path in (PurePosixPath("/letter") / name, PureWindowsPath("C:\\letter") / name):
            assert path.parent.name == "letter"


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_any_bytes_as_a_container_give_a_typed_error(data: bytes) -> None:
    with contextlib.suppress(EdmsError):
        read_container(b"PK\x03\x04" + data, source="in.zip")


def _valid_container() -> bytes:
    return build_container(PASSPORT, FILES)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_corrupted_container_gives_a_typed_error(data: st.DataObject) -> None:
    raw = bytearray(_valid_container())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    try:
        container = read_container(bytes(raw), source="in.zip")
    except EdmsError:
        return
    for member in container.members:
        assert container.read(member.name)  # readable, within its size


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(
        [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
    ),
    name=_ENTRY,
)
def test_any_member_name_or_method_is_a_value_or_typed(method: int, name: str) -> None:
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr(zipfile.ZipInfo(name), b"<x/>", compress_type=method)
    except (ValueError, IndexError, UnicodeEncodeError):
        return
    with contextlib.suppress(EdmsError):
        read_container(out.getvalue())


_TEXT = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    namespace=st.sampled_from([CONTAINER_NS_27, CONTAINER_NS_271]),
    kind=_TEXT,
    annotation=_TEXT,
    number=st.from_regex(r"[А-Яа-я0-9/-]{1,31}", fullmatch=True),
    title=_TEXT,
)
def test_a_written_passport_reads_back_and_maps_to_a_document(
    namespace: str, kind: str, annotation: str, number: str, title: str
) -> None:
    import attrs

    author = attrs.evolve(PASSPORT.authors[0], number=number)
    passport = attrs.evolve(
        PASSPORT,
        namespace=namespace,
        document_kind=kind,
        annotation=annotation,
        authors=(author,),
        addressees=((title, None),),
    )
    data = build_passport(passport)
    root, _ = parse_xml(data, source="passport.xml")
    again = read_passport(root, source="passport.xml")
    assert again == passport
    if namespace == CONTAINER_NS_27:
        assert check_schema(data).status is SchemaStatus.VALID, check_schema(data).errors
    message = Message(
        header=Header(source=Partner(uid=PASSPORT.uid or "", organization="x")),
        content=ContainerReference("document.edc.zip"),
        version="2.7.1" if namespace == CONTAINER_NS_271 else "2.7",
    )
    document = passport_document(again, message)
    assert document.num.number == number
    assert document.kind is not None and document.kind.value == kind[:511]


@settings(max_examples=300)
@given(st.datetimes(min_value=__import__("datetime").datetime(1600, 1, 1)))
def test_any_time_read_without_an_offset_round_trips(value: object) -> None:
    import datetime as dt

    assert isinstance(value, dt.datetime)
    text = value.replace(microsecond=0).isoformat()
    parsed = parse_datetime(text, "Europe/Moscow")
    written = format_datetime(parsed)
    assert parse_datetime(written, "Europe/Moscow") == parsed
    offset = written[19:]
    assert offset == "" or (len(offset) == 6 and offset[0] in "+-")
    assert pendulum.parse(written) is not None
