"""A draft signed by three co-signers through approval, side by side with OpenSSL.

For a 1 MB document and each algorithm (ECDSA P-256, GOST R 34.10-2012-256): the three
signatures of a joint document through ``edmscore.Edms`` — for each co-signer
``request_signature`` (the checks, the CAdES request kept in the stored draft) + the value (a
local key, in process) + ``complete_signature`` (assembly and verification, the verifier port,
the merge into the document's CMS, the signature record, the stored draft) — against the raw
limit: three times ``openssl cms -sign`` + ``openssl cms -verify`` of the same data with the
same keys (each process's bare start-up, measured apart, taken off). The draft is made and
approved before the clock starts.

Run: ``.venv/bin/python benchmarks/bench_joint_signing.py [repeat]``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pendulum

from edmscore import Edms, FixedClock, Official, Organisation, PersonName, User
from edmscore.approval import (
    DraftFile,
    DraftRequest,
    ParticipantSpec,
    SignatorySpec,
    StageSpec,
    VisaDecision,
)
from edmscore.registry import CardDetails, CardKind, Journal
from edmscore.signatures import SubjectFields
from edmscore.signatures.signing import LocalKeySigner
from edmscore.testing.pki import Identity, TestPki

MB = 1_000_000
SIGNERS = (
    ("s1", "Соколов Андрей Викторович"),
    ("s2", "Лаптева Ольга Ивановна"),
    ("s3", "Зуев Павел Олегович"),
)


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], capture_output=True, check=True)


def _best(run: Callable[[], float], repeat: int) -> float:
    """The best of ``repeat`` runs; ``run`` returns its own measured seconds."""
    return min(run() for _ in range(repeat))


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


class _Installation:
    """One Edms with three co-signers and a reviewer; ``awaiting()`` makes a draft to sign."""

    def __init__(self, pki: TestPki, keys: dict[str, Identity], content: bytes) -> None:
        self.clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, 0, tz="Europe/Moscow"))
        self.edms = Edms(clock=self.clock, trust_anchors=[pki.root.certificate])
        self.keys, self.content = keys, content
        org = Organisation("org", "Правительство области", timezone="Europe/Moscow")
        admin = self.edms.setup(org, User("admin", "admin", org.id))
        people = [("author", "Орлова Мария Петровна"), ("lawyer", "Ким Елена Сергеевна")]
        for key, name in (*people, *SIGNERS):
            roles = ("executor",) if key in ("author", "lawyer") else ("head",)
            official = Official(key, org.id, PersonName.parse(name), "Должность")
            self.edms.admin.put_official(admin.id, official)
            self.edms.admin.put_user(admin.id, User(f"u-{key}", key, org.id, key, roles=roles))
        journal = Journal("pr", org.id, "ПР", "Проекты", "П-{seq}", {CardKind.DRAFT})
        self.edms.admin.create_journal(admin.id, journal)

    def awaiting(self) -> tuple[str, int]:
        service = self.edms.approval
        details = CardDetails(kind=CardKind.DRAFT, document_kind="Приказ", summary="Совместный")
        draft = service.create_draft(
            "u-author",
            DraftRequest(
                "pr", details, CardKind.INTERNAL, "s1", (DraftFile("order.pdf", self.content),)
            ),
        )
        draft = service.start_approval(
            "u-author",
            draft.id,
            draft.version,
            [StageSpec("Экспертиза", (ParticipantSpec("lawyer"),))],
            co_signatories=[SignatorySpec("s2"), SignatorySpec("s3")],
        )
        draft = service.give_visa("u-lawyer", draft.id, draft.version, VisaDecision.AGREED)
        return draft.id, draft.version

    def sign_all(self) -> float:
        draft_id, version = self.awaiting()
        service = self.edms.approval

        def three() -> None:
            nonlocal version
            for key, _ in SIGNERS:
                identity = self.keys[key]
                draft, request = service.request_signature(
                    f"u-{key}", draft_id, version, identity.certificate
                )
                value = LocalKeySigner(identity.private_key_pem).sign(request)
                draft = service.complete_signature(
                    f"u-{key}", draft_id, draft.version, request.id, value
                )
                version = draft.version
            assert draft.state.value == "signed"

        return _timed(three)


def _bench(kind: str, folder: Path, content: bytes, repeat: int) -> float:
    pki = TestPki.create(kind, not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    keys = {}
    (folder / "root.pem").write_bytes(pki.root.certificate_pem)
    (folder / "doc.bin").write_bytes(content)
    for key, name in SIGNERS:
        surname, given, patronymic = name.split()
        keys[key] = pki.issue(
            SubjectFields(
                common_name=name, surname=surname, given_name=given, patronymic=patronymic
            ),
            not_before=pendulum.datetime(2025, 6, 1, tz="UTC"),
            not_after=pendulum.datetime(2027, 6, 1, tz="UTC"),
        )
        (folder / f"{key}.pem").write_bytes(keys[key].certificate_pem)
        (folder / f"{key}.key").write_bytes(keys[key].private_key_pem)
    installation = _Installation(pki, keys, content)
    ours = _best(installation.sign_all, repeat)

    engine = ["-engine", "gost"] if kind.startswith("gost") else []
    doc, root = str(folder / "doc.bin"), str(folder / "root.pem")

    def theirs() -> float:
        def run() -> None:
            for key, _ in SIGNERS:
                sig = str(folder / f"{key}.p7s")
                signer = [
                    "-signer",
                    str(folder / f"{key}.pem"),
                    "-inkey",
                    str(folder / f"{key}.key"),
                ]
                _openssl("cms", "-sign", *engine, "-binary", "-in", doc, *signer,
                         "-outform", "DER", "-out", sig)  # fmt: skip
                _openssl("cms", "-verify", *engine, "-binary", "-inform", "DER", "-in", sig,
                         "-content", doc, "-CAfile", root, "-out", os.devnull)  # fmt: skip

        return _timed(run)

    theirs_s = _best(theirs, repeat)
    startup = _best(
        lambda: _timed(lambda: _openssl(*(["engine", "gost"] if engine else ["version"]))), repeat
    )
    net = max(theirs_s - 6 * startup, 1e-9)
    print(
        f"{kind:8} 1 MB, 3 co-signers  edmscore request+sign+complete x3 {ours * 1000:7.1f} ms   "
        f"openssl (cms -sign + -verify) x3 {theirs_s * 1000:7.1f} ms "
        f"(start-up {startup * 1000:.1f} ms each)   ratio {ours / theirs_s:.2f}x "
        f"(vs openssl less start-up {ours / net:.2f}x)"
    )
    return ours / net


def main() -> int:
    """Run the comparison for each algorithm."""
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    content = os.urandom(MB)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("ecdsa", "gost256"):
            folder = Path(tmp) / kind
            folder.mkdir()
            _bench(kind, folder, content, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
