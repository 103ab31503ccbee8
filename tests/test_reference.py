"""docs/reference.md lists every public name and is generated from the code, never stale."""

from __future__ import annotations

import importlib.util
import pathlib

import edmscore.access

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "gen_reference.py"


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_page_is_what_the_code_generates() -> None:
    generator = _generator()
    assert generator.PAGE.read_text(encoding="utf-8") == generator.render(), (
        "docs/reference.md is out of date: run python scripts/gen_reference.py"
    )


def test_every_public_name_of_a_listed_module_is_on_the_page_with_a_summary() -> None:
    generator = _generator()
    page = generator.PAGE.read_text(encoding="utf-8")
    for name in edmscore.access.__all__:
        row = next(line for line in page.splitlines() if line.startswith(f"| `{name}` |"))
        assert row.rstrip(" |").split("|")[-1].strip(), f"{name} has no summary"


def test_every_public_name_is_rendered_in_full_by_mkdocstrings() -> None:
    import importlib

    generator = _generator()
    page = generator.PAGE.read_text(encoding="utf-8")
    for name in generator.MODULES:
        module = importlib.import_module(name)
        section = page.split(f"::: {name}\n", 1)
        assert len(section) == 2, f"{name} has no mkdocstrings directive"
        members = section[1].split("\n\n", 1)[0]
        for public in getattr(module, "__all__", ()):
            if not public.startswith("__"):
                assert f"        - {public}\n" in members + "\n", f"{name}.{public} not rendered"


def test_the_docs_site_renders_the_reference_with_mkdocstrings() -> None:
    config = (SCRIPT.parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- mkdocstrings:" in config and "paths: [src]" in config
