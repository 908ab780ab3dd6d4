"""The learner's identifiers and holder key: made on first use, one owner per identifier,
the account's own ones kept, the key sealed at rest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from credstack.adapters.db.tables.wallet import HolderKeyRow
from credstack.core.descriptors.models import IdentifierType
from credstack.errors import ConflictError, InputError
from credstack.services.wallet import holders
from credstack.words import error_words
from tests.services.wallet.wallets import HANAKO_EMAIL, TARO_EMAIL, Wallets, wallet_runtime


@pytest.fixture
def wallets(tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path) as found:
        yield found


def test_the_wallet_starts_with_the_sign_in_address_and_a_holder_did(wallets: Wallets) -> None:
    holder, identifiers = holders.holder(wallets.runtime, actor=wallets.hanako)
    assert holder.did.startswith("did:key:z6Mk")
    assert holder.verification_method.startswith(holder.did + "#")
    assert [(item.kind, item.value, item.verified, item.removable) for item in identifiers] == [
        (IdentifierType.EMAIL, HANAKO_EMAIL, True, False),
        (IdentifierType.DID, holder.did, True, False)]
    again, _ = holders.holder(wallets.runtime, actor=wallets.hanako)
    assert again == holder


def test_the_holder_key_is_sealed_at_rest(wallets: Wallets) -> None:
    holders.holder(wallets.runtime, actor=wallets.hanako)
    with wallets.runtime.transaction() as session:
        row = session.scalar(select(HolderKeyRow))
        assert row is not None
        key_pair, _ = holders.holder_key(session, wallets.runtime.key(), user_id=row.user_id,
                                         now=wallets.runtime.now())
        secret = key_pair.secret_bytes()
        assert secret not in row.encrypted_secret and len(row.nonce) == 12


def test_added_identifiers_are_unverified_and_belong_to_one_learner(wallets: Wallets) -> None:
    added = holders.add_identifier(wallets.runtime, actor=wallets.hanako, kind="student-id",
                                   value=" S1234 ")
    assert (added[-1].value, added[-1].verified, added[-1].removable) == ("S1234", False, True)
    with pytest.raises(ConflictError) as refused:
        holders.add_identifier(wallets.runtime, actor=wallets.taro, kind="student-id",
                               value="S1234")
    assert "another account" in error_words(refused.value, "en")
    with pytest.raises(ConflictError) as refused:
        holders.add_identifier(wallets.runtime, actor=wallets.hanako, kind="student-id",
                               value="S1234")
    assert "already one of your" in error_words(refused.value, "en")


def test_another_accounts_sign_in_address_is_theirs_before_they_open_their_wallet(
        wallets: Wallets) -> None:
    """Taro has not opened his wallet yet: Hanako cannot claim his address, and it is his
    when he does."""
    with pytest.raises(ConflictError) as refused:
        holders.add_identifier(wallets.runtime, actor=wallets.hanako, kind="email",
                               value=TARO_EMAIL.upper())
    assert "another account" in error_words(refused.value, "en")
    _, identifiers = holders.holder(wallets.runtime, actor=wallets.taro)
    assert (identifiers[0].value, identifiers[0].verified) == (TARO_EMAIL, True)


@pytest.mark.parametrize(("kind", "value"), [("email", "not-an-address"), ("did", "key:z6"),
                                             ("url", "ftp://x"), ("phone", "123"),
                                             ("email", "")])
def test_an_identifier_that_is_not_one_is_refused(wallets: Wallets, kind: str, value: str
                                                  ) -> None:
    with pytest.raises(InputError):
        holders.add_identifier(wallets.runtime, actor=wallets.hanako, kind=kind, value=value)


def test_the_accounts_own_identifiers_stay(wallets: Wallets) -> None:
    holder, _ = holders.holder(wallets.runtime, actor=wallets.hanako)
    for kind, value in (("email", HANAKO_EMAIL), ("did", holder.did)):
        with pytest.raises(ConflictError) as refused:
            holders.remove_identifier(wallets.runtime, actor=wallets.hanako, kind=kind,
                                      value=value)
        assert "stays" in error_words(refused.value, "en")
