"""The facts of a verification protocol (протокол проверки ЭП), in Russian, for paper and web.

One list of sections built from a verification report; the PDF and the HTML only lay it out,
so both say the same as the JSON report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import attrs
import pendulum

from edmscore.errors import ValidationError
from edmscore.signatures import (
    Reason,
    SignerReport,
    Status,
    TimeSource,
    VerificationReport,
    streebog256,
)
from edmscore.signatures.mchd import PoaReason, PoaReport, PoaVerification
from edmscore.signatures.mchd._registry import RegistryState

__all__ = ["ProtocolSection", "VerificationProtocol"]

_MOSCOW = "Europe/Moscow"
_MAX_NAME = 500

STATUS_RU = {
    Status.VALID: "Подпись действительна",
    Status.INVALID: "Подпись недействительна",
    Status.INDETERMINATE: "Результат проверки не определён",
}
_POA_STATUS_RU = {
    Status.VALID: "Доверенность подтверждает полномочия",
    Status.INVALID: "Доверенность не подтверждает полномочия",
    Status.INDETERMINATE: "Полномочия не удалось подтвердить",
}
REASON_RU: dict[Reason, str] = {
    Reason.NO_SIGNERS: "в подписи нет подписантов",
    Reason.NO_SIGNER_CERTIFICATE: "нет сертификата подписанта",
    Reason.CONTENT_MISSING: "нет подписанного содержимого",
    Reason.MISSING_ATTRIBUTE: "нет обязательного подписанного атрибута",
    Reason.CONTENT_TYPE_MISMATCH: "тип содержимого не совпадает",
    Reason.DIGEST_MISMATCH: "документ изменён после подписания (хэш не совпадает)",
    Reason.BAD_SIGNATURE: "значение подписи неверно",
    Reason.SIGNING_CERTIFICATE_MISMATCH: "сертификат подписанта не совпадает с указанным",
    Reason.UNSUPPORTED_ALGORITHM: "алгоритм не поддерживается",
    Reason.NO_CHAIN_TO_TRUST_ANCHOR: "нет цепочки до доверенного корневого сертификата",
    Reason.BAD_CERTIFICATE_SIGNATURE: "подпись сертификата в цепочке неверна",
    Reason.NOT_A_CA: "сертификат в цепочке не является сертификатом УЦ",
    Reason.KEY_USAGE: "назначение ключа не допускает подписание",
    Reason.EXPIRED: "срок действия сертификата истёк",
    Reason.NOT_YET_VALID: "сертификат ещё не действовал",
    Reason.REVOKED: "сертификат отозван",
    Reason.REVOCATION_UNKNOWN: "статус отзыва сертификата неизвестен",
    Reason.UNREADABLE_CERTIFICATE: "сертификат не читается",
    Reason.UNREADABLE_CRL: "список отзыва не читается",
    Reason.EVIDENCE_INVALID: "доказательства долговременной проверки не подтверждаются",
}
POA_REASON_RU: dict[PoaReason, str] = {
    PoaReason.REPRESENTATIVE_MISMATCH: "подписант не является представителем по доверенности",
    PoaReason.PRINCIPAL_MISMATCH: "доверитель не совпадает с организацией",
    PoaReason.NOT_YET_VALID: "подписано до выдачи доверенности",
    PoaReason.EXPIRED: "подписано после окончания срока доверенности",
    PoaReason.REVOKED: "доверенность отозвана до подписания",
    PoaReason.POWER_MISSING: "в доверенности нет полномочия на это действие",
    PoaReason.POA_SIGNATURE_INVALID: "подпись доверенности недействительна",
    PoaReason.POA_SIGNER_NOT_HEAD: "доверенность подписана не лицом, действующим без доверенности",
    PoaReason.SUBSTITUTION_FORBIDDEN: "первоначальная доверенность не допускает передоверия",
    PoaReason.SUBSTITUTION_MISMATCH: "цепочка передоверия не сходится",
    PoaReason.NO_SIGNING_TIME: "время подписания неизвестно",
    PoaReason.REVOCATION_UNKNOWN: "статус доверенности в реестре неизвестен",
    PoaReason.POA_SIGNATURE_UNCHECKED: "подпись доверенности не проверена",
    PoaReason.PARENT_MISSING: "не представлена доверенность, на основании которой передоверие",
}
_REGISTRY_RU = {
    RegistryState.ACTIVE: "действует",
    RegistryState.REVOKED: "отозвана",
    RegistryState.UNKNOWN: "не подтверждён",
}


@attrs.frozen
class ProtocolSection:
    """One block of the protocol: a heading and its rows (label, value); values may be long."""

    title: str
    rows: tuple[tuple[str, str], ...]
    verdict: Status | None = None


@attrs.frozen
class VerificationProtocol:
    """A protocol of an e-signature check: the document, the report, when and by what system.

    Build it with :meth:`of`; lay it out with :func:`edmscore.pdf.protocol_pdf` or
    :func:`edmscore.pdf.protocol_html`.
    """

    document_name: str
    sha256: str
    streebog256: str
    report: VerificationReport | PoaVerification
    system: str
    created_at: pendulum.DateTime

    @classmethod
    def of(
        cls,
        document_name: str,
        content: bytes,
        report: VerificationReport | PoaVerification,
        *,
        system: str = "edmscore",
        created_at: pendulum.DateTime | None = None,
    ) -> VerificationProtocol:
        """The protocol of ``report`` on ``content`` (hashed here: SHA-256 and Streebog-256)."""
        if not document_name.strip() or len(document_name) > _MAX_NAME:
            raise ValidationError("document_name", f"must be 1 to {_MAX_NAME} characters")
        return cls(
            document_name=document_name,
            sha256=hashlib.sha256(content).hexdigest(),
            streebog256=streebog256(content).hex(),
            report=report,
            system=system,
            created_at=created_at or pendulum.now("UTC"),
        )

    @property
    def signature_report(self) -> VerificationReport:
        """The report on the CMS signature itself."""
        if isinstance(self.report, PoaVerification):
            return self.report.signature
        return self.report

    @property
    def status(self) -> Status:
        """The overall verdict (with the МЧД when one was checked)."""
        return self.report.status

    def sections(self) -> tuple[ProtocolSection, ...]:
        """The protocol's content, block by block, in Russian."""
        report = self.signature_report
        general = [
            ("Документ", self.document_name),
            ("Хэш SHA-256", self.sha256),
            ("Хэш ГОСТ Р 34.11-2012 (256 бит)", self.streebog256),
            ("Дата и время проверки", _time(report.checked_at)),
            ("Проверяющая система", self.system),
            ("Вид подписи", "открепленная" if report.detached else "присоединенная"),
            ("Число подписей", str(len(report.signers))),
            ("Итог", STATUS_RU[self.status]),
        ]
        if isinstance(self.report, PoaVerification):
            general.append(
                (
                    "Подпись действует от имени организации",
                    "да" if self.report.binds_organisation else "нет",
                )
            )
        out = [ProtocolSection("Общие сведения", tuple(general), self.status)]
        for index, signer in enumerate(report.signers, 1):
            out.append(_signer(index, signer, report))
        if isinstance(self.report, PoaVerification) and self.report.poa is not None:
            for index, poa_report in enumerate(self.report.poa_reports, 1):
                out.append(_poa(index, poa_report, self.report))
        return tuple(out)


