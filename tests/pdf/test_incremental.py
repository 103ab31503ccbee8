"""Signed input: an incremental update that leaves the signature intact (checked by pyHanko)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfReader

from edmscore.pdf import ESignatureMark, SignatureMarkData, Stamp, stamp_pdf

from .conftest import assert_marks_exactly_in, assert_upright, raw_pdf, stream

Render = Callable[[bytes, int, int], Image.Image]


@pytest.fixture(scope="module")
def signer() -> tuple[signers.SimpleSigner, asn1_x509.Certificate, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.SURNAME, "Петров"),
            x509.NameAttribute(NameOID.GIVEN_NAME, "Пётр Петрович"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Петров Пётр Петрович"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x5A17C0FFEE)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    asn1_cert = asn1_x509.Certificate.load(der)
    asn1_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    simple = signers.SimpleSigner(
        signing_cert=asn1_cert, signing_key=asn1_key, cert_registry=SimpleCertificateStore()
    )
    return simple, asn1_cert, der


def _sign(pdf: bytes, signer: signers.SimpleSigner) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="Signature1")
    return bytes(signers.sign_pdf(writer, meta, signer=signer).getvalue())


def _status(pdf: bytes, trusted: asn1_x509.Certificate) -> Any:
    reader = PdfFileReader(io.BytesIO(pdf))
    (embedded,) = reader.embedded_signatures
    return validate_pdf_signature(embedded, ValidationContext(trust_roots=[trusted]))


def test_signed_libreoffice_pdf_keeps_its_signature(
    libreoffice_pdfs: dict[str, bytes],
    signer: tuple[signers.SimpleSigner, asn1_x509.Certificate, bytes],
    render: Render,
) -> None:
    simple, trusted, der = signer
    signed = _sign(libreoffice_pdfs["A4"], simple)
    assert _status(signed, trusted).bottom_line
    mark = ESignatureMark(SignatureMarkData.from_certificate(der))
    result = stamp_pdf(signed, [Stamp(mark)])
    # Chosen by itself for a signed file: an incremental update with annotations.
    assert result.incremental
    assert result.annotations
    assert result.pdf.startswith(signed)
    status = _status(result.pdf, trusted)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage.name == "ENTIRE_REVISION"
    # The mark is there for the reader: a printable stamp annotation with an appearance.
    page: Any = PdfReader(io.BytesIO(result.pdf)).pages[1]
    stamps = [a.get_object() for a in page["/Annots"] if a.get_object()["/Subtype"] == "/Stamp"]
    assert len(stamps) == 1
    assert "Владелец Петров Пётр Петрович" in stamps[0]["/Contents"]
    assert stamps[0]["/F"] & 4  # printed
    before, after = render(signed, 2, 40), render(result.pdf, 2, 40)
    assert_marks_exactly_in(before, after, result.placements)


def test_incremental_content_mode_on_request(
    signer: tuple[signers.SimpleSigner, asn1_x509.Certificate, bytes],
) -> None:
    simple, trusted, der = signer
    source = raw_pdf(
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            " /Resources << /Font << /F1 5 0 R >> >> >>",
            stream("BT /F1 12 Tf 72 700 Td (Signed text) Tj ET"),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    signed = _sign(source, simple)
    mark = ESignatureMark(SignatureMarkData.from_certificate(der))
    result = stamp_pdf(signed, [Stamp(mark)], annotations=False)
    assert result.incremental
    assert not result.annotations
    assert result.pdf.startswith(signed)
    status = _status(result.pdf, trusted)
    assert status.intact
    assert status.valid
    text = PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
    assert "Signed text" in text
    assert "Сертификат 5a17c0ffee" in text


def test_input_is_updated_incrementally_unless_a_rewrite_is_asked(
    libreoffice_pdfs: dict[str, bytes],
) -> None:
    data = SignatureMarkData("ab", "Иванов И.И.", "2025-01-01", "2026-01-01")
    source = libreoffice_pdfs["Letter"]
    appended = stamp_pdf(source, [Stamp(ESignatureMark(data))])
    assert appended.incremental
    assert not appended.annotations
    assert appended.pdf.startswith(source)
    full = stamp_pdf(source, [Stamp(ESignatureMark(data))], incremental=False)
    assert not full.incremental
    assert not full.pdf.startswith(source)
    text = PdfReader(io.BytesIO(full.pdf)).pages[-1].extract_text()
    assert "Иванов И.И." in text


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_annotations_read_upright_on_rotated_cropped_pages(
    libreoffice_pdfs: dict[str, bytes], render: Render, rotate: int
) -> None:
    from pypdf.generic import NameObject, NumberObject, RectangleObject

    from edmscore.pdf import Anchor, Corner

    from .conftest import rewrite

    def edit(writer: Any) -> None:
        page = writer.pages[0]
        page[NameObject("/Rotate")] = NumberObject(rotate)
        media = page.mediabox
        page[NameObject("/CropBox")] = RectangleObject(
            [media.left + 25, media.bottom + 35, media.right - 45, media.top - 15]
        )

    source = rewrite(libreoffice_pdfs["A3"], edit)
    data = SignatureMarkData("ab12", "Иванов Иван Иванович", "2025-01-01", "2026-01-01")
    result = stamp_pdf(
        source,
        [Stamp(ESignatureMark(data), "first", Anchor(Corner.TOP_LEFT, 12, 18))],
        incremental=True,
        annotations=True,
    )
    assert result.pdf.startswith(source)
    (placed,) = result.placements
    before, after = render(source, 1, 40), render(result.pdf, 1, 40)
    assert_marks_exactly_in(before, after, result.placements)
    from edmscore.pdf._render import render_mark

    drawn = render(render_mark(ESignatureMark(data)).pdf, 1, 40)
    assert_upright(after, placed, drawn)
    # Upright: the frame is wider than tall as the reader sees it, at the asked corner.
    left, bottom, right, top = placed.box_mm
    assert right - left > 2 * (top - bottom)
    assert left == pytest.approx(12, abs=0.2)
    assert after.height / 40 * 25.4 - top == pytest.approx(18, abs=1.0)


@pytest.mark.parametrize(("permission", "allowed"), [(1, False), (2, False), (3, True)])
def test_certified_documents_follow_their_docmdp_permission(
    libreoffice_pdfs: dict[str, bytes],
    signer: tuple[signers.SimpleSigner, asn1_x509.Certificate, bytes],
    permission: int,
    allowed: bool,
) -> None:
    from pyhanko.sign.fields import MDPPerm

    from edmscore.errors import PdfLocked

    simple, trusted, der = signer
    writer = IncrementalPdfFileWriter(io.BytesIO(libreoffice_pdfs["A4"]))
    meta = signers.PdfSignatureMetadata(
        field_name="Certification", certify=True, docmdp_permissions=MDPPerm(permission)
    )
    certified = bytes(signers.sign_pdf(writer, meta, signer=simple).getvalue())
    stamps = [Stamp(ESignatureMark(SignatureMarkData.from_certificate(der)))]
    if not allowed:
        with pytest.raises(PdfLocked, match=f"permission {permission}"):
            stamp_pdf(certified, stamps)
        return
    result = stamp_pdf(certified, stamps)
    assert (result.incremental, result.annotations) == (True, True)
    assert result.pdf.startswith(certified)
    status = _status(result.pdf, trusted)
    assert status.intact
    assert status.valid
