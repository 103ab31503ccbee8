"""The description (passport) of a MEDO 2.7 / 2.7.1 container: model, reader and writer.

The 2.7 layout (namespace ``http://minsvyaz.ru/container``) follows the public container schema
(shipped as package data; written passports validate against it): qualified attributes
(``c:uid``, ``c:localName``), a registration stamp per author, a signature stamp per signature,
at least one addressee. Real 2.7.1 passports (``urn:IEDMS:CONTAINER``) use the same layout in
their own namespace; where a 2.7.1 passport lacks the structure, the reader falls back to the
fields a public router reads by name (number, date, annotation, pages, addressees).
"""

from __future__ import annotations

from collections.abc import Iterable

import pendulum
from attrs import field, frozen
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
    "parse_passport",
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


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@frozen
class ContainerAttachment:
    """An enclosure file of the container, its order, description and signature files.

    Real 2.7 letters sign an attachment more than once (two ``.p7s``): every one is kept.
    A single name is accepted for ``signatures``.
    """

    local_name: str
    order: int
    description: str | None = None
    signatures: tuple[str, ...] = field(default=(), converter=_names)

    @property
    def signature(self) -> str | None:
        """The first signature file, if any."""
        return self.signatures[0] if self.signatures else None


@frozen
class Passport:
    """A container description. ``namespace`` tells 2.7 from 2.7.1.

    ``addressees`` are (title, organisation id) pairs; ``container_signature`` the name of the
    signature over the whole container when the passport names one.
    """

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
    container_signature: str | None = None

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
            names.extend(item.signatures)
        if self.container_signature:
            names.append(self.container_signature)
        return tuple(dict.fromkeys(names))

    def stamps(self) -> tuple[str, ...]:
        """The stamp images the passport names: registration stamps and signature marks."""
        names: list[str] = []
        for author in self.authors:
            if author.registration_stamp:
                names.append(author.registration_stamp)
            names.extend(s.stamp for s in author.signers if s.stamp)
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


def parse_passport(data: bytes, *, source: str = "passport.xml") -> Passport:
    """Parse a passport's bytes with the hardened parser and read it."""
    from edmscore.exchange.medo._xml import parse_xml

    root, _encoding = parse_xml(data, source=source)
    return read_passport(root, source=source)


def read_passport(root: etree._Element, *, source: str) -> Passport:
    """Read a parsed passport: the container layout in either namespace (2.7 or 2.7.1)."""
    ns = etree.QName(root).namespace or ""
    if ns not in (CONTAINER_NS_27, CONTAINER_NS_271) or etree.QName(root).localname != "container":
        raise MedoFormatError("container", f"unknown passport root {root.tag!r}", file=source)
    r = _In(ns, source)
    document = r.find(root, "document")
    if document is None and ns == CONTAINER_NS_271:
        document = r.deep(root, "document")
    name = r.attr(document, "localName")
    if document is None or not name:
        raise MedoFormatError("container/document/@localName", "is required", file=source)
    authors = _authors(r, root, source)
    if not authors and ns == CONTAINER_NS_271:
        authors = _router_fields(r, root)
    attachments: list[ContainerAttachment] = []
    for i, item in enumerate(root.iterfind(f"{{{ns}}}attachments/{{{ns}}}attachment")):
        path = f"container/attachments/attachment[{i + 1}]"
        local = r.attr(item, "localName")
        if not local:
            raise MedoFormatError(f"{path}/@localName", "is required", file=source)
        signatures: list[str] = []
        for j, sig in enumerate(item.iterfind(f"{{{ns}}}signature")):
            sig_name = r.attr(sig, "localName")
            if not sig_name:
                raise MedoFormatError(
                    f"{path}/signature[{j + 1}]/@localName", "is required", file=source
                )
            signatures.append(sig_name)
        attachments.append(
            ContainerAttachment(
                local_name=local,
                order=r.number(f"{path}/order", r.text(item, "order")) or i + 1,
                description=r.text(item, "description"),
                signatures=tuple(signatures),
            )
        )
    pages = r.text(document, "pagesQuantity")
    annotation = r.text(root, "requisites/annotation")
    if annotation is None and ns == CONTAINER_NS_271:
        found = r.deep(root, "annotation")
        annotation = None if found is None else (found.text or "").strip()
    classification = r.find(root, "requisites/classification")
    if classification is None and ns == CONTAINER_NS_271:
        classification = r.deep(root, "classification")
    return Passport(
        uid=r.attr(root, "uid"),
        document_name=name,
        pages=r.number("container/document/pagesQuantity", pages),
        document_kind=r.text(root, "requisites/documentKind"),
        annotation=annotation,
        authors=authors,
        addressees=tuple(
            (org.findtext(f"{{{ns}}}title", "").strip(), r.attr(org, "id"))
            for org in root.iter(f"{{{ns}}}organization")
            if org.getparent() is not None and etree.QName(org.getparent()).localname == "addressee"
        ),
        attachments=tuple(attachments),
        classification=r.whole_text(classification),
        namespace=ns,
        container_signature=r.attr(r.find(root, "containerSignature"), "localName"),
    )


