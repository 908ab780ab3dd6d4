"""The programme editor's pages over real HTTP, as a browser without JavaScript uses them:
every form posted with the CSRF token as a field; what the model refuses comes back next to
its field with nothing typed lost; rows added without JavaScript; draft, publish, new
version, history and diff; an import's report of every bad row; the previews.

One server on SQLite for the module, with hokuto-tech (its test programme published as id 1)
and a provider admin of it, and one of another organisation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from collections.abc import Iterator

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.demo.accounts import DEMO_PASSWORD
from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_organisation, add_user, provider_store, signed_in_client
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.forms import FormBrowser as Browser
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible, squash

ADMIN = "admin@hokuto.example"
OTHER = "admin@other.example"
BASE = "/workspace/hokuto-tech/programmes"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("editor-pages")
    secret = new_master_key_text()
    settings = dataclasses.replace(Settings.from_env(data_dir=folder / "data", database_url=""),
                                   secret_key=secret)
    provider_store(settings, secret=secret, now=dt.datetime.now(dt.UTC))
    add_user(settings, ADMIN, roles=[("hokuto-tech", "provider-admin")])
    add_organisation(settings, "other-univ")
    add_user(settings, OTHER, roles=[("other-univ", "provider-admin")])
    yield from serve(settings)


@pytest.fixture
def admin(live: LiveServer) -> Iterator[Browser]:
    browser = Browser(live, ADMIN)
    yield browser
    browser.http.close()


def _form(code: str, **extra: str) -> list[tuple[str, str]]:
    fields = [("code", code), ("title.ja", "データ入門"), ("title.en", "Data basics"),
              ("description.ja", "社会人向け"), ("description.en", "For working adults"),
              ("learning_outcomes.0.statement.ja", "説明できる"),
              ("learning_outcomes.0.statement.en", "Explain it"),
              ("learner_effort.hours", "12"), ("assessment.methods", "examination"),
              ("form_of_participation.mode", "online")]
    replaced = [(name, extra.pop(name, value)) for name, value in fields]
    return replaced + list(extra.items())


def test_a_visitor_is_sent_to_sign_in(live: LiveServer) -> None:
    response = patiently.get(live.url + BASE + "/new", headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in?next=/workspace/hokuto-tech/")


def test_another_organisations_admin_is_refused(live: LiveServer) -> None:
    other = Browser(live, OTHER)
    try:
        assert other.http.get(BASE).status_code == 403
        assert other.post(BASE + "/new", _form("X-1", action="save")).status_code == 403
    finally:
        other.http.close()


def test_the_list_and_the_empty_form_are_accessible(admin: Browser) -> None:
    """The list shows the published programme; the new form has every section and a matrix
    row per descriptor, with labelled controls (ja/en side by side)."""
    listing = admin.page(BASE)
    assert_accessible(listing, "en")
    assert "DS-101" in listing.text
    form = admin.page(BASE + "/new")
    assert_accessible(form, "en")
    assert form.all("input", id="f-title-ja") and form.all("input", id="f-title-en")
    assert form.one("form", id="editor-form").attrs["hx-trigger"].startswith(
        "input changed delay:500ms")
    assert len(form.all("li", **{"data-verdict": "does-not-conform"})) == 0
    # An empty form is unfinished, not "not a micro-credential" under every framework.
    summary = form.one("ul", **{"class": "verdicts"})
    assert "not a micro-credential" not in summary.text.lower()
    assert summary.text.count("Incomplete: required fields to fill in") == len(
        form.all("li", **{"data-verdict": "not-a-micro-credential"})) > 0


def test_errors_come_back_next_to_their_field_with_nothing_lost(admin: Browser) -> None:
    """Hours as words and an end before the start: 422, each message beside its field, the
    summary linking to it, every value as typed; nothing is stored."""
    response = admin.post(BASE + "/new", _form(
        "ERR-1", **{"learner_effort.hours": "ninety", "dates_of_delivery.0.start": "2026-05-01",
                    "dates_of_delivery.0.end": "2026-04-01", "action": "save"}))
    assert response.status_code == 422
    page = Page(response.text)
    assert page.one("p", id="f-learner_effort-hours-problem").text.strip().endswith(
        "Enter a number.")
    assert "The end is before the start." in page.one(
        "p", id="f-dates_of_delivery-0-end-problem").text
    assert page.one("input", id="f-learner_effort-hours").attrs["value"] == "ninety"
    assert page.one("input", id="f-title-ja").attrs["value"] == "データ入門"
    assert page.all("a", href="#f-learner_effort-hours")
    assert "ERR-1" not in admin.page(BASE).text


def test_a_row_is_added_without_javascript_keeping_what_was_typed(admin: Browser) -> None:
    response = admin.post(BASE + "/new", [*_form("ROW-1"), ("rows.learning_outcomes", "1"),
                                          ("action", "add:learning_outcomes")])
    page = Page(response.text)
    assert response.status_code == 200
    assert page.one("textarea", id="f-learning_outcomes-0-statement-en").text == "Explain it"
    assert page.all("textarea", id="f-learning_outcomes-1-statement-ja")


def test_the_check_button_and_the_fragment_show_the_matrix(admin: Browser) -> None:
    """Without JavaScript "Check" renders the page with the matrix; htmx gets the matrix alone,
    which changes as a descriptor is typed."""
    checked = Page(admin.post(BASE + "/new", _form("CHK-1", action="check")).text)
    assert checked.one("section", id="conformance")
    before = Page(admin.post(BASE + "/check", _form("CHK-1")).text)
    assert before.one("tr", **{"data-key": "quality_assurance"}).text.count("missing") >= 1
    after = Page(admin.post(BASE + "/check", _form(
        "CHK-1", **{"quality_assurance.0.kind": "internal",
                    "quality_assurance.0.scope": "programme"})).text)
    assert "missing" not in after.one("tr", **{"data-key": "quality_assurance"}).text


def test_draft_publish_new_version_history_and_diff(admin: Browser) -> None:
    saved = admin.post(BASE + "/new", _form("FLOW-1", action="save"))
    assert saved.status_code == 303
    edit = saved.headers["location"]
    programme_id = int(re.search(r"/programmes/(\d+)/edit", edit).group(1))  # type: ignore[union-attr]
    page = admin.page(edit)
    assert page.one("p", id="editor-version").attrs["data-status"] == "draft"
    assert page.one("input", id="f-code").attrs.get("readonly") is not None
    # Publishing asks first, on a page of its own (no JavaScript needed): nothing is public yet.
    asked = admin.post(f"{BASE}/{programme_id}/edit", _form("FLOW-1", action="publish"))
    confirm = f"{BASE}/{programme_id}/versions/1/publish"
    assert asked.status_code == 303 and asked.headers["location"] == confirm
    question = admin.page(confirm)
    assert_accessible(question, "en")
    assert squash(question.one("h1").text) == "Publish version 1?"
    assert "cannot be undone" in question.one("div", id="publish-confirm").text
    assert question.one("form", action=confirm)
    assert admin.page(edit).one("p", id="editor-version").attrs["data-status"] == "draft"
    published = admin.post(confirm)
    assert published.headers["location"].endswith("done=published#editor-title")
    assert admin.http.get(confirm).headers["location"].endswith("done=published#editor-title")
    again = admin.post(f"{BASE}/{programme_id}/edit",
                       _form("FLOW-1", action="save", **{"learner_effort.hours": "15"}))
    assert "done=new-version" in again.headers["location"]
    assert "A draft of a new version is saved." in admin.page(again.headers["location"]).text
    history = admin.page(f"{BASE}/{programme_id}/history")
    assert_accessible(history, "en")
    assert [tr.attrs["data-status"] for tr in history.all("tr") if "data-status" in tr.attrs] \
        == ["draft", "published"]
    diff = admin.page(f"{BASE}/{programme_id}/diff?from=1&to=2")
    assert_accessible(diff, "en")
    rows = diff.all("tr", **{"data-kind": "changed"})
    assert len(rows) == 1 and "12" in rows[0].text and "15" in rows[0].text
    assert admin.http.get(f"{BASE}/{programme_id}/badge.svg").headers[
        "content-type"].startswith("image/svg+xml")
    pdf = admin.http.get(f"{BASE}/{programme_id}/certificate.pdf?lang=ja")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_texts_in_other_languages_are_kept_and_shown(admin: Browser) -> None:
    """A title in Korean (as an imported programme may have) is a field of its own, labelled
    with its language's name in the page's language, and survives a save from the form."""
    saved = admin.post(BASE + "/new", _form("KO-1", action="save", **{
        "title.ko": "데이터 입문", "learning_outcomes.0.statement.th": "อธิบายได้"}))
    assert saved.status_code == 303, saved.text
    page = admin.page(saved.headers["location"])
    korean = page.one("input", id="f-title-ko")
    assert korean.attrs["value"] == "데이터 입문" and korean.attrs["lang"] == "ko"
    assert page.one("label", **{"for": "f-title-ko"}).text.strip().endswith("Korean")
    assert page.one("textarea", id="f-learning_outcomes-0-statement-th").text == "อธิบายได้"
    programme_id = saved.headers["location"].split("/")[-2]
    document = admin.http.get(f"/api/programmes/{programme_id}",
                              headers={"Accept": "application/json"}).json()
    assert document["descriptors"]["title"]["ko"] == "데이터 입문"


def test_the_languages_of_instruction_offer_texts_in_those_languages(admin: Browser) -> None:
    """Naming Thai and Vietnamese as languages of instruction gives the form their fields
    (labelled, with their lang), and texts written there are saved and searched."""
    saved = admin.post(BASE + "/new", _form("TH-1", action="save", languages="th, vi"))
    assert saved.status_code == 303, saved.text
    page = admin.page(saved.headers["location"])
    for tag in ("th", "vi"):
        assert page.one("input", id=f"f-title-{tag}").attrs["lang"] == tag
        assert page.one("textarea", id=f"f-description-{tag}").text == ""
    assert page.one("label", **{"for": "f-title-th"}).text.strip().endswith("Thai")
    form = _form("TH-1", action="save", languages="th, vi", **{
        "title.th": "ปัญญาประดิษฐ์เบื้องต้น", "title.vi": "Nhập môn học máy"})
    again = admin.post(saved.headers["location"], form)
    assert again.status_code == 303, again.text
    programme_id = saved.headers["location"].split("/")[-2]
    title = admin.http.get(f"/api/programmes/{programme_id}",
                           headers={"Accept": "application/json"}).json()["descriptors"]["title"]
    assert title["th"] == "ปัญญาประดิษฐ์เบื้องต้น" and title["vi"] == "Nhập môn học máy"


def test_an_import_reports_every_bad_row_and_imports_nothing(admin: Browser) -> None:
    bad = (b"code,title.en,learner_effort.hours\n"
           b"CSV-1,One,twelve\nCSV-2,Two,10\nCSV-3,Three,-1\n")
    response = admin.http.post(BASE + "/import", files={
        "csrf_token": (None, admin.token), "file": ("p.csv", bad, "text/csv")})
    assert response.status_code == 422
    page = Page(response.text)
    assert_accessible(page, "en")
    assert [tr.attrs["data-row"] for tr in page.all("tr") if tr.attrs.get("data-row")] == \
        ["2", "4"]
    assert "CSV-2" not in admin.page(BASE).text
    good = b"code,title.en,learner_effort.hours\nCSV-1,One,12\nCSV-2,Two,10\n"
    done = admin.http.post(BASE + "/import", files={
        "csrf_token": (None, admin.token), "file": ("p.csv", good, "text/csv")})
    assert done.status_code == 200, done.text[:300]
    assert "2 programmes imported." in Page(done.text).text


def _report(browser: Browser, name: str, data: bytes, language: str = "ja"
            ) -> list[tuple[str, str, str]]:
    """The import report's rows (where, column, what) for the file ``name``."""
    response = browser.http.post(BASE + "/import", files={
        "csrf_token": (None, browser.token), "file": (name, data, "application/octet-stream")})
    assert response.status_code == 422, response.text[:500]
    page = Page(response.text)
    assert_accessible(page, language)
    rows: list[list[str]] = []
    for element in page.elements:  # the report's rows are the only ones with data-row
        if element.tag == "tr" and "data-row" in element.attrs:
            rows.append([])
        elif element.tag in {"th", "td"} and rows:
            rows[-1].append(" ".join(element.text.split()))
    return [(where, column, what) for where, column, what in rows]


