"""The signed-in review pages over real HTTP, on SQLite and PostgreSQL.

A provider (``hokuto-tech``) with a published programme and an issuer key, a recognition body
(``mcrc-japan``) with its own key, and four people: the provider's administrator, a committee
member and two evaluators of the body. Each test signs them in with ``tests/accounts.py`` and
posts the pages' forms as a browser would — with the session's CSRF token as the form field
``csrf_token`` and the application's ``version`` — then reads the pages back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.review import CRITERIA
from credstack.settings import Settings
from tests.accounts import (
    PASSWORD,
    add_issuer,
    add_programme,
    add_user,
    sign_in,
    store_session,
)
from tests.conftest import LiveServer, serve_prepared
from tests.entrypoints.web.pages.test_programmes import Page
from tests.helpers import organisation

HTML = {"Accept": "text/html"}
EN = {**HTML, "Accept-Language": "en"}
SECRET = new_master_key_text()
PROVIDER = "hokuto-tech"
BODY = "mcrc-japan"
BODY_NAME = {"ja": "マイクロクレデンシャル認証機構", "en": "Micro-credential Recognition Council"}
ADMIN = "admin@hokuto.example.ac.jp"
COMMITTEE = "chair@mcrc.example.jp"
EVALUATORS = ("eval1@mcrc.example.jp", "eval2@mcrc.example.jp")
XSS = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>')
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')
APPLICATION_URL = re.compile(r"/review/applications/(app_[a-z2-7]+)")


def prepare(settings: Settings) -> None:
    """The provider with its key and published programme 1, the body with its key, and the
    four people."""
    secret = MasterKey.from_text(SECRET, source="test")
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    with store_session(settings) as session:
        add_issuer(session, now=now, secret=secret, document=organisation(slug=PROVIDER))
        add_issuer(session, now=now, secret=secret, document=organisation(
            slug=BODY, kind="recognition-body", name=BODY_NAME, url="https://mcrc.example.jp/"))
        add_programme(session, now=now)
    add_user(settings, ADMIN, name="北都 管理者", roles=[(PROVIDER, "provider-admin")])
    add_user(settings, COMMITTEE, name="認証 委員長", roles=[(BODY, "committee-member")])
    for number, email in enumerate(EVALUATORS, 1):
        add_user(settings, email, name=f"評価者 {number}", roles=[(BODY, "evaluator")])


def serve_prepared_review(settings: Settings) -> Iterator[LiveServer]:
    """The server, once ``prepare`` has run, with the key store's secret and the provider as
    the VC-API's issuer (two organisations have keys)."""
    for server, _ in serve_prepared(settings, prepare, secret_key=SECRET,
                                    default_issuer=PROVIDER, max_body_bytes=12 * 1024 * 1024):
        yield server


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    yield from serve_prepared_review(settings)


class Person:
    """A signed-in browser-like client that posts forms with their CSRF token."""

    def __init__(self, base_url: str, email: str, language: str = "ja") -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30,
                                   headers={"Accept": "text/html",
                                            "Accept-Language": language})
        response = sign_in(self.client, email, PASSWORD)
        assert response.status_code == 303, response.text
        self.csrf = ""

    def get(self, path: str) -> httpx.Response:
        response = self.client.get(path)
        found = CSRF_INPUT.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True,
             files: dict[str, Any] | None = None, version: int | None = None
             ) -> httpx.Response:
        if not self.csrf:
            self.get("/review")
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.csrf
        if version is not None:
            form["version"] = str(version)
        return self.client.post(path, data=form, files=files)

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def people(live: LiveServer) -> Iterator[dict[str, Person]]:
    signed = {"admin": Person(live.url, ADMIN), "committee": Person(live.url, COMMITTEE),
              "eval1": Person(live.url, EVALUATORS[0]), "eval2": Person(live.url, EVALUATORS[1])}
    yield signed
    for person in signed.values():
        person.close()


@dataclass
class Application:
    id: str

    @property
    def url(self) -> str:
        return f"/review/applications/{self.id}"


def version(person: Person, application: Application) -> int:
    page = person.get(application.url)
    assert page.status_code == 200, page.text
    found = VERSION_INPUT.search(page.text)
    assert found is not None, page.text
    return int(found.group(1))


def step(person: Person, application: Application, name: str, data: dict[str, Any] | None = None,
         *, files: dict[str, Any] | None = None, expect: int = 303) -> httpx.Response:
    """Post one step's form from a freshly loaded page, as a person would."""
    current = version(person, application)
    response = person.post(f"{application.url}/{name}", data, files=files, version=current)
    assert response.status_code == expect, response.text[-3000:]
    return response


