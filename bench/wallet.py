"""How fast a learner's wallet is with a thousand credentials in it.

On an empty store (SQLite by default, ``--database postgresql`` for a scratch PostgreSQL
database) with an issuing organisation, a published programme and the learner Hanako:

1. **import**: ``--credentials`` distinct OB 3.0 credentials (JSON, signed with
   ``--suite``, each naming Hanako's e-mail address) are imported one after another through
   the service (:func:`credstack.services.wallet.credentials.import_credential`: screened,
   verified, kept with their report, audited): credentials per second on one core;
2. **record**: the whole record (every credential, newest first, and the totals) through the
   service, then over HTTP from ``credstack``'s real application — ``GET /wallet`` (the HTML
   timeline: its first page of 50, with the totals of all) and ``GET /api/wallet`` (JSON,
   every credential) — signed in as Hanako: p50 / p95 / worst;
3. **share**: a collection of ``--shared`` credentials behind a share link, opened by an
   anonymous visitor (``GET /s/{token}``), each credential checked again live: p50 / p95.

Targets (issue 14): record p95 ≤ 100 ms with 1,000 credentials, import ≥ 200 credentials/s
per core, a share page of 20 credentials p95 ≤ 300 ms.

    .venv/bin/python bench/wallet.py [--credentials 1000] [--shared 20] [--seconds 5]
                                     [--database sqlite|postgresql] [--suite eddsa-jcs-2022]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import sys
import time
import uuid
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress

from measure import latencies, latency_row, machine, mib, peak_rss, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from credstack.services.wallet import collections, sharing
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet.timeline import PAGE_SIZE
from tests.accounts import signed_in_client
from tests.conftest import serve
from tests.services.wallet.wallets import HANAKO_EMAIL, wallet_runtime
from tests.signed_credentials import sign, unsigned

SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022")
#: What each credential's card on the record and on a share page holds once.
CARD = 'class="wallet-card__standing"'


def _credentials(count: int, suite: str, progress: Progress) -> list[bytes]:
    """``count`` distinct signed credentials to Hanako, as JSON bytes: each its own id and
    its own date (a day apart, as a record gathered over the years), so that no two entries
    of the record are alike."""
    task = progress.add_task(f"signing {count} credentials ({suite})", total=count)
    made = []
    first = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    for number in range(count):
        document = unsigned()
        document["id"] = f"urn:uuid:{uuid.uuid4()}"
        document["validFrom"] = (first + dt.timedelta(days=number)).isoformat().replace(
            "+00:00", "Z")
        made.append(json.dumps(sign(document, suite=suite)).encode())
        progress.advance(task)
    return made


def _ok(response: httpx.Response) -> httpx.Response:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.url}: HTTP {response.status_code}: "
                           f"{response.text[:300]}")
    return response


def _row(what: str, samples: list[float], target: float) -> dict[str, str]:
    return {"what": what} | latency_row(samples, target_ms=target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=int, default=1000)
    parser.add_argument("--shared", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0, help="per latency case")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--suite", choices=SUITES, default=SUITES[0])
    args = parser.parse_args(argv)
    console = Console()
    console.print(f"{machine()}; {args.database}; {args.credentials} credentials ({args.suite})")

    with scratch_store(args.database) as settings, \
            wallet_runtime(settings.data_dir, settings=settings) as wallets:
        runtime, hanako = wallets.runtime, wallets.hanako
        with Progress(console=console, transient=True) as progress:
            documents = _credentials(args.credentials, args.suite, progress)
            # As the server does once started (credstack.entrypoints.web.app): what lives as long
            # as the process is kept out of the garbage collector's sight.
            gc.collect()
            gc.freeze()
            task = progress.add_task("importing", total=len(documents))
            began, began_cpu = time.perf_counter(), time.process_time()
            for data in documents:
                imported = wallet.import_credential(runtime, actor=hanako, data=data)
                if not imported.created or imported.item.outcome.value == "not-verified":
                    raise RuntimeError(f"not imported as verified: {imported.item.to_dict()}")
                progress.advance(task)
            importing = time.perf_counter() - began
            cpu = time.process_time() - began_cpu
        rate, cpu_rate = len(documents) / importing, len(documents) / cpu
        console.print(f"import + verify: {len(documents)} credentials in {importing:.1f} s = "
                      f"[bold]{rate:,.0f}/s[/] on one core, {cpu_rate:,.0f} per CPU second "
                      f"(target ≥ 200/s {'✓' if rate >= 200 else '✗'}); "
                      f"peak memory {mib(peak_rss())}")

        record = wallet.record(runtime, actor=hanako)
        assert len(record.items) == len(documents), len(record.items)
        group = collections.create(runtime, actor=hanako, name="For employers")
        for item in record.items[:args.shared]:
            collections.add_to(runtime, actor=hanako, public_id=group.public_id,
                               credential=item.public_id)
        link = sharing.create_share(runtime, actor=hanako, collection=group.public_id)

        rows: list[dict[str, str]] = []
        for live in serve(runtime.settings, freeze_heap=True):
            # Measured once the server runs, as in its process (which froze what it started
            # with out of the garbage collector's sight, as `credstack serve` does).
            rows.append(_row(f"service record ({len(documents)})", latencies(
                lambda: wallet.record(runtime, actor=hanako), args.seconds), 100))
            with contextlib.closing(signed_in_client(live.url, HANAKO_EMAIL)) as signed_in, \
                    httpx.Client(base_url=live.url, timeout=60) as anonymous:
                page = _ok(signed_in.get("/wallet", headers={"Accept": "text/html"}))
                assert page.text.count(CARD) == min(PAGE_SIZE, len(documents)), "cards"
                rows.append(_row(f"GET /wallet page ({len(documents)})", latencies(
                    lambda: _ok(signed_in.get("/wallet", headers={"Accept": "text/html"})),
                    args.seconds), 100))
                rows.append(_row(f"GET /api/wallet JSON ({len(documents)})", latencies(
                    lambda: _ok(signed_in.get("/api/wallet")), args.seconds), 100))
                shared = _ok(anonymous.get(f"/s/{link.token}"))
                assert shared.text.count(CARD) >= args.shared, "shared cards"
                rows.append(_row(f"GET /s/{{token}} ({args.shared} checked live)", latencies(
                    lambda: _ok(anonymous.get(f"/s/{link.token}")), args.seconds), 300))
        print_figures(console, "The wallet", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
