"""The registrar's numbers at a glance, on SQLite and PostgreSQL: the applications for credit
submitted into the organisation's targets, approved and refused, this month beside last month
and in all; another organisation's registrar is refused them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.errors import AccessDeniedError
from credstack.services.creditbank import accounts, applications, targets
from credstack.services.creditbank.figures import registrar_glance
from credstack.settings import Settings
from credstack.testing import RecordingQueue
from tests.services.creditbank.banks import (
    BACHELOR,
    OTHER,
    add_registrars,
    kept_credential,
    registrar,
)
from tests.services.issuance.test_credentials import SLUG
from tests.services.wallet.wallets import Wallets, wallet_runtime

LAST_MONTH = dt.datetime(2026, 12, 14, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2027, 1, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def wallets(settings: Settings, tmp_path: Path) -> Iterator[tuple[Wallets, list[dt.datetime]]]:
    """A credit bank whose clock reads the last moment of ``moments``."""
    moments = [LAST_MONTH]
    with wallet_runtime(tmp_path, settings=settings, clock=lambda: moments[-1]) as found:
        add_registrars(found.runtime, 900, 901)
        yield dataclasses.replace(found, runtime=dataclasses.replace(
            found.runtime, jobs=RecordingQueue())), moments


def test_the_registrar_sees_submitted_approved_and_refused_by_month(
        wallets: tuple[Wallets, list[dt.datetime]]) -> None:
    """Last month one application was made and refused, this month one made and approved:
    submitted 1 beside 1 (2 in all, the same), approved 1 beside 0 (up), refused 0 beside 1
    (down)."""
    bank, moments = wallets
    runtime, clerk = bank.runtime, registrar(900)
    target = targets.publish(runtime, actor=clerk, organisation=SLUG, text=BACHELOR).public_id
    wallet_id, _ = kept_credential(bank, batch="b0")
    accounts.deposit(runtime, actor=bank.hanako, credential=wallet_id, kind="credential",
                     route="other-university")
    refused = applications.apply(runtime, actor=bank.hanako, target=target)
    applications.refuse(runtime, actor=clerk, public_id=refused.public_id, reason="Not yet.")
    moments.append(NOW)
    approved = applications.apply(runtime, actor=bank.hanako, target=target)
    applications.approve(runtime, actor=clerk, public_id=approved.public_id)
    figures = {found.key: (found.this_month, found.last_month, found.total, found.trend.value)
               for found in registrar_glance(runtime, actor=clerk, organisation=SLUG)}
    assert figures == {"submitted": (1, 1, 2, "same"), "approved": (1, 0, 1, "up"),
                       "refused": (0, 1, 1, "down")}
    with pytest.raises(AccessDeniedError):
        registrar_glance(runtime, actor=registrar(901, OTHER), organisation=SLUG)
