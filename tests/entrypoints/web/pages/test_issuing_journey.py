"""The whole journey of a cohort, over real HTTP and real SMTP: an issuer uploads a cohort CSV
in the workspace and confirms it; the server's own worker issues it as a background job and
then sends each learner the "issued" e-mail through an SMTP server (aiosmtpd on loopback);
the learner follows the e-mail's links — the PDF (sign in first), the wallet, which holds the
credential, verified, and the public verification page — and the e-mail is never sent twice.

The same journey in Chromium (one server for the module): the issuer signs in and issues to a
cohort with the keyboard, watches the job's page update itself until it is done; the
learner opens the link of the e-mail the SMTP server received on a phone, signs in and finds
the credential in the wallet. axe-core finds nothing serious or critical on any page of it,
and each page is shot at a phone's width (``test-artifacts/screenshots/journey-*.png``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, unquote, urlsplit

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.dates import day_text
from credstack.settings import Settings
from tests.accounts import PASSWORD, add_user, provider_store, signed_in_client
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.conftest import (
    assert_fits_the_screen,
    at_phone_width,
    axe_violations,
    new_tab,
    phone_tab,
    shot,
)
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_issuing_pages import ISSUER, SLUG, Browser
from tests.entrypoints.web.pages.test_programmes import HTML, Page, squash
from tests.smtp import SmtpServer, relay, smtp_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

LEARNERS = ("emi@example.jp", "fumi@example.jp")
#: The cohort of the journey in the browser: one learner with an account, one without.
BROWSER_LEARNERS = ("gen@example.jp", "hiro@example.jp")


@dataclasses.dataclass(frozen=True)
class Journey:
    live: LiveServer
    smtp: SmtpServer


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journey]:
    folder = tmp_path_factory.mktemp("issuing-journey")
    secret = new_master_key_text()
    with smtp_server() as smtp:
        settings, port = at_own_url(dataclasses.replace(
            Settings.from_env(data_dir=folder / "data", database_url=""), secret_key=secret,
            **relay(smtp)))
        provider_store(settings, secret=secret, now=dt.datetime.now(dt.UTC))
        add_user(settings, ISSUER, name="Issuer", roles=[(SLUG, "issuer")])
        add_user(settings, LEARNERS[0], name="Emi")
        add_user(settings, BROWSER_LEARNERS[0], name="Gen")
        for live in serve(settings, port=port):
            yield Journey(live, smtp)


def _wait_for(what: str, done: object, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.25)
    assert done(), f"{what} did not happen within {seconds} s"  # type: ignore[operator]


def _mailed_to(smtp: SmtpServer, addresses: tuple[str, ...]) -> list[str]:
    """The recipients, among ``addresses``, of each message the SMTP server accepted."""
    return sorted(to for _, [to] in smtp.inbox.envelopes if to in addresses)


def test_a_cohort_is_issued_by_a_job_and_each_learner_is_mailed_once_and_claims_it(
        journey: Journey) -> None:
    issuer = Browser(journey.live, ISSUER)
    try:
        rows = "".join(f"{email},{email.split('@')[0].title()}\n" for email in LEARNERS)
        preview = Page(issuer.upload(f"email,name.en\n{rows}".encode(), batch="2026-mail").text)
        fields = {i.attrs["name"]: i.attrs.get("value", "")
                  for i in preview.all("input", type="hidden") if i.attrs["name"] != "csrf_token"}
        started = issuer.post(f"/workspace/{SLUG}/issue/cohort/confirm", **fields)
        assert started.status_code == 303, started.text
        job_page = started.headers["location"]
        _wait_for("the cohort job", lambda: "Succeeded" in squash(issuer.page(job_page).text))
    finally:
        issuer.http.close()
    _wait_for("two e-mails", lambda: len(_mailed_to(journey.smtp, LEARNERS)) >= len(LEARNERS))
    assert _mailed_to(journey.smtp, LEARNERS) == sorted(LEARNERS)
    mailed = next(message for message in journey.smtp.messages
                  if message["To"].endswith(LEARNERS[0]))
    text = mailed.get_body(("plain",)).get_content()
    assert text.index("デジタル修了証が発行されました") < text.index("has issued you")
    public = re.escape(journey.live.settings.public_url)
    # The wallet link goes through /claim/{id}, which counts the opening and leads on to the
    # wallet (the issuer's view of claims, issue 41).
    wallet, verify, download = (re.search(rf"{public}/{where}\S*", text)
                                for where in ("claim/", "verify/", "api/credentials/"))
    assert wallet is not None and verify is not None and download is not None
    # Opened in a browser before signing in, the download link leads to sign in, then back.
    pdf = urlsplit(download.group(0))
    with httpx.Client(base_url=journey.live.url, timeout=30) as visitor:
        asked = visitor.get(f"{pdf.path}?{pdf.query}", headers={
            **HTML, "Sec-Fetch-Mode": "navigate"})
    assert asked.status_code == 303
    back = parse_qs(urlsplit(asked.headers["location"]).query)["next"][0]
    assert back == f"{pdf.path}?{pdf.query}"
    with signed_in_client(journey.live.url, LEARNERS[0]) as learner:
        learner.headers.update({**HTML, "Accept-Language": "en"})
        # The e-mail names the public URL; this client is signed in at the loopback address.
        certificate = learner.get(back)
        assert certificate.headers["content-type"] == "application/pdf"
        claimed = learner.get(urlsplit(wallet.group(0)).path)
        assert claimed.status_code in {302, 303, 307}
        assert urlsplit(claimed.headers["location"]).path.startswith("/wallet/credentials/")
        record = Page(learner.get("/wallet").text)
        [card] = record.all("article", **{"class": "wallet-card"})
        assert "Verified" in squash(card.text)
    with httpx.Client(timeout=30, headers={**HTML, "Accept-Language": "en"}) as anyone:
        checked = anyone.get(verify.group(0))
        assert checked.status_code == 200 and "Verified" in squash(Page(checked.text).text)
    time.sleep(1.5)  # the worker's next deliveries find nothing more to send
    assert _mailed_to(journey.smtp, LEARNERS) == sorted(LEARNERS)


#: The learner of the dated cohort row.
DATED = "kumi@example.jp"


def _issue_and_mail(journey: Journey, cohort: str, batch: str, address: str) -> str:
    """Upload ``cohort`` as the issuer, confirm it, wait for its job and for ``address``'s
    e-mail; the e-mail's plain text."""
    issuer = Browser(journey.live, ISSUER)
    try:
        preview = Page(issuer.upload(cohort.encode(), batch=batch).text)
        fields = {i.attrs["name"]: i.attrs.get("value", "")
                  for i in preview.all("input", type="hidden") if i.attrs["name"] != "csrf_token"}
        started = issuer.post(f"/workspace/{SLUG}/issue/cohort/confirm", **fields)
        assert started.status_code == 303, started.text
        job_page = started.headers["location"]
        _wait_for("the cohort job",
                  lambda: "Succeeded" in squash(issuer.page(job_page).text))
    finally:
        issuer.http.close()
    _wait_for("the e-mail", lambda: _mailed_to(journey.smtp, (address,)) == [address])
    mailed = next(message for message in journey.smtp.messages
                  if message["To"].endswith(address))
    text: str = mailed.get_body(("plain",)).get_content()
    return text