def test_an_imports_report_speaks_japanese_placed_by_row_column_and_line(live: LiveServer
                                                                          ) -> None:
    """Each kind of error has Japanese words of its own, not Pydantic's English, placed by
    the CSV's row and column, the YAML's record and line, or the JSON's line and column;
    a file that cannot be read at all is placed too."""
    japanese = Browser(live, ADMIN, "ja")
    try:
        csv_rows = _report(japanese, "p.csv", (
            "code,title.ja,learner_effort.hours,levels[0].framework,levels[0].level,titel\n"
            "JA-1,一,-5,EQF,11,\nJA-2,二,たくさん,EQF,3,x\n").encode())
        assert ("2 行目", "C (learner_effort.hours)",
                "0 より大きい値にしてください（入力: '-5'）") in csv_rows
        assert any(row[0] == "2 行目" and "EQF のレベルは 1〜8 です" in row[2]
                   for row in csv_rows)
        assert ("3 行目", "C (learner_effort.hours)",
                "数値で書いてください（入力: 'たくさん'）") in csv_rows
        assert ("3 行目", "F (titel)",
                "titel という記述子のキーはありません（title の誤りではありませんか）") in csv_rows
        yaml_rows = _report(japanese, "p.yaml", (
            "programmes:\n  - code: JA-3\n    title: {ja: 三}\n"
            "    issuer_region: {country: japan}\n"
            "    stackability: {stackable: false, targets: [{title: {ja: 学位}, kind: degree}]}"
            "\n").encode())
        assert ("programmes[0]（4 行目）", "issuer_region.country",
                "国コード（大文字 2 文字、例: JP）で書いてください（入力: 'japan'）") in yaml_rows
        assert ("programmes[0]（5 行目）", "stackability",
                "積み上げ先がありますが、stackable が false です") in yaml_rows
        json_rows = _report(japanese, "p.json", b'{"programmes": [{"code": "JA-4",}]}')
        assert json_rows == [("1 行目 33 文字目", "",
                              "JSON として読めません（括弧・引用符・カンマを確認してください）")]
        header = _report(japanese, "p.csv", b"code,title..ja\nJA-5,x\n")
        assert header == [("1 行目", "B", "'title..ja' は記述子のパスではありません（例: "
                           "title.ja、learning_outcomes[0].statement.en）")]
        shift_jis = _report(japanese, "p.csv", "code,title.ja\nJA-6,日本語\n".encode("cp932"))
        assert shift_jis[0][0] == "ファイル全体"
        assert "UTF-8 のテキストではありません" in shift_jis[0][2]
    finally:
        japanese.close()
    english = Browser(live, ADMIN)
    try:
        rows = _report(english, "p.csv", b"code,title.en,learner_effort.hours\nEN-1,One,-5\n",
                       "en")
    finally:
        english.close()
    assert rows == [("Row 2", "C (learner_effort.hours)", "must be greater than 0 (got '-5')")]


