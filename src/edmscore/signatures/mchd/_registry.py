"""The port to the registry of МЧД: whether a power of attorney was revoked, as the host learns it.

The library never goes to the network. The host asks the registry (ФНС's distributed ledger, the
platform of the issuing system) and hands the answer in through a :class:`PoaRegistry`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import attrs
import pendulum


class RegistryState(enum.Enum):
    """What the registry says about a МЧД."""

    ACTIVE = "active"
    REVOKED = "revoked"
    UNKNOWN = "unknown"  # not registered, or the registry could not be asked


@attrs.frozen
class RegistryAnswer:
    """The registry's answer for one МЧД number; ``revoked_at`` is set for a revoked one."""

    state: RegistryState
    revoked_at: pendulum.DateTime | None = None
    source: str = ""


@runtime_checkable
class PoaRegistry(Protocol):
    """The host's adapter to the МЧД registry."""

    def status(self, number: str) -> RegistryAnswer:
        """The registry's answer for the МЧД with this number."""
        ...


def _lower_keys(answers: Mapping[str, RegistryAnswer]) -> dict[str, RegistryAnswer]:
    return {key.lower(): value for key, value in answers.items()}


@attrs.frozen
class StaticPoaRegistry:
    """A registry answered from a mapping the host filled in (numbers not in it are unknown)."""

    answers: Mapping[str, RegistryAnswer] = attrs.field(factory=dict, converter=_lower_keys)
    source: str = "static"

    def status(self, number: str) -> RegistryAnswer:
        """The stored answer, or ``UNKNOWN``."""
        return self.answers.get(
            number.lower(), RegistryAnswer(RegistryState.UNKNOWN, source=self.source)
        )
