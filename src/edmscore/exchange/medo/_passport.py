"""The description (passport) of a MEDO 2.7 / 2.7.1 container: model, reader and 2.7 writer.

The 2.7 layout (namespace ``http://minsvyaz.ru/container``) is inferred from a public writer; no
official schema was found. For 2.7.1 (``urn:IEDMS:CONTAINER``) only the fields a public router
reads are confirmed, so the 2.7.1 reader looks those up by name and nothing else is written.
"""

from __future__ import annotations

import pendulum
from attrs import frozen
from lxml import etree

from edmscore.errors import MedoFormatError
from edmscore.exchange.medo._classification import ClassificationLevel, classify_mark
from edmscore.exchange.medo._values import parse_date

__all__ = [
    "CONTAINER_NS_27",
    "CONTAINER_NS_271",
    "ContainerAttachment",
    "ContainerAuthor",
    "ContainerSigner",
    "Passport",
    "StampPosition",
    "build_passport",
    "read_passport",
]

CONTAINER_NS_27 = "http://minsvyaz.ru/container"
CONTAINER_NS_271 = "urn:IEDMS:CONTAINER"


@frozen
class StampPosition:
    """Where a stamp image lies: the page (from 1), the top-left corner and the size."""

    page: int
    x: float
    y: float
    width: float
    height: float


@frozen
class ContainerSigner:
    """A signatory of the document: post, name, the detached signature and its stamp image."""

    post: str
    name: str
    signature: str
    signature_type: str = "Утверждающая"
    stamp: str | None = None
    stamp_position: StampPosition | None = None


@frozen
class ContainerAuthor:
    """An author body: its name, its registration number and date, stamp, signatories."""

    organization: str
    number: str
    date: pendulum.Date | None
    signers: tuple[ContainerSigner, ...] = ()
    registration_stamp: str | None = None
    stamp_position: StampPosition | None = None


@frozen
class ContainerAttachment:
    """An enclosure file of the container, its order, description and signature file."""

    local_name: str
    order: int
    description: str | None = None
    signature: str | None = None


@frozen
class Passport:
    """A container description. ``namespace`` tells 2.7 from 2.7.1."""

    uid: str | None
    document_name: str
    pages: int | None
    document_kind: str | None = None
    annotation: str | None = None
    authors: tuple[ContainerAuthor, ...] = ()
    addressees: tuple[tuple[str, str | None], ...] = ()
    attachments: tuple[ContainerAttachment, ...] = ()
    classification: str | None = None
    namespace: str = CONTAINER_NS_27

    @property
    def classification_level(self) -> ClassificationLevel:
        """How the container's restriction mark reads: open, ДСП or not recognised (restrictive)."""
        return classify_mark(self.classification)

    def referenced_files(self) -> tuple[str, ...]:
        """Every file the passport names: document, signatures, stamps, attachments."""
        names: list[str] = [self.document_name]
        for author in self.authors:
            if author.registration_stamp:
                names.append(author.registration_stamp)
            for signer in author.signers:
                names.append(signer.signature)
                if signer.stamp:
                    names.append(signer.stamp)
        for item in self.attachments:
            names.append(item.local_name)
            if item.signature:
                names.append(item.signature)
        return tuple(dict.fromkeys(names))


