"""credstack as an LTI 1.3 tool, against a real platform (``lti1p3platform`` on loopback,
:mod:`tests.lti_platform`) over HTTP, on SQLite and PostgreSQL: registered by hand in the
workspace; an instructor's deep linking returns a signed content item the platform accepts;
a learner's launch starts the awards job, which reads the roster and the results (with the
platform's access token) and issues to those who passed, once; the learner's progress page,
claim into the wallet and wallet app's offer; an LMS account linked to a credstack account
and issued to it; two awards runs of a link at once, and the hourly schedule (an injected
clock); a lowered grade shown to the issuer; Dynamic Registration approved in the
workspace; and every bad input (a launch from another browser among them) refused or
reported with its reason in English and Japanese, audited, nothing issued by mistake.

One credstack server and one platform serve the whole module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, unquote

import httpx
import jwt
import pytest
from fastapi import Response
from sqlalchemy import delete, event, func, select, update

from credstack.adapters.db.tables import (
    IssuedCredentialRow,
    IssuerKeyRow,
    JobRow,
    LoginAttemptRow,
    OrganisationRow,
    UserRow,
)
from credstack.adapters.db.tables.lti import (
    LtiIdentityRow,
    LtiLaunchRow,
    LtiLearnerRow,
    LtiLinkRow,
    LtiLoginRow,
    LtiRegistrationTokenRow,
)
from credstack.adapters.db.tables.oid4vc import Oid4vciOfferRow
from credstack.adapters.db.tables.wallet import WalletCredentialRow, WalletIdentifierRow
from credstack.adapters.jobs.queue import HueyQueue
from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import build_runtime, engine_of
from credstack.entrypoints.web.pages.lti import keep_state
from credstack.services import lti
from credstack.services.audit import service as audit
from credstack.services.background.lti import LTI
from credstack.services.background.worker import Worker
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_user, provider_store, signed_in_client, store_session
from tests.conftest import Clock, LiveServer, ShiftedClock, at_own_url, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.lti_platform import FORM_ACTION, FORM_FIELD, TestPlatform

SLUG = "hokuto-tech"
ADMIN = "admin@hokuto.example"
LEARNER_EMAIL = "learner00000@students.example.ac.jp"
PROGRESS = re.compile(r'href="/lti/progress/([^"?]+)["?]')
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


def test_the_launch_page_offers_the_credential_to_a_wallet_app(lms: Lms) -> None:
    """Once issued, the learner's launch page shows their credential's OID4VCI offer (a QR
    code, drawn as an image of its own, and a link) — the offer the issuance e-mail carries,
    shown again, not a new one each time — which the offer URL serves with its
    pre-authorised code."""
    launch = _launch_id(lms.platform.launch(lms.browser, user="learner-00000"))
    text = _until(lms, launch, "Receive in a wallet app")
    assert (f'src="/lti/progress/{launch}/offer.svg" width="280" height="280" '
            'alt="QR code of the credential offer (OpenID4VCI)"') in text
    qr = lms.browser.get(f"{lms.live.url}/lti/progress/{launch}/offer.svg")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml"
    assert "<svg" in qr.text
    found = re.search(r'href="(openid-credential-offer://\?credential_offer_uri=[^"]+)"', text)
    assert found is not None
    link = html.unescape(found.group(1))
    served = lms.browser.get(unquote(link.partition("credential_offer_uri=")[2]))
    assert served.status_code == 200
    assert served.json()["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]
    again = lms.browser.get(f"{lms.live.url}/lti/progress/{launch}").text
    assert found.group(1) in again
    with store_session(lms.live.settings) as session:
        credential = session.scalar(select(IssuedCredentialRow.id).where(
            IssuedCredentialRow.batch == f"lti:{lms.link}",
            IssuedCredentialRow.learner == LEARNER_EMAIL))
        offers = session.scalars(select(Oid4vciOfferRow.channel).where(
            Oid4vciOfferRow.credential_id == credential)).all()
    assert offers == ["mail"]


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


def test_a_reason_kept_as_words_before_reasons_were_keys_is_shown_as_kept(lms: Lms) -> None:
    """A learner's row written before a decision's reason was a message key holds its English
    words (issue 53): the issuer's page shows them as they were kept, and a reason kept as a
    key in the same listing is worded from the catalogues."""
    kept = "The result is now 5/100, below the rule (60%)."
    with store_session(lms.live.settings) as session:
        row = session.scalars(select(LtiLearnerRow).where(
            LtiLearnerRow.reason.is_not(None)).order_by(LtiLearnerRow.id)).first()
        assert row is not None and row.reason is not None and row.reason.startswith("{")
        row_id, original = row.id, row.reason
        row.reason = kept
    try:
        listing = lms.admin.page(f"/workspace/{SLUG}/lti").text
        assert kept in listing
        assert "The LMS gave no e-mail address for this learner" in listing
    finally:
        with store_session(lms.live.settings) as session:
            session.execute(update(LtiLearnerRow).where(LtiLearnerRow.id == row_id)
                            .values(reason=original))


def test_a_learner_links_their_lms_account_and_is_issued_to_it(lms: Lms) -> None:
    """The learner the LMS gives no e-mail address cannot be issued; from their launch page
    they sign in and link the LMS account to theirs: the next award goes to the account's
    address and arrives in its wallet; the account page lists the link and unlinks it; an
    LMS account linked already is refused to another account (ja and en)."""
    account = "hanako.linked@example.jp"
    add_user(lms.live.settings, account, name="山田 花子")
    add_user(lms.live.settings, "someone.else@example.jp", name="Someone else")
    page = lms.platform.launch(lms.browser, user="learner-00029")
    assert "Cannot be issued" in page.text
    launch = _launch_id(page)
    connect = _connect_url(page.text, launch)
    assert f'href="{connect}" target="_blank"' in page.text
    assert f'href="/sign-up?next={quote(connect, safe="/")}"' in page.text
    with patiently.client(base_url=lms.live.url, headers={"Accept": "text/html"}) as anonymous:
        asked = anonymous.get(connect)
    assert asked.status_code == 303 and "/sign-in?next=" in asked.headers["location"]
    assert "token%3D" in asked.headers["location"]  # the token survives the sign-in
    learner = FormBrowser(lms.live, account)
    other = FormBrowser(lms.live, "someone.else@example.jp", language="ja")
    try:
        shown = learner.page(connect).text
        assert "will be linked to the credstack account hanako.linked@example.jp" in shown
        token = connect.partition("?token=")[2]
        linked = learner.post(f"/lti/connect/{launch}", {"token": token})
        assert linked.status_code == 303
        # Nothing was awarded to this LMS account before: there was no address to issue to.
        assert linked.headers["location"] == "/account?done=lti-linked"
        listing = learner.page("/account?done=lti-linked").text
        assert "The LMS account is linked." in listing and "Test LMS" in listing
        # Another account, with a launch of its own for the same LMS user.
        again = lms.platform.launch(lms.browser, user="learner-00029")
        other_launch = _launch_id(again)
        refused = other.post(f"/lti/connect/{other_launch}",
                             {"token": _connect_url(again.text, other_launch).partition(
                                 "?token=")[2]})
        assert refused.status_code == 409
        assert "別の credstack アカウントに連携済みです" in refused.text
        # The link started the link's awards again (the learner had met the rule).
        _until(lms, launch, "Claim it into your wallet")
        with store_session(lms.live.settings) as session:
            assert session.scalar(select(func.count()).select_from(IssuedCredentialRow).where(
                IssuedCredentialRow.batch == f"lti:{lms.link}",
                IssuedCredentialRow.learner == account)) == 1
        wallet = learner.page("/wallet").text
        assert "Introduction to Data" in wallet or "データサイエンス" in wallet
        raw = learner.get("/account").text
        identity = re.findall(r'/account/lti/(\d+)/unlink', raw)
        assert len(identity) == 1
        assert learner.post(f"/account/lti/{identity[0]}/unlink").status_code == 303
        assert "No LMS account is linked" in learner.page("/account?done=lti-unlinked").text
    finally:
        learner.close()
        other.close()
    actions = {entry.action for entry in _audit_entries(lms)}
    assert {"lti.identity.linked", "lti.identity.unlinked"} <= actions


def _connect_url(page: str, launch: str) -> str:
    """The launch page's "sign in and link" address (with the launch's connect token)."""
    found = re.search(rf'href="(/lti/connect/{re.escape(launch)}\?token=[\w-]+)"', page)
    assert found is not None, page
    return found.group(1)


def test_credentials_awarded_before_the_link_move_into_the_linked_wallet(lms: Lms) -> None:
    """A learner issued a credential at the address the LMS gave (not their account's) links
    the LMS account: the credential is delivered into the account's wallet at once (the
    wallet does not take on the LMS's address as one of its own), and the wallet's export
    names the linked LMS account beside it."""
    account = "kenji.moved@example.jp"
    add_user(lms.live.settings, account, name="渡辺 翔")
    page = lms.platform.launch(lms.browser, user="learner-00006")
    launch = _launch_id(page)
    _until(lms, launch, "Claim it into your wallet")
    with store_session(lms.live.settings) as session:
        awarded = session.scalar(select(IssuedCredentialRow.credential_id).where(
            IssuedCredentialRow.batch == f"lti:{lms.link}",
            IssuedCredentialRow.learner == "learner00006@students.example.ac.jp"))
    assert awarded is not None
    learner = FormBrowser(lms.live, account)
    try:
        before = learner.page("/wallet").text
        assert "Introduction to Data" not in before and "データサイエンス" not in before
        connect = _connect_url(page.text, launch)
        linked = learner.post(f"/lti/connect/{launch}",
                              {"token": connect.partition("?token=")[2]})
        assert linked.status_code == 303, linked.text
        assert linked.headers["location"] == "/account?done=lti-linked-moved"
        assert "credentials the LMS awarded it before are now in your wallet" in learner.page(
            "/account?done=lti-linked-moved").text
        wallet = learner.page("/wallet").text
        assert "Introduction to Data" in wallet or "データサイエンス" in wallet
        with store_session(lms.live.settings) as session:
            held = session.execute(select(WalletCredentialRow.recipient).join(
                UserRow, UserRow.id == WalletCredentialRow.user_id).where(
                UserRow.email == account,
                WalletCredentialRow.credential_id == awarded)).scalars().all()
            kept = session.scalars(select(WalletIdentifierRow.value).join(
                UserRow, UserRow.id == WalletIdentifierRow.user_id).where(
                UserRow.email == account)).all()
        assert held == ["email:learner00006@students.example.ac.jp"]
        assert "learner00006@students.example.ac.jp" not in kept
        exported = learner.get("/account/archive")
        assert exported.status_code == 200
        with zipfile.ZipFile(io.BytesIO(exported.content)) as opened:
            manifest = json.loads(opened.read("manifest.json"))
        [identity] = manifest["lms_identities"]
        assert (identity["lms"], identity["issuer"], identity["user_id"], identity["email"]) == (
            "Test LMS", lms.platform.url, "learner-00006", "learner00006@students.example.ac.jp")
        assert identity["name"] == "渡辺 翔" and identity["linked_at"].endswith("Z")
        assert len(manifest["credentials"]) == 1
    finally:
        learner.close()
    linked_entry = [entry for entry in _audited(lms, "lti.identity.linked")
                    if entry["sub"] == "learner-00006"]
    assert linked_entry and linked_entry[-1]["awarded"] == 1


#: Each refused link: what its page says in English and Japanese.
REFUSED_LINKS = {
    "replayed": ("a launch links once", "連携は起動 1 回につき 1 度だけです"),
    "forged": ("is not this launch's", "この起動のものではありません"),
    "absent": ("is missing or is not this launch's", "トークンがないか"),
    "stale": ("The launch is over 30 minutes old", "起動から 30 分を過ぎました"),
}


@pytest.mark.parametrize("case", list(REFUSED_LINKS))
def test_a_link_without_the_launchs_fresh_token_is_refused(lms: Lms, case: str) -> None:
    """Linking asks for the signed-in account and the launch's connect token: a token
    replayed after its link, one made up, none (the launch id alone), or one of a launch
    over 30 minutes old is refused with the reason in English and Japanese, audited, and
    links nothing."""
    english, japanese = REFUSED_LINKS[case]
    account = f"refused.{case}@example.jp"
    add_user(lms.live.settings, account, name="Refused")
    page = lms.platform.launch(lms.browser, user="learner-00007")
    launch = _launch_id(page)
    token = _connect_url(page.text, launch).partition("?token=")[2]
    english_browser = FormBrowser(lms.live, account)
    japanese_browser = FormBrowser(lms.live, account, language="ja")
    try:
        if case == "replayed":
            first = english_browser.post(f"/lti/connect/{launch}", {"token": token})
            assert first.status_code == 303
            english_browser.post(f"/account/lti/{_identity_of(lms, account)}/unlink")
        elif case == "forged":
            token = token[::-1]
        elif case == "absent":
            token = ""
        else:
            with store_session(lms.live.settings) as session:
                session.execute(update(LtiLaunchRow).where(
                    LtiLaunchRow.public_id == launch).values(
                    created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)))
                session.commit()
        for browser, words in ((english_browser, english), (japanese_browser, japanese)):
            refused = browser.post(f"/lti/connect/{launch}", {"token": token})
            assert refused.status_code == 401, refused.text
            assert words in html.unescape(refused.text)
    finally:
        english_browser.close()
        japanese_browser.close()
    assert _identity_of(lms, account) is None
    assert _audited(lms, "lti.identity.refused")[-1]["reason"] == {
        "replayed": "used", "forged": "token", "absent": "token", "stale": "expired"}[case]


def test_the_progress_page_offers_the_link_only_with_the_launchs_token(lms: Lms) -> None:
    """The launch's own page carries the connect token, and its "see the latest" link passes
    it on; the progress page opened by the launch id alone offers no link and says to open
    the link in the LMS again."""
    page = lms.platform.launch(lms.browser, user="learner-00008")
    launch = _launch_id(page)
    token = _connect_url(page.text, launch).partition("?token=")[2]
    assert f'href="/lti/progress/{launch}?connect={token}"' in page.text
    carried = lms.browser.get(f"{lms.live.url}/lti/progress/{launch}",
                              params={"connect": token})
    assert _connect_url(carried.text, launch).endswith(token)
    for params in ({}, {"connect": token[::-1]}):
        bare = lms.browser.get(f"{lms.live.url}/lti/progress/{launch}", params=params)
        assert "/lti/connect/" not in bare.text
        assert "open the credstack link in the LMS again" in bare.text


def _identity_of(lms: Lms, account: str) -> int | None:
    with store_session(lms.live.settings) as session:
        return session.scalar(select(LtiIdentityRow.id).join(
            UserRow, UserRow.id == LtiIdentityRow.user_id).where(UserRow.email == account))


def _audit_entries(lms: Lms) -> list[Any]:
    with store_session(lms.live.settings) as session:
        return list(audit.entries(session, limit=100_000))


@contextmanager
def _runtime(lms: Lms, clock: Callable[[], dt.datetime] = ShiftedClock()) -> Iterator[Runtime]:
    """A second runtime on the server's store and queue (another worker, say)."""
    runtime = build_runtime(lms.live.settings, clock=clock)
    try:
        yield runtime
    finally:
        engine_of(runtime).dispose()


def _launched_link(lms: Lms) -> str:
    """A new course link on the final exam that knows its LMS services, as a first launch
    leaves it — made without a launch, which would start its awards job."""
    link = _deep_link(lms, line_item="final")
    with store_session(lms.live.settings) as session:
        known = session.scalars(select(LtiLinkRow).where(
            LtiLinkRow.resource_link_id.is_not(None)).limit(1)).one()
        session.execute(update(LtiLinkRow).where(LtiLinkRow.public_id == link).values(
            resource_link_id=known.resource_link_id, memberships_url=known.memberships_url,
            lineitems_url=known.lineitems_url))
        session.commit()
    return link


def test_two_awards_runs_of_one_link_at_once_issue_each_learner_once(lms: Lms) -> None:
    """Two runs of a link's awards at once (two "issue now", or the hour's and an
    instructor's): one claims the link and issues, the other finds it claimed, reads and
    issues nothing (audited); each passing learner has one credential; the link is free
    again afterwards."""
    link = _launched_link(lms)
    # 14 pass with an e-mail address: 15 scored 80, one of them since lowered to 10.
    passing = 14
    start = threading.Barrier(2)
    done: list[lti.Synced] = []

    def run(runtime: Runtime) -> None:
        start.wait()
        done.append(lti.sync(runtime, actor=LTI, link=link))

    with _runtime(lms) as first, _runtime(lms) as second:
        threads = [threading.Thread(target=run, args=(runtime,)) for runtime in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert sorted(synced.skipped for synced in done) == [False, True]
        assert sum(synced.issued for synced in done) == passing
        assert _issued(lms, link) == passing
        with store_session(lms.live.settings) as session:
            learners = session.scalars(select(IssuedCredentialRow.learner).where(
                IssuedCredentialRow.batch == f"lti:{link}")).all()
            claimed = session.scalar(select(LtiLinkRow.awarding_by).where(
                LtiLinkRow.public_id == link))
        assert len(learners) == len(set(learners)) == passing and claimed is None
        assert any(entry.get("reason") == "another run holds the link"
                   for entry in _audited(lms, "lti.awards.skipped"))
        again = lti.sync(first, actor=LTI, link=link)
        assert not again.skipped and again.issued == 0 and _issued(lms, link) == passing


def test_a_learner_who_links_during_an_awards_run_is_issued_to_the_account(lms: Lms) -> None:
    """A learner links their LMS account while a run of the link's awards is under way —
    after it read the roster and the links, before it issued: the run issues to the
    account's address (read again at issue time), not to the LMS's."""
    account = "mika.during@example.jp"
    add_user(lms.live.settings, account, name="佐藤 美香")
    page = lms.platform.launch(lms.browser, user="learner-00010")
    launch = _launch_id(page)
    token = _connect_url(page.text, launch).partition("?token=")[2]
    link = _launched_link(lms)
    learner = FormBrowser(lms.live, account)
    linked: list[int] = []

    def read(session: Any, _: Any) -> None:
        # The run's reading of the course: its learners of the link stored.
        if any(isinstance(row, LtiLearnerRow) for row in session.new):
            session.info["read"] = True

    def link_after_the_reading(session: Any) -> None:
        if session.info.pop("read", False) and not linked:
            linked.append(learner.post(f"/lti/connect/{launch}", {"token": token}).status_code)

    try:
        with _runtime(lms) as runtime:
            event.listen(runtime.sessions, "after_flush", read)
            event.listen(runtime.sessions, "after_commit", link_after_the_reading)
            lti.sync(runtime, actor=LTI, link=link)
    finally:
        learner.close()
    assert linked == [303]
    lms_address = next(member.email for member in lms.platform.course.members
                       if member.user_id == "learner-00010")
    with store_session(lms.live.settings) as session:
        issued = set(session.scalars(select(IssuedCredentialRow.learner).where(
            IssuedCredentialRow.batch == f"lti:{link}")))
    assert account in issued and lms_address not in issued


def _credential_of(lms: Lms, link: str, learner: str) -> str | None:
    with store_session(lms.live.settings) as session:
        return session.scalar(select(IssuedCredentialRow.credential_id).where(
            IssuedCredentialRow.batch == f"lti:{link}", IssuedCredentialRow.learner == learner))


def test_a_learner_who_links_while_a_run_issues_finds_the_credential_in_the_wallet(
        lms: Lms) -> None:
    """A learner links their LMS account after a run issued to the LMS's address and before
    it noted the credential on the learner (the link's own reading cannot see it): the run,
    seeing the link then, delivers the credential into the account's wallet."""
    account = "ken.issuing@example.jp"
    add_user(lms.live.settings, account, name="高橋 健")
    page = lms.platform.launch(lms.browser, user="learner-00011")
    launch = _launch_id(page)
    token = _connect_url(page.text, launch).partition("?token=")[2]
    link = _launched_link(lms)
    learner = FormBrowser(lms.live, account)
    lms_address = next(member.email for member in lms.platform.course.members
                       if member.user_id == "learner-00011")
    linked: list[int] = []

    def link_once_issued(_: Any) -> None:
        # The first commit after which the credential is stored: the run's issuing.
        if not linked and _credential_of(lms, link, lms_address) is not None:
            linked.append(learner.post(f"/lti/connect/{launch}", {"token": token}).status_code)

    try:
        with _runtime(lms) as runtime:
            event.listen(runtime.sessions, "after_commit", link_once_issued)
            lti.sync(runtime, actor=LTI, link=link)
    finally:
        learner.close()
    assert linked == [303]
    with store_session(lms.live.settings) as session:
        held = session.scalars(select(WalletCredentialRow.credential_id).join(
            UserRow, UserRow.id == WalletCredentialRow.user_id).where(
            UserRow.email == account)).all()
    credential = _credential_of(lms, link, lms_address)
    assert credential is not None and credential in held


def test_the_hourly_schedule_starts_every_launched_links_awards(lms: Lms) -> None:
    """The worker's schedule entry ``credstack.lti-awards`` is due at minute 50 of every
    hour (not at 49); run, it starts one awards job per launched link, keyed by the hour
    of the runtime's clock: once in the hour however often it runs, again the next hour."""
    clock = Clock(dt.datetime(2026, 1, 5, 10, 50, tzinfo=dt.UTC))
    with _runtime(lms, clock) as runtime:
        Worker(runtime)  # its schedule, on the server's queue; not started
        queue = runtime.jobs
        assert isinstance(queue, HueyQueue)

        def due(at: dt.datetime) -> list[Any]:
            return [task for task in queue.huey.read_periodic(at.replace(tzinfo=None))
                    if task.name == "credstack.lti-awards"]

        def started() -> list[str]:
            with store_session(lms.live.settings) as session:
                return list(session.scalars(select(JobRow.idempotency_key).where(
                    JobRow.kind == "lti.awards", JobRow.idempotency_key.like("%:2026-01-05T%"))))

        assert due(clock.now - dt.timedelta(minutes=1)) == []
        links = {link for link, _ in lti.all_links(runtime)}
        [task] = due(clock.now)
        queue.huey.execute(task)
        queue.huey.execute(task)
        first = started()
        assert sorted(first) == sorted(f"lti.awards:{link}:2026-01-05T10" for link in links)
        clock.advance(hours=1)
        [task] = due(clock.now)
        queue.huey.execute(task)
        assert len(started()) == 2 * len(links)


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
    with patiently.client(cookies=kept, headers={"Accept-Language": "ja"}) as replaying:
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
    with store_session(lms.live.settings) as session:
        refusals = [entry for entry in audit.entries(session, limit=100_000)
                    if entry.action == "lti.launch.refused"
                    and entry.details["reason"] == "state-cookie"]
    assert [entry.details["state_cookie"] for entry in refusals[-2:]] == ["absent", "absent"]
    assert refusals[-1].actor == f"lti:{lms.platform.url}"
    accepted = lms.browser.post(action, data=fields)
    assert accepted.status_code == 200, accepted.text
    assert not [name for name in lms.browser.cookies if name.startswith("credstack-lti-")]


def test_a_launch_through_the_lms_storage_is_posted_again_only_by_credstacks_page(
        lms: Lms) -> None:
    """An LMS that offers its storage (``lti_storage_target``) gets a login page that keeps
    the state there (for the LMS's origin only) and goes on to the LMS, the state cookie
    set besides; a launch that comes without the cookie gets the page that reads the state
    back. The launch posted again with the state read is accepted from credstack's own
    origin only: from another site it is refused (state-cookie, audited)."""
    lms.platform.storage_target = "_parent"
    try:
        started = lms.browser.get(f"{lms.platform.url}/start",
                                  params={"user": "learner-00009"})
        assert started.headers["location"].endswith("&lti_storage_target=_parent")
        login = lms.browser.get(started.headers["location"])
        assert login.status_code == 200 and 'data-lti-storage="put"' in login.text
        found = dict(re.findall(r'data-(origin|key|value|redirect)="([^"]*)"', login.text))
        state = html.unescape(found["value"])
        assert found["origin"] == lms.platform.url
        assert found["key"] == "credstack_state_" + state.partition(".")[0]
        assert {cookie.split("=", 1)[0] for cookie in login.headers.get_list("set-cookie")} == {
            "credstack-lti-state-" + state, "credstack-lti-lax-" + state}
        with httpx.Client(timeout=30, headers={"Accept-Language": "en"}) as framed:
            form = framed.get(html.unescape(found["redirect"]))
            action = html.unescape(FORM_ACTION.search(form.text).group(1))  # type: ignore[union-attr]
            fields = {name: html.unescape(value)
                      for name, value in FORM_FIELD.findall(form.text)}
            assert fields["lti_storage_target"] == "_parent" and fields["state"] == state
            reading = framed.post(action, data=fields)
            assert reading.status_code == 200 and 'data-lti-storage="get"' in reading.text
            assert f'data-key="{found["key"]}"' in reading.text
            read = {**fields, "lti_storage_state": state}
            forged = framed.post(action, data=read, headers={"Origin": lms.platform.url})
            assert forged.status_code == 401
            assert "was not posted by the browser that started this login" in forged.text
            accepted = framed.post(action, data=read,
                                   headers={"Origin": lms.live.settings.public_url})
        assert accepted.status_code == 200, accepted.text
        assert "Introduction to Data Science" in accepted.text
    finally:
        lms.platform.storage_target = None
    refused = _audited(lms, "lti.launch.refused")[-1]
    assert (refused["reason"], refused["state_cookie"]) == ("state-cookie", "absent")


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


def _registration_url(admin: FormBrowser) -> str:
    """A registration URL made on the workspace's LMS page (shown that once)."""
    made = admin.post(f"/workspace/{SLUG}/lti/registration-urls")
    assert made.status_code == 200, made.text
    found = re.search(r'id="lti-dr-url">([^<]+)<', made.text)
    assert found is not None, made.text
    return html.unescape(found.group(1))


def test_dynamic_registration_waits_for_the_workspace_approval(lms: Lms) -> None:
    """An LMS registers credstack by LTI Dynamic Registration with a registration URL an
    administrator made: its configuration read, the tool's registration posted; the URL is
    spent; launches are refused until an administrator approves."""
    other = TestPlatform(lms.live.settings.public_url, client_id="dr-client")
    grade_the_course(other)
    url = _registration_url(lms.admin)
    assert url.startswith(f"{lms.live.settings.public_url}/lti/register/{SLUG}/")
    params = {"openid_configuration": f"{other.url}/.well-known/openid-configuration",
              "registration_token": "registration-token-1"}
    with other.serving():
        answer = lms.browser.get(url, params=params)
        assert answer.status_code == 200, answer.text
        assert "The LMS is registered" in answer.text
        assert other.registered is not None
        tool = other.registered["https://purl.imsglobal.org/spec/lti-tool-configuration"]
        assert tool["target_link_uri"] == f"{lms.live.settings.public_url}/lti/launch"
        assert other.registered["jwks_uri"] == f"{lms.live.settings.public_url}/lti/jwks"
        other.registered = None
        again = lms.browser.get(url, params=params)
        assert again.status_code == 403 and "registration URL is not valid" in again.text
        assert other.registered is None
        refused = lms.browser.get(f"{other.url}/start", params={
            "user": "teacher-1", "kind": "deep"}, follow_redirects=True)
        assert refused.status_code == 401
        assert "No active registration of this platform" in refused.text
        listing = lms.admin.page(f"/workspace/{SLUG}/lti").text
        assert "Awaiting approval" in listing
        assert re.search(r"Used \d{4}-\d\d-\d\d \d\d:\d\d: lti1p3platform", listing), listing
        raw = lms.admin.get(f"/workspace/{SLUG}/lti").text
        assert url.rsplit("/", 1)[1] not in raw  # shown once, never again
        platform_id = re.findall(r"/lti/(\d+)/approve", raw)[0]
        approved = lms.admin.post(f"/workspace/{SLUG}/lti/{platform_id}/approve")
        assert approved.status_code == 303
        page = other.launch(lms.browser, user="teacher-1", kind="deep")
        assert page.status_code == 200, page.text
        assert "The credential this course awards" in page.text
    [made] = _audited(lms, "lti.registration-token.made")[:1]
    assert made["organisation"] == SLUG


def test_dynamic_registration_without_a_valid_registration_url_is_refused(lms: Lms) -> None:
    """No token, an unknown one, one of another organisation's URL form, an expired one:
    refused (403) with the reason audited, nothing sent to the LMS."""
    other = TestPlatform(lms.live.settings.public_url, client_id="dr-refused")
    params = {"openid_configuration": f"{other.url}/.well-known/openid-configuration",
              "registration_token": "registration-token-1"}
    expired = _registration_url(lms.admin)
    with store_session(lms.live.settings) as session:
        session.execute(update(LtiRegistrationTokenRow)
                        .where(LtiRegistrationTokenRow.used_at.is_(None))
                        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
    before = len(_audited(lms, "lti.registration.refused"))
    with other.serving():
        for url in (f"{lms.live.url}/lti/register/{SLUG}",
                    f"{lms.live.url}/lti/register/{SLUG}/not-a-token",
                    f"{lms.live.url}/lti/register/no-such-org/not-a-token", expired):
            answer = lms.browser.get(url, params=params)
            assert answer.status_code == 403, (url, answer.text)
            assert "registration URL is not valid" in answer.text
        assert other.registered is None
    reasons = [entry["reason"] for entry in _audited(lms, "lti.registration.refused")[before:]]
    assert sorted(reasons) == ["expired", "unknown", "unknown", "unknown-organisation"]
    listing = lms.admin.page(f"/workspace/{SLUG}/lti").text
    assert "Expired unused" in listing
    with store_session(lms.live.settings) as session:
        session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.key.like("lti-register:%")))


def test_dynamic_registration_fetches_nothing_from_a_private_address(lms: Lms) -> None:
    """The LMS's configuration is fetched through the guarded fetcher: a private address is
    refused before any connection (the URL spent all the same)."""
    url = _registration_url(lms.admin)
    before = len(_audited(lms, "lti.registration.refused"))
    answer = lms.browser.get(url, params={
        "openid_configuration": "http://10.11.12.13/.well-known/openid-configuration"})
    assert answer.status_code == 422, answer.text
    assert "private or reserved address" in answer.text
    assert lms.browser.get(url).status_code == 403
    assert [entry["reason"] for entry in _audited(lms, "lti.registration.refused")[before:]
            ] == ["lms", "used"]
    with store_session(lms.live.settings) as session:
        session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.key.like("lti-register:%")))


