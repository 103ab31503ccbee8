"""``edmscore backup check-files`` and ``move-to-cold`` end to end: the tiers read from the TOML
file ``--tiers`` (or ``EDMS_TIERS``) names, folders and an S3-compatible server (moto's)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from edmscore import Edms
from edmscore.access import Principal
from edmscore.cli import main
from edmscore.directory import Clearance, Organisation, User
from edmscore.registry import CardKind, Journal
from edmscore.storage.sql import SqlStorage, sqlite_engine

SCANS = {year: f"%PDF-1.4\n% scan of {year}\n%%EOF\n".encode() for year in (2019, 2020, 2025)}
CLOSED = pendulum.now("UTC").year - 1


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _database(path: Path) -> Path:
    """A SQLite installation with an administrator and an incoming journal."""
    edms = Edms(SqlStorage(sqlite_engine(path)))
    admin = User("admin", "admin", "org", None, Clearance.DSP)
    edms.setup(Organisation("org", "Министерство"), admin)
    journal = Journal("j-in", "org", "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    edms.admin.create_journal(Principal("admin"), journal)
    return path


def _legacy(folder: Path) -> Path:
    """A legacy registry of one card with a scan per year."""
    (folder / "files").mkdir(parents=True)
    with (folder / "cards.jsonl").open("w", encoding="utf-8") as out:
        for number, (year, scan) in enumerate(SCANS.items(), 1):
            (folder / "files" / _sha(scan)).write_bytes(scan)
            day = f"{year}-03-02"
            row = {
                "registration": {"journal": "ВХ", "number": f"{number}-вх", "date": day},
                "details": {
                    "kind": "incoming",
                    "document_kind": "Письмо",
                    "summary": f"Письмо {year} года",
                    "correspondents": [{"name": "Администрация района"}],
                    "received_on": day,
                    "files": [{"name": "скан.pdf", "size": len(scan), "sha256": _sha(scan)}],
                },
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder


def _cold_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_folder_tiers_from_the_tier_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = str(_database(tmp_path / "edms.sqlite"))
    config = tmp_path / "tiers.toml"
    config.write_text(
        '[files]\nhot = "hot"\n\n[files.replica]\ndirectory = "copy"\n\n'
        '[files.cold]\ndirectory = "cold"\n',
        encoding="utf-8",
    )
    tiers = ("--tiers", str(config))
    code, out, _ = _run(
        capsys, "backup", "import", database, str(_legacy(tmp_path / "legacy")),
        "--as", "admin", "--quiet", *tiers,
    )  # fmt: skip
    assert code == 0 and "3 files" in out
    for scan in SCANS.values():  # written to the hot folder and through to the replica
        assert _cold_path(tmp_path / "copy", _sha(scan)).read_bytes() == scan
    code, out, err = _run(
        capsys, "backup", "move-to-cold", database, "--as", "admin", "--through-year", "2020",
        *tiers,
    )  # fmt: skip
    assert code == 0 and "moved 2 file(s)" in out and "moved to cold" in err
    assert {p.name for p in (tmp_path / "cold").rglob("*") if p.is_file()} == {
        _sha(SCANS[2019]),
        _sha(SCANS[2020]),
    }
    assert not _cold_path(tmp_path / "hot", _sha(SCANS[2019])).exists()
    monkeypatch.setenv("EDMS_TIERS", str(config))  # the same file, named by the environment
    code, out, err = _run(capsys, "backup", "check-files", database, "--as", "admin")
    assert code == 0 and out.endswith("ok\n") and "cold" in err
    assert "cold                    2        0        0" in out
    damaged = _cold_path(tmp_path / "cold", _sha(SCANS[2019]))
    damaged.write_bytes(b"not the scan")
    code, out, _ = _run(capsys, "backup", "check-files", database, "--as", "admin", "--quiet")
    assert code == 1 and f"damaged: cold: {_sha(SCANS[2019])}" in out
    code, out, _ = _run(
        capsys, "backup", "check-files", database, "--as", "admin", "--quiet", "--repair"
    )
    assert code == 0 and f"repaired: cold: {_sha(SCANS[2019])}" in out
    assert damaged.read_bytes() == SCANS[2019]
    code, out, _ = _run(
        capsys, "backup", "move-to-cold", database, "--as", "admin",
        "--through-year", str(CLOSED + 1), "--quiet",
    )  # fmt: skip
    assert code == 2


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[files]\n", "files.hot"),
        ('[files]\nhot = "h"\nspeed = 1\n', "unknown setting speed"),
        ('[files]\nhot = "h"\n[files.cold]\n', "either directory"),
        (
            '[files]\nhot = "h"\n[files.cold]\nbucket = "b"\naws_secret_access_key = "x"\n',
            "credentials come from the environment",
        ),
        ("[files\n", "not TOML"),
        ('[other]\nhot = "h"\n', "one [files] table"),
    ],
)
def test_a_bad_tier_file_is_refused_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, reason: str
) -> None:
    database = str(_database(tmp_path / "edms.sqlite"))
    config = tmp_path / "tiers.toml"
    config.write_text(text, encoding="utf-8")
    code, _, err = _run(
        capsys, "backup", "check-files", database, "--as", "admin", "--tiers", str(config)
    )
    assert code == 2 and reason in err


def test_without_tiers_the_commands_say_the_files_are_on_one_tier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDMS_TIERS", raising=False)
    database = str(_database(tmp_path / "edms.sqlite"))
    code, _, err = _run(capsys, "backup", "check-files", database, "--as", "admin")
    assert code == 2 and "one tier" in err


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def test_an_s3_cold_tier_from_the_tier_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    s3_endpoint: str,
) -> None:
    import boto3

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="edms-cold")
    database = str(_database(tmp_path / "edms.sqlite"))
    config = tmp_path / "tiers.toml"
    config.write_text(
        f'[files]\nhot = "hot"\n\n[files.cold]\nbucket = "edms-cold"\nprefix = "files/"\n'
        f'endpoint_url = "{s3_endpoint}"\nregion_name = "us-east-1"\n',
        encoding="utf-8",
    )
    tiers = ("--tiers", str(config))
    legacy = str(_legacy(tmp_path / "legacy"))
    assert _run(capsys, "backup", "import", database, legacy, "--as", "admin", *tiers)[0] == 0
    code, out, _ = _run(
        capsys, "backup", "move-to-cold", database, "--as", "admin", "--through-year", "2019",
        "--quiet", *tiers,
    )  # fmt: skip
    assert code == 0 and "moved 1 file(s)" in out
    stored = client.list_objects_v2(Bucket="edms-cold")["Contents"]
    assert [item["Key"] for item in stored] == [f"files/{_sha(SCANS[2019])}"]
    code, out, _ = _run(capsys, "backup", "check-files", database, "--as", "admin", *tiers)
    assert code == 0 and out.endswith("ok\n")
    client.put_object(Bucket="edms-cold", Key=f"files/{_sha(SCANS[2019])}", Body=b"altered")
    code, out, _ = _run(capsys, "backup", "check-files", database, "--as", "admin", *tiers)
    assert code == 1 and f"lost: {_sha(SCANS[2019])}" in out  # no replica to repair from
