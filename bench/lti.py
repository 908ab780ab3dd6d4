"""credstack as an LTI 1.3 tool at a large course's size (issue 43).

A course of ``--learners`` learners (5,000) in a real LTI platform (the PyPI package
``lti1p3platform``, served on loopback by :mod:`tests.lti_platform`) with one graded line
item, 80 % of the learners passing; credstack's real application served beside it on an
empty store (SQLite, or ``--database postgresql``), registered with the platform and a course
link made by the instructor's deep linking over HTTP. Then:

1. **awards**: the link's first launch starts the ``lti.awards`` job in the server's worker:
   the roster (NRPS, pages of 1,000) and the line item's results (AGS) read with the
   platform's access token, every learner decided, every passing learner issued
   (eddsa-rdfc-2022) — wall time until the last credential is stored, and the CPU time of
   this process (which runs credstack's server, its worker and the platform); then
   :func:`credstack.services.lti.sync` once more, which issues nothing twice (what a run
   that only reads costs).
2. **launch**: ``--launches`` learners' launches (200): the platform's login round each time,
   and only credstack's answer to the posted id_token timed (verifying it against the
   platform's key set, the single-use state, the course link, the progress page).
3. **launch rounds at once**: the in-process server stopped (once its jobs are done), the
   same store served by ``credstack serve`` (with its worker), the platform forked into a
   process of its own, and
   ``--concurrency`` browsers (10) launching ``--launches`` times in all (after ten rounds each
   to warm up), against ``--serve-workers`` web processes (2), each round whole:
   the platform's login initiation, credstack's OIDC login (its redirect), the platform's
   authorization (the id_token signed), the id_token posted to credstack, its page. Timed
   per round, and credstack's share of it (its two answers). The platform and the browsers
   run in a process each, the browsers in this one; the machine's load is printed before and
   after.

Target (the issue): awards ≤ 60 s on 2 cores; launch p95 ≤ 150 ms. The script reports, it
does not judge; it always exits 0.

    .venv/bin/python bench/lti.py [--learners 5000] [--launches 200] [--concurrency 10]
                                  [--serve-workers 2] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import multiprocessing
import multiprocessing.process
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
from rich.console import Console
from sqlalchemy import Engine, event, func, select

from measure import credstack_serve, free_port, latency_row, machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from credstack.adapters.db.tables import IssuedCredentialRow, JobRow
from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services import lti
from credstack.services.background.lti import LTI
from credstack.settings import Settings
from tests.accounts import add_user, provider_store, store_session
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.lti_platform import FORM_ACTION, FORM_FIELD, TestPlatform, course_of

ADMIN = "admin@hokuto.example"


def _course(platform: TestPlatform) -> None:
    final = f"{platform.url}/lineitems/1"
    platform.course.line_items = {final: {"id": final, "label": "Final exam", "tag": "final",
                                          "scoreMaximum": 100}}
    learners = [member.user_id for member in platform.course.members[1:]]
    platform.course.results = {final: {user: 80.0 if number % 5 else 40.0
                                       for number, user in enumerate(learners)}}


def _issued(settings: Settings, link: str) -> int:
    with store_session(settings) as session:
        return session.scalar(select(func.count()).select_from(IssuedCredentialRow).where(
            IssuedCredentialRow.batch == lti.batch_of(link))) or 0


def _row(case: str, database: str, learners: int, issued: int, wall: float, cpu: float
         ) -> dict[str, str]:
    return {"case": case, "database": database, "learners": f"{learners:,}",
            "issued": f"{issued:,}", "wall s": f"{wall:.1f}",
            "CPU s (this process)": f"{cpu:.1f}"}


def _jobs_done(settings: Settings, seconds: float = 600) -> None:
    """Wait until no job is waiting or running (at most ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with store_session(settings) as session:
            if not session.scalar(select(func.count()).select_from(JobRow).where(
                    JobRow.state.in_(("queued", "running", "retrying")))):
                return
        time.sleep(0.5)


class _Statements:
    """The statements and commits credstack's request threads send the store while counting
    (the server's requests run on AnyIO's worker threads; its job worker's do not count)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.on = False

    def _counted(self) -> bool:
        return self.on and threading.current_thread().name.startswith("AnyIO worker")

    def statement(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        if self._counted():
            self.counts[statement.lstrip().split(None, 1)[0].upper()] += 1

    def commit(self, _conn: object) -> None:
        if self._counted():
            self.counts["COMMIT"] += 1

    @contextmanager
    def listening(self) -> Iterator[_Statements]:
        event.listen(Engine, "before_cursor_execute", self.statement)
        event.listen(Engine, "commit", self.commit)
        try:
            yield self
        finally:
            event.remove(Engine, "before_cursor_execute", self.statement)
            event.remove(Engine, "commit", self.commit)

    @contextmanager
    def counting(self) -> Iterator[Counter[str]]:
        """The counts of the block's statements."""
        self.counts = Counter()
        self.on = True
        try:
            yield self.counts
        finally:
            self.on = False


KINDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "COMMIT")


