"""Every person's whole journey on the demo, in Chromium (issue 39, "Done when").

One server for the module, started as a user starts it — ``credstack serve --demo`` on a
scratch SQLite store, a real process — and one browser. Each role signs in with its demo
account (listed on the demo's sign-in page), lands on its own work and does it through the
pages' forms: no API call, no set-up in the database. Every page a journey visits is checked
on a phone's screen (390 px) in Japanese and in English: it answers, its headline shows no
internal id, no request it makes fails (images, styles, the favicon), axe-core finds nothing
serious or critical, and it is no wider than the screen.

The journeys run in the order they are written and feed each other, as the people of one
demo would: the visitor and the provider's administrator only read and edit their own; the
committee has the waiting application reviewed and decides it; the issuer issues to a new
learner, who claims the credential through the demo's mailbox; the demo learner shares a
credential and applies for credit transfer; the employer matches a role and opens the
learner's share link; the registrar decides the learner's application and publishes a
target through the form; the platform operator looks after people and jobs. Run one alone
(``-k``) and those after the learner find nothing to decide.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from credstack.demo.recognition import APPLICANT
from tests.conftest import free_port, need_browser
from tests.entrypoints.web.pages.conftest import PHONE, axe_violations, new_tab, shot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Response

pytestmark = pytest.mark.browser

ISSUER = "issuer@demo.example"
EMPLOYER = "employer@demo.example"
OPERATOR = "registry-admin@demo.example"
#: The learner the issuer's journey issues to, who then signs up through the mailbox.
NEWCOMER = "newcomer@example.jp"
#: What a headline must never show: application, user and wallet ids, URNs, DIDs, hashes.
INTERNAL = re.compile(r"urn:uuid:|\bapp_[a-z0-9]{8,}|\buser:\d|\bdid:|\b[0-9a-f]{16,}\b")
#: The demo's organisations' slugs, which a page's headline or breadcrumb names by their names.
SLUGS = re.compile(r"\b(hokuto-tech|mcrc-japan|siliconbridge)\b")


@dataclass
class Demo:
    """The demo server: its address, what it printed when it started, and what one journey
    leaves for the next."""

    url: str
    #: The demo learner's credential, as ``serve --demo`` prints it.
    credential: str
    #: The demo credit-bank target's public id, as printed.
    target: str
    left: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """``credstack serve --demo`` on a scratch SQLite store, on a free port."""
    need_browser()
    folder = tmp_path_factory.mktemp("journeys")
    port = free_port()
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("CREDSTACK_")
    }
    environment |= {
        "CREDSTACK_DATA_DIR": str(folder / "data"),
        "CREDSTACK_DATABASE_URL": "",
        "CREDSTACK_LANG": "en",
    }
    log = folder / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("credstack")),
                "serve",
                "--demo",
                "--port",
                str(port),
            ],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"credstack serve --demo exited:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/api/profiles", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"credstack serve --demo did not answer:\n{log.read_text()}")
            time.sleep(0.3)
        said = " ".join(log.read_text(encoding="utf-8").split())
        credential = re.search(r"holds credential (urn:uuid:[0-9a-f-]+)", said)
        target = re.search(r"target ([0-9a-f]+) published", said)
        assert credential and target, said
        yield Demo(url, credential.group(1), target.group(1))
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class Walk:
    """One person's tab on the demo, on a phone's screen, in ``language``; :meth:`check`
    looks at the page it is on in both languages."""

    def __init__(self, browser: Browser, demo: Demo, language: str, who: str) -> None:
        self.demo = demo
        self.language = language
        self.who = who
        self.tab = new_tab(
            browser, locale="ja-JP" if language == "ja" else "en-GB", **PHONE, base_url=demo.url
        )
        self.failed: list[str] = []
        self.tab.on("response", self._answered)
        self.pages = 0

    def _answered(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.request.method} {response.url}")

    def close(self) -> None:
        self.tab.context.close()

    def sign_in(self, email: str, lands: str) -> None:
        """Through the sign-in form, with no destination: the role's home is ``lands``."""
        self.tab.goto("/sign-in")
        self.tab.locator("#email").fill(email)
        self.tab.locator("#password").fill(DEMO_PASSWORD)
        self.tab.locator(".sign-in-form button[type=submit]").click()
        self.tab.wait_for_url(f"{self.demo.url}{lands}")
        self.check("home")

    def go(self, path: str, name: str) -> None:
        self.tab.goto(path)
        self.check(name)

    def check(self, name: str, *, again: bool = True, shoot: bool = False) -> None:
        """The page the tab is on, as it is and (``again``: it is a GET) reloaded in the
        other language, then back in the walk's own."""
        self.pages += 1
        self._look(f"{name} ({self.language})", shoot=shoot)
        if not again:
            return
        url = self.tab.url.split("#")[0]
        other = "en" if self.language == "ja" else "ja"
        for language in (other, self.language):
            answered = self.tab.goto(_with(url, lang=language))
            assert answered is not None and answered.status < 400, (name, language)
            if language == other:
                self._look(f"{name} ({language})", shoot=shoot)

    def _look(self, name: str, *, shoot: bool) -> None:
        tab = self.tab
        tab.wait_for_load_state()
        assert self.failed == [], f"{self.who}, {name}: {self.failed}"
        headline = " ".join(tab.locator("h1").all_inner_texts())
        assert headline.strip(), f"{self.who}, {name}: no headline"
        assert not INTERNAL.search(headline), f"{self.who}, {name}: {headline!r}"
        heading = " ".join(tab.locator("main .eyebrow").all_inner_texts()) + headline
        assert not SLUGS.search(heading), f"{self.who}, {name}: {heading!r}"
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{self.who}, {name}: {width} px wide"
        found = axe_violations(tab)
        assert found == [], f"{self.who}, {name}: {found}"
        if shoot:
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            shot(tab, f"journey-{slug}")