def test_a_form_without_the_csrf_token_is_refused(admin: Browser) -> None:
    response = admin.http.post(BASE + "/new", data={"code": "CSRF-1", "action": "save"})
    assert response.status_code == 403


#: The folded part of the effort section: the credit fields of other countries' systems.
FOLDED = re.compile(r'<details class="editor-more" id="more-effort">(.*?)</details>', re.S)


@pytest.mark.parametrize(("language", "summary"), [("ja", "他の国の単位制度"),
                                                   ("en", "Other countries' credit systems")])
def test_a_japanese_programme_shows_the_japanese_credit_field_and_folds_the_others(
        demo_server: LiveServer, language: str, summary: str) -> None:
    """The demo's first programme is from Japan: its editor offers the Japanese credit (単位)
    field; the Malaysian, New Zealand and US ones are folded under "other countries'
    credit systems" (ECTS too: the programme states none), still part of the form."""
    with signed_in_client(demo_server.url, "provider-admin@demo.example", DEMO_PASSWORD
                          ) as admin:
        text = admin.get(f"/workspace/hokuto-tech/programmes/30/edit?lang={language}").text
    folded = FOLDED.search(text)
    assert folded is not None
    inside = folded.group(1)
    assert summary in html.unescape(inside)
    for system in ("my-credit", "nz-credit", "us-credit-hour"):
        assert f'name="learner_effort.credits.{system}"' in inside, system
    assert text.count('name="learner_effort.credits.jp-tani"') == 1
    assert 'name="learner_effort.credits.jp-tani"' not in inside


