"""Logs of the use cases: one standard logger per package, structured fields, no personal data.

Each package logs to its own logger (``edmscore.records``, ``edmscore.control``,
``edmscore.exchange``…), children of ``edmscore``, which has a ``NullHandler`` (set in
``edmscore/__init__``): nothing is printed
unless the host configures logging. A use case logs one record when it ends, with these ``extra``
fields for an operator: ``use_case`` (``records.register``), ``actor_id``, ``record_ids`` (the ids
the call named and the id of what it returned), ``duration_ms``, ``outcome`` (``ok`` or the error
code). The text names the use case and the outcome alone: no argument's content (a card's
summary, a citizen's name, a ДСП text) is ever logged, and an unexpected failure is logged by its
type, not its message.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from edmscore.errors import EdmsError

__all__ = ["FIELDS", "logged_use_case", "package_logger"]

#: The structured fields every use-case record carries (``record.__dict__`` keys).
FIELDS = ("use_case", "actor_id", "record_ids", "duration_ms", "outcome")


def package_logger(module: str) -> logging.Logger:
    """The logger of the package a module belongs to: ``edmscore.records.admin`` →
    ``edmscore.records``; the exchange's subpackages share ``edmscore.exchange``."""
    parts = module.split(".")
    return logging.getLogger(".".join(parts[:2]))


def _actor_id(actor: object) -> str | None:
    if isinstance(actor, str):
        return actor
    for name in ("user_id", "id"):
        value = getattr(actor, name, None)
        if isinstance(value, str):
            return value
    user = getattr(actor, "user", None)
    value = getattr(user, "id", None)
    return value if isinstance(value, str) else None


def _record_ids(arguments: dict[str, Any], result: object) -> tuple[str, ...]:
    found = [
        value
        for name, value in arguments.items()
        if (name == "id" or name.endswith("_id")) and isinstance(value, str)
    ]
    value = getattr(result, "id", None)
    if isinstance(value, str):
        found.append(value)
    return tuple(dict.fromkeys(found))


def logged_use_case(
    func: Callable[..., Any], use_case: str, logger: logging.Logger
) -> Callable[..., Any]:
    """``func`` (a use-case method) logging one structured record when it ends."""
    import inspect

    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        outcome = "ok"
        result: object = None
        level = logging.INFO
        try:
            result = func(*args, **kwargs)
            return result
        except EdmsError as error:
            outcome = error.code
            raise
        except Exception as error:
            outcome = type(error).__name__
            level = logging.ERROR
            raise
        finally:
            if logger.isEnabledFor(level):
                try:
                    arguments = dict(signature.bind(*args, **kwargs).arguments)
                except TypeError:
                    arguments = {}
                extra = {
                    "use_case": use_case,
                    "actor_id": _actor_id(arguments.get("actor")),
                    "record_ids": _record_ids(arguments, result),
                    "duration_ms": round((time.perf_counter() - start) * 1000, 3),
                    "outcome": outcome,
                }
                logger.log(level, "%s: %s", use_case, outcome, extra=extra)

    return wrapper
