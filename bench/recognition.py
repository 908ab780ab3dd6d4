#!/usr/bin/env python3
"""Benchmark: the recognition review flow and the transparency page's search.

    .venv/bin/python bench/recognition.py [--database sqlite|postgresql|both]
        [--applications 100] [--decisions 1000] [--requests 400]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]

Steps, on each chosen store:

1. **Review flow throughput.** ``--applications`` applications go through every step of the
   service (:mod:`credstack.services.review.service`), each step in its own transaction as a request
   would: open → self-evaluation → evidence → submit (completeness check) → two assignments →
   two declarations → two reviews → decide (every other one recognised: the endorsement
   credential is signed and its status entry allocated) → publish. Applications/s for the
   whole flow and the mean time of each step, audit entries (hash chain + HMAC) included.
2. **Public search.** The store is filled up to ``--decisions`` published decisions (the
   remainder inserted as rows, like the flow's), the app is served over HTTP (uvicorn,
   loopback) and ``GET /api/recognition/decisions?q=…`` is timed ``--requests`` times over a
   mix of queries: a programme title word (Japanese and English), a provider, an outcome, a
   word of the reasons, two words, no match, and no query (the first page). p50 / p95.

The script reports, it does not judge; it always exits 0. A scratch PostgreSQL database is
created and dropped; the temporary data directory is removed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import psycopg
import uvicorn
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import review as review_store
from credstack.adapters.db.tables.review import ApplicationRow, DecisionRow
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.access import Principal
from credstack.core.crypto import KeyType
from credstack.core.descriptors import Programme
from credstack.core.organisations import Organisation
from credstack.core.review import CRITERION_IDS
from credstack.entrypoints.web.app import create_app
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.review import service as review
from credstack.settings import Settings
from credstack.testing.documents import programme_document
from measure import POSTGRES, percentile, scratch_store

console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BODY = "jmicro-qa"
PROVIDERS = ["hokuto-tech", "nankai-uni", "seto-college", "kita-academy"]
TITLES = [("データサイエンス入門", "Introduction to Data Science"),
          ("介護実務の基礎", "Foundations of Care Practice"),
          ("半導体製造プロセス", "Semiconductor Manufacturing Processes"),
          ("地域観光マーケティング", "Regional Tourism Marketing"),
          ("サイバーセキュリティ実践", "Applied Cyber Security")]
REASONS = ["The assessment rubric is clear and published.",
           "Employers co-designed the capstone project.",
           "Learning outcomes lack measurable verbs.",
           "Quality assurance cycle is documented annually."]
QUERIES = ["データサイエンス", "Semiconductor", "nankai", "not-recognised", "rubric",
           "employers capstone", "介護", "nothing-matches-this", ""]


def organisation(slug: str, kind: str) -> Organisation:
    return Organisation.model_validate({"slug": slug, "kind": kind, "country": "JP",
                                        "name": {"ja": f"{slug} 機関", "en": f"{slug} body"}})


def programme(slug: str, code: str, title: tuple[str, str]) -> Programme:
    return Programme.model_validate(programme_document(
        code=code, title={"ja": title[0], "en": title[1]},
        awarding_body={"id": slug, "name": {"ja": f"{slug} 機関", "en": f"{slug} body"}},
        issuer_region={"country": "JP", "subdivision": "JP-13"},
        description={"ja": "社会人向けの講座。", "en": "A course for working adults."},
        learning_outcomes=[{"statement": {"ja": "データを分析できる。", "en": "Analyse data."}}]))


class Fixture:
    """The organisations, people and programmes the flow runs on."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings = settings
        self.sessions = sessions
        self.key = MasterKey.from_text(settings.secret_key or "", source="bench")
        audit.attach_key(sessions, self.key)
        now = dt.datetime.now(dt.UTC)
        self.programmes: list[tuple[str, int]] = []
        with sessions() as session, session.begin():
            organisation_store.create_organisation(
                session, organisation=organisation(BODY, "recognition-body"), now=now)
            key_store.create_key(session, organisation=BODY, key_type=KeyType.ED25519,
                                 now=now, secret=self.key)
            people: dict[str, list[tuple[str, str]]] = {
                "chair": [(BODY, "committee-member")], "eva1": [(BODY, "evaluator")],
                "eva2": [(BODY, "evaluator")]}
            for index, slug in enumerate(PROVIDERS):
                organisation_store.create_organisation(
                    session, organisation=organisation(slug, "university"), now=now)
                people[f"admin{index}"] = [(slug, "provider-admin")]
                for number, title in enumerate(TITLES):
                    stored = programme_store.create_programme(
                        session, programme=programme(slug, f"P-{number}", title), publish=True,
                        now=now)
                    self.programmes.append((slug, stored.id))
            self.people: dict[str, Principal] = {}
            for who, roles in people.items():
                accounts.create_user(session, email=f"{who}@example.org", display_name=who,
                                     password="benchmark password 1", now=now,
                                     memory_kib=settings.password_memory_kib)
                for slug, role in roles:
                    accounts.add_membership(session, email=f"{who}@example.org",
                                            organisation=slug, role=role, now=now)
            for who in people:
                self.people[who] = accounts.user(session, email=f"{who}@example.org"
                                                 ).principal()

    def admin(self, slug: str) -> Principal:
        return self.people[f"admin{PROVIDERS.index(slug)}"]


