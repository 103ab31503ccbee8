"""Distinguished names: readable text and the fields of a Russian qualified certificate."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from edmscore.signatures import _oids, _tlv

# Short labels for the attribute types a reader meets on Russian certificates.
_LABELS: dict[str, str] = {
    "2.5.4.3": "CN",
    "2.5.4.4": "SN",
    "2.5.4.42": "G",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.12": "T",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.9": "STREET",
    "2.5.4.5": "serialNumber",
    "1.2.840.113549.1.9.1": "E",
    "2.5.4.16": "postalAddress",
    "2.5.4.17": "postalCode",
    "2.5.4.20": "telephoneNumber",
    _oids.INN: "INN",
    _oids.INN_LE: "INNLE",
    _oids.OGRN: "OGRN",
    _oids.SNILS: "SNILS",
    _oids.OGRNIP: "OGRNIP",
}


@attrs.frozen
class SubjectFields:
    """The fields of a certificate subject that a Russian qualified certificate carries.

    ``given_name`` and ``patronymic`` are split from the givenName attribute, which holds both
    («Имя Отчество») on qualified certificates. Absent fields are ``None``.
    """

    common_name: str | None = None
    surname: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    organization: str | None = None
    organizational_unit: str | None = None
    position: str | None = None
    inn: str | None = None
    inn_le: str | None = None
    ogrn: str | None = None
    snils: str | None = None
    ogrnip: str | None = None
    email: str | None = None
    country: str | None = None
    region: str | None = None
    locality: str | None = None
    street: str | None = None

    @property
    def full_name(self) -> str | None:
        """«Фамилия Имя Отчество» when the surname or given name is present."""
        parts = [p for p in (self.surname, self.given_name, self.patronymic) if p]
        return " ".join(parts) if parts else None


_FIELD_OIDS: dict[str, str] = {
    "2.5.4.3": "common_name",
    "2.5.4.4": "surname",
    "2.5.4.10": "organization",
    "2.5.4.11": "organizational_unit",
    "2.5.4.12": "position",
    "2.5.4.6": "country",
    "2.5.4.8": "region",
    "2.5.4.7": "locality",
    "2.5.4.9": "street",
    "1.2.840.113549.1.9.1": "email",
    _oids.INN: "inn",
    _oids.INN_LE: "inn_le",
    _oids.OGRN: "ogrn",
    _oids.SNILS: "snils",
    _oids.OGRNIP: "ogrnip",
}


def attribute_pairs(name: _tlv.Tlv) -> list[tuple[str, str]]:
    """The (dotted type, text value) pairs of a DER Name in order.

    Read from the bytes, never through a fixed table of value types: a ``postalAddress``
    (a SEQUENCE OF strings) reads as its lines joined by ``$``, a ``telephoneNumber`` in any
    string type reads as its text, and a value of an unknown type as ``#`` and its DER in hex,
    as RFC 4514 writes it.
    """
    pairs: list[tuple[str, str]] = []
    for oid, value in _atvs(name):
        pairs.append((oid, _text(value)))
    return pairs


def _atvs(name: _tlv.Tlv) -> Iterator[tuple[str, _tlv.Tlv]]:
    _tlv.expect(name, _tlv.SEQUENCE, "name")
    for rdn in name.children():
        _tlv.expect(rdn, _tlv.SET, "relative distinguished name")
        for atv in rdn.children():
            parts = _tlv.expect(atv, _tlv.SEQUENCE, "attribute").children()
            if len(parts) != 2:
                raise _tlv.TlvError("an attribute must hold a type and a value")
            yield (
                _tlv.decode_oid(_tlv.expect(parts[0], _tlv.OID, "attribute type").content),
                parts[1],
            )


# String types of X.520 values and how their content octets decode.
_STRINGS: dict[int, str] = {
    0x0C: "utf-8",  # UTF8String
    0x12: "ascii",  # NumericString
    0x13: "ascii",  # PrintableString
    0x16: "ascii",  # IA5String
    0x1A: "ascii",  # VisibleString
    0x14: "latin-1",  # TeletexString (read as Latin-1, as OpenSSL does)
    0x1E: "utf-16-be",  # BMPString
    0x1C: "utf-32-be",  # UniversalString
}


def _string(value: _tlv.Tlv) -> str | None:
    encoding = _STRINGS.get(value.tag)
    if encoding is None:
        return None
    try:
        return value.content.decode(encoding)
    except UnicodeDecodeError:
        return value.content.decode("latin-1")


def _text(value: _tlv.Tlv) -> str:
    text = _string(value)
    if text is not None:
        return text
    if value.tag == _tlv.SEQUENCE:  # postalAddress and its kin: a SEQUENCE OF strings
        lines = [_string(item) for item in value.children()]
        if all(line is not None for line in lines):
            return "$".join(line for line in lines if line is not None)
    return "#" + value.raw.hex()


def name_parts(name: _tlv.Tlv) -> tuple[list[tuple[str, str]], bytes]:
    """:func:`attribute_pairs` and :func:`name_key` of a Name, read in one pass."""
    pairs: list[tuple[str, str]] = []
    rdns: list[str] = []
    for rdn in _tlv.expect(name, _tlv.SEQUENCE, "name").children():
        atvs = []
        for atv in _tlv.expect(rdn, _tlv.SET, "relative distinguished name").children():
            parts = _tlv.expect(atv, _tlv.SEQUENCE, "attribute").children()
            if len(parts) != 2:
                raise _tlv.TlvError("an attribute must hold a type and a value")
            oid = _tlv.decode_oid(_tlv.expect(parts[0], _tlv.OID, "attribute type").content)
            pairs.append((oid, _text(parts[1])))
            atvs.append(oid + "=" + _canonical(parts[1]))
        rdns.append("+".join(sorted(atvs)))
    return pairs, "\x1e".join(rdns).encode("utf-8")


def _canonical(value: _tlv.Tlv) -> str:
    """A value in the form names are compared in (RFC 5280 §7.1, as OpenSSL does it)."""
    text = _string(value)
    if text is None:
        return "#" + value.raw.hex()
    return " ".join(text.split()).casefold()


def name_key(name: _tlv.Tlv) -> bytes:
    """A comparable form of a Name: string types ignored, case and spaces folded, RDNs as sets."""
    rdns: list[str] = []
    for rdn in _tlv.expect(name, _tlv.SEQUENCE, "name").children():
        atvs = []
        for atv in _tlv.expect(rdn, _tlv.SET, "relative distinguished name").children():
            parts = atv.children()
            if len(parts) != 2:
                raise _tlv.TlvError("an attribute must hold a type and a value")
            atvs.append(_tlv.decode_oid(parts[0].content) + "=" + _canonical(parts[1]))
        rdns.append("+".join(sorted(atvs)))
    return "\x1e".join(rdns).encode("utf-8")


def name_text(pairs: list[tuple[str, str]]) -> str:
    """A readable one-line form of a name: ``CN=…, O=…, INN=…``."""
    return ", ".join(f"{_LABELS.get(oid, oid)}={value}" for oid, value in pairs)


def subject_fields(pairs: list[tuple[str, str]]) -> SubjectFields:
    """The qualified-certificate fields found among a name's attributes."""
    values: dict[str, str] = {}
    for oid, value in pairs:
        field = _FIELD_OIDS.get(oid)
        if field is not None and field not in values:
            values[field] = value
        if oid == "2.5.4.42" and "given_name" not in values:
            first, _, rest = value.strip().partition(" ")
            values["given_name"] = first
            if rest.strip():
                values["patronymic"] = rest.strip()
    return SubjectFields(**values)
