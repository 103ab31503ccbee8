"""Reports with fixed numbers, for pictures that must not change."""

from __future__ import annotations

import datetime as dt

from edmscore.reports.analytics import ChartSpec, Report

PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def discipline() -> Report:
    headers = ("Организация", "Всего", "Исполнено в срок", "С нарушением срока", "Просрочено")
    rows = (
        ("Правительство АО", 120, 80, 25, 15),
        ("  Министерство финансов", 50, 35, 10, 5),
        ("    Учреждение «Центр бухгалтерского учёта»", 20, 12, 6, 2),
        ("  Министерство здравоохранения", 70, 45, 15, 10),
    )
    return Report(
        name="discipline",
        title="Исполнительская дисциплина",
        headers=headers,
        rows=rows,
        total=("Итого", 120, 80, 25, 15),
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        as_of=dt.date(2026, 4, 1),
        organisation="Правительство АО",
        chart=ChartSpec("bar", 0, (2, 3, 4), "Исполнение поручений по организациям"),
        numeric=(1, 2, 3, 4),
    )


def registrations() -> Report:
    headers = ("Организация", "Месяц", "Зарегистрировано")
    rows = (
        ("Министерство финансов", "2026-01", 310),
        ("Министерство финансов", "2026-02", 290),
        ("Министерство здравоохранения", "2026-01", 405),
        ("Министерство здравоохранения", "2026-02", 377),
        ("Правительство АО", "2026-02", 128),
    )
    return Report(
        name="registrations",
        title="Регистрация документов",
        headers=headers,
        rows=rows,
        total=("Итого", "", 1510),
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        as_of=dt.date(2026, 4, 1),
        organisation="Правительство АО",
        chart=ChartSpec("bar", 0, (2,), "Зарегистрировано документов", aggregate=True),
        numeric=(2,),
    )


def monthly() -> Report:
    headers = ("Месяц", "Получено", "Отправлено")
    rows = (("2026-01", 40, 31), ("2026-02", 52, 47), ("2026-03", 61, 44))
    return Report(
        name="medo",
        title="Обмен документами по МЭДО",
        headers=headers,
        rows=rows,
        total=("Итого", 153, 122),
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        as_of=dt.date(2026, 4, 1),
        organisation="Правительство АО",
        chart=ChartSpec("line", 0, (1, 2), "Входящие и исходящие по МЭДО по месяцам"),
        numeric=(1, 2),
    )
