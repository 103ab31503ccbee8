"""What a host's UI and operators get: error codes with Russian messages, and structured logs.

Run: python examples/errors_and_logs.py
"""

from __future__ import annotations

import json
import logging

import pendulum

from edmscore import Edms, EdmsError, FixedClock, Organisation, User
from edmscore.errors import set_locale


class JsonLines(logging.Handler):
    """Keeps each use case's structured fields, as a host's JSON log handler would."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        fields = {k: getattr(record, k, None) for k in ("use_case", "actor_id", "outcome")}
        self.lines.append(json.dumps({"logger": record.name, **fields}, ensure_ascii=False))


def main() -> None:
    logs = JsonLines()
    logging.getLogger("edmscore").addHandler(logs)
    logging.getLogger("edmscore").setLevel(logging.INFO)
    set_locale("ru")  # the UI speaks Russian
    try:
        edms = Edms(clock=FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Moscow")))
        admin = edms.setup(Organisation("mcr", "Министерство"), User("admin", "admin", "mcr"))
        answers = []
        for attempt in (
            lambda: edms.setup(Organisation("mcr", "Министерство"), admin),  # set up twice
            lambda: edms.records.get(admin.id, "no-such-card"),  # a card that is not there
            lambda: edms.admin.put_user(admin.id, "clerk"),  # type: ignore[arg-type]
        ):
            try:
                attempt()
            except EdmsError as error:
                answers.append(error.to_dict())
        assert [a["code"] for a in answers] == ["ALREADY_SET_UP", "PERMISSION_DENIED", "WRONG_TYPE"]
        assert answers[2]["field"] == "user"
        assert all("no-such-card" not in a["message"] for a in answers)
        assert any('"use_case": "records.get"' in line for line in logs.lines)
    finally:
        set_locale("en")
        logging.getLogger("edmscore").removeHandler(logs)
    for answer in answers:
        print(f"{answer['code']}: {answer['message']}")


if __name__ == "__main__":
    main()
