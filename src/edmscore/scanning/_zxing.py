"""The one place zxing-cpp (the ``scanning`` extra) is imported."""

from __future__ import annotations

from types import ModuleType

from edmscore.errors import MissingDependency


def zxing() -> ModuleType:
    """The ``zxingcpp`` module, or :class:`MissingDependency` naming the ``scanning`` extra."""
    try:
        import zxingcpp
    except ImportError as exc:  # pragma: no cover - the extra is installed in the tests
        raise MissingDependency("zxing-cpp", "scanning") from exc
    return zxingcpp
