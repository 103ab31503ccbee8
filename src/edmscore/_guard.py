"""Arguments of the wrong type are refused at the public surface with a ``WrongType``.

:func:`guard_public` wraps the public functions a package exports (its ``__all__``) so that each
call first checks its arguments against the annotations: a list where one mark goes, a string
where a user goes is refused naming the argument, not met as an ``AttributeError`` deep inside.
Only what can be checked cheaply and surely is checked (classes, unions of them, ``None``, the
abstract collections); anything else (``Any``, type variables, protocols that cannot be checked
at run time, annotations that do not resolve) is let through. The check follows the type system's
promotions: ``float`` takes an ``int``, ``bytes`` a ``bytearray`` or ``memoryview``, a pendulum
date or time takes the standard library's; a ``tuple`` takes a ``list`` (and the other way
round), a ``frozenset`` a ``set``, a ``dict`` any mapping; the items of a collection are not
checked.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import functools
import inspect
import sys
import types
import typing
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

from edmscore._log import logged_use_case, package_logger
from edmscore.errors import WrongType

__all__ = ["accepted_types", "guard_public", "guarded"]

_PROMOTED: dict[type, tuple[type, ...]] = {
    float: (int, float),
    complex: (int, float, complex),
    bytes: (bytes, bytearray, memoryview),
    # A collection of the right family passes: a list where a tuple is annotated worked before
    # the check and still does (the items are not checked).
    tuple: (tuple, list),
    list: (list, tuple),
    set: (set, frozenset),
    frozenset: (frozenset, set),
    dict: (collections.abc.Mapping,),
}
_STD_DATES = (dt.datetime, dt.date, dt.time, dt.timedelta)


def _classes_of(annotation: Any) -> tuple[type, ...] | None:
    """The classes an argument may be an instance of, or ``None`` when it cannot be checked."""
    if annotation is Any or annotation is object or isinstance(annotation, typing.TypeVar):
        return None
    if annotation is None or annotation is type(None):
        return (type(None),)
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        found: list[type] = []
        for member in typing.get_args(annotation):
            classes = _classes_of(member)
            if classes is None:
                return None
            found.extend(classes)
        return tuple(found)
    if origin is typing.Literal or origin is typing.Annotated:
        return None
    if origin is not None:
        annotation = origin
    if annotation is collections.abc.Callable:
        return None  # checked with callable() would refuse classes used as factories
    if not isinstance(annotation, type) or annotation.__module__ == "typing":
        return None  # typing.IO and its kin: file objects of any class fit them
    if getattr(annotation, "_is_protocol", False) and not getattr(
        annotation, "_is_runtime_protocol", False
    ):
        return None
    if annotation in _PROMOTED:
        return _PROMOTED[annotation]
    if annotation.__module__.split(".")[0] == "pendulum":
        std = next((base for base in annotation.__mro__ if base in _STD_DATES), None)
        return (std,) if std is not None else None
    return (annotation,)


def _describe(annotation: Any) -> str:
    """The annotation as a person reads it: ``Principal | User | str``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(_describe(member) for member in typing.get_args(annotation))
    if annotation is None or annotation is type(None):
        return "None"
    if isinstance(annotation, type):
        return annotation.__name__
    if origin is not None and isinstance(origin, type):
        return origin.__name__
    return str(annotation).replace("typing.", "").replace("collections.abc.", "")


def _edmscore_names() -> dict[str, Any]:
    """Every name edmscore's loaded modules define: the last resort for an annotation that
    names a type imported for type checking alone."""
    found: dict[str, Any] = {}
    for name, module in list(sys.modules.items()):
        if module is not None and (name == "edmscore" or name.startswith("edmscore.")):
            for key, value in list(vars(module).items()):
                found.setdefault(key, value)
    return found


