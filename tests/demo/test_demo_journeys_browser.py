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

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from credstack.demo.creditbank import REGISTRAR
from credstack.demo.recognition import APPLICANT, COMMITTEE, EVALUATORS, LEARNER
from tests.conftest import need_browser
from tests.demo_store import demo_process
from tests.entrypoints.web.pages.conftest import PHONE, axe_violations, new_tab, shot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

pytestmark = pytest.mark.browser

ISSUER = "issuer@demo.example"
EMPLOYER = "employer@demo.example"
OPERATOR = "registry-admin@demo.example"
#: The learner the issuer's journey issues to, who then signs up through the mailbox.
NEWCOMER = "newcomer@example.jp"
NEWCOMER_PASSWORD = "a passphrase of my own"
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
    with demo_process(tmp_path_factory.mktemp("journeys"), CREDSTACK_LANG="en") as (url, log):
        said = " ".join(log.read_text(encoding="utf-8").split())
        credential = re.search(r"holds credential (urn:uuid:[0-9a-f-]+)", said)
        target = re.search(r"target ([0-9a-f]+) published", said)
        assert credential and target, said
        yield Demo(url, credential.group(1), target.group(1))


class Walk:
    """One person's tab on the demo, on a phone's screen, in ``language``; :meth:`check`
    looks at the page it is on, and at the same page in the other language in a second tab
    of the same browser context (the same person, signed in)."""

    def __init__(self, browser: Browser, demo: Demo, language: str, who: str) -> None:
        self.browser = browser
        self.demo = demo
        self.language = language
        self.other = "en" if language == "ja" else "ja"
        self.who = who
        self.tab = new_tab(
            browser, locale="ja-JP" if language == "ja" else "en-GB", **PHONE, base_url=demo.url
        )
        self.failed: list[str] = []
        self.tab.on("response", self._answered)
        self._side: Page | None = None

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

    def place(self, name: str) -> None:
        """Go to one of the person's places through the phone header's menu."""
        self.menu(f"a[data-place={name}]")

    def menu(self, link: str) -> None:
        """Follow ``link`` (a selector) in the phone header's menu."""
        self.tab.locator(".site-menu > summary").click()
        self.tab.locator(f".site-menu {link}").click()

    def go(self, path: str, name: str) -> None:
        self.tab.goto(path)
        self.check(name)

    def check(self, name: str, *, again: bool = True, shoot: bool = False,
              stranger: bool = False) -> None:
        """The page the tab is on; and (``again``: its address shows it again, a GET) the
        same address in the other language, in the side tab — or, ``stranger``, in a tab of
        a browser of its own: a form before signing in (sign-in, sign-up) keeps its nonce in
        a cookie, which the same page opened in a second tab of the same browser replaces."""
        self._look(self.tab, f"{name} ({self.language})", shoot=shoot)
        if not again:
            return
        if stranger:
            side = new_tab(self.browser, **PHONE)
            side.on("response", self._answered)
        else:
            if self._side is None:
                self._side = self.tab.context.new_page()
                self._side.on("response", self._answered)
            side = self._side
        try:
            answered = side.goto(_with(self.tab.url.split("#")[0], lang=self.other))
            assert answered is not None and answered.status < 400, (self.who, name, self.other)
            self._look(side, f"{name} ({self.other})", shoot=shoot)
        finally:
            if stranger:
                side.context.close()
        # ?lang= is remembered in a cookie the tabs share: the walk's own language again.
        self.tab.context.add_cookies([{"name": "lang", "value": self.language,
                                       "url": self.demo.url}])

    def _look(self, tab: Page, name: str, *, shoot: bool) -> None:
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
    me.menu("a[href='/search']")
    tab.locator("#q").fill("データ")
    tab.locator("#search-submit").click()
    tab.wait_for_url("**/search?*")
    me.check("search")
    first = tab.locator("main a[href^='/programmes/']").first
    top = first.bounding_box()
    assert top is not None and top["y"] < 2 * PHONE["height"], top
    tab.locator("main a[href='/programmes/30']").first.click()
    me.check("programme")
    me.menu("a[href='/recognition']")
    me.check("recognition")
    tab.locator("main a[href='/recognition/decisions/R-2026-0001']").first.click()
    me.check("decision")
    tab.locator("footer a[href='/skills']").click()
    me.check("skills")
    tab.locator("footer a[href='/targets']").click()
    me.check("targets")
    tab.locator(f"main a[href='/targets/{demo.target}']").first.click()
    me.check("credit-bank target", shoot=True)
    tab.goto(f"/verify/{demo.credential}")
    verdict = tab.locator("#verify-verdict")
    expect(verdict).to_have_attribute("data-verified", "true")
    shown = verdict.bounding_box()
    assert shown is not None and shown["y"] < PHONE["height"], shown
    me.check("public verification", shoot=True)


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
    me.place("programmes")
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
    # Each outcome shows its five best suggestions: confirming one moves it to the confirmed
    # list and lets the next one in, so the skill itself is followed, not the count.
    first = tab.locator("main ul[id^='suggested-'] > li").first
    skill = first.get_attribute("data-skill")
    outcome = first.locator("xpath=ancestor::section[1]").get_attribute("id")
    assert skill and outcome
    first.locator("form[action$='/skills/confirm']").get_by_role("button").click()
    section = tab.locator(f"#{outcome}")
    expect(section.locator(f"ul[id^='confirmed-'] > li[data-skill='{skill}']")).to_have_count(1)
    expect(section.locator(f"ul[id^='suggested-'] > li[data-skill='{skill}']")).to_have_count(0)
    me.check("skill confirmed")
    me.place("recognition")
    me.check("recognition queue")
    tab.locator("main a[href^='/review/applications/']").first.click()
    me.check("application")


