"""The recognition process end to end in a real browser, across roles.

Chromium (Debian package ``chromium``) driven by Playwright against a live server on SQLite:
a provider admin applies, fills the self-evaluation, uploads evidence and submits; a committee
member assigns two evaluators; each declares no conflict and reviews; the committee decides
"recognised" and publishes; a visitor, signed out, finds the decision and its mark on
``/recognition`` and on the programme's page; and a learner credential of the programme,
issued through the VC-API with a bearer token, pasted into ``/verify``, shows the recognition.
Each person has their own browser context (their own cookies). Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.adapters.db.repositories.keys import organisation_did
from credstack.core.credentials.openbadges_v3 import IssuerProfile, build_open_badge_credential
from credstack.core.descriptors import parse_programme
from credstack.core.descriptors.models import Award
from credstack.core.review import CRITERIA
from credstack.settings import Settings
from tests import patiently
from tests.accounts import PASSWORD, api_client, bearer_token
from tests.conftest import LiveServer, need_browser, wait_until
from tests.entrypoints.web.pages.conftest import axe_violations, demo_phone_tab, new_tab, shot
from tests.entrypoints.web.pages.test_review import (
    ADMIN,
    BODY,
    COMMITTEE,
    EVALUATORS,
    PROVIDER,
    serve_prepared_review,
)
from tests.helpers import programme

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture
def live(sqlite_settings: Settings) -> Iterator[LiveServer]:
    need_browser()
    yield from serve_prepared_review(sqlite_settings)


def sign_in(page: Page, email: str, then: str) -> None:
    page.goto(then)
    assert "/sign-in" in page.url  # sent to sign in, and back afterwards
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.sign-in-form button[type=submit]")
    page.wait_for_url(f"**{then}")


def unlabelled(page: Page) -> list[str]:
    """Form controls without a label (hidden inputs aside)."""
    found: list[str] = page.evaluate("""() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.outerHTML.slice(0, 120))""")
    return found


def done(page: Page, expected: str) -> None:
    """After a step: back on the application, with the step's message, every control labelled."""
    from playwright.sync_api import expect

    expect(page.locator("#done")).to_contain_text(expected)
    assert unlabelled(page) == []