def apply(admin: Person, *, texts: dict[str, str] | None = None) -> Application:
    """Open an application for programme 1, version 1, to the body, against jp-mc."""
    form = admin.get("/review/new")
    assert form.status_code == 200, form.text
    assert 'value="1:1"' in form.text and f'value="{BODY}"' in form.text
    response = admin.post("/review/new", {"programme": "1:1", "recognition_body": BODY,
                                          "profile": "jp-mc"})
    assert response.status_code == 303, response.text
    found = APPLICATION_URL.search(response.headers["location"])
    assert found is not None
    return Application(found.group(1))


def self_evaluation(texts: dict[str, str] | None = None) -> dict[str, str]:
    given = texts or {}
    return {f"self_evaluation.{c.id}": given.get(c.id, f"{c.title.ja}について：十分に満たす。")
            for c in CRITERIA}


def complete_review(people: dict[str, Person], application: Application, *,
                    comment: str = "確認しました。") -> None:
    """Self-evaluation, evidence, submission; both evaluators assigned, declared, reviewed."""
    admin, committee = people["admin"], people["committee"]
    step(admin, application, "self-evaluation", self_evaluation())
    step(admin, application, "evidence",
         files={"file": ("syllabus.txt", "シラバス\n".encode(), "text/plain")})
    response = step(admin, application, "submit")
    assert response.headers["location"].endswith("?done=submitted#findings")
    for email in EVALUATORS:
        step(committee, application, "assign", {"evaluator": email})
    for key in ("eval1", "eval2"):
        step(people[key], application, "interests", {"conflict": "none"})
        step(people[key], application, "review", scores(comment=comment))


def scores(*, score: int = 4, comment: str = "確認しました。") -> dict[str, str]:
    found: dict[str, str] = {}
    for c in CRITERIA:
        found[f"{c.id}.score"] = str(score)
        found[f"{c.id}.comment"] = comment
    return found


def decide_and_publish(committee: Person, application: Application, *,
                       outcome: str = "recognised", reasons_ja: str = "すべての基準を満たす。",
                       reasons_en: str = "Every criterion is met.") -> None:
    step(committee, application, "decide", {"outcome": outcome, "reasons_ja": reasons_ja,
                                            "reasons_en": reasons_en})
    step(committee, application, "publish")


def state_of(person: Person, application: Application) -> str:
    found = re.search(r'data-state="([a-z-]+)"', person.get(application.url).text)
    assert found is not None
    return found.group(1)


# --- the flow -------------------------------------------------------------------------------


def test_a_provider_applies_evaluators_review_and_the_committee_decides_and_publishes(
        live: LiveServer, people: dict[str, Person]) -> None:
    """The whole process through the pages, each step by the role that takes it."""
    admin, committee = people["admin"], people["committee"]
    dashboard = admin.get("/review")
    assert dashboard.status_code == 200 and 'href="/review/new"' in dashboard.text
    application = apply(admin)
    page = admin.get(application.url + "?done=opened")
    assert "申請を作成しました" in page.text and 'data-viewer="applicant"' in page.text
    assert 'name="self_evaluation.transparency"' in page.text
    assert 'accept=".pdf,.png,.jpg,.jpeg,.txt' in page.text and "10 MB" in page.text
    complete_review(people, application)
    assert state_of(committee, application) == "reviewed"
    page = committee.get(application.url)
    assert 'name="outcome" value="recognised"' in page.text
    assert "評点からの目安" in page.text
    assert "/review/applications/" in committee.get("/review").text
    decide_and_publish(committee, application)
    assert state_of(committee, application) == "published"
    # The public list and the decision page show it.
    with httpx.Client(base_url=live.url, headers=HTML, timeout=30) as visitor:
        listing = visitor.get("/recognition")
        assert "すべての基準を満たす。" in listing.text
        number = re.search(r"/recognition/decisions/(R-\d{4}-\d{4})", listing.text)
        assert number is not None
        decision = visitor.get(f"/recognition/decisions/{number.group(1)}")
        assert decision.status_code == 200
        assert f'src="/recognitions/{number.group(1)}/mark.svg?lang=ja"' in decision.text
    # The applicant sees the published decision, and the evaluators' reviews without names.
    page = admin.get(application.url)
    assert number.group(1) in page.text and "評価者 1" not in page.text


