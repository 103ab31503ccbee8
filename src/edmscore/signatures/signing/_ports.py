"""The ports of signing: a signer that answers at once, a remote service that answers later, and
a time-stamp authority.

The library never holds the transport: a host's adapter for a mobile signature app or a cloud
signing service sends the request (:meth:`RemoteSigningService.submit`), learns the answer by
polling (:meth:`RemoteSigningService.poll`) or by the service calling the host back (the host
then calls :meth:`~edmscore.signatures.signing.SigningDesk.deliver`), and may cancel.
"""

from __future__ import annotations

from typing import Protocol

import attrs

from edmscore._validate import non_empty_text, text
from edmscore.signatures.signing._request import SigningRequest

__all__ = ["RemoteAnswer", "RemoteSigningService", "Signer", "TimestampAuthority"]


class Signer(Protocol):
    """Signs a prepared request at once and returns the signature value.

    The value covers :attr:`SigningRequest.to_be_signed` (a signer that hashes itself) or is made
    over :attr:`SigningRequest.to_be_signed_digest` (a signer that takes a hash): the same value
    either way. GOST values are the 64/128 bytes CMS carries; ECDSA values DER or bare r || s.
    """

    def sign(self, request: SigningRequest) -> bytes:
        """The signature value for ``request``; :class:`~edmscore.errors.SignerFailed` if not."""
        ...


@attrs.frozen
class RemoteAnswer:
    """A remote service's answer: the value (and the certificate it used), or a refusal."""

    request_id: str = attrs.field(validator=non_empty_text(64))
    value: bytes | None = attrs.field(default=None, repr=False)
    certificate: bytes | None = attrs.field(default=None, repr=False)
    declined: bool = False
    detail: str = attrs.field(default="", validator=text(2000))


class RemoteSigningService(Protocol):
    """A signer that answers asynchronously (a mobile app, a cloud signing service).

    The host implements it over its transport; the library calls it and never opens a
    connection. A service that calls back needs no :meth:`poll` answers: the host passes the
    callback's value to :meth:`~edmscore.signatures.signing.SigningDesk.deliver`.
    """

    def submit(self, request: SigningRequest) -> None:
        """Send ``request`` to the signer (its :meth:`~SigningRequest.to_json` form)."""
        ...

    def poll(self, request_id: str) -> RemoteAnswer | None:
        """The answer to a submitted request, or ``None`` while the signer has not answered."""
        ...

    def cancel(self, request_id: str) -> None:
        """Withdraw a submitted request (an answer that still comes is refused)."""
        ...


class TimestampAuthority(Protocol):
    """An RFC 3161 time-stamp authority: a token over a digest (the host does the transport)."""

    def timestamp(self, digest: bytes, hash_algorithm: str) -> bytes:
        """A DER TimeStampToken (or TimeStampResp) whose message imprint is ``digest``."""
        ...
