"""The service under load: search, a programme page, verify, issue and a status list, at
concurrency 20 and 100, against 1, 2 and 4 server processes, on SQLite and PostgreSQL.

For each database, a scratch store gets the demo organisations, programmes and issuer keys
and an operator's API client. Then ``--servers`` processes of credstack's real application
(uvicorn, one listening socket shared, as ``credstack serve --workers`` and a process manager
run them) answer `wrk <https://github.com/wg/wrk>`_ — Debian's ``wrk`` package: a C client,
so the load generator takes as little of the two cores as it can. Each endpoint is loaded for
``--seconds`` at each concurrency, after ``--warm`` seconds of the same load not counted (a
process's first answers compile templates, load contexts and fill caches: what a server
does once, not what it does under load); printed per run: requests per second, errors (non-2xx
answers, socket errors and timeouts), p50/p95/p99 latency, the servers' CPU time per request
(user and system, summed over the processes: the figure to compare on a busy machine) and
their resident memory (peak and after the run, summed over the processes).

The endpoints: ``GET /api/search`` (six queries in turn: Japanese and English words, a
facet, an empty query), ``GET /programmes/{id}`` (the HTML page), ``POST /credentials/verify``
(an ``eddsa-jcs-2022`` credential issued by the store, its status list read from the store;
``verify-rdfc`` the same with an ``eddsa-rdfc-2022`` one), ``POST /credentials/issue``
(``eddsa-jcs-2022``, each request a new credential with its status entries) and ``GET`` of
that credential's revocation status list. Beside each figure, the engine's rate in this
process and one thread on the same store in the same run (a search of the index, a
verification as the route makes it, a signed status list written out), so that the share
the server delivers is visible.

``--soak SECONDS`` then loads search, a programme page, verify and a status list together
(the largest ``--concurrency`` shared between them) for that long (600: the issue's
ten-minute soak) and prints each minute every load's rate and p50/p95/p99, the servers'
memory and the load average: flat means the last minute's memory is within 5 % of the
first's.

Targets (issue 40, 2 servers, concurrency 20, 2 cores): ``GET /programmes/{id}`` ≥ 1,500
requests/s with p95 ≤ 30 ms; ``POST /credentials/verify`` ≥ 1,500/s (JCS) and ≥ 800/s
(rdfc) with p95 ≤ 50 ms; ``/api/search`` ≥ 2,000/s; status lists ≥ 3,000/s; 0 errors; memory
flat over the soak. Issue 52: ``POST /credentials/issue`` ≥ 1,000/s with p95 ≤ 50 ms.
Bounded and loopback only: every run stops by itself after ``--seconds``.

    .venv/bin/python bench/load.py [--database sqlite,postgresql] [--servers 1,2,4]
        [--concurrency 20,100] [--endpoints search,programme,verify,verify-rdfc,issue,status]
        [--seconds 10] [--warm 2] [--soak 0]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
from rich.console import Console

from measure import machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import uvicorn

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.policy import PLATFORM, Membership, Role, usable_scopes
from credstack.core.registry.query import SearchQuery
from credstack.demo.programmes import load_demo_programmes
from credstack.entrypoints.bootstrap import build_runtime, engine_of, open_runtime
from credstack.entrypoints.web.app import create_app
from credstack.entrypoints.web.coalescing import CoalescingProtocol
from credstack.services.formats import verify_any
from credstack.services.issuance import credentials
from credstack.services.registry import service as registry_service
from credstack.services.verification.caches import CachedSources
from credstack.settings import Settings
from tests.accounts import add_user, api_client, bearer_token

ISSUER = "hokuto-tech"
OPERATOR = "operator@example.org"
ENDPOINTS = ("search", "programme", "verify", "verify-rdfc", "issue", "status")
SEARCHES = ("/api/search?q=%E3%83%87%E3%83%BC%E3%82%BF", "/api/search?q=data",
            "/api/search?q=AI&language=en", "/api/search?q=%E7%9C%8B%E8%AD%B7",
            "/api/search?field=information-technology", "/api/search")
#: wrk's summary as one JSON line, from its ``done`` hook (latencies in microseconds).
DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests":%d,"seconds":%f,"connect":%d,"read":%d,"write":%d,"status":%d,'
    .. '"timeout":%d,"p50":%d,"p95":%d,"p99":%d}\\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclasses.dataclass(frozen=True)
class Target:
    """What is asked of the service: ``path``s in turn, with a method, body and headers."""

    paths: tuple[str, ...]
    method: str = "GET"
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()

    def script(self) -> str:
        """wrk's Lua script for this target."""
        lines = [f"wrk.method = {json.dumps(self.method)}"]
        if self.body is not None:
            lines.append(f"wrk.body = {_lua_string(self.body)}")
        lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}"
                  for name, value in self.headers]
        paths = ", ".join(json.dumps(path) for path in self.paths)
        lines += [f"local paths = {{{paths}}}", "local turn = 0",
                  "request = function()", "  turn = turn % #paths + 1",
                  "  return wrk.format(nil, paths[turn])", "end"]
        return "\n".join(lines) + DONE


