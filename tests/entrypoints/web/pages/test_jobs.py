"""The jobs' pages and JSON over real HTTP, with the worker ``serve`` runs in its process:
a cohort job started by an issuer runs to the end while the page is polled; a job that fails
says why in the visitor's language; someone else's job is refused. In Chromium, the list and
a job's page follow a job live (htmx) at a laptop's width and at a phone's, and axe-core finds
nothing serious or critical on them.

One server on SQLite (the embedded queue) for the module, with a provider and its programme.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx
import pytest

from credstack.core.access import Action, Principal
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import InputError, Problem
from credstack.services import jobs
from credstack.services.accounts import service as accounts
from credstack.services.jobs import JobContext, handler
from credstack.services.jobs.service import send
from credstack.settings import Settings
from credstack.testing import ActingAs, RecordingQueue
from tests.accounts import PASSWORD, add_user, provider_store, signed_in_client
from tests.conftest import LiveServer, keyed_sqlite, serve, wait_until
from tests.entrypoints.web.pages.conftest import (
    assert_fits_the_screen,
    at_phone_width,
    axe_violations,
    new_tab,
    shot,
)
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible, squash

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SLUG = "hokuto-tech"
ISSUER = "issuer@hokuto.example"
COLLEAGUE = "colleague@hokuto.example"


@dataclasses.dataclass(frozen=True)
class Jobs:
    live: LiveServer
    settings: Settings


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jobs]:
    settings = keyed_sqlite(tmp_path_factory.mktemp("job-pages"))
    provider_store(settings, secret=settings.secret_key or "", now=dt.datetime.now(dt.UTC))
    add_user(settings, ISSUER, roles=[(SLUG, "issuer")])
    add_user(settings, COLLEAGUE, roles=[(SLUG, "issuer")])
    for live in serve(settings):
        yield Jobs(live, settings)


def _start(served: Jobs, key: str, learners: int, *, held: bool = False, **changes: object
           ) -> str:
    """A cohort job started by the issuer (as the issuing page starts it); ``held``: its
    message does not reach the worker (as when the queue cannot be reached) until the test
    sends it."""
    rows = "".join(f"p{i}-{key}@example.jp,Learner {i}\n" for i in range(learners))
    with open_runtime(settings=served.settings) as opened:
        runtime = dataclasses.replace(opened, jobs=RecordingQueue()) if held else opened
        with runtime.transaction() as session:
            issuer = accounts.user(session, email=ISSUER)
        actor = ActingAs(Principal(subject=issuer.subject, user_id=issuer.id,
                                   email=issuer.email, memberships=issuer.memberships))
        return jobs.start(runtime, actor=actor, kind="cohort.issue", organisation=SLUG,
                          key=key, payload={"programme_id": 1, "version": None, "batch": key,
                                            "securing": "eddsa-jcs-2022", "language": "en",
                                            "cohort_csv": f"email,name.en\n{rows}",
                                            **changes}).public_id


def _finished(client: httpx.Client, public_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while True:
        found: dict[str, object] = client.get(f"/api/jobs/{public_id}").json()
        if found["state"] in {"succeeded", "failed"}:
            return found
        assert time.monotonic() < deadline, found
        time.sleep(0.1)


def test_a_cohort_job_runs_in_the_server_and_its_page_follows_it(served: Jobs) -> None:
    """Polled while it runs (only the live part, 200), then finished: succeeded, 12 of 12,
    the counts, and the poll answered 286 so that htmx stops asking, with the ending for the
    page's status region."""
    public_id = _start(served, "pages-ok", 12, chunk_size=3)
    with signed_in_client(served.live.url, ISSUER) as client:
        first = client.get(f"/jobs/{public_id}", headers={"Accept-Language": "en"})
        assert first.status_code == 200
        assert "http-equiv" not in first.text
        found = _finished(client, public_id)
        assert found["state"] == "succeeded" and found["done"] == found["total"] == 12
        polled = client.get(f"/jobs/{public_id}",
                            headers={"HX-Request": "true", "Accept-Language": "en"})
        assert polled.status_code == 286 and "<html" not in polled.text
        assert 'max="12" value="12"' in polled.text
        # The last answer also tells the page's status region how the job ended.
        ended = Page(polled.text).one("div", **{"hx-swap-oob": "innerHTML:#job-status"})
        assert squash(ended.text) == "Issuing to a cohort: Succeeded"
        page = Page(client.get(f"/jobs/{public_id}?lang=en").text)
        assert_accessible(page, "en")
        assert page.one("h1").text.strip() == "Issuing to a cohort"
        text = squash(page.text)
        assert "Succeeded" in text and "12 of 12 (100%)" in text and "Issued now 12" in text
        assert page.one("a", href=f"/jobs/{public_id}")  # the refresh link, without JS
        assert page.one("a", href="/programmes/1")
        assert page.one("a", href=f"/workspace/{SLUG}/credentials?batch=pages-ok")
        assert page.one("a", href=f"/api/jobs/{public_id}")
        assert "hx-get" not in page.source  # finished: nothing polls
        japanese = Page(client.get(f"/jobs/{public_id}?lang=ja").text)
        assert_accessible(japanese, "ja")
        assert "一括発行" in japanese.one("h1").text and "完了" in squash(japanese.text)


