#!/usr/bin/env python3
"""Benchmark: credstack and the JavaScript reference side by side, on the same credentials.

    .venv/bin/python bench/interop.py [--seconds 2] [--processes N] [--variants 2048]
        [--no-js] [--json bench/out/interop.json]

In one run, on the same ~4 KB Open Badges 3.0 credentials (``bench/proofs.py``'s
micro-credential, issued by a did:key so that the reference's verifier accepts the issuer):

* credstack: credentials signed and verified per second with ``eddsa-rdfc-2022``,
  ``eddsa-jcs-2022`` and VC-JWT (EdDSA), on one process and on all cores (one worker process
  per core, measuring together: a barrier starts each measurement in every worker at once);
* the JavaScript reference (``interop/js/bench.mjs``: ``@digitalbazaar/vc`` issue() and
  verifyCredential() with the Data Integrity suites) on one node process and on N node
  processes started together the same way; the reference has no VC-JWT;
* raw Ed25519 sign/verify of 64 bytes — what a Data Integrity proof signs — on both sides:
  the ceiling no suite can pass;
* credstack ÷ JS per suite, and PASS/MISS against issue 19's targets per core (one
  process): ``eddsa-rdfc-2022`` sign ≥ 2,500/s and ≥ 15× the reference, verify ≥ 2,000/s;
  ``eddsa-jcs-2022`` sign ≥ 12,000/s; VC-JWT sign ≥ 15,000/s.

Signing takes the credentials in turn (each its own id and learner; the contexts and the
achievement repeat, as in bulk issuance; ``created`` is fixed, as for a batch signed within
one second). Verification cycles through ``--variants`` secured credentials — more than
credstack's expansion memo holds, so no document is ever served from it — and the reference
verifies the very credentials credstack signed (they are byte-identical to its own: see
``tests/interop``). A rate is the best of five rounds (``bench/proofs.py``'s ``rate``):
other processes only ever slow a round down. JSON-LD contexts come from credstack's
bundle and, on the reference's side, from the npm packages; nothing is fetched.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from credstack.adapters.resolvers.contexts import document_loader
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.proofs import (
    resolve_did_key,
    sign_data_integrity,
    sign_vc_jwt,
    verify_data_integrity,
    verify_vc_jwt,
)
from proofs import credential, rate

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "interop" / "js"
SEED = bytes(range(32))
CREATED = "2025-04-01T00:00:00Z"
RDFC, JCS, JWT, RAW = "eddsa-rdfc-2022", "eddsa-jcs-2022", "VC-JWT (EdDSA)", "raw Ed25519 (64 B)"
#: The rows, in the order both sides measure them.
ROWS = [(RDFC, "sign"), (RDFC, "verify"), (JCS, "sign"), (JCS, "verify"),
        (JWT, "sign"), (JWT, "verify"), (RAW, "sign"), (RAW, "verify")]
#: The reference's name for each row's suite.
JS_NAMES = {RDFC: RDFC, JCS: JCS, RAW: "ed25519"}
#: Targets per core (issue 19), each ("×JS", factor) against the reference or ("/s", rate);
#: a row passes when it meets all of its targets.
TARGETS: dict[tuple[str, str], tuple[tuple[str, float], ...]] = {
    (RDFC, "sign"): (("/s", 2_500), ("×JS", 15.0)), (RDFC, "verify"): (("/s", 2_000),),
    (JCS, "sign"): (("/s", 12_000),), (JWT, "sign"): (("/s", 15_000),),
}

Rates = dict[tuple[str, str], float]


# --- the credentials ------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    """What every measuring process gets: the credentials, and them secured each way."""

    credentials: list[dict[str, Any]]
    secured: dict[str, list[dict[str, Any]]]
    tokens: list[str]


def prepare(variants: int) -> Workload:
    key = KeyPair.from_secret_bytes(KeyType.ED25519, SEED)
    issuer = did_key.did_from_public_key(key.public_key)
    method = did_key.verification_method_id(key.public_key)
    loader = document_loader()
    credentials = []
    for number in range(variants):
        document = credential(number)
        document["issuer"] = dict(document["issuer"], id=issuer)
        credentials.append(document)
    secured = {suite: [sign_data_integrity(document, key=key, verification_method=method,
                                           cryptosuite=suite, created=CREATED,
                                           document_loader=loader)
                       for document in credentials]
               for suite in (RDFC, JCS)}
    tokens = [sign_vc_jwt(document, key=key, kid=method) for document in credentials]
    return Workload(credentials, secured, tokens)


# --- credstack ------------------------------------------------------------------------------


def operations(workload: Workload) -> dict[tuple[str, str], Callable[[int], object]]:
    key = KeyPair.from_secret_bytes(KeyType.ED25519, SEED)
    method = did_key.verification_method_id(key.public_key)
    loader = document_loader()
    documents, secured, tokens = workload.credentials, workload.secured, workload.tokens
    count = len(documents)
    message = b"\0" * 64
    signature = key.sign(message)

    def sign(suite: str) -> Callable[[int], object]:
        return lambda n: sign_data_integrity(
            documents[n % count], key=key, verification_method=method, cryptosuite=suite,
            created=CREATED, document_loader=loader)

    def verify(suite: str) -> Callable[[int], object]:
        return lambda n: verify_data_integrity(secured[suite][n % count],
                                               resolve_key=resolve_did_key,
                                               document_loader=loader)

    return {
        (RDFC, "sign"): sign(RDFC), (RDFC, "verify"): verify(RDFC),
        (JCS, "sign"): sign(JCS), (JCS, "verify"): verify(JCS),
        (JWT, "sign"): lambda n: sign_vc_jwt(documents[n % count], key=key, kid=method),
        (JWT, "verify"): lambda n: verify_vc_jwt(tokens[n % count],
                                                 resolve_key=resolve_did_key),
        (RAW, "sign"): lambda n: key.sign(message),
        (RAW, "verify"): lambda n: key.public_key.verify(signature, message),
    }


def measure(workload: Workload, seconds: float, barrier: Any = None) -> Rates:
    """Every row, one after the other; with a barrier, each row starts in step."""
    ops = operations(workload)
    rates: Rates = {}
    for row in ROWS:
        if barrier is not None:
            barrier.wait()
        rates[row] = rate(ops[row], seconds)
    return rates


def _worker(workload: Workload, seconds: float, barrier: Any, results: Any) -> None:
    results.put(measure(workload, seconds, barrier))


def measure_all_cores(workload: Workload, seconds: float, processes: int) -> Rates:
    """One worker process per core, measuring together; the rates summed."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [context.Process(target=_worker, args=(workload, seconds, barrier, results))
               for _ in range(processes)]
    for worker in workers:
        worker.start()
    collected = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    return {row: sum(rates[row] for rates in collected) for row in ROWS}


