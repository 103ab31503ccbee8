"""The message catalogue of the error hierarchy: a person's text for each error code, per locale.

Each code maps to templates in preference order; the first whose placeholders the error's fields
fill is used, so an error raised with fewer facts still reads well. A template names only what a
person may read (the kind of object, the field, a registration number, a state), never a record's
internal id: ids stay in the error's fields. A code without an entry uses its nearest ancestor's.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

__all__ = ["CATALOGUE", "OBJECTS_RU", "render", "templates_for"]

# One entry: a tuple of {locale: template}, tried in order.
Entry = tuple[Mapping[str, str], ...]


def _e(*pairs: tuple[str, str]) -> Entry:
    return tuple({"en": en, "ru": ru} for en, ru in pairs)


#: Russian names of the kinds of object errors are about (``what``), as a person reads them.
OBJECTS_RU: Mapping[str, str] = {
    "card": "регистрационная карточка",
    "journal": "журнал регистрации",
    "blob": "файл",
    "file": "файл",
    "nomenclature": "номенклатура дел",
    "nomenclature section": "раздел номенклатуры дел",
    "case": "дело",
    "case index": "индекс дела",
    "appeal": "обращение",
    "appeal of card": "обращение по карточке",
    "route template": "шаблон маршрута согласования",
    "resolution": "резолюция",
    "assignment": "поручение",
    "dispatch": "отправка",
    "dispatch message": "сообщение отправки",
    "dispatch of card to recipient": "отправка документа адресату",
    "draft": "проект документа",
    "draft resolution": "проект резолюции",
    "acquaintance": "лист ознакомления",
    "link": "связь документов",
    "organisation": "организация",
    "department": "подразделение",
    "official": "должностное лицо",
    "user": "пользователь",
    "transaction": "транзакция",
    "installation": "установка",
}

#: Every code's templates. The ``{what}`` placeholder is the kind of object, in the locale.
CATALOGUE: Mapping[str, Entry] = {
    "EDMS_ERROR": _e(("The operation could not be done.", "Операцию выполнить не удалось.")),
    "VALIDATION": _e(
        (
            "The value of {field} is not valid: check the input.",
            "Недопустимое значение поля {field}: проверьте ввод.",
        ),
        ("The input is not valid: check it.", "Недопустимые входные данные: проверьте ввод."),
    ),
    "IMPORT_REJECTED": _e(
        (
            "The import found bad rows and imported nothing: correct the rows the error lists.",
            "При загрузке найдены ошибочные строки, ничего не загружено: исправьте перечисленные"
            " строки.",
        ),
    ),
    "WRONG_TYPE": _e(
        (
            "{field} must be a {expected}, not a {given}: pass one value of that type.",
            "{field} должно быть значением типа {expected}, а не {given}: передайте одно"
            " значение этого типа.",
        ),
    ),
    "INPUT_TOO_LARGE": _e(
        (
            "The {field} is larger than allowed ({limit} bytes): pass a smaller one.",
            "Размер {field} больше допустимого ({limit} байт): передайте меньший.",
        ),
    ),
    "NUMBER_TEMPLATE": _e(
        (
            "The registration number template cannot be used: correct the journal's template.",
            "Шаблон регистрационного номера непригоден: исправьте шаблон журнала.",
        ),
    ),
    "RETENTION_FORMAT": _e(
        (
            "The retention period is not written in a known notation (e.g. «5 лет ЭПК»).",
            "Срок хранения записан в неизвестной форме (пример: «5 лет ЭПК»).",
        ),
    ),
    "NOT_FOUND": _e(
        ("The {what} was not found.", "Не найдено: {what}."),
        ("Nothing was found.", "Ничего не найдено."),
    ),
    "CONFLICT": _e(
        (
            "The {what} was changed by someone else meanwhile: reload it and try again.",
            "Пока вы работали, объект «{what}» изменил кто-то другой: обновите его и повторите.",
        ),
    ),
    "TRANSACTION_CONFLICT": _e(
        (
            "A concurrent change got in the way; nothing was saved: try again.",
            "Помешало одновременное изменение; ничего не сохранено: повторите операцию.",
        ),
    ),
    "ID_IN_USE": _e(
        (
            "The identifier of the new {what} is already used: choose another one.",
            "Идентификатор нового объекта «{what}» уже занят: выберите другой.",
        ),
    ),
    "DUPLICATE_NUMBER": _e(
        (
            "Registration number {number} is already taken in this journal.",
            "Регистрационный номер {number} в этом журнале уже занят.",
        ),
    ),
    "ACCESS_DENIED": _e(
        ("You may not see or change this.", "У вас нет доступа к этому объекту или действию."),
    ),
    "UNKNOWN_ACTOR": _e(
        (
            "The signed-in user is not in the directory: ask the administrator to add them.",
            "Вошедшего пользователя нет в справочнике: обратитесь к администратору.",
        ),
    ),
    "ACTOR_BLOCKED": _e(
        (
            "The user is blocked, dismissed or may not act for this person.",
            "Пользователь заблокирован, уволен или не может действовать за это лицо.",
        ),
    ),
    "PERMISSION_DENIED": _e(
        (
            "Your roles do not give the permission «{permission}»: ask the administrator.",
            "Ваши роли не дают права «{permission}»: обратитесь к администратору.",
        ),
    ),
    "STATE": _e(
        (
            "The {what} is not in a state that allows this.",
            "Объект «{what}» в текущем состоянии этого не допускает.",
        ),
        (
            "The object's current state does not allow this.",
            "Текущее состояние объекта этого не допускает.",
        ),
    ),
    "ALREADY_SET_UP": _e(
        (
            "The installation is already set up: add organisations and users through the"
            " administration instead.",
            "Установка уже настроена: добавляйте организации и пользователей через"
            " администрирование.",
        ),
    ),
    "ILLEGAL_TRANSITION": _e(
        (
            "The assignment cannot go from «{current}» to «{target}».",
            "Поручение нельзя перевести из состояния «{current}» в «{target}».",
        ),
    ),
    "STORAGE": _e(
        (
            "The storage failed or refused the operation: tell the administrator.",
            "Хранилище не выполнило операцию: сообщите администратору.",
        ),
    ),
    "STORAGE_INTEGRITY": _e(
        (
            "Stored data is damaged (it does not match its checksum): tell the administrator.",
            "Сохранённые данные повреждены (не совпадает контрольная сумма): сообщите"
            " администратору.",
        ),
    ),
    "SCHEMA_VERSION": _e(
        (
            "The database schema does not fit this version: run «edmscore sql migrate».",
            "Схема базы данных не подходит этой версии: выполните «edmscore sql migrate».",
        ),
    ),
    "STORAGE_UNAVAILABLE": _e(
        (
            "The database cannot be reached: try again later or tell the administrator.",
            "База данных недоступна: повторите позже или сообщите администратору.",
        ),
    ),
    "UNIQUE_VIOLATION": _e(
        (
            "The storage refused a duplicate record: tell the administrator.",
            "Хранилище отклонило повторяющуюся запись: сообщите администратору.",
        ),
    ),
    "CALENDAR": _e(
        (
            "The deadline cannot be computed on the production calendar.",
            "Срок не удаётся вычислить по производственному календарю.",
        ),
    ),
    "CALENDAR_YEAR_MISSING": _e(
        (
            "The production calendar has no data for that year: load the year's calendar.",
            "В производственном календаре нет данных за этот год: загрузите календарь года.",
        ),
    ),
    "CALENDAR_FORMAT": _e(
        (
            "The calendar file cannot be read: check its format.",
            "Файл календаря не читается: проверьте его формат.",
        ),
    ),
    "APPEAL": _e(
        ("The appeal operation cannot be done.", "Операцию с обращением выполнить нельзя."),
    ),
    "QUESTION_TRANSITION": _e(
        (
            "Question {question} of the appeal cannot go from «{current}» to «{target}».",
            "Вопрос {question} обращения нельзя перевести из «{current}» в «{target}».",
        ),
    ),
    "CONTROL": _e(
        ("The control operation cannot be done.", "Операцию контроля выполнить нельзя."),
    ),
    "DRAFT_RESOLUTION_STATE": _e(
        (
            "The draft resolution is «{current}»: it cannot be {move}.",
            "Проект резолюции в состоянии «{current}»: действие «{move}» недопустимо.",
        ),
    ),
    "DEADLINE_AFTER_PARENT": _e(
        (
            "The deadline {due} is later than the parent assignment's deadline {parent_due}.",
            "Срок {due} позже срока родительского поручения {parent_due}.",
        ),
    ),
    "MISSING_DEPENDENCY": _e(
        (
            "The optional package {package} is not installed: install edmscore with the"
            " «{extra}» extra (pip install '.[{extra}]' in a clone) or pip install {package}.",
            "Не установлен дополнительный пакет {package}: установите edmscore с набором"
            " «{extra}» (pip install '.[{extra}]' в клоне) или pip install {package}.",
        ),
    ),
    "SIGNATURE": _e(
        (
            "The signature or certificate cannot be read.",
            "Подпись или сертификат не читается.",
        ),
    ),
    "CMS_FORMAT": _e(
        (
            "The file is not a well-formed CMS signature (.sig, .p7s).",
            "Файл не является корректной подписью CMS (.sig, .p7s).",
        ),
    ),
    "CERTIFICATE_FORMAT": _e(
        (
            "The certificate cannot be decoded: pass an X.509 certificate (PEM or DER).",
            "Сертификат не декодируется: нужен сертификат X.509 (PEM или DER).",
        ),
    ),
    "CRL_FORMAT": _e(
        (
            "The certificate revocation list cannot be decoded.",
            "Список отозванных сертификатов не декодируется.",
        ),
    ),
    "TRUST_LIST_FORMAT": _e(
        (
            "The list of accredited CAs cannot be read: pass the XML the e-trust portal publishes.",
            "Перечень аккредитованных УЦ не читается: нужен XML-файл, который публикует портал"
            " e-trust.",
        ),
    ),
    "BACKUP_BUNDLE": _e(
        (
            "The backup bundle is damaged or incomplete: check it and use an intact copy.",
            "Резервная копия повреждена или неполна: проверьте её и возьмите целую копию.",
        ),
    ),
    "OCSP_FORMAT": _e(
        (
            "The OCSP response cannot be decoded, or it is too large.",
            "Ответ OCSP не декодируется или слишком велик.",
        ),
    ),
    "PDF": _e(("The PDF cannot be processed.", "PDF-файл обработать нельзя.")),
    "PDF_DAMAGED": _e(
        (
            "The file is not a readable PDF (corrupt or truncated): ask for the file again.",
            "Файл не является читаемым PDF (повреждён или обрезан): запросите файл заново.",
        ),
    ),
    "PDF_ENCRYPTED": _e(
        (
            "The PDF is encrypted: ask for a copy without protection.",
            "PDF зашифрован: запросите копию без защиты.",
        ),
    ),
    "PDF_EMPTY": _e(("The PDF is empty or has no pages.", "PDF пуст или не содержит страниц.")),
    "PDF_TOO_LARGE": _e(
        (
            "The PDF is over the allowed size or number of pages.",
            "PDF превышает допустимый размер или число страниц.",
        ),
    ),
    "PDF_LOCKED": _e(
        (
            "The PDF is certified so that no mark may be added.",
            "PDF заверен так, что добавлять отметки запрещено.",
        ),
    ),
    "PDF_REWRITE_LOSS": _e(
        (
            "Rewriting the PDF would lose or change its content: stamp it as an incremental"
            " update instead.",
            "Перезапись PDF потеряла бы или изменила его содержимое: поставьте отметку"
            " добавлением (инкрементальным обновлением).",
        ),
    ),
    "PDF_PLACEMENT": _e(
        (
            "The mark cannot be placed on the page: choose another page or position.",
            "Отметку нельзя разместить на странице: выберите другую страницу или место.",
        ),
    ),
    "APPROVAL": _e(
        ("The approval step cannot be done.", "Шаг согласования выполнить нельзя."),
    ),
    "APPROVAL_ROUTE": _e(
        (
            "The approval route cannot be used: check {field}.",
            "Маршрут согласования непригоден: проверьте {field}.",
        ),
    ),
    "UNCLEARED_PARTICIPANT": _e(
        (
            "The route of a ДСП draft names a participant without ДСП clearance.",
            "В маршруте проекта с пометкой ДСП есть участник без допуска к ДСП.",
        ),
    ),
    "APPROVAL_STATE": _e(
        (
            "The draft's approval state does not allow this step.",
            "Текущее состояние согласования проекта не допускает этот шаг.",
        ),
    ),
    "APPROVED_VERSION_MISMATCH": _e(
        (
            "The content offered for signing is not the approved version: sign the approved one.",
            "На подпись передан не согласованный вариант документа: подпишите согласованный.",
        ),
    ),
    "PAPER_APPROVAL_REQUIRED": _e(
        (
            "The organisation approves ДСП drafts on paper.",
            "В организации проекты с пометкой ДСП согласуются на бумаге.",
        ),
    ),
    "SIGNING": _e(
        ("The document could not be signed.", "Документ подписать не удалось."),
    ),
    "UNSUPPORTED_SIGNING_KEY": _e(
        (
            "This certificate's key cannot sign here: use a GOST R 34.10-2012, RSA or ECDSA key.",
            "Ключом этого сертификата здесь подписать нельзя: нужен ключ ГОСТ Р 34.10-2012, RSA"
            " или ECDSA.",
        ),
    ),
    "SIGNING_REQUEST_UNKNOWN": _e(
        (
            "There is no such signing request: it was cancelled or already answered.",
            "Такого запроса на подпись нет: он отменён или на него уже получен ответ.",
        ),
    ),
    "SIGNING_REQUEST_EXPIRED": _e(
        (
            "The signing request has expired: request the signature again.",
            "Срок запроса на подпись истёк: запросите подпись заново.",
        ),
    ),
    "SIGNATURE_VALUE_INVALID": _e(
        (
            "The returned signature does not match the document: sign again.",
            "Полученная подпись не соответствует документу: подпишите заново.",
        ),
    ),
    "SIGNER_CERTIFICATE_MISMATCH": _e(
        (
            "The signature was made with another certificate than the one requested.",
            "Подпись сделана другим сертификатом, не тем, для которого запрошена.",
        ),
    ),
    "SIGNER_FAILED": _e(
        (
            "The signing program or service failed: try again later.",
            "Программа или сервис подписи не сработали: повторите позже.",
        ),
    ),
    "SIGNATURE_REJECTED": _e(
        (
            "The signature was not accepted: check the certificate and sign again.",
            "Подпись не принята: проверьте сертификат и подпишите заново.",
        ),
    ),
    "EXCHANGE": _e(
        (
            "The interchange document cannot be read or written.",
            "Документ обмена не удаётся прочитать или сформировать.",
        ),
    ),
    "MEDO": _e(
        (
            "The MEDO message or container cannot be used.",
            "Сообщение или контейнер МЭДО использовать нельзя.",
        ),
    ),
    "POA_FORMAT": _e(
        (
            "The machine-readable power of attorney breaks its format at {field}.",
            "Машиночитаемая доверенность нарушает формат в элементе {field}.",
        ),
    ),
    "POA_UNSAFE_INPUT": _e(
        (
            "The machine-readable power of attorney was refused as unsafe (a DTD or too large).",
            "Машиночитаемая доверенность отклонена как небезопасная (DTD или слишком большой"
            " файл).",
        ),
    ),
    "MEDO_FORMAT": _e(
        (
            "The MEDO message breaks the format at {field}.",
            "Сообщение МЭДО нарушает формат в элементе {field}.",
        ),
    ),
    "MEDO_UNSAFE_INPUT": _e(
        (
            "The MEDO letter was refused as unsafe (a DTD, a path outside the letter, a zip bomb).",
            "Письмо МЭДО отклонено как небезопасное (DTD, путь за пределами письма, zip-бомба).",
        ),
    ),
    "MEDO_FILE_EXISTS": _e(
        (
            "Unpacking stopped: {element} is already in the folder and is kept.",
            "Распаковка остановлена: файл {element} уже есть в папке и сохранён.",
        ),
    ),
    "MEDO_UNROUTABLE": _e(
        (
            "The MEDO letter reaches nobody: the addressee has no MEDO mailbox address.",
            "Письмо МЭДО некому доставить: у адресата не указан адрес абонента МЭДО.",
        ),
    ),
    "SSTU_FORMAT": _e(
        (
            "The appeal cannot be exported to SSTU: {field} breaks the format's rules.",
            "Обращение нельзя выгрузить в ССТУ: поле {field} нарушает правила формата.",
        ),
    ),
    "DISPATCH_STATE": _e(
        (
            "The letter's delivery record does not allow «{move}» in state «{state}».",
            "Запись о доставке письма не допускает «{move}» в состоянии «{state}».",
        ),
    ),
    "ARCHIVE_STATE": _e(
        (
            "Case {number} does not allow «{move}» in state «{state}».",
            "Дело {number} не допускает «{move}» в состоянии «{state}».",
        ),
    ),
    "SCAN": _e(
        ("The scanned file cannot be processed.", "Отсканированный файл обработать нельзя.")
    ),
    "CARD_CODE_INVALID": _e(
        (
            "The barcode is not a registration card's code, or it is misread: scan it again.",
            "Штрихкод не является кодом регистрационной карточки или прочитан с ошибкой:"
            " отсканируйте его ещё раз.",
        ),
    ),
    "SCAN_DAMAGED": _e(
        (
            "Page {page} of the scanned batch cannot be read: scan it again.",
            "Страницу {page} пакета сканирования прочитать нельзя: отсканируйте её заново.",
        ),
        (
            "The scanned batch cannot be read (not a PDF or TIFF, or damaged): scan it again.",
            "Пакет сканирования прочитать нельзя (не PDF и не TIFF или повреждён):"
            " отсканируйте его заново.",
        ),
    ),
    "SCAN_TOOL_MISSING": _e(
        (
            "The program {tool} is not installed (package {package}).",
            "Не установлена программа {tool} (пакет {package}).",
        ),
    ),
    "OCR_FAILED": _e(
        (
            "Text recognition failed on the file.",
            "Распознать текст в файле не удалось.",
        ),
    ),
    "PDFA_CONVERSION": _e(
        (
            "The document could not be converted to PDF/A for the archive.",
            "Документ не удалось преобразовать в PDF/A для передачи в архив.",
        ),
    ),
    "TRANSFER_PACKAGE": _e(
        (
            "The transfer package cannot be built or read: check its contents.",
            "Пакет передачи в архив нельзя сформировать или прочитать: проверьте его состав.",
        ),
    ),
    "TRANSFER_PACKAGE_UNSAFE": _e(
        (
            "The transfer package is refused as unsafe (limit: {limit}).",
            "Пакет передачи в архив отклонён как небезопасный (ограничение: {limit}).",
        ),
        (
            "The transfer package is refused as unsafe.",
            "Пакет передачи в архив отклонён как небезопасный.",
        ),
    ),
}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def templates_for(cls: type) -> Entry:
    """The catalogue entry of an error class: its own code's, else its nearest ancestor's."""
    for klass in cls.__mro__:
        code = getattr(klass, "code", None)
        if isinstance(code, str) and code in CATALOGUE and "code" in vars(klass):
            return CATALOGUE[code]
    return CATALOGUE["EDMS_ERROR"]


def render(error: Any, locale: str) -> str:
    """The text for a person of ``error`` in ``locale`` (English when it has none)."""
    values: dict[str, str] = {}
    for name, value in error.fields.items():
        if value is None or value == "":
            continue
        if hasattr(value, "value") and isinstance(value.value, str):  # an enum
            value = value.value
        values[name] = str(value)
    if "what" in values and locale == "ru":
        values["what"] = OBJECTS_RU.get(values["what"], values["what"])
    entry = templates_for(type(error))
    for variant in entry:
        template = variant.get(locale, variant["en"])
        if _placeholders(template) <= values.keys():
            return template.format_map(values)
    last = entry[-1]
    template = last.get(locale, last["en"])
    return template.format_map(dict.fromkeys(_placeholders(template), "?"))
