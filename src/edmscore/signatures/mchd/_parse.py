"""Reading МЧД XML (the unified EMCHD_1 format and the earlier ФНС format 002), hardened.

Entities, DTDs, network access, comments and processing instructions are off; a file with a
DOCTYPE is refused, and so is one over :data:`MAX_POA_BYTES`. Elements are found by local name,
so a file with or without the ``urn://x-artefacts/EMCHD_1`` namespace reads the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pendulum
from lxml import etree

from edmscore.errors import PoaFormatError, PoaUnsafeInput
from edmscore.signatures.mchd._model import (
    ParentPoa,
    PoaFormat,
    PoaPerson,
    Power,
    PowerOfAttorney,
    Principal,
    Substitution,
)

__all__ = ["MAX_POA_BYTES", "parse_poa"]

#: The largest МЧД file read (real ones are a few to some tens of kilobytes).
MAX_POA_BYTES = 1 << 20
_MAX_POWERS = 2000
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{2})\.(\d{2})\.(\d{4})$")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_poa(data: bytes) -> PowerOfAttorney:
    """Read a МЧД from its XML bytes (UTF-8 or Windows-1251, as its declaration says).

    Raises :class:`~edmscore.errors.PoaUnsafeInput` for a DTD or a file over
    :data:`MAX_POA_BYTES`, :class:`~edmscore.errors.PoaFormatError` for anything that is not a
    МЧД of a known format.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise PoaFormatError("data", f"expected bytes, got {type(data).__name__}")
    raw = bytes(data)
    if len(raw) > MAX_POA_BYTES:
        raise PoaUnsafeInput("data", f"{len(raw)} bytes, more than {MAX_POA_BYTES} allowed")
    if not raw.strip():
        raise PoaFormatError("data", "empty file")
    try:
        root = etree.fromstring(raw, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise PoaFormatError("data", f"not well-formed XML ({exc})") from None
    if root is None:
        raise PoaFormatError("data", "no root element")
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
        raise PoaUnsafeInput("DOCTYPE", "a DTD is not allowed in a МЧД")
    if _local(root) != "Доверенность":
        raise PoaFormatError("/", f"the root element is «{_local(root)}», not «Доверенность»")
    version = root.get("ВерсФорм")
    if version == "EMCHD_1":
        poa_format = PoaFormat.EMCHD_1
    elif version == "002":
        poa_format = PoaFormat.FNS_002
    else:
        raise PoaFormatError("Доверенность/@ВерсФорм", f"unknown format version {version!r}")
    document = _require(root, "Документ", "Доверенность")
    body = _child(document, "Довер")
    if body is not None:
        return _direct(body, poa_format, root.get("ИдФайл"))
    passed = _child(document, "Передов")
    if passed is not None and poa_format is PoaFormat.EMCHD_1:
        return _substitution(passed, root.get("ИдФайл"))
    raise PoaFormatError("Документ", "neither «Довер» nor «Передов» is present")


def _direct(body: etree._Element, poa_format: PoaFormat, file_id: str | None) -> PowerOfAttorney:
    info = _require(body, "СвДов", "Довер")
    principals = tuple(_principal(element) for element in _children(body, "СвДоверит")) or _fail(
        "Довер/СвДоверит", "no principal"
    )
    representatives = tuple(
        person for element in _children(body, "СвУпПред") for person in _representatives(element)
    )
    powers = tuple(p for element in _children(body, "СвПолн") for p in _powers(element))
    return _assemble(info, poa_format, file_id, principals, representatives, powers, None)


def _substitution(passed: etree._Element, file_id: str | None) -> PowerOfAttorney:
    first = _require(passed, "СвПервДовер", "Передов")
    info = _require(passed, "СвПереДовер", "Передов")
    base = _child(passed, "СвПередов")
    original = first.get("НомДоверПерв")
    number = (base.get("НомДоверN") if base is not None else None) or original
    if not number:
        raise PoaFormatError("Передов/СвПервДовер/@НомДоверПерв", "the parent number is missing")
    principals = tuple(
        _principal(element) for element in _descendants(first, "ДоверитПерв")
    ) or _fail("Передов/СвПервДовер", "no principal of the original power of attorney")
    representatives = tuple(
        person
        for element in _children(passed, "СвПолучПолн")
        for person in _representatives(element)
    )
    powers = tuple(p for element in _children(passed, "СвПолн") for p in _powers(element))
    parent = ParentPoa(number=number, original_number=original)
    return _assemble(info, PoaFormat.EMCHD_1, file_id, principals, representatives, powers, parent)


def _assemble(
    info: etree._Element,
    poa_format: PoaFormat,
    file_id: str | None,
    principals: tuple[Principal, ...],
    representatives: tuple[PoaPerson, ...],
    powers: tuple[Power, ...],
    parent: ParentPoa | None,
) -> PowerOfAttorney:
    where = _local(info)
    number = _attr(info, "НомДовер", where)
    issued = _date(_attr(info, "ДатаВыдДовер", where), f"{where}/@ДатаВыдДовер")
    until_name = "СрокДейст" if poa_format is PoaFormat.EMCHD_1 else "ДатаКонДовер"
    until = _date(_attr(info, until_name, where), f"{where}/@{until_name}")
    if until < issued:
        raise PoaFormatError(f"{where}/@{until_name}", "validity ends before the issue date")
    if not representatives:
        raise PoaFormatError("СвУпПред", "no representative")
    if not powers:
        raise PoaFormatError("СвПолн", "no powers")
    code = info.get("ПрПередов", "1")
    try:
        substitution = Substitution(code)
    except ValueError:
        raise PoaFormatError(f"{where}/@ПрПередов", f"unknown value {code!r}") from None
    status = _child(info, "СведСист")
    if status is None:
        status = _child(info, "СведСистОтм")
    return PowerOfAttorney(
        format=poa_format,
        number=number,
        internal_number=info.get("ВнНомДовер"),
        file_id=file_id,
        issued=issued,
        valid_until=until,
        principals=principals,
        representatives=representatives,
        powers=powers,
        substitution=substitution,
        parent=parent,
        status_url=(status.text or "").strip() or None if status is not None else None,
    )


def _principal(element: etree._Element) -> Principal:
    heads = tuple(_person(e) for e in _descendants(element, "ЛицоБезДов"))
    signer = _child(element, "Подписант")  # format 002 names the head here
    if signer is not None and heads and heads[0].surname is None:
        first = heads[0]
        heads = (
            PoaPerson(
                surname=signer.get("Фамилия"),
                given_name=signer.get("Имя"),
                patronymic=signer.get("Отчество"),
                inn=first.inn,
                snils=first.snils,
                position=first.position,
            ),
            *heads[1:],
        )
    org = _first(element, "СвРосОрг")
    if org is None:  # the original principal of a substitution carries the attributes itself
        org = next((e for e in _descendants(element, "РосОргДовер") if e.get("ИННЮЛ")), None)
    if org is not None:
        return Principal(
            kind="organisation",
            name=org.get("НаимОрг"),
            inn=org.get("ИННЮЛ"),
            kpp=org.get("КПП"),
            ogrn=org.get("ОГРН"),
            heads=heads,
        )
    foreign = _first(element, "ИнОргДовер")
    if foreign is None:
        foreign = _first(element, "СвИнОрг")
    if foreign is not None:
        org_el = _first(foreign, "СвИнОрг")
        if org_el is None:
            org_el = foreign
        return Principal(
            kind="foreign_organisation",
            name=org_el.get("НаимОрг"),
            inn=org_el.get("ИННЮЛ"),
            kpp=org_el.get("КПП"),
            heads=heads,
        )
    entrepreneur = _first(element, "ИПДовер")
    if entrepreneur is not None:
        person = _person(entrepreneur)
        return Principal(
            kind="entrepreneur",
            name=person.full_name,
            inn=person.inn,
            ogrn=_find_attr(entrepreneur, "ОГРНИП"),
            heads=(person, *heads),
        )
    individual = _first(element, "ФЛДовер")
    if individual is not None:
        person = _person(individual)
        return Principal(kind="person", name=person.full_name, inn=person.inn, heads=(person,))
    raise PoaFormatError(_local(element), "the principal is neither an organisation nor a person")


def _representatives(element: etree._Element) -> Iterator[PoaPerson]:
    found = False
    for person_el in _descendants(element, "СведФизЛ"):
        found = True
        yield _person(person_el)
    if not found:
        for person_el in _descendants(element, "СвФЛ"):
            found = True
            yield _person(person_el)
    if not found:
        raise PoaFormatError(_local(element), "a representative with no person named")


def _person(element: etree._Element) -> PoaPerson:
    name = _first(element, "ФИО")
    holder = _first(element, "СвФЛ")
    if holder is None:
        holder = element
    return PoaPerson(
        surname=name.get("Фамилия") if name is not None else None,
        given_name=name.get("Имя") if name is not None else None,
        patronymic=name.get("Отчество") if name is not None else None,
        inn=holder.get("ИННФЛ") or _find_attr(element, "ИННФЛ"),
        snils=holder.get("СНИЛС") or _find_attr(element, "СНИЛС"),
        position=holder.get("Должность") or _find_attr(element, "Должность"),
    )


def _powers(element: etree._Element) -> Iterator[Power]:
    count = 0
    for child in element:
        name = _local(child)
        if name == "ТекстПолн":
            text = " ".join((child.text or "").split())
            if text:
                yield Power(code=None, name=text)
                count += 1
        elif name == "МашПолн":
            code = child.get("КодПолн")
            title = child.get("НаимПолн")
            if not code or not title:
                raise PoaFormatError("СвПолн/МашПолн", "a coded power without КодПолн/НаимПолн")
            limits = tuple(
                value
                for limit in _children(child, "ОгрСвПолн")
                if (value := limit.get("НаимЗначОгр") or limit.get("ЗначТекстОгр"))
            )
            yield Power(code=code, name=title, restrictions=limits)
            count += 1
        if count > _MAX_POWERS:
            raise PoaUnsafeInput("СвПолн", f"more than {_MAX_POWERS} powers")


def _date(text: str, where: str) -> pendulum.Date:
    match = _DATE.match(text.strip())
    if match is None:
        raise PoaFormatError(where, f"not a date: {text[:40]!r}")
    if match.group(1):
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    else:
        year, month, day = int(match.group(6)), int(match.group(5)), int(match.group(4))
    try:
        return pendulum.Date(year, month, day)
    except ValueError:
        raise PoaFormatError(where, f"not a date: {text[:40]!r}") from None


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child) == name:
            return child
    return None


def _descendants(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for found in element.iter():
        if found is not element and _local(found) == name:
            yield found


def _first(element: etree._Element, name: str) -> etree._Element | None:
    return next(_descendants(element, name), None)


def _find_attr(element: etree._Element, name: str) -> str | None:
    for found in element.iter():
        value = found.get(name)
        if value:
            return str(value)
    return None


def _require(element: etree._Element, name: str, where: str) -> etree._Element:
    found = _child(element, name)
    if found is None:
        raise PoaFormatError(f"{where}/{name}", "required element missing")
    return found


def _attr(element: etree._Element, name: str, where: str) -> str:
    value = element.get(name)
    if not value or not value.strip():
        raise PoaFormatError(f"{where}/@{name}", "required attribute missing")
    return str(value).strip()


def _fail(field: str, message: str) -> tuple[Principal, ...]:
    raise PoaFormatError(field, message)