def _authors(r: _In, root: etree._Element, source: str) -> tuple[ContainerAuthor, ...]:
    ns = r.ns
    found: list[ContainerAuthor] = []
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
        found.append(
            ContainerAuthor(
                organization=r.text(author, "organization/title") or "",
                number=r.text(author, "registration/number") or "",
                date=r.date(f"{path}/registration/date", r.text(author, "registration/date")),
                signers=tuple(signers),
                registration_stamp=r.attr(stamp, "localName"),
                stamp_position=r.position(stamp, f"{path}/registration/registrationStamp/position"),
            )
        )
    return tuple(found)


def _router_fields(r: _In, root: etree._Element) -> tuple[ContainerAuthor, ...]:
    """A 2.7.1 passport without the author structure: number and date wherever they are."""
    number, date = r.deep(root, "number"), r.deep(root, "date")
    if number is None or not number.text:
        return ()
    return (
        ContainerAuthor(
            organization="",
            number=number.text.strip(),
            date=r.date("date", None if date is None else date.text),
        ),
    )


def _whole(value: float, path: str, least: int) -> str:
    if value != int(value) or value < least:
        raise MedoFormatError(path, f"must be a whole number of at least {least}, not {value!r}")
    return str(int(value))


def _require(passport: Passport) -> None:
    """What the container schema requires and the model leaves optional."""
    if not passport.uid:
        raise MedoFormatError("container/@uid", "a written passport needs the container's uid")
    if not passport.document_kind:
        raise MedoFormatError("container/requisites/documentKind", "is required")
    if not passport.annotation:
        raise MedoFormatError("container/requisites/annotation", "is required")
    if not passport.authors:
        raise MedoFormatError("container/authors", "at least one author is required")
    if not passport.addressees or not all(title for title, _id in passport.addressees):
        raise MedoFormatError("container/addressees", "at least one addressee title is required")
    for i, author in enumerate(passport.authors, start=1):
        path = f"container/authors/author[{i}]"
        if not author.organization or not author.number or author.date is None:
            raise MedoFormatError(f"{path}/registration", "needs organization, number and date")
        if not author.registration_stamp or author.stamp_position is None:
            raise MedoFormatError(
                f"{path}/registration/registrationStamp", "a stamp image and its place are required"
            )
        if not author.signers:
            raise MedoFormatError(f"{path}/sign", "at least one signatory is required")
        for signer in author.signers:
            if not signer.post or not signer.name:
                raise MedoFormatError(f"{path}/sign/person", "post and name are required")
            if not signer.stamp or signer.stamp_position is None:
                raise MedoFormatError(
                    f"{path}/sign/documentSignature/signatureStamp",
                    "a signature mark image and its place are required",
                )


