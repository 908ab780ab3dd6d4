"""How fast the credit bank's rule engine decides, and how long re-deciding everyone takes.

A degree programme of 60 rules (56 requirements — programmes, "n of these", credits by
field with level, recency and grade filters, hours, prerequisites — and 4 caps, one shared
by three routes) against one learner's 200 deposits in four credit systems (so every
deposit is converted and rounded): :func:`credstack.core.creditbank.evaluate` timed on one
core, p50 / p95 / worst. Then the same with ``--typical`` deposits, a more usual account.

Re-evaluation after a rule change is one :func:`evaluate` per learner (the target is loaded
once): learners per second on one core, and from it the time for 100,000 learners on one
core and on two (the work is independent per learner, so it divides across processes).

``--job N`` measures the real thing: a store (SQLite, or ``--store postgresql``) holding
N learners with ``--typical`` deposits each (entered in their ledgers; 1 % of them with a
pending application into the degree's first version), then a second version published,
which starts the ``creditbank.reevaluate`` background job
(:func:`credstack.services.creditbank.lifecycle.reevaluate`: deposits and ledgers read from
the store per chunk, every learner evaluated, pending decisions stored with their
reservations made again, progress written to the jobs table). The job's wall time, its
learners per second, and the time 100,000 learners would take at that rate (one job runs in
one process; ``--job-shards`` is not offered — the figure is for one core).

Targets (issue 16): p95 ≤ 50 ms for 200 deposits against 60 rules on one core; 100,000
learners re-evaluated in ≤ 5 minutes on 2 cores.

    .venv/bin/python bench/creditbank.py [--deposits 200] [--typical 20] [--runs 300]
                                         [--learners 4000] [--processes 2]
                                         [--job 10000] [--store sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

from rich.console import Console

from credstack.adapters.keystore import new_master_key_text
from credstack.core.creditbank import (
    Deposit,
    DepositKind,
    Target,
    deposit_of,
    evaluate,
    load_target,
)
from credstack.core.wallet.entries import Entry
from credstack.services.runtime import Runtime
from credstack.words import words
from measure import machine, percentile, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = dt.date(2026, 11, 23)
SYSTEMS = ("jp-tani", "ects", "us-credit-hour", "my-credit")
ROUTES = ("other-university", "approved-learning", "before-admission", "mooc")
FIELDS = tuple(f"f{index:02}" for index in range(28))


def degree() -> Target:
    """The 60-rule degree, as a pathway file would state it."""
    return load_target(degree_text(), source="bench-degree.yaml")


def degree_text(prior: int = 120) -> str:
    """The degree's pathway file (``prior``: the shared cap on prior learning, which a
    rule change lowers)."""
    lines = ["id: bench/degree", "title: {ja: 学位, en: Degree}", "kind: degree",
             "system: jp-tani", "total: 240", "general_credit: true",
             f"routes: [{', '.join(ROUTES)}]", "caps:",
             "  - {id: prior, kind: cap, routes: [other-university, approved-learning, "
             f"before-admission], credits: {prior}, source: bench}}",
             "  - {id: approved, kind: cap, routes: [approved-learning], credits: 40, "
             "source: bench}",
             "  - {id: mooc, kind: cap, routes: [mooc], share: 0.2, source: bench}",
             "  - {id: admission, kind: cap, routes: [before-admission], credits: 30, "
             "source: bench}",
             "requirements:"]
    for index in range(10):
        lines.append(f"  - {{id: core{index}, programmes: [urn:mc:core{index}a, "
                     f"urn:mc:core{index}b]}}")
    for index in range(10):
        lines.append(f"  - {{id: pick{index}, choose: 2, programmes: [urn:mc:pick{index}a, "
                     f"urn:mc:pick{index}b, urn:mc:pick{index}c]}}")
    for index in range(28):
        after = f", after: [core{index % 10}]" if index % 3 == 0 else ""
        lines.append(f"  - {{id: field{index}, credits: {{min: 2, max: 4}}, "
                     f"field: {FIELDS[index]}, level: {{framework: JEQF, min: 5}}, "
                     f"within_years: 10, min_grade: 60{after}}}")
    for index in range(8):
        lines.append(f"  - {{id: hours{index}, hours: {{min: 45}}, field: {FIELDS[index]}}}")
    return "\n".join(lines) + "\n"


def account(count: int, seed: int) -> list[Deposit]:
    """``count`` deposits of one learner: programmes the degree names, and other learning."""
    rng = random.Random(seed)
    named = [f"urn:mc:core{i}{p}" for i in range(10) for p in "ab"]
    named += [f"urn:mc:pick{i}{p}" for i in range(10) for p in "abc"]
    out = []
    for index in range(count):
        system = rng.choice(SYSTEMS)
        credits = Decimal(rng.randint(1, 8))
        achievement = rng.choice(named) if rng.random() < 0.4 else f"urn:mc:other{index}"
        entry = Entry(achievement_id=achievement, credits=((system, credits),),
                      fields=(rng.choice(FIELDS),), levels=(("JEQF", rng.randint(4, 7)),))
        out.append(deposit_of(
            entry, id=f"d{index:04}", credential=f"urn:vc:{seed}:{index}",
            kind=DepositKind.CREDENTIAL, route=rng.choice(ROUTES), verified=True,
            earned=TODAY - dt.timedelta(days=rng.randint(0, 4000)),
            grade=Decimal(rng.randint(40, 100))))
    return out


def latencies(target: Target, accounts: list[list[Deposit]], runs: int) -> list[float]:
    out = []
    for run in range(runs):
        deposits = accounts[run % len(accounts)]
        start = time.perf_counter()
        evaluate(target, deposits, today=TODAY)
        out.append(time.perf_counter() - start)
    return out


def _evaluate_learners(task: tuple[int, int, int]) -> float:
    """One worker's share: ``count`` learners with ``size`` deposits (20 accounts, built
    before the clock starts, taken in turn); the seconds its evaluations took."""
    first, count, size = task
    target = degree()
    accounts = [account(size, seed) for seed in range(first, first + 20)]
    start = time.perf_counter()
    for index in range(count):
        evaluate(target, accounts[index % len(accounts)], today=TODAY)
    return time.perf_counter() - start


def parallel(size: int, learners: int, processes: int) -> float:
    """Learners per second re-evaluated by ``processes`` worker processes at once: the
    learners over the slowest worker's time (reading deposits from the store excluded)."""
    share = learners // processes
    tasks = [(index * 1000, share, size) for index in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        slowest = max(pool.map(_evaluate_learners, tasks))
    return share * processes / slowest


def store_learners(runtime: Runtime, learners: int, size: int, target: str,
                   pending_every: int = 100) -> None:
    """``learners`` users with an account, ``size`` deposits each (entered in the ledger)
    and, every ``pending_every``-th, a pending application into ``target`` (its public id),
    written in bulk."""
    from sqlalchemy import insert, select

    from credstack.adapters.db.tables import UserRow
    from credstack.adapters.db.tables.creditbank import (
        CreditAccountRow,
        CreditApplicationRow,
        CreditDepositRow,
        CreditLedgerRow,
        CreditTargetRow,
    )

    now = runtime.now()
    parsed = degree()
    templates = [account(size, seed) for seed in range(20)]
    with runtime.transaction() as session:
        target_id = session.scalar(select(CreditTargetRow.id).where(
            CreditTargetRow.public_id == target))
        first = (session.scalar(select(UserRow.id).order_by(UserRow.id.desc()).limit(1))
                 or 0) + 1
    for start in range(0, learners, 2000):
        users, accounts, deposits, ledger, pending = [], [], [], [], []
        for index in range(start, min(start + 2000, learners)):
            user = first + index
            users.append({"id": user, "email": f"learner{index}@bench.example",
                          "display_name": f"Learner {index}", "password_hash": "x",
                          "disabled": False, "created_at": now})
            accounts.append({"id": user, "user_id": user, "opened_at": now})
            chosen = templates[index % len(templates)]
            for seq, made in enumerate(chosen, start=1):
                public = f"{index:07}{made.id}"
                entry = dataclasses.replace(made.entry, issued=dt.datetime.combine(
                    made.earned, dt.time(), tzinfo=dt.UTC))
                deposits.append({"public_id": public, "account_id": user,
                                 "wallet_credential_id": None, "wallet_public_id": public,
                                 "credential": f"{made.credential}:{index}",
                                 "kind": "credential", "route": made.route,
                                 "entry": entry.to_dict(), "outcome": "verified",
                                 "deposited_at": now})
                system, amount = made.entry.credits[0]
                ledger.append({"account_id": user, "seq": seq, "movement": "deposit",
                               "deposit": public, "credits": str(amount), "system": system,
                               "on_date": made.earned, "rule": "deposit",
                               "source": f"{made.credential}:{index}", "programme": None,
                               "recorded_at": now})
            if index % pending_every == 0:
                renamed = [dataclasses.replace(d, id=f"{index:07}{d.id}") for d in chosen]
                decision = evaluate(parsed, renamed, today=now.date())
                pending.append({"public_id": f"bench{index:010}", "account_id": user,
                                "target_id": target_id, "state": "submitted",
                                "decision": decision.to_dict(words), "adjustments": [],
                                "granted": str(decision.granted), "version": 1,
                                "submitted_at": now})
        with runtime.transaction() as session:
            for table, rows in ((UserRow, users), (CreditAccountRow, accounts),
                                (CreditDepositRow, deposits), (CreditLedgerRow, ledger),
                                (CreditApplicationRow, pending)):
                if rows:
                    session.execute(insert(table), rows)


def job(learners: int, size: int, store: str) -> dict[str, str]:
    """The ``creditbank.reevaluate`` job over ``learners`` stored learners (see the module
    docstring): its figures."""
    from credstack.core.access import Operator
    from credstack.entrypoints.bootstrap import open_runtime
    from credstack.services.creditbank import targets
    from credstack.services.jobs import runner
    from credstack.services.jobs import service as jobs
    from credstack.testing import RecordingQueue
    from tests.accounts import add_issuer
    from tests.services.issuance.test_credentials import SLUG

    operator = Operator("bench")
    with scratch_store(store) as settings, open_runtime(settings=dataclasses.replace(
            settings, secret_key=new_master_key_text())) as opened:
        queue = RecordingQueue()
        runtime = dataclasses.replace(opened, jobs=queue)
        with runtime.transaction() as session:
            add_issuer(session, now=runtime.now(), secret=runtime.key())
        first = targets.publish(runtime, actor=operator, organisation=SLUG,
                                text=degree_text())
        start = time.perf_counter()
        store_learners(runtime, learners, size, first.public_id)
        stored = time.perf_counter() - start
        second = targets.publish(runtime, actor=operator, organisation=SLUG,
                                 text=degree_text(prior=100))
        assert second.job is not None
        start = time.perf_counter()
        assert [runner.run(runtime, public_id) for public_id in queue.take()] == ["succeeded"]
        seconds = time.perf_counter() - start
        done = jobs.job(runtime, actor=operator, public_id=second.job)
    result = done.result or {}
    rate = learners / seconds
    return {"store": store, "learners": f"{learners:,}", "deposits each": str(size),
            "stored in": f"{stored:,.1f} s", "job": f"{seconds:,.1f} s",
            "progress": f"{done.done:,}/{done.total:,}",
            "pending updated": str(result.get("applications_updated")),
            "learners/s": f"{rate:,.0f}", "100k learners (1 job)": f"{100_000 / rate:,.0f} s"}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--deposits", type=int, default=200)
    parser.add_argument("--typical", type=int, default=20)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--learners", type=int, default=4000,
                        help="learners re-evaluated on --processes processes")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--job", type=int, default=0,
                        help="learners stored and re-evaluated by the background job")
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--only-job", action="store_true",
                        help="measure the background job only")
    args = parser.parse_args()
    if args.only_job:
        print_figures(Console(width=150), f"re-evaluation job after a rule change "
                                          f"({machine()})",
                      [job(args.job or 10_000, args.typical, args.store)])
        return
    console = Console(width=150)
    start = time.perf_counter()
    target = degree()
    loading = time.perf_counter() - start
    rules = len(target.requirements) + len(target.rules)
    rows = []
    for size in (args.deposits, args.typical):
        accounts = [account(size, seed) for seed in range(20)]
        latencies(target, accounts, 10)  # warm the caches (rates, roundings)
        timings = latencies(target, accounts, args.runs)
        rate = len(timings) / sum(timings)
        rows.append({
            "deposits": str(size), "rules": str(rules),
            "p50 ms": f"{percentile(timings, 0.5) * 1000:.2f}",
            "p95 ms": f"{percentile(timings, 0.95) * 1000:.2f}",
            "worst ms": f"{max(timings) * 1000:.2f}",
            "learners/s (1 core)": f"{rate:,.0f}",
            "100k learners, 1 core": f"{100_000 / rate:,.0f} s",
            "100k learners, 2 cores": f"{100_000 / rate / 2:,.0f} s",
        })
    print_figures(console, f"credit decisions ({machine()}; pathway loaded in "
                           f"{loading * 1000:.1f} ms)", rows)
    jobs = []
    for size in (args.typical, args.deposits):
        rate = parallel(size, args.learners, args.processes)
        jobs.append({"deposits each": str(size), "learners": f"{args.learners:,}",
                     "processes": str(args.processes), "learners/s": f"{rate:,.0f}",
                     "100k learners": f"{100_000 / rate:,.0f} s"})
    print_figures(console, "re-evaluation after a rule change, measured on "
                           f"{args.processes} processes", jobs)
    if args.job:
        print_figures(console, "re-evaluation job after a rule change (store, job, progress)",
                      [job(args.job, args.typical, args.store)])


if __name__ == "__main__":
    main()
