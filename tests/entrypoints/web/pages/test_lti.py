"""credstack as an LTI 1.3 tool, against a real platform (``lti1p3platform`` on loopback,
:mod:`tests.lti_platform`) over HTTP, on SQLite and PostgreSQL: registered by hand in the
workspace; an instructor's deep linking returns a signed content item the platform accepts;
a learner's launch starts the awards job, which reads the roster and the results (with the
platform's access token) and issues to those who passed, once; the learner's progress page
and claim into the wallet; a lowered grade shown to the issuer; Dynamic Registration
approved in the workspace; and every bad input refused or reported with its reason in
English and Japanese, audited, nothing issued by mistake.

One credstack server and one platform serve the whole module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from fastapi import Response
from sqlalchemy import func, select

from credstack.adapters.db.tables import IssuedCredentialRow
from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.web.pages.lti import keep_state
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import add_user, provider_store, signed_in_client, store_session
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.lti_platform import FORM_ACTION, FORM_FIELD, TestPlatform

SLUG = "hokuto-tech"
ADMIN = "admin@hokuto.example"
LEARNER_EMAIL = "learner00000@students.example.ac.jp"
PROGRESS = re.compile(r'href="/lti/progress/([^"]+)"')
HIDDEN = re.compile(r'name="(\w+)" value="([^"]*)"')


@dataclasses.dataclass
class Lms:
    live: LiveServer
    platform: TestPlatform
    admin: FormBrowser
    browser: httpx.Client
    link: str = ""


def grade_the_course(platform: TestPlatform) -> None:
    final = f"{platform.url}/lineitems/1"
    quiz = f"{platform.url}/lineitems/2"
    platform.course.line_items = {
        final: {"id": final, "label": "期末試験 Final exam", "tag": "final",
                "scoreMaximum": 100, "resourceLinkId": "rl-101"},
        # A line item without a maximum: a score on it cannot be compared with a minimum.
        quiz: {"id": quiz, "label": "Quiz", "tag": "quiz", "resourceLinkId": "rl-101"}}
    learners = [m.user_id for m in platform.course.members[1:]]
    platform.course.results = {
        # 15 pass, 5 fail, 9 have no result, and the one without an e-mail passes.
        final: {**{user: 80.0 for user in learners[:15]},
                **{user: 40.0 for user in learners[15:20]}, learners[-1]: 95.0},
        quiz: {user: 3.0 for user in learners[:5]}}


@pytest.fixture(scope="module")
def lms(module_settings: Settings) -> Iterator[Lms]:
    secret = new_master_key_text()
    settings, port = at_own_url(dataclasses.replace(module_settings, secret_key=secret))
    provider_store(settings, secret=secret, now=dt.datetime.now(dt.UTC))
    add_user(settings, ADMIN, name="Admin", roles=[(SLUG, "provider-admin")])
    add_user(settings, LEARNER_EMAIL, name="山田 花子")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
        for live in serve(settings, port=port):
            platform = TestPlatform(live.settings.public_url)
            grade_the_course(platform)
            with platform.serving(), httpx.Client(timeout=30, headers={
                    "Accept": "text/html", "Accept-Language": "en"}) as browser:
                admin = FormBrowser(live, ADMIN)
                registered = admin.post(f"/workspace/{SLUG}/lti", {
                    "name": "Test LMS", "issuer": platform.url, "client_id": platform.client_id,
                    "login_url": f"{platform.url}/authorize", "token_url": f"{platform.url}/token",
                    "jwks_url": f"{platform.url}/jwks", "deployments": platform.deployment})
                assert registered.status_code == 303, registered.text
                yield Lms(live, platform, admin, browser)
                admin.close()


def _deep_link(lms: Lms, *, line_item: str, minimum: str = "60") -> str:
    """The instructor's deep linking round (the platform verifies the content item with
    credstack's published key set); the new course link's id."""
    page = lms.platform.launch(lms.browser, user="teacher-1", kind="deep")
    assert "The credential this course awards" in page.text
    assert "frame-ancestors 'self' " + lms.platform.url in page.headers[
        "content-security-policy"]
    link = lms.platform.deep_link(lms.browser, line_item=line_item, minimum=minimum)
    item = lms.platform.course.content_items[-1]
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == f"{lms.live.settings.public_url}/lti/launch"
    return link


def _launch_id(page: httpx.Response) -> str:
    found = PROGRESS.search(page.text)
    assert found is not None, page.text
    return found.group(1)


def _until(lms: Lms, launch: str, text: str, *, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while True:
        page = lms.browser.get(f"{lms.live.url}/lti/progress/{launch}")
        if text in page.text:
            return page.text
        assert time.monotonic() < deadline, page.text
        time.sleep(0.3)


def _issued(lms: Lms, link: str) -> int:
    with store_session(lms.live.settings) as session:
        return session.scalar(select(func.count()).select_from(IssuedCredentialRow).where(
            IssuedCredentialRow.batch == f"lti:{link}")) or 0


def _audited(lms: Lms, action: str) -> list[dict[str, Any]]:
    with store_session(lms.live.settings) as session:
        return [dict(entry.details) for entry in audit.entries(session, limit=100_000)
                if entry.action == action]


def test_deep_linking_launch_roster_grades_issuance_and_claim(lms: Lms) -> None:
    """An instructor links a programme; a learner's launch issues every passing learner's
    credential once; the learner sees it and claims it into their wallet."""
    lms.link = _deep_link(lms, line_item="final")
    page = lms.platform.launch(lms.browser, user="learner-00000")
    assert page.status_code == 200, page.text
    assert "Course: データサイエンス入門" in page.text
    launch = _launch_id(page)
    text = _until(lms, launch, "Claim it into your wallet")
    assert "Your result: 80 / 100" in text
    assert _issued(lms, lms.link) == 15
    claim = re.search(r'href="/claim/([^"]+)"', text)
    assert claim is not None
    with signed_in_client(lms.live.url, LEARNER_EMAIL) as learner:
        followed = learner.get(f"/claim/{claim.group(1)}", follow_redirects=True)
        assert followed.status_code == 200
        assert "Introduction to Data" in followed.text or "データ" in followed.text
    listing = lms.admin.page(f"/workspace/{SLUG}/lti").text
    assert "The LMS gave no e-mail address for this learner" in listing
    assert listing.count("Not met yet") == 14  # 5 below the minimum, 9 without a result


def test_a_launch_again_issues_nothing_twice_and_a_lowered_grade_is_shown(lms: Lms) -> None:
    """Issuing again (an instructor's "issue now") stores no second credential; a grade
    lowered after issuance is shown to the issuer and nothing is revoked."""
    final = f"{lms.platform.url}/lineitems/1"
    lms.platform.course.results[final]["learner-00001"] = 10.0
    page = lms.platform.launch(lms.browser, user="teacher-1")
    launch = _launch_id(page)
    now = lms.browser.post(f"{lms.live.url}/lti/issue-now", data={"launch": launch})
    assert now.status_code == 200 and "Issuing started" in now.text
    _until(lms, launch, "Result lowered after issuance")
    assert _issued(lms, lms.link) == 15
    listing = lms.admin.page(f"/workspace/{SLUG}/lti").text
    assert "The result is now 10/100, below the rule (60%)." in listing


def _resigned(lms: Lms, **changes: Any) -> tuple[str, dict[str, str]]:
    """A real login's launch form whose id_token the platform signed again with
    ``changes`` to its claims."""
    action, fields = lms.platform.launch_form(lms.browser, user="learner-00002")
    claims = jwt.decode(fields["id_token"], options={"verify_signature": False})
    # Times are read when the launch is made, not when the tests are collected: a long
    # suite would otherwise send an id_token already expired.
    moments = {"an hour ago": int(time.time()) - 3600, "in five minutes": int(time.time()) + 300}
    changes = {name: moments.get(value, value) if isinstance(value, str) else value
               for name, value in changes.items()}
    registration = lms.platform.registration()
    fields["id_token"] = registration.platform_encode_and_sign({**claims, **changes})
    return action, fields


@pytest.mark.parametrize(("changes", "english", "japanese"), [
    ({"aud": "another-tool"}, "The audience is not credstack's client id",
     "宛先（aud）がこの LMS での credstack のクライアント ID ではありません"),
    ({"iat": "an hour ago", "exp": "in five minutes"},
     "issued too long ago", "発行時刻（iat）が古すぎます"),
    ({"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deployment-other"},
     "The deployment is not one registered", "このデプロイメントは LMS の登録にありません"),
    ({"nonce": "a-nonce-of-another-login"}, "The nonce is not the one of this login",
     "nonce がこのログインのものでないか"),
])
def test_a_launch_with_bad_claims_is_refused_with_its_reason(
        lms: Lms, changes: dict[str, Any], english: str, japanese: str) -> None:
    """Another audience, an old iat, an unknown deployment, another login's nonce: refused
    (401) with the reason in English and Japanese, and audited."""
    for language, words in (("en", english), ("ja", japanese)):
        action, fields = _resigned(lms, **changes)
        refused = lms.browser.post(action, data=fields, headers={"Accept-Language": language})
        assert refused.status_code == 401, refused.text
        assert words in html.unescape(refused.text)
    assert any(english in entry["message"] for entry in
               _audited(lms, "lti.launch.refused"))


def test_a_bad_signature_and_a_replayed_launch_are_refused(lms: Lms) -> None:
    """A signature that does not verify, and the same launch posted twice (its state and
    nonce used once), are refused and audited."""
    action, fields = lms.platform.launch_form(lms.browser, user="learner-00003")
    head, body, signature = fields["id_token"].split(".")
    forged = {**fields, "id_token": f"{head}.{body}.{signature[::-1]}"}
    refused = lms.browser.post(action, data=forged)
    assert refused.status_code == 401 and "does not verify" in refused.text
    action, fields = lms.platform.launch_form(lms.browser, user="learner-00003")
    # The replay carries the browser's state cookie too (the launch's answer deletes it).
    kept = httpx.Cookies(lms.browser.cookies)
    assert lms.browser.post(action, data=fields).status_code == 200
    with httpx.Client(cookies=kept, headers={"Accept-Language": "ja"}) as replaying:
        again = replaying.post(action, data=fields)
    assert again.status_code == 401
    assert "state が不明か使用済みです" in again.text
    reasons = {entry["reason"] for entry in _audited(lms, "lti.launch.refused")}
    assert {"bad-signature", "state"} <= reasons


def test_a_launch_posted_from_another_browser_is_refused(lms: Lms) -> None:
    """The login keeps its state in an HttpOnly cookie of the browser that started it (on
    plain HTTP, SameSite=Lax); the launch posted from another browser, without it, is
    refused in English and Japanese and audited as ``state-cookie``; the login is not used
    up, and its own browser's launch then passes."""
    started = lms.browser.get(f"{lms.platform.url}/start", params={"user": "learner-00005"})
    login = lms.browser.get(started.headers["location"])
    assert login.status_code == 302
    kept = login.headers.get_list("set-cookie")
    assert kept[0].startswith("credstack-lti-state-") and kept[1].startswith("credstack-lti-lax-")
    assert all("HttpOnly" in cookie and "Path=/lti/launch" in cookie
               and "Max-Age=600" in cookie for cookie in kept)
    # Over plain HTTP: SameSite=None; Secure (kept by browsers from localhost), and the
    # SameSite=Lax fallback.
    assert "SameSite=none" in kept[0] and "Secure" in kept[0]
    assert "SameSite=lax" in kept[1] and "Secure" not in kept[1]
    form = lms.browser.get(login.headers["location"])
    found = FORM_ACTION.search(form.text)
    assert found is not None, form.text
    action = html.unescape(found.group(1))
    fields = {name: html.unescape(value) for name, value in FORM_FIELD.findall(form.text)}
    for language, words in (("en", "was not posted by the browser that started this login"),
                            ("ja", "このログインを始めたブラウザーからの起動ではありません")):
        with httpx.Client(timeout=30, headers={"Accept-Language": language}) as other:
            refused = other.post(action, data=fields)
        assert refused.status_code == 401
        assert words in html.unescape(refused.text)
    refusals = [entry for entry in _audited(lms, "lti.launch.refused")
                if entry["reason"] == "state-cookie"]
    assert [entry["state_cookie"] for entry in refusals[-2:]] == ["absent", "absent"]
    accepted = lms.browser.post(action, data=fields)
    assert accepted.status_code == 200, accepted.text
    assert not [name for name in lms.browser.cookies if name.startswith("credstack-lti-")]


def test_the_state_cookie_is_samesite_none_and_secure_over_https() -> None:
    """Over HTTPS the state is kept in one cookie, ``SameSite=None; Secure``: a browser
    sends it with the LMS's cross-site launch POST."""
    response = Response()
    keep_state(response, "a-state", https=True)
    [cookie] = response.headers.getlist("set-cookie")
    assert cookie.startswith("credstack-lti-state-a-state=a-state;")
    assert "SameSite=none" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_a_rotated_key_is_followed_and_an_unreachable_key_set_refused(lms: Lms) -> None:
    """The platform rotates its key: while its key set cannot be read the launch is refused
    with that reason; once it can, the new key is read and the launch accepted."""
    lms.platform.rotate_key()
    lms.platform.jwks_reachable = False
    try:
        refused = lms.platform.launch(lms.browser, user="learner-00004")
        assert refused.status_code == 401
        assert "The platform's key set could not be read" in html.unescape(refused.text)
    finally:
        lms.platform.jwks_reachable = True
    accepted = lms.platform.launch(lms.browser, user="learner-00004")
    assert accepted.status_code == 200, accepted.text
    assert "jwks" in {entry["reason"] for entry in _audited(lms, "lti.launch.refused")}


def test_a_grade_without_maximum_and_a_roster_loop_issue_nothing(lms: Lms) -> None:
    """A link on a line item without a maximum reports every scored learner as blocked; a
    roster whose pages loop stops the reading (audited) and issues nothing."""
    link = _deep_link(lms, line_item="quiz", minimum="50")
    page = lms.platform.launch(lms.browser, user="learner-00000")
    launch = _launch_id(page)
    text = _until(lms, launch, "Cannot be issued")
    assert "without a maximum" in text
    assert _issued(lms, link) == 0
    lms.platform.course.roster_loops = True
    try:
        teacher = _launch_id(lms.platform.launch(lms.browser, user="teacher-1"))
        lms.browser.post(f"{lms.live.url}/lti/issue-now", data={"launch": teacher})
        deadline = time.monotonic() + 60
        while not any(entry.get("reason") == "lti-page-loop"
                      for entry in _audited(lms, "lti.awards.failed")):
            assert time.monotonic() < deadline
            time.sleep(0.3)
    finally:
        lms.platform.course.roster_loops = False
    assert _issued(lms, link) == 0


def test_dynamic_registration_waits_for_the_workspace_approval(lms: Lms) -> None:
    """An LMS registers credstack by LTI Dynamic Registration: its configuration read, the
    tool's registration posted; launches are refused until an administrator approves."""
    other = TestPlatform(lms.live.settings.public_url, client_id="dr-client")
    grade_the_course(other)
    with other.serving():
        answer = lms.browser.get(f"{lms.live.url}/lti/register/{SLUG}", params={
            "openid_configuration": f"{other.url}/.well-known/openid-configuration",
            "registration_token": "registration-token-1"})
        assert answer.status_code == 200, answer.text
        assert "The LMS is registered" in answer.text
        assert other.registered is not None
        tool = other.registered["https://purl.imsglobal.org/spec/lti-tool-configuration"]
        assert tool["target_link_uri"] == f"{lms.live.settings.public_url}/lti/launch"
        assert other.registered["jwks_uri"] == f"{lms.live.settings.public_url}/lti/jwks"
        refused = lms.browser.get(f"{other.url}/start", params={
            "user": "teacher-1", "kind": "deep"}, follow_redirects=True)
        assert refused.status_code == 401
        assert "No active registration of this platform" in refused.text
        listing = lms.admin.page(f"/workspace/{SLUG}/lti").text
        assert "Awaiting approval" in listing
        raw = lms.admin.get(f"/workspace/{SLUG}/lti").text
        platform_id = re.findall(r"/lti/(\d+)/approve", raw)[0]
        approved = lms.admin.post(f"/workspace/{SLUG}/lti/{platform_id}/approve")
        assert approved.status_code == 303
        page = other.launch(lms.browser, user="teacher-1", kind="deep")
        assert page.status_code == 200, page.text
        assert "The credential this course awards" in page.text


def test_an_issuer_may_issue_now_from_the_workspace(lms: Lms) -> None:
    """The workspace's "Issue now" starts the link's awards job as the signed-in issuer
    (audited), and issues nothing twice."""
    before = _issued(lms, lms.link)
    started = lms.admin.post(f"/workspace/{SLUG}/lti/links/{lms.link}/issue")
    assert started.status_code == 303, started.text
    assert "Issuing started" in lms.admin.page(f"/workspace/{SLUG}/lti?done=issuing").text
    deadline = time.monotonic() + 60
    while not any(entry.get("learners") for entry in _audited(lms, "lti.awards")
                  if entry.get("organisation") == SLUG):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    with store_session(lms.live.settings) as session:
        starters = {entry.actor for entry in audit.entries(session, limit=100_000)
                    if entry.action == "jobs.started" and entry.details.get("kind") == "lti.awards"}
    assert any(ADMIN in starter or starter.startswith("user:") for starter in starters)
    assert _issued(lms, lms.link) == before