def _lua_string(text: str) -> str:
    """``text`` as a Lua long string (a JSON body holds quotes and backslashes)."""
    level = "=" * 4
    return f"[{level}[{text}]{level}]"


def _serve(settings: Settings, sock: socket.socket) -> None:
    """One server process on the shared socket (forked: it builds its own app)."""
    app = create_app(settings, run_jobs=False, freeze_heap=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", backlog=2048,
                                  http=CoalescingProtocol, access_log=False)).run(sockets=[sock])


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user and system), in seconds (0 once it is gone)."""
    try:
        # The fields after the command's name (which may hold spaces) end its parenthesis.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss(pid: int) -> int:
    """A process's resident set now, in bytes (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemoryWatch:
    """The servers' summed resident memory, sampled every half second while it runs, and
    the CPU time they spent meanwhile (on a machine shared with other work, CPU time per
    request is the figure that does not move with the others' load)."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak = 0
        self.cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def now(self) -> int:
        return sum(_rss(pid) for pid in self.pids)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self.peak = max(self.peak, self.now())

    def cpu_now(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def __enter__(self) -> MemoryWatch:
        self.peak = self.now()
        self.cpu = -self.cpu_now()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu += self.cpu_now()
        self._stop.set()
        self._thread.join()


@dataclasses.dataclass
class Prepared:
    """A store ready to be loaded: its settings, the socket the servers share, a bearer
    token of the operator, and what the targets need (a programme, a credential)."""

    settings: Settings
    sock: socket.socket
    base: str
    programme: int
    token: str = ""
    credential: dict[str, object] = dataclasses.field(default_factory=dict)
    rdfc_credential: dict[str, object] = dataclasses.field(default_factory=dict)
    status_path: str = ""


@contextmanager
def prepared(database: str) -> Iterator[Prepared]:
    """A scratch ``database`` store holding the demo data and the operator's API client."""
    with scratch_store(database) as store:
        # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
        # without it every keep-alive answer after the first waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        sock.listen(2048)
        port = sock.getsockname()[1]
        # did:web names no IP address: the issuer is localhost, reached on 127.0.0.1.
        settings = dataclasses.replace(store, public_url=f"http://localhost:{port}",
                                       secret_key=new_master_key_text(),
                                       default_issuer=ISSUER)
        with open_runtime(settings=settings) as runtime:
            load_demo_programmes(runtime, only_if_empty=True)
        add_user(settings, OPERATOR, roles=[(None, "registry-admin")])
        client = api_client(settings, OPERATOR,
                            sorted(usable_scopes([Membership(PLATFORM, Role.REGISTRY_ADMIN)])))
        try:
            yield Prepared(settings, sock, f"http://127.0.0.1:{port}", programme=1,
                           token=json.dumps(client))
        finally:
            sock.close()