def _with(url: str, **query: str) -> str:
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in query]
    return urlunsplit(parts._replace(query=urlencode([*kept, *query.items()])))


@pytest.fixture
def walks(browser: Browser, demo: Demo) -> Iterator[list[Walk]]:
    """The walks a test opens (closed after it)."""
    opened: list[Walk] = []
    yield opened
    for walk in opened:
        walk.close()


def walk(walks: list[Walk], browser: Browser, demo: Demo, language: str, who: str) -> Walk:
    made = Walk(browser, demo, language, who)
    walks.append(made)
    return made


def test_a_visitor_finds_a_programme_its_recognition_and_verifies_a_credential(
    browser: Browser, demo: Demo, walks: list[Walk]
) -> None:
    """Signed out: search, a programme, its recognition decision, the skills, the credit
    bank's target, and the public verification page an e-mail or LinkedIn links to, whose
    result shows first."""
    from playwright.sync_api import expect

    me = walk(walks, browser, demo, "ja", "visitor")
    tab = me.tab
    me.go("/", "front page")
    tab.locator("header a[href='/search']").click()
    tab.locator("#q").fill("データ")
    tab.locator("#search-submit").click()
    tab.wait_for_url("**/search?*")
    me.check("search")
    first = tab.locator("main a[href^='/programmes/']").first
    top = first.bounding_box()
    assert top is not None and top["y"] < 2 * PHONE["height"], top
    tab.locator("main a[href='/programmes/30']").first.click()
    me.check("programme")
    tab.locator("header a[href='/recognition']").click()
    me.check("recognition")
    tab.locator("main a[href='/recognition/decisions/R-2026-0001']").first.click()
    me.check("decision")
    tab.locator("footer a[href='/skills']").click()
    me.check("skills")
    tab.locator("footer a[href='/targets']").click()
    me.check("targets")
    tab.locator(f"main a[href='/targets/{demo.target}']").first.click()
    me.check("credit-bank target", shoot=True)
    me.go(f"/verify/{demo.credential}", "public verification")
    verdict = tab.locator("#verify-verdict")
    expect(verdict).to_have_attribute("data-verified", "true")
    shown = verdict.bounding_box()
    assert shown is not None and shown["y"] < PHONE["height"], shown
    me.check("public verification", again=False, shoot=True)
    tab.goto(_with(tab.url, lang="en"))
    me.check("public verification", again=False, shoot=True)


def test_a_providers_administrator_edits_a_programme_aligns_skills_and_follows_recognition(
    browser: Browser, demo: Demo, walks: list[Walk]
) -> None:
    """Home on the workspace; the programme list; the editor, where a new version is saved
    as a draft; the programme's skills alignment (with suggestions); the recognition queue
    with the programme's application."""
    from playwright.sync_api import expect

    me = walk(walks, browser, demo, "en", "provider admin")
    tab = me.tab
    me.sign_in(APPLICANT, "/workspace/hokuto-tech")
    tab.locator(".account-nav a[data-place=programmes]").click()
    me.check("programmes")
    tab.locator("main a[href='/workspace/hokuto-tech/programmes/30/edit']").first.click()
    me.check("editor", shoot=True)
    hours = tab.locator("#f-learner_effort-hours")
    hours.fill(str(int(hours.input_value()) + 5))
    tab.locator("#editor-save").click()
    expect(tab.locator("#editor-done")).to_contain_text("new version")
    expect(tab.locator("#editor-version")).to_have_attribute("data-status", "draft")
    me.check("saved draft", again=False)
    tab.goto("/workspace/hokuto-tech/programmes")
    tab.locator("main a[href='/workspace/hokuto-tech/programmes/30/skills']").click()
    me.check("skills alignment")
    suggested = tab.locator("main form[action$='/skills/confirm']")
    left = suggested.count()
    assert left > 0
    suggested.first.get_by_role("button").click()
    expect(suggested).to_have_count(left - 1)
    me.check("skill confirmed")
    tab.locator(".account-nav a[data-place=recognition]").click()
    me.check("recognition queue")
    tab.locator("main a[href^='/review/applications/']").first.click()
    me.check("application")