@pytest.mark.parametrize(("language", "words"), [
    ("en", "The code of a programme cannot change"),
    ("ja", "プログラムのコードは変更できません"),
])
def test_a_published_programmes_code_is_read_only_and_a_changed_one_refused(
        live: LiveServer, language: str, words: str) -> None:
    """The published programme's code is shown read-only; a form that sends another code
    anyway is refused (422) with the reason next to the code, and nothing is saved."""
    browser = Browser(live, ADMIN, language=language)
    try:
        edit = f"{BASE}/1/edit"
        page = browser.page(edit)
        code = page.one("input", id="f-code")
        assert code.attrs.get("readonly") is not None
        changed = browser.post(edit, _form("RENAMED-1", action="save"))
        assert changed.status_code == 422
        refused = Page(changed.text)
        assert words in refused.one("p", id="f-code-problem").text
        assert refused.one("input", id="f-code").attrs["aria-invalid"] == "true"
        assert browser.page(edit).one("input", id="f-code").attrs["value"] == code.attrs["value"]
    finally:
        browser.http.close()


def test_applying_for_recognition_from_the_editor_chooses_the_programme(admin: Browser
                                                                        ) -> None:
    """The editor's "apply for recognition" link names the programme, and the application
    form opens with its newest published version chosen."""
    links = [link.attrs["href"] for link in admin.page(f"{BASE}/1/edit").all("a")
             if link.attrs.get("href", "").startswith("/review/new")]
    assert links == ["/review/new?programme=1"]
    form = admin.page(links[0])
    [chosen] = [option for option in form.all("option") if "selected" in option.attrs
                and option.attrs.get("value", "").startswith("1:")]
    assert chosen.attrs["value"] == "1:1"


