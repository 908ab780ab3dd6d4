#!/usr/bin/env python3
"""Fuzz: Schemathesis over the whole OpenAPI description, as four identities (issue 55).

    PYTHONPATH=. .venv/bin/python bench/fuzz_api.py [--examples 90] [--workers 2] \
        [--database sqlite|postgresql] [--only REGEX] [--identities anonymous,learner,...]

``credstack serve --demo`` is started as a user starts it (a scratch SQLite store, or with
``--database postgresql`` a scratch database on ``CREDSTACK_TEST_POSTGRES_URL``'s server,
dropped afterwards), and its own ``/openapi.json`` is read. Four identities call it:

* ``anonymous`` — no credentials;
* ``learner`` — ``learner@demo.example``, signed in;
* ``issuer`` — ``issuer@demo.example``, signed in;
* ``operator`` — ``registry-admin@demo.example``, signed in.

Each signs in over HTTP with the demo password (the sign-in form, as a browser does) before any
fuzzing and sends its session cookie and CSRF token with every request (a session carries every
scope the account's roles allow; an API client's token at most 32). For every identity, every
operation and both of Schemathesis's generation modes (valid and invalid input), Hypothesis
draws ``--examples`` requests, so a run makes about 198 × 4 × 2 × ``--examples`` requests. A
session found ended before an operation (a fuzzed request may have ended it) is signed in again.
The server believes this script's ``X-Forwarded-For`` (it is started with
``CREDSTACK_TRUSTED_PROXIES`` naming loopback, as behind a proxy): the fuzzed requests come from
many documentation addresses (RFC 5737, one a job), the sign-ins from one of their own, so that
fuzzed sign-ins with wrong passwords lock their own addresses out, never the one the identities
sign in again from, and each address's limits stay the server's.

Printed: the requests per identity and status class, the operations that answered 5xx, and
every 5xx with its request (as a ``curl`` command) and the start of its answer. Exit status
1 when any answer was a 5xx or a request failed. Not a test: it takes a long while (keep
``--workers`` low on a shared machine; ``--examples 3`` is a run of a minute or two). Ctrl-C
(SIGINT to this process) stops it and reports what was done.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import ipaddress
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.reporting import with_reporter
from rich.console import Console
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from credstack.demo.accounts import DEMO_PASSWORD
from credstack.entrypoints.web.access import SESSION_COOKIE
from tests.accounts import NONCE_INPUT, csrf_of
from tests.demo_store import demo_process

#: The identities and the demo account each signs in as (anonymous: none).
IDENTITIES = {"anonymous": None, "learner": "learner@demo.example",
              "issuer": "issuer@demo.example", "operator": "registry-admin@demo.example"}
#: The address the identities sign in from (RFC 5737), and the network the fuzzed requests
#: come from, one address a job.
SIGN_IN_FROM = "192.0.2.1"
FUZZED_FROM = ipaddress.ip_network("198.51.100.0/24")
#: The server believes the forwarded addresses this script sends (loopback is the proxy).
PROXIES = {"CREDSTACK_TRUSTED_PROXIES": "127.0.0.1,::1"}
POSTGRES = os.environ.get("CREDSTACK_TEST_POSTGRES_URL",
                          "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class Outcome:
    """What one job (an identity, an operation, a mode) met."""

    statuses: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)
    #: (identity, operation, status, curl command, start of the answer)
    failures: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    #: (identity, operation, why no request could be drawn)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)


def sign_in(url: str, email: str) -> dict[str, str]:
    """The session cookie and CSRF token of ``email`` signed in over HTTP, as headers (after
    the wait the server asks for, when it has had too many sign-ins)."""
    with httpx.Client(base_url=url, timeout=60,
                      headers={"X-Forwarded-For": SIGN_IN_FROM}) as client:
        for _attempt in range(20):
            form = client.get("/sign-in")
            nonce = NONCE_INPUT.search(form.text)
            answer = None if nonce is None else client.post("/sign-in", data={
                "email": email, "password": DEMO_PASSWORD, "signin_nonce": nonce.group(1)})
            if answer is not None and answer.status_code == 303:
                return {"Cookie": f"{SESSION_COOKIE}={client.cookies[SESSION_COOKIE]}",
                        "X-CSRF-Token": csrf_of(client)}
            refused = answer if answer is not None else form
            if refused.status_code != 429:
                raise RuntimeError(f"{email} cannot sign in: {refused.status_code} "
                                   f"{refused.text[:300]}")
            time.sleep(min(int(refused.headers.get("retry-after", "10")), 60))
    raise RuntimeError(f"{email} cannot sign in: too many sign-ins")


# --- one worker process ---------------------------------------------------------------------

_schema: Any = None
_url = ""
_headers: dict[str, dict[str, str]] = {}


def _start_worker(url: str, headers: dict[str, dict[str, str]]) -> None:
    global _schema, _url
    _url = url
    _headers.update(headers)
    _schema = schemathesis.openapi.from_url(f"{url}/openapi.json")


def _credentials(identity: str) -> dict[str, str]:
    """The identity's headers, signed in again when its session has ended."""
    email = IDENTITIES[identity]
    if email is None:
        return {}
    known = _headers.get(identity)
    if known is not None:
        answer = requests.get(f"{_url}/api/me", headers={**known,
                                                         "X-Forwarded-For": SIGN_IN_FROM},
                              timeout=60)
        if answer.status_code == 429:
            time.sleep(min(int(answer.headers.get("retry-after", "10")), 60))
        elif answer.status_code != 200:
            print(f"{identity}: signed in again ({answer.status_code} from /api/me)",
                  flush=True)
            known = None
    if known is None:
        known = _headers[identity] = sign_in(_url, email)
    return known


