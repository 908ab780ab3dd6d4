"""Share links: made by the owner for one credential or collection, opened by anyone with the
secret, each credential checked live; an access code, expiry and revocation hold; guessing is
counted and stopped; foreign status lists are cached no longer than their ttl."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from credstack.core.status.changes import StatusChange
from credstack.core.verification.verdict import Outcome
from credstack.errors import (
    AccessCodeError,
    GoneError,
    InputError,
    NotFoundError,
    RateLimitedError,
)
from credstack.services.audit import service as audit
from credstack.services.issuance.status import change_status
from credstack.services.wallet import collections as wallet_collections
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import sharing
from credstack.services.wallet import sources as wallet_sources
from credstack.words import error_words
from tests.services.issuance.test_credentials import ISSUER
from tests.services.wallet.wallets import HANAKO_EMAIL, Wallets, issue_to, wallet_runtime


@pytest.fixture
def wallets(tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path) as found:
        yield found


def _kept(wallets: Wallets) -> tuple[str, str]:
    """Hanako's issued credential, in her wallet: (wallet id, credential id)."""
    [document] = issue_to(wallets, HANAKO_EMAIL)
    item = wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                    data=document.encode()).item
    return item.public_id, json.loads(document)["id"]


def test_a_link_shows_the_credential_checked_now_and_counts_views(wallets: Wallets) -> None:
    public_id, credential_id = _kept(wallets)
    made = sharing.create_share(wallets.runtime, actor=wallets.hanako, credential=public_id,
                                label="For Kita Trading")
    assert made.path == f"/s/{made.token}" and len(made.token) >= 43
    assert made.view.public_id not in made.token
    opened = sharing.open_share(wallets.runtime, token=made.token)
    [(item, report)] = opened.items
    assert item.public_id == public_id and report.ok and opened.holder_name == "Hanako"
    change_status(wallets.runtime, actor=ISSUER, credential_id=credential_id,
                  changes=[StatusChange.REVOKE])
    [(item, report)] = sharing.open_share(wallets.runtime, token=made.token).items
    assert item.outcome is Outcome.NOT_VERIFIED and item.failed_check == "status"
    [view] = sharing.list_shares(wallets.runtime, actor=wallets.hanako)
    assert view.views == 2 and view.label == "For Kita Trading"


def test_a_collection_link_shows_its_credentials_in_order(wallets: Wallets) -> None:
    public_id, _ = _kept(wallets)
    group = wallet_collections.create(wallets.runtime, actor=wallets.hanako, name="Jobs",
                                      description="What I bring", credentials=[public_id])
    made = sharing.create_share(wallets.runtime, actor=wallets.hanako,
                                collection=group.public_id)
    opened = sharing.open_share(wallets.runtime, token=made.token)
    assert (opened.kind, opened.title, opened.description) == ("collection", "Jobs",
                                                               "What I bring")
    assert [item.public_id for item, _ in opened.items] == [public_id]


def test_a_collection_link_checks_each_credential_and_keeps_each_outcome(wallets: Wallets
                                                                        ) -> None:
    documents = [json.loads(document) for batch in ("2024", "2025", "2026")
                 for document in issue_to(wallets, HANAKO_EMAIL, batch=batch)]
    kept = [wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                     data=json.dumps(document).encode()).item.public_id
            for document in documents]
    group = wallet_collections.create(wallets.runtime, actor=wallets.hanako, name="Jobs",
                                      credentials=kept)
    made = sharing.create_share(wallets.runtime, actor=wallets.hanako,
                                collection=group.public_id)
    change_status(wallets.runtime, actor=ISSUER, credential_id=documents[1]["id"],
                  changes=[StatusChange.REVOKE])
    opened = sharing.open_share(wallets.runtime, token=made.token)
    assert [item.public_id for item, _ in opened.items] == kept
    assert [report.ok for _, report in opened.items] == [True, False, True]
    assert [(item.outcome, item.failed_reason) for item, _ in opened.items] == [
        (Outcome.VERIFIED, None), (Outcome.NOT_VERIFIED, "revoked"), (Outcome.VERIFIED, None)]
    # What the link found is each credential's latest check in its owner's record too.
    record = {item.public_id: item for item in
              wallet.record(wallets.runtime, actor=wallets.hanako).items}
    assert record[kept[1]].failed_reason == "revoked"
    assert record[kept[1]].checked_at == opened.items[1][0].checked_at
    assert record[kept[0]].outcome is Outcome.VERIFIED


