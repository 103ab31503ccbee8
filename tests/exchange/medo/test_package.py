"""The medo package surface: explicit exports, schemas shipped, hypothesis kept to strategies."""

from __future__ import annotations

import pathlib

import edmscore.exchange.medo as medo
from edmscore.exchange.medo import SUPPORTED_VERSIONS
from edmscore.exchange.medo._schema import schema_for


def test_every_exported_name_resolves() -> None:
    assert len(set(medo.__all__)) == len(medo.__all__)
    for name in medo.__all__:
        assert hasattr(medo, name), name


def test_the_schemas_are_shipped_as_package_data() -> None:
    data = pathlib.Path(medo.__file__).parent / "data"
    assert (data / "IEDMS-2.6.xsd").is_file()
    assert (data / "IEDMS-2.2.xsd").is_file()
    assert schema_for("2.6") is not None
    assert schema_for("2.2") is not schema_for("2.6")
    assert schema_for("2.7.1") is None
    assert "2.7.1" in SUPPORTED_VERSIONS


def test_only_the_strategies_module_imports_hypothesis() -> None:
    package = pathlib.Path(medo.__file__).parent
    importers = sorted(p.name for p in package.glob("*.py") if "hypothesis" in p.read_text("utf-8"))
    assert importers == ["strategies.py"]
