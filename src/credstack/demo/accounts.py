"""Demo accounts: one user per role, all with the password :data:`DEMO_PASSWORD`.

``credstack serve --demo`` (and ``credstack demo load``) creates them in the demo store
(:func:`create_demo_accounts`) and prints them, so that every part of the service can be
tried at once:

=================================  ==================  ===================================
e-mail address                     role                organisation
=================================  ==================  ===================================
``registry-admin@demo.example``    registry-admin      the whole platform
``provider-admin@demo.example``    provider-admin      ``hokuto-tech``
``issuer@demo.example``            issuer              ``hokuto-tech``
``committee@demo.example``         committee-member    the recognition body (``mcrc-japan``)
``evaluator1@demo.example``        evaluator           the recognition body
``evaluator2@demo.example``        evaluator           the recognition body
``learner@demo.example``           learner             ``hokuto-tech``
``employer@demo.example``          employer            ``siliconbridge``
``registrar@demo.example``         registrar           ``hokuto-tech`` (its credit bank)
=================================  ==================  ===================================

A demo server (``CREDSTACK_DEMO=on``, which ``serve --demo`` turns on) lists them on its
sign-in page. Never use them outside a demo: the password is published here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import accounts as account_store
from credstack.core.access import PLATFORM, Membership, Principal, Role
from credstack.core.access.homes import Place, places
from credstack.core.organisations import OrganisationKind
from credstack.demo import load_demo_documents
from credstack.services.accounts import service as accounts
from credstack.services.runtime import Runtime

#: The password of every demo account (published: demo only).
DEMO_PASSWORD = "credstack-demo-password"  # noqa: S105 (published on purpose)
PROVIDER = "hokuto-tech"
EMPLOYER = "siliconbridge"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    #: The organisation's slug; None for the registry admin.
    organisation: str | None

    def landing(self) -> Place:
        """Where the account lands after signing in: its role's home, as the sign-in page
        names it (the same rule as every signed-in person's, so the two cannot differ)."""
        membership = Membership(self.organisation or PLATFORM, self.role)
        return places(Principal(f"demo:{self.email}", None, self.email,
                                frozenset({membership})))[0]


def recognition_body() -> str:
    """The demo set's recognition body (its slug)."""
    return next(o.slug for o in load_demo_documents().organisations
                if o.kind is OrganisationKind.RECOGNITION_BODY)


def demo_accounts() -> tuple[DemoAccount, ...]:
    body = recognition_body()
    return (
        DemoAccount("registry-admin@demo.example", "運営 管理者 (Registry Admin)",
                    Role.REGISTRY_ADMIN, None),
        DemoAccount("provider-admin@demo.example", "北都 管理者 (Provider Admin)",
                    Role.PROVIDER_ADMIN, PROVIDER),
        DemoAccount("issuer@demo.example", "北都 発行担当 (Issuer)", Role.ISSUER, PROVIDER),
        DemoAccount("committee@demo.example", "認定委員 (Committee Member)",
                    Role.COMMITTEE_MEMBER, body),
        DemoAccount("evaluator1@demo.example", "評価者 一 (Evaluator 1)", Role.EVALUATOR, body),
        DemoAccount("evaluator2@demo.example", "評価者 二 (Evaluator 2)", Role.EVALUATOR, body),
        DemoAccount("learner@demo.example", "学習者 (Learner)", Role.LEARNER, PROVIDER),
        DemoAccount("employer@demo.example", "雇用者 (Employer)", Role.EMPLOYER, EMPLOYER),
        DemoAccount("registrar@demo.example", "北都 教務担当 (Registrar)", Role.REGISTRAR,
                    PROVIDER),
    )


def create_demo_accounts(runtime: Runtime) -> list[DemoAccount]:
    """Create the demo accounts that are missing, in a transaction of their own; every demo
    account whose organisation exists."""
    with runtime.transaction() as session:
        return load_demo_accounts(session, now=runtime.now(),
                                  memory_kib=runtime.settings.password_memory_kib)


def load_demo_accounts(session: Session, *, now: dt.datetime, memory_kib: int
                       ) -> list[DemoAccount]:
    """Create the demo accounts that are missing (idempotent), in the caller's transaction;
    every demo account whose organisation exists. Setup, like the demo documents: nothing is
    audited."""
    ready: list[DemoAccount] = []
    for account in demo_accounts():
        if (account.organisation is not None
                and account_store.organisation_row(session, account.organisation) is None):
            continue
        existing = account_store.user_by_email(session, account.email)
        if existing is None:
            accounts.create_user(session, email=account.email, display_name=account.name,
                                 password=DEMO_PASSWORD, now=now, memory_kib=memory_kib)
        user = accounts.user(session, email=account.email)
        if not user.principal().has_role(account.role, account.organisation or PLATFORM):
            accounts.add_membership(session, email=account.email,
                                    organisation=account.organisation, role=account.role,
                                    now=now)
        ready.append(account)
    return ready
