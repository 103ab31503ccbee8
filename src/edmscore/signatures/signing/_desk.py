"""The signing desk: pending requests kept until their value arrives, answers checked once.

A :class:`SigningDesk` prepares requests, keeps them in a :class:`PendingRequests` store and
turns an answer into an assembled, verified CMS. An answer is taken once: a duplicate (the
request already answered or cancelled) is :class:`~edmscore.errors.SigningRequestUnknown`, a
late one :class:`~edmscore.errors.SigningRequestExpired` (and the request is dropped), a
tampered one :class:`~edmscore.errors.SignatureValueInvalid` (the request stays, so the genuine
answer may still come). :class:`InProcessSigningService` is the reference
:class:`RemoteSigningService`: a queue answered by a :class:`Signer` when told to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

import pendulum

from edmscore.errors import SignatureValueInvalid, SigningRequestExpired, SigningRequestUnknown
from edmscore.signatures._anchors import TrustAnchors
from edmscore.signatures._certificate import Certificate, Crl
from edmscore.signatures.signing._assemble import AssembledSignature, assemble
from edmscore.signatures.signing._ports import (
    RemoteAnswer,
    RemoteSigningService,
    Signer,
    TimestampAuthority,
)
from edmscore.signatures.signing._prepare import prepare
from edmscore.signatures.signing._request import SigningRequest

__all__ = ["InProcessSigningService", "MemoryPendingRequests", "PendingRequests", "SigningDesk"]


class PendingRequests(Protocol):
    """Where requests wait for their value (approval keeps its request in the draft itself)."""

    def put(self, request: SigningRequest) -> None:
        """Keep ``request`` until it is answered, cancelled or expired."""
        ...

    def get(self, request_id: str) -> SigningRequest:
        """The waiting request; :class:`~edmscore.errors.SigningRequestUnknown` if none."""
        ...

    def remove(self, request_id: str) -> None:
        """Forget the request (nothing happens if it is not there)."""
        ...

    def expired(self, at: pendulum.DateTime) -> list[str]:
        """The ids of the requests expired at ``at``."""
        ...


class MemoryPendingRequests:
    """Pending requests in a dictionary (one process)."""

    def __init__(self) -> None:
        self._requests: dict[str, SigningRequest] = {}

    def put(self, request: SigningRequest) -> None:
        """Keep ``request``."""
        self._requests[request.id] = request

    def get(self, request_id: str) -> SigningRequest:
        """The waiting request, or SigningRequestUnknown."""
        found = self._requests.get(request_id)
        if found is None:
            raise SigningRequestUnknown(f"no pending signing request {request_id!r}")
        return found

    def remove(self, request_id: str) -> None:
        """Forget the request."""
        self._requests.pop(request_id, None)

    def expired(self, at: pendulum.DateTime) -> list[str]:
        """The ids of expired requests."""
        return sorted(r.id for r in self._requests.values() if r.expired(at))


class SigningDesk:
    """Prepare → sign elsewhere → deliver: requests kept in ``pending``, answers verified.

    ``trust_anchors``, ``crls`` and ``chain`` go to every assembly's verification;
    ``timestamper`` upgrades every signature to CAdES-T; ``now`` is the clock.
    """

    def __init__(
        self,
        pending: PendingRequests | None = None,
        *,
        trust_anchors: TrustAnchors | Iterable[bytes | Certificate] = (),
        crls: Iterable[bytes | Crl] = (),
        chain: Iterable[bytes | Certificate] = (),
        timestamper: TimestampAuthority | None = None,
        now: Callable[[], pendulum.DateTime] | None = None,
    ) -> None:
        self.pending: PendingRequests = pending if pending is not None else MemoryPendingRequests()
        self.trust_anchors = (
            trust_anchors if isinstance(trust_anchors, TrustAnchors) else tuple(trust_anchors)
        )
        self.crls = tuple(crls)
        self.chain = tuple(chain)
        self.timestamper = timestamper
        self._now = now or (lambda: pendulum.now("UTC"))

    def prepare(
        self,
        content: bytes,
        certificate: bytes | Certificate,
        *,
        detached: bool = True,
        valid_for: pendulum.Duration | None = None,
    ) -> SigningRequest:
        """Prepare a signature (see :func:`prepare`) and keep the request waiting."""
        request = prepare(
            content, certificate, detached=detached, at=self._now(), valid_for=valid_for
        )
        self.pending.put(request)
        return request

    def deliver(
        self,
        request_id: str,
        value: bytes,
        content: bytes | None,
        *,
        certificate: bytes | Certificate | None = None,
    ) -> AssembledSignature:
        """Assemble the answer to a waiting request; the request is then answered and gone."""
        request = self.pending.get(request_id)
        moment = self._now()
        if request.expired(moment):
            self.pending.remove(request_id)
            raise SigningRequestExpired(f"the signing request {request_id} has expired")
        assembled = assemble(
            request,
            value,
            content,
            at=moment,
            certificate=certificate,
            chain=self.chain,
            trust_anchors=self.trust_anchors,
            crls=self.crls,
            timestamper=self.timestamper,
        )
        self.pending.remove(request_id)
        return assembled

    def sign_with(self, signer: Signer, request_id: str, content: bytes) -> AssembledSignature:
        """Ask a :class:`Signer` that answers at once, and deliver its value."""
        return self.deliver(request_id, signer.sign(self.pending.get(request_id)), content)

    def poll(
        self, service: RemoteSigningService, request_id: str, content: bytes | None
    ) -> AssembledSignature | None:
        """Ask ``service`` for the answer: ``None`` while there is none; a refusal by the signer
        drops the request and raises :class:`~edmscore.errors.SignatureValueInvalid`."""
        self.pending.get(request_id)
        answer = service.poll(request_id)
        if answer is None:
            return None
        if answer.declined or answer.value is None:
            self.pending.remove(request_id)
            raise SignatureValueInvalid(
                f"the signer declined request {request_id}: {answer.detail or 'no reason given'}"
            )
        return self.deliver(request_id, answer.value, content, certificate=answer.certificate)

    def cancel(self, request_id: str, service: RemoteSigningService | None = None) -> None:
        """Withdraw a waiting request (and tell ``service``); a later answer is refused."""
        self.pending.get(request_id)
        if service is not None:
            service.cancel(request_id)
        self.pending.remove(request_id)

    def drop_expired(self) -> list[str]:
        """Forget the requests expired by now; their ids."""
        ids = self.pending.expired(self._now())
        for request_id in ids:
            self.pending.remove(request_id)
        return ids


class InProcessSigningService:
    """The reference remote service: submitted requests wait until :meth:`answer` signs them.

    ``signer`` makes the values; ``callback`` (optional) is called with each answer, as a
    service calling the host back would. For tests and for the example of the shape.
    """

    def __init__(
        self, signer: Signer, *, callback: Callable[[RemoteAnswer], None] | None = None
    ) -> None:
        self.signer = signer
        self.callback = callback
        self._waiting: dict[str, SigningRequest] = {}
        self._answers: dict[str, RemoteAnswer] = {}

    def submit(self, request: SigningRequest) -> None:
        """Queue a request (its JSON form travels, as over a real transport)."""
        self._waiting[request.id] = SigningRequest.from_json(request.to_json())

    def poll(self, request_id: str) -> RemoteAnswer | None:
        """The answer once given, else ``None``."""
        return self._answers.get(request_id)

    def cancel(self, request_id: str) -> None:
        """Drop a queued request."""
        self._waiting.pop(request_id, None)

    def answer(self, request_id: str, *, decline: bool = False) -> RemoteAnswer:
        """Sign (or decline) a queued request, as the person on the phone would."""
        request = self._waiting.pop(request_id)
        if decline:
            answer = RemoteAnswer(request_id, declined=True, detail="declined by the signer")
        else:
            value = self.signer.sign(request)
            answer = RemoteAnswer(request_id, value=value, certificate=request.certificate)
        self._answers[request_id] = answer
        if self.callback is not None:
            self.callback(answer)
        return answer