def _saved(admin: Browser, code: str) -> str:
    saved = admin.post(BASE + "/new", _form(code, action="save"))
    assert saved.status_code == 303, saved.text[:2000]
    return str(saved.headers["location"]).partition("?")[0]


def test_the_index_names_every_section_with_its_state(admin: Browser) -> None:
    """The index above the form links to every section by its anchor, and says of each
    whether it is filled in, empty, changed and not saved, or refused."""
    edit = _saved(admin, "IDX-1")
    page = admin.page(edit)
    links = [a for a in page.all("a") if a.attrs.get("id", "").startswith("i-")]
    sections = page.all("fieldset", **{"class": "editor-section"})
    assert [a.attrs["href"] for a in links] == [f"#{s.attrs['id']}" for s in sections]
    states = {a.attrs["id"].removeprefix("i-"): a.attrs["data-state"] for a in links}
    assert states["basics"] == states["outcomes"] == "complete"
    assert states["price"] == states["skills"] == "empty"
    assert "(complete)" in page.one("a", id="i-basics").text
    changed = Page(admin.post(edit, _form("IDX-1", action="check", **{
        "price.amount": "5000", "price.currency": "JPY",
        "learner_effort.hours": "many"})).text)
    states = {a.attrs["id"]: a.attrs["data-state"] for a in changed.all("a")
              if a.attrs.get("id", "").startswith("i-")}
    assert states["i-price"] == "unsaved" and states["i-effort"] == "attention"
    assert states["i-basics"] == "complete"


