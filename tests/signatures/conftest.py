"""Session fixtures: a PKI made by the real OpenSSL (``openssl ca``) for each algorithm."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import attrs
import pendulum
import pytest

from edmscore.signatures import SubjectFields, _gostlink
from edmscore.testing.pki import Identity, TestPki

IN_CI = os.environ.get("CI") == "true"
GOST_ALGORITHMS = {"gost256": "gost2012_256", "gost512": "gost2012_512", "gost2001": "gost2001"}

_CA_CONFIG = """\
oid_section = new_oids
[ new_oids ]
INNLE = 1.2.643.100.4
[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
[ dn ]
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}/newcerts
serial = {dir}/serial
crlnumber = {dir}/crlnumber
certificate = {dir}/ca.crt
private_key = {dir}/ca.key
default_md = default
policy = policy_any
unique_subject = no
default_days = 365
default_crl_days = 7
x509_extensions = usr_cert
preserve = yes
[ policy_any ]
commonName = supplied
surname = optional
givenName = optional
title = optional
organizationName = optional
INN = optional
SNILS = optional
OGRN = optional
INNLE = optional
countryName = optional
[ usr_cert ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa_cert ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {dir}/tsaserial
signer_cert = {dir}/tsa.crt
signer_key = {dir}/tsa.key
signer_digest = {ts_digest}
default_policy = 1.2.643.2.2.38.4
digests = {ts_digest}
ess_cert_id_alg = {ts_digest}
accuracy = secs:1
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""

_ENGINE_CONFIG = """\
openssl_conf = openssl_def
oid_section = new_oids
[ openssl_def ]
engines = engine_section
[ engine_section ]
gost = gost_section
[ gost_section ]
engine_id = gost
default_algorithms = ALL
"""

USER_SUBJECT = (
    "/CN=Иванов Иван Петрович/SN=Иванов/GN=Иван Петрович/title=Начальник отдела"
    "/O=Министерство тестирования/INN=123456789012/SNILS=11223344595"
    "/OGRN=1027700132195/INNLE=7707083893/C=RU"
)


def gost_engine_available() -> bool:
    """Whether ``openssl`` can load Debian's GOST engine."""
    if shutil.which("openssl") is None:
        return False
    result = subprocess.run(
        ["openssl", "engine", "gost", "-t"], capture_output=True, text=True, check=False
    )
    return result.returncode == 0 and "available" in result.stdout


def require_tools(algorithm: str) -> None:
    """Skip (outside CI) or fail (in CI) when OpenSSL or its GOST engine is missing."""
    problem = None
    if shutil.which("openssl") is None:
        problem = "the openssl command is not installed"
    elif algorithm in GOST_ALGORITHMS and not gost_engine_available():
        problem = "OpenSSL's GOST engine (Debian package libengine-gost-openssl) is not installed"
    if problem is not None:
        if IN_CI:
            pytest.fail(problem)
        pytest.skip(problem)
    if algorithm in GOST_ALGORITHMS and not _gostlink.available():
        pytest.skip("the GOST primitives (edmscore.signatures._gost) are not in this build")


@attrs.define
class OpensslPki:
    """A CA made with ``openssl ca`` and what the interop tests sign with it."""

    algorithm: str
    dir: Path

    @property
    def engine(self) -> list[str]:
        return ["-engine", "gost"] if self.algorithm in GOST_ALGORITHMS else []

    def run(
        self, *args: str, check: bool = True, config: str = "ca.cnf"
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "OPENSSL_CONF": str(self.dir / config)}
        result = subprocess.run(
            ["openssl", *args], cwd=self.dir, capture_output=True, text=True, env=env, check=False
        )
        if check and result.returncode != 0:
            raise AssertionError(f"openssl {' '.join(args)} failed:\n{result.stderr}")
        return result

    def path(self, name: str) -> Path:
        return self.dir / name

    def genkey(self, name: str) -> None:
        if self.algorithm == "rsa":
            opts = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        elif self.algorithm == "ecdsa":
            opts = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        else:
            opts = ["-algorithm", GOST_ALGORITHMS[self.algorithm], "-pkeyopt", "paramset:A"]
        self.run("genpkey", *self.engine, *opts, "-out", f"{name}.key")

    def issue(self, name: str, subject: str, *dates: str) -> None:
        self.genkey(name)
        self.run(
            "req",
            *self.engine,
            "-new",
            "-key",
            f"{name}.key",
            "-utf8",
            "-subj",
            subject,
            "-out",
            f"{name}.csr",
        )
        self.run(
            "ca",
            *self.engine,
            "-batch",
            "-config",
            "ca.cnf",
            "-in",
            f"{name}.csr",
            "-out",
            f"{name}.crt",
            "-notext",
            *dates,
        )

    def sign(
        self,
        content: str,
        out: str,
        *signers: str,
        attached: bool = False,
        pem: bool = False,
        cades: bool = False,
        noattr: bool = False,
        stream: bool = False,
    ) -> None:
        args = ["cms", *self.engine, "-sign", "-binary", "-in", content, "-out", out]
        if cades:
            args.append("-cades")
        if noattr:
            args.append("-noattr")
        if stream:
            args.append("-stream")  # BER, indefinite lengths, the content in chunks
        for signer in signers:
            args += ["-signer", f"{signer}.crt", "-inkey", f"{signer}.key"]
        args += ["-outform", "PEM" if pem else "DER"]
        if attached:
            args.append("-nodetach")
        self.run(*args)

    def openssl_verifies(
        self,
        signature: str,
        *,
        content: str | None,
        ca_file: str,
        crl_check: bool = False,
        pem: bool = False,
    ) -> bool:
        args = [
            "cms",
            *self.engine,
            "-verify",
            "-binary",
            "-in",
            signature,
            "-inform",
            "PEM" if pem else "DER",
            "-CAfile",
            ca_file,
            "-out",
            "/dev/null",
        ]
        if content is not None:
            args += ["-content", content]
        if crl_check:
            args.append("-crl_check")
        return self.run(*args, check=False).returncode == 0


def make_openssl_pki(algorithm: str, directory: Path) -> OpensslPki:
    """Build the CA, users (good, expired, revoked), another CA, a CRL and signatures."""
    directory.mkdir()
    (directory / "newcerts").mkdir()
    (directory / "index.txt").write_text("")
    (directory / "serial").write_text("1000\n")
    (directory / "crlnumber").write_text("01\n")
    ts_digest = (
        "md_gost94"
        if algorithm == "gost2001"
        else "md_gost12_256"
        if algorithm in GOST_ALGORITHMS
        else "sha256"
    )
    config = _CA_CONFIG.format(dir=directory, ts_digest=ts_digest)
    (directory / "ca.cnf").write_text(config)
    # `openssl ts` takes no -engine for its digests: a configuration that loads the engine.
    (directory / "ts.cnf").write_text(_ENGINE_CONFIG + config.replace("oid_section", "#", 1))
    pki = OpensslPki(algorithm, directory)
    for ca, name in (("ca", "Тестовый УЦ"), ("other", "Посторонний УЦ")):
        pki.genkey(ca)
        pki.run(
            "req",
            *pki.engine,
            "-new",
            "-x509",
            "-key",
            f"{ca}.key",
            "-utf8",
            "-subj",
            f"/CN={name}/O={name}/C=RU",
            "-days",
            "3650",
            "-extensions",
            "v3_ca",
            "-config",
            "ca.cnf",
            "-out",
            f"{ca}.crt",
        )
    pki.issue("user", USER_SUBJECT)
    pki.issue("cosigner", "/CN=Петров Пётр/SN=Петров/GN=Пётр Сергеевич/C=RU")
    pki.issue(
        "expired",
        "/CN=Сидоров/SN=Сидоров/C=RU",
        "-startdate",
        "20200101000000Z",
        "-enddate",
        "20210101000000Z",
    )
    pki.issue("revoked", "/CN=Отозванный/C=RU")
    pki.run("ca", *pki.engine, "-config", "ca.cnf", "-revoke", "revoked.crt")
    pki.run("ca", *pki.engine, "-config", "ca.cnf", "-gencrl", "-out", "crl.pem")
    (directory / "ca_crl.pem").write_text(
        (directory / "ca.crt").read_text() + (directory / "crl.pem").read_text()
    )
    (directory / "content.bin").write_bytes(
        "Приказ № 1 о проверке подписей\n".encode() + bytes(range(256)) * 64
    )
    (directory / "tampered.bin").write_bytes(
        "Приказ № 2 о проверке подписей\n".encode() + bytes(range(256)) * 64
    )
    pki.sign("content.bin", "detached.der", "user")
    pki.sign("content.bin", "detached.pem", "user", pem=True)
    pki.sign("content.bin", "attached.der", "user", attached=True)
    pki.sign("content.bin", "attached.pem", "user", attached=True, pem=True)
    pki.sign("content.bin", "cosigned.der", "user", "cosigner")
    pki.sign("content.bin", "cades.der", "user", cades=True)
    pki.sign("content.bin", "noattr.der", "user", noattr=True)
    pki.sign("content.bin", "streamed.der", "user", attached=True, stream=True)
    pki.sign("content.bin", "expired.der", "expired")
    pki.sign("content.bin", "revoked.der", "revoked")
    return pki


@pytest.fixture(scope="session")
def openssl_pki_factory() -> dict[str, OpensslPki]:
    """The cache of the OpenSSL PKI of each algorithm, built on first use."""
    return {}


@pytest.fixture(params=["rsa", "ecdsa", "gost256", "gost512", "gost2001"])
def openssl_pki(
    request: pytest.FixtureRequest,
    openssl_pki_factory: dict[str, OpensslPki],
    tmp_path_factory: pytest.TempPathFactory,
) -> OpensslPki:
    """The OpenSSL PKI of one algorithm (built once per session)."""
    algorithm: str = request.param
    require_tools(algorithm)
    if algorithm not in openssl_pki_factory:
        base = tmp_path_factory.mktemp("openssl")
        openssl_pki_factory[algorithm] = make_openssl_pki(algorithm, base / algorithm)
    return openssl_pki_factory[algorithm]


@pytest.fixture(scope="session")
def rsa_pki() -> TestPki:
    """An edmscore test PKI with RSA keys, shared by the session."""
    return TestPki.create("rsa", not_before=pendulum.datetime(2024, 1, 1))


@pytest.fixture(scope="session")
def rsa_user(rsa_pki: TestPki) -> Identity:
    """A user of :func:`rsa_pki` with the fields of a qualified certificate."""
    return rsa_pki.issue(
        SubjectFields(
            surname="Иванов",
            given_name="Иван",
            patronymic="Петрович",
            organization="Министерство тестирования",
            position="Начальник отдела",
            inn="123456789012",
            snils="11223344595",
            ogrn="1027700132195",
            inn_le="7707083893",
            ogrnip="304500116000157",
        ),
        not_before=pendulum.datetime(2025, 1, 1),
        not_after=pendulum.now("UTC").add(years=1),
    )
