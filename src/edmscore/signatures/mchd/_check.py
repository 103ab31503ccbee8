"""Checking a МЧД against the signature it backs: who, whose, when, what, and on whose authority.

Each check adds a :class:`PoaFinding`; the verdict is ``invalid`` when a finding proves the
signature does not bind the principal, ``indeterminate`` when something could not be decided
(no signing time, the registry not asked, the parent МЧД of a substitution not given).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence

import attrs
import pendulum

from edmscore.signatures._report import SignerReport, Status, VerificationReport
from edmscore.signatures._subject import SubjectFields
from edmscore.signatures.mchd._model import PoaPerson, PowerOfAttorney, Substitution, digits
from edmscore.signatures.mchd._registry import PoaRegistry, RegistryState

__all__ = ["PoaAction", "PoaFinding", "PoaReason", "PoaReport", "check_poa"]

#: Dates of a МЧД are calendar days in Russia; a signing time is compared in Moscow time.
ZONE = "Europe/Moscow"


class PoaReason(enum.Enum):
    """Why a МЧД does not (or may not) bind the principal to a signature."""

    REPRESENTATIVE_MISMATCH = "representative_mismatch"
    PRINCIPAL_MISMATCH = "principal_mismatch"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    POWER_MISSING = "power_missing"
    POA_SIGNATURE_INVALID = "poa_signature_invalid"
    POA_SIGNER_NOT_HEAD = "poa_signer_not_head"
    SUBSTITUTION_FORBIDDEN = "substitution_forbidden"
    SUBSTITUTION_MISMATCH = "substitution_mismatch"
    # Undecided: the verdict is indeterminate.
    NO_SIGNING_TIME = "no_signing_time"
    REVOCATION_UNKNOWN = "revocation_unknown"
    POA_SIGNATURE_UNCHECKED = "poa_signature_unchecked"
    PARENT_MISSING = "parent_missing"


_UNDECIDED = frozenset(
    {
        PoaReason.NO_SIGNING_TIME,
        PoaReason.REVOCATION_UNKNOWN,
        PoaReason.POA_SIGNATURE_UNCHECKED,
        PoaReason.PARENT_MISSING,
    }
)


@attrs.frozen
class PoaFinding:
    """One problem with the МЧД: a reason code and a readable message."""

    reason: PoaReason
    message: str


def _codes(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def _words(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class PoaAction:
    """The action the signature performs, to be found among the powers.

    A coded power matches when its code is in ``codes``; any power (coded or text) matches when
    its name or one of its restrictions contains one of ``keywords`` (case-insensitive).
    """

    title: str
    codes: frozenset[str] = attrs.field(factory=frozenset, converter=_codes)
    keywords: tuple[str, ...] = attrs.field(default=(), converter=_words)

    def matches(self, poa: PowerOfAttorney) -> tuple[str, ...]:
        """The names of the powers of ``poa`` that cover this action."""
        words = tuple(w.casefold() for w in self.keywords)
        found = []
        for power in poa.powers:
            texts = (power.name, *power.restrictions)
            if (power.code is not None and power.code in self.codes) or any(
                w in t.casefold() for w in words for t in texts
            ):
                found.append(power.name)
        return tuple(found)


@attrs.frozen
class PoaReport:
    """The verdict on a МЧД for one signer: the facts read and every finding."""

    status: Status
    findings: tuple[PoaFinding, ...]
    number: str
    principal: str | None
    principal_inn: str | None
    representative: str | None
    issued: pendulum.Date
    valid_until: pendulum.Date
    powers_matched: tuple[str, ...]
    poa_signer: str | None
    registry: RegistryState
    chain: tuple[str, ...] = ()

    @property
    def reason(self) -> PoaReason | None:
        """The first reason behind the verdict, ``None`` when valid."""
        if self.status is Status.VALID or not self.findings:
            return None
        for finding in self.findings:
            if (finding.reason in _UNDECIDED) == (self.status is Status.INDETERMINATE):
                return finding.reason
        return self.findings[0].reason


def check_poa(
    poa: PowerOfAttorney,
    signer: SignerReport,
    *,
    poa_signature: VerificationReport | None = None,
    action: PoaAction | None = None,
    registry: PoaRegistry | None = None,
    parents: Iterable[tuple[PowerOfAttorney, VerificationReport | None]] = (),
    organisation_inn: str | None = None,
) -> PoaReport:
    """Check ``poa`` for the document signer ``signer`` (a signer of a verification report).

    ``poa_signature`` is the report on the МЧД's own detached signature; ``action`` what the
    signature does (checked against the powers; not checked when ``None``); ``registry`` the
    host's answer on revocation; ``parents`` the МЧД a substitution rests on, each with its
    signature report; ``organisation_inn`` the ИНН of the organisation the signature must bind.
    """
    findings: list[PoaFinding] = []
    fields = signer.certificate.fields if signer.certificate is not None else SubjectFields()
    at = signer.signing_time
    representative = _check_representative(poa, fields, findings)
    _check_principal(poa, fields, organisation_inn, findings)
    _check_validity(poa, at, findings)
    state = _check_registry(poa, registry, at, findings)
    matched = _check_powers(poa, action, findings)
    poa_signer = _check_poa_signature(poa, poa_signature, findings, head_check=not poa.parent)
    chain = _check_chain(
        poa, poa_signature, dict(_by_number(parents)), at, registry, action, findings
    )
    status = _verdict(findings)
    principal = poa.principal
    return PoaReport(
        status=status,
        findings=tuple(findings),
        number=poa.number,
        principal=principal.name,
        principal_inn=principal.inn,
        representative=representative.full_name if representative else None,
        issued=poa.issued,
        valid_until=poa.valid_until,
        powers_matched=matched,
        poa_signer=poa_signer,
        registry=state,
        chain=chain,
    )


def _verdict(findings: Sequence[PoaFinding]) -> Status:
    if any(f.reason not in _UNDECIDED for f in findings):
        return Status.INVALID
    if findings:
        return Status.INDETERMINATE
    return Status.VALID


def _same_person(person: PoaPerson, fields: SubjectFields) -> bool:
    """Whether the certificate's owner is this person: СНИЛС, else ИНН, and the name agree."""
    snils, inn = digits(fields.snils), digits(fields.inn)
    ids = False
    if snils and digits(person.snils):
        if snils != digits(person.snils):
            return False
        ids = True
    if inn and digits(person.inn):
        if inn != digits(person.inn):
            return False
        ids = True
    name = _norm(person.full_name)
    cert_name = _norm(fields.full_name)
    if name and cert_name and name != cert_name:
        return False
    return ids


