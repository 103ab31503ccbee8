"""Logs: one logger per package, silent by default, structured fields, no personal data."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys

import pendulum
import pytest

from edmscore import (
    CardDetails,
    CardKind,
    Clearance,
    Edms,
    EdmsError,
    FixedClock,
    Journal,
    NotFound,
    Organisation,
    RegistrationRequest,
    User,
)
from edmscore.registry import AccessMark, Correspondent

SECRET = "Совершенно служебное содержание"
CITIZEN = "Кузнецова Анна Сергеевна"


def _installation() -> tuple[Edms, Journal]:
    edms = Edms(clock=FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Moscow")))
    admin = edms.setup(Organisation("mcr", "Министерство"), User("admin", "admin", "mcr"))
    clerk = User("clerk", "ivanova", "mcr", clearance=Clearance.DSP, roles=("registrar",))
    edms.admin.put_user(admin.id, clerk)
    journal = Journal("in", "mcr", "ВХ", "Входящие", "вх-{seq}", {CardKind.INCOMING})
    edms.admin.create_journal(admin.id, journal)
    return edms, journal


def _dsp_letter() -> CardDetails:
    return CardDetails(
        kind=CardKind.INCOMING,
        document_kind="Письмо",
        summary=SECRET,
        correspondents=(Correspondent(CITIZEN),),
        received_on=pendulum.Date(2026, 3, 2),
        access=AccessMark.DSP,
    )


def test_a_use_case_logs_structured_fields_to_its_package_logger(
    caplog: pytest.LogCaptureFixture,
) -> None:
    edms, journal = _installation()
    with caplog.at_level(logging.DEBUG, logger="edmscore"):
        card = edms.records.register("clerk", RegistrationRequest(journal.id, _dsp_letter()))
        with pytest.raises(NotFound):
            edms.records.get("clerk", "no-such-card")
    done = [r for r in caplog.records if getattr(r, "use_case", None) == "records.register"]
    assert len(done) == 1
    record = done[0]
    assert record.name == "edmscore.records"
    assert record.actor_id == "clerk"  # type: ignore[attr-defined]
    assert card.id in record.record_ids  # type: ignore[attr-defined]
    assert record.outcome == "ok"  # type: ignore[attr-defined]
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0  # type: ignore[attr-defined]
    refused = [r for r in caplog.records if getattr(r, "use_case", None) == "records.get"]
    assert refused[-1].outcome == "NOT_FOUND"  # type: ignore[attr-defined]
    assert "no-such-card" in refused[-1].record_ids  # type: ignore[attr-defined]


def test_no_personal_data_or_dsp_content_reaches_the_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    edms, journal = _installation()
    with caplog.at_level(logging.DEBUG):
        card = edms.records.register("clerk", RegistrationRequest(journal.id, _dsp_letter()))
        edms.records.get("clerk", card.id)
    assert caplog.records, "the use cases logged nothing"
    for record in caplog.records:
        text = record.getMessage() + " " + repr(vars(record))
        for secret in (SECRET, CITIZEN, "ivanova"):
            assert secret not in text, f"{record.name} logged {secret!r}"


def test_each_capability_has_its_own_logger(caplog: pytest.LogCaptureFixture) -> None:
    edms, _ = _installation()
    with caplog.at_level(logging.INFO, logger="edmscore"):
        for call in (edms.control.overdue, edms.approval.awaiting):
            with contextlib.suppress(EdmsError):
                call("admin")
    names = {r.name for r in caplog.records}
    assert {"edmscore.control", "edmscore.approval"} <= names


def test_nothing_is_printed_by_default() -> None:
    code = (
        "from edmscore import Edms, Organisation, User, EdmsError\n"
        "edms = Edms()\n"
        "edms.setup(Organisation('g', 'Орг'), User('root', 'root', 'g'))\n"
        "try:\n"
        "    edms.records.get('root', 'missing')\n"
        "except EdmsError:\n"
        "    pass\n"
        "import logging\n"
        "logging.getLogger('edmscore.records').error('an error nobody configured a handler for')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stderr == "" and done.stdout == ""
