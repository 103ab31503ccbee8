"""Validation against the format's own XSDs (MEDO 2.2 and 2.6), shipped as package data."""

from __future__ import annotations

import functools
from importlib import resources

from lxml import etree

from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits
from edmscore.exchange.medo._xml import parse_xml

__all__ = ["schema_errors", "schema_for"]


@functools.cache
def _load(name: str) -> etree.XMLSchema:
    data = resources.files("edmscore.exchange.medo").joinpath("data").joinpath(name).read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(data, parser))


def schema_for(version: str) -> etree.XMLSchema | None:
    """The schema a message of ``version`` is checked against, or ``None`` when none exists.

    2.2 uses the 2.2 schema; 2.3 to 2.6 the 2.6 schema (a superset). No schema for 2.7 or 2.7.1
    was found, so those are not validated.
    """
    if version == "2.2":
        return _load("IEDMS-2.2.xsd")
    if version in ("2.3", "2.4", "2.5", "2.6"):
        return _load("IEDMS-2.6.xsd")
    return None


def schema_errors(
    data: bytes, *, source: str = "<message>", limits: Limits = DEFAULT_LIMITS
) -> tuple[str, ...]:
    """Validate a message against its version's schema; return the violations found.

    An empty tuple means valid (or no schema for the version). The violations are a report, not
    an exception: a description failing the schema may still be registered, with a warning.
    Hostile or malformed XML still raises :class:`~edmscore.errors.MedoFormatError`.
    """
    root, _encoding = parse_xml(data, source=source, limits=limits)
    version = root.get(f"{{{etree.QName(root).namespace}}}version") or root.get("version") or ""
    schema = schema_for(version)
    if schema is None:
        return ()
    if schema.validate(root):
        return ()
    return tuple(f"line {e.line}: {e.message}" for e in list(schema.error_log))  # type: ignore[call-overload]