def test_the_list_shows_the_callers_jobs_only(served: Jobs) -> None:
    """The issuer's list names the job; a colleague's is empty and the job refused."""
    public_id = _start(served, "pages-list", 2)
    with signed_in_client(served.live.url, ISSUER) as client:
        _finished(client, public_id)
        page = Page(client.get("/jobs?lang=en").text)
        assert_accessible(page, "en")
        assert page.one("a", href=f"/jobs/{public_id}").text.strip() == "Issuing to a cohort"
        assert public_id in [item["id"] for item in client.get("/api/jobs").json()["items"]]
    with signed_in_client(served.live.url, COLLEAGUE) as client:
        assert "There are no jobs to show yet." in client.get("/jobs?lang=en").text
        assert client.get("/api/jobs").json() == {"items": []}
        assert client.get(f"/jobs/{public_id}").status_code == 403
        assert client.get(f"/api/jobs/{public_id}").status_code == 403


def test_a_job_names_its_organisation_by_its_name(served: Jobs) -> None:
    """The list and the job's page say whose job it is by the organisation's name in the
    page's language, never its slug (issue 51, defect 10)."""
    public_id = _start(served, "pages-named", 1)
    with signed_in_client(served.live.url, ISSUER) as client:
        _finished(client, public_id)
        for path in ("/jobs", f"/jobs/{public_id}"):
            english = squash(Page(client.get(f"{path}?lang=en").text).one("main").text)
            japanese = squash(Page(client.get(f"{path}?lang=ja").text).one("main").text)
            assert "Hokuto Institute of Technology" in english and SLUG not in english
            assert "北都工科大学" in japanese and SLUG not in japanese


def test_a_failed_job_says_why_in_the_visitors_language(served: Jobs) -> None:
    """A programme version that does not exist: failed at once, the reason in Japanese on
    the Japanese page and in English on the English one."""
    public_id = _start(served, "pages-bad", 2, version=42)
    with signed_in_client(served.live.url, ISSUER) as client:
        found = _finished(client, public_id)
        assert found["state"] == "failed" and found["attempts"] == 1
        japanese = squash(Page(client.get(f"/jobs/{public_id}?lang=ja").text).text)
        english = squash(Page(client.get(f"/jobs/{public_id}?lang=en").text).text)
    assert "失敗" in japanese and "見つかりません" in japanese
    assert "Failed" in english and "Not found" in english and "見つかりません" not in english


@handler("test.pages.coded", action=Action.CREDENTIAL_ISSUE)
def _coded(runtime: object, context: JobContext) -> dict[str, object]:
    """Fails as the core fails: a code and its parameters, a problem coded too."""
    raise InputError(code="jobs.problem.no_kind", params={"kind": "export"},
                     problems=[Problem("kind", code="jobs.problem.one_of",
                                       params={"kinds": "cohort.issue, search.reindex"})])


def test_a_job_failed_on_a_code_says_it_in_words_never_the_code(served: Jobs) -> None:
    """An error raised with a code (the core's way) is stored as its code and worded by the
    page and the API in the reader's language: the kind of error, what went wrong and its
    problem, with no message key or parameter syntax shown."""
    with open_runtime(settings=served.settings) as runtime:
        with runtime.transaction() as session:
            issuer = accounts.user(session, email=ISSUER)
        actor = ActingAs(Principal(subject=issuer.subject, user_id=issuer.id,
                                   email=issuer.email, memberships=issuer.memberships))
        public_id = jobs.start(runtime, actor=actor, kind="test.pages.coded",
                               organisation=SLUG, key="pages-coded", payload={}).public_id
    with signed_in_client(served.live.url, ISSUER) as client:
        found = _finished(client, public_id)
        japanese = squash(Page(client.get(f"/jobs/{public_id}?lang=ja").text).text)
        english = squash(Page(client.get(f"/jobs/{public_id}?lang=en").text).text)
    assert found["state"] == "failed" and found["errors"] == {
        "en": "Invalid input: There is no kind of job 'export'. "
              "- kind: one of cohort.issue, search.reindex",
        "ja": "入力が正しくありません：'export' という種類のジョブはありません。 "
              "- kind：次のいずれか: cohort.issue, search.reindex"}
    assert found["error"] == f"{found['errors']['en']} / {found['errors']['ja']}"
    assert "Invalid input: There is no kind of job 'export'." in english
    assert "入力が正しくありません：'export' という種類のジョブはありません。" in japanese
    for text in (english, japanese):
        assert "jobs.problem" not in text and "kinds=" not in text