def _pdf_pages(pdf: bytes, folder: Path) -> list[str]:
    """Each page's text, as pdftotext reads it (spaces squashed; it ends a page with a form
    feed)."""
    path = folder / "certificate.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, timeout=60, check=True).stdout
    return [squash(page) for page in text.split("\f") if page.strip()]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils)")
def test_a_rows_date_of_issue_is_the_one_date_on_every_artefact(journey: Journey,
                                                                 tmp_path: Path) -> None:
    """A CSV row issued a week ago (``issued_on``) reads that day, not the day it was
    processed, in the e-mail, the PDF, the wallet's card and page, the share page, the
    public profile and the verification page, in Japanese and English; its grade stands
    beside the outcomes: on the PDF's first page, the wallet's page and the share page
    (issue 51)."""
    day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=7)
    add_user(journey.live.settings, DATED, name="Kumi")
    text = _issue_and_mail(journey, f"email,name.en,issued_on,grade\n{DATED},Kumi,{day},A\n",
                           "2026-dated", DATED)
    assert f"発行日 {day_text(day, 'ja')}" in text and f"issued {day_text(day, 'en')}" in text
    verify = re.search(rf"{re.escape(journey.live.settings.public_url)}/verify/(\S+)", text)
    assert verify is not None
    credential_id = unquote(verify.group(1))
    learner = FormBrowser(journey.live, DATED)
    try:
        for language in ("ja", "en"):
            on = day_text(day, language)
            grade = "成績" if language == "ja" else "Grade"
            pdf = learner.get(f"/api/credentials/{quote(credential_id, safe=':')}"
                              f"/certificate.pdf?lang={language}")
            assert pdf.headers["content-type"] == "application/pdf", pdf.text[:500]
            first, *rest = _pdf_pages(pdf.content, tmp_path)
            assert on in first, first
            assert f"{grade} A" in first and ("学修成果" if language == "ja"
                                              else "Learning outcomes") in first
            assert not any(grade in page for page in rest)
            learner.http.headers["Accept-Language"] = language
            record = learner.page("/wallet")
            [card] = record.all("article", **{"class": "wallet-card"})
            assert on in squash(card.text), squash(card.text)
            [public_id] = set(re.findall(r"/wallet/credentials/([0-9a-f]{32})", record.source))
            own = squash(learner.page(f"/wallet/credentials/{public_id}").text)
            assert on in own and f"{grade} A" in own, own
            with httpx.Client(timeout=30, headers={**HTML, "Accept-Language": language}
                              ) as anyone:
                checked = squash(Page(anyone.get(verify.group(0)).text).text)
            assert on in checked, checked
        made = learner.post("/wallet/shares", target=f"credential:{public_id}", label="Dates",
                            expires="30")
        assert made.status_code == 201, made.text[:1000]
        address = re.search(r'id="share-address"[^>]*value="([^"]+)"', made.text)
        assert address is not None
        profile = learner.post("/wallet/profile", [("handle", "kumi-dates"), ("name", "Kumi"),
                                                   ("credential", public_id)])
        assert profile.status_code == 303, profile.text[:1000]
        with httpx.Client(base_url=journey.live.url, timeout=30, headers=HTML) as anyone:
            for language in ("ja", "en"):
                on = day_text(day, language)
                shared = squash(Page(anyone.get(f"{urlsplit(address.group(1)).path}"
                                                f"?lang={language}").text).text)
                assert on in shared and f"{'成績' if language == 'ja' else 'Grade'} A" in shared
                public = squash(Page(anyone.get(f"/@kumi-dates?lang={language}").text).text)
                assert on in public, public
    finally:
        learner.close()


