"""How fast the operator's console is at a national platform's size (issue 41, part 1).

On an empty store (SQLite by default, ``--database postgresql`` for a scratch PostgreSQL
database):

1. **setup**: ``--organisations`` organisations (10,000) stored in bulk, the test provider
   with its key and published programme, and ``--credentials`` credentials (1,000,000) of
   it stored through the issuance repository's bulk insert over 24 months, each with its
   place in the status lists (a small document each, so that a million fit on a laptop; the
   console never reads documents). The repository that stores credentials raises the
   "issued" counter itself; bulk loading writes no audit entries, so the other counters the
   events would have raised are set from what was loaded, month by month; then a real
   cohort is issued through the service, which raises them as every event does (the
   figures page must show it: checked).
2. **pages**: over HTTP from credstack's real application, signed in as the platform's
   operator: ``/console``, ``/console/figures`` (12 and 24 months), ``/console/figures.csv``,
   ``/console/organisations`` (all, and searched), ``/console/people`` and
   ``/console/health``: p50 / p95 / worst.

Target (the issue): the figures page p95 ≤ 200 ms at 1,000,000 credentials and 10,000
organisations; the other console pages are shown beside it. The script reports, it does not
judge; it always exits 0.

    .venv/bin/python bench/console.py [--credentials 1000000] [--organisations 10000]
                                      [--seconds 5] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import datetime as dt
import json
import random
import sys
import time
import uuid
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import func, insert, select, text

from measure import latencies, latency_row, machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import platform_counters as counters
from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.tables import (
    IssuedCredentialRow,
    OrganisationRow,
    PlatformCounterRow,
    ProgrammeVersionRow,
)
from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import (
    add_user,
    provider_store,
    signed_in_client,
    store_sessions,
)
from tests.conftest import serve

OPERATOR = "operator@example.org"
ISSUER = "issuer@hokuto.example"
TARGET_MS = 200.0
MONTHS = 24
CHUNK = 20_000
HTML = {"Accept": "text/html", "Accept-Language": "ja"}


def _month_of(moment: dt.datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _store(settings: Settings, *, organisations: int, credentials: int,
           progress: Progress) -> None:
    secret = settings.secret_key or ""
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    add_user(settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
    add_user(settings, ISSUER, name="Issuer", roles=[("hokuto-tech", "issuer")])
    rng = random.Random(41)
    loaded: collections.Counter[tuple[str, str]] = collections.Counter()
    with store_sessions(settings) as sessions:
        task = progress.add_task(f"storing {organisations:,} organisations",
                                 total=organisations)
        for start in range(0, organisations, 2000):
            rows = []
            for number in range(start, min(start + 2000, organisations)):
                made = now - dt.timedelta(days=rng.randrange(MONTHS * 30))
                loaded["organisations", _month_of(made)] += 1
                rows.append({"slug": f"org-{number:05d}", "kind": "company",
                             "name": {"ja": f"組織 {number}", "en": f"Organisation {number}"},
                             "country": "JP", "created_at": made, "updated_at": made})
            with sessions() as session, session.begin():
                session.execute(insert(OrganisationRow), rows)
            progress.advance(task, len(rows))
        with sessions() as session:
            version_id = session.scalar(select(ProgrammeVersionRow.id))
            organisation_id = session.scalar(select(OrganisationRow.id).where(
                OrganisationRow.slug == "hokuto-tech"))
        document = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"],
                               "type": ["VerifiableCredential"], "issuer": "did:web:bench"})
        task = progress.add_task(f"storing {credentials:,} credentials", total=credentials)
        for start in range(0, credentials, CHUNK):
            size = min(CHUNK, credentials - start)
            when = now - dt.timedelta(days=(MONTHS * 30) * (credentials - start) // credentials)
            with sessions() as session, session.begin():
                slots = status_lists.allocate(session, organisation_id=organisation_id,
                                              count=size, now=when, rng=rng)
                credential_store.insert_credentials(
                    session, organisation_id=organisation_id, now=when, credentials=[
                        credential_store.NewCredential(
                            credential_id=f"urn:uuid:{uuid.uuid4()}",
                            request_key=uuid.uuid4().hex + uuid.uuid4().hex,
                            programme_version_id=version_id,
                            learner=f"learner{i}@example.jp", batch=f"bench-{start}",
                            securing="eddsa-rdfc-2022", document=document, slot=slot,
                            purposes=("revocation",), learner_name=None)
                        for i, slot in zip(range(start, start + size), slots, strict=True)])
            # As the events would have: claimed, shared and verified, a share of the issued.
            loaded["claimed", _month_of(when)] += size * 6 // 10
            loaded["shared", _month_of(when)] += size * 3 // 10
            loaded["verified", _month_of(when)] += size * 2
            progress.advance(task, size)
        with sessions() as session, session.begin():
            for (figure, month), count in sorted(loaded.items()):
                counters.add_to_counters(session, month=month, amounts=[(figure, count)])
            for month_back in range(MONTHS):
                month = _month_of(now - dt.timedelta(days=30 * month_back))
                counters.add_to_counters(session, month=month, amounts=[
                    ("programmes", rng.randrange(50, 400)),
                    ("recognitions", rng.randrange(5, 60)),
                    ("creditbank", rng.randrange(100, 2000))])
        with sessions() as session:
            bind = session.get_bind()
        if bind.dialect.name == "postgresql":
            with bind.connect() as connection:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                connection.execute(text("VACUUM ANALYZE"))


def _issued_this_month(settings: Settings) -> int:
    with store_sessions(settings) as sessions, sessions() as session:
        return int(session.scalar(select(PlatformCounterRow.count).where(
            PlatformCounterRow.figure == "issued",
            PlatformCounterRow.month == _month_of(dt.datetime.now(dt.UTC)))) or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--credentials", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    options = parser.parse_args(argv)
    console = Console()
    console.print(f"machine: {machine()}")
    with scratch_store(options.database) as empty:
        settings = dataclasses.replace(empty, secret_key=new_master_key_text())
        engine = make_engine(settings)
        migrate(engine)
        engine.dispose()
        began = time.perf_counter()
        with Progress(console=console, transient=True) as progress:
            _store(settings, organisations=options.organisations,
                   credentials=options.credentials, progress=progress)
        console.print(f"setup: {time.perf_counter() - began:,.0f} s")
        with store_sessions(settings) as sessions, sessions() as session:
            stored = session.scalar(select(func.count()).select_from(IssuedCredentialRow))
            organisation_count = session.scalar(select(func.count()).select_from(
                OrganisationRow))
        console.print(f"store: {stored:,} credentials, {organisation_count:,} organisations")
        rows = []
        for live in serve(settings):
            before = _issued_this_month(settings)
            with contextlib.closing(signed_in_client(live.url, ISSUER)) as issuer:
                issued = issuer.post("/workspace/hokuto-tech/issue", data={
                    "programme_id": "1", "batch": "counted", "securing": "eddsa-jcs-2022",
                    "language": "en", "name_en": "Counted", "email": "counted@example.jp",
                    "issued_on": dt.date.today().isoformat()})
            after = _issued_this_month(settings)
            console.print(f"one credential issued over HTTP (HTTP {issued.status_code}): this "
                          f"month's 'issued' counter {before:,} → {after:,} "
                          f"({'✓' if after == before + 1 else '✗'})")
            with contextlib.closing(signed_in_client(live.url, OPERATOR)) as client:
                client.headers.update(HTML)
                for path in ("/console/figures", "/console/figures?months=24",
                             "/console/figures.csv", "/console", "/console/organisations",
                             "/console/organisations?q=org-0999", "/console/people",
                             "/console/health"):
                    first = client.get(path)
                    if first.status_code != 200:
                        rows.append({"page": path, **latency_row(
                            f"HTTP {first.status_code}: {first.text[:200]}")})
                        continue
                    samples = latencies(lambda path=path: client.get(path), options.seconds)
                    target = TARGET_MS if path.startswith("/console/figures") else None
                    rows.append({"page": path, **latency_row(samples, target_ms=target)})
        print_figures(console, f"console pages ({options.database}, "
                               f"{options.credentials:,} credentials, "
                               f"{options.organisations:,} organisations)", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
