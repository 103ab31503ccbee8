"""Electronic transfer packages of real PDFs: PDF/A renditions judged by qpdf, metadata by the
XSD (lxml and xmllint), signatures with long-term evidence re-verified, the reader's bounds.

The documents are real files of ``tests/corpus/pdf`` and ``tests/corpus/scanning`` (their
sources are in those folders' PROVENANCE files)."""

from __future__ import annotations

import functools
import io
import pathlib
import shutil
import subprocess
import zipfile

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.archive._package_meta import (
    CaseEntry,
    PackageMetadata,
    metadata_xml,
    parse_metadata,
    schema_bytes,
)
from edmscore.archive.package import MANIFEST, METADATA, PackageDocument, build_package
from edmscore.archive.package_reader import PackageLimits, PackageReport, Severity, read_package
from edmscore.archive.pdfa import check_pdfa, to_pdfa
from edmscore.errors import (
    PackageUnsafe,
    PdfaConversionFailed,
    PdfDamaged,
    PdfEncrypted,
    TransferPackageError,
)
from edmscore.signatures import SubjectFields
from edmscore.signatures.evidence import (
    add_esc_timestamp,
    add_signature_timestamp,
    add_validation_data,
    esc_timestamp_imprint,
    signature_timestamp_imprint,
)
from edmscore.testing.ltv import ocsp_response, timestamp_token
from edmscore.testing.pki import TestPki

CORPUS = pathlib.Path(__file__).parent.parent / "corpus"
SIGNED = pendulum.datetime(2023, 5, 15, 9, tz="UTC")
TODAY = pendulum.datetime(2026, 3, 2, 10, tz="UTC")
#: Real documents: a Google Docs letter, an OCR'd scan, a PDF/A-2b already, a CCITT scan.
FILES = (
    "pdf/google-docs-letter.pdf",
    "pdf/scan-ocr-vicksburg.pdf",
    "pdf/pdfa2-issue13242.pdf",
    "scanning/ccitt.pdf",
)
CASE = CaseEntry(
    "case-1",
    "01-01",
    "Приказы по основной деятельности",
    2024,
    "Постоянно ст. 19а",
    12,
    1,
    pendulum.date(2024, 3, 1),
    pendulum.date(2024, 3, 4),
    "Опись № 1 дел постоянного хранения за 2024 год",
    "5",
    "tr-1",
)

needs_gs = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript is not installed")


@functools.cache
def _pki() -> TestPki:
    """The test PKI standing in for an accredited CA with its TSA and OCSP responder."""
    return TestPki.create("ecdsa", not_before=SIGNED.subtract(years=2))


def _x_long(content: bytes) -> bytes:
    """A CAdES-X Long Type 1 signature over ``content`` by a certificate expired since."""
    pki = _pki()
    signer = pki.issue(
        SubjectFields(surname="Иванова", given_name="Мария Сергеевна"),
        not_before=SIGNED.subtract(months=3),
        not_after=SIGNED.add(months=9),
    )
    tsa = pki.issue(
        SubjectFields(common_name="Служба штампов времени"),
        not_before=SIGNED.subtract(months=3),
        not_after=SIGNED.add(years=6),
        time_stamping=True,
    )
    bes = pki.sign(content, signer, signing_time=SIGNED)
    token = timestamp_token(tsa, signature_timestamp_imprint(bes), at=SIGNED.add(minutes=1))
    status = ocsp_response(pki.root, signer, this_update=SIGNED.add(minutes=5), wrapped=False)
    values = add_validation_data(
        add_signature_timestamp(bes, token),
        certificates=[pki.root.certificate],
        ocsp_responses=[status],
    )
    esc = timestamp_token(tsa, esc_timestamp_imprint(values), at=SIGNED.add(minutes=6))
    return add_esc_timestamp(values, esc)


def _documents() -> list[PackageDocument]:
    documents = []
    for n, name in enumerate(FILES, 1):
        data = (CORPUS / name).read_bytes()
        documents.append(
            PackageDocument(
                f"card-{n}",
                f"01-01/{n}",
                pendulum.date(2024, 3, n),
                f"Документ {n}",
                data,
                pathlib.Path(name).name,
                "Приказ",
                "Министерство цифрового развития",
                (_x_long(data),),
            )
        )
    return documents


@functools.cache
def _package() -> tuple[bytes, PackageMetadata]:
    out = io.BytesIO()
    metadata = build_package(
        out,
        package_id="pkg-1",
        organisation="Министерство цифрового развития",
        organisation_id="org-1",
        case=CASE,
        documents=_documents(),
        created=TODAY,
        fund="Р-123",
        trust_anchors=[_pki().root.certificate],
    )
    return out.getvalue(), metadata