def test_the_committee_and_its_evaluators_review_and_decide_the_waiting_application(
    browser: Browser, demo: Demo, walks: list[Walk]
) -> None:
    """The committee lands on its queue, assigns both evaluators to the application waiting
    for them; each evaluator lands on the queue, declares no conflict and reviews every
    criterion; the committee decides and publishes, and the decision is public."""
    from playwright.sync_api import expect

    from credstack.core.review import CRITERIA

    committee = walk(walks, browser, demo, "ja", "committee")
    tab = committee.tab
    committee.sign_in(COMMITTEE, "/review")
    waiting = tab.locator(".tasks li.task:has(.state-tag--awaiting-assignment) a").first
    application = waiting.get_attribute("href")
    assert application is not None
    waiting.click()
    committee.check("application")
    for email in EVALUATORS:
        tab.select_option("#f-evaluator", email)
        tab.click("#assign-evaluator")
        expect(tab.locator("#done")).to_contain_text("評価者を選任しました")
    expect(tab.locator("#state")).to_contain_text("審査中")
    committee.check("evaluators assigned")
    for number, email in enumerate(EVALUATORS, 1):
        evaluator = walk(walks, browser, demo, "en" if number == 1 else "ja", f"evaluator {number}")
        evaluator.sign_in(email, "/review")
        evaluator.tab.locator(f".tasks a[href='{application}']").click()
        if number == 1:  # the second sees the same pages: looked at once, for time
            evaluator.check("application")
        evaluator.tab.check("#conflict-none")
        evaluator.tab.click("#declare-interests")
        expect(evaluator.tab.locator("#done")).to_be_visible()
        if number == 1:  # the second sees the same pages: looked at once, for time
            evaluator.check("interests declared")
        for criterion in CRITERIA:
            evaluator.tab.check(f"#f-{criterion.id}-score-{2 + number}")
            evaluator.tab.fill(f"#f-{criterion.id}-comment", f"{criterion.title.en}: checked.")
        evaluator.tab.click("#submit-review")
        expect(evaluator.tab.locator("#done")).to_be_visible()
        evaluator.check("review submitted")
    tab.reload()
    expect(tab.locator("#state")).to_contain_text("審査完了")
    tab.check("#decide-outcome-recognised")
    tab.fill("#f-decide-reasons_ja", "生成AIの業務活用について六つの基準を満たしている。")
    tab.fill("#f-decide-reasons_en", "The six criteria are met for generative AI at work.")
    tab.click("#decide-submit")
    expect(tab.locator("#done")).to_contain_text("決定しました")
    tab.click("#publish-decision")
    expect(tab.locator("#done")).to_contain_text("決定を公表しました")
    committee.check("decision published")
    tab.goto("/recognition")
    expect(tab.locator(".decisions")).to_contain_text("六つの基準を満たしている")
    committee.check("public decisions")