def _timed(statements: _Statements, figures: dict[str, list[float]], step: str,
           send: Callable[[], httpx.Response]) -> httpx.Response:
    """``send``'s answer, its CPU time and statements added to ``figures`` under ``step``."""
    cpu = time.process_time()
    with statements.counting() as counts:
        answer = send()
    figures.setdefault(f"{step} CPU ms", []).append((time.process_time() - cpu) * 1000)
    for kind in KINDS:
        figures.setdefault(f"{step} {kind}", []).append(counts[kind])
    return answer


def _counted_launches(settings: Settings, platform: TestPlatform, browser: httpx.Client,
                      database: str, learners: int, rounds: int) -> list[dict[str, str]]:
    """``rounds`` launches one at a time, each counted apart: credstack's login answer and
    its launch answer, their statements (by kind), commits and this process's CPU time (the
    platform is idle while credstack answers); the median of each, then the same for a
    repeat launch (the same learner again)."""
    rows = []
    statements = _Statements()
    with statements.listening():
        for case, users in (("first launch", [f"learner-{learners - 1 - n % learners:05d}"
                                              for n in range(rounds)]),
                            ("repeat launch", ["learner-00007"] * rounds)):
            figures: dict[str, list[float]] = {}
            for user in users:
                started = browser.get(f"{platform.url}/start", params={"user": user})
                login = _timed(statements, figures, "login", functools.partial(
                    browser.get, started.headers["location"]))
                assert login.status_code == 302, login.text[:500]
                form = browser.get(login.headers["location"])
                action = FORM_ACTION.search(form.text)
                assert action is not None, form.text[:500]
                page = _timed(statements, figures, "launch", functools.partial(
                    browser.post, action.group(1), data=dict(FORM_FIELD.findall(form.text)),
                    headers={"Origin": platform.url}))
                assert page.status_code == 200, page.text[:500]
            median = {name: sorted(values)[len(values) // 2] for name, values in figures.items()}
            for step in ("login", "launch"):
                rows.append({
                    "case": f"{case}: {step} (median of {rounds})", "database": database,
                    "learners": f"{learners:,}", "issued": "",
                    "wall s": f"CPU {median[f'{step} CPU ms']:.1f} ms",
                    "CPU s (this process)": " ".join(
                        f"{kind.lower()} {median[f'{step} {kind}']:.0f}"
                        for kind in KINDS)})
    return rows


def _round(browser: httpx.Client, platform: TestPlatform, user: str) -> tuple[float, float]:
    """One learner's whole launch, as a browser makes it: (the round's ms, credstack's)."""
    began = time.perf_counter()
    started = browser.get(f"{platform.url}/start", params={"user": user})
    login_url = started.headers["location"]
    asked = time.perf_counter()
    login = browser.get(login_url)
    answered = time.perf_counter()
    assert login.status_code == 302, login.text[:500]
    form = browser.get(login.headers["location"])
    action = FORM_ACTION.search(form.text)
    assert action is not None, form.text[:500]
    fields = dict(FORM_FIELD.findall(form.text))
    posted = time.perf_counter()
    page = browser.post(action.group(1), data=fields, headers={"Origin": platform.url})
    done = time.perf_counter()
    assert page.status_code == 200, page.text[:500]
    return (done - began) * 1000, ((answered - asked) + (done - posted)) * 1000


def _serve_platform(platform: TestPlatform) -> None:
    with platform.serving():
        threading.Event().wait()


@contextmanager
def _running(lms: multiprocessing.process.BaseProcess, platform: TestPlatform
             ) -> Iterator[None]:
    """Until the block ends: the platform's process, once it answers."""
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{platform.url}/jwks", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the platform's process did not start"
            time.sleep(0.2)
        yield
    finally:
        lms.terminate()
        lms.join(timeout=30)


def _rounds_at_once(settings: Settings, platform: TestPlatform, learners: int, launches: int,
                    concurrency: int, workers: int) -> tuple[list[tuple[float, float]], float]:
    """``launches`` rounds by ``concurrency`` browsers against ``credstack serve --workers
    workers``; the rounds' times and how many were made a second."""
    port = free_port()
    public = f"http://localhost:{port}"
    environment = {"CREDSTACK_DATABASE_URL": settings.database_url,
                   "CREDSTACK_DATA_DIR": str(settings.data_dir),
                   "CREDSTACK_SECRET_KEY": settings.secret_key or "",
                   "CREDSTACK_PUBLIC_URL": public, "CREDSTACK_ALLOW_LOOPBACK_FETCH": "1"}
    # The platform's registration of the tool follows its address (the tool's own
    # registration of the platform, and the course link, are in the store); the platform is
    # served by a process of its own (a fork: its course, keys and content items as they
    # are), so that its signing does not share this process's interpreter with the browsers.
    platform.tool_url = public
    lms = multiprocessing.get_context("fork").Process(target=_serve_platform, args=(platform,),
                                                      daemon=True)
    lms.start()
    with credstack_serve(environment, ready="/lti/jwks", port=port,
                         arguments=["--workers", str(workers)]), _running(lms, platform):
        numbers = iter(range(launches + 10 * concurrency))
        lock = threading.Lock()
        samples: list[tuple[float, float]] = []

        def browse(_: int) -> None:
            # Idle connections are dropped before uvicorn's keep-alive (5 s) closes them: a
            # request sent on one it is closing fails ("server disconnected").
            with httpx.Client(timeout=60, limits=httpx.Limits(keepalive_expiry=2)) as browser:
                while True:
                    with lock:
                        number = next(numbers, None)
                    if number is None:
                        return
                    timed = _round(browser, platform, f"learner-{number % learners:05d}")
                    if number >= 10 * concurrency:  # the first ten a browser: warming up
                        with lock:
                            samples.append(timed)

        began = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(browse, range(concurrency)))
        rate = (launches + 10 * concurrency) / (time.perf_counter() - began)
    return samples, rate


def run(database: str, learners: int, launches: int, concurrency: int, workers: int
        ) -> list[dict[str, str]]:
    rows = []
    os.environ["CREDSTACK_ALLOW_LOOPBACK_FETCH"] = "1"
    with scratch_store(database) as empty:
        secret = new_master_key_text()
        settings, port = at_own_url(dataclasses.replace(empty, secret_key=secret))
        provider_store(settings, secret=secret, now=dt.datetime.now(dt.UTC))
        add_user(settings, ADMIN, roles=[("hokuto-tech", "provider-admin")])
        platform = TestPlatform(settings.public_url, course_of(learners))
        _course(platform)
        with platform.serving():
            for live in serve(settings, port=port):
                with httpx.Client(timeout=60) as browser:
                    rows.extend(_in_process(settings, live, platform, browser, database,
                                            learners, launches))
                # The in-process server's jobs (a launch's awards run) end before it stops.
                _jobs_done(settings)
        if concurrency:
            samples, rate = _rounds_at_once(settings, platform, learners, launches,
                                            concurrency, workers)
            for case, index in (("launch round, whole (login → id_token → page)", 0),
                                ("launch round, credstack's two answers", 1)):
                timed = latency_row([sample[index] for sample in samples], target_ms=150)
                rows.append({"case": f"{case}, {concurrency} at once, {workers} web "
                                     f"process(es), {rate:.0f} rounds/s",
                             "database": database,
                             "learners": f"{learners:,}", "issued": "",
                             "wall s": f"p50 {timed['p50 ms']} ms",
                             "CPU s (this process)": f"p95 {timed['p95 ms']} ms "
                                                     f"({timed['target']}; "
                                                     f"{timed['calls']} rounds)"})
    return rows


def _in_process(settings: Settings, live: LiveServer, platform: TestPlatform,
                browser: httpx.Client, database: str, learners: int, launches: int
                ) -> list[dict[str, str]]:
    """The awards and the one-at-a-time launches, against the server in this process."""
    rows = []
    admin = FormBrowser(live, ADMIN)
    admin.post("/workspace/hokuto-tech/lti", {
        "name": "LMS", "issuer": platform.url, "client_id": platform.client_id,
        "login_url": f"{platform.url}/authorize",
        "token_url": f"{platform.url}/token", "jwks_url": f"{platform.url}/jwks",
        "deployments": platform.deployment})
    link = platform.deep_link(browser, line_item="final")
    scores = next(iter(platform.course.results.values()))
    # The learner the LMS gives no e-mail address for passes and is not issued.
    passing = sum(1 for member in platform.course.members
                  if member.email and scores.get(member.user_id, 0) >= 60)
    # The link's first launch (it learns its resource link id and services from it) starts
    # the awards job in the server's worker: timed until every passing learner holds a
    # credential.
    began, cpu = time.perf_counter(), time.process_time()
    platform.launch(browser, user="teacher-1")
    deadline = time.monotonic() + 600
    while _issued(settings, link) < passing and time.monotonic() < deadline:
        time.sleep(0.2)
    rows.append(_row("awards job (on launch: issues)", database, learners, passing,
                     time.perf_counter() - began, time.process_time() - cpu))
    # The job holds the link until it has noted every learner's credential: a run before
    # then would find the link held and read nothing.
    _jobs_done(settings)
    with open_runtime(settings=settings) as runtime:
        began, cpu = time.perf_counter(), time.process_time()
        done = lti.sync(runtime, actor=LTI, link=link)
        rows.append(_row("awards again (reads, issues none)"
                         + (" — skipped: the link was held" if done.skipped else ""),
                         database, done.learners, done.issued, time.perf_counter() - began,
                         time.process_time() - cpu))
    samples = []
    for number in range(launches):
        action, fields = platform.launch_form(browser, user=f"learner-{number % learners:05d}")
        began = time.perf_counter()
        answer = browser.post(action, data=fields)
        samples.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, answer.text[:500]
    admin.close()
    rows.extend(_counted_launches(settings, platform, browser, database, learners, rounds=30))
    launch = latency_row(samples, target_ms=150)
    rows.append({"case": "launch (POST /lti/launch)", "database": database,
                 "learners": f"{learners:,}", "issued": "",
                 "wall s": f"p50 {launch['p50 ms']} ms",
                 "CPU s (this process)": f"p95 {launch['p95 ms']} ms ({launch['target']})"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--launches", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=10,
                        help="browsers launching at once against credstack serve (0: none)")
    parser.add_argument("--serve-workers", type=int, default=2,
                        help="credstack serve's web processes (about one per core)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    options = parser.parse_args()
    console = Console()
    console.print(machine())
    rows = run(options.database, options.learners, options.launches, options.concurrency,
               options.serve_workers)
    console.print(f"after: {machine()}")
    print_figures(console, "LTI: a course's awards and launches (targets: awards ≤ 60 s, "
                           "launch p95 ≤ 150 ms)", rows)


if __name__ == "__main__":
    main()
