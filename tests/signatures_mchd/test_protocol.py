"""The verification protocol: the PDF read back by pypdf and checked by qpdf and poppler, the HTML
parsed by lxml; both carry the facts of the JSON report."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pendulum
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from edmscore.pdf import (
    ESignatureMark,
    SignatureMarkData,
    Stamp,
    VerificationProtocol,
    protocol_html,
    protocol_pdf,
    stamp_pdf,
)
from edmscore.signatures import Status, TrustAnchors, verify
from edmscore.signatures.mchd import (
    PoaAction,
    RegistryAnswer,
    RegistryState,
    StaticPoaRegistry,
    verify_with_poa,
)
from tests.signatures._corpus import accredited_ders

from ._fixtures import SIGNED, SIGNED_AT, head, pki, read, representative, stranger

DOCUMENT = "Товарная накладная № 17 от 10.12.2024".encode()
NAME = "Товарная накладная № 17 <от 10.12.2024>.pdf"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    anchors = TrustAnchors.load([*accredited_ders(), pki().root.certificate])
    signature = pki().sign(
        DOCUMENT, representative(), cosigners=[head(), stranger()], signing_time=SIGNED_AT
    )
    return verify_with_poa(
        DOCUMENT,
        signature,
        poa=read(SIGNED),
        poa_signature=read(f"{SIGNED}.sig"),
        trust_anchors=anchors,
        at=SIGNED_AT.add(hours=1),
        action=PoaAction("Подписание накладной", keywords=["товарные накладные"]),
        registry=StaticPoaRegistry(
            {"c61a40df-d38f-4800-9ba4-61a2df016993": RegistryAnswer(RegistryState.ACTIVE)}
        ),
    )


@pytest.fixture(scope="module")
def protocol(result) -> VerificationProtocol:  # type: ignore[no-untyped-def]
    return VerificationProtocol.of(
        NAME, DOCUMENT, result, system="Региональный сервис проверки ЭП", created_at=SIGNED_AT
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_pdf_carries_the_reports_facts(result, protocol: VerificationProtocol) -> None:  # type: ignore[no-untyped-def]
    pdf = protocol_pdf(protocol)
    text = _text(pdf)
    assert "ПРОТОКОЛ ПРОВЕРКИ ЭЛЕКТРОННОЙ ПОДПИСИ" in text
    assert protocol.sha256 in text.replace(" ", "")
    plain = result.to_dict()
    assert len(plain["signature"]["signers"]) == 3
    for signer in plain["signature"]["signers"]:
        assert signer["certificate"]["serial"].upper() in text.replace(" ", "")
    assert "c61a40df-d38f-4800-9ba4-61a2df016993" in text.replace(" ", "")
    assert "АЛФИМОВА АННА СЕРГЕЕВНА" in text
    # The stranger is no representative: the verdict is invalid and the reason is printed.
    assert result.status is Status.INVALID
    assert "Подпись недействительна" in text
    assert "подписант не является представителем по доверенности" in text


def test_pdf_embeds_its_fonts_and_passes_qpdf(
    protocol: VerificationProtocol, tmp_path: Path
) -> None:
    pdf = protocol_pdf(protocol)
    path = tmp_path / "protocol.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdffonts") is None or shutil.which("qpdf") is None:
        pytest.skip("poppler-utils or qpdf are not installed")
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows, fonts.stdout
    assert all(row.split()[-5] == "yes" for row in rows)  # emb
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    assert list(tmp_path.glob("page*.png"))


def _content(element: object) -> str:
    assert element is not None
    return str(element.text_content())  # type: ignore[attr-defined]


def test_html_has_the_same_rows_and_escapes(protocol: VerificationProtocol) -> None:
    page = protocol_html(protocol)
    assert "<от 10.12.2024>" not in page  # the document name is escaped
    tree = lxml_html.fromstring(page)
    rows = [(_content(tr.find("th")), _content(tr.find("td"))) for tr in tree.iter("tr")]
    expected = [row for section in protocol.sections() for row in section.rows]
    assert rows == expected
    verdict = tree.find(".//p[@id='verdict']")
    assert verdict is not None
    assert _content(verdict) == "Подпись недействительна"


def test_a_single_valid_signature_without_poa() -> None:
    signature = pki().sign(DOCUMENT, head(), signing_time=pendulum.now("UTC"))
    report = verify(DOCUMENT, signature, trust_anchors=[pki().root.certificate])
    protocol = VerificationProtocol.of("Письмо.pdf", DOCUMENT, report)
    assert report.status is Status.VALID
    text = _text(protocol_pdf(protocol))
    assert "Подпись действительна" in text
    assert "Машиночитаемая доверенность" not in text


def test_the_mark_carries_the_poa_number(result, protocol: VerificationProtocol) -> None:  # type: ignore[no-untyped-def]
    marks = SignatureMarkData.from_report(result)
    assert [m.power_of_attorney for m in marks] == [
        "c61a40df-d38f-4800-9ba4-61a2df016993",  # the representative
        None,  # the head signs without a power of attorney
        None,  # a stranger the МЧД does not name
    ]
    assert marks[0].lines()[-1] == "Доверенность № c61a40df-d38f-4800-9ba4-61a2df016993"
    assert len(marks[1].lines()) == 3
    # Stamped on the protocol itself and read back from the page.
    stamped = stamp_pdf(protocol_pdf(protocol), [Stamp(ESignatureMark(marks[0]))]).pdf
    reader = PdfReader(io.BytesIO(stamped))
    text = " ".join((reader.pages[-1].extract_text() or "").split())
    assert "Доверенность № c61a40df-d38f-4800-9ba4-61a2df016993" in text
