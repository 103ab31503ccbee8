"""The closed lists of the registration card, each value with its Russian label."""

from __future__ import annotations

import enum

__all__ = ["AccessMark", "CardKind", "CardStatus", "DeliveryMethod", "LinkType"]


class _Labelled(enum.Enum):
    """An enum whose members carry the Russian label a person reads."""

    @property
    def label(self) -> str:
        """The Russian label."""
        return _LABELS[self]


class CardKind(_Labelled):
    """What kind of document a card registers."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    INTERNAL = "internal"
    APPEAL = "appeal"
    DRAFT = "draft"


class CardStatus(_Labelled):
    """Where a card is in its life; nothing is erased, deletion only moves it to DELETED."""

    REGISTERED = "registered"
    DELETED = "deleted"


class DeliveryMethod(_Labelled):
    """How a document arrived or left (способ доставки)."""

    MEDO = "medo"
    POST = "post"
    REGISTERED_POST = "registered_post"
    EMAIL = "email"
    COURIER = "courier"
    IN_PERSON = "in_person"
    FAX = "fax"
    WEB_FORM = "web_form"
    EPGU = "epgu"
    SSTU = "sstu"
    INTERNAL_MAIL = "internal_mail"


class AccessMark(_Labelled):
    """The access-restriction mark (гриф ограничения доступа)."""

    OPEN = "open"
    DSP = "dsp"


class LinkType(_Labelled):
    """How one card relates to another (вид связи)."""

    IN_REPLY_TO = "in_reply_to"
    IN_EXECUTION_OF = "in_execution_of"
    DUPLICATE = "duplicate"
    SUPERSEDES = "supersedes"
    AMENDS = "amends"
    CANCELS = "cancels"
    FORWARDED_FROM = "forwarded_from"
    REPEATED = "repeated"
    RELATED = "related"


_LABELS: dict[_Labelled, str] = {
    CardKind.INCOMING: "Входящий",
    CardKind.OUTGOING: "Исходящий",
    CardKind.INTERNAL: "Внутренний",
    CardKind.APPEAL: "Обращение гражданина",
    CardKind.DRAFT: "Проект документа",
    CardStatus.REGISTERED: "Зарегистрирован",
    CardStatus.DELETED: "Удалён",
    DeliveryMethod.MEDO: "МЭДО",
    DeliveryMethod.POST: "Почта",
    DeliveryMethod.REGISTERED_POST: "Заказное письмо",
    DeliveryMethod.EMAIL: "Электронная почта",
    DeliveryMethod.COURIER: "Курьер",
    DeliveryMethod.IN_PERSON: "Лично",
    DeliveryMethod.FAX: "Факс",
    DeliveryMethod.WEB_FORM: "Интернет-приёмная",
    DeliveryMethod.EPGU: "ЕПГУ",
    DeliveryMethod.SSTU: "ССТУ",
    DeliveryMethod.INTERNAL_MAIL: "Внутренняя почта",
    AccessMark.OPEN: "Общий",
    AccessMark.DSP: "Для служебного пользования",
    LinkType.IN_REPLY_TO: "В ответ на",
    LinkType.IN_EXECUTION_OF: "Во исполнение",
    LinkType.DUPLICATE: "Дубликат",
    LinkType.SUPERSEDES: "Взамен",
    LinkType.AMENDS: "Изменение",
    LinkType.CANCELS: "Отмена",
    LinkType.FORWARDED_FROM: "Переадресовано из",
    LinkType.REPEATED: "Повторное",
    LinkType.RELATED: "Связан",
}