def _job(identity: str, label: str, mode: str, examples: int, number: int) -> Outcome:
    outcome = Outcome()
    operation = _schema.find_operation_by_label(label)
    address = FUZZED_FROM[1 + number % (FUZZED_FROM.num_addresses - 2)]
    try:
        headers = {**_credentials(identity), "X-Forwarded-For": str(address)}
    except RuntimeError as error:  # the identity cannot sign in again: said, the run goes on
        outcome.skipped.append((identity, label, f"{mode}: {error}"[:300]))
        return outcome
    session = requests.Session()

    @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        try:
            response = case.call(base_url=_url, session=session, headers=headers, timeout=60)
        except requests.RequestException as error:
            outcome.statuses[(identity, "error")] += 1
            outcome.failures.append((identity, label, type(error).__name__,
                                     case.as_curl_command(headers=headers), str(error)[:300]))
            return
        status = response.status_code
        outcome.statuses[(identity, f"{status // 100}xx")] += 1
        if status >= 500:
            outcome.failures.append((identity, label, str(status),
                                     case.as_curl_command(headers=headers),
                                     response.text[:300]))

    try:
        # Hypothesis's words on a job that drew nothing ("add @seed(…)") would drown the run's.
        with with_reporter(lambda _message: None):
            run()
    except Exception as error:  # no request could be drawn: said, not fatal
        outcome.skipped.append((identity, label, f"{mode}: {type(error).__name__}"))
    return outcome


# --- the run ----------------------------------------------------------------------------------


@contextlib.contextmanager
def demo_server(database: str, log: Path | None) -> Iterator[str]:
    """``credstack serve --demo`` on a scratch store; its URL. Its output is copied to
    ``log`` when it stops (the tracebacks of its 5xx)."""
    with tempfile.TemporaryDirectory(prefix="credstack-fuzz-") as folder:
        try:
            with _served(database, Path(folder)) as url:
                yield url
        finally:
            if log is not None and (Path(folder) / "serve.log").exists():
                shutil.copyfile(Path(folder) / "serve.log", log)


