"""The real МЧД corpus (tests/corpus/mchd, see PROVENANCE.md) and a test PKI for its persons."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pendulum

from edmscore.signatures import SubjectFields
from edmscore.testing.pki import Identity, TestPki

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "mchd"
#: The real МЧД signed by its principal's head, with the real detached GOST signature.
SIGNED = "ON_EMCHD_20241203_c61a40df-d38f-4800-9ba4-61a2df016993"
SIGNED_AT = pendulum.datetime(2024, 12, 10, 9, tz="Europe/Moscow")
DOVBB = "ON_DOVBB_20240828_cfeae40d-e613-48ff-989f-f6b45590e338"
XSD = CORPUS / "ON_EMCHD_1_928_00_01_01_01.xsd"


def read(name: str) -> bytes:
    """A corpus file's bytes (``name`` with or without ``.xml``)."""
    path = CORPUS / name if "." in name[-5:] else CORPUS / f"{name}.xml"
    return path.read_bytes()


def valid_emchd() -> list[str]:
    """The names of the real EMCHD_1 files that the XSD accepts."""
    return sorted(p.name for p in CORPUS.glob("ON_EMCHD_2*.xml"))


@cache
def pki() -> TestPki:
    """One RSA test PKI for the session (GOST keys are slower and add nothing here)."""
    return TestPki.create("rsa", not_before=pendulum.datetime(2020, 1, 1))


@cache
def head() -> Identity:
    """The principal's general director, as the real МЧД names him."""
    return pki().issue(
        SubjectFields(
            surname="ТРАНДИН",
            given_name="СЕРГЕЙ ИВАНОВИЧ",
            patronymic=None,
            snils="04185549465",
            inn="590411006514",
            inn_le="7714350892",
            ogrn="1157746734837",
        ),
        not_before=pendulum.datetime(2024, 1, 1),
        not_after=pendulum.datetime(2027, 1, 1),
    )


@cache
def representative() -> Identity:
    """The representative the real МЧД SIGNED names (a personal certificate, no organisation)."""
    return pki().issue(
        SubjectFields(
            surname="АЛФИМОВА",
            given_name="АННА СЕРГЕЕВНА",
            snils="06196363983",
            inn="510103032621",
        ),
        not_before=pendulum.datetime(2024, 1, 1),
        not_after=pendulum.datetime(2027, 1, 1),
    )


@cache
def stranger() -> Identity:
    """Someone the МЧД does not name."""
    return pki().issue(
        SubjectFields(surname="ПОСТОРОННИЙ", given_name="ПЁТР ПЕТРОВИЧ", snils="11223344595"),
        not_before=pendulum.datetime(2024, 1, 1),
        not_after=pendulum.datetime(2027, 1, 1),
    )
