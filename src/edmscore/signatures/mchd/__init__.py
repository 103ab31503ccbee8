"""Machine-readable powers of attorney (машиночитаемая доверенность, МЧД).

Since 2023–2024 an employee's signature binds the organisation only together with a МЧД. This
package reads МЧД files — the unified format (``EMCHD_1``) and the earlier ФНС format (``002``)
— and checks them against the signature they back::

    result = verify_with_poa(
        document,
        signature,
        poa=poa_xml,
        poa_signature=poa_sig,
        trust_anchors=anchors,
        action=PoaAction("Подписывать письма", keywords=["подписыв"]),
        registry=host_registry,
    )
    result.binds_organisation
    result.to_json()

To verify many signatures made under one МЧД, load it once with :func:`load_signed_poa` and pass
the :class:`SignedPoa` as ``poa``.

The checks: the representative against the signing certificate (СНИЛС, ИНН, name), the
principal (ИНН/ОГРН), validity on the signing day, revocation as the host's registry reports it
(:class:`PoaRegistry`, a port: the library never goes to the network), the powers against the
action, the МЧД's own signature by a person acting without a power of attorney, and substitution
(передоверие) chains. A malformed МЧД raises :class:`~edmscore.errors.PoaFormatError`; findings
are values of the report.
"""

from __future__ import annotations

from edmscore.signatures.mchd._check import (
    PoaAction,
    PoaFinding,
    PoaReason,
    PoaReport,
    check_poa,
)
from edmscore.signatures.mchd._model import (
    ParentPoa,
    PoaFormat,
    PoaPerson,
    Power,
    PowerOfAttorney,
    Principal,
    Substitution,
)
from edmscore.signatures.mchd._parse import MAX_POA_BYTES, parse_poa
from edmscore.signatures.mchd._registry import (
    PoaRegistry,
    RegistryAnswer,
    RegistryState,
    StaticPoaRegistry,
)
from edmscore.signatures.mchd._verify import (
    PoaVerification,
    SignedPoa,
    find_poa,
    load_signed_poa,
    verify_with_poa,
)

__all__ = [
    "MAX_POA_BYTES",
    "ParentPoa",
    "PoaAction",
    "PoaFinding",
    "PoaFormat",
    "PoaPerson",
    "PoaReason",
    "PoaRegistry",
    "PoaReport",
    "PoaVerification",
    "Power",
    "PowerOfAttorney",
    "Principal",
    "RegistryAnswer",
    "RegistryState",
    "SignedPoa",
    "StaticPoaRegistry",
    "Substitution",
    "check_poa",
    "find_poa",
    "load_signed_poa",
    "parse_poa",
    "verify_with_poa",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