def test_a_section_is_saved_alone_and_the_others_are_kept(admin: Browser) -> None:
    """"Save" of one section stores that section as posted and every other as it was
    stored; what was typed elsewhere stays on the page, marked unsaved, not stored."""
    edit = _saved(admin, "SEC-1")
    posted = admin.post(edit, _form("SEC-1", **{
        "learning_outcomes.0.statement.en": "Explain data to a manager",
        "price.amount": "5000", "price.currency": "JPY", "action": "save:outcomes"}))
    assert posted.status_code == 200, posted.text[:2000]
    page = Page(posted.text)
    done = page.one("p", id="editor-done")
    assert done.attrs["data-section"] == "outcomes"
    assert "“Learning outcomes” is saved." in done.text and "not saved yet" in done.text
    assert page.one("input", id="f-price-amount").attrs["value"] == "5000"
    assert page.one("a", id="i-price").attrs["data-state"] == "unsaved"
    assert page.one("a", id="i-outcomes").attrs["data-state"] == "complete"
    stored = admin.page(edit)
    assert stored.one("textarea", id="f-learning_outcomes-0-statement-en").text == (
        "Explain data to a manager")
    assert stored.one("input", id="f-price-amount").attrs.get("value", "") == ""
    # With nothing typed elsewhere, back to the section's anchor with a message.
    alone = admin.post(edit, _form("SEC-1", **{
        "learning_outcomes.0.statement.en": "Explain data to a manager", "price.amount": "5000",
        "price.currency": "JPY", "action": "save:price"}))
    assert alone.status_code == 303
    assert alone.headers["location"] == f"{edit}?done=saved&section=price#s-price"
    back = admin.page(alone.headers["location"])
    assert "“Price” is saved." in back.one("p", id="editor-done").text
    assert back.one("input", id="f-price-amount").attrs["value"] == "5000"
    assert back.one("a", id="i-price").attrs["data-state"] == "complete"


def test_a_refused_section_is_not_saved_and_names_the_field(admin: Browser) -> None:
    edit = _saved(admin, "SEC-2")
    refused = admin.post(edit, _form("SEC-2", **{"learner_effort.hours": "ninety",
                                                 "title.en": "Kept as typed",
                                                 "action": "save:effort"}))
    assert refused.status_code == 422
    page = Page(refused.text)
    assert page.one("p", id="f-learner_effort-hours-problem").text.strip().endswith(
        "Enter a number.")
    assert page.one("a", id="i-effort").attrs["data-state"] == "attention"
    assert page.one("input", id="f-title-en").attrs["value"] == "Kept as typed"
    assert admin.page(edit).one("input", id="f-learner_effort-hours").attrs["value"] == "12"


def test_a_new_programme_is_made_by_saving_a_section_with_its_basics(admin: Browser) -> None:
    made = admin.post(BASE + "/new", _form("SEC-3", action="save:outcomes"))
    assert made.status_code == 200, made.text[:2000]
    page = Page(made.text)
    assert "is created" in page.one("p", id="editor-done").text
    assert page.one("a", id="i-basics").attrs["data-state"] == "complete"
    assert page.one("a", id="i-effort").attrs["data-state"] == "unsaved"
    assert "SEC-3" in admin.page(BASE).text
