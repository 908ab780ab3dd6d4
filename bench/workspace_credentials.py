"""How fast an organisation's list of credentials is with 100,000 of them.

On an empty store (SQLite by default, ``--database postgresql`` for a scratch PostgreSQL
database) with an issuing organisation, its published programme and an issuer:

1. **setup**: ``--credentials`` credentials of one organisation are stored through the
   issuance repository's bulk insert (the path :func:`credstack.services.issuance.service
   .issue_cohort` stores with), in 100 batches over a year, each with its place in the status
   lists and a copy of one real signed credential as its document (so rows are as large as
   real ones); one in a hundred is then marked revoked. Signing 100,000 credentials is
   measured by ``bench/issuance.py``, not here.
2. **upload**: a cohort file of as many learners (Shift_JIS), uploaded and checked in one
   request (``POST /workspace/{slug}/issue/cohort``: every row read, the preview and the
   confirmation): seconds.
3. **pages**: over HTTP from credstack's real application, signed in as the issuer: the list
   (``GET /workspace/{slug}/credentials``) first page, searched by e-mail and by name,
   filtered by status, batch, programme and dates, a page deep in the list, and one
   credential's page: p50 / p95 / worst.
4. **searches in the store**: each text search as the repository runs it
   (:func:`credstack.adapters.db.repositories.credentials.search_credentials`, no HTTP and no
   page), p50 / p95; on PostgreSQL also its plan and the buffers its page query reads
   (``EXPLAIN (ANALYZE, BUFFERS)``) — a figure the machine's load does not change.

Target (issue 15): each page p95 ≤ 200 ms with 100,000 credentials of one organisation.

On PostgreSQL the store is vacuumed and analysed after the bulk load (as autovacuum would
within a minute), and ``--without-trigrams`` drops migration 0021's trigram index first, to measure
the searches as they were before it.

    .venv/bin/python bench/workspace_credentials.py [--credentials 100000] [--seconds 5]
                                                    [--database sqlite|postgresql]
                                                    [--without-trigrams]
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
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from measure import latencies, latency_row, machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.tables import IssuedCredentialRow, ProgrammeVersionRow
from credstack.adapters.keystore import new_master_key_text
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
BATCHES = 100


def _store(settings: Settings, count: int, progress: Progress, *,
           without_trigrams: bool = False) -> str:
    """``count`` credentials of hokuto-tech (and one real one, signed); its id."""
    secret = settings.secret_key or ""
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    [real] = issued_credentials(settings, secret=secret, now=now,
                                cohort="email,name.en\nmodel@example.jp,Model\n",
                                batch="model")
    add_user(settings, ISSUER, name="Issuer", roles=[(SLUG, "issuer")])
    rng = random.Random(15)
    task = progress.add_task(f"storing {count:,} credentials", total=count)
    with store_sessions(settings) as sessions:
        with sessions() as session:
            document = credential_store.get_credential(session, credential_id=real).document
            version_id = session.scalar(select(ProgrammeVersionRow.id))
            organisation_id = session.scalar(select(IssuedCredentialRow.organisation_id))
        per_batch = -(-count // BATCHES)
        for number in range(BATCHES):
            first = number * per_batch
            size = min(per_batch, count - first)
            if size <= 0:
                break
            when = now - dt.timedelta(days=365 - number * 365 // BATCHES)
            with sessions() as session, session.begin():
                slots = status_lists.allocate(session, organisation_id=organisation_id,
                                              count=size, now=when, rng=rng)
                credential_store.insert_credentials(
                    session, organisation_id=organisation_id, now=when, credentials=[
                        credential_store.NewCredential(
                            credential_id=f"urn:uuid:{uuid.uuid4()}",
                            request_key=uuid.uuid4().hex + uuid.uuid4().hex,
                            programme_version_id=version_id,
                            learner=f"learner{i}@example.jp", batch=f"2026-batch-{number}",
                            securing="eddsa-rdfc-2022", document=document, slot=slot,
                            purposes=("revocation", "suspension"),
                            learner_name=f"学習者 {i} / Learner {i}")
                        for i, slot in zip(range(first, first + size), slots, strict=True)])
            progress.advance(task, size)
        with sessions() as session, session.begin():
            session.execute(update(IssuedCredentialRow)
                            .where(IssuedCredentialRow.id % 100 == 7)
                            .values(state="revoked"))
        with sessions() as session:
            bind = session.get_bind()
        if bind.dialect.name == "postgresql":
            # As autovacuum would within a minute of the bulk load: statistics for the
            # planner, and the visibility map that lets index-only scans skip the rows.
            with bind.connect() as connection:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                if without_trigrams:
                    connection.execute(text("DROP INDEX IF EXISTS "
                                            "ix_issued_credentials_trigrams"))
                connection.execute(text("VACUUM ANALYZE issued_credentials"))
    return real


def _row(what: str, samples: list[float], target: float) -> dict[str, str]:
    return {"what": what} | latency_row(samples, target_ms=target)


SEARCHES = (("e-mail", "learner4242@"), ("name", "学習者 77777"), ("part of a name", "arner 5151"),
            ("two characters", "99"))


def _plan(session: Session, search: credential_store.CredentialSearch, organisation_id: int
          ) -> tuple[str, int]:
    """The page query's plan (its nodes, outermost first) and the buffers it read."""
    captured: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, statement: str, parameters: object,
                context: object, executemany: bool) -> None:
        captured.append((statement, parameters))

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", capture)
    try:
        credential_store.search_credentials(session, organisation_id=organisation_id,
                                            search=search)
    finally:
        event.remove(bind, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    cursor = session.connection().connection.cursor()
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)
    plan = cursor.fetchone()[0][0]["Plan"]
    nodes: list[str] = []

    def walk(node: dict[str, object]) -> None:
        name = str(node["Node Type"])
        if "Index Name" in node:
            name += f" ({node['Index Name']})"
        nodes.append(name)
        for child in node.get("Plans", []):  # type: ignore[attr-defined]
            walk(child)

    walk(plan)
    return " → ".join(nodes[:6]), int(plan.get("Shared Hit Blocks", 0)) + int(
        plan.get("Shared Read Blocks", 0))