def test_an_issuer_issues_to_a_new_learner_who_claims_it_through_the_mailbox(
    browser: Browser, demo: Demo, walks: list[Walk]
) -> None:
    """The issuer lands on issuing, issues a credential to one new learner through the
    form, reads the credential's page (badge, baked download) and finds it in the list; the
    learner, who has no account, reads the e-mail in the demo's mailbox, signs up through
    its link and finds the credential in the new wallet."""
    from playwright.sync_api import expect

    me = walk(walks, browser, demo, "en", "issuer")
    tab = me.tab
    me.sign_in(ISSUER, "/workspace/hokuto-tech/issue")
    one = tab.get_by_role("form", name="Issue to one learner")
    one.get_by_label("Batch").fill("journey")
    one.get_by_label("Name in Japanese").fill("新井 未来")
    one.get_by_label("Name in English").fill("Mirai Arai")
    one.get_by_label("E-mail address").fill(NEWCOMER)
    one.get_by_role("button", name="Issue the credential").click()
    tab.wait_for_url("**?done=issued")
    expect(tab.get_by_role("status")).to_contain_text("The credential was issued.")
    expect(tab.locator("h1")).to_contain_text("新井 未来 / Mirai Arai")
    me.check("issued credential")
    me.place("credentials")
    tab.get_by_label("Search").fill("newcomer@")
    tab.get_by_role("button", name="Apply").click()
    expect(tab.get_by_text("1 credential", exact=True)).to_be_visible()
    me.check("issued list")
    # The learner, who has no account yet, reads the e-mail in the demo's mailbox.
    learner = walk(walks, browser, demo, "ja", "new learner")
    tab = learner.tab
    learner.go("/mailbox", "mailbox")
    tab.locator("#mailbox-to").fill(NEWCOMER)
    tab.locator("main form[action='/mailbox'] button").click()
    tab.wait_for_url("**/mailbox?to=*")
    expect(tab.locator("main")).to_contain_text("データサイエンス実践基礎")
    learner.check("the issued e-mail")
    # The e-mail's claim link (/claim/{id}) counts the opening and names the credential and
    # its issuer, with the way to sign in or make an account that comes back to it.
    # The newest e-mail is framed as sent, its text part open below with its links: the
    # person follows the claim link.
    tab.locator(f"main .mail-links a[href^='{demo.url}/claim/']").first.click()
    tab.wait_for_url(re.compile(r"/claim/"))
    expect(tab.locator("h1")).to_contain_text("データサイエンス実践基礎")
    learner.check("claim", stranger=True)
    tab.locator("main a[href^='/sign-up']").first.click()
    learner.check("sign-up", stranger=True)
    tab.locator("#email").fill(NEWCOMER)
    tab.locator("#display_name").fill("新井 未来")
    tab.locator("#password").fill(NEWCOMER_PASSWORD)
    tab.locator("main form[action='/sign-up'] button[type=submit]").click()
    learner.check("confirmation sent")
    tab.locator("main a[href^='/mailbox']").first.click()
    learner.check("the confirmation e-mail")
    tab.locator("main .mail-links a[href*='/sign-up/']").first.click()
    learner.check("confirm the address", stranger=True)
    tab.locator("main input[type=password]").fill(NEWCOMER_PASSWORD)
    tab.locator("main form button[type=submit]").click()
    # Back through the claim, to the credential's page in the new wallet.
    tab.wait_for_url(re.compile(r"/wallet/credentials/"))
    expect(tab.locator("h1")).to_contain_text("データサイエンス実践基礎")
    tab.goto(f"{demo.url}/wallet")
    expect(tab.locator(".wallet-card")).to_have_count(1)
    learner.check("wallet")


def test_the_learner_shares_a_credential_and_applies_for_credit_transfer(
    browser: Browser, demo: Demo, walks: list[Walk]
) -> None:
    """The learner lands on the wallet, opens the credential, makes a share link (shown in
    full, with a copy button) that opens for anyone, and applies for credit transfer into the
    demo target, whose rules the credential partly meets."""
    from playwright.sync_api import expect

    me = walk(walks, browser, demo, "ja", "learner")
    tab = me.tab
    me.sign_in(LEARNER, "/wallet")
    tab.locator("main a[href^='/wallet/credentials/']").first.click()
    me.check("wallet credential")
    tab.locator("main a[href^='/wallet/shares?credential=']").click()
    me.check("share links")
    tab.locator("#share-label").fill("応募：シリコンブリッジ / Application to SiliconBridge")
    tab.locator("main form[action='/wallet/shares'] button[type=submit]").click()
    expect(tab.locator("main button[data-copy=share-address]")).to_be_visible()
    address = tab.locator("#share-address").input_value()
    assert address.startswith(f"{demo.url}/s/"), address
    me.check("share link made", again=False)
    demo.left["share"] = address
    anyone = walk(walks, browser, demo, "en", "share's reader")
    anyone.tab.goto(address)
    anyone.check("share page", shoot=True)
    tab.locator("main a[href='/wallet/creditbank']").first.click()
    me.check("credit bank")
    # A deposit's kind ("証明書") reads as one word on a phone, never a character a line.
    kind = tab.locator("tr[data-deposit] td[data-cell=kind]").first
    assert kind.evaluate("""cell => { const lines = document.createRange();
        lines.selectNodeContents(cell); return lines.getClientRects().length; }""") == 1
    tab.locator("main form[action='/wallet/creditbank/applications'] button").first.click()
    me.check("applied", again=False)
    expect(tab.locator("main")).to_contain_text("データサイエンス履修証明プログラム")
    tab.goto("/wallet/creditbank")
    me.check("application listed")
    me.place("mailbox")
    me.check("mailbox")


