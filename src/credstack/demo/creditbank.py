"""Demo credit bank: a published target, and a learner whose credentials partly meet it.

``credstack serve --demo`` calls :func:`prepare_demo_creditbank` after the demo recognition
(which issues ``learner@demo.example`` a credential). It drives the services as the demo
accounts would from their pages — nothing is written to the tables directly:

1. ``registrar@demo.example`` publishes :data:`TARGET` for ``hokuto-tech``: a certificate
   programme whose first requirement any deposited credit meets and whose second asks for
   credits in a field the demo credential is not in, so the learner's progress is partial;
2. ``learner@demo.example`` receives the credential into the wallet, shares it by a link and
   deposits it into the credit bank by the route ``approved-learning`` (learning outside a
   university that the university finds of university level, Japan's 大学設置基準 第29条).

Idempotent: a target already published and a credential already deposited are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from credstack.core.access.actors import ActingAs
from credstack.demo.accounts import PROVIDER
from credstack.demo.recognition import LEARNER
from credstack.services.accounts import service as accounts
from credstack.services.creditbank import accounts as bank
from credstack.services.creditbank import targets
from credstack.services.runtime import Runtime
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import sharing

__all__ = ["REGISTRAR", "ROUTE", "TARGET", "DemoCreditBank", "account_actor",
           "prepare_demo_creditbank"]

REGISTRAR: Final = "registrar@demo.example"
#: The route the demo deposit arrives by (jurisdictions.yaml, Japan).
ROUTE: Final = "approved-learning"
#: The demo target, a pathway file as a registrar would write it.
TARGET: Final = """\
id: hokuto-tech/data-science-certificate
title: {ja: データサイエンス履修証明プログラム, en: Data science certificate programme}
kind: rishu-programme
system: jp-tani
jurisdiction: jp
total: 4
requirements:
  - id: foundation
    title: {ja: 基礎となる学修, en: Foundation learning}
    credits: {min: 1}
  - id: practice
    title: {ja: 統計・データ分析の演習, en: Statistics and data analysis practice}
    field: "0542"
    credits: {min: 2}
"""


@dataclass(frozen=True, slots=True)
class DemoCreditBank:
    """What the demo credit bank holds."""

    #: The published target's public id.
    target: str
    #: The learner's deposited wallet credential (None: the learner holds none).
    deposited: str | None


def account_actor(runtime: Runtime, email: str) -> ActingAs:
    """The demo account ``email`` acting through the services, as from its pages."""
    with runtime.sessions() as session:
        return ActingAs(accounts.user(session, email=email).principal())


def prepare_demo_creditbank(runtime: Runtime) -> DemoCreditBank:
    """Publish the demo target (once) and share and deposit the demo learner's first
    credential (once)."""
    registrar = account_actor(runtime, REGISTRAR)
    found = [p for p in targets.published(runtime, organisation=PROVIDER)
             if p.target.id == "hokuto-tech/data-science-certificate"]
    target = found[0] if found else targets.publish(
        runtime, actor=registrar, organisation=PROVIDER, text=TARGET, source="demo-target.yaml")
    learner = account_actor(runtime, LEARNER)
    items = wallet.record(runtime, actor=learner).items
    if not items:
        return DemoCreditBank(target.public_id, None)
    first = items[-1]
    if not sharing.list_shares(runtime, actor=learner):
        sharing.create_share(runtime, actor=learner, credential=first.public_id,
                             label="就職活動 / Job applications")
    held = bank.account(runtime, actor=learner)
    if first.public_id not in {d.wallet_id for d in held.deposits}:
        bank.deposit(runtime, actor=learner, credential=first.public_id, kind="credential",
                     route=ROUTE)
    return DemoCreditBank(target.public_id, first.public_id)
