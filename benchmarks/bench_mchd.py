"""A signature with its МЧД against the signature alone; the protocol PDF against plain fpdf2.

In one run:

* verifying a detached signature over a 100 kB document: ``edmscore.signatures.verify`` alone,
  and ``verify_with_poa`` with the real МЧД of tests/corpus/mchd (parsed, its own real
  GOST R 34.10-2012 signature checked against the accredited-CA set, every МЧД check run).
  Goal (issue 18): ≤ 1.5× the signature alone. Measured both ways: the МЧД read and its
  signature (a real CAdES-T: the signer's, its certificate's and the time-stamp's GOST
  signatures) checked on every call, and the МЧД loaded once (``load_signed_poa``) for a batch
  of documents, as a host does. Two document signatures: RSA and GOST-256;
* the protocol PDF for a document with 3 signatures and their МЧД: ``protocol_pdf`` against
  plain fpdf2 writing the same lines of text in the same embedded font (no layout). Goal: under
  100 ms.

Times are the best of several runs (the machine may be shared). Run:
``.venv/bin/python benchmarks/bench_mchd.py``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pendulum
from fpdf import FPDF

from edmscore.pdf import VerificationProtocol, font_path, protocol_pdf
from edmscore.signatures import SubjectFields, TrustAnchors, verify
from edmscore.signatures.mchd import (
    PoaAction,
    RegistryAnswer,
    RegistryState,
    SignedPoa,
    StaticPoaRegistry,
    load_signed_poa,
    verify_with_poa,
)
from edmscore.testing.pki import TestPki

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.signatures._corpus import accredited_ders  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "mchd"
NAME = "ON_EMCHD_20241203_c61a40df-d38f-4800-9ba4-61a2df016993"
SIGNED_AT = pendulum.datetime(2024, 12, 10, 9, tz="Europe/Moscow")
DOCUMENT = ("Товарная накладная № 17. " * 4000).encode()[:100_000]


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _representative(pki: TestPki):  # type: ignore[no-untyped-def]
    return pki.issue(
        SubjectFields(
            surname="АЛФИМОВА", given_name="АННА СЕРГЕЕВНА", snils="06196363983", inn="510103032621"
        ),
        not_before=pendulum.datetime(2024, 1, 1),
        not_after=pendulum.datetime(2027, 1, 1),
    )


AT = SIGNED_AT.add(hours=1)
REGISTRY = StaticPoaRegistry({NAME[18:]: RegistryAnswer(RegistryState.ACTIVE)})
ACTION = PoaAction("Подписание накладной", keywords=["товарные накладные"])


def _with(
    signature: bytes, poa: bytes | SignedPoa, poa_sig: bytes | None, anchors: TrustAnchors
) -> object:
    result = verify_with_poa(
        DOCUMENT,
        signature,
        poa=poa,
        poa_signature=poa_sig,
        trust_anchors=anchors,
        at=AT,
        action=ACTION,
        registry=REGISTRY,
    )
    assert result.binds_organisation, result.to_json()
    return result


def _signatures(algorithm: str, ders: tuple[bytes, ...], poa: bytes, poa_sig: bytes) -> None:
    pki = TestPki.create(algorithm, not_before=pendulum.datetime(2020, 1, 1))
    anchors = TrustAnchors.load([*ders, pki.root.certificate])
    signature = pki.sign(DOCUMENT, _representative(pki), signing_time=SIGNED_AT)
    loaded = load_signed_poa(poa, poa_sig, trust_anchors=anchors, at=AT)
    t_alone = _best(lambda: verify(DOCUMENT, signature, trust_anchors=anchors, at=AT), 15)
    t_cold = _best(lambda: _with(signature, poa, poa_sig, anchors), 15)
    t_warm = _best(lambda: _with(signature, loaded, None, anchors), 15)
    print(
        f"{algorithm} signature alone {t_alone * 1e3:.2f} ms; with МЧД read and its signature"
        f" checked each time {t_cold * 1e3:.2f} ms, ratio {t_cold / t_alone:.2f}x;"
        f" with the МЧД loaded once {t_warm * 1e3:.2f} ms, ratio {t_warm / t_alone:.2f}x"
        " (goal <= 1.5x)"
    )


def main() -> None:
    poa = (CORPUS / f"{NAME}.xml").read_bytes()
    poa_sig = (CORPUS / f"{NAME}.sig").read_bytes()
    ders = accredited_ders()
    for algorithm in ("rsa", "gost256"):
        _signatures(algorithm, ders, poa, poa_sig)
    # The protocol: 3 signatures with their МЧД.
    pki = TestPki.create("rsa", not_before=pendulum.datetime(2020, 1, 1))
    anchors = TrustAnchors.load([*ders, pki.root.certificate])
    signers = [_representative(pki) for _ in range(3)]
    signature = pki.sign(DOCUMENT, signers[0], cosigners=signers[1:], signing_time=SIGNED_AT)
    result = verify_with_poa(
        DOCUMENT,
        signature,
        poa=poa,
        poa_signature=poa_sig,
        trust_anchors=anchors,
        at=AT,
        action=ACTION,
        registry=REGISTRY,
    )
    protocol = VerificationProtocol.of("Товарная накладная № 17.pdf", DOCUMENT, result)
    lines = [f"{label}: {value}" for s in protocol.sections() for label, value in s.rows]

    def plain() -> bytes:
        pdf = FPDF(unit="mm", format="A4")
        pdf.add_font("DejaVu", "", font_path())
        pdf.add_page()
        pdf.set_font("DejaVu", "", 9)
        for line in lines:
            pdf.multi_cell(0, 4.6, line, new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    protocol_pdf(protocol)
    t_ours = _best(lambda: protocol_pdf(protocol), 10)
    t_plain = _best(plain, 10)
    print(
        f"protocol PDF, 3 signatures with МЧД: edmscore {t_ours * 1e3:.1f} ms (goal < 100 ms),"
        f" plain fpdf2 text {t_plain * 1e3:.1f} ms, ratio {t_ours / t_plain:.2f}x"
    )


if __name__ == "__main__":
    main()