def test_refused_registrations_are_limited_per_address_and_organisation(
        settings: Settings) -> None:
    """Past 10 refused registrations from one address (or 30 for one organisation, from any)
    within 15 minutes, registrations are refused at once — 429 with ``Retry-After``, even
    with a valid URL, which stays unspent — and the limit is audited once, not once per
    attempt beyond it. (The proxy's ``X-Forwarded-For`` names the addresses.)"""
    secret = new_master_key_text()
    configured, port = at_own_url(dataclasses.replace(
        settings, secret_key=secret, trusted_proxies=("127.0.0.1/32",)))
    provider_store(configured, secret=secret, now=dt.datetime.now(dt.UTC))
    add_user(configured, ADMIN, name="Admin", roles=[(SLUG, "provider-admin")])
    for live in serve(configured, port=port):
        admin = FormBrowser(live, ADMIN)
        url = _registration_url(admin)
        with httpx.Client(timeout=30, headers={"Accept-Language": "en"}) as browser:
            def attempt(target: str, address: str) -> httpx.Response:
                return browser.get(target, headers={"X-Forwarded-For": address})

            wrong = f"{live.url}/lti/register/{SLUG}/wrong"
            assert [attempt(wrong, "203.0.113.1").status_code for _ in range(10)] == [403] * 10
            limited = attempt(url, "203.0.113.1")
            assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 800
            assert "Too many" in limited.text
            for number in range(2, 22):
                assert attempt(wrong, f"203.0.113.{number}").status_code == 403
            assert attempt(url, "198.51.100.7").status_code == 429  # the organisation's 30
            assert [attempt(wrong, "198.51.100.8").status_code for _ in range(5)] == [429] * 5
        with store_session(configured) as session:
            entries = [(entry.action, dict(entry.details))
                       for entry in audit.entries(session, limit=1000)
                       if entry.action.startswith("lti.registration.")]
            assert session.scalar(select(LtiRegistrationTokenRow.used_at)) is None
        assert sum(action == "lti.registration.refused" for action, _ in entries) == 30
        assert sorted((details["by"], details["ip"]) for action, details in entries
                      if action == "lti.registration.limited") == [
            ("address", "203.0.113.1"), ("organisation", "203.0.113.21")]
        admin.close()


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