def test_a_recheck_of_a_credential_not_held_is_not_found(wallets: Wallets) -> None:
    public_id, _ = _kept(wallets)
    with pytest.raises(NotFoundError) as refused:
        wallet.recheck_all(wallets.runtime, user_id=wallets.hanako.principal.user_id or 0,
                           public_ids=[public_id, "nope"])
    assert "no credential 'nope'" in error_words(refused.value, "en")


def test_revoked_and_expired_links_are_gone_and_unknown_ones_not_found(wallets: Wallets
                                                                       ) -> None:
    public_id, _ = _kept(wallets)
    revoked = sharing.create_share(wallets.runtime, actor=wallets.hanako,
                                   credential=public_id)
    sharing.revoke_share(wallets.runtime, actor=wallets.hanako,
                         public_id=revoked.view.public_id)
    with pytest.raises(GoneError):
        sharing.open_share(wallets.runtime, token=revoked.token)
    brief = sharing.create_share(wallets.runtime, actor=wallets.hanako, credential=public_id,
                                 expires_in_days=1)
    assert sharing.open_share(wallets.runtime, token=brief.token).items
    later = dataclasses.replace(wallets.runtime,
                                clock=lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    with pytest.raises(GoneError):
        sharing.open_share(later, token=brief.token)
    with pytest.raises(NotFoundError):
        sharing.open_share(wallets.runtime, token="x" * 43)


def test_an_access_code_is_asked_for_and_guessing_it_is_stopped(wallets: Wallets) -> None:
    public_id, _ = _kept(wallets)
    made = sharing.create_share(wallets.runtime, actor=wallets.hanako, credential=public_id,
                                access_code="tanuki-7")
    with pytest.raises(AccessCodeError) as none:
        sharing.open_share(wallets.runtime, token=made.token, ip="192.0.2.1")
    assert not none.value.given
    assert sharing.open_share(wallets.runtime, token=made.token, access_code="tanuki-7",
                              ip="192.0.2.1").items
    for _ in range(5):
        with pytest.raises(AccessCodeError):
            sharing.open_share(wallets.runtime, token=made.token, access_code="wrong",
                               ip="192.0.2.9")
    with pytest.raises(RateLimitedError):
        sharing.open_share(wallets.runtime, token=made.token, access_code="tanuki-7",
                           ip="192.0.2.1")
    with wallets.runtime.sessions() as session:
        refused = [entry for entry in audit.entries(session, limit=100)
                   if entry.action == "wallet.share.refused"]
    assert len(refused) == 5


def test_guessing_secrets_from_one_address_is_stopped(wallets: Wallets) -> None:
    for guess in range(20):
        with pytest.raises(NotFoundError):
            sharing.open_share(wallets.runtime, token=f"{guess:043d}", ip="198.51.100.7")
    with pytest.raises(RateLimitedError):
        sharing.open_share(wallets.runtime, token="0" * 43, ip="198.51.100.7")


def test_only_the_owner_lists_and_revokes_and_links_are_checked(wallets: Wallets) -> None:
    public_id, _ = _kept(wallets)
    made = sharing.create_share(wallets.runtime, actor=wallets.hanako, credential=public_id)
    assert sharing.list_shares(wallets.runtime, actor=wallets.taro) == []
    with pytest.raises(NotFoundError):
        sharing.revoke_share(wallets.runtime, actor=wallets.taro,
                             public_id=made.view.public_id)
    with pytest.raises(NotFoundError):
        sharing.create_share(wallets.runtime, actor=wallets.taro, credential=public_id)
    for bad in ({}, {"credential": public_id, "expires_in_days": 0},
                {"credential": public_id, "access_code": "abc"}):
        with pytest.raises(InputError):
            sharing.create_share(wallets.runtime, actor=wallets.hanako, **bad)


def test_a_foreign_status_list_is_kept_no_longer_than_its_ttl() -> None:
    fetched: list[str] = []

    def fetch(url: str) -> dict[str, Any]:
        fetched.append(url)
        return {"credentialSubject": {"ttl": 60_000}}

    cache = wallet_sources._StatusListCache()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for seconds in (0, 30, 59):
        cache.get("https://lists.example/1", start + dt.timedelta(seconds=seconds), fetch)
    assert len(fetched) == 1
    cache.get("https://lists.example/1", start + dt.timedelta(seconds=61), fetch)
    assert len(fetched) == 2
    assert wallet_sources._ttl({"credentialSubject": {}}) == wallet_sources.STATUS_TTL_DEFAULT
    longest = wallet_sources._ttl({"credentialSubject": {"ttl": 10**12}})
    assert longest == wallet_sources.STATUS_TTL_MAX
