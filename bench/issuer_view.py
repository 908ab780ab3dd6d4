"""The issuer's view of a batch of 100,000 credentials, and what counting a verification
costs.

On an empty store (SQLite by default, ``--database postgresql`` for a scratch PostgreSQL
database) with an issuing organisation, its published programme and an issuer:

1. **setup**: ``--credentials`` credentials in one batch, stored through the issuance
   repository's bulk insert (which counts them as issued, as issuing does), each with a copy
   of one real signed credential as its document; then, as learners would, a tenth of them
   e-mailed, opened, claimed and verified, a thirtieth shared — each event counted through
   the activity repository (the per-credential, per-batch and per-month upserts), whose rate
   is reported.
2. **pages**: over HTTP from credstack's real application, signed in as the issuer: the
   batch's page (``/workspace/{slug}/activity/batch?name=…``), the organisation's figures
   with their charts (``/workspace/{slug}/activity``), their CSV, and one credential's page:
   p50 / p95 / worst.
3. **counting a verification**: what the public verification page and the VC-API add to a
   verification — :func:`credstack.services.counting.count_event`, which puts the
   event among the runtime's pending counts (p50 / p95 / worst); and, apart, what writing
   them costs the timer thread per event (the credential looked up by its id, three upserts,
   one commit per write of everything pending), for writes of 1 and of 100 events.

Targets (issue 41): the issuer's view of a batch of 100,000 at p95 ≤ 200 ms; counting a
verification adds ≤ 1 ms.

    .venv/bin/python bench/issuer_view.py [--credentials 100000] [--seconds 5]
                                          [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import random
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import select, text

from measure import latencies, latency_row, machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from credstack.adapters.db.repositories import activity as activity_store
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.tables import IssuedCredentialRow, ProgrammeVersionRow
from credstack.adapters.keystore import new_master_key_text
from credstack.core.activity.events import Channel, Kind
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services import counting
from credstack.settings import Settings
from tests.accounts import (
    add_user,
    issued_credentials,
    provider_store,
    signed_in_client,
    store_sessions,
)
from tests.conftest import serve

SLUG = "hokuto-tech"
ISSUER = "issuer@hokuto.example"
BATCH = "2026-big"
CHUNK = 5_000


def _store(settings: Settings, count: int, progress: Progress) -> tuple[str, list[str], float]:
    """``count`` credentials in one batch, a tenth of them active in every way; a real
    credential's id, the batch's ids, and the events counted per second."""
    secret = settings.secret_key or ""
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    [real] = issued_credentials(settings, secret=secret, now=now,
                                cohort="email,name.en\nmodel@example.jp,Model\n",
                                batch="model")
    add_user(settings, ISSUER, name="Issuer", roles=[(SLUG, "issuer")])
    rng = random.Random(41)
    ids: list[str] = []
    task = progress.add_task(f"storing {count:,} credentials", total=count)
    with store_sessions(settings) as sessions:
        with sessions() as session:
            document = credential_store.get_credential(session, credential_id=real).document
            version_id = session.scalar(select(ProgrammeVersionRow.id))
            organisation_id = session.scalar(select(IssuedCredentialRow.organisation_id))
        for first in range(0, count, CHUNK):
            size = min(CHUNK, count - first)
            made = [f"urn:uuid:{uuid.uuid4()}" for _ in range(size)]
            with sessions() as session, session.begin():
                slots = status_lists.allocate(session, organisation_id=organisation_id,
                                              count=size, now=now, rng=rng)
                credential_store.insert_credentials(
                    session, organisation_id=organisation_id, now=now, credentials=[
                        credential_store.NewCredential(
                            credential_id=credential_id,
                            request_key=uuid.uuid4().hex + uuid.uuid4().hex,
                            programme_version_id=version_id,
                            learner=f"learner{first + i}@example.jp", batch=BATCH,
                            securing="eddsa-rdfc-2022", document=document, slot=slot,
                            purposes=("revocation", "suspension"),
                            learner_name=f"Learner {first + i}")
                        for i, (credential_id, slot) in enumerate(zip(made, slots,
                                                                       strict=True))])
            ids += made
            progress.advance(task, size)
        active = ids[::10]
        events = progress.add_task("counting what learners did", total=len(active))
        counted = 0
        began = time.perf_counter()
        for start in range(0, len(active), 1000):
            with sessions() as session, session.begin():
                for number, credential_id in enumerate(active[start:start + 1000]):
                    key = activity_store.credential_key(session, credential_id)
                    assert key is not None
                    kinds = [Kind.MAILED, Kind.OPENED, Kind.CLAIMED, Kind.VERIFIED]
                    if (start + number) % 3 == 0:
                        kinds.append(Kind.SHARED)
                    for kind in kinds:
                        activity_store.count(session, key, kind, at=now,
                                             channel=Channel.WALLET.value)
                        counted += 1
            progress.advance(events, min(1000, len(active) - start))
        rate = counted / (time.perf_counter() - began)
        with sessions() as session:
            bind = session.get_bind()
        if bind.dialect.name == "postgresql":
            with bind.connect() as connection:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                connection.execute(text("VACUUM ANALYZE issued_credentials"))
                connection.execute(text("VACUUM ANALYZE credential_activity"))
    return real, ids, rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="per latency case")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    console = Console()
    console.print(f"{machine()}; {args.database}; {args.credentials:,} credentials in one "
                  "batch")
    with scratch_store(args.database) as scratch:
        settings = dataclasses.replace(scratch, secret_key=new_master_key_text())
        with Progress(console=console, transient=True) as progress:
            began = time.perf_counter()
            real, ids, rate = _store(settings, args.credentials, progress)
        console.print(f"setup: {time.perf_counter() - began:.1f} s; events counted in bulk: "
                      f"{rate:,.0f} a second")
        base = f"/workspace/{SLUG}/activity"
        cases = [
            (f"a batch of {args.credentials:,}", f"{base}/batch?name={BATCH}"),
            ("the organisation's figures and charts", base),
            ("the figures as CSV", f"{base}.csv"),
            ("one credential", f"{base}/credential?id={quote(ids[10])}"),
        ]
        rows: list[dict[str, str]] = []
        for live in serve(settings):
            with contextlib.closing(signed_in_client(live.url, ISSUER)) as client:
                client.headers["Accept"] = "text/html"
                for what, path in cases:
                    first = client.get(path)
                    if first.status_code != 200:
                        raise RuntimeError(f"{path}: HTTP {first.status_code}: "
                                           f"{first.text[:300]}")
                    rows.append({"what": what} | latency_row(
                        latencies(lambda p=path: client.get(p), args.seconds), target_ms=200))
        print_figures(console, "The issuer's view over HTTP", rows)
        picks = random.Random(7)
        with open_runtime(settings=settings) as runtime:
            # One of ours, a different one each time (as visitors verify many credentials);
            # what is pending is written every 100 (untimed), as the timer would.
            samples: list[float] = []
            while len(samples) < 5_000:
                samples += latencies(lambda: counting.count_event(
                    runtime, credential_id=picks.choice(ids), kind=Kind.VERIFIED,
                    channel=Channel.PAGE), 0, at_least=100)
                counting.flush(runtime)
            writes: dict[int, list[float]] = {}
            for size in (1, 100):
                def write(size: int = size) -> None:
                    for _ in range(size):
                        counting.count_event(runtime, credential_id=picks.choice(ids),
                                             kind=Kind.VERIFIED, channel=Channel.PAGE)
                    counting.flush(runtime)
                writes[size] = [sample / size for sample in latencies(write, args.seconds)]
        print_figures(console, "Counting a verification", [
            {"what": "what the request waits for"} | latency_row(samples, target_ms=1),
            {"what": "writing it, alone (per event)"} | latency_row(writes[1]),
            {"what": "writing 100 pending (per event)"} | latency_row(writes[100])])
    del real
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