def flow(fixture: Fixture, index: int, timings: dict[str, list[float]]) -> None:
    """One application through every step, each step in its own transaction."""
    slug, programme_id = fixture.programmes[index % len(fixture.programmes)]
    admin, chair = fixture.admin(slug), fixture.people["chair"]
    now = dt.datetime.now(dt.UTC)
    state: dict[str, str] = {}

    def step(name: str, call: Callable[[Session], Any]) -> None:
        started = time.perf_counter()
        with fixture.sessions() as session, session.begin():
            call(session)
        timings[name].append(time.perf_counter() - started)

    def opened(session: Session) -> None:
        state["id"] = review.open_application(
            session, admin, organisation=slug, programme_id=programme_id,
            recognition_body=BODY, profile="jp-mc", now=now).id

    step("open", opened)
    app = state["id"]
    step("self-evaluation", lambda s: review.update_self_evaluation(
        s, admin, application=app, now=now,
        self_evaluation={c: f"Our practice on {c}." for c in CRITERION_IDS}))
    step("evidence", lambda s: review.add_evidence(
        s, admin, application=app, filename="report.pdf", content=PDF + str(index).encode(),
        now=now))
    step("submit", lambda s: review.submit(s, admin, application=app, now=now))
    for who in ("eva1", "eva2"):
        step("assign", lambda s, who=who: review.assign_evaluator(
            s, chair, application=app, evaluator_email=f"{who}@example.org", now=now))
    for who in ("eva1", "eva2"):
        step("declare", lambda s, who=who: review.declare_interests(
            s, fixture.people[who], application=app, conflict=False, now=now))
    for who in ("eva1", "eva2"):
        step("review", lambda s, who=who: review.submit_review(
            s, fixture.people[who], application=app, now=now,
            scores=dict.fromkeys(CRITERION_IDS, 3),
            comments={c: "Convincing." for c in CRITERION_IDS}))
    outcome = "recognised" if index % 2 == 0 else "not-recognised"
    step(f"decide ({outcome})", lambda s: review.decide(
        s, chair, application=app, outcome=outcome, reasons_en=REASONS[index % len(REASONS)],
        now=now, signer=fixture.key, settings=fixture.settings))
    step("publish", lambda s: review.publish(s, chair, application=app, now=now))


