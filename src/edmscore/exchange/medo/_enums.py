"""The closed lists of MEDO 2.x: message, notification and file kinds, link types, refusals."""

from __future__ import annotations

import enum

__all__ = [
    "FileGroup",
    "FileType",
    "LinkType",
    "MessageType",
    "NotificationType",
    "RefusalReason",
]


class MessageType(enum.Enum):
    """``header/@type``: what the message carries."""

    DOCUMENT = "Документ"
    NOTIFICATION = "Уведомление"
    ACKNOWLEDGMENT = "Квитанция"
    TRANSPORT_CONTAINER = "Транспортный контейнер"


class NotificationType(enum.Enum):
    """``notification/@type``: the event a notification reports."""

    REGISTERED = "Зарегистрирован"
    REFUSED = "Отказано в регистрации"
    EXECUTOR_ASSIGNED = "Назначен исполнитель"
    REPORT_PREPARED = "Доклад подготовлен"
    REPORT_SENT = "Доклад направлен"
    COURSE_CHANGED = "Исполнение"
    PUBLISHED = "Опубликование"


class FileGroup(enum.Enum):
    """``file/group``: what an attached file holds."""

    DOCUMENT_TEXT = "Текст документа"
    ENCLOSURE_TEXT = "Текст приложения"
    DATA = "Данные"


class FileType(enum.Enum):
    """``file/@type``: the format of an attached file."""

    PDF = "pdf"
    TIF = "tif"
    DOC = "doc"
    TXT = "txt"
    XML = "xml"


class LinkType(enum.Enum):
    """``link/linkType``: how a linked document relates to this one."""

    IN_REPLY_TO = "В ответ на"
    IN_EXECUTION_OF = "Во исполнение"
    BASIS = "Документ-основание"
    TO_NUMBER = "На №"
    REPLY = "Ответ"
    RELATED = "Связан с"


class RefusalReason(enum.Enum):
    """``documentRefused/reason``: the closed list of 28 reasons of the 2.6 schema."""

    NOT_SUBJECT_TO_REGISTRATION = "Не подлежит регистрации"
    ADDRESSING_ERROR = "Ошибка адресации"
    NO_CORRESPONDENT = "Не указан корреспондент"
    NO_STATEMENT_OF_CLAIM = "Нет искового заявления"
    NO_TEXT = "Отсутствует текст"
    NO_SIGNATURE = "Нет подписи"
    ENCLOSURE_MISSING = "Приложение отсутствует"
    ENCLOSURE_PAGES_WRONG = "Листаж приложения указан ошибочно"
    ENCLOSURE_DETAILS_MISMATCH = "Несовпадение реквизитов приложения с приложенными документами"
    NO_NUMBER_AND_DATE = "Нет № и даты"
    INCOMPLETE = "Не полная комплектация"
    DATE_ILLEGIBLE = "Дата документа неразборчива"
    NUMBER_ILLEGIBLE = "Исходящий номер документа неразборчив"
    SIGNATURE_NOT_VISIBLE = "Отсутствует (не видна) подпись"
    PAGES_UPSIDE_DOWN = "Перевернуты страницы"
    PAGES_DUPLICATED = "Продублированы страницы"
    DRAFT_REGULATION_ENCLOSED = "В приложении проект нормативного акта"
    RESTRICTED_DSP = "Документ ДСП"
    SCANNED_WITH_BACKS = "Документ и/или приложение отсканированы с оборотом"
    WRONGLY_ADDRESSED = "Документ неверно адресован"
    RECEIVED_ON_PAPER = "Документ получен ранее на бумажном носителе"
    REGISTERED_EARLIER_REPLACED = (
        "Документ зарегистрирован ранее, текст взамен разосланного загружен"
    )
    PAGE_COUNT_MISMATCH = "Количество страниц в тексте документа не соответствует заявленному"
    DETAILS_MISMATCH = "Несоответствие переданных реквизитов тексту документа"
    ENCLOSURE_NAMED_MISSING = "Отсутствует приложение, указанное в документе"
    TEXT_ILLEGIBLE = "Текст неразборчив"
    TEXT_MISSING = "Текст отсутствует"
    TEXT_NOT_COMPLIANT = "Текст не соответствует регламенту"
