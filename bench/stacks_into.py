#!/usr/bin/env python3
"""Benchmark: the programme page (a hot page) with and without published credit targets.

    .venv/bin/python bench/stacks_into.py [--seconds 3] [--targets 50] [--database sqlite]

The demo programmes in a scratch store, served in this process over HTTP (uvicorn on a free
loopback port); ``GET /programmes/{id}`` for every demo programme in turn for ``--seconds``,
first with no target published, then after publishing ``--targets`` targets of a demo
organisation, each with 20 requirements naming programmes by their registry pages and 5
taking credits in a field (so the page's "stacks into" reads, parses once and matches them
all): p50 / p95 / worst of each. Run it against an older tree (``PYTHONPATH``) for a
"before": there the two rows differ only by noise.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import time

import httpx
from bench.measure import free_port, latency_row, machine, print_figures, scratch_store
from fastapi import Request
from rich.console import Console

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.policy import Membership, Principal, Role
from credstack.demo import load_demo_documents
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.creditbank import targets
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.conftest import serve

FIELDS = ("digital", "green", "semiconductors", "business", "medical-welfare")


def target_text(number: int, base: str, ids: list[int]) -> str:
    named = "\n".join(
        f"  - {{id: r{index}, programmes: [{base}/programmes/{ids[(number + index) % len(ids)]}]}}"
        for index in range(20))
    fields = "\n".join(f"  - {{id: f{index}, credits: {{min: 2}}, field: {field}}}"
                       for index, field in enumerate(FIELDS))
    return (f"id: bench/target-{number}\ntitle: {{ja: 目標{number}, en: Target {number}}}\n"
            f"kind: degree\nsystem: jp-tani\njurisdiction: jp\naward: bachelor\n"
            f"rules: [jp.prior-learning]\nrequirements:\n{named}\n{fields}\n")


def measure(url: str, ids: list[int], seconds: float) -> list[float]:
    samples: list[float] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for programme in ids:  # warm up: every page once
            client.get(f"/programmes/{programme}", headers={"Accept": "text/html"})
        end = time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < end:
            started = time.perf_counter()
            response = client.get(f"/programmes/{ids[n % len(ids)]}",
                                  headers={"Accept": "text/html"})
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            n += 1
    return samples


def alone(runtime: Runtime, ids: list[int], seconds: float) -> list[float]:
    """The "stacks into" lookup by itself, in this process (no HTTP, no template); empty in
    a tree without it."""
    try:
        from credstack.entrypoints.web.pages.targets import stacks_into
    except ImportError:
        return []
    request = Request({"type": "http", "headers": [], "method": "GET", "path": "/"})
    samples: list[float] = []
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        started = time.perf_counter()
        stacks_into(runtime, request, programme_id=ids[n % len(ids)], fields=FIELDS[:2])
        samples.append((time.perf_counter() - started) * 1000)
        n += 1
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--targets", type=int, default=50)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    console = Console()
    rows = []
    with scratch_store(args.database) as empty:
        port = free_port()
        settings: Settings = dataclasses.replace(
            empty, secret_key=new_master_key_text(), public_url=f"http://127.0.0.1:{port}")
        with open_runtime(settings=settings) as runtime:
            with runtime.transaction() as session:
                programme_store.import_documents(session, documents=load_demo_documents(),
                                                 now=runtime.now())
            with runtime.sessions() as session:
                page = programme_store.list_published_programmes(session, limit=1000)
            ids = [summary.id for summary in page.items]
            with contextlib.contextmanager(serve)(settings, port=port):
                rows.append({"case": "no targets",
                             **latency_row(measure(settings.public_url, ids, args.seconds))})
                registrar = ActingAs(Principal(
                    subject="user:1", user_id=1, email="registrar@example.jp",
                    memberships=frozenset({Membership("hokuto-tech", Role.REGISTRAR)})))
                for number in range(args.targets):
                    targets.publish(runtime, actor=registrar, organisation="hokuto-tech",
                                    text=target_text(number, settings.public_url, ids))
                rows.append({"case": f"{args.targets} targets",
                             **latency_row(measure(settings.public_url, ids, args.seconds))})
                rows.append({"case": f"'stacks into' alone, {args.targets} targets",
                             **latency_row(alone(runtime, ids, args.seconds))})
    print_figures(console, f"GET /programmes/{{id}} ({args.database}; {machine()})", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
