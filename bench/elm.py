#!/usr/bin/env python3
"""Benchmark: reading a European Digital Credential of ~100 KB — seal, contexts, shapes.

    .venv/bin/python bench/elm.py [--runs 30] [--elm ../shared/ref/elm]

The EC's sealed micro-credential (``ec-elm/credentials/Sample-MC-Annex1-signed.jsonld``, its
credential 111 KB, most of it page images) is sealed again under a test root that is then the
operator's trust list, so that every step runs: the JAdES seal read and verified, the
certificate chained to the trusted root, the credential expanded to RDF through the local
EDC-AP context, checked against the ``edc-generic-full`` shapes (compiled once, before the
runs) and summarised. Each run verifies a credential of its own (the same one with another
``id``): what the contexts and the shapes say of a credential is remembered by its digest, so
a credential verified again (shown again in the wallet, a share) is a row of its own. Each
figure is the median over ``--runs`` of the CPU time (``time.process_time``) and of the wall
time of one verification, plus each step alone.
Target (issue 44): import and verify in ≤ 50 ms. The script reports; it does not judge.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from credstack.adapters.resolvers.elm import elm_files
from credstack.core.elm import jades, summary, validation
from credstack.core.verification.elm import verify_edc
from credstack.testing.elm import make_pki, seal
from measure import machine, print_figures

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def medians(call: Callable[[], object], runs: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        call()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--elm", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared/ref/elm")
    options = parser.parse_args()
    console = Console()
    started = time.process_time()
    reference, loader = elm_files(options.elm.resolve())
    reference.shapes("http://data.europa.eu/snb/model/ap/edc-generic-full")
    compile_ms = (time.process_time() - started) * 1000
    sample = json.loads((options.elm / "ec-elm/credentials/Sample-MC-Annex1-signed.jsonld")
                        .read_text())
    pki = make_pki(not_before=NOW - dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=30))
    identifier = json.loads(sample["payload"])["id"]
    fresh = [json.dumps(seal(sample["payload"].replace(
        identifier, f"urn:credential:{uuid.uuid4()}"), pki, signing_time=NOW)).encode()
        for _ in range(options.runs + 1)]
    sealed = fresh[0]
    credential = json.loads(sample["payload"])
    graph = validation.credential_graph(credential, loader)
    profile = validation.shapes_profile(credential)

    def whole() -> None:
        report = verify_edc(fresh.pop(), now=NOW, reference=reference, loader=loader,
                            trusted=[pki.root])
        assert report.ok, report.to_dict()["errors"]

    def again() -> None:
        report = verify_edc(sealed, now=NOW, reference=reference, loader=loader,
                            trusted=[pki.root])
        assert report.ok, report.to_dict()["errors"]

    def sealing() -> None:
        document = json.loads(sealed)
        jades.verify_signature(document, jades.read_seal(document))

    steps: list[tuple[str, Callable[[], object]]] = [
        ("import + verify (whole pipeline)", whole),
        ("verify the same EDC again (remembered)", again),
        ("  seal read + signature", sealing),
        ("  JSON-LD expansion to RDF", lambda: validation.credential_graph(credential, loader)),
        ("  SHACL shapes (compiled once)",
         lambda: validation.check_shapes(graph, reference, profile)),
        ("  summary (what it says)", lambda: summary.summarise(credential)),
    ]
    rows = [{"what": "shapes parsed + compiled (once per process)", "CPU ms": f"{compile_ms:.0f}",
             "wall ms": "", "target": ""}]
    for name, call in steps:
        if call is not whole:
            call()
        cpu, wall = medians(call, options.runs)
        rows.append({"what": name, "CPU ms": f"{cpu:.1f}", "wall ms": f"{wall:.1f}",
                     "target": "≤ 50 ms" if call is whole else ""})
    print_figures(console, f"EDC of {len(sealed) // 1024} KB sealed, credential "
                  f"{len(sample['payload']) // 1024} KB, {len(graph)} statements — {machine()}",
                  rows)


if __name__ == "__main__":
    main()