def test_a_submitted_application_is_not_waiting_for_its_provider(
        people: dict[str, Person]) -> None:
    """Once submitted, the provider may only withdraw (or later appeal): nothing waits for
    it, so the application is not under "waiting for you"; the committee has a step."""
    admin, committee = people["admin"], people["committee"]
    application = apply(admin)
    step(admin, application, "self-evaluation", self_evaluation())
    step(admin, application, "evidence",
         files={"file": ("syllabus.txt", "シラバス\n".encode(), "text/plain")})
    step(admin, application, "submit")
    assert state_of(admin, application) == "awaiting-assignment"

    def waiting(person: Person) -> str:
        """The dashboard's "waiting for you" section, as HTML."""
        html = person.get("/review").text
        start = html.index('aria-labelledby="tasks-title"')
        return html[start:html.index("</section>", start)]

    assert application.url not in waiting(admin)
    assert "申請の取下げ" not in waiting(admin)
    assert application.url in waiting(committee)


def test_submitting_asks_for_a_confirmation_first(people: dict[str, Person]) -> None:
    """The submit form's button is held back until a box saying it cannot be undone is
    ticked (``required``: the browser asks, with or without JavaScript)."""
    admin = people["admin"]
    application = apply(admin)
    page = Page(admin.get(application.url).text)
    form = page.one("form", action=f"/review/applications/{application.id}/submit")
    box = page.one("input", id="submit-confirm")
    assert box.attrs["type"] == "checkbox" and "required" in box.attrs
    assert page.elements.index(form) < page.elements.index(box)
    assert "変更できない" in page.one("label", **{"for": "submit-confirm"}).text


def test_notifications_name_the_programme_not_the_applications_id(
        people: dict[str, Person]) -> None:
    """An evaluator told of an assignment reads which programme it is for, never an internal
    id such as ``app_…``."""
    admin, committee = people["admin"], people["committee"]
    application = apply(admin)
    step(admin, application, "self-evaluation", self_evaluation())
    step(admin, application, "evidence", files={"file": ("a.txt", b"evidence", "text/plain")})
    step(admin, application, "submit")
    step(committee, application, "assign", {"evaluator": EVALUATORS[0]})
    page = Page(people["eval1"].get("/review").text)
    [note] = [li for li in page.all("li") if "評価者に選任されました" in li.text]
    assert "app_" not in note.text and application.id not in note.text
    assert "「" in note.text


def test_a_conditional_recognition_is_not_called_plain_recognised(
        live: LiveServer, people: dict[str, Person]) -> None:
    """The programme's page says a recognition with conditions is one (「条件付きで認定」),
    not 「認定済み」."""
    admin, committee = people["admin"], people["committee"]
    application = apply(admin)
    complete_review(people, application)
    step(committee, application, "decide", {
        "outcome": "recognised-with-conditions", "reasons_ja": "基準を満たす。",
        "reasons_en": "Criteria met.", "conditions_ja": "一年後に報告する。",
        "conditions_en": "Report in a year."})
    step(committee, application, "publish")
    with httpx.Client(base_url=live.url, headers=HTML, timeout=30) as visitor:
        page = Page(visitor.get("/programmes/1", headers={"Accept-Language": "ja"}).text)
    recognition = page.one("div", id="e-recognition").text
    assert "条件付きで認定" in recognition and "認定済み" not in recognition


def test_an_incomplete_submission_shows_the_findings(people: dict[str, Person]) -> None:
    """Submitting without self-evaluation or evidence: the completeness check's findings."""
    admin = people["admin"]
    application = apply(admin)
    response = step(admin, application, "submit")
    assert "done=incomplete" in response.headers["location"]
    page = admin.get(application.url + "?done=incomplete")
    assert 'data-state="incomplete"' in page.text and 'id="findings"' in page.text
    assert "不備" in page.text


def test_information_requests_are_answered_and_the_review_resumes(
        people: dict[str, Person]) -> None:
    """The committee asks, the applicant answers (and may add evidence), the review goes on."""
    admin, committee = people["admin"], people["committee"]
    application = apply(admin)
    step(admin, application, "self-evaluation", self_evaluation())
    step(admin, application, "evidence", files={"file": ("a.txt", b"evidence", "text/plain")})
    step(admin, application, "submit")
    step(committee, application, "assign", {"evaluator": EVALUATORS[0]})
    step(committee, application, "request-information", {"text": "評価基準を示してください。"})
    assert state_of(admin, application) == "information-requested"
    step(admin, application, "evidence", files={"file": ("rubric.txt", b"rubric", "text/plain")})
    step(admin, application, "answer", {"text": "ルーブリックを添付しました。"})
    page = committee.get(application.url)
    assert 'data-state="under-review"' in page.text
    assert "評価基準を示してください。" in page.text and "ルーブリックを添付しました。" in page.text