def learner_credential(live: LiveServer) -> dict[str, object]:
    """A learner credential of programme 1 version 1, issued through ``POST
    /credentials/issue`` with the provider admin's bearer token."""
    public_url = live.settings.public_url
    unsigned = build_open_badge_credential(
        programme=parse_programme(programme()),
        award=Award.model_validate({"learner": {"name": {"ja": "山田花子"}, "identifiers": [
            {"type": "email", "value": "hanako@example.jp"}]}, "issued_on": "2026-03-31"}),
        issuer=IssuerProfile(id=organisation_did(public_url, PROVIDER),
                             name={"ja": "北都工科大学"}),
        credential_id="urn:uuid:4b5f2f4e-0d6a-4c1f-9a53-2f2b1c0e9a11",
        achievement_id=f"{public_url}/achievements/1/v1",
        valid_from=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1), salt="c2FsdA")
    client_id, secret = api_client(live.settings, ADMIN, ["credentials:issue"])
    token = bearer_token(live.url, client_id, secret)
    issued = patiently.post(f"{live.url}/credentials/issue", json={"credential": unsigned},
                            headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert issued.status_code == 201, issued.text
    credential: dict[str, object] = issued.json()["verifiableCredential"]
    return credential


def test_a_programme_is_recognised_across_roles_and_the_public_sees_it(
        live: LiveServer, browser: Browser) -> None:
    from playwright.sync_api import expect

    # The provider applies.
    provider = new_tab(browser, base_url=live.url)
    sign_in(provider, ADMIN, "/review")
    provider.click("#new-application")
    provider.wait_for_url("**/review/new")
    assert unlabelled(provider) == []
    provider.select_option("#f-programme", "1:1")
    provider.select_option("#f-recognition_body", BODY)
    provider.select_option("#f-profile", "jp-mc")
    provider.click("form.review-form button[type=submit]")
    provider.wait_for_url("**/review/applications/app_*")
    done(provider, "申請を作成しました")
    application = provider.url.split("?")[0].removeprefix(live.url)
    for criterion in CRITERIA:
        provider.fill(f"#f-self_evaluation-{criterion.id}",
                      f"{criterion.title.ja}：シラバスと評価基準を公開しています。")
    provider.click("#save-self-evaluation")
    done(provider, "自己評価を保存しました")
    provider.set_input_files("#f-file", files=[{
        "name": "シラバス.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}])
    provider.click("#upload-evidence")
    done(provider, "根拠資料を追加しました")
    expect(provider.locator(".evidence-list")).to_contain_text("シラバス.pdf")
    shot(provider, "recognition-1-provider-draft")
    # Submitting asks first: the button does nothing until the box is ticked.
    provider.click("#submit-application")
    expect(provider.locator("#submit-confirm:invalid")).to_have_count(1)
    provider.check("#submit-confirm")
    provider.click("#submit-application")
    done(provider, "申請を提出しました")
    expect(provider.locator("#state")).to_contain_text("評価者の選任待ち")

    # The committee assigns the two evaluators.
    committee = new_tab(browser, base_url=live.url)
    sign_in(committee, COMMITTEE, "/review")
    committee.click(f"a[href='{application}']")
    for email in EVALUATORS:
        committee.select_option("#f-evaluator", email)
        committee.click("#assign-evaluator")
        done(committee, "評価者を選任しました")
    expect(committee.locator("#state")).to_contain_text("審査中")

    # Each evaluator declares no conflict, then reviews against the checklists.
    for number, email in enumerate(EVALUATORS, 1):
        evaluator = new_tab(browser, base_url=live.url)
        sign_in(evaluator, email, "/review")
        expect(evaluator.locator(".tasks")).to_contain_text("利益相反の申告")
        evaluator.click(f".tasks a[href='{application}']")
        evaluator.check("#conflict-none")
        evaluator.click("#declare-interests")
        done(evaluator, "利益相反を申告しました")
        for criterion in CRITERIA:
            evaluator.check(f"#f-{criterion.id}-score-{3 + number % 2}")
            evaluator.fill(f"#f-{criterion.id}-comment", f"{criterion.title.ja}：確認しました。")
        if number == 1:
            shot(evaluator, "recognition-2-evaluator-review")
        evaluator.click("#submit-review")
        done(evaluator, "審査結果を提出しました")
        evaluator.context.close()

    # The committee decides "recognised" and publishes.
    committee.reload()
    expect(committee.locator("#state")).to_contain_text("審査完了")
    committee.check("#decide-outcome-recognised")
    committee.fill("#f-decide-reasons_ja", "六つの基準をすべて満たしている。")
    committee.fill("#f-decide-reasons_en", "All six criteria are met.")
    shot(committee, "recognition-3-committee-decides")
    committee.click("#decide-submit")
    done(committee, "決定しました")
    committee.click("#publish-decision")
    done(committee, "決定を公表しました")
    number = committee.locator(".decision-card h3").first.get_attribute("id")
    assert number is not None
    number = number.removeprefix("dec-")

    # The public, signed out, sees the decision and the mark.
    public = new_tab(browser, base_url=live.url)
    public.goto("/recognition")
    expect(public.locator(".decisions")).to_contain_text("六つの基準をすべて満たしている。")
    public.fill("#q", "六つの基準")
    public.click(".decision-filter button[type=submit]")
    expect(public.locator("#decisions-status")).to_contain_text("1 件の決定")
    public.click(f"a[href='/recognition/decisions/{number}']")
    expect(public.locator("h1")).to_contain_text(number)
    expect(public.locator(".decision-facts")).to_contain_text("マイクロクレデンシャル認証機構")
    mark = public.locator(".decision__aside img")
    expect(mark).to_have_attribute(
        "alt", f"認定マーク：実践データサイエンス入門（認定、決定番号 {number}）")
    wait_until(public, "() => document.querySelector('.decision__aside img').naturalWidth > 0")
    shot(public, "recognition-4-public-decision")
    public.goto("/programmes/1")
    recognised = public.locator(f".recognitions [data-number='{number}']")
    expect(recognised).to_have_attribute("data-status", "valid")
    wait_until(public, "() => [...document.querySelectorAll('img.recognition__mark')]"
                       ".every(img => img.naturalWidth > 0)")

    # A learner's credential of the programme verifies, with the recognition shown.
    credential = learner_credential(live)
    public.goto("/verify")
    public.fill("#credential", json.dumps(credential, ensure_ascii=False))
    public.click(".verify-form button[type=submit]")
    expect(public.locator("#verify-verdict")).to_have_attribute("data-verified", "true")
    expect(public.locator("#verify-recognition")).to_have_attribute("data-recognition",
                                                                     "valid")
    expect(public.locator("#verify-recognition")).to_contain_text(number)
    shot(public, "recognition-5-verified-with-recognition")
    for page in (provider, committee, public):
        page.context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_review_queue_reads_on_a_phone_without_scrolling_sideways(
        browser: Browser, demo_server: LiveServer, language: str) -> None:
    """At 390 px the committee's list of applications is one card per application, each
    fact labelled, none cut at the right: nothing scrolls sideways (issue 51, small)."""
    tab = demo_phone_tab(browser, demo_server, "committee@demo.example",
                         f"/review?lang={language}", language=language)
    try:
        table = tab.locator("table.applications")
        assert table.locator("tbody tr").count() >= 1
        scroller = tab.locator(".table-scroll", has=table)
        wide, seen = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert wide <= seen, (wide, seen)
        labels = table.locator("tbody tr").first.locator("td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert all(label not in ("none", "normal", '""') for label in labels), labels
        shot(tab, f"review-queue-phone-{language}")
        assert axe_violations(tab) == []
    finally:
        tab.context.close()
