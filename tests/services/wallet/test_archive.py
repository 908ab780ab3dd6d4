"""Data portability: the archive holds every credential byte for byte with its report and a
manifest; closing the account deletes the wallet, once confirmed."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from credstack.adapters.db.tables import UserRow
from credstack.adapters.db.tables.wallet import (
    HolderKeyRow,
    WalletCredentialRow,
    WalletIdentifierRow,
)
from credstack.errors import AccessDeniedError
from credstack.services.audit import service as audit
from credstack.services.wallet import archive
from credstack.services.wallet import collections as wallet_collections
from credstack.services.wallet import credentials as wallet
from tests.accounts import PASSWORD
from tests.services.wallet.wallets import HANAKO_EMAIL, Wallets, issue_to, wallet_runtime


@pytest.fixture
def wallets(tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path) as found:
        yield found


def test_the_archive_holds_every_original_its_report_and_a_manifest(wallets: Wallets) -> None:
    [document] = issue_to(wallets, HANAKO_EMAIL)
    tampered = json.loads(document)
    tampered["name"] = "Changed"
    kept = [wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                     data=text.encode()).item
            for text in (document, json.dumps(tampered))]
    wallet_collections.create(wallets.runtime, actor=wallets.hanako, name="Job",
                              credentials=[kept[0].public_id])
    data = archive.export_archive(wallets.runtime, actor=wallets.hanako, language="th")
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        assert manifest["format"] == archive.ARCHIVE_FORMAT
        assert manifest["holder"]["did"].startswith("did:key:")
        assert {entry["id"] for entry in manifest["credentials"]} == {
            item.public_id for item in kept}
        for entry in manifest["credentials"]:
            original = opened.read(entry["file"])
            assert hashlib.sha256(original).hexdigest() == entry["sha256"]
            assert json.loads(opened.read(entry["report"]))["checks"]
        assert original in (document.encode(), json.dumps(tampered).encode())
        assert manifest["collections"][0]["credentials"] == [kept[0].public_id]
        readme = opened.read("README.txt").decode()
    assert readme.startswith("credstack — การส่งออกกระเป๋า\n")
    assert "reports/             รายงานการตรวจสอบที่จัดทำเมื่อนำเข้า\n" in readme


def test_the_readme_says_what_it_said_in_japanese_and_english(wallets: Wallets) -> None:
    """Each line of the README that was written in Japanese and English is now in one of them,
    the learner's, word for word."""
    for language, title, line in (
            ("ja", "ウォレットのエクスポート", "credentials/         取り込んだときのままの証明"
                                        "（バイト単位で同一）"),
            ("en", "wallet export", "clr.json             a CLR 2.0 of the verified credentials,"
                                    " signed with your holder key (when there are any)")):
        data = archive.export_archive(wallets.runtime, actor=wallets.hanako, language=language)
        with zipfile.ZipFile(io.BytesIO(data)) as opened:
            readme = opened.read("README.txt").decode()
        assert readme.splitlines()[0] == f"credstack — {title}"
        assert line in readme.splitlines()


def test_closing_the_account_needs_confirmation_and_deletes_the_wallet(wallets: Wallets
                                                                       ) -> None:
    issue_to(wallets, HANAKO_EMAIL)
    assert len(wallet.record(wallets.runtime, actor=wallets.hanako).items) == 1
    with pytest.raises(AccessDeniedError):
        archive.close_account(wallets.runtime, actor=wallets.hanako, email=HANAKO_EMAIL,
                              password="wrong password")
    archive.close_account(wallets.runtime, actor=wallets.hanako, email=HANAKO_EMAIL.upper(),
                          password=PASSWORD)
    with wallets.runtime.sessions() as session:
        assert session.scalar(select(UserRow).where(UserRow.email == HANAKO_EMAIL)) is None
        for table in (WalletCredentialRow, WalletIdentifierRow, HolderKeyRow):
            remaining = session.scalar(select(func.count()).select_from(table).where(
                table.user_id == wallets.hanako.principal.user_id))  # type: ignore[union-attr]
            assert remaining == 0
        entries = [entry.action for entry in audit.entries(session, limit=50)]
        assert "user.deleted" in entries
