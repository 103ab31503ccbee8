"""Every public function and use case, called with arguments of the wrong type, answers with a
typed error of the hierarchy naming the argument — never an AttributeError deep inside.

The public functions are each public module's ``__all__`` (as scripts/gen_reference.py walks
them); the use cases are the methods of the services ``Edms`` exposes. Functions that accept any
value (``object``) may return normally. Constructors of value classes are attrs classes: their
validators raise ``ValidationError`` for bad values, and Python's ``TypeError`` names a missing or
unexpected argument (docs/errors.md).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pathlib
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from edmscore import Edms, Organisation, User
from edmscore.errors import EdmsError, WrongType

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "gen_reference.py"
SKIP_MODULES = ("edmscore.testing",)  # the test kit: pytest fixtures and strategies


class Wrong:
    """A value of no type any public function asks for."""

    def __repr__(self) -> str:
        return "Wrong()"


def _modules() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location("gen_reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(m for m in module.MODULES if not m.startswith(SKIP_MODULES))


def _functions() -> list[tuple[str, Callable[..., Any]]]:
    found: list[tuple[str, Callable[..., Any]]] = []
    for name in _modules():
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", ()):
            value = getattr(module, public)
            if inspect.isfunction(value):
                found.append((f"{name}.{public}", value))
    return found


def _required(func: Callable[..., Any]) -> dict[str, Any]:
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return {
        p.name: Wrong()
        for p in inspect.signature(func).parameters.values()
        if p.default is p.empty and p.kind in kinds
    }


def _call(func: Callable[..., Any], arguments: dict[str, Any], where: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            func(**arguments)
    except WrongType as error:
        assert error.field in inspect.signature(func).parameters, (where, error.field)
        assert error.given == type(arguments[error.field]).__name__
    except EdmsError:
        pass
    except Exception as error:  # the point of the test: nothing else may come out
        pytest.fail(f"{where} raised {type(error).__name__}: {error}")


FUNCTIONS = _functions()


@pytest.mark.parametrize(("name", "func"), FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_a_public_function_refuses_wrong_types_with_a_typed_error(
    name: str, func: Callable[..., Any]
) -> None:
    _call(func, _required(func), name)


def test_the_walk_reaches_the_functions_that_blamed_the_wrong_thing() -> None:
    names = {n for n, _ in FUNCTIONS}
    assert {"edmscore.pdf.stamp_pdf", "edmscore.signatures.verify"} <= names
    assert len(names) > 100


SERVICES = ("records", "admin", "control", "approval", "appeals", "exchange")


@pytest.mark.parametrize("service", SERVICES)
def test_every_use_case_refuses_wrong_types_with_a_typed_error(service: str) -> None:
    edms = Edms()
    edms.setup(Organisation("gov", "Администрация"), User("root", "root", "gov"))
    methods = [
        (name, method)
        for name, method in inspect.getmembers(getattr(edms, service), inspect.ismethod)
        if not name.startswith("_")
    ]
    assert methods
    for name, method in methods:
        arguments = _required(method)
        _call(method, arguments, f"{service}.{name}")
        if "actor" in arguments:  # a real actor, everything else wrong
            _call(method, {**arguments, "actor": "root"}, f"{service}.{name} (actor)")


def test_the_check_follows_the_type_systems_promotions() -> None:
    import datetime as dt

    import pendulum

    from edmscore._guard import guarded

    def sample(
        ratio: float,
        data: bytes,
        day: pendulum.Date,
        items: tuple[str, ...],
        note: str | None = None,
        *rest: int,
    ) -> None:
        """Takes what its annotations say."""

    check = guarded(sample)
    check(1, bytearray(b"x"), dt.date(2026, 1, 1), ["a"], None, 1, 2)
    with pytest.raises(WrongType) as caught:
        check(1.0, b"x", dt.date(2026, 1, 1), ("a",), note=5)
    assert (caught.value.field, caught.value.expected, caught.value.given) == (
        "note",
        "str | None",
        "int",
    )
    with pytest.raises(WrongType) as rest:
        check(1.0, b"x", dt.date(2026, 1, 1), (), None, 1, "two")
    assert rest.value.field == "rest"
    with pytest.raises(TypeError):  # a missing argument is Python's own TypeError
        check(1.0)
