"""The SSTU export: mapping, the format's rules with named errors, streaming, the batch."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import attrs
import pendulum
import pytest

from edmscore.appeals import (
    MAX_ATTACHMENT_BYTES,
    Answer,
    Forwarding,
    QuestionStatus,
    SstuAttachment,
    SstuOptions,
    Transfer,
    export_sstu_batch,
    month_period,
    parse_sstu,
    sstu_appeal,
    sstu_json,
    validate_sstu,
    write_sstu,
)
from edmscore.errors import SstuError, ValidationError

from .conftest import OTHER_ID, SSTU_ID, TOPIC, Env, request

D = pendulum.Date


def _answered(env: Env) -> object:
    clerk = env.world.clerk
    appeal = env.service.register_appeal(clerk, request(env, received_on=D(2026, 2, 27)))
    env.clock.advance(days=3)
    return env.service.decide(
        clerk,
        appeal.id,
        appeal.version,
        1,
        QuestionStatus.EXPLAINED,
        Answer(D(2026, 3, 5), "Разъяснено"),
        attachment=("ответ.pdf", b"%PDF-1.4 x"),
    )


def test_an_answered_direct_appeal_maps_to_the_format(env: Env) -> None:
    appeal = _answered(env)
    doc = sstu_appeal(appeal, SSTU_ID)  # type: ignore[arg-type]
    with env.storage.unit_of_work() as uow:
        blobs = uow.blobs
        data = json.loads(sstu_json(doc, lambda a: blobs.get(a.sha256)))
    assert data["departmentId"] == SSTU_ID
    assert data["isDirect"] is True
    assert data["format"] == "Other"
    assert data["number"] == "Д/1"
    assert "createDate" not in data
    assert data["name"] == "Дмитриев Олег Сергеевич"
    question = data["questions"][0]
    assert question["code"] == TOPIC
    assert question["status"] == "Explained"
    assert (question["incomingDate"], question["registrationDate"], question["responseDate"]) == (
        "2026-02-27",
        "2026-03-02",
        "2026-03-05",
    )
    assert question["attachment"]["name"] == "ответ.pdf"
    import base64

    assert base64.b64decode(question["attachment"]["content"]) == b"%PDF-1.4 x"


def test_a_forwarded_appeal_sends_the_cover_letter_number_and_date(env: Env) -> None:
    forwarding = Forwarding("Администрация Президента РФ", "А26-02-1", D(2026, 2, 25))
    appeal = env.service.register_appeal(env.world.clerk, request(env, forwarding=forwarding))
    doc = sstu_appeal(appeal, SSTU_ID)
    assert (doc.is_direct, doc.number, doc.create_date) == (False, "А26-02-1", D(2026, 2, 25))
    validate_sstu(doc)


def test_an_extended_question_is_exported_as_the_host_chooses(env: Env) -> None:
    appeal = env.service.register_appeal(env.world.clerk, request(env))
    appeal = env.service.extend(env.world.clerk, appeal.id, appeal.version, 10, "Проверка")
    assert sstu_appeal(appeal, SSTU_ID).questions[0].status == "InWork"
    doc = sstu_appeal(appeal, SSTU_ID, SstuOptions(extended_status="ReviewExtended"))
    assert doc.questions[0].status == "ReviewExtended"
    with pytest.raises(SstuError):
        validate_sstu(doc)
    validate_sstu(doc, extra_statuses=frozenset({"ReviewExtended"}))


def test_rules_raise_errors_naming_the_appeal_and_the_field(env: Env) -> None:
    doc = sstu_appeal(_answered(env), SSTU_ID)  # type: ignore[arg-type]
    q = doc.questions[0]
    cases = {
        "departmentId": attrs.evolve(doc, department_id="not-a-guid"),
        "name": attrs.evolve(doc, name=" "),
        "createDate": attrs.evolve(doc, is_direct=False),
        "questions": attrs.evolve(doc, questions=()),
        "questions[0].code": attrs.evolve(doc, questions=(attrs.evolve(q, code="0001.0002"),)),
        "questions[0].registrationDate": attrs.evolve(
            doc, questions=(attrs.evolve(q, registration_date=D(2026, 2, 1)),)
        ),
        "questions[0].responseDate": attrs.evolve(
            doc, questions=(attrs.evolve(q, response_date=None),)
        ),
        "questions[0].actionsTaken": attrs.evolve(
            doc, questions=(attrs.evolve(q, status="Supported"),)
        ),
        "questions[0].transfer": attrs.evolve(
            doc, questions=(attrs.evolve(q, status="Transferred"),)
        ),
        "questions[0].incomingDate": attrs.evolve(doc, is_direct=False, create_date=D(2026, 3, 1)),
        "questions[0].attachment": attrs.evolve(
            doc,
            questions=(
                attrs.evolve(q, attachment=SstuAttachment("a.pdf", MAX_ATTACHMENT_BYTES, "0" * 64)),
            ),
        ),
    }
    for field, broken in cases.items():
        with pytest.raises(SstuError) as caught:
            validate_sstu(broken)
        assert caught.value.field == field, field
        assert caught.value.appeal == "Д/1"
        assert "Д/1" in str(caught.value)
        assert isinstance(caught.value, ValidationError)


class _Source(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.reads.append(-1 if size is None else size)
        return super().read(size)


def test_a_large_attachment_is_streamed_in_chunks_and_checked(env: Env) -> None:
    doc = sstu_appeal(_answered(env), SSTU_ID)  # type: ignore[arg-type]
    blob = bytes(range(256)) * (9_000_000 // 256)
    attachment = SstuAttachment("big.pdf", len(blob), hashlib.sha256(blob).hexdigest())
    big = attrs.evolve(doc, questions=(attrs.evolve(doc.questions[0], attachment=attachment),))
    source = _Source(blob)
    out = io.BytesIO()
    write_sstu(big, out, lambda a: source)
    assert len(source.reads) > 10 and all(0 < n <= 3 * 65536 for n in source.reads)
    assert parse_sstu(out.getvalue()).questions[0].attachment == attachment
    lying = attrs.evolve(attachment, size=len(blob) - 1)
    wrong = attrs.evolve(big, questions=(attrs.evolve(big.questions[0], attachment=lying),))
    with pytest.raises(SstuError, match="does not match"):
        write_sstu(wrong, io.BytesIO(), lambda a: io.BytesIO(blob))
    too_big = attrs.evolve(attachment, size=MAX_ATTACHMENT_BYTES - 1)
    huge = attrs.evolve(big, questions=(attrs.evolve(big.questions[0], attachment=too_big),))
    with pytest.raises(SstuError, match="reaches"):
        write_sstu(huge, io.BytesIO(), lambda a: io.BytesIO(b"\0" * MAX_ATTACHMENT_BYTES))


def test_parse_rejects_bad_documents_with_sstu_errors() -> None:
    for data in (b"[]", b"{", b'{"number": "1"}', b"\xff"):
        with pytest.raises(SstuError):
            parse_sstu(data)
    good = {
        "departmentId": SSTU_ID,
        "isDirect": True,
        "format": "Other",
        "number": "Д/1",
        "name": "Иванов Иван",
        "questions": [{"code": TOPIC, "status": "InWork", "incomingDate": "2026-02-30"}],
    }
    with pytest.raises(SstuError) as caught:
        parse_sstu(json.dumps(good).encode())
    assert caught.value.field == "questions[0].incomingDate"


def test_the_monthly_batch_exports_changed_appeals_and_reports_failures(
    env: Env, tmp_path: Path
) -> None:
    clerk = env.world.clerk
    answered = _answered(env)
    broken = env.service.register_appeal(clerk, request(env))
    broken = env.service.redirect(
        clerk, broken.id, broken.version, Transfer("Орган без ССТУ", env.clock.now().date(), "1")
    )
    env.clock.advance(days=40)
    later = env.service.register_appeal(clerk, request(env))
    start, end = month_period(2026, 3)
    result = export_sstu_batch(env.service, clerk, start, end, SSTU_ID, tmp_path)
    assert [p.name.split("-", 3)[3] for p in result.written] == [f"{answered.id}.json"]  # type: ignore[attr-defined]
    assert [number for number, _ in result.failed] == [broken.number]
    assert "transfer.departmentId" in result.failed[0][1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in result.written]
    assert not result.ok
    april = export_sstu_batch(env.service, clerk, *month_period(2026, 4), SSTU_ID, tmp_path)
    assert len(april.written) == 1 and later.id in april.written[0].name
    with pytest.raises(ValidationError):
        month_period(2026, 13)
    ok_doc = parse_sstu(result.written[0].read_bytes())
    assert ok_doc.questions[0].status == "Explained"
    assert OTHER_ID not in result.written[0].read_text(encoding="utf-8")


def test_deeply_nested_json_is_an_sstu_error_not_a_crash() -> None:
    with pytest.raises(SstuError):
        parse_sstu(b"[" * 200_000 + b"]" * 200_000)
