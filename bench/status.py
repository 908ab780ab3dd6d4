#!/usr/bin/env python3
"""Benchmark: Bitstring Status List v1.0 at cohort scale.

    .venv/bin/python bench/status.py [--count 100000] [--seed 0] [--repeat 5]

Steps, each timed on its own (best of ``--repeat`` runs, one core):

1. allocate ``--count`` random indexes in an empty 131,072-entry list (``next_free_indexes``);
2. set those entries one by one through the builder, and in one ``set_many`` call;
3. ``encode()`` the list (GZIP + base64url) and build the unsigned status list credential;
4. ``StatusList.decode()`` it back (expansion, with the bomb limit);
5. check ``--count`` statuses with ``check_status``: entries given as JSON objects against a
   list credential parsed once (the verifier's cached path), and the same with pre-parsed
   entries; then a smaller sample where every check also parses the list credential afresh
   (what a verifier without a cache pays per check);
6. refuse a GZIP bomb (100 MB of zeros).

Nothing is tuned for the benchmark. The script always exits 0; it reports, it does not judge.
"""

from __future__ import annotations

import argparse
import base64
import platform
import random
import sys
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from rich.console import Console
from rich.table import Table

from credstack.core.status import (
    MINIMUM_ENTRIES,
    StatusEntry,
    StatusList,
    StatusListCredential,
    check_status,
    entry_for,
    next_free_indexes,
    status_list_credential,
)
from credstack.errors import StatusListError

console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
LIST_URL = "https://credstack.example/status/revocation/1"
ISSUER = "did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r"


def best_of(repeat: int, step: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs of ``step``, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    count, repeat = arguments.count, arguments.repeat
    rows: list[tuple[str, float, int, str]] = []

    def record(name: str, seconds: float, items: int, note: str = "") -> None:
        rows.append((name, seconds, items, note))

    seconds, allocation = best_of(repeat, lambda: next_free_indexes(
        set(), count=count, rng=random.Random(arguments.seed)))
    indexes: tuple[int, ...] = allocation.indexes
    record("allocate random indexes", seconds, len(indexes),
           f"shortfall {allocation.shortfall:,}, free {allocation.free:,}")
    revoked = indexes[: len(indexes) // 10]

    def one_by_one() -> StatusList:
        builder = StatusList.empty().builder()
        for index in indexes:
            builder.set(index)
        return builder.build()

    seconds, _ = best_of(repeat, one_by_one)
    record("set entries one by one (builder.set)", seconds, len(indexes))

    def bulk() -> StatusList:
        builder = StatusList.empty().builder()
        builder.set_many(indexes)
        return builder.build()

    seconds, full = best_of(repeat, bulk)
    record("set entries in bulk (builder.set_many)", seconds, len(indexes))
    seconds, _ = best_of(repeat, lambda: StatusList.empty().with_status(indexes[0]))
    record("immutable with_status (one 16 KB copy)", seconds, 1)

    status_list = StatusList.empty().with_statuses(revoked)
    for label, subject in (("10% set", status_list), ("all allocated set", full)):
        seconds, encoded = best_of(repeat, subject.encode)
        record(f"encode ({label})", seconds, 1, f"encodedList {len(encoded):,} chars")
        seconds, decoded = best_of(repeat, partial(StatusList.decode, encoded))
        assert decoded == subject
        record(f"decode ({label})", seconds, 1)

    valid_from = datetime(2025, 6, 1, tzinfo=UTC)
    seconds, document = best_of(repeat, lambda: status_list_credential(
        status_list, url=LIST_URL, issuer=ISSUER, valid_from=valid_from))
    record("build status list credential (unsigned)", seconds, 1)
    seconds, parsed = best_of(repeat, lambda: StatusListCredential.parse(document))
    record("parse status list credential", seconds, 1)

    entries = [entry_for(i, list_url=LIST_URL, purpose="revocation") for i in indexes]
    seconds, _ = best_of(repeat, lambda: [StatusEntry.parse(e) for e in entries])
    record("parse entries", seconds, len(entries))

    def check_all() -> int:
        return sum(check_status(entry, parsed).revoked for entry in entries)

    seconds, revoked_count = best_of(repeat, check_all)
    assert revoked_count == len(revoked)
    record("check_status, JSON entry, cached list", seconds, len(entries),
           f"{revoked_count:,} revoked")
    ready = [StatusEntry.parse(e) for e in entries]
    seconds, _ = best_of(repeat, lambda: [check_status(e, parsed) for e in ready])
    record("check_status, parsed entry, cached list", seconds, len(ready))
    sample = entries[:2_000]
    seconds, _ = best_of(repeat, lambda: [check_status(e, document) for e in sample])
    record("check_status, list parsed every time", seconds, len(sample))

    deflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    bomb = b"".join([deflater.compress(zeros) for _ in range(100)] + [deflater.flush()])
    bomb_list = "u" + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()

    def refuse_bomb() -> str:
        try:
            StatusList.decode(bomb_list)
        except StatusListError as exc:
            return exc.problems[0].message
        raise AssertionError("the bomb was accepted")

    seconds, _ = best_of(repeat, refuse_bomb)
    record("refuse a GZIP bomb (100 MB of zeros)", seconds, 1, f"{len(bomb_list):,} chars in")

    table = Table(title=f"credstack Bitstring Status List benchmark — {count:,} entries in a "
                        f"{MINIMUM_ENTRIES:,}-entry list")
    table.add_column("step")
    table.add_column("time", justify="right")
    table.add_column("items", justify="right")
    table.add_column("per second", justify="right")
    table.add_column("note")
    for name, seconds, items, note in rows:
        rate = f"{items / seconds:,.0f}" if items > 1 else ""
        table.add_row(name, f"{seconds * 1000:,.2f} ms", f"{items:,}", rate, note)
    console.print(table)
    console.print(f"Python {platform.python_version()} ({platform.machine()}), "
                  f"zlib {zlib.ZLIB_RUNTIME_VERSION}; best of {repeat} runs, one core.")


if __name__ == "__main__":
    main()
