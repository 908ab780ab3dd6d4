"""Benchmark: a burst of concurrent ``POST /credentials/issue`` requests, then the store's checks.

    .venv/bin/python bench/issue_burst.py [--database sqlite,postgresql] [--requests 300]
        [--servers 2]

Issue 52 ("Issuance served at the engine's pace"): 300 concurrent issues, then ``credstack
doctor`` shows no duplicate index and the audit log verifies. For each database, a scratch
store gets the demo organisations and issuer keys (as in ``bench/load.py``), ``--servers``
processes of the real application answer, and ``--requests`` clients send one issue request
each, all at once. Printed per database: the answers by status code, the seconds the burst
took, the status lists' check against the stored credentials (what ``credstack doctor``
reports: a bitmap that disagrees with the credentials' indexes, a duplicate among them) and
the audit log's verification. The script reports; it does not judge.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from rich.console import Console
from rich.table import Table

import load
from credstack.core.access.actors import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services import audit
from credstack.services.issuance import doctor


def burst(database: str, requests: int, servers: int) -> list[str]:
    """One row of figures: the burst's answers and the checks of the store after it."""
    with load.prepared(database) as store:
        with load.running(store, servers):
            load.first_answers(store)
            body = load._issue_request()

            def send(_: int) -> int:
                with httpx.Client(timeout=300) as client:
                    return client.post(
                        f"{store.base}/credentials/issue", json=body,
                        headers={"Authorization": f"Bearer {store.token}"}).status_code

            began = time.perf_counter()
            with ThreadPoolExecutor(requests) as pool:
                answers = Counter(pool.map(send, range(requests)))
            seconds = time.perf_counter() - began
        with open_runtime(settings=store.settings) as runtime:
            operator = Operator("bench")
            lists = doctor.check_status_lists(runtime, actor=operator)
            log = audit.verify_log(runtime, actor=operator)
    return [database, str(requests), ", ".join(f"{code} × {count}" for code, count
                                              in sorted(answers.items())),
            f"{seconds:.2f}", "ok" if lists.ok else "disagree", "ok" if log.ok else "broken"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--servers", type=int, default=2)
    arguments = parser.parse_args()
    table = Table(title=f"{arguments.requests} concurrent issues, {arguments.servers} servers")
    for column in ("database", "requests", "answers", "seconds", "status lists",
                   "audit log"):
        table.add_column(column)
    for database in arguments.database.split(","):
        table.add_row(*burst(database, arguments.requests, arguments.servers))
    Console().print(table)


if __name__ == "__main__":
    main()