@contextlib.contextmanager
def _served(database: str, folder: Path) -> Iterator[str]:
    if database == "sqlite":
        with demo_process(folder, **PROXIES) as (url, _log):
            yield url
        return
    name = f"credstack_fuzz_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with demo_process(folder, **PROXIES, CREDSTACK_DATABASE_URL=(
                f"{POSTGRES.rsplit('/', 1)[0]}/{name}")) as (url, _log):
            yield url
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=90,
                        help="requests drawn per identity, operation and mode")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--only", default="", help="operations whose label matches this")
    parser.add_argument("--identities", default=",".join(IDENTITIES))
    parser.add_argument("--server-log", type=Path, default=None,
                        help="where to copy the server's output (its tracebacks)")
    args = parser.parse_args(argv)
    identities = [name for name in args.identities.split(",") if name]
    console = Console(highlight=False, width=200)
    began = time.monotonic()
    total = Outcome()
    with demo_server(args.database, args.server_log) as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        labels = [result.ok().label for result in schema.get_all_operations()
                  if isinstance(result, Ok) and re.search(args.only, result.ok().label)]
        console.print(f"{len(labels)} operations, identities {', '.join(identities)}, "
                      f"{args.examples} requests each per mode, at {url}")
        headers = {identity: sign_in(url, email) for identity, email in IDENTITIES.items()
                   if email is not None and identity in identities}
        done = 0
        with ProcessPoolExecutor(args.workers, initializer=_start_worker,
                                 initargs=(url, headers)) as pool:
            jobs = [pool.submit(_job, identity, label, mode, args.examples, number)
                    for number, (identity, label, mode) in enumerate(
                        (identity, label, mode) for identity in identities
                        for label in labels for mode in ("positive", "negative"))]
            try:
                for done, job in enumerate(as_completed(jobs), 1):
                    outcome = job.result()
                    total.statuses.update(outcome.statuses)
                    total.skipped.extend(outcome.skipped)
                    for failure in outcome.failures:
                        total.failures.append(failure)
                        show(console, failure)
                    if done % 100 == 0:
                        console.print(f"{done}/{len(jobs)} jobs, "
                                      f"{sum(total.statuses.values())} requests, "
                                      f"{time.monotonic() - began:.0f} s")
            except KeyboardInterrupt:
                # Interrupted (Ctrl-C, or SIGINT to this process): the jobs under way end,
                # the others are dropped, and what was done is reported.
                console.print(f"Interrupted after {done} of {len(jobs)} jobs.")
                pool.shutdown(wait=True, cancel_futures=True)
    report(console, total, identities, time.monotonic() - began)
    return 1 if total.failures else 0


def report(console: Console, total: Outcome, identities: list[str], seconds: float) -> None:
    classes = ["2xx", "3xx", "4xx", "5xx", "error"]
    console.print(f"\n{'identity':<10}" + "".join(f"{name:>9}" for name in [*classes, "all"]))
    for identity in identities:
        counts = [total.statuses[(identity, name)] for name in classes]
        console.print(f"{identity:<10}" + "".join(f"{n:>9}" for n in [*counts, sum(counts)]))
    counts = [sum(total.statuses[(identity, name)] for identity in identities)
              for name in classes]
    console.print(f"{'all':<10}" + "".join(f"{n:>9}" for n in [*counts, sum(counts)]))
    console.print(f"{seconds:.0f} s, {sum(counts) / max(seconds, 1):.0f} requests/s")
    if total.skipped:
        console.print(f"\n{len(total.skipped)} jobs drew no request (no such input can be "
                      "made), e.g. " + "; ".join(" ".join(s) for s in total.skipped[:5]))
    by_operation = collections.Counter((f[1], f[2]) for f in total.failures)
    if not by_operation:
        console.print("\nNo 5xx and no failed request.")
        return
    console.print("\nOperations that answered 5xx or failed:")
    for (label, status), count in by_operation.most_common():
        console.print(f"  {count:>6} × {status} {label}")
    console.print("\nEvery 5xx and failed request:")
    for failure in total.failures:
        show(console, failure)


def show(console: Console, failure: tuple[str, str, str, str, str]) -> None:
    identity, label, status, curl, answer = failure
    console.print(f"--- {status} {identity} {label}\n{curl}\n=> {answer}", markup=False)


if __name__ == "__main__":
    sys.exit(main())
