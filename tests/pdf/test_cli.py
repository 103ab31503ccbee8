"""``edmscore stamp`` on the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from edmscore.cli import main

from .conftest import signature_image


def test_stamp_with_fields_facsimile_and_marks(
    tmp_path: Path, libreoffice_pdfs: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "letter.pdf", tmp_path / "stamped.pdf"
    source.write_bytes(libreoffice_pdfs["A4"])
    facsimile = tmp_path / "sign.png"
    facsimile.write_bytes(signature_image())
    code = main(
        [
            "stamp", str(source), str(target),
            "--owner", "Петров Пётр Петрович", "--serial", "01:D5:A0",
            "--valid-from", "2025-03-01", "--valid-to", "2026-06-01",
            "--facsimile", str(facsimile),
            "--near", "Министр финансов области",
            "--registration", "01-15/123", "--date", "2026-11-25",
            "--dsp", "2", "--qr", "edms:card:01-15/123",
        ]
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "5 mark(s), incremental update" in out
    assert "page 2: e-signature" in out
    assert "[near-text]" in out
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert "Сертификат 01d5a0" in reader.pages[1].extract_text()
    first = reader.pages[0].extract_text()
    assert "Для служебного пользования" in first
    assert "№ 01-15/123 от 25.11.2026" in first


def test_errors_are_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\nnothing else")
    code = main(["stamp", str(junk), str(tmp_path / "out.pdf"), "--dsp"])
    assert code == 1
    assert "cannot be read" in capsys.readouterr().err
    assert main(["stamp", str(junk), str(tmp_path / "out.pdf")]) == 1
    assert "nothing to stamp" in capsys.readouterr().err
    code = main(["stamp", str(junk), str(tmp_path / "o.pdf"), "--dsp", "--offset", "x"])
    assert code == 1
    assert not (tmp_path / "out.pdf").exists()
    missing = main(["stamp", str(tmp_path / "none.pdf"), str(tmp_path / "o.pdf"), "--dsp"])
    assert missing == 1


def test_signature_option_needs_the_signatures_package_and_a_trust_anchor(
    tmp_path: Path, libreoffice_pdfs: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    source = tmp_path / "letter.pdf"
    source.write_bytes(libreoffice_pdfs["A4"])
    signature = tmp_path / "letter.pdf.sig"
    signature.write_bytes(b"0")
    target = tmp_path / "out.pdf"
    code = main(["stamp", str(source), str(target), "--signature", str(signature)])
    assert code == 1
    err = capsys.readouterr().err
    if importlib.util.find_spec("edmscore.signatures") is None:
        assert "needs edmscore.signatures" in err
    else:
        assert "--trust" in err
    assert not target.exists()


def test_signature_option_stamps_the_verified_signers(
    tmp_path: Path, libreoffice_pdfs: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    """With edmscore.signatures in the build: the mark's data come from a verified CMS signature."""
    reason = "edmscore.signatures is not part of this build yet"
    signatures = pytest.importorskip("edmscore.signatures", reason=reason)
    pki_module = pytest.importorskip("edmscore.testing.pki", reason=reason)
    pki = pki_module.TestPki.create()
    signer = pki.issue(
        signatures.SubjectFields(
            surname="Петров", given_name="Пётр", patronymic="Петрович", position="Министр"
        )
    )
    source = tmp_path / "letter.pdf"
    source.write_bytes(libreoffice_pdfs["A4"])
    detached = tmp_path / "letter.pdf.sig"
    detached.write_bytes(pki.sign(source.read_bytes(), signer))
    root = pki.root.certificate_pem
    (tmp_path / "ca.pem").write_bytes(root() if callable(root) else root)
    target = tmp_path / "out.pdf"
    args = ["stamp", str(source), str(target), "--signature", str(detached)]
    args += ["--content", str(source), "--trust", str(tmp_path / "ca.pem")]
    assert main([*args, "--near", "Министр финансов области"]) == 0
    assert "[near-text]" in capsys.readouterr().out
    text = PdfReader(io.BytesIO(target.read_bytes())).pages[1].extract_text()
    assert "Владелец Петров Пётр Петрович" in text
    # A signature over other content does not verify: nothing is stamped.
    detached.write_bytes(pki.sign(b"other content", signer))
    assert main([*args[:2], str(tmp_path / "never.pdf"), *args[3:]]) == 1
    assert "does not verify" in capsys.readouterr().err
    assert not (tmp_path / "never.pdf").exists()


def test_every_mark_is_placeable_with_a_background(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = Path(__file__).resolve().parent.parent / "corpus" / "pdf"
    source, target = corpus / "form-openoffice.pdf", tmp_path / "stamped.pdf"
    code = main(
        [
            "stamp", str(source), str(target),
            "--owner", "Петров Пётр Петрович", "--serial", "01:D5:A0",
            "--valid-from", "2025-03-01", "--valid-to", "2026-06-01",
            "--registration", "01-15/123", "--date", "2026-11-25",
            "--dsp", "2", "--qr", "edms:card:01-15/123",
            "--place", "registration=top-left,30,40",
            "--place", "dsp=bottom-right,10,60",
            "--place", "qr=top-right,15,15",
            "--place", "e-signature=bottom-left,25,25",
            "--on", "qr=1",
            "--background", "#FFFFFF",
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    lines = {line.split(":")[1].split()[0]: line for line in out.splitlines()[1:]}
    assert "(30.0, " in lines["registration"] and "[anchor]" in lines["registration"]
    assert "[anchor]" in lines["restriction"] and "[anchor]" in lines["code"]
    assert "(25.0, 25.0)" in lines["e-signature"]
    # The background is an opaque white fill drawn under each mark.
    page = PdfReader(io.BytesIO(target.read_bytes())).pages[0]
    tail = page.get_contents().get_data()  # type: ignore[union-attr]
    assert tail.count(b"1 1 1 rg 0 0 ") == 4


def test_bad_place_and_background_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = Path(__file__).resolve().parent.parent / "corpus" / "pdf"
    source = corpus / "form-openoffice.pdf"
    for extra in (["--place", "dsp=middle"], ["--place", "stamp=top-left"],
                  ["--background", "grey"]):  # fmt: skip
        assert main(["stamp", str(source), str(tmp_path / "o.pdf"), "--dsp", *extra]) == 1
        assert capsys.readouterr().err
    assert not (tmp_path / "o.pdf").exists()
