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

Target (the issue): awards ≤ 60 s on 2 cores; launch p95 ≤ 150 ms. The script reports, it
does not judge; it always exits 0.

    .venv/bin/python bench/lti.py [--learners 5000] [--launches 200]
                                  [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console
from sqlalchemy import func, select

from measure import latency_row, machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from credstack.adapters.db.tables import IssuedCredentialRow
from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services import lti
from credstack.services.background.lti import LTI
from credstack.settings import Settings
from tests.accounts import add_user, provider_store, store_session
from tests.conftest import at_own_url, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.lti_platform import TestPlatform, course_of

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


def run(database: str, learners: int, launches: int) -> list[dict[str, str]]:
    rows = []
    os.environ["CREDSTACK_ALLOW_LOOPBACK_FETCH"] = "1"
    with scratch_store(database) as empty:
        secret = new_master_key_text()
        settings, port = at_own_url(dataclasses.replace(empty, secret_key=secret))
        provider_store(settings, secret=secret, now=dt.datetime.now(dt.UTC))
        add_user(settings, ADMIN, roles=[("hokuto-tech", "provider-admin")])
        for live in serve(settings, port=port):
            platform = TestPlatform(settings.public_url, course_of(learners))
            _course(platform)
            with platform.serving(), httpx.Client(timeout=60) as browser:
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
                # The link's first launch (it learns its resource link id and services from
                # it) starts the awards job in the server's worker: timed until every
                # passing learner holds a credential.
                began, cpu = time.perf_counter(), time.process_time()
                platform.launch(browser, user="teacher-1")
                deadline = time.monotonic() + 600
                while _issued(settings, link) < passing and time.monotonic() < deadline:
                    time.sleep(0.2)
                rows.append(_row("awards job (on launch: issues)", database, learners,
                                 passing, time.perf_counter() - began,
                                 time.process_time() - cpu))
                with open_runtime(settings=settings) as runtime:
                    began, cpu = time.perf_counter(), time.process_time()
                    done = lti.sync(runtime, actor=LTI, link=link)
                    rows.append(_row("awards again (reads, issues none)", database,
                                     done.learners, done.issued, time.perf_counter() - began,
                                     time.process_time() - cpu))
                samples = []
                for number in range(launches):
                    action, fields = platform.launch_form(
                        browser, user=f"learner-{number % learners:05d}")
                    began = time.perf_counter()
                    answer = browser.post(action, data=fields)
                    samples.append((time.perf_counter() - began) * 1000)
                    assert answer.status_code == 200, answer.text[:500]
                admin.close()
                launch = latency_row(samples, target_ms=150)
                rows.append({"case": "launch (POST /lti/launch)", "database": database,
                             "learners": f"{learners:,}", "issued": "",
                             "wall s": f"p50 {launch['p50 ms']} ms",
                             "CPU s (this process)": f"p95 {launch['p95 ms']} ms "
                                                     f"({launch['target']})"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--launches", type=int, default=200)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    options = parser.parse_args()
    console = Console()
    console.print(machine())
    rows = run(options.database, options.learners, options.launches)
    print_figures(console, "LTI: a course's awards and launches (targets: awards ≤ 60 s, "
                           "launch p95 ≤ 150 ms)", rows)


if __name__ == "__main__":
    main()