def test_an_employer_matches_a_roles_skills_and_checks_the_learners_share_link(
    browser: Browser, demo: Demo, walks: list[Walk]
) -> None:
    """The employer lands on matching, has skills suggested from a job description, confirms
    two, finds the programmes covering them, and checks the candidate's share link (the
    learner's, from the journey before) against them; the link itself verifies."""
    from playwright.sync_api import expect

    me = walk(walks, browser, demo, "en", "employer")
    tab = me.tab
    me.sign_in(EMPLOYER, "/employers")
    tab.locator("#role-text").fill(
        "A data analyst who handles data, explains it to colleagues and uses machine learning.")
    tab.locator("#role-suggest").click()
    expect(tab.locator("#role-skills input[type=checkbox]").first).to_be_visible()
    me.check("suggested skills")
    boxes = tab.locator("#role-skills input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    tab.locator("#role-match").click()
    expect(tab.locator("main")).to_contain_text("Practical Data Science Foundations")
    me.check("programmes covering the skills")
    share = demo.left.get("share")
    assert share, "the learner's journey, before this one, makes the share link"
    tab.locator("#candidate-shared").fill(share)
    tab.locator("#candidate-check").click()
    expect(tab.locator("#candidate-result")).to_be_visible()
    me.check("candidate checked", again=False)
    tab.goto(share)
    me.check("the candidate's share")


def test_the_registrar_decides_the_learners_application_and_publishes_a_target(
    browser: Browser, demo: Demo, walks: list[Walk]
) -> None:
    """The registrar lands on the credit-bank decisions, opens the learner's application
    (from the learner's journey), reads the decision and approves it; then publishes a new
    target through the form (no YAML) and reads its public page."""
    from playwright.sync_api import expect

    me = walk(walks, browser, demo, "ja", "registrar")
    tab = me.tab
    me.sign_in(REGISTRAR, "/workspace/hokuto-tech/creditbank")
    tab.locator("main table a[href*='/creditbank/applications/']").first.click()
    me.check("application")
    tab.locator("main form[action$='/approval'] button").click()
    tab.wait_for_load_state()
    me.check("approved")
    tab.goto("/workspace/hokuto-tech/creditbank")
    tab.locator("#form-title-ja").fill("統計基礎証明")
    tab.locator("#form-title-en").fill("Statistics foundations certificate")
    tab.locator("#form-total").fill("2")
    tab.locator("#req-ja-1").fill("統計の基礎")
    tab.locator("#req-en-1").fill("Statistics foundations")
    tab.locator("#req-min-1").fill("2")
    # The publish button (the form's other buttons add rows and search the registry).
    tab.locator("main form[action*='/targets/form'] .form-actions "
                "button[type=submit]:not([name])").first.click()
    tab.wait_for_load_state()
    me.check("target published")
    expect(tab.locator("main")).to_contain_text("統計基礎証明")
    tab.locator("footer a[href='/targets']").click()
    tab.get_by_role("link", name="統計基礎証明").first.click()
    me.check("public target")


def test_the_operator_looks_after_organisations_people_and_jobs(
    browser: Browser, demo: Demo, walks: list[Walk]
) -> None:
    """The platform operator lands on the console's overview, and goes on to every
    organisation, one organisation's workspace, the people (a password-reset link made for
    one), the jobs."""
    from playwright.sync_api import expect

    me = walk(walks, browser, demo, "en", "operator")
    tab = me.tab
    me.sign_in(OPERATOR, "/console")
    me.place("operator")
    me.check("organisations")
    tab.locator("main a[href='/workspace/hokuto-tech']").click()
    me.check("an organisation's workspace")
    me.place("people")
    me.check("people")
    tab.get_by_role("button", name="Make a password reset link for 学習者 (Learner)").click()
    expect(tab.locator("main")).to_contain_text("/password-reset/")
    me.check("reset link made", again=False)
    me.place("jobs")
    me.check("jobs")