def _read(data: bytes) -> PackageReport:
    return read_package(io.BytesIO(data), trust_anchors=[_pki().root.certificate], at=TODAY)


@needs_gs
def test_a_package_of_real_pdfs_round_trips() -> None:
    data, metadata = _package()
    report = read_package(io.BytesIO(data), trust_anchors=[_pki().root.certificate], at=TODAY)
    assert report.ok, report.findings
    assert report.findings == ()
    assert report.metadata == metadata
    assert report.signatures_checked == len(FILES)
    assert [d.archival.format for d in metadata.documents] == ["PDF/A-2b"] * len(FILES)
    # The document that was PDF/A already is its own rendition: stored once, signature intact.
    third = metadata.documents[2]
    assert third.archival.path == third.original.path
    for document in metadata.documents:
        (signature,) = document.signatures
        assert signature.level == "CAdES-X Long Type 1"
        assert signature.status == "valid"  # the certificate expired; the timestamps prove it
        assert signature.signs == document.original.path
        assert "Иванова" in signature.signer


@needs_gs
def test_the_renditions_pass_qpdf_and_carry_pdfa_identification(tmp_path: pathlib.Path) -> None:
    data, metadata = _package()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for document in metadata.documents:
            rendition = archive.read(document.archival.path)
            path = tmp_path / "r.pdf"
            path.write_bytes(rendition)
            done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=False)
            assert done.returncode == 0, done.stdout
            check = check_pdfa(rendition)
            assert check.conforms and check.part == 2 and check.output_intent
            assert b"pdfaid:part" in rendition and b"/OutputIntents" in rendition
            original = check_pdfa(archive.read(document.original.path))
            assert check.pages == original.pages == document.pages


