"""Readers for the shared parts of MEDO 2.x: parties, numbers, references, clauses, enclosures."""

from __future__ import annotations

from lxml import etree

from edmscore.exchange.medo._document import Clause, Enclosure
from edmscore.exchange.medo._parties import (
    Addressee,
    AddresseeList,
    Correspondent,
    DocumentNumber,
    DocumentReference,
    Partner,
    Party,
    QualifiedValue,
    Signatory,
)
from edmscore.exchange.medo._read_base import Walker
from edmscore.exchange.medo._values import parse_bool, parse_count

__all__ = ["PartsReader"]


class PartsReader(Walker):
    """Reads the reusable complex types of the schema."""

    def qualified(self, el: etree._Element, name: str, path: str) -> QualifiedValue | None:
        """An optional ``qualifiedValue`` child."""
        found = self.child(el, name, path)
        if found is None:
            return None
        here = f"{path}/{name}"
        retro = self.attr(found, "retro")
        modified = self.attr(found, "modified")
        return self.build(
            here,
            QualifiedValue,
            value=self.text_of(found, "normalized"),
            id=self.attr(found, "id"),
            retro=None if retro is None else self.convert(f"{here}/@retro", parse_bool, retro),
            modified=None if modified is None else self.to_datetime(f"{here}/@modified", modified),
        )

    def partner(self, el: etree._Element, path: str) -> Partner:
        """A ``communicationPartner``."""
        return self.build(
            path,
            Partner,
            uid=self.need_attr(el, "uid", path),
            organization=self.need_text(el, "organization", path, "normalized"),
            comment=self.text(el, "comment", path),
        )

    def party(self, el: etree._Element, path: str, contact: bool = True) -> Party:
        """The ``anyone`` part of an element."""
        return self.build(
            path,
            Party,
            region=self.qualified(el, "region", path),
            organization=self.qualified(el, "organization", path),
            person=self.qualified(el, "person", path),
            department=self.qualified(el, "department", path),
            post=self.qualified(el, "post", path),
            contact_info=self.text(el, "contactInfo", path) if contact else None,
        )

    def addressee(self, el: etree._Element, path: str) -> Addressee:
        """An ``addressee``."""
        return self.build(
            path,
            Addressee,
            party=self.party(el, path),
            comment=self.text(el, "comment", path),
            uid=self.attr(el, "uid"),
        )

    def addressee_list(self, el: etree._Element, path: str) -> AddresseeList:
        """An ``addresseeList``."""
        contents = self.need(el, "contents", path)
        return self.build(
            path,
            AddresseeList,
            name=self.need_text(el, "name", path, "normalized"),
            contents=tuple(
                self.addressee(a, f"{path}/contents/addressee")
                for a in self.children(contents, "addressee")
            ),
            id=self.attr(el, "id"),
        )

    def number(self, el: etree._Element, path: str) -> DocumentNumber:
        """A ``documentNumber``."""
        return self.build(
            path,
            DocumentNumber,
            number=self.need_text(el, "number", path, "token"),
            date=self.date(el, "date", path),
        )

    def signatory(self, el: etree._Element, path: str) -> Signatory:
        """A ``signatory``."""
        return self.build(
            path,
            Signatory,
            party=self.party(el, path),
            signed=self.need_date(el, "signed", path),
            comment=self.text(el, "comment", path),
        )

    def correspondent(self, el: etree._Element, path: str) -> Correspondent:
        """A ``correspondent``."""
        num = self.child(el, "num", path)
        return self.build(
            path,
            Correspondent,
            party=self.party(el, path),
            num=None if num is None else self.number(num, f"{path}/num"),
            comment=self.text(el, "comment", path),
        )

    def reference(self, el: etree._Element, path: str) -> DocumentReference:
        """A ``documentReference``."""
        return self.build(
            path,
            DocumentReference,
            num=self.number(self.need(el, "num", path), f"{path}/num"),
            party=self.party(el, path, contact=False),
            comment=self.text(el, "comment", path),
        )

    def optional_reference(
        self, el: etree._Element, name: str, path: str
    ) -> DocumentReference | None:
        """An optional ``documentReference`` child."""
        found = self.child(el, name, path)
        return None if found is None else self.reference(found, f"{path}/{name}")

    def clause(self, el: etree._Element, path: str) -> Clause:
        """A ``documentClause``."""
        principal: Addressee | AddresseeList | None = None
        single = self.child(el, "principal", path)
        listed = self.child(el, "principals", path)
        if single is not None and listed is not None:
            raise self.error(f"{path}/principal", "principal and principals are exclusive")
        if single is not None:
            principal = self.addressee(single, f"{path}/principal")
        elif listed is not None:
            principal = self.addressee_list(listed, f"{path}/principals")
        participants: list[Addressee | AddresseeList] = []
        group = self.child(el, "parcipants", path)
        if group is not None:
            for item in group.iterchildren():
                if item.tag == self.q("parcipant"):
                    participants.append(self.addressee(item, f"{path}/parcipants/parcipant"))
                elif item.tag == self.q("parcipants"):
                    participants.append(self.addressee_list(item, f"{path}/parcipants/parcipants"))
        local_id = self.attr(el, "localId")
        return self.build(
            path,
            Clause,
            designation=self.text(el, "designation", path, "normalized"),
            text=self.text(el, "text", path),
            deadline=self.date(el, "deadline", path),
            principal=principal,
            participants=tuple(participants),
            comment=self.text(el, "comment", path),
            local_id=None if local_id is None else self.count_of(f"{path}/@localId", local_id),
            id=self.attr(el, "id"),
        )

    def count_of(self, path: str, text: str) -> int:
        """A ``nonNegativeInteger`` attribute value."""
        return self.convert(path, parse_count, text)

    def enclosure(self, el: etree._Element, path: str) -> Enclosure:
        """An ``enclosure``, with its nested enclosures."""
        nested = self.child(el, "enclosures", path)
        return self.build(
            path,
            Enclosure,
            title=self.need_text(el, "title", path),
            pages=self.need_count(el, "pages", path),
            reference=self.optional_reference(el, "reference", path),
            file_ids=self.id_list(el, "files", path) or (),
            enclosures=()
            if nested is None
            else tuple(
                self.enclosure(e, f"{path}/enclosures/enclosure")
                for e in self.children(nested, "enclosure")
            ),
            comment=self.text(el, "comment", path),
            uid=self.attr(el, "uid"),
            id=self.attr(el, "id"),
        )