def _time(moment: pendulum.DateTime | None) -> str:
    if moment is None:
        return "не указано"
    return moment.in_tz(_MOSCOW).format("DD.MM.YYYY HH:mm:ss") + " (МСК)"


def _signer(index: int, signer: SignerReport, report: VerificationReport) -> ProtocolSection:
    cert = signer.certificate
    rows: list[tuple[str, str]] = []
    if cert is not None:
        fields = cert.fields
        rows.append(
            ("Владелец сертификата", fields.full_name or fields.common_name or cert.subject)
        )
        if fields.position:
            rows.append(("Должность", fields.position))
        if fields.organization:
            rows.append(("Организация", fields.organization))
        rows += [
            ("Серийный номер сертификата", cert.serial.upper()),
            ("Издатель", cert.issuer),
            (
                "Срок действия сертификата",
                f"с {_time(cert.not_before)} по {_time(cert.not_after)}",
            ),
        ]
    else:
        rows.append(("Сертификат", "не найден"))
    source = {
        TimeSource.TIMESTAMP: "штамп времени (доверенное время)",
        TimeSource.SIGNED_ATTRIBUTE: "заявлено подписантом (signingTime)",
        TimeSource.NONE: "нет",
    }[signer.signing_time_source]
    rows += [
        ("Время подписания", _time(signer.signing_time)),
        ("Подтверждение времени", source),
        ("Алгоритм", f"{signer.signature_algorithm} / {signer.digest_algorithm}"),
        (
            "Цепочка сертификатов",
            "; ".join(c.subject for c in signer.chain) if signer.chain else "не построена",
        ),
        (
            "Проверка отзыва",
            "выполнена по спискам отзыва" if report.revocation_checked else "не выполнялась",
        ),
        ("Результат", STATUS_RU[signer.status]),
    ]
    reasons = _unique(REASON_RU.get(f.reason, f.reason.value) for f in signer.findings)
    if reasons:
        rows.append(("Причины", "; ".join(reasons)))
    return ProtocolSection(f"Подпись {index}", tuple(rows), signer.status)


def _poa(index: int, report: PoaReport, result: PoaVerification) -> ProtocolSection:
    rows = [
        ("Номер доверенности", report.number),
        ("Доверитель", f"{report.principal or '—'}, ИНН {report.principal_inn or '—'}"),
        ("Представитель", report.representative or "не совпадает с подписантом"),
        (
            "Срок действия",
            f"с {report.issued.format('DD.MM.YYYY')} по {report.valid_until.format('DD.MM.YYYY')}",
        ),
        ("Подписант доверенности", report.poa_signer or "подпись не представлена"),
        (
            "Подпись доверенности",
            STATUS_RU[result.poa_signature.status] if result.poa_signature else "не проверена",
        ),
        ("Статус в реестре", _REGISTRY_RU[report.registry]),
        (
            "Полномочия на действие",
            "; ".join(report.powers_matched) if report.powers_matched else "не подтверждены",
        ),
    ]
    if len(report.chain) > 1:
        rows.append(("Цепочка передоверия", " → ".join(report.chain)))
    rows.append(("Результат", _POA_STATUS_RU[report.status]))
    reasons = _unique(POA_REASON_RU[f.reason] for f in report.findings)
    if reasons:
        rows.append(("Причины", "; ".join(reasons)))
    return ProtocolSection(
        f"Машиночитаемая доверенность (подпись {index})", tuple(rows), report.status
    )


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
