"""Distinguished names: readable text and the fields of a Russian qualified certificate."""

from __future__ import annotations

from typing import Any

import attrs
from asn1crypto import core, x509

from edmscore.signatures import _oids

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


def attribute_pairs(name: x509.Name) -> list[tuple[str, str]]:
    """The (dotted type, text value) pairs of a Name in order."""
    pairs: list[tuple[str, str]] = []
    for rdn in name.chosen:
        for atv in rdn:
            pairs.append((atv["type"].dotted, _text(atv["value"])))
    return pairs


def _text(value: Any) -> str:
    if isinstance(value, core.Any):
        value = core.Asn1Value.load(value.dump())
    native = value.native
    if isinstance(native, bytes):
        return native.hex()
    return str(native)


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