class _In:
    def __init__(self, ns: str, source: str) -> None:
        self.ns, self.source = ns, source

    def find(self, el: etree._Element, path: str) -> etree._Element | None:
        node: etree._Element | None = el
        for part in path.split("/"):
            if node is None:
                return None
            node = node.find(f"{{{self.ns}}}{part}")
        return node

    def text(self, el: etree._Element, path: str) -> str | None:
        node = self.find(el, path)
        return None if node is None or node.text is None else node.text.strip()

    def whole_text(self, el: etree._Element | None) -> str | None:
        # all the text inside, child elements' included: a mark split by markup is still read
        if el is None:
            return None
        return "".join(t for t in el.itertext() if isinstance(t, str)).strip()

    def attr(self, el: etree._Element | None, name: str) -> str | None:
        if el is None:
            return None
        return el.get(name, el.get(f"{{{self.ns}}}{name}"))

    def deep(self, el: etree._Element, name: str) -> etree._Element | None:
        return next(el.iter(f"{{{self.ns}}}{name}"), None)

    def number(self, path: str, text: str | None) -> int | None:
        if text is None:
            return None
        if not text.isdigit() or len(text) > 9:
            raise MedoFormatError(path, f"not a number: {text!r}", file=self.source)
        return int(text)

    def real(self, path: str, text: str | None) -> float:
        try:
            return float(text or "")
        except ValueError:
            raise MedoFormatError(path, f"not a number: {text!r}", file=self.source) from None

    def date(self, path: str, text: str | None) -> pendulum.Date | None:
        if not text:
            return None
        try:
            return parse_date(text[:10])
        except ValueError:
            raise MedoFormatError(path, f"not a date: {text!r}", file=self.source) from None

    def position(self, el: etree._Element | None, path: str) -> StampPosition | None:
        pos = None if el is None else self.find(el, "position")
        if pos is None:
            return None
        return StampPosition(
            page=self.number(f"{path}/page", self.text(pos, "page")) or 1,
            x=self.real(f"{path}/topLeft/x", self.text(pos, "topLeft/x")),
            y=self.real(f"{path}/topLeft/y", self.text(pos, "topLeft/y")),
            width=self.real(f"{path}/dimension/w", self.text(pos, "dimension/w")),
            height=self.real(f"{path}/dimension/h", self.text(pos, "dimension/h")),
        )


