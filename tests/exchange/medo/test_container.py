"""2.7 / 2.7.1 containers: build and read, and hostile archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import attrs
import pendulum
import pytest

from edmscore.errors import MedoFormatError, MedoUnsafeInput
from edmscore.exchange.medo import (
    CONTAINER_NS_271,
    ContainerAttachment,
    ContainerAuthor,
    ContainerSigner,
    Limits,
    Passport,
    StampPosition,
    build_container,
    build_passport,
    read_container,
)

PDF = b"%PDF-1.7\n" + b"content " * 1000

PASSPORT = Passport(
    uid="5f0e1c2d-0000-4000-8000-000000000001",
    document_name="document.pdf",
    pages=3,
    document_kind="Письмо",
    annotation="О проведении совещания",
    authors=(
        ContainerAuthor(
            organization="Правительство края",
            number="01-15/123",
            date=pendulum.date(2024, 3, 1),
            registration_stamp="regStamp.png",
            stamp_position=StampPosition(page=1, x=20, y=30, width=60, height=15),
            signers=(
                ContainerSigner(
                    post="Губернатор",
                    name="Иванов И.И.",
                    signature="document.pdf.p7s",
                    stamp="stamp.png",
                    stamp_position=StampPosition(page=3, x=100, y=200, width=90, height=30),
                ),
            ),
        ),
    ),
    addressees=(("Администрация района", None),),
    attachments=(ContainerAttachment("Приложение.pdf", 1, "Смета", "Приложение.pdf.p7s"),),
)
FILES = {
    "document.pdf": PDF,
    "document.pdf.p7s": b"sig",
    "regStamp.png": b"\x89PNG",
    "stamp.png": b"\x89PNG2",
    "Приложение.pdf": PDF,
    "Приложение.pdf.p7s": b"sig2",
}


def test_build_then_read() -> None:
    data = build_container(PASSPORT, FILES, container_signature=b"whole")
    container = read_container(data, source="document.edc.zip")
    # the passport names the container signature it was built with
    assert container.passport == attrs.evolve(PASSPORT, container_signature="containerSign.p7s")
    assert container.missing == ()
    assert container.extra == ()
    assert container.container_signature == "containerSign.p7s"
    assert container.read("Приложение.pdf") == PDF
    assert {m.name for m in container.members} == {*FILES, "passport.xml", "containerSign.p7s"}


def test_extract_writes_members(tmp_path: Path) -> None:
    container = read_container(build_container(PASSPORT, FILES))
    written = container.extract(tmp_path / "out")
    assert (tmp_path / "out" / "Приложение.pdf").read_bytes() == PDF
    assert len(written) == len(FILES) + 1


def test_building_needs_a_pdf_and_a_signature_and_every_file() -> None:
    with pytest.raises(MedoFormatError, match="PDF"):
        build_container(Passport(uid=None, document_name="d.doc", pages=1), {"d.doc": b""})
    with pytest.raises(MedoFormatError, match="p7s"):
        build_container(Passport(uid=None, document_name="d.pdf", pages=1), {"d.pdf": PDF})
    with pytest.raises(MedoFormatError, match=r"stamp\.png"):
        build_container(PASSPORT, {k: v for k, v in FILES.items() if k != "stamp.png"})


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_cp866_member_names_are_decoded() -> None:
    real = "Приложение.pdf"
    placeholder = "X" * (len(real) - 4) + ".pdf"
    members = {k: v for k, v in FILES.items() if k != real}
    data = _zip({"passport.xml": build_passport(PASSPORT), **members, placeholder: PDF})
    # rewrite the ASCII placeholder as a cp866 name without the UTF-8 flag, as DOS tools do
    data = data.replace(placeholder.encode("ascii"), real.encode("cp866"))
    with zipfile.ZipFile(io.BytesIO(data)) as raw:
        assert real not in raw.namelist()  # Python alone reads it as cp437 mojibake
    container = read_container(data)
    assert real in {m.name for m in container.members}
    assert container.read(real) == PDF
    assert container.missing == ()


@pytest.mark.parametrize(
    "name", ["../evil.pdf", "/etc/cron.d/x", "..\\evil.pdf", "sub/a.pdf", "C:\\x.pdf"]
)
def test_zip_slip_is_refused(name: str) -> None:
    with pytest.raises(MedoUnsafeInput):
        read_container(_zip({"passport.xml": b"<x/>", name: b"x"}))


def test_folders_are_refused() -> None:
    with pytest.raises(MedoUnsafeInput, match="folders"):
        read_container(_zip({"passport.xml": b"<x/>", "sub/": b""}))


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(MedoUnsafeInput, match="twice"):
        read_container(_zip({"passport.xml": b"<x/>", "a.pdf": b"1", "A.PDF": b"2"}))


def test_zip_bomb_by_ratio_is_refused() -> None:
    with pytest.raises(MedoUnsafeInput, match="ratio"):
        read_container(_zip({"passport.xml": b"<x/>", "bomb.pdf": bytes(5_000_000)}))


def test_zip_bomb_by_total_size_is_refused() -> None:
    data = _zip({"passport.xml": b"<x/>", "a.pdf": b"a" * 1000, "b.pdf": b"b" * 1000})
    with pytest.raises(MedoUnsafeInput, match="more than allowed"):
        read_container(data, limits=Limits(max_total_bytes=1500, max_ratio=10_000))


def test_too_many_members_are_refused() -> None:
    data = _zip({f"{i}.pdf": b"x" for i in range(20)})
    with pytest.raises(MedoUnsafeInput, match="members"):
        read_container(data, limits=Limits(max_members=10))


def test_not_a_zip() -> None:
    with pytest.raises(MedoFormatError, match="not a zip"):
        read_container(b"PK\x03\x04garbage", source="x.zip")


def test_missing_and_extra_members_are_reported() -> None:
    data = build_container(PASSPORT, FILES)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            if info.filename != "stamp.png":
                dst.writestr(info, src.read(info))
        dst.writestr("notes.txt", b"x")
    container = read_container(broken.getvalue())
    assert container.missing == ("stamp.png",)
    assert container.extra == ("notes.txt",)


def test_a_dtd_in_the_passport_is_refused() -> None:
    passport = b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY e SYSTEM "file:///etc/passwd">]><c/>'
    with pytest.raises(MedoUnsafeInput):
        read_container(_zip({"passport.xml": passport}))


def test_a_2_7_1_description_gives_the_router_fields() -> None:
    passport = f"""<?xml version="1.0" encoding="UTF-8"?>
<c:container xmlns:c="{CONTAINER_NS_271}" c:uid="5f0e1c2d-0000-4000-8000-000000000002">
  <c:requisites><c:annotation>О совещании</c:annotation>
    <c:classification>ДСП</c:classification></c:requisites>
  <c:authors><c:author><c:registration><c:number>12</c:number><c:date>2025-01-15</c:date>
  </c:registration></c:author></c:authors>
  <c:addressees><c:addressee><c:organization c:id="42"><c:title>Район</c:title>
  </c:organization></c:addressee></c:addressees>
  <c:document c:localName="document.pdf"><c:pagesQuantity>4</c:pagesQuantity></c:document>
</c:container>""".encode()
    container = read_container(
        _zip({"passport.xml": passport, "document.pdf": PDF, "containerSign.p7s": b"s"})
    )
    got = container.passport
    assert got.namespace == CONTAINER_NS_271
    assert (got.document_name, got.pages, got.annotation) == ("document.pdf", 4, "О совещании")
    assert got.classification == "ДСП"
    assert got.authors[0].number == "12"
    assert got.authors[0].date == pendulum.date(2025, 1, 15)
    assert got.addressees == (("Район", "42"),)
    assert container.container_signature == "containerSign.p7s"