# --- the reference --------------------------------------------------------------------------


def js_problem() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (JS / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        return "interop/js/node_modules is missing (npm ci --prefix interop/js)"
    return None


def measure_js(workload: Workload, seconds: float, processes: int) -> tuple[Rates, str]:
    """``processes`` node processes, prepared, then released together; the rates summed."""
    config = json.dumps({
        "credentials": workload.credentials,
        # The Ed25519 suites only: bench.mjs's default list also has the ECDSA suites, which
        # its Ed25519 key cannot sign for.
        "suites": [RDFC, JCS],
        "signed": {suite: workload.secured[suite] for suite in (RDFC, JCS)},
        "seed": SEED.hex(), "created": CREATED, "seconds": seconds, "barrier": True,
    }) + "\n"
    children = [subprocess.Popen(["node", str(JS / "bench.mjs")], cwd=JS, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE)
                for _ in range(processes)]
    for child in children:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(config)
        child.stdin.flush()
    for child in children:
        assert child.stdout is not None
        ready = child.stdout.readline()
        if json.loads(ready or "{}").get("ready") is not True:
            raise RuntimeError(f"bench.mjs did not get ready: {ready!r}")
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.close()
    outputs = []
    for child in children:
        assert child.stdout is not None
        outputs.append(json.loads(child.stdout.readline()))
        if child.wait() != 0:
            raise RuntimeError("bench.mjs failed")
    rates: Rates = {}
    for suite, name in JS_NAMES.items():
        for operation in ("sign", "verify"):
            rates[suite, operation] = sum(output["rates"][name][operation]
                                          for output in outputs)
    return rates, outputs[0]["node"]


# --- the table ------------------------------------------------------------------------------


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _ratio(ours: float | None, theirs: float | None) -> str:
    return "—" if ours is None or not theirs else f"{ours / theirs:.2f}×"


def verdict(row: tuple[str, str], ours: float, theirs: float | None) -> tuple[str, str]:
    """The targets' text and PASS/MISS for one row (per core: the one-process figures)."""
    targets = TARGETS.get(row, ())
    if not targets:
        return "", ""
    texts, outcomes = [], []
    for kind, value in targets:
        if kind == "×JS":
            texts.append(f"≥ {value:g}× JS")
            outcomes.append(None if theirs is None else ours >= value * theirs)
        else:
            texts.append(f"≥ {value:,.0f}/s")
            outcomes.append(ours >= value)
    text = ", ".join(texts)
    if False in outcomes:
        return text, "[red]MISS[/]"
    if None in outcomes:
        return text, "[yellow]n/a[/]"
    return text, "[green]PASS[/]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="processes for the all-core figures (default: one per core)")
    parser.add_argument("--variants", type=int, default=2048,
                        help="distinct credentials signed and verified in turn; keep it "
                             "above ~512, or credstack's expansion memo (1,024 entries, two "
                             "per credential) serves repeats")
    parser.add_argument("--no-js", action="store_true", help="credstack only")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args()
    console = Console()
    if not console.is_terminal:  # a log or a pipe: keep the table's rows whole
        console = Console(width=max(console.width, 132))
    cores = options.processes

    started = time.perf_counter()
    workload = prepare(options.variants)
    size = len(json.dumps(workload.credentials[1], ensure_ascii=False).encode())
    problem = None if not options.no_js else "--no-js"
    problem = problem or js_problem()
    console.print(
        f"[bold]credstack vs the JavaScript reference[/] — Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs (load average "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}); {options.variants} credentials of "
        f"~{size:,} bytes; best of 5 rounds over {options.seconds:g} s per figure")

    with console.status("credstack, one process …"):
        ours_one = measure(workload, options.seconds)
    with console.status(f"credstack, {cores} processes …"):
        ours_all = measure_all_cores(workload, options.seconds, cores)
    theirs_one: Rates = {}
    theirs_all: Rates = {}
    node_version = None
    if problem is None:
        with console.status("the JavaScript reference, one process …"):
            theirs_one, node_version = measure_js(workload, options.seconds, 1)
        with console.status(f"the JavaScript reference, {cores} processes …"):
            theirs_all, _ = measure_js(workload, options.seconds, cores)
    else:
        console.print(f"[yellow]the JavaScript reference is not measured: {problem}[/]")

    table = Table("operation", "credstack\n1 proc.", f"credstack\n{cores} proc.",
                  "JS ref.\n1 proc.", f"JS ref.\n{cores} proc.", "credstack\n÷ JS, 1",
                  f"credstack\n÷ JS, {cores}", "target\nper core", "verdict",
                  title="credentials (raw: signatures) per second, summed over processes")
    for row in ROWS:
        suite, operation = row
        target, judged = verdict(row, ours_one[row], theirs_one.get(row))
        table.add_row(
            f"{suite} {operation}", _figure(ours_one[row]), _figure(ours_all[row]),
            _figure(theirs_one.get(row)), _figure(theirs_all.get(row)),
            _ratio(ours_one[row], theirs_one.get(row)),
            _ratio(ours_all[row], theirs_all.get(row)), target, judged,
            end_section=operation == "verify")
    console.print(table)
    console.print(
        f"node {node_version or '—'}; Python's raw Ed25519 is the ceiling for every suite "
        f"(a proof signs 64 bytes). Run took {time.perf_counter() - started:.0f} s.")
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps({
            "python": platform.python_version(), "node": node_version,
            "cpus": os.cpu_count(), "processes": cores, "credential_bytes": size,
            "variants": options.variants, "seconds": options.seconds,
            "rows": [{"suite": suite, "operation": operation,
                      "credstack_1": ours_one[suite, operation],
                      "credstack_all": ours_all[suite, operation],
                      "js_1": theirs_one.get((suite, operation)),
                      "js_all": theirs_all.get((suite, operation))}
                     for suite, operation in ROWS],
        }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
