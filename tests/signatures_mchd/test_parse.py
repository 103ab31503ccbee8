"""Reading real МЧД files: the facts equal those lxml reads by XPath, the XSD accepts the files."""

from __future__ import annotations

import pendulum
import pytest
from lxml import etree

from edmscore.errors import PoaFormatError
from edmscore.signatures.mchd import PoaFormat, Substitution, parse_poa

from ._fixtures import CORPUS, DOVBB, XSD, read, valid_emchd

NS = {"m": "urn://x-artefacts/EMCHD_1"}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def test_corpus_is_there() -> None:
    assert len(valid_emchd()) == 6


@pytest.mark.parametrize("name", valid_emchd())
def test_unified_format_reads_as_xpath_says(name: str, schema: etree.XMLSchema) -> None:
    data = read(name)
    tree = etree.fromstring(data)
    assert schema.validate(tree.getroottree()), schema.error_log
    poa = parse_poa(data)
    info = tree.find("m:Документ/m:Довер/m:СвДов", NS)
    assert info is not None
    assert poa.format is PoaFormat.EMCHD_1
    assert poa.number == info.get("НомДовер")
    assert poa.internal_number == info.get("ВнНомДовер")
    assert poa.issued.isoformat() == info.get("ДатаВыдДовер")
    assert poa.valid_until.isoformat() == info.get("СрокДейст")
    assert poa.substitution.value == info.get("ПрПередов")
    org = tree.find(".//m:СвРосОрг", NS)
    assert org is not None
    assert (poa.principal.inn, poa.principal.ogrn) == (org.get("ИННЮЛ"), org.get("ОГРН"))
    codes = [e.get("КодПолн") for e in tree.iterfind(".//m:СвПолн/m:МашПолн", NS)]
    assert [p.code for p in poa.powers] == codes
    reps = tree.findall(".//m:СвУпПред//m:СведФизЛ", NS)
    assert [r.snils for r in poa.representatives] == [e.get("СНИЛС") for e in reps]
    head_fl = tree.find(".//m:ЛицоБезДов/m:СвФЛ", NS)
    assert head_fl is not None
    assert poa.principal.heads[0].snils == head_fl.get("СНИЛС")
    assert poa.status_url is not None and poa.number in poa.status_url


def test_restrictions_of_coded_powers_are_kept() -> None:
    poa = parse_poa(read("ON_EMCHD_20250523_46b84724-c65b-488e-a640-ec0498da68d8"))
    sign = next(p for p in poa.powers if p.code == "KLASS_2.0_SIGN")
    assert sign.restrictions == ("Товарная накладная по форме ТОРГ-12",)
    transmit = next(p for p in poa.powers if p.code == "KLASS_2.0_TRANSMIT")
    assert len(transmit.restrictions) == 2


def test_earlier_fns_format_in_windows_1251() -> None:
    data = read(DOVBB)
    assert b'encoding="windows-1251"' in data
    poa = parse_poa(data)
    assert poa.format is PoaFormat.FNS_002
    assert poa.number == "cfeae40d-e613-48ff-989f-f6b45590e338"
    assert poa.valid_until == pendulum.Date(2025, 9, 1)  # ДатаКонДовер
    assert poa.substitution is Substitution.ONCE
    assert poa.principal.inn == "7814148471"
    # Format 002 names the head in «Подписант»; his СНИЛС comes from «ЛицоБезДов».
    assert poa.principal.heads[0].full_name == "Сорокин Владимир Леонидович"
    assert poa.principal.heads[0].snils == "025-332-564 22"
    assert poa.representatives[0].full_name == "Беляев Сергей Сергеевич"
    assert len(poa.powers) == 4
    assert all(p.code is None for p in poa.powers)
    assert poa.powers[0].name.startswith("В соответствии с условиями")


def test_substitution_on_the_schema(schema: etree.XMLSchema) -> None:
    data = (CORPUS / "schema" / "substitution_EMCHD_1.xml").read_bytes()
    assert schema.validate(etree.fromstring(data).getroottree()), schema.error_log
    poa = parse_poa(data)
    assert poa.is_substitution
    assert poa.parent is not None
    assert poa.parent.number == "323e64bf-0958-4c4f-a8ea-c026ee742cb4"
    assert poa.principal.inn == "7714350892"
    assert poa.representatives[0].surname == "АЛФИМОВА"
    assert poa.substitution is Substitution.FORBIDDEN
    assert [p.code for p in poa.powers] == ["2_FNS02"]


def test_a_file_without_its_document_is_a_typed_error() -> None:
    with pytest.raises(PoaFormatError) as caught:
        parse_poa((CORPUS / "bad_delete_field_1.xml").read_bytes())
    assert caught.value.field == "Доверенность/Документ"
    assert caught.value.code == "POA_FORMAT"
