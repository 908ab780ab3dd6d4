"""The issuer's view of what happens to its credentials, over real HTTP on SQLite and
PostgreSQL: the claim link counted and followed to the wallet, the claim, verifications at
the public page and the VC-API, each on the credential's and the batch's page and in the
monthly CSV; the e-mail sent again to a corrected address (audited) and a malformed one
refused; the notice settings refused and saved; a reminder to the learner who has not claimed
after N days, and a notice of a suspension; learners are refused the issuer's view.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.keystore import new_master_key_text
from credstack.services.audit import service as audit
from credstack.services.issuance import emails as mail_events
from credstack.settings import Settings
from tests.accounts import add_user, issued_credentials, provider_store, store_session
from tests.conftest import LiveServer, ShiftedClock, at_own_url, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible

SLUG = "hokuto-tech"
ISSUER = "issuer@hokuto.example"
ADMIN = "admin@hokuto.example"
CLAIMER = "claimer@example.jp"
WAITER = "waiter@example.jp"
COHORT = f"email,name\n{CLAIMER},Claimer\n{WAITER},Waiter\n"
#: A second batch, followed learner by learner: one claims early, one is late.
EARLY = "early@example.jp"
LATE = "late@example.jp"


@dataclasses.dataclass
class Served:
    live: LiveServer
    clock: ShiftedClock
    #: Address → credential id.
    credentials: dict[str, str]


@pytest.fixture(scope="module")
def served(module_settings: Settings) -> Iterator[Served]:
    secret = new_master_key_text()
    settings, port = at_own_url(dataclasses.replace(module_settings, secret_key=secret))
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    ids = issued_credentials(settings, secret=secret, now=now, cohort=COHORT, batch="spring")
    add_user(settings, ISSUER, name="Issuer", roles=[(SLUG, "issuer")])
    add_user(settings, ADMIN, name="Admin", roles=[(SLUG, "provider-admin")])
    add_user(settings, CLAIMER, name="Claimer")
    add_user(settings, WAITER, name="Waiter")
    autumn = issued_credentials(settings, secret=secret, now=now, batch="autumn",
                                cohort=f"email,name\n{EARLY},Early\n{LATE},Late\n")
    add_user(settings, EARLY, name="Early")
    # Newest first: the waiter's row was issued after the claimer's.
    credentials = {WAITER: ids[0], CLAIMER: ids[1], LATE: autumn[0], EARLY: autumn[1]}
    with store_session(settings) as session:
        # Their "issued" e-mails, as issuing from the workspace queues them.
        mail_events.credentials_issued(session, credentials=[mail_events.IssuedCredential(
            credential_id, address, {"ja": "データ", "en": "Data"},
            {"ja": "北都", "en": "Hokuto"}, now.date())
            for address, credential_id in credentials.items()],
            organisation=SLUG, language="ja", now=now)
    clock = ShiftedClock()
    for live in serve(settings, port=port, clock=clock):
        yield Served(live, clock, credentials)


@pytest.fixture
def issuer(served: Served) -> Iterator[FormBrowser]:
    browser = FormBrowser(served.live, ISSUER)
    yield browser
    browser.close()


def _credential(issuer: FormBrowser, credential_id: str, language: str = "en") -> Page:
    return issuer.page(f"/workspace/{SLUG}/activity/credential?id={quote(credential_id)}"
                       f"&lang={language}")


def _times(page: Page, kind: str) -> int:
    return int(page.one("tr", **{"data-kind": kind}).attrs["data-times"])


def test_a_claim_and_verifications_show_on_the_credentials_and_the_batchs_page(
        served: Served, issuer: FormBrowser) -> None:
    """The claim link is counted (not when a chat app fetched it for a preview) and shows
    its page offering to sign in; signing in claims the credential;
    the public page and the VC-API count a verification each; the batch counts one claim
    of two credentials; the CSV has the month."""
    credential_id = served.credentials[CLAIMER]
    before = _credential(issuer, credential_id)
    assert _times(before, "opened") == 0 and _times(before, "claimed") == 0
    with httpx.Client(base_url=served.live.url, timeout=30) as anyone:
        # Slack draws the link's preview card first: that is not the learner opening it.
        preview = anyone.get(f"/claim/{credential_id}", headers={
            "User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"})
        assert preview.status_code == 200
        followed = anyone.get(f"/claim/{credential_id}")
        assert followed.status_code == 200 and "/sign-in?next=%2Fclaim%2F" in followed.text
        assert anyone.get(f"/verify/{credential_id}", headers=HTML).status_code == 200
        with store_session(served.live.settings) as session:
            document = credential_store.get_credential(
                session, credential_id=credential_id).document
        api = anyone.post("/credentials/verify",
                          json={"verifiableCredential": json.loads(document)})
        assert api.status_code in {200, 400}
    learner = FormBrowser(served.live, CLAIMER)
    try:
        assert learner.get("/wallet").status_code == 200
    finally:
        learner.close()
    for language in ("ja", "en"):
        page = _credential(issuer, credential_id, language)
        assert_accessible(page, language)
    assert (_times(page, "opened"), _times(page, "claimed"), _times(page, "verified")) == (
        1, 1, 2)
    assert "the wallet here" in page.one("p", id="claimed-by").text
    batch = issuer.page(f"/workspace/{SLUG}/activity/batch?name=spring")
    assert batch.one("p", id="batch-size").attrs["data-size"] == "2"
    claimed = batch.one("tr", **{"data-kind": "claimed"})
    assert claimed.attrs["data-credentials"] == "1" and "50%" in claimed.text
    overview = issuer.page(f"/workspace/{SLUG}/activity")
    assert_accessible(overview, "en")
    assert overview.one("tr", **{"data-batch": "spring"})
    claimed_chart = overview.one("section", **{"data-figure": "claimed"})
    assert "<svg" in overview.source and 'id="activity-claimed"' in overview.source
    assert claimed_chart
    csv_text = issuer.get(f"/workspace/{SLUG}/activity.csv").text
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    assert csv_text.splitlines()[0] == "month,issued,mailed,opened,claimed,shared,verified"
    assert any(line.startswith(f"{month},") and line.split(",")[4] == "1"
               for line in csv_text.splitlines()[1:])


def test_the_email_goes_again_to_a_corrected_address_and_a_malformed_one_is_refused(
        served: Served, issuer: FormBrowser) -> None:
    """A malformed address: 422, said next to the field, nothing queued; a corrected one: a
    new message to it, audited ``mail.redirected``."""
    credential_id = served.credentials[WAITER]
    page = _credential(issuer, credential_id)
    [message] = [row for row in page.all("tr") if row.attrs.get("data-template")
                 == "credential_issued"]
    fields = {"credential_id": credential_id, "message_id": message.attrs["data-message"]}
    refused = issuer.post(f"/workspace/{SLUG}/activity/resend", **fields, to="not an address")
    assert refused.status_code == 422
    assert "This is not an e-mail address" in Page(refused.text).text
    assert len(_credential(issuer, credential_id).all("tr", **{
        "data-template": "credential_issued"})) == 1
    sent = issuer.post(f"/workspace/{SLUG}/activity/resend", **fields,
                       to="waiter.corrected@example.jp")
    assert sent.status_code == 303
    after = issuer.page(sent.headers["location"])
    assert "waiter.corrected@example.jp" in after.text
    assert "queued" in after.text
    with store_session(served.live.settings) as session:
        entries = audit.entries(session, subject=credential_id, limit=20, latest=True)
    assert any(entry.action == "mail.redirected" and entry.details["to"]
               == "waiter.corrected@example.jp" for entry in entries)


def test_the_notice_settings_are_refused_when_wrong_and_a_reminder_goes_after_n_days(
        served: Served, issuer: FormBrowser) -> None:
    """Days out of range: 422 naming them; 3 days: saved (by a provider admin; an issuer
    sees them); nothing due now; four days on, the learner who has not claimed is reminded
    (once) at each address the credential was e-mailed to, the one who claimed is not."""
    assert not issuer.page(f"/workspace/{SLUG}/notices").all("input", id="notices-reminder")
    admin = FormBrowser(served.live, ADMIN)
    try:
        for language in ("ja", "en"):
            page = admin.page(f"/workspace/{SLUG}/notices?lang={language}")
            assert_accessible(page, language)
        refused = admin.post(f"/workspace/{SLUG}/notices", reminder="0", expiry="30, x")
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
        assert "from 1 to 365" in Page(refused.text).text
        saved = admin.post(f"/workspace/{SLUG}/notices", reminder="3", expiry="30, 7")
        assert saved.status_code == 303
        assert admin.page(saved.headers["location"]).one("input", id="notices-reminder"
                                                         ).attrs["value"] == "3"
    finally:
        admin.close()
    learner = FormBrowser(served.live, CLAIMER)
    try:
        learner.get("/wallet")  # the claimer has claimed
    finally:
        learner.close()
    none_yet = issuer.post(f"/workspace/{SLUG}/notices/send")
    assert "reminders=0" in none_yet.headers["location"]
    served.clock.offset = dt.timedelta(days=4)
    later = FormBrowser(served.live, ISSUER)  # signed in again, four days on
    try:
        # One to each address the waiter's credential was e-mailed to (a corrected one too).
        addresses = len(_credential(later, served.credentials[WAITER]).all(
            "tr", **{"data-template": "credential_issued"}))
        sent = later.post(f"/workspace/{SLUG}/notices/send")
        # The waiter's, and any other learner's of the organisation who has not claimed yet.
        count = int(sent.headers["location"].split("reminders=")[1].split("&")[0])
        assert count >= addresses, sent.headers["location"]
        again = later.post(f"/workspace/{SLUG}/notices/send")
        assert "reminders=0" in again.headers["location"]
    finally:
        later.close()
        served.clock.offset = dt.timedelta(0)
    waiting = _credential(issuer, served.credentials[WAITER])
    assert any(row.attrs.get("data-template") == "credential_notice"
               for row in waiting.all("tr"))
    claimed = _credential(issuer, served.credentials[CLAIMER])
    assert not any(row.attrs.get("data-template") == "credential_notice"
                   for row in claimed.all("tr"))


def test_a_suspension_and_a_reinstatement_are_told_to_the_learner(
        served: Served, issuer: FormBrowser) -> None:
    credential_id = served.credentials[CLAIMER]
    path = f"/workspace/{SLUG}/credentials/{quote(credential_id, safe=':')}/status"
    for change in ("suspend", "reinstate"):
        done = issuer.post(path, change=change, reason="checking")
        assert done.status_code == 303, done.text[:500]
    notices = [row for row in _credential(issuer, credential_id).all("tr")
               if row.attrs.get("data-template") == "credential_notice"]
    assert len(notices) == 2


def _notices(issuer: FormBrowser, credential_id: str) -> int:
    return len([row for row in _credential(issuer, credential_id).all("tr")
                if row.attrs.get("data-template") == "credential_notice"])


def _learners(issuer: FormBrowser, query: str = "") -> dict[str, dict[str, str]]:
    """The batch's learners as its page lists them: credential id → each step's first date
    (``data-at``), by kind."""
    page = issuer.page(f"/workspace/{SLUG}/activity/batch?name=autumn{query}")
    found: dict[str, dict[str, str]] = {}
    row: dict[str, str] = {}
    for element in page.elements:  # in document order: each row, then its cells
        if element.tag == "tr" and element.attrs.get("data-credential"):
            row = found.setdefault(element.attrs["data-credential"], {})
        elif element.tag == "td" and element.attrs.get("data-kind"):
            row[element.attrs["data-kind"]] = element.attrs.get("data-at", "")
    return found


def test_a_batch_shows_each_learners_progress_and_reminds_those_who_have_not_claimed(
        served: Served, issuer: FormBrowser) -> None:
    """Each learner of the batch on a row, each step dated when it happened (the early one's
    claim); the filter keeps those not claimed yet; the button reminds the late one once
    (audited ``notices.reminded``), never the one who claimed."""
    early, late = served.credentials[EARLY], served.credentials[LATE]
    learner = FormBrowser(served.live, EARLY)
    try:
        assert learner.get("/wallet").status_code == 200  # claims it
    finally:
        learner.close()
    for language in ("ja", "en"):
        assert_accessible(issuer.page(f"/workspace/{SLUG}/activity/batch?name=autumn"
                                      f"&lang={language}"), language)
    every = _learners(issuer)
    assert set(every) == {early, late}
    # No mail server here: nothing was handed to one (e-mailed), the early one's claim is.
    assert not every[early]["mailed"] and not every[late]["mailed"]
    assert every[early]["claimed"] and not every[late]["claimed"]
    assert set(_learners(issuer, "&not_yet=claimed")) == {late}
    assert set(_learners(issuer, "&not_yet=bogus")) == {early, late}
    # The daily job may have reminded both already (before the early one claimed).
    before, claimed = _notices(issuer, late), _notices(issuer, early)
    reminded = issuer.post(f"/workspace/{SLUG}/activity/batch/remind", name="autumn")
    assert reminded.status_code == 303 and "reminded=1" in reminded.headers["location"]
    assert issuer.page(reminded.headers["location"]).one("div", id="reminded")
    again = issuer.post(f"/workspace/{SLUG}/activity/batch/remind", name="autumn")
    assert "reminded=0" in again.headers["location"], "once a day"
    assert _notices(issuer, late) == before + 1
    assert _notices(issuer, early) == claimed
    with store_session(served.live.settings) as session:
        entries = audit.entries(session, subject=f"organisation:{SLUG}", limit=50, latest=True)
    assert [entry.details for entry in entries if entry.action == "notices.reminded"] == [
        {"batch": "autumn", "credentials": 1, "e-mails": 1}]
    outsider = FormBrowser(served.live, WAITER)
    try:
        assert outsider.post(f"/workspace/{SLUG}/activity/batch/remind",
                             name="autumn").status_code == 403
    finally:
        outsider.close()


def test_learners_are_refused_the_issuers_view(served: Served) -> None:
    learner = FormBrowser(served.live, WAITER)
    try:
        for where in ("/activity", "/activity.csv", "/notices",
                      "/activity/batch?name=spring"):
            assert learner.get(f"/workspace/{SLUG}{where}").status_code == 403
    finally:
        learner.close()