def _norm(name: str | None) -> str | None:
    return " ".join(name.casefold().replace("ё", "е").split()) if name else None


def _check_representative(
    poa: PowerOfAttorney, fields: SubjectFields, findings: list[PoaFinding]
) -> PoaPerson | None:
    for person in poa.representatives:
        if _same_person(person, fields):
            return person
    findings.append(
        PoaFinding(
            PoaReason.REPRESENTATIVE_MISMATCH,
            f"the signer {fields.full_name or '(no name)'} is not a representative named in "
            f"МЧД {poa.number} (СНИЛС, ИНН and name compared)",
        )
    )
    return None


def _check_principal(
    poa: PowerOfAttorney,
    fields: SubjectFields,
    organisation_inn: str | None,
    findings: list[PoaFinding],
) -> None:
    principal = poa.principal
    inn = digits(principal.inn)
    if organisation_inn is not None and inn != digits(organisation_inn):
        findings.append(
            PoaFinding(
                PoaReason.PRINCIPAL_MISMATCH,
                f"МЧД {poa.number} is issued by ИНН {principal.inn}, not by {organisation_inn}",
            )
        )
    cert_inn_le = digits(fields.inn_le)
    if principal.kind == "organisation" and cert_inn_le and inn and cert_inn_le != inn:
        findings.append(
            PoaFinding(
                PoaReason.PRINCIPAL_MISMATCH,
                f"the certificate names organisation ИНН {cert_inn_le}, the МЧД {inn}",
            )
        )
    cert_ogrn = digits(fields.ogrn)
    if (
        principal.kind == "organisation"
        and cert_ogrn
        and principal.ogrn
        and cert_ogrn != digits(principal.ogrn)
    ):
        findings.append(
            PoaFinding(
                PoaReason.PRINCIPAL_MISMATCH,
                f"the certificate names ОГРН {cert_ogrn}, the МЧД {principal.ogrn}",
            )
        )


def _check_validity(
    poa: PowerOfAttorney, at: pendulum.DateTime | None, findings: list[PoaFinding]
) -> None:
    if at is None:
        findings.append(
            PoaFinding(PoaReason.NO_SIGNING_TIME, "no signing time: validity cannot be checked")
        )
        return
    day = at.in_tz(ZONE).date()
    if day < poa.issued:
        findings.append(
            PoaFinding(
                PoaReason.NOT_YET_VALID,
                f"signed on {day.isoformat()}, before МЧД {poa.number} was issued "
                f"({poa.issued.isoformat()})",
            )
        )
    elif day > poa.valid_until:
        findings.append(
            PoaFinding(
                PoaReason.EXPIRED,
                f"signed on {day.isoformat()}, after МЧД {poa.number} expired "
                f"({poa.valid_until.isoformat()})",
            )
        )


def _check_registry(
    poa: PowerOfAttorney,
    registry: PoaRegistry | None,
    at: pendulum.DateTime | None,
    findings: list[PoaFinding],
) -> RegistryState:
    if registry is None:
        findings.append(PoaFinding(PoaReason.REVOCATION_UNKNOWN, "the МЧД registry was not asked"))
        return RegistryState.UNKNOWN
    answer = registry.status(poa.number)
    if answer.state is RegistryState.REVOKED:
        if answer.revoked_at is not None and at is not None and at < answer.revoked_at:
            return answer.state  # revoked after the signature: it still binds
        findings.append(
            PoaFinding(
                PoaReason.REVOKED,
                f"МЧД {poa.number} is revoked"
                + (f" since {answer.revoked_at.isoformat()}" if answer.revoked_at else ""),
            )
        )
    elif answer.state is RegistryState.UNKNOWN:
        findings.append(
            PoaFinding(
                PoaReason.REVOCATION_UNKNOWN,
                f"the registry does not know МЧД {poa.number}",
            )
        )
    return answer.state


