"""The public transparency pages over real HTTP, on SQLite and PostgreSQL.

``/recognition`` shows the criteria with their checklists, the process with its time limits
and every published decision, searchable and paginated; ``/recognition/decisions/{number}``
shows one. Decisions are made through the review service on the test's store (setup, as
``tests/accounts.py`` does it); the flow through the pages themselves is in
``test_review_pages.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest

from credstack.adapters.db.engine import make_engine, session_factory
from credstack.adapters.keystore import MasterKey
from credstack.core.access import Principal
from credstack.core.review import CRITERIA, TIME_LIMITS, Score
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.review import service as review
from credstack.settings import Settings
from tests.conftest import LiveServer
from tests.entrypoints.web.pages.test_review import (
    ADMIN,
    BODY,
    COMMITTEE,
    EVALUATORS,
    HTML,
    PROVIDER,
    SECRET,
    serve_prepared_review,
)

EN = {**HTML, "Accept-Language": "en"}
NUMBER = re.compile(r"/recognition/decisions/(R-\d{4}-\d{4,})")


def decided(settings: Settings, *, outcome: str, reasons: str, publish: bool = True,
            withdraw: str | None = None) -> str:
    """One application taken through the whole process by the service; its decision."""
    secret = MasterKey.from_text(SECRET, source="test")
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    audit.attach_key(sessions, secret)
    with sessions() as session, session.begin():
        def who(email: str) -> Principal:
            return accounts.user(session, email=email).principal()

        admin, committee = who(ADMIN), who(COMMITTEE)
        opened = review.open_application(session, admin, organisation=PROVIDER, programme_id=1,
                                         recognition_body=BODY, profile="jp-mc", now=now)
        application = opened.id
        review.update_self_evaluation(session, admin, application=application, now=now,
                                      self_evaluation={c.id: "十分" for c in CRITERIA})
        review.add_evidence(session, admin, application=application, filename="a.txt",
                            content=f"evidence {reasons}".encode(), now=now)
        review.submit(session, admin, application=application, now=now)
        for email in EVALUATORS:
            review.assign_evaluator(session, committee, application=application,
                                    evaluator_email=email, now=now)
        for email in EVALUATORS:
            evaluator = who(email)
            review.declare_interests(session, evaluator, application=application,
                                     conflict=False, now=now)
            review.submit_review(session, evaluator, application=application, now=now,
                                 scores={c.id: Score.MET for c in CRITERIA},
                                 comments={c.id: "ok" for c in CRITERIA})
        conditions = "一年以内に評価基準を公表すること。" \
            if outcome == "recognised-with-conditions" else None
        view = review.decide(session, committee, application=application, outcome=outcome,
                             reasons_ja=reasons, conditions_ja=conditions, now=now,
                             signer=secret, settings=settings)
        if publish:
            review.publish(session, committee, application=application, now=now)
        if withdraw is not None:
            review.withdraw_recognition(session, committee, application=application,
                                        reason=withdraw, now=now)
        number = view.decisions[-1].number
    engine.dispose()
    return number


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    yield from serve_prepared_review(settings)


@pytest.fixture
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, headers=HTML, timeout=30) as client:
        yield client


def test_the_criteria_checklists_and_process_are_public(http: httpx.Client) -> None:
    """Every criterion with every checklist question, the scores and the time limits."""
    for headers, language in ((HTML, "ja"), (EN, "en")):
        page = http.get("/recognition", headers=headers)
        assert page.status_code == 200
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        text = page.text
        for criterion in CRITERIA:
            assert f'id="criterion-{criterion.id}"' in text
            assert criterion.title.text(language).replace("'", "&#39;") in text
            for question in criterion.checklist:
                assert f'id="q-{question.id}"' in text
        for score in Score:
            assert score.label.text(language) in text
        for limit in TIME_LIMITS.values():
            assert limit.duty.text(language) in text
        assert 'aria-current="page">' + ("認定" if language == "ja" else "Recognition") in text
    assert "公表された決定はまだありません。" in http.get("/recognition").text


def test_every_published_decision_is_listed_with_its_reasons_and_status(
        live: LiveServer, http: httpx.Client) -> None:
    """Outcome, reasons, provider, programme, date, validity and today's status; drafts of
    decisions stay private; a withdrawn recognition says so."""
    granted = decided(live.settings, outcome="recognised", reasons="すべての基準を満たす。")
    refused = decided(live.settings, outcome="not-recognised", reasons="評価の方法が不十分。")
    pending = decided(live.settings, outcome="recognised", reasons="未公表の決定。",
                      publish=False)
    withdrawn = decided(live.settings, outcome="recognised-with-conditions",
                        reasons="条件付きで認める。", withdraw="条件が満たされなかった。")
    page = http.get("/recognition")
    text = page.text
    assert set(NUMBER.findall(text)) == {granted, refused, withdrawn}
    assert "4 件" not in text and "3 件の決定" in text
    for reasons in ("すべての基準を満たす。", "評価の方法が不十分。", "条件付きで認める。"):
        assert reasons in text
    assert "未公表の決定。" not in text
    assert "北都工科大学" in text and "実践データサイエンス入門" in text
    assert 'rstatus--valid' in text and 'rstatus--withdrawn' in text
    assert "認定なし" in text
    assert http.get(f"/recognition/decisions/{pending}").status_code == 404
    assert http.get("/recognition/decisions/R-1999-0001").status_code == 404
    one = http.get(f"/recognition/decisions/{withdrawn}").text
    assert "この認定は" in one and "条件が満たされなかった。" in one
    assert "一年以内に評価基準を公表すること。" in one


def test_a_decision_page_shows_the_mark_the_credential_and_the_scores(
        live: LiveServer, http: httpx.Client) -> None:
    number = decided(live.settings, outcome="recognised", reasons="満たしている。")
    page = http.get(f"/recognition/decisions/{number}", headers=EN)
    assert page.status_code == 200
    text = page.text
    assert f'<img src="/recognitions/{number}/mark.svg?lang=en"' in text
    assert re.search(r'alt="Certification mark: [^"]+ \(Recognised, decision R-', text)
    assert f'href="/recognitions/{number}"' in text and 'href="/verify"' in text
    assert 'href="/programmes/1"' in text and "Micro-credential Recognition Council" in text
    for criterion in CRITERIA:
        assert f'href="/recognition#criterion-{criterion.id}"' in text
    assert text.count(">3<span class=\"muted\"> / 4</span>") == len(CRITERIA)
    assert http.get(f"/recognitions/{number}/mark.svg").status_code == 200


def test_decisions_are_searchable_filterable_and_paginated(live: LiveServer,
                                                           http: httpx.Client) -> None:
    """``q`` matches words of the reasons and titles; ``outcome`` filters; 20 per page."""
    numbers = [decided(live.settings, outcome="not-recognised", reasons=f"理由 {n:02d} 番")
               for n in range(21)]
    kept = decided(live.settings, outcome="recognised", reasons="特別な eXcellent 説明")
    found = http.get("/recognition", params={"q": "excellent"})
    assert NUMBER.findall(found.text) == [kept, kept]
    assert "1 件の決定" in found.text
    assert http.get("/recognition", params={"q": "該当しない語"}).text.count(
        "条件に合う決定はありません。") == 1
    only = http.get("/recognition", params={"outcome": "recognised"})
    assert set(NUMBER.findall(only.text)) == {kept}
    first = http.get("/recognition", params={"outcome": "not-recognised"})
    assert len(set(NUMBER.findall(first.text))) == 20
    assert "1 / 2 ページ" in first.text
    assert 'href="/recognition?outcome=not-recognised&amp;page=2#decisions" rel="next"' \
        in first.text
    second = http.get("/recognition", params={"outcome": "not-recognised", "page": 2})
    assert len(set(NUMBER.findall(second.text))) == 1
    assert set(NUMBER.findall(first.text)) | set(NUMBER.findall(second.text)) == set(numbers)
    # A bad filter value is ignored; a bad page is refused.
    assert http.get("/recognition", params={"outcome": "<script>"}).status_code == 200
    assert http.get("/recognition", params={"page": 0}).status_code == 422


def test_the_list_works_without_javascript_and_every_control_has_a_label(
        http: httpx.Client) -> None:
    page = http.get("/recognition").text
    form = page[page.index('<form class="filter decision-filter"'):]
    form = form[:form.index("</form>")]
    assert 'method="get"' in form and 'action="/recognition#decisions"' in form
    assert '<label for="q">' in form and '<label for="outcome">' in form
    assert "<script>" not in page.replace('<script src="/static/vendor/htmx.min.js" defer>'
                                          "</script>", "")
