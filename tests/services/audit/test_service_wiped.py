"""A wiped audit log: a store that holds issued credentials, organisations, signing keys,
accounts, programmes or API clients has had audit entries for them, so an empty log beside
them is tampering, not a new store (it verified "intact: 0 entries")."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator
from credstack.core.audit import EMPTY_HEAD, FindingKind
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.accounts import clients
from credstack.services.audit import service as audit
from credstack.settings import Settings
from credstack.words import words
from tests.services.audit.test_checkpoints import sql, unprotect
from tests.services.oid4vci.issuing import learners_credential
from tests.services.wallet.wallets import Wallets, wallet_runtime

OPERATOR = Operator("tester")


@pytest.fixture
def wallets(settings: Settings, tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path, settings=settings) as made:
        yield made


def test_an_emptied_log_beside_issued_credentials_is_tampered(wallets: Wallets) -> None:
    runtime = wallets.runtime
    learners_credential(wallets)
    assert audit.verify_log(runtime, actor=OPERATOR).ok
    unprotect(runtime)
    sql(runtime, "DELETE FROM audit_entries", "DELETE FROM audit_head")
    report = audit.verify_log(runtime, actor=OPERATOR)
    assert not report.ok
    assert report.kinds() == {FindingKind.EMPTIED}
    (finding,) = report.findings
    assert "credential" in words(finding.said, "en") and "証明書" in words(finding.said, "ja")


def test_an_emptied_log_beside_organisations_keys_and_accounts_is_tampered(
        wallets: Wallets) -> None:
    """Nothing issued yet, but the store holds an organisation with its signing key, two
    accounts and a programme: with both audit tables gone the log is reported wiped, and the
    finding names what the store holds."""
    runtime = wallets.runtime
    unprotect(runtime)
    sql(runtime, "DELETE FROM audit_entries", "DELETE FROM audit_head")
    report = audit.verify_log(runtime, actor=OPERATOR)
    assert report.kinds() == {FindingKind.EMPTIED}
    (finding,) = report.findings
    for held in ("organisation", "signing key", "account", "programme"):
        assert held in words(finding.said, "en"), words(finding.said, "en")
    assert "組織" in words(finding.said, "ja") and "署名鍵" in words(finding.said, "ja")


def test_a_head_reset_to_empty_beside_issued_credentials_is_tampered(
        wallets: Wallets) -> None:
    """Entries deleted and the head put back to a new store's (unsigned, seq 0) — which
    records accept — still leaves issued credentials with no entry: wiped."""
    runtime = wallets.runtime
    learners_credential(wallets)
    unprotect(runtime)
    sql(runtime, "DELETE FROM audit_entries",
        "UPDATE audit_head SET seq = 0, hash = '" + EMPTY_HEAD.hash + "', mac = NULL")
    assert audit.verify_log(runtime, actor=OPERATOR).kinds() == {FindingKind.EMPTIED}


def test_a_wipe_that_takes_credentials_recognitions_and_the_head_still_leaves_api_clients(
        wallets: Wallets) -> None:
    """The probe's wipe (issue 55, L3): issued credentials and recognitions deleted with
    every entry, the head put back to a new store's. An API client is made only through a
    service that audits it (no setup writes one without its entry): its remaining is the
    trace — wiped, and the finding names it."""
    runtime = wallets.runtime
    owner = wallets.hanako.principal.email
    assert owner is not None
    clients.add_client(runtime, actor=OPERATOR, owner=owner, name="exporter",
                       scopes=["credentials:read"])
    learners_credential(wallets)
    assert audit.verify_log(runtime, actor=OPERATOR).ok
    unprotect(runtime)
    sql(runtime, "DELETE FROM audit_entries", "DELETE FROM credential_activity",
        "DELETE FROM wallet_credentials", "DELETE FROM issued_credentials",
        "DELETE FROM recognitions",
        "UPDATE audit_head SET seq = 0, hash = '" + EMPTY_HEAD.hash + "', mac = NULL")
    report = audit.verify_log(runtime, actor=OPERATOR)
    assert report.kinds() == {FindingKind.EMPTIED}
    (finding,) = report.findings
    assert "1 API client" in words(finding.said, "en"), words(finding.said, "en")
    assert "API クライアント" in words(finding.said, "ja"), words(finding.said, "ja")


def test_a_new_store_with_an_empty_log_is_intact(settings: Settings, tmp_path: Path) -> None:
    """A store that holds nothing holds nothing to have audited, head row or not."""
    chosen = dataclasses.replace(settings, data_dir=tmp_path / "new",
                                 secret_key=new_master_key_text())
    with open_runtime(settings=chosen) as runtime:
        assert audit.verify_log(runtime, actor=OPERATOR).ok
        unprotect(runtime)
        sql(runtime, "DELETE FROM audit_head")
        assert audit.verify_log(runtime, actor=OPERATOR).ok
