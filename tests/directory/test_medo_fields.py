"""An organisation's MEDO participant id and mailbox address, kept by every storage adapter."""

from __future__ import annotations

import pytest

from edmscore.directory import Organisation
from edmscore.errors import ValidationError
from tests._adapters import StorageFactory


def test_medo_id_and_mailbox_address_are_kept(new_storage: StorageFactory) -> None:
    storage = new_storage()
    ministry = Organisation(
        "rtn",
        "Ростехнадзор",
        medo_id="c20565d9-db37-42f7-8982-fc01d5f2381f",
        medo_address="S_FSECO_S~MEDOGU",
    )
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(ministry)
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.directory.organisation("rtn") == ministry
        found = uow.directory.organisation_by_medo_id("C20565D9-DB37-42F7-8982-FC01D5F2381F")
        assert found is not None and found.medo_address == "S_FSECO_S~MEDOGU"


@pytest.mark.parametrize("address", ["", "two words", "A=B", "[АДРЕСАТЫ]", "a\nb", "x" * 65])
def test_a_mailbox_address_an_envelope_cannot_carry_is_refused(address: str) -> None:
    with pytest.raises(ValidationError):
        Organisation("o", "Орган", medo_address=address)
