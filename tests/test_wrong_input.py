"""Errors that name the real cause and the fix: wrong types, a repeated set-up, missing extras."""

from __future__ import annotations

import importlib
import sys

import fpdf
import pytest

from edmscore import Edms, Organisation, User
from edmscore.errors import AlreadySetUp, MissingDependency, PdfDamaged, WrongType
from edmscore.pdf import CodeMark, RestrictionMark, SignatureMarkData, Stamp, stamp_pdf


def _pdf() -> bytes:
    document = fpdf.FPDF()
    document.add_page()
    return bytes(document.output())


def test_a_list_where_one_mark_goes_is_a_wrong_type_not_a_damaged_pdf() -> None:
    with pytest.raises(WrongType) as caught:
        Stamp([RestrictionMark()])  # type: ignore[arg-type]
    assert not isinstance(caught.value, PdfDamaged)
    assert caught.value.field == "Stamp.mark"
    assert caught.value.given == "list"
    assert "list" in caught.value.message() and "list" in caught.value.message("ru")


def test_stamps_of_the_wrong_shape_are_named_before_the_pdf_is_blamed() -> None:
    pdf = _pdf()
    with pytest.raises(WrongType) as caught:
        stamp_pdf(pdf, [RestrictionMark()])  # type: ignore[list-item]
    assert caught.value.field == "stamps[0]"
    with pytest.raises(WrongType) as whole:
        stamp_pdf(pdf, Stamp(RestrictionMark()))  # type: ignore[arg-type]
    assert whole.value.field == "stamps"
    assert stamp_pdf(pdf, [Stamp(RestrictionMark())]).pdf.startswith(b"%PDF")


def test_a_second_set_up_says_the_installation_is_set_up() -> None:
    edms = Edms()
    edms.setup(Organisation("gov", "Администрация"), User("root", "root", "gov"))
    with pytest.raises(AlreadySetUp) as caught:
        edms.setup(Organisation("gov", "Администрация"), User("root", "root", "gov"))
    assert caught.value.code == "ALREADY_SET_UP"
    assert "administration" in caught.value.message()


def test_set_up_with_the_wrong_types_names_the_argument() -> None:
    with pytest.raises(WrongType) as caught:
        Edms().setup("gov", User("root", "root", "gov"))  # type: ignore[arg-type]
    assert caught.value.field == "organisation"
    with pytest.raises(WrongType) as admin:
        Edms().setup(Organisation("gov", "Администрация"), "root")  # type: ignore[arg-type]
    assert admin.value.field == "administrator"


def test_mark_data_from_a_verification_reports_signer() -> None:
    from edmscore.signatures import SubjectFields, verify
    from edmscore.testing.pki import TestPki

    pki = TestPki.create()
    signer = pki.issue(SubjectFields(surname="Петров", given_name="Пётр Петрович"))
    content = b"%PDF-1.7 the signed document"
    root = pki.root.certificate_pem
    report = verify(
        content, pki.sign(content, signer), trust_anchors=[root() if callable(root) else root]
    )
    data = SignatureMarkData.from_signer(report.signers[0])  # type: ignore[arg-type]
    assert data.owner == "Петров Пётр Петрович"
    assert int(data.serial_hex, 16) == signer.serial
    with pytest.raises(WrongType) as caught:
        SignatureMarkData.from_signer(report)  # type: ignore[arg-type]
    assert caught.value.field == "signer"


def test_a_certificate_that_is_not_bytes_is_a_wrong_type() -> None:
    with pytest.raises(WrongType) as caught:
        SignatureMarkData.from_certificate("-----BEGIN CERTIFICATE-----")  # type: ignore[arg-type]
    assert caught.value.field == "certificate"


@pytest.fixture
def without(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Make optional packages unimportable, and forget the modules that imported them."""

    def hide(*packages: str, forget: tuple[str, ...] = ()) -> None:
        for name in list(sys.modules):
            if name.split(".")[0] in packages or name in forget:
                monkeypatch.delitem(sys.modules, name)
        for package in packages:
            monkeypatch.setitem(sys.modules, package, None)

    return hide


def test_a_qr_code_without_segno_names_the_qr_extra(without) -> None:  # type: ignore[no-untyped-def]
    without("segno")
    with pytest.raises(MissingDependency) as caught:
        stamp_pdf(_pdf(), [Stamp(CodeMark("edms:1"))])
    assert (caught.value.package, caught.value.extra) == ("segno", "qr")
    assert "pip install '.[qr]'" in caught.value.message()


@pytest.mark.parametrize(
    ("module", "package"),
    [
        ("edmscore.testing.strategies", "hypothesis"),
        ("edmscore.testing.contract", "pytest"),
        ("edmscore.testing.control_contract", "hypothesis"),
        ("edmscore.exchange.medo.strategies", "hypothesis"),
    ],
)
def test_the_test_kit_without_its_extra_names_the_testing_extra(
    without,  # type: ignore[no-untyped-def]
    module: str,
    package: str,
) -> None:
    kit = tuple(m for m in sys.modules if m.startswith(("edmscore.testing.", module)))
    without(package, forget=kit)
    with pytest.raises(MissingDependency) as caught:
        importlib.import_module(module)
    assert caught.value.extra == "testing"
    assert caught.value.package == package


def test_postgres_without_psycopg_names_the_postgres_extra(without) -> None:  # type: ignore[no-untyped-def]
    from edmscore.storage.sql import postgres_engine

    without("psycopg")
    with pytest.raises(MissingDependency) as caught:
        postgres_engine("postgresql://edms@localhost/edms")
    assert (caught.value.package, caught.value.extra) == ("psycopg", "postgres")


def test_xlsx_without_openpyxl_names_the_xlsx_extra(without) -> None:  # type: ignore[no-untyped-def]
    import pendulum

    from edmscore.reports import appeals_xlsx, build_appeals_report

    report = build_appeals_report([], pendulum.Date(2026, 4, 15))
    without("openpyxl")
    with pytest.raises(MissingDependency) as caught:
        appeals_xlsx(report)
    assert caught.value.extra == "xlsx"
