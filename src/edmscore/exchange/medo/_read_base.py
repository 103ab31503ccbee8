"""The element walker behind the MEDO reader: namespace-aware lookups with located errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pendulum
from lxml import etree

from edmscore.errors import MedoFormatError, ValidationError
from edmscore.exchange.medo._checks import normalize_space
from edmscore.exchange.medo._values import (
    parse_bool,
    parse_count,
    parse_date,
    parse_datetime,
    parse_id_list,
)

__all__ = ["Walker"]

T = TypeVar("T")
_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


class Walker:
    """Reads elements of one namespace, raising errors that name the element and the file."""

    def __init__(self, ns: str, source: str, default_tz: str) -> None:
        self.ns = ns
        self.source = source
        self.default_tz = default_tz
        self._names: dict[str, str] = {}

    def error(self, path: str, message: str) -> MedoFormatError:
        """An error located at ``path`` in this file."""
        return MedoFormatError(path, message, file=self.source)

    def q(self, name: str) -> str:
        """The qualified name of an element or attribute of this namespace."""
        qualified = self._names.get(name)
        if qualified is None:
            qualified = self._names[name] = f"{{{self.ns}}}{name}"
        return qualified

    def children(self, el: etree._Element, name: str) -> Iterator[etree._Element]:
        """The child elements called ``name`` (namespace-matched, prefix ignored)."""
        return el.iterchildren(self.q(name))

    def child(self, el: etree._Element, name: str, path: str) -> etree._Element | None:
        """The single optional child ``name``; two of them are an error."""
        found = el.findall(self.q(name))
        if len(found) > 1:
            raise self.error(f"{path}/{name}", "appears more than once")
        return found[0] if found else None

    def need(self, el: etree._Element, name: str, path: str) -> etree._Element:
        """The required child ``name``."""
        found = self.child(el, name, path)
        if found is None:
            raise self.error(f"{path}/{name}", "is required but missing")
        return found

    def attr(self, el: etree._Element, name: str) -> str | None:
        """An attribute, qualified as the schema says; an unqualified one is accepted too."""
        value = el.get(self.q(name))
        if value is None:
            value = el.get(name)
        return value

    def need_attr(self, el: etree._Element, name: str, path: str) -> str:
        """A required attribute."""
        value = self.attr(el, name)
        if value is None:
            raise self.error(f"{path}/@{name}", "is required but missing")
        return value

    @staticmethod
    def is_nil(el: etree._Element) -> bool:
        """Whether the element is marked ``xsi:nil``."""
        return el.get(_XSI_NIL) in ("true", "1")

    @staticmethod
    def text_of(el: etree._Element, kind: str = "string") -> str:
        """The element's text, whitespace-normalised by the schema's rule ``kind``."""
        return normalize_space(el.text or "", kind)

    def text(self, el: etree._Element, name: str, path: str, kind: str = "string") -> str | None:
        """The text of an optional child; ``None`` when absent or nil."""
        found = self.child(el, name, path)
        if found is None or self.is_nil(found):
            return None
        return self.text_of(found, kind)

    def need_text(self, el: etree._Element, name: str, path: str, kind: str = "string") -> str:
        """The text of a required child."""
        return self.text_of(self.need(el, name, path), kind)

    def convert(self, path: str, parse: Callable[[str], T], text: str) -> T:
        """Apply a value parser, turning its ValueError into a located format error."""
        try:
            return parse(text)
        except ValueError as exc:
            raise self.error(path, str(exc)) from None

    def date(self, el: etree._Element, name: str, path: str) -> pendulum.Date | None:
        """An optional ``xsd:date`` child."""
        text = self.text(el, name, path)
        return None if text is None else self.convert(f"{path}/{name}", parse_date, text)

    def need_date(self, el: etree._Element, name: str, path: str) -> pendulum.Date:
        """A required ``xsd:date`` child."""
        return self.convert(f"{path}/{name}", parse_date, self.need_text(el, name, path))

    def to_datetime(self, path: str, text: str) -> pendulum.DateTime:
        """Parse an ``xsd:dateTime`` value."""
        return self.convert(path, lambda t: parse_datetime(t, self.default_tz), text)

    def need_datetime(self, el: etree._Element, name: str, path: str) -> pendulum.DateTime:
        """A required ``xsd:dateTime`` child."""
        return self.to_datetime(f"{path}/{name}", self.need_text(el, name, path))

    def count(self, el: etree._Element, name: str, path: str) -> int | None:
        """An optional ``nonNegativeInteger`` child."""
        text = self.text(el, name, path)
        return None if text is None else self.convert(f"{path}/{name}", parse_count, text)

    def need_count(self, el: etree._Element, name: str, path: str) -> int:
        """A required ``nonNegativeInteger`` child."""
        return self.convert(f"{path}/{name}", parse_count, self.need_text(el, name, path))

    def flag(self, el: etree._Element, name: str, path: str) -> bool | None:
        """An optional ``xsd:boolean`` child."""
        text = self.text(el, name, path)
        return None if text is None else self.convert(f"{path}/{name}", parse_bool, text)

    def id_list(self, el: etree._Element, name: str, path: str) -> tuple[int, ...] | None:
        """An optional list of file ``localId``s."""
        text = self.text(el, name, path)
        return None if text is None else self.convert(f"{path}/{name}", parse_id_list, text)

    def build(self, path: str, factory: Callable[..., T], **kwargs: Any) -> T:
        """Construct a model object, locating any validation error at ``path``."""
        try:
            return factory(**kwargs)
        except MedoFormatError:
            raise
        except ValidationError as exc:
            raise self.error(f"{path}/{exc.field}", exc.detail) from None

    def enum(self, path: str, enum_type: Callable[[str], T], text: str) -> T:
        """A value of a closed list."""
        try:
            return enum_type(text)
        except ValueError:
            raise self.error(path, f"{text!r} is not in the schema's list") from None
