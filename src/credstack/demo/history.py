"""Demo history: the months before today, lived through the services with the clock set back,
so that every figure of the demo (the operator's, the issuer's) has months to show.

Services read the time from the runtime they are given (``runtime.now()``), so the history
runs them on a copy of the runtime whose clock stands on a day of each past month
(:mod:`credstack.demo.clock`) — nothing is written to the tables directly and no date is
made up afterwards. For each of the
:data:`MONTHS` months before this one, oldest first:

1. ``issuer@demo.example`` issues one of ``hokuto-tech``'s programmes to that month's cohort
   of fictional learners (:data:`COHORTS`), through the cohort service (audited, each learner
   e-mailed as a real cohort is);
2. the first :data:`CLAIMED` of them have accounts and open their wallets, into which the
   credential is delivered (claimed), and share it by a link;
3. an employer checks each shared credential on the verification service, counted as the
   verification page counts it.

Idempotent: when the first month's first learner already has an account, nothing is done.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import accounts as account_store
from credstack.core.activity.events import Channel
from credstack.core.credentials.cohorts import read_cohort
from credstack.demo.accounts import DEMO_PASSWORD, PROVIDER
from credstack.demo.clock import HISTORY_MONTHS, at, months_back
from credstack.demo.creditbank import account_actor
from credstack.services import counting
from credstack.services.accounts import hashing
from credstack.services.accounts import service as accounts
from credstack.services.formats import verify_any
from credstack.services.issuance import cohorts
from credstack.services.programmes import published
from credstack.services.runtime import Runtime
from credstack.services.verification import service as verifier
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import sharing

__all__ = ["CLAIMED", "COHORTS", "ISSUER", "MONTHS", "DemoHistory", "history_learner",
           "prepare_demo_history"]

ISSUER: Final = "issuer@demo.example"
#: The learners issued a credential in each past month, oldest month first.
COHORTS: Final = (3, 5, 4, 6, 5, 7)
#: How many months of history: one per cohort.
MONTHS: Final = HISTORY_MONTHS
#: Of each cohort, how many claim their credential into a wallet and share it.
CLAIMED: Final = (1, 2, 2, 3, 2, 4)
#: Fictional learners' names (Japanese, English), used in turn.
NAMES: Final = (("青木 葵", "Aoi Aoki"), ("石田 健", "Ken Ishida"), ("上野 結衣", "Yui Ueno"),
                ("遠藤 翔", "Sho Endo"), ("大野 美咲", "Misaki Ono"), ("加藤 陸", "Riku Kato"),
                ("木村 七海", "Nanami Kimura"), ("工藤 蓮", "Ren Kudo"),
                ("小林 さくら", "Sakura Kobayashi"))


@dataclass(frozen=True, slots=True)
class DemoHistory:
    """What the history made (zero each when it existed already)."""

    issued: int
    claimed: int
    shared: int
    verified: int


def history_learner(month: int, number: int) -> str:
    """The address of the ``number``-th learner (from 0) of the ``month``-th cohort (from 0,
    the oldest)."""
    return f"learner-{month + 1}-{number + 1}@demo.example"


def prepare_demo_history(runtime: Runtime) -> DemoHistory:
    """Live the :data:`MONTHS` months before this one (see the module); what it made."""
    with runtime.sessions() as session:
        if account_store.user_by_email(session, history_learner(0, 0)) is not None:
            return DemoHistory(0, 0, 0, 0)
    programmes = published.published_programmes(runtime, organisation=PROVIDER,
                                                 limit=MONTHS).items
    issuer = account_actor(runtime, ISSUER)
    # One hash for every history learner (they share the demo password): hashing is slow
    # on purpose, and the demo starts while someone waits.
    password_hash = hashing.hash_password(DEMO_PASSWORD,
                                          memory_kib=runtime.settings.password_memory_kib)
    today = runtime.now().date()
    made = DemoHistory(0, 0, 0, 0)
    for month, (size, claimed) in enumerate(zip(COHORTS, CLAIMED, strict=True)):
        then = at(runtime, months_back(today, MONTHS - month))
        programme = programmes[month % len(programmes)]
        learners = [history_learner(month, n) for n in range(size)]
        names = [NAMES[(month * 2 + n) % len(NAMES)] for n in range(size)]
        rows = "".join(f"{email},{ja},{en}\n" for email, (ja, en) in zip(learners, names,
                                                                         strict=True))
        result = cohorts.issue_cohort(
            then, actor=issuer, programme_id=programme.id, version=programme.latest.version,
            cohort=read_cohort("email,name.ja,name.en\n" + rows, source="demo-history.csv"),
            batch=f"{then.now():%Y-%m}", workers=1)
        documents = dict(zip(learners, cohorts.cohort_documents(then, keys=result.keys),
                             strict=True))
        verified = 0
        for n, email in enumerate(learners[:claimed]):
            with then.transaction() as session:
                accounts.create_user_with_hash(session, email=email,
                                               display_name=names[n][0],
                                               password_hash=password_hash, now=then.now())
            learner = account_actor(then, email)
            item = wallet.record(then, actor=learner).items[0]
            sharing.create_share(then, actor=learner, credential=item.public_id,
                                 label="応募書類 / Job application")
            document = json.loads(documents[email])
            verify_any(document, sources=verifier.VerificationSources.for_runtime(then),
                       now=then.now(), settings=then.settings, sessions=then.sessions)
            counting.count_verification(then, document=document, channel=Channel.PAGE)
            verified += 1
        counting.flush(then)
        made = DemoHistory(made.issued + result.issued, made.claimed + claimed,
                           made.shared + claimed, made.verified + verified)
    return made