def read_passport(root: etree._Element, *, source: str) -> Passport:
    """Read a parsed passport (2.7 by structure, 2.7.1 by the confirmed field names)."""
    ns = etree.QName(root).namespace or ""
    r = _In(ns, source)
    if ns == CONTAINER_NS_271:
        document = r.deep(root, "document")
        name = r.attr(document, "localName")
        if not name:
            raise MedoFormatError("document/@localName", "is required", file=source)
        addressees = tuple(
            (org.findtext(f"{{{ns}}}title", "").strip(), r.attr(org, "id"))
            for org in root.iter(f"{{{ns}}}organization")
            if org.getparent() is not None and etree.QName(org.getparent()).localname == "addressee"
        )
        pages = r.deep(root, "pagesQuantity")
        number, date = r.deep(root, "number"), r.deep(root, "date")
        authors: tuple[ContainerAuthor, ...] = ()
        if number is not None and number.text:
            authors = (
                ContainerAuthor(
                    organization="",
                    number=number.text.strip(),
                    date=r.date("date", None if date is None else date.text),
                ),
            )
        annotation = r.deep(root, "annotation")
        classification = r.deep(root, "classification")
        return Passport(
            uid=r.attr(root, "uid"),
            document_name=name,
            pages=r.number("pagesQuantity", None if pages is None else (pages.text or "").strip()),
            annotation=None if annotation is None else (annotation.text or "").strip(),
            authors=authors,
            addressees=addressees,
            classification=r.whole_text(classification),
            namespace=ns,
        )
    if ns != CONTAINER_NS_27 or etree.QName(root).localname != "container":
        raise MedoFormatError("container", f"unknown passport root {root.tag!r}", file=source)
    document = r.find(root, "document")
    name = r.attr(document, "localName")
    if document is None or not name:
        raise MedoFormatError("container/document/@localName", "is required", file=source)
    authors_list: list[ContainerAuthor] = []
    for i, author in enumerate(root.iterfind(f"{{{ns}}}authors/{{{ns}}}author")):
        path = f"container/authors/author[{i + 1}]"
        stamp = r.find(author, "registration/registrationStamp")
        signers: list[ContainerSigner] = []
        for sign in author.iterfind(f"{{{ns}}}sign"):
            sig = r.find(sign, "documentSignature")
            sig_name = r.attr(sig, "localName")
            if not sig_name:
                raise MedoFormatError(
                    f"{path}/sign/documentSignature/@localName", "is required", file=source
                )
            sig_stamp = None if sig is None else r.find(sig, "signatureStamp")
            signers.append(
                ContainerSigner(
                    post=r.text(sign, "person/post") or "",
                    name=r.text(sign, "person/name") or "",
                    signature=sig_name,
                    signature_type=r.attr(sig, "type") or "Утверждающая",
                    stamp=r.attr(sig_stamp, "localName"),
                    stamp_position=r.position(
                        sig_stamp, f"{path}/sign/documentSignature/signatureStamp/position"
                    ),
                )
            )
        authors_list.append(
            ContainerAuthor(
                organization=r.text(author, "organization/title") or "",
                number=r.text(author, "registration/number") or "",
                date=r.date(f"{path}/registration/date", r.text(author, "registration/date")),
                signers=tuple(signers),
                registration_stamp=r.attr(stamp, "localName"),
                stamp_position=r.position(stamp, f"{path}/registration/registrationStamp/position"),
            )
        )
    attachments: list[ContainerAttachment] = []
    for i, item in enumerate(root.iterfind(f"{{{ns}}}attachments/{{{ns}}}attachment")):
        path = f"container/attachments/attachment[{i + 1}]"
        local = r.attr(item, "localName")
        if not local:
            raise MedoFormatError(f"{path}/@localName", "is required", file=source)
        attachments.append(
            ContainerAttachment(
                local_name=local,
                order=r.number(f"{path}/order", r.text(item, "order")) or i + 1,
                description=r.text(item, "description"),
                signature=r.attr(r.find(item, "signature"), "localName"),
            )
        )
    return Passport(
        uid=r.attr(root, "uid"),
        document_name=name,
        pages=r.number("container/document/pagesQuantity", r.text(document, "pagesQuantity")),
        document_kind=r.text(root, "requisites/documentKind"),
        annotation=r.text(root, "requisites/annotation"),
        authors=tuple(authors_list),
        addressees=tuple(
            (r.text(a, "organization/title") or "", None)
            for a in root.iterfind(f"{{{ns}}}addressees/{{{ns}}}addressee")
        ),
        attachments=tuple(attachments),
        classification=r.whole_text(r.find(root, "requisites/classification")),
        namespace=ns,
    )


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def build_passport(passport: Passport) -> bytes:
    """Write a 2.7 passport (``http://minsvyaz.ru/container``, version 1.0) in UTF-8."""
    if passport.namespace != CONTAINER_NS_27:
        raise MedoFormatError("container", "only the 2.7 passport layout is confirmed for writing")
    ns = CONTAINER_NS_27

    def sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, f"{{{ns}}}{name}")
        if text is not None:
            el.text = text
        return el

    def position(parent: etree._Element, pos: StampPosition | None) -> None:
        if pos is None:
            return
        el = sub(parent, "position")
        sub(el, "page", str(pos.page))
        top = sub(el, "topLeft")
        sub(top, "x", _num(pos.x))
        sub(top, "y", _num(pos.y))
        dim = sub(el, "dimension")
        sub(dim, "w", _num(pos.width))
        sub(dim, "h", _num(pos.height))

    root = etree.Element(f"{{{ns}}}container", nsmap={"c": ns})
    if passport.uid:
        root.set("uid", passport.uid)
    root.set("version", "1.0")
    req = sub(root, "requisites")
    if passport.document_kind:
        sub(req, "documentKind", passport.document_kind)
    if passport.annotation:
        sub(req, "annotation", passport.annotation)
    authors = sub(root, "authors")
    for author in passport.authors:
        el = sub(authors, "author")
        sub(sub(el, "organization"), "title", author.organization)
        reg = sub(el, "registration")
        sub(reg, "number", author.number)
        if author.date is not None:
            sub(reg, "date", author.date.isoformat())
        if author.registration_stamp:
            stamp = sub(reg, "registrationStamp")
            stamp.set("localName", author.registration_stamp)
            position(stamp, author.stamp_position)
        for signer in author.signers:
            sign = sub(el, "sign")
            person = sub(sign, "person")
            sub(person, "post", signer.post)
            sub(person, "name", signer.name)
            sig = sub(sign, "documentSignature")
            sig.set("localName", signer.signature)
            sig.set("type", signer.signature_type)
            if signer.stamp:
                stamp = sub(sig, "signatureStamp")
                stamp.set("localName", signer.stamp)
                position(stamp, signer.stamp_position)
    addressees = sub(root, "addressees")
    for title, _id in passport.addressees:
        sub(sub(sub(addressees, "addressee"), "organization"), "title", title)
    document = sub(root, "document")
    document.set("localName", passport.document_name)
    if passport.pages is not None:
        sub(document, "pagesQuantity", str(passport.pages))
    if passport.attachments:
        group = sub(root, "attachments")
        for item in passport.attachments:
            el = sub(group, "attachment")
            el.set("localName", item.local_name)
            sub(el, "order", str(item.order))
            if item.description:
                sub(el, "description", item.description)
            if item.signature:
                sub(el, "signature").set("localName", item.signature)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    assert isinstance(data, bytes)
    return data
