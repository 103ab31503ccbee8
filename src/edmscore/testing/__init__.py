"""Test helpers for hosts: hypothesis strategies, the adapter contract suite, a test PKI.

- :mod:`edmscore.testing.strategies` — hypothesis strategies (needs the ``testing`` extra);
- :mod:`edmscore.testing.pki` — a small test PKI (RSA, ECDSA, GOST CAs, users, CRLs, signatures);
- :mod:`edmscore.testing.contract` — :class:`StorageContract`, the suite every storage adapter
  must pass; subclass it in a pytest module and implement ``make_storage``;
- :mod:`edmscore.testing.approval_contract` — :class:`ApprovalStorageContract`, the suite for
  adapters' approval repositories; :class:`RawSigner`, a throw-away signer for approval tests;
- :mod:`edmscore.testing.appeals_contract` — :class:`AppealsContract`, the suite for adapters'
  appeals repositories, and :func:`make_appeal`;
- :func:`make_world`, :func:`make_details`, :func:`make_card`, :func:`make_nomenclature`,
  :func:`store_world` — small valid fixtures.

Submodules are imported on demand, so importing this package does not import hypothesis.
"""

from __future__ import annotations

from edmscore.testing._approval_pki import RawSigner
from edmscore.testing._builders import (
    World,
    make_card,
    make_details,
    make_nomenclature,
    make_world,
    store_world,
)

__all__ = [
    "RawSigner",
    "World",
    "make_card",
    "make_details",
    "make_nomenclature",
    "make_world",
    "store_world",
]