def _check_powers(
    poa: PowerOfAttorney, action: PoaAction | None, findings: list[PoaFinding]
) -> tuple[str, ...]:
    if action is None:
        return ()
    matched = action.matches(poa)
    if not matched:
        findings.append(
            PoaFinding(
                PoaReason.POWER_MISSING,
                f"МЧД {poa.number} grants no power for «{action.title}»",
            )
        )
    return matched


def _check_poa_signature(
    poa: PowerOfAttorney,
    report: VerificationReport | None,
    findings: list[PoaFinding],
    *,
    head_check: bool,
) -> str | None:
    if report is None:
        findings.append(
            PoaFinding(
                PoaReason.POA_SIGNATURE_UNCHECKED,
                f"the signature of МЧД {poa.number} was not given",
            )
        )
        return None
    signer = report.signers[0] if report.signers else None
    name = None
    if signer is not None and signer.certificate is not None:
        name = signer.certificate.fields.full_name or signer.certificate.subject
    if report.status is Status.INVALID:
        findings.append(
            PoaFinding(
                PoaReason.POA_SIGNATURE_INVALID,
                f"the signature of МЧД {poa.number} is invalid "
                f"({report.reason.value if report.reason else 'no reason'})",
            )
        )
    elif report.status is Status.INDETERMINATE:
        findings.append(
            PoaFinding(
                PoaReason.POA_SIGNATURE_UNCHECKED,
                f"the signature of МЧД {poa.number} is indeterminate "
                f"({report.reason.value if report.reason else 'no reason'})",
            )
        )
    if head_check and signer is not None and signer.certificate is not None:
        fields = signer.certificate.fields
        heads = [h for p in poa.principals for h in p.heads]
        if heads and not any(_same_person(head, fields) for head in heads):
            findings.append(
                PoaFinding(
                    PoaReason.POA_SIGNER_NOT_HEAD,
                    f"МЧД {poa.number} is signed by {name}, not by a person acting for the "
                    "principal without a power of attorney",
                )
            )
    return name


def _by_number(
    parents: Iterable[tuple[PowerOfAttorney, VerificationReport | None]],
) -> Iterable[tuple[str, tuple[PowerOfAttorney, VerificationReport | None]]]:
    for parent, report in parents:
        yield parent.number.lower(), (parent, report)


def _check_chain(
    poa: PowerOfAttorney,
    poa_signature: VerificationReport | None,
    parents: Mapping[str, tuple[PowerOfAttorney, VerificationReport | None]],
    at: pendulum.DateTime | None,
    registry: PoaRegistry | None,
    action: PoaAction | None,
    findings: list[PoaFinding],
) -> tuple[str, ...]:
    chain = [poa.number]
    current = poa
    current_report = poa_signature
    while current.parent is not None:
        found = parents.get(current.parent.number.lower())
        if found is None:
            findings.append(
                PoaFinding(
                    PoaReason.PARENT_MISSING,
                    f"МЧД {current.number} passes on powers of МЧД {current.parent.number}, "
                    "which was not given",
                )
            )
            break
        parent, report = found
        if parent.number in chain or len(chain) > 16:
            findings.append(
                PoaFinding(PoaReason.SUBSTITUTION_MISMATCH, "the substitution chain loops")
            )
            break
        chain.append(parent.number)
        if parent.substitution is Substitution.FORBIDDEN:
            findings.append(
                PoaFinding(
                    PoaReason.SUBSTITUTION_FORBIDDEN,
                    f"МЧД {parent.number} does not allow substitution",
                )
            )
        if digits(parent.principal.inn) != digits(current.principal.inn):
            findings.append(
                PoaFinding(
                    PoaReason.SUBSTITUTION_MISMATCH,
                    f"МЧД {current.number} names another principal than МЧД {parent.number}",
                )
            )
        if (
            current_report is not None
            and current_report.signers
            and current_report.signers[0].certificate is not None
        ):
            # A substitution is signed by a representative of the МЧД it rests on.
            fields = current_report.signers[0].certificate.fields
            if not any(_same_person(p, fields) for p in parent.representatives):
                findings.append(
                    PoaFinding(
                        PoaReason.SUBSTITUTION_MISMATCH,
                        f"МЧД {current.number} is not signed by a representative of "
                        f"МЧД {parent.number}",
                    )
                )
        _check_validity(parent, at, findings)
        _check_registry(parent, registry, at, findings)
        _check_powers(parent, action, findings)
        _check_poa_signature(parent, report, findings, head_check=parent.parent is None)
        current, current_report = parent, report
    return tuple(chain)
