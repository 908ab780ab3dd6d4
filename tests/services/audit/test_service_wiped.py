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
from credstack.services.runtime import Runtime
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


def _wipe_all_but_accounts(runtime: Runtime) -> None:
    """The probe's wipe taken further: every entry, the issued credentials, recognitions and
    API clients deleted, the head put back to a new store's; organisations, keys, accounts
    and programmes (which a demo's or a test's setup writes without entries) are left."""
    unprotect(runtime)
    sql(runtime, "DELETE FROM audit_entries", "DELETE FROM credential_activity",
        "DELETE FROM wallet_credentials", "DELETE FROM issued_credentials",
        "DELETE FROM recognitions", "DELETE FROM api_clients",
        "UPDATE audit_head SET seq = 0, hash = '" + EMPTY_HEAD.hash + "', mac = NULL")


def test_in_production_without_checkpoints_every_record_beside_an_emptied_log_is_its_trace(
        wallets: Wallets) -> None:
    """A production store (not a demo) whose checkpoint file is missing has no anchor outside
    it: every record made only with an entry — accounts, organisations, keys, programmes too,
    which only a demo's or a test's setup writes without one — beside an empty log whose head
    is a new store's is the wipe's trace, and the finding names them (issue 55, L3)."""
    runtime = wallets.runtime
    assert not runtime.settings.demo
    assert not runtime.settings.checkpoint_file.exists()
    learners_credential(wallets)
    _wipe_all_but_accounts(runtime)
    report = audit.verify_log(runtime, actor=OPERATOR)
    assert report.kinds() == {FindingKind.EMPTIED}
    (finding,) = report.findings
    said = words(finding.said, "en")
    assert "account" in said and "signing key" in said, said


def test_a_demo_without_checkpoints_counts_only_what_its_setup_never_writes(
        settings: Settings, tmp_path: Path) -> None:
    """A demo's setup writes accounts, organisations and keys without entries: beside its
    empty log they are no trace of a wipe (only credentials, recognitions and API clients
    are)."""
    with wallet_runtime(tmp_path, settings=dataclasses.replace(settings, demo=True)) as made:
        runtime = made.runtime
        assert not runtime.settings.checkpoint_file.exists()
        _wipe_all_but_accounts(runtime)
        assert audit.verify_log(runtime, actor=OPERATOR).ok