def test_visitors_are_sent_to_sign_in(served: Jobs) -> None:
    with httpx.Client(base_url=served.live.url, timeout=30) as anonymous:
        answer = anonymous.get("/jobs", headers={"Accept": "text/html"})
        assert answer.status_code == 303 and "/sign-in" in answer.headers["location"]
        # Back to the same page afterwards, with its query.
        asked = anonymous.get("/jobs?lang=en", headers={"Accept": "text/html"})
        assert asked.headers["location"] == "/sign-in?next=/jobs%3Flang%3Den"
        form = Page(anonymous.get(asked.headers["location"]).text)
        assert form.one("input", name="next_path").attrs["value"] == "/jobs?lang=en"
        assert anonymous.get("/api/jobs").status_code == 401


def _accessible_at_both_widths(tab: Page, name: str) -> None:
    """axe-core finds nothing serious or critical at the tab's width nor at a phone's, where
    the page fits the screen and is shot as ``name``."""
    assert axe_violations(tab) == [], name
    with at_phone_width(tab):
        assert_fits_the_screen(tab, name)
        assert axe_violations(tab) == [], f"{name} on a phone"
        shot(tab, name)


@pytest.mark.browser
def test_in_chromium_a_jobs_page_follows_it_live_at_a_laptops_and_a_phones_width(
        browser: Browser, served: Jobs) -> None:
    """A job that has not reached a worker yet is listed as queued, and the list keeps the
    keyboard's place while it refreshes itself; once the job is sent, its page — not loaded
    again — shows its progress reach the end and its status region says so."""
    from playwright.sync_api import expect

    public_id = _start(served, "browser-live", 6, held=True, chunk_size=2)
    tab = new_tab(browser, locale="en-GB")
    try:
        tab.goto(f"{served.live.url}/sign-in?next=/jobs")
        tab.locator("#email").fill(ISSUER)
        tab.locator("#password").fill(PASSWORD)
        tab.locator("#password").press("Enter")
        tab.wait_for_url(lambda at: urlsplit(at).path == "/jobs")
        row = tab.get_by_role("row").filter(has=tab.locator(f'a[href="/jobs/{public_id}"]'))
        expect(row).to_contain_text("Queued")
        expect(tab.get_by_text("This view updates by itself.")).to_be_visible()
        _accessible_at_both_widths(tab, "jobs-list-queued-en")
        # The list is refreshed in place every two seconds; a keyboard user keeps their place.
        link = row.get_by_role("link", name="Issuing to a cohort")
        link.focus()
        tab.evaluate("document.querySelector('#jobs-live table').dataset.before = 'poll'")
        wait_until(tab, "() => !document.querySelector('#jobs-live table').dataset.before",
                   seconds=30)
        assert tab.evaluate("document.activeElement.getAttribute('href')") == (
            f"/jobs/{public_id}")
        tab.keyboard.press("Enter")
        tab.wait_for_url(f"**/jobs/{public_id}")
        live = tab.locator("#job-live")
        expect(live.locator(".job-state")).to_have_text("Queued")
        announced = tab.locator("#job-status")  # a status region that htmx does not replace
        expect(announced).to_have_attribute("role", "status")
        expect(announced).to_be_empty()
        expect(live.locator("progress")).to_have_accessible_description("0 done")
        _accessible_at_both_widths(tab, "jobs-job-queued-en")
        tab.evaluate("window.loadedOnce = true")
        with open_runtime(settings=served.settings) as runtime:
            assert send(runtime, public_id)
        expect(live.locator(".job-state")).to_have_text("Succeeded", timeout=60_000)
        expect(announced).to_have_text("Issuing to a cohort: Succeeded")
        expect(live.locator("progress")).to_have_accessible_description("6 of 6 (100%)")
        expect(live.locator("dt:text-is('Issued now') + dd")).to_have_text("6")
        assert tab.evaluate("window.loadedOnce === true")  # updated in place
        _accessible_at_both_widths(tab, "jobs-job-succeeded-en")
        tab.get_by_role("link", name="All jobs").click()
        expect(row).to_contain_text("Succeeded")
        expect(tab.get_by_text("This view updates by itself.")).to_have_count(0)
        # In Japanese on a phone.
        tab.goto(f"{served.live.url}/jobs/{public_id}?lang=ja")
        expect(tab.locator("#job-live .job-state")).to_have_text("完了")
        with at_phone_width(tab):
            assert_fits_the_screen(tab, "the job's page in Japanese")
            assert axe_violations(tab) == []
            shot(tab, "jobs-job-succeeded-phone-ja")
    finally:
        tab.context.close()