def _awards_jobs(lms: Lms, link: str) -> list[tuple[str, dict[str, Any], dict[str, str] | None]]:
    """The link's awards jobs, oldest first: (state, payload, error)."""
    with store_session(lms.live.settings) as session:
        return [(row.state, dict(row.payload), row.error) for row in session.scalars(
            select(JobRow).where(JobRow.kind == "lti.awards",
                                 JobRow.idempotency_key.like(f"lti.awards:{link}:%"))
            .order_by(JobRow.id))]


def _page_until(lms: Lms, launch: str, text: str, *, language: str = "en",
                seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while True:
        page = html.unescape(lms.browser.get(f"{lms.live.url}/lti/progress/{launch}",
                                             headers={"Accept-Language": language}).text)
        if text in page:
            return page
        assert time.monotonic() < deadline, page
        time.sleep(0.3)


def test_issue_now_while_another_run_holds_the_link_is_tried_again(lms: Lms) -> None:
    """An instructor's "Issue now" that finds another run holding the link is not dropped:
    its job is tried again after a back-off, which the launch page says (ja and en), and
    issues once the other run is over."""
    link = _launched_link(lms)
    with store_session(lms.live.settings) as session:
        session.execute(update(LtiLinkRow).where(LtiLinkRow.public_id == link).values(
            awarding_by="another-run",
            awarding_until=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)))
        session.commit()
    teacher = _launch_id(lms.platform.launch(lms.browser, user="teacher-1"))
    started = lms.browser.post(f"{lms.live.url}/lti/issue-now", data={"launch": teacher})
    assert "it is not dropped: it is tried again by itself" in html.unescape(started.text)
    _page_until(lms, teacher, "Issuing could not finish and is tried again by itself: "
                              "Conflict with the stored state: Another run of this course "
                              "link's awards is under way")
    _page_until(lms, teacher, "発行処理は完了できず、自動で再試行されます", language="ja")
    assert _issued(lms, link) == 0
    with store_session(lms.live.settings) as session:
        session.execute(update(LtiLinkRow).where(LtiLinkRow.public_id == link).values(
            awarding_by=None, awarding_until=None))
        session.commit()
    deadline = time.monotonic() + 90
    while True:
        [(state, _, _)] = [job for job in _awards_jobs(lms, link) if job[1].get("now")]
        if state == "succeeded":
            break
        assert state in ("queued", "running", "retrying") and time.monotonic() < deadline
        time.sleep(0.5)
    assert _issued(lms, link) == 14  # as in the concurrent runs' test


