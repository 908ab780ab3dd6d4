"""A runtime with an issuing organisation, a published programme and two learners, for the
wallet's service tests (and the credentials they import)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.policy import Membership, Principal, Role
from credstack.core.credentials.cohorts import read_cohort
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.accounts.service import create_user
from credstack.services.issuance import cohorts
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.accounts import PASSWORD, add_issuer, add_programme
from tests.services.issuance.test_credentials import ISSUER, SLUG

HANAKO_EMAIL = "hanako@example.jp"
TARO_EMAIL = "taro@example.jp"


@dataclasses.dataclass(frozen=True)
class Wallets:
    runtime: Runtime
    hanako: ActingAs
    taro: ActingAs
    programme_id: int


def learner(user_id: int, email: str) -> ActingAs:
    return ActingAs(Principal(subject=f"user:{user_id}", user_id=user_id, email=email,
                              memberships=frozenset({Membership(SLUG, Role.LEARNER)})))


@contextmanager
def wallet_runtime(folder: Path, *, settings: Settings | None = None,
                   clock: Callable[[], dt.datetime] | None = None) -> Iterator[Wallets]:
    """A new store with the issuer, a published programme and the learners Hanako and Taro
    (on ``clock`` when given)."""
    chosen = settings or Settings.from_env(data_dir=folder, database_url="")
    chosen = dataclasses.replace(chosen, secret_key=new_master_key_text())
    with open_runtime(settings=chosen, **({"clock": clock} if clock else {})) as runtime:
        now = runtime.now()
        with runtime.transaction() as session:
            add_issuer(session, now=now, secret=runtime.key())
            programme_id = add_programme(session, now=now, publish=True)
            memory = runtime.settings.password_memory_kib
            hanako = create_user(session, email=HANAKO_EMAIL, display_name="Hanako",
                                 password=PASSWORD, now=now, memory_kib=memory)
            taro = create_user(session, email=TARO_EMAIL, display_name="Taro",
                               password=PASSWORD, now=now, memory_kib=memory)
        yield Wallets(runtime, learner(hanako.id, HANAKO_EMAIL), learner(taro.id, TARO_EMAIL),
                      programme_id)


def issue_to(wallets: Wallets, *emails: str, batch: str = "2026-spring") -> list[str]:
    """Issue the programme's credential to ``emails``; the credentials as JSON text."""
    rows = "".join(f"{email},Learner {index}\n" for index, email in enumerate(emails))
    result = cohorts.issue_cohort(wallets.runtime, actor=ISSUER,
                                  programme_id=wallets.programme_id,
                                  cohort=read_cohort(f"email,name.en\n{rows}".encode()),
                                  batch=batch, workers=1)
    return list(cohorts.cohort_documents(wallets.runtime, keys=result.keys))