def _tab_to(tab: Page, *, text: str | None = None, element_id: str | None = None,
            limit: int = 80) -> None:
    """Press Tab until the focused element has the id ``element_id``, or says ``text`` (as a
    keyboard user moves through a page)."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("""([text, id]) => { const e = document.activeElement;
                return !!e && (id ? e.id === id : (e.innerText || '').trim() === text); }""",
                        [text, element_id]):
            return
    raise AssertionError(f"{text or element_id!r} cannot be reached with the Tab key")


def _sign_in_with_the_keyboard(tab: Page, email: str) -> None:
    _tab_to(tab, element_id="email")
    tab.keyboard.type(email)
    _tab_to(tab, element_id="password")
    tab.keyboard.type(PASSWORD)
    tab.keyboard.press("Enter")


def _checked(tab: Page, name: str) -> None:
    """axe-core finds nothing serious or critical on the tab's page, and the page fits a
    phone's screen, where it is shot as ``name``."""
    found = axe_violations(tab)
    assert found == [], f"{name}: {found}"
    with at_phone_width(tab):
        assert_fits_the_screen(tab, name)
        shot(tab, name)


@pytest.mark.browser
def test_in_chromium_the_issuers_cohort_reaches_the_learners_wallet_through_the_email(
        browser: Browser, journey: Journey, tmp_path: Path) -> None:
    """The issuer, with the keyboard: signs in, checks a cohort CSV, starts its job, watches
    the job's page until it says it succeeded and follows it to the batch's credentials;
    each learner's e-mail arrives once, Japanese then English; the learner opens its wallet
    link on a phone, signs in and the credential is in the wallet, verified."""
    from playwright.sync_api import expect

    url = journey.live.url
    cohort = tmp_path / "cohort.csv"
    # As Excel saves it: UTF-8 with a byte order mark, CRLF.
    cohort.write_bytes(("email,name.ja,name.en\r\n" + "".join(
        f"{email},{name}\r\n" for email, name in zip(
            BROWSER_LEARNERS, ("山本 弦,Gen Yamamoto", "森 浩,Hiro Mori"), strict=True))
    ).encode("utf-8-sig"))
    issuer = new_tab(browser, locale="en-GB")
    try:
        issuer.goto(f"{url}/sign-in?next=/workspace/{SLUG}/issue")
        _checked(issuer, "journey-sign-in-phone-en")
        _sign_in_with_the_keyboard(issuer, ISSUER)
        issuer.wait_for_url(lambda at: urlsplit(at).path == f"/workspace/{SLUG}/issue")
        _checked(issuer, "journey-issue-phone-en")
        _tab_to(issuer, element_id="cohort-batch")
        issuer.keyboard.type("2026-browser-journey")
        # Choosing a file is the operating system's dialog; the test hands the file over.
        issuer.locator("#cohort-file").set_input_files(str(cohort))
        _tab_to(issuer, text="Check it (nothing is issued yet)")
        issuer.keyboard.press("Enter")
        expect(issuer.get_by_role("button", name="Issue to 2 learners")).to_be_visible()
        _checked(issuer, "journey-cohort-preview-phone-en")
        _tab_to(issuer, text="Issue to 2 learners")
        issuer.keyboard.press("Enter")
        issuer.wait_for_url("**/jobs/*")
        # The job's page follows the job by itself (htmx), without being loaded again.
        issuer.evaluate("window.loadedOnce = true")
        expect(issuer.locator("#job-live .job-state")).to_have_text("Succeeded",
                                                                   timeout=90_000)
        expect(issuer.locator("#job-progress-text")).to_have_text("2 of 2 (100%)")
        assert issuer.evaluate("window.loadedOnce === true")
        _checked(issuer, "journey-job-phone-en")
        # What the job made: the batch in the organisation's list.
        _tab_to(issuer, text="The credentials of this batch")
        issuer.keyboard.press("Enter")
        expect(issuer.get_by_text("2 credentials", exact=True)).to_be_visible()
    finally:
        issuer.context.close()

    _wait_for("the cohort's e-mails",
              lambda: len(_mailed_to(journey.smtp, BROWSER_LEARNERS)) >= len(BROWSER_LEARNERS))
    assert _mailed_to(journey.smtp, BROWSER_LEARNERS) == sorted(BROWSER_LEARNERS)
    mailed = next(message for message in journey.smtp.messages
                  if message["To"].endswith(BROWSER_LEARNERS[0]))
    text = mailed.get_body(("plain",)).get_content()
    assert text.index("山本 弦 様") < text.index("Dear Gen Yamamoto")
    link = re.search(rf"{re.escape(journey.live.settings.public_url)}/claim/\S*", text)
    assert link is not None, text

    learner = phone_tab(browser)
    try:
        # The link names the public URL (localhost at the server's port), as sent; it counts
        # the opening and leads on to the wallet.
        learner.goto(link.group(0))
        learner.wait_for_url("**/claim/**")
        _checked(learner, "journey-learner-claim-phone-ja")
        learner.locator("main a[href^='/sign-in?next=']").click()
        learner.wait_for_url("**/sign-in**")
        _checked(learner, "journey-learner-sign-in-phone-ja")
        _sign_in_with_the_keyboard(learner, BROWSER_LEARNERS[0])
        learner.wait_for_url("**/wallet/credentials/**")
        learner.goto(f"{journey.live.settings.public_url}/wallet")
        card = learner.locator("article.wallet-card")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("検証済み")
        _checked(learner, "journey-wallet-phone-ja")
    finally:
        learner.context.close()
    # Seconds later, the worker's deliveries have sent nothing more.
    assert _mailed_to(journey.smtp, BROWSER_LEARNERS) == sorted(BROWSER_LEARNERS)