def accepted_types(
    func: Callable[..., Any], names: Mapping[str, Any] | None = None
) -> dict[str, tuple[Any, tuple[type, ...]]]:
    """Each checkable parameter of ``func``: its annotation and the classes it accepts.

    ``names`` resolves what the function's module imports for type checking alone (the public
    package's namespace).
    """
    extra = dict(names or {})
    try:
        hints = typing.get_type_hints(func, localns=extra)
    except Exception:  # an annotation that names an import nothing here can resolve
        hints = {}
        module = inspect.getmodule(func)
        namespace = {
            **_edmscore_names(),
            **extra,
            **(vars(module) if module is not None else {}),
        }
        for name, raw in getattr(func, "__annotations__", {}).items():
            try:
                hints[name] = eval(raw, namespace) if isinstance(raw, str) else raw
            except Exception:
                continue
    checks: dict[str, tuple[Any, tuple[type, ...]]] = {}
    for name, annotation in hints.items():
        if name == "return":
            continue
        annotation = _resolve(annotation, func, extra)
        classes = _classes_of(annotation)
        if classes is not None:
            checks[name] = (annotation, classes)
    return checks


def _resolve(annotation: Any, func: Callable[..., Any], extra: Mapping[str, Any]) -> Any:
    """An annotation left as text (a type alias written as a string) evaluated, if it can be."""
    for _ in range(3):
        if isinstance(annotation, typing.ForwardRef):
            annotation = annotation.__forward_arg__
        if not isinstance(annotation, str):
            return annotation
        module = inspect.getmodule(func)
        namespace = {
            **_edmscore_names(),
            **extra,
            **(vars(module) if module is not None else {}),
        }
        try:
            annotation = eval(annotation, namespace)
        except Exception:
            return Any  # cannot be resolved here: not checked
    return annotation


def guarded(func: Callable[..., Any], names: Mapping[str, Any] | None = None) -> Callable[..., Any]:
    """``func`` with its arguments checked against its annotations (:class:`WrongType`)."""
    parameters = list(inspect.signature(func).parameters.values())
    positional = [
        p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    rest = next((p.name for p in parameters if p.kind is p.VAR_POSITIONAL), None)
    keywords = next((p.name for p in parameters if p.kind is p.VAR_KEYWORD), None)
    checks: dict[str, tuple[Any, tuple[type, ...]]] | None = None

    def check(name: str | None, value: object) -> None:
        assert checks is not None
        found = checks.get(name) if name is not None else None
        if found is not None and not isinstance(value, found[1]):
            raise WrongType(name or "", _describe(found[0]), value)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal checks
        if checks is None:
            checks = accepted_types(func, names)
        if checks:
            for index, value in enumerate(args):
                check(positional[index] if index < len(positional) else rest, value)
            for name, value in kwargs.items():
                check(name if name in checks else keywords, value)
        return func(*args, **kwargs)

    wrapper.__edms_guarded__ = True  # type: ignore[attr-defined]
    return wrapper


def guard_public(namespace: MutableMapping[str, Any]) -> None:
    """Wrap every plain function a package's ``__all__`` exports with :func:`guarded`, and the
    public methods of the use-case services it exports (classes named ``…Service``), which also
    log each call (:mod:`edmscore._log`)."""
    for name in namespace.get("__all__", ()):
        value = namespace.get(name)
        if inspect.isfunction(value) and not getattr(value, "__edms_guarded__", False):
            namespace[name] = guarded(value, namespace)
        elif inspect.isclass(value) and name.endswith("Service"):
            logger = package_logger(value.__module__)
            area = name.removesuffix("Service").lower()
            for attribute, method in list(vars(value).items()):
                if attribute.startswith("_") or not inspect.isfunction(method):
                    continue
                if not getattr(method, "__edms_guarded__", False):
                    checked = guarded(method, namespace)
                    wrapped = logged_use_case(checked, f"{area}.{attribute}", logger)
                    wrapped.__edms_guarded__ = True  # type: ignore[attr-defined]
                    setattr(value, attribute, wrapped)