@needs_gs
def test_the_metadata_is_valid_against_the_shipped_xsd(tmp_path: pathlib.Path) -> None:
    data, metadata = _package()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(METADATA)
        assert archive.read("schema/transfer-package-1.xsd") == schema_bytes()
        manifest = archive.read(MANIFEST).decode()
    assert parse_metadata(xml) == metadata
    (tmp_path / "m.xml").write_bytes(xml)
    (tmp_path / "s.xsd").write_bytes(schema_bytes())
    if shutil.which("xmllint"):
        done = subprocess.run(
            [
                "xmllint",
                "--noout",
                "--nonet",
                "--schema",
                str(tmp_path / "s.xsd"),
                str(tmp_path / "m.xml"),
            ],
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    # Every file but the manifest is listed once with its SHA-256.
    paths = [line.split("  ", 1)[1] for line in manifest.splitlines()]
    assert sorted(paths) == sorted(set(paths))
    assert METADATA in paths and MANIFEST not in paths
    assert "Министерство цифрового развития" in xml.decode()
    bad = xml.replace(b'registrationDate="2024-03-01"', b'registrationDate="01.03.2024"')
    with pytest.raises(TransferPackageError):
        parse_metadata(bad)
    with pytest.raises(TransferPackageError):  # an entity is not expanded, the XML is refused
        parse_metadata(b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e "x">]><p>&e;</p>')


def _rezip(
    data: bytes, change: dict[str, bytes | None], extra: dict[str, bytes] | None = None
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in change:
                replaced = change[info.filename]
                if replaced is not None:
                    dst.writestr(info.filename, replaced)
                continue
            dst.writestr(info, src.read(info))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


@needs_gs
def test_the_reader_finds_what_is_wrong() -> None:
    data, metadata = _package()
    first = metadata.documents[0]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pdf = archive.read(first.archival.path)
        signature = archive.read(first.signatures[0].file.path)
        original = archive.read(first.original.path)
    cases = {
        "hash_mismatch": _rezip(data, {first.archival.path: pdf[:-1] + b"\x00"}),
        "missing_file": _rezip(data, {first.archival.path: None}),
        "unlisted_file": _rezip(data, {}, {"documents/001/extra.txt": b"x"}),
        "signature_invalid": _rezip(data, {first.original.path: original + b"\n"}),
        "signature_unreadable": _rezip(data, {first.signatures[0].file.path: signature[:40]}),
    }
    for code, changed in cases.items():
        report = _read(changed)
        assert not report.ok
        assert code in {f.code for f in report.findings}, (code, report.findings)


def _entry(name: str, data: bytes, **kwargs: object) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def test_unsafe_packages_are_refused_before_unpacking() -> None:
    with pytest.raises(PackageUnsafe):  # a path out of the package
        read_package(io.BytesIO(_entry("../../etc/passwd", b"x")))
    with pytest.raises(PackageUnsafe):  # an absolute path
        read_package(io.BytesIO(_entry("/etc/passwd", b"x")))
    bomb = _entry("metadata.xml", b"\x00" * (64 * 1024 * 1024))
    assert len(bomb) < 200_000
    with pytest.raises(PackageUnsafe):  # 64 MiB from a few KB: a zip bomb
        read_package(io.BytesIO(bomb))
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(50):
            archive.writestr(f"f{n}", b"")
    with pytest.raises(PackageUnsafe):
        read_package(io.BytesIO(many.getvalue()), limits=PackageLimits(max_entries=10))
    with pytest.raises(PackageUnsafe):
        read_package(io.BytesIO(_entry("a", b"x" * 100)), limits=PackageLimits(max_bytes=10))
    link = io.BytesIO()
    with zipfile.ZipFile(link, "w") as archive:
        info = zipfile.ZipInfo("documents/001/original.pdf")
        info.external_attr = (0o120777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(PackageUnsafe):
        read_package(io.BytesIO(link.getvalue()))
    with pytest.raises(TransferPackageError):
        read_package(io.BytesIO(b"not a zip at all"))
    with pytest.raises(TransferPackageError):  # a ZIP with no metadata
        read_package(io.BytesIO(_entry("readme.txt", b"hello")))


def _entries(data: bytes) -> dict[str, bytes] | None:
    """Every entry's name and bytes as Python's zipfile reads them; None if it cannot."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {info.filename: archive.read(info) for info in archive.infolist()}
    except Exception:
        return None


@needs_gs
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_flipped_byte_is_found(draw: st.DataObject) -> None:
    data, metadata = _package()
    at = draw.draw(st.integers(0, len(data) - 1), label="position")
    bit = draw.draw(st.integers(0, 7), label="bit")
    flipped = bytearray(data)
    flipped[at] ^= 1 << bit
    try:
        report = _read(bytes(flipped))
    except (TransferPackageError, PackageUnsafe):
        return  # refused: found
    if report.ok:
        # Only a flip that changes nothing the package holds may pass: a reserved byte or a
        # disk number of the ZIP directory no reader uses, deflate bits that decode the same.
        assert _entries(bytes(flipped)) == _entries(data), at
        assert report.metadata == metadata


@needs_gs
def test_pdfa_conversion_of_bad_input_is_a_typed_error() -> None:
    with pytest.raises(PdfEncrypted):
        to_pdfa((CORPUS / "pdf/encrypted-r4-user-password.pdf").read_bytes())
    with pytest.raises(PdfDamaged):
        to_pdfa((CORPUS / "pdf/broken-append-content.pdf").read_bytes())
    with pytest.raises(PdfDamaged):
        to_pdfa(b"%PDF-1.4 nothing else")
    documents = _documents()[:1]
    bad = attrs.evolve(documents[0], content=b"PK\x03\x04 a zip, not a PDF")
    with pytest.raises(PdfDamaged):
        build_package(
            io.BytesIO(),
            package_id="p",
            organisation="О",
            organisation_id="o",
            case=CASE,
            documents=[bad],
            created=TODAY,
        )
    assert issubclass(PdfaConversionFailed, PdfDamaged.__mro__[1])


def test_metadata_xml_round_trips_without_documents() -> None:
    metadata = PackageMetadata("p", TODAY, "Орган", "o", CASE)
    assert parse_metadata(metadata_xml(metadata)) == metadata
    assert Severity.ERROR.value == "error"


_CORPUS_PDFS = sorted(
    p.relative_to(CORPUS).as_posix()
    for folder in ("pdf", "scanning")
    for p in (CORPUS / folder).glob("*.pdf")
    if p.stat().st_size < 1_000_000  # the 2.5 MB book takes Ghostscript half a minute
)


@needs_gs
@pytest.mark.parametrize("name", _CORPUS_PDFS)
def test_every_real_pdf_converts_or_is_a_typed_error(name: str, tmp_path: pathlib.Path) -> None:
    from edmscore.errors import PdfError

    data = (CORPUS / name).read_bytes()
    try:
        rendition = to_pdfa(data)
    except PdfError as exc:  # encrypted with a user password, or not a readable PDF at all
        assert isinstance(exc, (PdfEncrypted, PdfDamaged)), exc
        return
    check = check_pdfa(rendition)
    assert check.conforms and check.part is not None
    assert check.pages == check_pdfa(data).pages
    (tmp_path / "r.pdf").write_bytes(rendition)
    done = subprocess.run(
        ["qpdf", "--check", str(tmp_path / "r.pdf")], capture_output=True, check=False
    )
    assert done.returncode in (0, 3), done.stdout  # 3: warnings only