def first_answers(prepared_store: Prepared) -> None:
    """Once the servers answer: the operator's token, a credential to verify and its list."""
    client_id, secret = json.loads(prepared_store.token)
    token = bearer_token(prepared_store.base, client_id, secret)
    prepared_store.token = token
    issued = [httpx.post(f"{prepared_store.base}/credentials/issue", timeout=30,
                         headers={"Authorization": f"Bearer {token}"},
                         json=_issue_request(suite))
              for suite in ("eddsa-jcs-2022", "eddsa-rdfc-2022")]
    for response in issued:
        response.raise_for_status()
    credential = issued[0].json()["verifiableCredential"]
    prepared_store.credential = credential
    prepared_store.rdfc_credential = issued[1].json()["verifiableCredential"]
    entry = credential["credentialStatus"]
    url = httpx.URL((entry[0] if isinstance(entry, list) else entry)["statusListCredential"])
    prepared_store.status_path = url.path
    programmes = httpx.get(f"{prepared_store.base}/api/programmes", timeout=30).json()
    prepared_store.programme = programmes["items"][0]["id"]


def _issue_request(suite: str = "eddsa-jcs-2022") -> dict[str, object]:
    return {"credential": {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "データ分析入門 / Introduction to data analysis",
        "credentialSubject": {
            "type": ["AchievementSubject"], "id": "did:example:learner",
            "achievement": {"id": "urn:example:achievement:1", "type": ["Achievement"],
                            "name": "データ分析入門", "description": "Introduction",
                            "criteria": {"narrative": "Passed the final assessment."}}}},
        "options": {"cryptosuite": suite, "credentialStatus": {
            "type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}}


def targets(store: Prepared) -> dict[str, Target]:
    json_headers = (("Content-Type", "application/json"),)
    return {
        "search": Target(SEARCHES),
        "programme": Target((f"/programmes/{store.programme}",),
                            headers=(("Accept", "text/html"),)),
        "verify": Target(("/credentials/verify",), "POST",
                         json.dumps({"verifiableCredential": store.credential}),
                         json_headers),
        "verify-rdfc": Target(("/credentials/verify",), "POST",
                              json.dumps({"verifiableCredential": store.rdfc_credential}),
                              json_headers),
        "issue": Target(("/credentials/issue",), "POST", json.dumps(_issue_request()),
                        (*json_headers, ("Authorization", f"Bearer {store.token}"))),
        "status": Target((store.status_path,)),
    }


def _wrk(base: str, target: Target, *, concurrency: int, seconds: float,
         folder: Path) -> dict[str, float]:
    script = folder / "target.lua"
    script.write_text(target.script())
    ran = subprocess.run(
        ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds:g}s", "--timeout", "10s",
         "-s", str(script), base], capture_output=True, text=True, check=True,
        timeout=seconds + 60)
    summary: dict[str, float] = json.loads(ran.stdout.strip().splitlines()[-1])
    return summary


def wait_until_up(base: str, servers: Sequence[multiprocessing.process.BaseProcess]) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/api/search", timeout=5).is_success:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or any(not s.is_alive() for s in servers):
            raise RuntimeError("the servers did not start")
        time.sleep(0.2)


@contextmanager
def running(store: Prepared, count: int) -> Iterator[list[int]]:
    """``count`` server processes on the store's socket; their pids."""
    context = multiprocessing.get_context("fork")
    servers = [context.Process(target=_serve, args=(store.settings, store.sock), daemon=True)
               for _ in range(count)]
    for process in servers:
        process.start()
    try:
        wait_until_up(store.base, servers)
        yield [process.pid or 0 for process in servers]
    finally:
        for process in servers:
            process.terminate()
            process.join(timeout=30)


#: Issue 40's targets (and issue 52's for issuing) with two servers at concurrency 20:
#: requests/s, p95 ms.
TARGETS = {"search": (2000, None), "programme": (1500, 30), "verify": (1500, 50),
           "verify-rdfc": (800, 50), "status": (3000, None), "issue": (1000, 50)}
#: How long each in-process rate is measured, in seconds.
IN_PROCESS_SECONDS = 3.0


def _rate(call: Callable[[], object], seconds: float = IN_PROCESS_SECONDS) -> float:
    """Calls of ``call`` a second in this process, one thread."""
    call()
    done = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        call()
        done += 1
    return done / (time.perf_counter() - began)


def in_process_rates(store: Prepared) -> dict[str, float]:
    """What the engine does in one process and thread, without HTTP, on the same store:
    a search of the index, a verification as the route makes it (the same sources and
    caches), a signed status list read and written out."""
    runtime = build_runtime(store.settings, with_registry=True)
    try:
        registry = runtime.registry
        assert registry is not None
        registry.refresh()
        queries = [SearchQuery(text=text) for text in ("データ", "data", "AI", "看護", "")]
        turn = iter(range(10**12))
        organisation, number, purpose = store.status_path.split("/")[2:5]

        def verify(credential: dict[str, object]) -> Callable[[], object]:
            return lambda: verify_any(credential, now=runtime.now(),
                                      sources=CachedSources(runtime),
                                      settings=runtime.settings, sessions=runtime.sessions)

        rates = {
            "search": _rate(lambda: registry_service.search(
                runtime, query=queries[next(turn) % len(queries)])),
            "verify": _rate(verify(store.credential)),
            "verify-rdfc": _rate(verify(store.rdfc_credential)),
            "status": _rate(lambda: json.dumps(credentials.signed_status_list(
                runtime, organisation=organisation, number=int(number), purpose=purpose),
                ensure_ascii=False)),
        }
        registry.stop()
        return rates
    finally:
        engine_of(runtime).dispose()


def _row(database: str, servers: int, endpoint: str, concurrency: int,
         summary: dict[str, float], memory: MemoryWatch, after: int,
         in_process: float | None) -> dict[str, str]:
    rate = summary["requests"] / summary["seconds"]
    errors = int(summary["connect"] + summary["read"] + summary["write"] + summary["status"]
                 + summary["timeout"])
    p95 = summary["p95"] / 1000
    wanted = TARGETS.get(endpoint)
    verdict = "-"
    if wanted is not None:
        rate_ok = rate >= wanted[0]
        p95_ok = wanted[1] is None or p95 <= wanted[1]
        verdict = "✓" if rate_ok and p95_ok and errors == 0 else "✗"
    return {"database": database, "servers": str(servers), "endpoint": endpoint,
            "concurrency": str(concurrency), "requests/s": f"{rate:,.0f}",
            "server CPU ms/req": f"{memory.cpu * 1000 / max(summary['requests'], 1):.2f}",
            "in-process/s": "-" if in_process is None else f"{in_process:,.0f}",
            "served share": "-" if not in_process else f"{rate / in_process:.0%}",
            "errors": f"{errors:,} / {int(summary['requests']):,}",
            "p50/p95/p99 ms": (f"{summary['p50'] / 1000:.1f} / {p95:.1f} / "
                               f"{summary['p99'] / 1000:.1f}"),
            "RSS peak/after MiB": f"{memory.peak / 2**20:,.0f} / {after / 2**20:,.0f}",
            "target": verdict, "load": f"{os.getloadavg()[0]:.2f}"}


#: What the soak loads at once, each at a quarter of the concurrency: the mixed load.
SOAK_ENDPOINTS = ("search", "programme", "verify", "status")


def _soak(store: Prepared, pids: list[int], seconds: float, concurrency: int, folder: Path,
          console: Console) -> list[dict[str, str]]:
    """Search, programme pages, verification and a status list at once for ``seconds``;
    per minute each one's rate and p50/p95/p99, the servers' memory and the load average."""
    loads = targets(store)
    rows = []
    watch = MemoryWatch(pids)
    first = watch.now()
    one = 0
    began = time.monotonic()
    minute = 0
    each = max(1, concurrency // len(SOAK_ENDPOINTS))
    while time.monotonic() - began < seconds:
        # Whole seconds: wrk reads no fractions.
        slice_seconds = float(min(60, int(seconds - (time.monotonic() - began))))
        if slice_seconds < 1:
            break
        minute += 1
        done: dict[str, dict[str, float]] = {}

        def load(name: str, slice_seconds: float = slice_seconds,
                 done: dict[str, dict[str, float]] = done) -> None:
            own = folder / name
            own.mkdir(exist_ok=True)
            done[name] = _wrk(store.base, loads[name], concurrency=each,
                              seconds=slice_seconds, folder=own)

        threads = [threading.Thread(target=load, args=(name,)) for name in SOAK_ENDPOINTS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        now = watch.now()
        row = {"minute": str(minute)}
        for name in SOAK_ENDPOINTS:
            summary = done[name]
            errors = int(summary["connect"] + summary["read"] + summary["write"]
                         + summary["status"] + summary["timeout"])
            row[f"{name}/s"] = f"{summary['requests'] / summary['seconds']:,.0f}" + (
                f" ({errors:,} errors)" if errors else "")
            row[f"{name} p50/95/99 ms"] = (f"{summary['p50'] / 1000:.1f} / "
                                           f"{summary['p95'] / 1000:.1f} / "
                                           f"{summary['p99'] / 1000:.1f}")
        one = one or now
        row |= {"RSS MiB": f"{now / 2**20:,.0f}",
                "vs start": f"{(now - first) / max(first, 1) * 100:+.1f} %",
                "vs minute 1": f"{(now - one) / one * 100:+.1f} %",
                "load": f"{os.getloadavg()[0]:.2f}"}
        rows.append(row)
        console.print(rows[-1])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite,postgresql")
    parser.add_argument("--servers", default="1,2,4")
    parser.add_argument("--concurrency", default="20,100")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warm", type=float, default=2)
    parser.add_argument("--soak", type=float, default=0)
    args = parser.parse_args()
    console = Console(width=160)
    if shutil.which("wrk") is None:
        console.print("bench/load.py needs wrk: apt-get install wrk")
        raise SystemExit(2)
    endpoints = [name for name in args.endpoints.split(",") if name]
    unknown = set(endpoints) - set(ENDPOINTS)
    if unknown:
        parser.error(f"unknown endpoints: {', '.join(sorted(unknown))}")
    rows: list[dict[str, str]] = []
    soaked: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for database in args.database.split(","):
            with prepared(database) as store:
                for count in (int(n) for n in args.servers.split(",")):
                    with running(store, count) as pids:
                        if not store.credential:
                            first_answers(store)
                            rates = in_process_rates(store)
                            console.print({"in-process (1 thread)": rates})
                        loads = targets(store)
                        for endpoint in endpoints:
                            for concurrency in (int(n) for n in args.concurrency.split(",")):
                                if args.warm >= 1:
                                    _wrk(store.base, loads[endpoint], concurrency=concurrency,
                                         seconds=int(args.warm), folder=folder)
                                with MemoryWatch(pids) as memory:
                                    summary = _wrk(store.base, loads[endpoint],
                                                   concurrency=concurrency,
                                                   seconds=args.seconds, folder=folder)
                                rows.append(_row(database, count, endpoint, concurrency,
                                                 summary, memory, memory.now(),
                                                 rates.get(endpoint)))
                                console.print(rows[-1])
                        if args.soak and count == max(int(n) for n in args.servers.split(",")):
                            soaked = _soak(store, pids, args.soak,
                                           max(int(n) for n in args.concurrency.split(",")),
                                           folder, console)
    console.print(machine())
    if rows:
        print_figures(console, "Load (issues 20 and 40)", rows)
    if soaked:
        print_figures(console, f"Soak: {', '.join(SOAK_ENDPOINTS)} at once for "
                               f"{args.soak:g} s", soaked)


if __name__ == "__main__":
    main()
