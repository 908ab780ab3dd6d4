"""A wiped audit log: a store that holds issued credentials has had an audit entry for each,
so an empty log beside them is tampering, not a new store (it verified "intact: 0 entries")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.core.access import Operator
from credstack.core.audit import FindingKind
from credstack.services.audit import service as audit
from credstack.settings import Settings
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
    assert "credential" in finding.message_en and "証明書" in finding.message_ja


def test_a_new_store_with_an_empty_log_is_intact(wallets: Wallets) -> None:
    """Nothing issued, nothing to have audited (the fixture's setup writes no entry)."""
    runtime = wallets.runtime
    unprotect(runtime)
    sql(runtime, "DELETE FROM audit_entries", "DELETE FROM audit_head")
    assert audit.verify_log(runtime, actor=OPERATOR).ok
