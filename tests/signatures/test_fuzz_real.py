"""Property tests on real structures: length encodings and string types flipped, never a crash.

Each example takes a real signature or certificate from tests/corpus/pki, re-encodes some of its
elements (a non-minimal long-form length, a length header ending in 0x80, an indefinite length,
another string type for a name's value) and checks what must hold: the reader never fails other
than with a :class:`SignatureError`; changes outside what was signed leave the verdict valid;
a changed signed part never verifies; a name reads and compares the same in any string type.
"""

from __future__ import annotations

from collections.abc import Callable

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edmscore.errors import SignatureError
from edmscore.signatures import Status, _tlv, load_certificate, verify
from tests.signatures._corpus import CORPUS, accredited_ders, der_of_pem

SIGNED_AT = pendulum.datetime(2019, 8, 24, tz="UTC")
SIGNATURES = {
    name: (
        der_of_pem((CORPUS / f"ddulesov-{name}.cms.pem").read_bytes()),
        (CORPUS / f"ddulesov-{name}-ca.pem").read_bytes(),
    )
    for name in ("gost2001", "gost2012-256", "gost2012-512")
}

# A length form: minimal, long with extra leading zero octets, padded so the header ends in
# 0x80 when the length allows, or indefinite (constructed elements only).
Form = tuple[str, int]


def _length(length: int, form: Form, constructed: bool) -> tuple[bytes, bytes]:
    """The length octets and the trailer (end-of-contents) for ``form``."""
    kind, extra = form
    if kind == "indefinite" and constructed:
        return b"\x80", b"\x00\x00"
    if kind == "long":
        octets = length.to_bytes(max(1, (length.bit_length() + 7) // 8), "big")
        octets = bytes(extra) + octets
        return bytes([0x80 | len(octets)]) + octets, b""
    return _tlv.encode_length(length), b""


def rebuild(
    tlv: _tlv.Tlv,
    forms: dict[int, Form],
    counter: list[int],
    content: Callable[[_tlv.Tlv], bytes | None] = lambda t: None,
) -> bytes:
    """``tlv`` re-encoded: element number ``n`` (in document order) gets ``forms[n]``."""
    number = counter[0]
    counter[0] += 1
    identifier = tlv.buf[tlv.start : tlv.start + 1]
    if tlv.constructed:
        body = b"".join(rebuild(child, forms, counter, content) for child in tlv.children())
    else:
        replaced = content(tlv)
        body = tlv.content if replaced is None else replaced
    header, trailer = _length(len(body), forms.get(number, ("minimal", 0)), tlv.constructed)
    return identifier + header + body + trailer


def _elements(tlv: _tlv.Tlv, into: list[_tlv.Tlv]) -> list[_tlv.Tlv]:
    into.append(tlv)
    if tlv.constructed:
        for child in tlv.children():
            _elements(child, into)
    return into


def _signed_spans(signature: bytes) -> list[tuple[int, int]]:
    """Byte spans whose encoding is signed: each certificate's TBS and the signed attributes."""
    info = _tlv.read(signature)
    signed = info.children()[1].children()[0]
    spans = []
    for part in signed.children():
        if part.tag == 0xA0:
            spans += [(c.children()[0].start, c.children()[0].end) for c in part.children()]
        if part.tag == 0x31:
            for signer in part.children():
                spans += [(a.start, a.end) for a in signer.children() if a.tag == 0xA0]
    return spans


forms_strategy = st.one_of(
    st.tuples(st.just("long"), st.integers(min_value=1, max_value=2)),
    st.tuples(st.just("indefinite"), st.just(0)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SIGNATURES)), data=st.data())
def test_length_encodings_of_real_signatures(name: str, data: st.DataObject) -> None:
    signature, ca = SIGNATURES[name]
    elements = _elements(_tlv.read(signature), [])
    chosen = data.draw(
        st.dictionaries(st.integers(0, len(elements) - 1), forms_strategy, max_size=4)
    )
    mutated = rebuild(elements[0], chosen, [0])
    spans = _signed_spans(signature)

    def inside_signed(index: int) -> bool:
        element = elements[index]
        return any(start <= element.start < end for start, end in spans)

    try:
        report = verify(None, mutated, trust_anchors=[ca], at=SIGNED_AT)
    except SignatureError:
        # Only a structure this reader refuses on purpose may fail: never an element outside
        # the signed parts re-encoded with a valid BER length.
        raise
    touched_signed = [i for i, form in chosen.items() if inside_signed(i) and form[0] == "long"]
    if not touched_signed:
        assert report.status is Status.VALID, (chosen, report.to_json())
    else:
        assert report.status is not Status.VALID


def _string_values(name: _tlv.Tlv) -> list[_tlv.Tlv]:
    return [atv.children()[1] for rdn in name.children() for atv in rdn.children()]


_TYPES = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x1E: "utf-16-be", 0x1C: "utf-32-be"}


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_string_types_of_real_names(data: st.DataObject) -> None:
    ders = accredited_ders()
    der = ders[data.draw(st.integers(0, len(ders) - 1))]
    original = load_certificate(der)
    cert = _tlv.read(der)
    tbs_fields = cert.children()[0].children()
    offset = 1 if tbs_fields[0].tag == 0xA0 else 0
    subject = tbs_fields[offset + 4]
    values = [v for v in _string_values(subject) if v.tag in _TYPES]
    if not values:
        return
    target = values[data.draw(st.integers(0, len(values) - 1))]
    text = target.content.decode(_TYPES[target.tag])
    choices = [t for t, enc in _TYPES.items() if enc != "ascii" or text.isascii()]
    new_tag = data.draw(st.sampled_from(choices))

    def retype(tlv: _tlv.Tlv) -> bytes | None:
        return text.encode(_TYPES[new_tag]) if tlv.start == target.start else None

    rebuilt = bytearray(rebuild(cert, {}, [0], retype))
    # The new tag: find the re-encoded value (its content is unique enough in a name).
    encoded = text.encode(_TYPES[new_tag])
    position = rebuilt.find(_tlv.encode_length(len(encoded)) + encoded)
    rebuilt[position - 1] = new_tag
    changed = load_certificate(bytes(rebuilt))
    assert changed.subject == original.subject
    assert changed.subject_key == original.subject_key
    assert changed.fields == original.fields
