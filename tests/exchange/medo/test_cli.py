"""``edmscore medo``: unpack, pack and notify, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pendulum

from edmscore.exchange.medo import (
    DocumentAccepted,
    DocumentContent,
    Notification,
    build_container,
    parse_message,
    read_letter,
    write_letter,
)

from .samples import RECIPIENT, document_message
from .test_container import FILES, PASSPORT

PDF = b"%PDF-1.7\n" + b"y" * 500


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "edmscore.cli", "medo", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_unpack_a_letter(tmp_path: Path) -> None:
    folder = write_letter(
        tmp_path / "in",
        document_message(),
        {"document.pdf": PDF, "document.pdf.p7s": b"s"},
        addresses=("TEST~MEDOGU",),
    )
    result = _run("unpack", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["type"] == "Документ"
    assert summary["document"]["number"] == "01-15/123"
    assert summary["document"]["date"] == "2024-03-01"
    assert summary["document"]["kind"] == "Письмо"
    assert summary["signatures"][0]["status"] == "not checked"
    assert (tmp_path / "out" / "document.pdf").read_bytes() == PDF


def test_unpack_an_xml_copies_the_files_beside_it(tmp_path: Path) -> None:
    folder = write_letter(
        tmp_path / "in",
        document_message(),
        {"document.pdf": PDF, "document.pdf.p7s": b"s"},
        addresses=("TEST~MEDOGU",),
    )
    (folder / "document.pdf.p7s").unlink()
    result = _run("unpack", str(folder / "document.xml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["copied"] == ["document.pdf"]
    assert summary["missing"] == ["document.pdf.p7s"]


def test_unpack_a_container(tmp_path: Path) -> None:
    path = tmp_path / "document.edc.zip"
    path.write_bytes(build_container(PASSPORT, FILES))
    result = _run("unpack", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["document"]["number"] == "01-15/123"
    assert summary["document"]["kind"] == "Письмо"
    assert (tmp_path / "out" / "Приложение.pdf").is_file()


def test_unpack_refuses_hostile_input_with_the_file_named(tmp_path: Path) -> None:
    bad = tmp_path / "evil.xml"
    bad.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x/>'
    )
    result = _run("unpack", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "evil.xml" in result.stderr
    assert "DOCTYPE" in result.stderr


def test_pack_a_card_export(tmp_path: Path) -> None:
    from edmscore.registry.codec import card_to_primitive

    from .test_mapping import DISTRICT, PDF, REGION, SENDER, VILLAGE, _outgoing

    (tmp_path / "letter.pdf").write_bytes(PDF)
    (tmp_path / "letter.pdf.p7s").write_bytes(b"cms")
    org = ("id", "name", "medo_id", "dsp_electronic")
    district = {k: getattr(DISTRICT, k) for k in org} | {"medo_address": "DISTRICT~MEDOGU"}
    export = {
        "card": card_to_primitive(_outgoing()),
        "sender": {k: getattr(REGION, k) for k in org},
        "recipients": [district, {k: getattr(VILLAGE, k) for k in org}],
        "source": {"uid": SENDER.uid, "organization": SENDER.organization},
        "time": "2024-05-06T13:00:00+03:00",
        "signatures": [
            {
                "file": "letter.pdf",
                "path": "letter.pdf.p7s",
                "signer": "Петров П.П.",
                "post": "Губернатор",
                "time": "2024-05-06T11:00:00+03:00",
            }
        ],
    }
    (tmp_path / "card.json").write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    result = _run("pack", str(tmp_path / "card.json"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["without_medo"] == ["Администрация села"]
    assert len(summary["letters"]) == 1
    letter = read_letter(summary["letters"][0]["letter"])
    assert letter.missing == ()
    # the envelope carries the mailbox address from the directory, not the participant GUID
    assert letter.envelope is not None
    assert letter.envelope.addressees == ("DISTRICT~MEDOGU",)
    assert isinstance(letter.message.content, DocumentContent)
    assert letter.message.content.document.num.number == "01-15/5"
    assert letter.message.destinations[0].partner.same_participant(RECIPIENT)
    # a file that does not match the card's hash is refused
    (tmp_path / "letter.pdf").write_bytes(PDF + b"changed")
    bad = _run("pack", str(tmp_path / "card.json"), "--out", str(tmp_path / "out2"))
    assert bad.returncode == 1
    assert "SHA-256" in bad.stderr


def test_pack_refuses_an_addressee_without_a_mailbox_address(tmp_path: Path) -> None:
    from edmscore.registry.codec import card_to_primitive

    from .test_mapping import DISTRICT, PDF, REGION, SENDER, _outgoing

    (tmp_path / "letter.pdf").write_bytes(PDF)
    (tmp_path / "letter.pdf.p7s").write_bytes(b"cms")
    org = ("id", "name", "medo_id", "dsp_electronic")
    export = {
        "card": card_to_primitive(_outgoing()),
        "sender": {k: getattr(REGION, k) for k in org},
        "recipients": [{k: getattr(DISTRICT, k) for k in org}],
        "source": {"uid": SENDER.uid, "organization": SENDER.organization},
        "time": "2024-05-06T13:00:00+03:00",
        "signatures": [
            {
                "file": "letter.pdf",
                "path": "letter.pdf.p7s",
                "signer": "Петров П.П.",
                "post": "Губернатор",
                "time": "2024-05-06T11:00:00+03:00",
            }
        ],
    }
    (tmp_path / "card.json").write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    result = _run("pack", str(tmp_path / "card.json"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "mailbox address" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.xml"))


def test_pack_reports_a_bad_export(tmp_path: Path) -> None:
    (tmp_path / "card.json").write_text('{"source": {}}', "utf-8")
    result = _run("pack", str(tmp_path / "card.json"), "--out", str(tmp_path / "letter"))
    assert result.returncode == 1
    assert "card.json" in result.stderr


def test_notify_registered(tmp_path: Path) -> None:
    folder = write_letter(
        tmp_path / "in",
        document_message(),
        {"document.pdf": PDF, "document.pdf.p7s": b"s"},
        addresses=("TEST~MEDOGU",),
    )
    out = tmp_path / "notification.xml"
    result = _run(
        "notify",
        str(folder),
        "--registered",
        "Вх-1",
        "--date",
        "2024-03-04",
        "--source-uid",
        RECIPIENT.uid,
        "--source-org",
        RECIPIENT.organization,
        "--time",
        "2024-03-04T09:00:00+03:00",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    message = parse_message(out.read_bytes())
    assert isinstance(message.content, Notification)
    assert isinstance(message.content.event, DocumentAccepted)
    assert message.content.event.num.date == pendulum.date(2024, 3, 4)


def test_notify_refused_checks_the_reason(tmp_path: Path) -> None:
    folder = write_letter(
        tmp_path / "in",
        document_message(),
        {"document.pdf": PDF, "document.pdf.p7s": b"s"},
        addresses=("TEST~MEDOGU",),
    )
    common = ["--source-uid", RECIPIENT.uid, "--source-org", "Район"]
    ok = _run("notify", str(folder), "--refused", "Нет подписи", *common)
    assert ok.returncode == 0, ok.stderr
    assert "Нет подписи" in ok.stdout
    bad = _run("notify", str(folder), "--refused", "Не нравится", *common)
    assert bad.returncode == 1
    assert "Ошибка адресации" in bad.stderr


def test_unpack_a_2_7_transport_letter_extracts_its_container(tmp_path: Path) -> None:
    from edmscore.exchange.medo import ContainerReference, Header, Message

    from .samples import SENDER

    transport = Message(
        header=Header(source=SENDER, uid="5f0e1c2d-0000-4000-8000-0000000000aa"),
        content=ContainerReference(body="document.edc.zip"),
        version="2.7",
    )
    folder = write_letter(
        tmp_path / "in",
        transport,
        {"document.edc.zip": build_container(PASSPORT, FILES)},
        addresses=("TEST~MEDOGU",),
    )
    letter = read_letter(folder)
    assert letter.message == transport
    assert letter.missing == ()
    result = _run("unpack", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["type"] == "Транспортный контейнер"
    assert summary["container_content"]["document"]["number"] == "01-15/123"
    assert (tmp_path / "out" / "document.edc" / "Приложение.pdf").read_bytes() == FILES[
        "Приложение.pdf"
    ]


def test_notify_answers_a_271_container_letter_and_unpack_shows_the_refusal(
    tmp_path: Path,
) -> None:
    import attrs

    from edmscore.exchange.medo import (
        CONTAINER_NS_271,
        ContainerReference,
        DocumentRefused,
        Header,
        Message,
        build_container,
    )

    from .samples import SENDER

    passport = attrs.evolve(PASSPORT, namespace=CONTAINER_NS_271)
    message = Message(
        header=Header(
            source=SENDER, uid=passport.uid, created=pendulum.datetime(2024, 3, 1, tz="UTC")
        ),
        content=ContainerReference("document.edc.zip"),
        version="2.7.1",
    )
    folder = write_letter(
        tmp_path / "in",
        message,
        {"document.edc.zip": build_container(passport, FILES)},
        addresses=("A~MEDOGU",),
    )
    out = tmp_path / "reply" / "notification.xml"
    out.parent.mkdir()
    common = ["--source-uid", RECIPIENT.uid, "--source-org", "Район", "--out", str(out)]
    result = _run("notify", str(folder), "--refused", "Нет подписи", *common)
    assert result.returncode == 0, result.stderr
    reply = parse_message(out.read_bytes())
    assert reply.version == "2.7.1"
    assert isinstance(reply.content, Notification)
    assert reply.content.document_uid == passport.uid
    assert isinstance(reply.content.event, DocumentRefused)
    shown = _run("unpack", str(out), "--out", str(tmp_path / "shown"))
    assert shown.returncode == 0, shown.stderr
    summary = json.loads(shown.stdout)["notification"]
    assert summary["reason"] == "Нет подписи"
    assert summary["foundation"] == {"number": "01-15/123", "date": "2024-03-01"}
