"""The docs run: every ```python block of every page executes, a page's blocks in order.

Blocks fenced as ```py are illustrations that need a host's code and are not run.
"""

from __future__ import annotations

import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
PAGES = sorted(p for p in DOCS.glob("*.md") if _BLOCK.search(p.read_text(encoding="utf-8")))


def test_some_pages_have_runnable_blocks() -> None:
    assert PAGES, "no docs page has a ```python block"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_blocks_run(page: pathlib.Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, match in enumerate(_BLOCK.finditer(page.read_text(encoding="utf-8")), 1):
        code = compile(match.group(1), f"{page.name}#block{number}", "exec")
        exec(code, namespace)
