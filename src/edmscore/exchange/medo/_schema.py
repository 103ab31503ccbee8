"""Validation against the format's own XSDs: three outcomes, never a silent "valid".

Messages of 2.2 use the 2.2 schema, 2.3 to 2.6 the 2.6 schema, and 2.7 passports the public
container schema; for 1.0, 2.0, the 2.7 / 2.7.1 transport messages and 2.7.1 passports no schema
was found, and the result says *not validated* rather than *valid*.
"""

from __future__ import annotations

import enum
import functools
import re
from importlib import resources

from attrs import frozen
from lxml import etree

from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits
from edmscore.exchange.medo._message import IEDMS_NS
from edmscore.exchange.medo._xml import parse_xml

__all__ = ["SchemaCheck", "SchemaStatus", "check_schema", "schema_errors", "schema_for"]

_CONTAINER_NS_27 = "http://minsvyaz.ru/container"
# The public container schema's patterns hold stray spaces no real name matches; dropped.
_BROKEN_PATTERN = re.compile(rb'\s*<xsd:pattern\s+value="[^"]*\] \{[^"]*"\s*/>')


class SchemaStatus(enum.Enum):
    """What validation found: valid, invalid (with errors), or not validated (no schema)."""

    VALID = "valid"
    INVALID = "invalid"
    NOT_VALIDATED = "not validated"


@frozen
class SchemaCheck:
    """The outcome of checking a message or passport against its schema.

    ``schema`` names the schema used (``None`` when there is none for this version);
    ``errors`` lists the violations (empty unless ``status`` is ``INVALID``).
    """

    status: SchemaStatus
    version: str
    schema: str | None = None
    errors: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        """Whether the document was validated and found valid."""
        return self.status is SchemaStatus.VALID


def _read(name: str) -> bytes:
    return resources.files("edmscore.exchange.medo").joinpath("data").joinpath(name).read_bytes()


@functools.cache
def _load(name: str) -> etree.XMLSchema:
    data = _read(name)
    if name.startswith("container"):
        data = _BROKEN_PATTERN.sub(b"", data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(data, parser))


def _schema_name(namespace: str, version: str) -> str | None:
    if namespace == _CONTAINER_NS_27:
        return "container-2.7.xsd"
    if namespace != IEDMS_NS:
        return None
    if version == "2.2":
        return "IEDMS-2.2.xsd"
    if version in ("2.3", "2.4", "2.5", "2.6"):
        return "IEDMS-2.6.xsd"
    return None


def schema_for(version: str) -> etree.XMLSchema | None:
    """The schema a message of ``version`` is checked against, or ``None`` when none exists."""
    name = _schema_name(IEDMS_NS, version)
    return None if name is None else _load(name)


def check_schema(
    data: bytes, *, source: str = "<message>", limits: Limits = DEFAULT_LIMITS
) -> SchemaCheck:
    """Check a message (or a 2.7 container passport) against its schema, if one exists.

    The result is a report, not an exception: a description failing the schema may still be
    registered, with a warning. Hostile or malformed XML still raises
    :class:`~edmscore.errors.MedoFormatError`.
    """
    root, _encoding = parse_xml(data, source=source, limits=limits)
    namespace = etree.QName(root).namespace or ""
    version = root.get(f"{{{namespace}}}version") or root.get("version") or ""
    name = _schema_name(namespace, version)
    if name is None:
        return SchemaCheck(SchemaStatus.NOT_VALIDATED, version)
    schema = _load(name)
    if schema.validate(root):
        return SchemaCheck(SchemaStatus.VALID, version, name)
    errors = tuple(f"line {e.line}: {e.message}" for e in list(schema.error_log))  # type: ignore[call-overload]
    return SchemaCheck(SchemaStatus.INVALID, version, name, errors)


def schema_errors(
    data: bytes, *, source: str = "<message>", limits: Limits = DEFAULT_LIMITS
) -> tuple[str, ...]:
    """The schema violations of a message; an empty tuple is *not* proof of validity.

    Kept for callers that only want the errors: a version without a schema also gives ``()``.
    Use :func:`check_schema` to tell *valid* from *not validated*.
    """
    return check_schema(data, source=source, limits=limits).errors
