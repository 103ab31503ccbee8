"""Test helpers for hosts: hypothesis strategies, the adapter contract suite, a test PKI.

- :mod:`edmscore.testing.strategies` — hypothesis strategies (needs the ``testing`` extra);
- :mod:`edmscore.testing.contract` — :class:`StorageContract`, the suite every storage adapter
  must pass; subclass it in a pytest module and implement ``make_storage``;
- :func:`make_world`, :func:`make_details`, :func:`make_card`, :func:`make_nomenclature` —
  small valid fixtures.

Submodules are imported on demand, so importing this package does not import hypothesis.
"""

from __future__ import annotations

from edmscore.testing._builders import (
    World,
    make_card,
    make_details,
    make_nomenclature,
    make_world,
)

__all__ = ["World", "make_card", "make_details", "make_nomenclature", "make_world"]
