"""A small ministry for the approval tests: officials with users, journals, a signer, a service."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.approval import (
    ApprovalService,
    CertificateKeyVerifier,
    Draft,
    DraftFile,
    DraftRequest,
    ParticipantSpec,
    StageMode,
    StageSpec,
)
from edmscore.calendar import russian_calendar
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Official, Organisation, PersonName, User
from edmscore.records import AdminService, RecordsService
from edmscore.registry import AccessMark, CardDetails, CardKind, Correspondent, Journal
from edmscore.testing import RawSigner
from tests._adapters import AnyStorage

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk")
PEOPLE = (
    ("author", "Орлова Мария Петровна", "Консультант"),
    ("lawyer", "Ким Елена Сергеевна", "Начальник правового отдела"),
    ("finance", "Белов Игорь Андреевич", "Начальник финансового отдела"),
    ("dep1", "Зуев Павел Олегович", "Заместитель министра по связи"),
    ("dep2", "Лаптева Ольга Ивановна", "Заместитель министра по информатизации"),
    ("dep3", "Носов Артём Юрьевич", "Заместитель министра по кадрам"),
    ("minister", "Соколов Андрей Викторович", "Министр"),
    ("first_deputy", "Громов Илья Павлович", "Первый заместитель министра"),
    ("press", "Лисина Дарья Олеговна", "Пресс-секретарь"),
)
LETTER = b"%PDF-1.7 letter v1"


@attrs.define
class Ministry:
    """Everything a test needs."""

    storage: AnyStorage
    clock: FixedClock
    organisation: Organisation
    officials: dict[str, Official]
    users: dict[str, User]
    admin: User
    drafts_journal: Journal
    outgoing: Journal
    internal: Journal
    signer: RawSigner
    service: ApprovalService
    records: RecordsService

    def create(
        self,
        *,
        access: AccessMark = AccessMark.OPEN,
        files: tuple[DraftFile, ...] = (DraftFile("letter.pdf", LETTER, "application/pdf"),),
        author: str = "author",
    ) -> Draft:
        """A new outgoing-letter draft by ``author`` signed by the minister."""
        details = CardDetails(
            kind=CardKind.DRAFT,
            document_kind="Письмо",
            summary="О развитии сетей связи",
            addressees=(Correspondent("Минцифры России"),),
            access=access,
        )
        return self.service.create_draft(
            self.users[author],
            DraftRequest(
                self.drafts_journal.id,
                details,
                CardKind.OUTGOING,
                self.officials["minister"].id,
                files,
            ),
        )

    def spec(
        self,
        *keys: str,
        mode: StageMode = StageMode.PARALLEL,
        quorum: int | None = None,
        name: str = "Этап",
        term_days: int = 3,
    ) -> StageSpec:
        """A stage of the named people."""
        return StageSpec(
            name,
            tuple(ParticipantSpec(self.officials[k].id) for k in keys),
            mode,
            quorum,
            term_days,
        )


def build_ministry(
    storage: AnyStorage, *, dsp_electronic: bool = False, cleared: frozenset[str] = frozenset()
) -> Ministry:
    """Build and store the ministry in ``storage``; ``cleared`` officials (and their users) have
    ДСП clearance."""
    clock = FixedClock(T0)
    organisation = Organisation(
        new_id(),
        "Министерство цифрового развития Амурской области",
        short_name="Минцифры",
        timezone="Asia/Yakutsk",
        dsp_electronic=dsp_electronic,
    )
    officials = {
        key: Official(
            new_id(),
            organisation.id,
            PersonName.parse(name),
            position,
            clearance=Clearance.DSP if key in cleared else Clearance.NONE,
        )
        for key, name, position in PEOPLE
    }
    users = {
        key: User(
            new_id(),
            key,
            organisation.id,
            o.id,
            Clearance.DSP if key in cleared else Clearance.NONE,
        )
        for key, o in officials.items()
    }
    admin = User(new_id(), "admin", organisation.id, None, Clearance.DSP)
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(organisation)
        uow.directory.put_user(admin)
        uow.commit()
    setup = AdminService(storage, clock)
    for official in officials.values():
        setup.put_official(admin, official)
    for user in users.values():
        setup.put_user(admin, user)
    drafts = Journal(new_id(), organisation.id, "ПР", "Проекты", "П-{seq}", {CardKind.DRAFT})
    outgoing = Journal(
        new_id(), organisation.id, "ИСХ", "Исходящие", "{seq}-исх", {CardKind.OUTGOING}
    )
    internal = Journal(
        new_id(), organisation.id, "ВН", "Внутренние", "{seq}-вн", {CardKind.INTERNAL}
    )
    for journal in (drafts, outgoing, internal):
        setup.create_journal(admin, journal)
    signer = RawSigner("Соколов Андрей Викторович")
    service = ApprovalService(
        storage, russian_calendar(), CertificateKeyVerifier([signer.certificate]), clock
    )
    return Ministry(
        storage,
        clock,
        organisation,
        officials,
        users,
        admin,
        drafts,
        outgoing,
        internal,
        signer,
        service,
        RecordsService(storage, clock),
    )


@pytest.fixture
def ministry(storage: AnyStorage) -> Ministry:
    """A fresh ministry, on each adapter."""
    return build_ministry(storage)
