"""Examples and docs start the way a host should: through public names only.

No example or runnable docs block imports a private module (a name part starting with ``_``), and
none sets itself up with the test kit's builders (``edmscore.testing``) — except the signature
examples, which use the test PKI (``edmscore.testing.pki``, with its TSA and OCSP responder in
``edmscore.testing.ltv``) as a stand-in for an accredited CA.
"""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
ALLOWED_TEST_KIT = frozenset({"edmscore.testing.pki", "edmscore.testing.ltv"})


def _sources() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob("examples/*.py"))]
    for page in sorted(ROOT.glob("docs/*.md")):
        for number, match in enumerate(_BLOCK.finditer(page.read_text(encoding="utf-8")), 1):
            found.append((f"{page.name}#block{number}", match.group(1)))
    return found


def _imports(source: str) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            modules += [a.name for a in node.names]
    return [m for m in modules if m.split(".")[0] == "edmscore"]


@pytest.mark.parametrize(("name", "source"), _sources(), ids=[n for n, _ in _sources()])
def test_only_public_names_are_imported(name: str, source: str) -> None:
    for module in _imports(source):
        private = [part for part in module.split(".") if part.startswith("_")]
        assert not private, f"{name} imports the private {module}"
        if module.startswith("edmscore.testing") and module != "edmscore.testing":
            assert any(module.startswith(a) for a in ALLOWED_TEST_KIT), (
                f"{name} starts with the test kit ({module}); use edmscore.Edms"
            )
        assert module != "edmscore.testing", f"{name} imports the test kit"


@pytest.mark.parametrize(("name", "source"), _sources(), ids=[n for n, _ in _sources()])
def test_use_cases_are_reached_through_the_entry_point(name: str, source: str) -> None:
    built_by_hand = re.search(
        r"\b(RecordsService|AdminService|ControlService|"
        r"ApprovalService|AppealsService|ExchangeService)\(",
        source,
    )
    assert not built_by_hand, f"{name} builds a service by hand instead of using Edms"
    # Setting up the installation is a use case (Edms.setup, edms.admin), not a storage write.
    for write in ("put_organisation(", "put_user(", "journals.add("):
        for line in source.splitlines():
            if write in line:
                assert "edms.admin." in line or ".admin." in line, (
                    f"{name} writes the directory or journals straight to storage: {line.strip()}"
                )