def fill_decisions(fixture: Fixture, total: int) -> None:
    """Published decisions up to ``total``, inserted as the flow would leave them."""
    rng = random.Random(0)
    now = dt.datetime.now(dt.UTC)
    with fixture.sessions() as session, session.begin():
        have = review_store.published_decisions(session, limit=1).total
        body = review_store.organisation_row(session, BODY)
        assert body is not None
        for number in range(have + 1, total + 1):
            slug, programme_id = fixture.programmes[number % len(fixture.programmes)]
            provider = review_store.organisation_row(session, slug)
            assert provider is not None
            title = TITLES[number % len(TITLES)]
            outcome = rng.choice(["recognised", "recognised-with-conditions", "not-recognised"])
            reasons = REASONS[number % len(REASONS)]
            row = ApplicationRow(
                public_id=review_store.new_public_id(), organisation_id=provider.id,
                programme_id=programme_id, programme_version=1, recognition_body_id=body.id,
                profile="jp-mc", kind="initial", state="published", state_entered_at=now,
                self_evaluation={}, findings=[], version=1, created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            session.add(DecisionRow(
                application_id=row.id, number=f"R-1999-{number:05d}", outcome=outcome,
                reasons={"en": reasons},
                conditions={"en": "Publish the rubric."}
                if outcome == "recognised-with-conditions" else None,
                decided_at=now, appeal=False, criteria_summary={},
                programme_title={"ja": title[0], "en": title[1]},
                provider_name=dict(provider.name),
                search_text=review_store.search_key(
                    title[0], title[1], slug, *provider.name.values(), outcome, reasons),
                published_at=now))


def search_latency(settings: Settings, requests: int) -> dict[str, tuple[float, float, int]]:
    app = create_app(settings)
    with socket_port() as port:
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        found: dict[str, list[float]] = defaultdict(list)
        totals: dict[str, int] = {}
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                for query in QUERIES:  # warm-up
                    client.get("/api/recognition/decisions", params={"q": query})
                for index in range(requests):
                    query = QUERIES[index % len(QUERIES)]
                    started = time.perf_counter()
                    response = client.get("/api/recognition/decisions", params={"q": query})
                    found[query].append(time.perf_counter() - started)
                    totals[query] = response.json()["total"]
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    every = [t for times in found.values() for t in times]
    result = {query or "(none)": (percentile(t, 0.5), percentile(t, 0.95), totals[query])
              for query, t in found.items()}
    result["all queries"] = (percentile(every, 0.5), percentile(every, 0.95), -1)
    return result


@contextmanager
def socket_port() -> Iterator[int]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    yield port


def run(kind: str, args: argparse.Namespace) -> None:
    with scratch_store(kind, args.postgres_url) as base:
        settings = Settings(data_dir=base.data_dir, database_url=base.database_url,
                            secret_key=new_master_key_text())
        engine = make_engine(settings)
        migrate(engine)
        fixture = Fixture(settings, session_factory(engine))
        timings: dict[str, list[float]] = defaultdict(list)
        started = time.perf_counter()
        for index in range(args.applications):
            flow(fixture, index, timings)
        elapsed = time.perf_counter() - started
        table = Table(title=f"Review flow on {kind}: {args.applications} applications in "
                            f"{elapsed:.1f} s = {args.applications / elapsed:.1f} applications/s "
                            f"(13 transactions each)")
        table.add_column("step")
        table.add_column("calls", justify="right")
        table.add_column("mean ms", justify="right")
        table.add_column("p95 ms", justify="right")
        for name, values in timings.items():
            table.add_row(name, str(len(values)), f"{statistics.mean(values) * 1000:.1f}",
                          f"{percentile(values, 0.95) * 1000:.1f}")
        console.print(table)
        fill_decisions(fixture, args.decisions)
        engine.dispose()
        latency = search_latency(settings, args.requests)
        table = Table(title=f"GET /api/recognition/decisions?q=… on {kind} with "
                            f"{args.decisions} published decisions ({args.requests} requests)")
        table.add_column("query")
        table.add_column("matches", justify="right")
        table.add_column("p50 ms", justify="right")
        table.add_column("p95 ms", justify="right")
        for query, (p50, p95, total) in latency.items():
            table.add_row(query, "" if total < 0 else str(total), f"{p50 * 1000:.1f}",
                          f"{p95 * 1000:.1f}")
        console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--applications", type=int, default=100)
    parser.add_argument("--decisions", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=450)
    parser.add_argument("--postgres-url",
                        default=POSTGRES)
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for kind in kinds:
        try:
            run(kind, args)
        except psycopg.OperationalError as exc:
            console.print(f"[yellow]{kind}: skipped ({exc.__class__.__name__})[/]")


if __name__ == "__main__":
    main()
