"""``edmscore medo``: unpack a letter, XML or container; pack a card export; notify."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``medo`` command with its ``unpack``, ``pack`` and ``notify`` subcommands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "medo", help="MEDO letters, messages and containers"
    )
    sub = parser.add_subparsers(dest="medo_command", required=True)
    unpack = sub.add_parser("unpack", help="check and unpack a letter, message XML or container")
    unpack.add_argument("path", type=Path, help="a letter folder, a message XML or a container")
    unpack.add_argument("--out", type=Path, required=True, help="folder to write the files to")
    unpack.set_defaults(handler=_unpack)
    pack = sub.add_parser("pack", help="build the letters of an outgoing card export (JSON)")
    pack.add_argument("export", type=Path, help="the card export JSON")
    pack.add_argument("--out", type=Path, required=True, help="folder for one letter per addressee")
    pack.add_argument("--encoding", default="utf-8", choices=["utf-8", "windows-1251"])
    pack.set_defaults(handler=_pack)
    notify = sub.add_parser("notify", help="build a notification about a received document")
    notify.add_argument("path", type=Path, help="the received letter folder or message XML")
    what = notify.add_mutually_exclusive_group(required=True)
    what.add_argument("--registered", metavar="NUMBER", help="our registration number")
    what.add_argument("--refused", metavar="REASON", help="a refusal reason from the closed list")
    notify.add_argument("--date", help="our registration date (YYYY-MM-DD), with --registered")
    notify.add_argument("--source-uid", required=True, help="our MEDO participant id")
    notify.add_argument("--source-org", required=True, help="our organisation's name")
    notify.add_argument("--time", help="the event time (ISO 8601), default now")
    notify.add_argument("--out", type=Path, help="file to write (default: standard output)")
    notify.set_defaults(handler=_notify)


def _fail(exc: Exception) -> int:
    print(f"edmscore medo: {exc}", file=sys.stderr)
    return 1


def _print(summary: dict[str, Any]) -> None:
    print(json.dumps(summary, ensure_ascii=False, indent=2))


def _unpack(args: argparse.Namespace) -> int:
    from edmscore.errors import EdmsError
    from edmscore.exchange.medo import (
        ContainerReference,
        check_signatures,
        parse_message,
        read_container,
        read_letter,
        referenced_files,
    )
    from edmscore.exchange.medo._summary import (
        summarize_container,
        summarize_letter,
        summarize_message,
    )

    path: Path = args.path
    out: Path = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            letter = read_letter(path)
            for item in letter.files:
                shutil.copyfile(path / item.name, out / item.name)
            shutil.copyfile(path / letter.message_name, out / letter.message_name)
            summary = summarize_letter(letter, check_signatures(letter))
            content = letter.message.content
            if isinstance(content, ContainerReference) and letter.file(content.body):
                container = read_container(
                    letter.path(content.body).read_bytes(), source=str(letter.path(content.body))
                )
                container.extract(out / Path(content.body).stem)
                summary["container_content"] = summarize_container(container)
        elif zipfile.is_zipfile(path):
            container = read_container(path.read_bytes(), source=str(path))
            container.extract(out)
            summary = summarize_container(container)
        else:
            message = parse_message(path.read_bytes(), source=str(path))
            shutil.copyfile(path, out / path.name)
            summary = summarize_message(message)
            copied, missing = [], []
            for name in referenced_files(message, source=str(path)):
                beside = path.parent / name
                if beside.is_file() and not beside.is_symlink():
                    shutil.copyfile(beside, out / name)
                    copied.append(name)
                else:
                    missing.append(name)
            summary["copied"], summary["missing"] = copied, missing
    except (EdmsError, OSError) as exc:
        return _fail(exc)
    _print(summary)
    return 0


def _pack(args: argparse.Namespace) -> int:
    from edmscore.errors import EdmsError
    from edmscore.exchange.medo import write_letter
    from edmscore.exchange.medo._card_export import load_card_export
    from edmscore.exchange.medo._summary import summarize_message

    out: Path = args.out
    try:
        letters, without = load_card_export(args.export)
        written = []
        for letter in letters:
            folder = write_letter(
                out / letter.destination.uid.lower(),
                letter.message,
                letter.files,
                addresses=() if letter.address is None else (letter.address,),
                subject=_subject(letter.message),
                encoding=args.encoding,
            )
            summary = summarize_message(letter.message)
            summary["letter"] = str(folder)
            written.append(summary)
    except (EdmsError, OSError) as exc:
        return _fail(exc)
    _print({"letters": written, "without_medo": list(without)})
    return 0


def _subject(message: Any) -> str:
    document = getattr(message.content, "document", None)
    annotation = getattr(document, "annotation", None)
    return str(annotation or "")[:255].replace("\n", " ")


def _notify(args: argparse.Namespace) -> int:
    import pendulum

    from edmscore.errors import EdmsError
    from edmscore.exchange.medo import (
        ContainerReference,
        Partner,
        RefusalReason,
        build_message,
        notify_refused,
        notify_registered,
        open_container,
        parse_message,
        passport_document,
        read_letter,
    )
    from edmscore.exchange.medo._values import parse_date, parse_datetime

    try:
        path: Path = args.path
        document = None
        if path.is_dir():
            letter = read_letter(path)
            received = letter.message
            if isinstance(received.content, ContainerReference):
                container = open_container(letter)
                document = passport_document(container.passport, received)
        else:
            received = parse_message(path.read_bytes(), source=str(path))
        source = Partner(uid=args.source_uid, organization=args.source_org)
        time = pendulum.now() if args.time is None else parse_datetime(args.time, "Europe/Moscow")
        if args.registered is not None:
            if args.date is None:
                return _fail(ValueError("--registered needs --date"))
            message = notify_registered(
                received,
                source=source,
                number=args.registered,
                date=parse_date(args.date),
                time=time,
                document=document,
            )
        else:
            reason = next((r for r in RefusalReason if r.value == args.refused), None)
            if reason is None:
                known = "; ".join(r.value for r in RefusalReason)
                return _fail(
                    ValueError(f"unknown refusal reason {args.refused!r}; one of: {known}")
                )
            message = notify_refused(
                received, source=source, reason=reason, time=time, document=document
            )
        data = build_message(message)
    except (EdmsError, OSError, ValueError) as exc:
        return _fail(exc)
    if args.out is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        args.out.write_bytes(data)
    return 0