def test_awards_without_the_issuing_key_wait_and_are_retried(lms: Lms) -> None:
    """While the organisation has no active issuing key, a run reports it (audited,
    ``issuer-key``), issues nothing and is tried again, which the launch page says (ja and
    en); once a key is active again, the retried run issues every passing learner."""
    link = _launched_link(lms)
    with store_session(lms.live.settings) as session:
        organisation = session.scalar(select(OrganisationRow.id).where(
            OrganisationRow.slug == SLUG))
        retired = session.scalars(select(IssuerKeyRow.id).where(
            IssuerKeyRow.organisation_id == organisation,
            IssuerKeyRow.retired_at.is_(None))).all()
        session.execute(update(IssuerKeyRow).where(IssuerKeyRow.id.in_(retired)).values(
            retired_at=dt.datetime.now(dt.UTC)))
        session.commit()
    try:
        teacher = _launch_id(lms.platform.launch(lms.browser, user="teacher-1"))
        _page_until(lms, teacher, f"Issuing could not finish and is tried again by itself: "
                                  f"Configuration error: The issuing key of {SLUG} is "
                                  "unavailable")
        _page_until(lms, teacher, f"{SLUG} の発行用の鍵を利用できません", language="ja")
        assert _issued(lms, link) == 0
        assert any(entry.get("reason") == "issuer-key" and entry.get("waiting") == 14
                   for entry in _audited(lms, "lti.awards.failed"))
    finally:
        with store_session(lms.live.settings) as session:
            session.execute(update(IssuerKeyRow).where(IssuerKeyRow.id.in_(retired)).values(
                retired_at=None))
            session.commit()
    deadline = time.monotonic() + 120
    while _issued(lms, link) < 14:
        assert time.monotonic() < deadline, _awards_jobs(lms, link)
        time.sleep(0.5)


