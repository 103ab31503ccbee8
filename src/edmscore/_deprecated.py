"""Old import paths kept for one release: the body of a shim module's ``__getattr__``.

A public module that moved leaves a thin shim at its old path::

    from edmscore import _deprecated
    from edmscore.records import service as _service

    _MOVED = {"RecordsService": _service}

    def __getattr__(name: str) -> Any:
        return _deprecated.moved(__name__, name, _MOVED)

Reading ``RecordsService`` from the shim gives the very object at its new place and emits a
:class:`DeprecationWarning` naming the new path; any other name is an ``AttributeError``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from types import ModuleType
from typing import Any

__all__ = ["moved"]


def moved(old: str, name: str, where: Mapping[str, ModuleType]) -> Any:
    """The attribute ``name`` of the shim ``old``, taken from its new module, with a warning."""
    module = where.get(name)
    if module is None:
        raise AttributeError(f"module {old!r} has no attribute {name!r}")
    warnings.warn(
        f"{old}.{name} moved to {module.__name__}.{name}; the old path is deprecated and goes "
        "away in the next release",
        DeprecationWarning,
        stacklevel=3,
    )
    return getattr(module, name)