# --- attacks and mistakes -------------------------------------------------------------------


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(
        people: dict[str, Person]) -> None:
    """No token or a wrong one: 403, and the application is as it was."""
    admin = people["admin"]
    application = apply(admin)
    before = version(admin, application)
    for token in (None, "forged"):
        data = self_evaluation({"transparency": "書き換え"})
        if token is not None:
            data["csrf_token"] = token
        response = admin.post(f"{application.url}/self-evaluation", data, csrf=False,
                              version=before)
        assert response.status_code == 403
    opened = admin.post("/review/new", {"programme": "1:1", "recognition_body": BODY,
                                        "profile": "jp-mc"}, csrf=False)
    assert opened.status_code == 403
    assert version(admin, application) == before
    assert "書き換え" not in admin.get(application.url).text
    assert admin.get("/review").text.count("/review/applications/app_") == 2


def test_user_text_is_shown_as_text_never_as_markup(live: LiveServer,
                                                    people: dict[str, Person]) -> None:
    """Script and attribute payloads in every kind of user text render escaped."""
    admin, committee = people["admin"], people["committee"]
    payload = " ".join(XSS)
    application = apply(admin)
    step(admin, application, "self-evaluation", self_evaluation({"transparency": payload}))
    step(admin, application, "evidence",
         files={"file": (f'{XSS[1]}.txt', b"plain text", "text/plain")})
    step(admin, application, "submit")
    for email in EVALUATORS:
        step(committee, application, "assign", {"evaluator": email})
    for key in ("eval1", "eval2"):
        step(people[key], application, "interests", {"conflict": "none"})
        step(people[key], application, "review", scores(comment=payload))
    decide_and_publish(committee, application, reasons_ja=payload, reasons_en=payload)
    with httpx.Client(base_url=live.url, headers=HTML, timeout=30) as visitor:
        listing = visitor.get("/recognition", params={"q": XSS[0]})
        number = re.search(r"/recognition/decisions/(R-\d{4}-\d{4})", listing.text)
        assert number is not None
        pages = [committee.get(application.url), admin.get(application.url),
                 people["eval1"].get(application.url), listing,
                 visitor.get(f"/recognition/decisions/{number.group(1)}")]
    for page in pages:
        assert page.status_code == 200
        assert "<script>alert(1)" not in page.text
        assert "<img src=x" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in pages[0].text


def test_the_wrong_role_gets_a_403_page_and_nothing_changes(live: LiveServer,
                                                            people: dict[str, Person]) -> None:
    """Each role tries a step that belongs to another: refused with a page, state unchanged."""
    admin, committee, evaluator = people["admin"], people["committee"], people["eval1"]
    application = apply(admin)
    step(admin, application, "self-evaluation", self_evaluation())
    step(admin, application, "evidence", files={"file": ("a.txt", b"evidence", "text/plain")})
    step(admin, application, "submit")
    current = version(admin, application)
    refused = [
        admin.post(f"{application.url}/assign", {"evaluator": EVALUATORS[0]}, version=current),
        admin.post(f"{application.url}/decide", {"outcome": "recognised", "reasons_ja": "x"},
                   version=current),
        committee.post(f"{application.url}/self-evaluation", self_evaluation(),
                       version=current),
        committee.get("/review/new"),
        evaluator.post(f"{application.url}/assign", {"evaluator": EVALUATORS[0]},
                       version=current),
        evaluator.get(application.url),  # not assigned: may not read it
    ]
    for response in refused:
        assert response.status_code == 403, response.text[-2000:]
        assert "<h1" in response.text and "許可されていません" in response.text
    assert version(admin, application) == current
    assert state_of(committee, application) == "awaiting-assignment"
    # Someone of another organisation cannot read it either.
    add_user(live.settings, "other@example.jp", roles=[("other-univ", "provider-admin")])
    other = Person(live.url, "other@example.jp")
    try:
        assert other.get(application.url).status_code == 403
        assert other.get(f"{application.url}/evidence/{'0' * 64}").status_code == 403
    finally:
        other.close()


def test_visitors_are_sent_to_sign_in_and_back(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url, headers=HTML, timeout=30) as visitor:
        for path in ("/review", "/review/new", "/review/applications/app_abc"):
            response = visitor.get(path)
            assert response.status_code == 303
            assert response.headers["location"] == f"/sign-in?next={path}"
        assert visitor.post("/review/new", data={"programme": "1:1"}).status_code == 401