def _newest(lms: Lms, column: Any) -> int:
    with store_session(lms.live.settings) as session:
        return int(session.scalar(select(func.max(column))) or 0)


def _still_there(lms: Lms, column: Any, row_id: int) -> bool:
    with store_session(lms.live.settings) as session:
        return session.scalar(select(column).where(column == row_id)) is not None


def test_spent_states_and_launches_of_a_week_ago_are_purged(lms: Lms) -> None:
    """The hourly purge (last in the module: it forgets every launch) keeps a spent login
    state until its ten minutes and a margin are over — a state replayed before then is still
    found spent — and a launch for a week; then both go, audited once with the counts."""
    lms.platform.launch(lms.browser, user="learner-00005")
    login, launch = _newest(lms, LtiLoginRow.id), _newest(lms, LtiLaunchRow.id)
    clock = Clock(dt.datetime.now(dt.UTC))
    scheduler = Operator("scheduler")
    with _runtime(lms, clock) as runtime:
        clock.advance(minutes=10)
        lti.purge_expired(runtime, actor=scheduler)
        assert _still_there(lms, LtiLoginRow.id, login)
        clock.advance(minutes=6)
        first = lti.purge_expired(runtime, actor=scheduler)
        assert first.logins >= 1 and not _still_there(lms, LtiLoginRow.id, login)
        assert _still_there(lms, LtiLaunchRow.id, launch)
        clock.advance(days=7)
        second = lti.purge_expired(runtime, actor=scheduler)
        assert second.launches >= 1 and not _still_there(lms, LtiLaunchRow.id, launch)
        assert lti.purge_expired(runtime, actor=scheduler).total == 0
    purged = _audited(lms, "lti.purged")
    assert [entry["logins"] for entry in purged[-2:]] == [first.logins, second.logins]
    assert [entry["launches"] for entry in purged[-2:]] == [first.launches, second.launches]