def build_passport(passport: Passport) -> bytes:
    """Write a passport (container version 1.0) in UTF-8, in the passport's namespace.

    2.7 (``http://minsvyaz.ru/container``) validates against the public container schema;
    2.7.1 (``urn:IEDMS:CONTAINER``) has the same layout. Attributes are qualified (``c:uid``,
    ``c:localName``) as in the schema and every real passport; what the schema requires and
    the model leaves optional (uid, kind, annotation, registration and signature stamps with
    their places, signatories, an addressee) raises :class:`~edmscore.errors.MedoFormatError`.
    """
    ns = passport.namespace
    if ns not in (CONTAINER_NS_27, CONTAINER_NS_271):
        raise MedoFormatError("container", f"unknown passport namespace {ns!r}")
    _require(passport)

    def sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, f"{{{ns}}}{name}")
        if text is not None:
            el.text = text
        return el

    def put(el: etree._Element, name: str, value: str) -> None:
        el.set(f"{{{ns}}}{name}", value)

    def position(parent: etree._Element, pos: StampPosition | None, path: str) -> None:
        assert pos is not None
        el = sub(parent, "position")
        sub(el, "page", _whole(pos.page, f"{path}/page", 1))
        top = sub(el, "topLeft")
        sub(top, "x", _whole(pos.x, f"{path}/topLeft/x", 0))
        sub(top, "y", _whole(pos.y, f"{path}/topLeft/y", 0))
        dim = sub(el, "dimension")
        sub(dim, "w", _whole(pos.width, f"{path}/dimension/w", 1))
        sub(dim, "h", _whole(pos.height, f"{path}/dimension/h", 1))

    root = etree.Element(f"{{{ns}}}container", nsmap={"c": ns})
    assert passport.uid is not None
    put(root, "uid", passport.uid)
    put(root, "version", "1.0")
    req = sub(root, "requisites")
    sub(req, "documentKind", passport.document_kind)
    if passport.classification:
        sub(req, "classification", passport.classification)
    sub(req, "annotation", passport.annotation)
    authors = sub(root, "authors")
    for author in passport.authors:
        el = sub(authors, "author")
        sub(sub(el, "organization"), "title", author.organization)
        reg = sub(el, "registration")
        sub(reg, "number", author.number)
        assert author.date is not None
        sub(reg, "date", author.date.isoformat())
        stamp = sub(reg, "registrationStamp")
        put(stamp, "localName", author.registration_stamp or "")
        position(stamp, author.stamp_position, "registrationStamp/position")
        for signer in author.signers:
            sign = sub(el, "sign")
            person = sub(sign, "person")
            sub(person, "post", signer.post)
            sub(person, "name", signer.name)
            sig = sub(sign, "documentSignature")
            put(sig, "localName", signer.signature)
            put(sig, "type", signer.signature_type)
            mark = sub(sig, "signatureStamp")
            put(mark, "localName", signer.stamp or "")
            position(mark, signer.stamp_position, "signatureStamp/position")
    addressees = sub(root, "addressees")
    for title, org_id in passport.addressees:
        org = sub(sub(addressees, "addressee"), "organization")
        if org_id:
            put(org, "id", org_id)
        sub(org, "title", title)
    document = sub(root, "document")
    put(document, "localName", passport.document_name)
    if passport.pages is not None:
        sub(document, "pagesQuantity", str(passport.pages))
    if passport.attachments:
        group = sub(root, "attachments")
        for item in passport.attachments:
            el = sub(group, "attachment")
            put(el, "localName", item.local_name)
            sub(el, "order", str(item.order))
            if item.description:
                sub(el, "description", item.description)
            for signature in item.signatures:
                put(sub(el, "signature"), "localName", signature)
    if passport.container_signature:
        put(sub(root, "containerSignature"), "localName", passport.container_signature)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    assert isinstance(data, bytes)
    return data
