"""The issuer's view and the notices to learners in a real browser, on a demo server whose
e-mail stays in its local mailbox (``/mailbox``): a learner follows the claim link of their
e-mail, signs in and has the credential; a visitor verifies it; the issuer's page of the
credential shows the link followed, the claim and the verification with their dates. A
provider admin sets a reminder after three days; four days on, the issuer sends what is due
and the reminder arrives in the learner's mailbox; the issuer revokes the credential with a
reason and the notice of the revocation arrives too. axe-core finds nothing serious; the
pages fit a phone's screen.

Chromium (Debian package ``chromium``) driven by Playwright.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from credstack.services.issuance import emails as mail_events
from tests.accounts import add_user, issued_credentials, provider_store, store_session
from tests.conftest import LiveServer, ShiftedClock, at_own_url, keyed_sqlite, serve
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_fits_the_screen,
    axe_violations,
    new_tab,
    phone_tab,
    shot,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.test_activity import ADMIN, ISSUER, SLUG

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

CLAIMER = "aoi@example.jp"
WAITER = "ren@example.jp"


@dataclasses.dataclass
class Demo:
    live: LiveServer
    clock: ShiftedClock
    credentials: dict[str, str]

    @property
    def url(self) -> str:
        # Every page at the address the e-mails name, so that one session serves them all.
        return self.live.settings.public_url


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder: Path = tmp_path_factory.mktemp("activity-browser")
    settings, port = at_own_url(keyed_sqlite(folder, demo=True))
    secret = settings.secret_key or ""
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    ids = issued_credentials(settings, secret=secret, now=now, batch="browser",
                             cohort=f"email,name\n{CLAIMER},Aoi\n{WAITER},Ren\n")
    credentials = {WAITER: ids[0], CLAIMER: ids[1]}
    with store_session(settings) as session:
        mail_events.credentials_issued(session, credentials=[mail_events.IssuedCredential(
            credential_id, address, {"ja": "データ分析入門", "en": "Data analysis"},
            {"ja": "北都工科大学", "en": "Hokuto Tech"}, now.date())
            for address, credential_id in credentials.items()],
            organisation=SLUG, language="ja", now=now)
    for email, name, roles in ((ISSUER, "Issuer", [(SLUG, "issuer")]),
                               (ADMIN, "Admin", [(SLUG, "provider-admin")]),
                               (CLAIMER, "Aoi", []), (WAITER, "Ren", [])):
        add_user(settings, email, name=name, roles=roles)
    clock = ShiftedClock()
    for live in serve(settings, port=port, clock=clock):
        yield Demo(live, clock, credentials)


def _accessible(tab: Page, what: str) -> None:
    assert axe_violations(tab) == [], what


def _times(tab: Page, kind: str) -> str:
    return tab.locator(f'#credential-activity tr[data-kind="{kind}"]').get_attribute(
        "data-times") or ""


def test_the_issuers_view_shows_a_credentials_claim_and_verification(
        browser: Browser, demo: Demo) -> None:
    from playwright.sync_api import expect

    credential_id = demo.credentials[CLAIMER]
    learner = new_tab(browser, locale="en-GB")
    try:
        # The learner reads the e-mail in the demo's mailbox and follows its claim link.
        learner.goto(f"{demo.url}/mailbox?to={CLAIMER}")
        claim = learner.locator('.mail-links a[href*="/claim/"]').first
        expect(claim).to_have_attribute("href", f"{demo.url}/claim/{credential_id}")
        claim.click()
        learner.wait_for_url("**/claim/**")
        learner.locator("main a[href^='/sign-in?next=']").click()
        learner.wait_for_url("**/sign-in**")
        learner.locator("#email").fill(CLAIMER)
        learner.locator("#password").fill("correct horse battery staple")
        learner.locator("main form").get_by_role("button").click()
        learner.wait_for_url("**/wallet/credentials/**")
        learner.goto(f"{demo.url}/wallet")
        expect(learner.locator(".wallet-card")).to_have_count(1)
        # Anyone verifies it at the public page.
        learner.goto(f"{demo.url}/verify/{credential_id}")
        expect(learner.locator("[data-outcome]").first).to_be_visible()
    finally:
        learner.context.close()
    issuer = sign_in_through_form(new_tab(browser, locale="en-GB"), demo.url, ISSUER,
                                  f"/workspace/{SLUG}/activity")
    try:
        _accessible(issuer, "the organisation's figures")
        expect(issuer.locator('section[data-figure="claimed"] svg')).to_be_visible()
        issuer.locator('#activity-batches a', has_text="browser").click()
        expect(issuer.locator('tr[data-kind="claimed"]')).to_have_attribute(
            "data-credentials", "1")
        _accessible(issuer, "the batch's page")
        issuer.goto(f"{demo.url}/workspace/{SLUG}/activity/credential?id="
                    f"{quote(credential_id)}")
        assert (_times(issuer, "opened"), _times(issuer, "claimed"),
                _times(issuer, "verified")) == ("1", "1", "1")
        expect(issuer.locator("#claimed-by")).to_contain_text("the wallet here")
        _accessible(issuer, "the credential's page")
        shot(issuer, "activity-credential-en")
    finally:
        issuer.context.close()
    phone = sign_in_through_form(phone_tab(browser), demo.url, ISSUER,
                                 f"/workspace/{SLUG}/activity")
    try:
        assert_fits_the_screen(phone, "the issuer's view on a phone")
        phone.goto(f"{demo.url}/workspace/{SLUG}/activity/credential?id="
                   f"{quote(credential_id)}")
        assert_fits_the_screen(phone, "a credential's activity on a phone")
        shot(phone, "activity-credential-phone")
    finally:
        phone.context.close()


def test_a_reminder_and_a_revocation_notice_arrive_in_the_mailbox(
        browser: Browser, demo: Demo) -> None:
    from playwright.sync_api import expect

    admin = sign_in_through_form(new_tab(browser, locale="en-GB"), demo.url, ADMIN,
                                 f"/workspace/{SLUG}/notices")
    try:
        admin.locator("#notices-reminder").fill("3")
        admin.locator("#notices-expiry").fill("30, 7")
        admin.get_by_role("button", name="Save").click()
        expect(admin.locator(".notice--ok")).to_be_visible()
        _accessible(admin, "the notices page")
    finally:
        admin.context.close()
    demo.clock.offset = dt.timedelta(days=4)
    try:
        issuer = sign_in_through_form(new_tab(browser, locale="en-GB"), demo.url, ISSUER,
                                      f"/workspace/{SLUG}/notices")
        try:
            issuer.locator("#notices-send").click()
            expect(issuer.locator("#notices-sent")).to_contain_text("reminders")
            mailbox = issuer.context.new_page()
            mailbox.goto(f"{demo.url}/mailbox?to={WAITER}")
            expect(mailbox.locator(".mailbox h3").first).to_contain_text(
                "Your credential is waiting")
            _accessible(mailbox, "the mailbox with the reminder")
            # The issuer revokes the waiting learner's credential with a reason.
            waiting = demo.credentials[WAITER]
            issuer.goto(f"{demo.url}/workspace/{SLUG}/credentials/"
                        f"{quote(waiting, safe=':')}/status?change=revoke")
            issuer.locator("textarea[name=reason], input[name=reason]").first.fill(
                "Issued by mistake")
            issuer.locator("main form button[type=submit]").last.click()
            issuer.wait_for_url("**done=revoke")
            mailbox.goto(f"{demo.url}/mailbox?to={WAITER}")
            expect(mailbox.locator(".mailbox h3").first).to_contain_text("Credential revoked")
            shot(mailbox, "activity-mailbox-notices")
        finally:
            issuer.context.close()
    finally:
        demo.clock.offset = dt.timedelta(0)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_batchs_learners_read_filter_and_remind_on_a_phone(
        browser: Browser, demo: Demo, language: str) -> None:
    """At 390 px: the batch's learners, one row each, scroll inside their own region (the page
    no wider than the screen); "not yet claimed" keeps only the rows without a claim; the
    reminder button is in reach; axe-core finds nothing serious."""
    from playwright.sync_api import expect

    tab = sign_in_through_form(
        new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", **PHONE,
                device_scale_factor=2, is_mobile=True, has_touch=True),
        demo.url, ISSUER, f"/workspace/{SLUG}/activity")
    try:
        tab.goto(f"{demo.url}/workspace/{SLUG}/activity/batch?name=browser&lang={language}")
        rows = tab.locator("#batch-learners tbody tr[data-credential]")
        expect(rows).to_have_count(len(demo.credentials))
        assert {rows.nth(i).get_attribute("data-credential") for i in range(rows.count())} \
            == set(demo.credentials.values())
        assert_fits_the_screen(tab, f"the batch's learners on a phone ({language})")
        _accessible(tab, f"the batch's learners on a phone ({language})")
        shot(tab, f"activity-batch-learners-phone-{language}")
        claimed = {rows.nth(i).get_attribute("data-credential") for i in range(rows.count())
                   if rows.nth(i).locator('td[data-kind="claimed"][data-at]').count()}
        tab.locator("#not-yet").select_option("claimed")
        tab.locator("form.filter button[type=submit]").click()
        tab.wait_for_url("**not_yet=claimed**")
        expect(rows).to_have_count(len(demo.credentials) - len(claimed))
        assert not tab.locator('#batch-learners td[data-kind="claimed"][data-at]').count()
        remind = tab.locator("#remind")
        remind.scroll_into_view_if_needed()
        expect(remind).to_be_in_viewport()
        box = remind.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
        assert_fits_the_screen(tab, f"the filtered learners on a phone ({language})")
    finally:
        tab.context.close()
