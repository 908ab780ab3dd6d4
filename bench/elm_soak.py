#!/usr/bin/env python3
"""Soak: memory over many European Digital Credentials verified, each never seen before.

    .venv/bin/python bench/elm_soak.py [--soak 3000] [--every 250] [--trace]
    .venv/bin/python bench/elm_soak.py --http 300 [--every 250]

A verifier runs for weeks and reads EDCs it has never seen, many of which break the shapes.
This verifies ``--soak`` of them in one process, one after another, each with every string
and node id its own (:func:`elm.first_sight`, the credential's ``id`` a new one), going round
the EC's sealed micro-credential (sealed again under a test root the verifier trusts: no
finding), six unsealed samples that break the ``edc-generic-full`` shapes (the dc4eu ones
on their credential, a blank node) and the first of them with no node id (every node blank,
as a converter may write an EDC). Every ``--every`` verifications it prints the process's resident
memory after a full garbage collection, and how many blank-node texts pySHACL keeps; with
``--trace``, also where Python's allocations grew most since the first report (tracemalloc,
by file and line; it slows the run threefold).

With ``--http SECONDS`` the same EDCs are posted to ``POST /credentials/verify`` of
``credstack serve`` (an empty SQLite store, the ELM files, the test root as the operator's
trust list) for that long, and the server's resident memory is printed instead.

What a long-running verifier keeps on purpose fills within the first few thousand
verifications and then stays: the outcomes remembered by digest (4,096), the JSON-LD memos
(4,096 context results, 1,024 node expansions). Past that, memory should be flat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from pyshacl.rdfutil.stringify import stringify_blank_node

from credstack.adapters.resolvers.elm import elm_files
from credstack.core.verification.elm import verify_edc
from credstack.testing.elm import SealPki, make_pki, seal
from elm import first_sight
from measure import credstack_serve, machine

NOW = dt.datetime.now(dt.UTC)
SEALED = "ec-elm/credentials/Sample-MC-Annex1-signed.jsonld"
#: Unsealed samples: each breaks the shapes (what sealing adds is missing, and more).
BREAKING = ("ec-elm/credentials/Sample-MC-Annex1-unsigned.jsonld",
            "ec-elm/credentials/Sample-CertOfPart-unsigned.jsonld",
            "ec-elm/samples/credential-sample.jsonld",
            "dc4eu-vc/HE-diploma-degreeHBO-M.xml.json",
            "dc4eu-vc/HE-diploma-degreeMBO.xml.json",
            "dc4eu-vc/HE-ToR-elmo1.7-simple-example.xml.json")


def _renamed(text: str, run: int) -> str:
    """``text`` (a credential's JSON) seen for the first time: every string its own."""
    changed = first_sight(text, run)
    document = json.loads(changed)
    if "id" in document:  # a credential without one keeps its blank root node
        document["id"] = f"urn:credential:{uuid.uuid4()}"
    elif changed == text:
        raise SystemExit(f"{text[:60]}…: nothing in it to change")
    return json.dumps(document, ensure_ascii=False)


def _without_node_ids(value: Any) -> Any:
    """``value`` with no ``urn:epass:`` node id: its nodes blank, as a converter may write."""
    if isinstance(value, dict):
        return {key: _without_node_ids(item) for key, item in value.items()
                if not (key == "id" and str(item).startswith("urn:epass:"))}
    if isinstance(value, list):
        return [_without_node_ids(item) for item in value]
    return value


def unseen(elm: Path, pki: SealPki) -> Iterator[str]:
    """EDCs never seen before, without end: one sealed, then each breaking sample, again."""
    sealed = json.loads((elm / SEALED).read_text())["payload"]
    breaking = [(elm / name).read_text() for name in BREAKING]
    breaking.append(json.dumps(_without_node_ids(json.loads(breaking[0]))))
    run = 0
    while True:
        run += 1
        yield json.dumps(seal(_renamed(sealed, run), pki, signing_time=NOW))
        for text in breaking:
            yield _renamed(text, run)


def resident_mib(pid: int | str = "self") -> float:
    """The process's resident set (``VmRSS``), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _growth(baseline: tracemalloc.Snapshot, top: int = 6) -> list[str]:
    ours = tracemalloc.Filter(False, tracemalloc.__file__)
    now = tracemalloc.take_snapshot().filter_traces([ours])
    return [f"    {stat.size_diff / 1024:+9.0f} KiB {stat.count_diff:+8d} blocks  "
            f"{stat.traceback[0].filename.split('site-packages/')[-1].split('src/')[-1]}"
            f":{stat.traceback[0].lineno}"
            for stat in now.compare_to(baseline.filter_traces([ours]), "lineno")[:top]]


def soak_in_process(elm: Path, pki: SealPki, count: int, every: int, trace: bool) -> None:
    reference, loader = elm_files(elm)
    credentials = unseen(elm, pki)
    print(f"{count} EDCs verified in this process — {machine()}")
    print(f"{'verified':>9} {'RSS MiB':>8} {'pySHACL blank-node texts':>25} {'CPU ms/EDC':>11}")
    baseline: tracemalloc.Snapshot | None = None
    started = time.process_time()
    for done in range(1, count + 1):
        report = verify_edc(next(credentials), now=NOW, reference=reference, loader=loader,
                            trusted=[pki.root])
        shapes = next((check for check in report.checks if check.name == "elm-shapes"), None)
        if shapes is None or shapes.ok is None:
            raise SystemExit(f"verification {done} did not check the shapes: "
                             f"{report.to_dict()['errors']}")
        if done % every == 0:
            cpu = (time.process_time() - started) * 1000 / every
            gc.collect()
            print(f"{done:9d} {resident_mib():8.1f} "
                  f"{len(stringify_blank_node.dict_cache):25d} {cpu:11.1f}", flush=True)
            if trace:
                if baseline is None:
                    tracemalloc.start()
                    baseline = tracemalloc.take_snapshot()
                else:
                    print("\n".join(_growth(baseline)), flush=True)
            started = time.process_time()


def _server_pid() -> int:
    """The one child of this process (``credstack serve``)."""
    children = [int(pid) for task in Path(f"/proc/{os.getpid()}/task").iterdir()
                for pid in (task / "children").read_text().split()]
    if len(children) != 1:
        raise SystemExit(f"expected one child process, found {children}")
    return children[0]


def soak_over_http(elm: Path, pki: SealPki, seconds: float, every: int) -> None:
    credentials = unseen(elm, pki)
    with tempfile.TemporaryDirectory(prefix="credstack-bench-") as folder:
        trust = Path(folder) / "trusted-seals.pem"
        trust.write_bytes(pki.root_pem)
        with credstack_serve({"CREDSTACK_DATA_DIR": folder, "CREDSTACK_DATABASE_URL": "",
                              "CREDSTACK_ELM_DIR": str(elm), "CREDSTACK_ELM_TRUST": str(trust)},
                             ready="/verify") as url, \
                httpx.Client(base_url=url, timeout=120) as client:
            pid = _server_pid()
            print(f"POST /credentials/verify for {seconds:.0f} s, credstack serve (pid {pid}) "
                  f"— {machine()}")
            print(f"{'verified':>9} {'seconds':>8} {'server RSS MiB':>15} {'ms/EDC':>8}")
            print(f"{0:9d} {0:8.0f} {resident_mib(pid):15.1f}", flush=True)
            started = lap = time.perf_counter()
            done = 0
            while time.perf_counter() - started < seconds:
                response = client.post(
                    "/credentials/verify",
                    content=f'{{"verifiableCredential": {next(credentials)}}}',
                    headers={"Content-Type": "application/json"})
                if response.status_code >= 500:
                    raise SystemExit(f"answer {response.status_code}: {response.text[:300]}")
                done += 1
                if done % every == 0:
                    now = time.perf_counter()
                    print(f"{done:9d} {now - started:8.0f} {resident_mib(pid):15.1f} "
                          f"{(now - lap) * 1000 / every:8.1f}", flush=True)
                    lap = now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soak", type=int, default=3000, help="EDCs verified in this process")
    parser.add_argument("--every", type=int, default=250, help="verifications between reports")
    parser.add_argument("--trace", action="store_true",
                        help="tracemalloc: where memory grew, by file and line")
    parser.add_argument("--http", type=float, metavar="SECONDS",
                        help="post to credstack serve for SECONDS instead")
    parser.add_argument("--elm", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared/ref/elm")
    options = parser.parse_args()
    elm = options.elm.resolve()
    pki = make_pki(not_before=NOW - dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=30))
    if options.http:
        soak_over_http(elm, pki, options.http, options.every)
    else:
        soak_in_process(elm, pki, options.soak, options.every, options.trace)


if __name__ == "__main__":
    sys.exit(main())