def _searches(settings: Settings, seconds: float) -> list[dict[str, str]]:
    """Each text search as the repository runs it; its plan and buffers on PostgreSQL."""
    rows = []
    with store_sessions(settings) as sessions, sessions() as session:
        organisation_id = session.scalar(select(IssuedCredentialRow.organisation_id))
        postgresql = session.get_bind().dialect.name == "postgresql"
        for what, words in SEARCHES:
            search = credential_store.CredentialSearch(text=words)
            samples = latencies(lambda s=search: credential_store.search_credentials(
                session, organisation_id=organisation_id, search=s), seconds)
            row = {"search": what} | latency_row(samples)
            if postgresql:
                plan, buffers = _plan(session, search, organisation_id)
                row |= {"buffers": f"{buffers:,}", "plan": plan}
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="per latency case")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--without-trigrams", action="store_true",
                        help="PostgreSQL: drop the trigram index (the searches before 0021)")
    args = parser.parse_args(argv)
    console = Console()
    console.print(f"{machine()}; {args.database}; {args.credentials:,} credentials of one "
                  "organisation" + ("; no trigram index" if args.without_trigrams else ""))
    with scratch_store(args.database) as scratch:
        settings = dataclasses.replace(scratch, secret_key=new_master_key_text())
        with Progress(console=console, transient=True) as progress:
            began = time.perf_counter()
            real = _store(settings, args.credentials, progress,
                          without_trigrams=args.without_trigrams)
        console.print(f"setup: {time.perf_counter() - began:.1f} s")
        base = f"/workspace/{SLUG}/credentials"
        today = dt.date.today()
        cases = [
            ("list, first page", base),
            ("search by e-mail", f"{base}?q=learner4242@"),
            ("search by name", f"{base}?q=学習者 77777"),
            ("search, part of a name", f"{base}?q=arner 5151"),
            ("search, two characters", f"{base}?q=99"),
            ("search by credential id", f"{base}?q={quote(real)}"),
            ("status revoked", f"{base}?status=revoked"),
            ("batch", f"{base}?batch=2026-batch-42"),
            ("programme + dates", f"{base}?programme=1"
                                  f"&from={today - dt.timedelta(days=100)}"
                                  f"&until={today - dt.timedelta(days=50)}"),
            ("page 1,000", f"{base}?page=1000"),
            ("a credential's page", f"{base}/{real}"),
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
                    rows.append(_row(what, latencies(lambda p=path: client.get(p),
                                                      args.seconds), 200))
                # A cohort file of --credentials learners, uploaded and checked (the
                # preview); issuing it is the background job's.
                lines = "".join(f"upload{i}@example.jp,学習者 {i},Learner {i}\r\n"
                                for i in range(args.credentials))
                data = f"email,name.ja,name.en\r\n{lines}".encode("cp932")
                token = client.headers.pop("X-CSRF-Token")
                began = time.perf_counter()
                answer = client.post(f"/workspace/{SLUG}/issue/cohort", timeout=120, files={
                    "csrf_token": (None, token), "programme_id": (None, "1"),
                    "batch": (None, "upload"), "file": ("cohort.csv", data, "text/csv")})
                took = time.perf_counter() - began
                if answer.status_code != 200 or 'name="digest"' not in answer.text:
                    raise RuntimeError(f"upload: HTTP {answer.status_code}")
                console.print(f"upload and check of a {len(data) / 1e6:.1f} MB cohort file "
                              f"(Shift_JIS, {args.credentials:,} learners): {took:.1f} s")
        print_figures(console, "The workspace's credential list", rows)
        print_figures(console, "Searches in the store (repository, no HTTP)",
                      _searches(settings, args.seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
