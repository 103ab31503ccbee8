"""A signer that is a separate process: the ``openssl pkeyutl`` command, with OpenSSL's GOST
engine for GOST R 34.10-2012 keys (Debian's ``libengine-gost-openssl``), or the same package's
OpenSSL 3 provider (``gostprov``) in its stead.

The key stays in a file (or in whatever the engine reaches); only the hash of the signed
attributes goes to the process and only the signature value comes back.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from edmscore.errors import SignerFailed, ValidationError
from edmscore.signatures.signing._request import KeyAlgorithm, SigningRequest

__all__ = ["OpenSslSigner"]

_GOST = frozenset({KeyAlgorithm.GOST2012_256, KeyAlgorithm.GOST2012_512})


class OpenSslSigner:
    """Signs by running ``openssl pkeyutl -sign`` on the hash of the signed attributes.

    ``key`` is the private key file (PEM) or, with ``key_form="ENGINE"``, a key id the engine
    understands. GOST keys load the ``engine`` (``gost`` by default) or, with ``provider`` (such
    as ``"gostprov"``, the provider form of the same GOST implementation in OpenSSL 3), that
    provider next to OpenSSL's default one instead of an engine; RSA and ECDSA keys run without
    either. ``openssl`` is the command to run; ``timeout`` bounds each call in seconds.
    """

    def __init__(
        self,
        key: str | os.PathLike[str],
        *,
        openssl: str = "openssl",
        engine: str = "gost",
        key_form: str = "PEM",
        timeout: float = 30.0,
        provider: str | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValidationError("timeout", "must be positive")
        if provider is not None and (not provider or provider.startswith("-")):
            raise ValidationError("provider", "a provider's name")
        self.key = os.fspath(key)
        self.openssl = openssl
        self.engine = engine
        self.key_form = key_form
        self.timeout = timeout
        self.provider = provider

    def command(self, algorithm: KeyAlgorithm) -> Sequence[str]:
        """The command line run for a key of ``algorithm``."""
        args = [self.openssl, "pkeyutl", "-sign", "-keyform", self.key_form, "-inkey", self.key]
        if algorithm in _GOST and self.provider is not None:
            args += ["-provider", self.provider, "-provider", "default"]
        elif algorithm in _GOST:
            args += ["-engine", self.engine]
        elif algorithm is KeyAlgorithm.RSA:
            args += ["-pkeyopt", "digest:sha256"]
        return args

    def sign(self, request: SigningRequest) -> bytes:
        """The value the process returns for the request's hash."""
        try:
            done = subprocess.run(
                self.command(request.algorithm),
                input=request.to_be_signed_digest,
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except FileNotFoundError:
            raise SignerFailed(f"the command {self.openssl!r} is not installed") from None
        except subprocess.TimeoutExpired:
            raise SignerFailed(f"openssl did not answer in {self.timeout:g} s") from None
        if done.returncode != 0 or not done.stdout:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            last = lines[-1][:300] if lines else "no output"
            raise SignerFailed(f"openssl pkeyutl failed ({done.returncode}): {last}")
        return bytes(done.stdout)
