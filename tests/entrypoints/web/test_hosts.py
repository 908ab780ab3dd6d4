"""A server that answers at its public URL itself sends a browser that reached it under another
name (``127.0.0.1`` where the public URL says ``localhost``) to the public URL's host: a
browser keeps its sign-in per host, and every e-mailed link names the public one."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services import mail
from credstack.settings import Settings
from tests.accounts import add_user, provider_store, sign_in
from tests.conftest import LiveServer, ShiftedClock, at_own_url, serve
from tests.services.mail.mailing import issue
from tests.smtp import SmtpServer, plain_text, relay, smtp_server

LEARNER = "hosts@example.jp"
PAGE = {"Accept": "text/html,application/xhtml+xml", "Accept-Language": "en"}


@dataclasses.dataclass(frozen=True)
class Site:
    live: LiveServer
    smtp: SmtpServer
    port: int


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("hosts")
    secret = new_master_key_text()
    clock = ShiftedClock()
    with smtp_server() as smtp:
        settings, port = at_own_url(dataclasses.replace(
            Settings.from_env(data_dir=folder / "data", database_url=""), secret_key=secret,
            canonical_host=True, **relay(smtp)))
        provider_store(settings, secret=secret, now=clock())
        with open_runtime(settings=settings) as runtime:
            issue(runtime, f"{LEARNER},新井 杏,Arai An", batch="hosts")
            mail.deliver(runtime)
        add_user(settings, LEARNER, name="Arai An")
        for live in serve(settings, port=port, clock=clock):
            yield Site(live, smtp, port)


def test_a_page_asked_for_at_another_name_is_sent_to_the_public_host(site: Site) -> None:
    """GET and HEAD of a page at 127.0.0.1 answer 307 to the same path and query at
    localhost, the public URL's host."""
    with httpx.Client(timeout=30, headers=PAGE) as browser:
        for method in ("GET", "HEAD"):
            answer = browser.request(method, f"http://127.0.0.1:{site.port}/sign-in?next=/wallet")
            assert answer.status_code == 307
            assert answer.headers["location"] == \
                f"http://localhost:{site.port}/sign-in?next=/wallet"
        at_home = browser.get(f"http://localhost:{site.port}/sign-in")
        assert at_home.status_code == 200


def test_programs_and_forms_are_answered_under_any_name(site: Site) -> None:
    """What is not a browser asking for a page is answered where it asks: the JSON API, a
    posted form (a redirect would lose its body), a status list a verifier fetches."""
    with httpx.Client(base_url=f"http://127.0.0.1:{site.port}", timeout=30) as program:
        assert program.get("/api/profiles").status_code == 200
        assert program.get("/api/profiles", headers=PAGE).status_code == 200
        assert program.get("/sign-in").status_code == 200  # no Accept: text/html
        posted = program.post("/sign-in", headers=PAGE,
                              data={"email": LEARNER, "password": "x", "signin_nonce": "x"})
        assert posted.status_code != 307


def test_a_session_started_at_the_wrong_name_works_with_the_emailed_links(site: Site) -> None:
    """A learner who opens the server at 127.0.0.1 is signed in at localhost, so the claim
    link of their e-mail (which names localhost) finds them signed in."""
    message = site.smtp.wait_for_mail(LEARNER, "Credential issued")
    found = re.search(rf"http://localhost:{site.port}/claim/\S+", plain_text(message))
    assert found is not None
    with httpx.Client(timeout=30, headers=PAGE, follow_redirects=True) as browser:
        start = browser.get(f"http://127.0.0.1:{site.port}/sign-in")
        assert start.url.host == "localhost"
        browser.base_url = httpx.URL(f"http://{start.url.host}:{site.port}")
        assert sign_in(browser, LEARNER).status_code in {200, 303}
        claimed = browser.get(found.group(0))
    assert claimed.status_code == 200
    assert claimed.url.host == "localhost" and claimed.url.path != "/sign-in"
    assert "Arai An" in claimed.text
