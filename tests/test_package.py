"""The package as installed: version, public surface, error tree, package data."""

from __future__ import annotations

import importlib.metadata
import pathlib
import subprocess
import sys

import edmscore
from edmscore import errors


def test_tests_run_against_the_installed_package() -> None:
    path = pathlib.Path(edmscore.__file__).resolve()
    assert "site-packages" in path.parts, path


def test_version_matches_distribution_metadata() -> None:
    assert importlib.metadata.version("edmscore") == edmscore.__version__


def test_py_typed_is_shipped() -> None:
    assert (pathlib.Path(edmscore.__file__).parent / "py.typed").is_file()


def test_public_all_is_sorted_and_resolvable() -> None:
    assert list(edmscore.__all__) == sorted(edmscore.__all__)
    for name in edmscore.__all__:
        assert hasattr(edmscore, name), name


def test_every_error_derives_from_the_root() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        if not isinstance(cls, type):  # the locale's functions and constant
            continue
        assert issubclass(cls, errors.EdmsError), name
        assert name in (errors.__doc__ or ""), f"{name} missing from the drawn tree"


def test_validation_error_names_the_field_and_is_a_value_error() -> None:
    err = errors.ValidationError("summary", "must not be empty")
    assert isinstance(err, ValueError)
    assert err.field == "summary"
    assert "summary" in str(err)


def test_cli_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "edmscore.cli", "--version"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == edmscore.__version__
