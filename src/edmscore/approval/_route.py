"""What a route asks for before it is resolved: stage and participant specs, templates, deputies.

A :class:`StageSpec` names its participants as people (an official's id) or positions (resolved
through the directory when the cycle starts), says whether they act one after another or all at
once, how many agreements a parallel stage needs (k of n), and the term in working days. A
:class:`RouteTemplate` is the usual route for a document kind. A :class:`Substitution` says who
acts for an absent official (замещение) over a period; resolution follows it and records it.
"""

from __future__ import annotations

from typing import Any

import attrs

from edmscore._validate import (
    instance_of,
    non_empty_text,
    optional_text,
    positive_int,
    to_tuple,
    tuple_of,
)
from edmscore._validate import (
    optional as maybe,
)
from edmscore.approval._enums import StageMode
from edmscore.approval._model import DEFAULT_SIGNING_TERM_DAYS
from edmscore.directory._substitution import MAX_CHAIN, Substitution, acting_official
from edmscore.errors import RouteError

__all__ = [
    "MAX_CHAIN",
    "MAX_SIGNATORIES",
    "ParticipantSpec",
    "RouteTemplate",
    "SignatorySpec",
    "StageSpec",
    "Substitution",
    "acting_official",
]

#: The most participants one stage may have, and the most stages a route may have.
MAX_PARTICIPANTS = 100
MAX_STAGES = 50
#: The most signatories one document may have (the draft's signatory and the ones a route adds).
MAX_SIGNATORIES = 20
#: The longest term a stage or participant may be given, in working days.
MAX_TERM_DAYS = 250


def _term(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    positive_int(owner, attribute, value)
    assert isinstance(value, int)
    if value > MAX_TERM_DAYS:
        raise RouteError(attribute.name, f"a term of at most {MAX_TERM_DAYS} working days")


@attrs.frozen
class ParticipantSpec:
    """A participant of a stage: an official by id, or a position (with an optional department).

    ``optional`` participants (для сведения) only acknowledge; they never hold up or end a
    stage. ``term_days`` overrides the stage's term for this participant.
    """

    official_id: str | None = attrs.field(default=None, validator=optional_text(64))
    position: str | None = attrs.field(default=None, validator=optional_text(500))
    department_id: str | None = attrs.field(default=None, validator=optional_text(64))
    optional: bool = attrs.field(default=False, validator=instance_of(bool))
    term_days: int | None = attrs.field(default=None, validator=maybe(_term))

    def __attrs_post_init__(self) -> None:
        if (self.official_id is None) == (self.position is None):
            raise RouteError("participant", "name either an official or a position, not both")
        if self.department_id is not None and self.position is None:
            raise RouteError("participant.department_id", "a department narrows a position only")

    def describe(self) -> str:
        """How the spec reads in an error message."""
        return self.official_id or f"«{self.position}»"


@attrs.frozen
class StageSpec:
    """A stage of a route: participants, mode, quorum (parallel only) and term in working days.

    ``quorum`` is the k of a k-of-n parallel stage (n counts required participants); None means
    all of them. A sequential stage needs every required participant, in order.
    """

    name: str = attrs.field(validator=non_empty_text(200))
    participants: tuple[ParticipantSpec, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(ParticipantSpec)
    )
    mode: StageMode = attrs.field(default=StageMode.SEQUENTIAL, validator=instance_of(StageMode))
    quorum: int | None = attrs.field(default=None, validator=maybe(positive_int))
    term_days: int = attrs.field(default=3, validator=_term)

    def __attrs_post_init__(self) -> None:
        required = self.required_count
        if len(self.participants) > MAX_PARTICIPANTS:
            raise RouteError("participants", f"at most {MAX_PARTICIPANTS} in one stage")
        if required == 0:
            raise RouteError("participants", f"stage «{self.name}» has no required participant")
        if self.quorum is not None:
            if self.mode is not StageMode.PARALLEL:
                raise RouteError("quorum", "a quorum is for parallel stages only")
            if self.quorum > required:
                raise RouteError(
                    "quorum", f"{self.quorum} of {required} required participants cannot be met"
                )

    @property
    def required_count(self) -> int:
        """The number of required (not optional) participants: the n of k of n."""
        return sum(1 for p in self.participants if not p.optional)


@attrs.frozen
class SignatorySpec:
    """One more signatory a route names besides the draft's own signatory.

    Without ``countersigns`` a co-signer of a joint document (совместный документ): one more
    signer of the same content. With ``countersigns`` (an official id: the draft's signatory or
    another co-signer) a countersigner (заверительная подпись): they sign the signature of that
    official, once it is in — the chief accountant after the head, for instance.
    """

    official_id: str = attrs.field(validator=non_empty_text(64))
    countersigns: str | None = attrs.field(default=None, validator=optional_text(64))

    def __attrs_post_init__(self) -> None:
        if self.countersigns == self.official_id:
            raise RouteError("countersigns", "a signatory does not countersign themselves")


def check_signatories(signatory_id: str, specs: tuple[SignatorySpec, ...]) -> None:
    """Refuse a list of signatories that cannot be signed: repeated officials, more than
    :data:`MAX_SIGNATORIES`, a countersigner placed before the signature they countersign or
    countersigning a countersignature."""
    seats = [signatory_id, *(s.official_id for s in specs)]
    if len(seats) > MAX_SIGNATORIES:
        raise RouteError("co_signatories", f"at most {MAX_SIGNATORIES} signatories")
    if len(set(seats)) != len(seats):
        raise RouteError("co_signatories", "an official signs a document once")
    countersigners = {s.official_id for s in specs if s.countersigns is not None}
    for index, spec in enumerate(specs, start=1):
        if spec.countersigns is None:
            continue
        if spec.countersigns not in seats[:index]:
            raise RouteError(
                "co_signatories",
                f"{spec.official_id} countersigns {spec.countersigns}, who does not sign before",
            )
        if spec.countersigns in countersigners:
            raise RouteError("co_signatories", "a countersignature is on a signature")


def _stages(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    tuple_of(StageSpec)(owner, attribute, value)
    assert isinstance(value, tuple)
    if not value:
        raise RouteError("stages", "a route needs at least one stage")
    if len(value) > MAX_STAGES:
        raise RouteError("stages", f"at most {MAX_STAGES} stages")


@attrs.frozen
class RouteTemplate:
    """The usual route (типовой маршрут) of a document kind in an organisation.

    ``signing_term_days`` is the signatory's term in working days, counted from the day the
    last stage completed. ``co_signatories`` sign with the draft's signatory (a joint document,
    a countersignature) in ``signing_order``: parallel, or one after another in the listed
    order after the draft's signatory.
    """

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    document_kind: str = attrs.field(validator=non_empty_text(200))
    name: str = attrs.field(validator=non_empty_text(500))
    stages: tuple[StageSpec, ...] = attrs.field(converter=to_tuple, validator=_stages)
    signing_term_days: int = attrs.field(default=DEFAULT_SIGNING_TERM_DAYS, validator=_term)
    co_signatories: tuple[SignatorySpec, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(SignatorySpec)
    )
    signing_order: StageMode = attrs.field(
        default=StageMode.PARALLEL, validator=instance_of(StageMode)
    )
