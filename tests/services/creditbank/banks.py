"""A store for the credit bank's service and API tests: the wallet's issuer, programme and
learners (``tests/services/wallet/wallets.py``), a registrar of the issuer's organisation and
one of another organisation, and a bachelor's programme as a target."""

from __future__ import annotations

import json

from sqlalchemy import update

from credstack.adapters.db.tables import UserRow
from credstack.core.access.policy import Membership, Principal, Role
from credstack.services.accounts.service import create_user
from credstack.services.runtime import Runtime
from credstack.services.wallet import credentials as wallet
from credstack.testing import ActingAs
from tests.services.issuance.test_credentials import SLUG
from tests.services.wallet.wallets import HANAKO_EMAIL, PASSWORD, Wallets, issue_to

OTHER = "other-univ"
#: Japan's 60 of 124 bachelor's credits from prior learning (jurisdictions.yaml), with
#: deposits no requirement takes counted as general credit.
BACHELOR = """\
id: hokuto/bachelor
title: {ja: 学士課程（情報）, en: Bachelor of Informatics}
kind: degree
system: jp-tani
jurisdiction: jp
award: bachelor
rules: [jp.prior-learning]
general_credit: true
"""


def add_registrars(runtime: Runtime, *user_ids: int) -> None:
    """Users with the ids :func:`registrar` acts as (a job they start names its starter)."""
    with runtime.transaction() as session:
        for user_id in user_ids:
            made = create_user(session, email=f"registrar{user_id}@example.jp",
                               display_name=f"Registrar {user_id}", password=PASSWORD,
                               now=runtime.now(),
                               memory_kib=runtime.settings.password_memory_kib)
            session.execute(update(UserRow).where(UserRow.id == made.id).values(id=user_id))


def registrar(user_id: int, organisation: str = SLUG) -> ActingAs:
    return ActingAs(Principal(subject=f"user:{user_id}", user_id=user_id,
                              email=f"registrar{user_id}@example.jp",
                              memberships=frozenset({Membership(organisation,
                                                                Role.REGISTRAR)})))


def kept_credential(wallets: Wallets, *, batch: str = "2026-spring") -> tuple[str, str]:
    """A credential issued to Hanako and kept in her wallet: (wallet id, credential id)."""
    [document] = issue_to(wallets, HANAKO_EMAIL, batch=batch)
    item = wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                    data=document.encode()).item
    return item.public_id, json.loads(document)["id"]