def test_problems_are_shown_next_to_their_fields(people: dict[str, Person]) -> None:
    """A review with a missing score and a missing comment comes back 422 with both marked
    and the rest of what was typed kept."""
    admin, committee, evaluator = people["admin"], people["committee"], people["eval1"]
    application = apply(admin)
    step(admin, application, "self-evaluation", self_evaluation())
    step(admin, application, "evidence", files={"file": ("a.txt", b"evidence", "text/plain")})
    step(admin, application, "submit")
    step(committee, application, "assign", {"evaluator": EVALUATORS[0]})
    step(evaluator, application, "interests", {"conflict": "none"})
    data = scores(comment="丁寧な説明")
    del data["transparency.score"]
    data["relevance.comment"] = ""
    response = step(evaluator, application, "review", data, expect=422)
    text = response.text
    assert 'id="err-transparency-score"' in text and 'id="err-relevance-comment"' in text
    assert re.search(r'<fieldset class="scores" aria-invalid="true" '
                     r'aria-describedby="err-transparency-score">', text)
    assert re.search(r'<textarea id="f-relevance-comment" name="relevance.comment" rows="4" '
                     r'maxlength="4000" aria-invalid="true" '
                     r'aria-describedby="err-relevance-comment">', text)
    assert "丁寧な説明</textarea>" in text
    assert 'name="valid-assessment.score" value="4" checked' in text
    # Every form control has a label (or is in a fieldset with a legend, for radios).
    assert_labelled(text)
    # A step the state does not allow any more: a 409 page that says so.
    bad = step(admin, application, "self-evaluation", self_evaluation(), expect=409)
    assert "いまは行えません" in bad.text


def test_uploads_of_the_wrong_type_or_too_large_are_refused_next_to_the_field(
        people: dict[str, Person]) -> None:
    admin = people["admin"]
    application = apply(admin)
    before = version(admin, application)
    html = step(admin, application, "evidence",
                files={"file": ("report.pdf", b"<html><script>x</script></html>",
                                "application/pdf")},
                expect=422)
    assert 'id="err-file"' in html.text and 'aria-invalid="true"' in html.text
    huge = step(admin, application, "evidence",
                files={"file": ("big.txt", b"a" * (10 * 1024 * 1024 + 1), "text/plain")},
                expect=413)
    assert 'id="err-file"' in huge.text
    assert version(admin, application) == before
    assert "report.pdf" not in admin.get(application.url).text


def test_a_concurrent_decision_gets_the_someone_else_decided_first_page(
        live: LiveServer, people: dict[str, Person]) -> None:
    """Two committee members decide from the same version: one wins, the other is told."""
    committee = people["committee"]
    add_user(live.settings, "member2@mcrc.example.jp", roles=[(BODY, "committee-member")])
    second = Person(live.url, "member2@mcrc.example.jp")
    try:
        application = apply(people["admin"])
        complete_review(people, application)
        seen = version(committee, application)
        assert version(second, application) == seen
        first = committee.post(f"{application.url}/decide",
                               {"outcome": "not-recognised", "reasons_ja": "不足がある。"},
                               version=seen)
        assert first.status_code == 303
        late = second.post(f"{application.url}/decide",
                           {"outcome": "recognised", "reasons_ja": "全面的に合格。"}, version=seen)
        assert late.status_code == 409
        assert "先に別の人が決定しました" in late.text
        assert f'href="{application.url}#decisions"' in late.text
        page = committee.get(application.url)
        assert "不足がある。" in page.text and "全面的に合格。" not in page.text
    finally:
        second.close()


def test_pages_speak_english_when_asked(live: LiveServer) -> None:
    english = Person(live.url, ADMIN, language="en")
    try:
        page = english.get("/review")
        assert '<html lang="en">' in page.text and "Recognition reviews" in page.text
        form = english.get("/review/new")
        assert "Apply for recognition" in form.text
    finally:
        english.close()


# --- labels -------------------------------------------------------------------------------


def assert_labelled(html: str) -> None:
    """Every visible input, select and textarea has a <label for=…>; radios may instead sit
    in a fieldset with a legend and still need their own label."""
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    for tag, attributes in re.findall(r"<(input|select|textarea)\b([^>]*)>", html):
        if 'type="hidden"' in attributes:
            continue
        found = re.search(r'\bid="([^"]+)"', attributes)
        assert found is not None, f"<{tag}{attributes}> has no id"
        assert found.group(1) in labels, f"<{tag}{attributes}> has no label"
