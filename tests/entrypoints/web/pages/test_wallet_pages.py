"""The learner's wallet pages over real HTTP: the record, a credential checked again live, the
collections and the identifiers, in Japanese and English; every form posted as a browser
without JavaScript posts it (the CSRF token as a form field); what is refused comes back
beside its form with nothing lost.

One server on SQLite for the module, with a provider and its programme, a credential issued
to each of several learners before it starts (delivered to their wallets when they open
them), and the Digital Credentials Consortium's credentials from ``../shared/ref/wild`` for
the foreign ones (those tests skip when it is absent). Each test acts as a learner of its own.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from credstack.entrypoints.web.pages.wallet.record import IMPORT_BODY_BYTES
from credstack.services.badges.service import bake
from credstack.services.wallet.credentials import MAX_IMPORT_BYTES
from tests import patiently
from tests.accounts import CSRF_INPUT, add_user, signed_in_client
from tests.conftest import (
    SHARED_REF,
    LiveServer,
    issued_to_members,
    keyed_sqlite,
    operator_client,
    serve,
)
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import (
    HTML,
    Page,
    assert_accessible,
    get_page,
    squash,
)

#: The learners a credential is issued to before the server starts, one per test that needs
#: one (their wallets are their own).
LEARNERS = ("hanako", "taro", "jiro", "saburo", "shiro", "goro", "rokuro", "shichiro",
            "kazuko", "sachiko", "hiroko")
DCC = SHARED_REF / "wild" / "dcc-vc-test-fixtures" / "verifiableCredentials"
#: Foreign credentials that verify (or fail) offline: did:key issuers, no status lists.
TEAMWORK = "v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-basicOBv3.json"
TEAMWORK_SUBJECT = "did:example:ebfeb1f712ebc6f1c276e12ec21"
EXPIRED = "v1/dataIntegrityProof/didKey/oidf-noStatus-expired.json"
#: One that names no recipient (so anyone may keep it): "DCC Test Credential".
NOBODYS = "v1/dataIntegrityProof/didKey/noRegistry-noStatus-noExpiry.json"
#: One whose issuer is a bare DID, with no name.
UNNAMED = "v1/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json"


@dataclasses.dataclass(frozen=True)
class Wallets:
    live: LiveServer
    #: Learner → the id of the credential issued to them.
    issued: dict[str, str]


def email(name: str) -> str:
    return f"{name}@example.jp"


@pytest.fixture(scope="module")
def wallets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wallets]:
    settings = keyed_sqlite(tmp_path_factory.mktemp("wallet-pages"))
    ids = issued_to_members(settings, {email(name): name.title() for name in LEARNERS},
                            batch="wallet-pages")
    # Newest first: the last learner's credential comes first.
    issued = dict(zip(reversed(LEARNERS), ids, strict=True))
    for live in serve(settings):
        yield Wallets(live, issued)


class Browser(FormBrowser):
    """A signed-in learner's browser (by name) that also imports credentials."""

    def __init__(self, live: LiveServer, name: str, language: str = "en") -> None:
        super().__init__(live, email(name), language)

    def upload(self, name: str, data: bytes, *, media_type: str = "application/json",
               pasted: str = "", url: str = "") -> httpx.Response:
        """The import form with a file chosen (``name`` "" for none), as a browser sends it."""
        return self.http.post("/wallet/import", files={
            "csrf_token": (None, self.token), "file": (name, data, media_type),
            "url": (None, url), "credential": (None, pasted)})

    def paste(self, text: str) -> httpx.Response:
        return self.upload("", b"", media_type="application/octet-stream", pasted=text)

    def ids(self, path: str = "/wallet") -> list[str]:
        return re.findall(r'data-id="([0-9a-f]{32})"', self.get(path).text)



@pytest.fixture
def browsers(wallets: Wallets) -> Iterator[dict[str, Browser]]:
    opened: dict[str, Browser] = {}

    class Opener(dict[str, Browser]):
        def __missing__(self, name: str) -> Browser:
            opened[name] = self[name] = Browser(wallets.live, name)
            return opened[name]

    yield Opener()
    for browser in opened.values():
        browser.close()


def fresh(wallets: Wallets, name: str, language: str = "en") -> Browser:
    """A learner with an empty wallet (nothing was issued to them)."""
    add_user(wallets.live.settings, email(name), name=name.title())
    return Browser(wallets.live, name, language)


def dcc(path: str) -> bytes:
    file = DCC / path
    if not file.is_file():
        pytest.skip(f"{file} is not present (../shared/ref/wild beside the repository)")
    return file.read_bytes()


def done(response: httpx.Response) -> str:
    """Where a form that succeeded sends the browser (303)."""
    assert response.status_code == 303, response.text
    return response.headers["location"]


def problem(response: httpx.Response, id: str) -> str:
    return squash(Page(response.text).one("div", id=id).text)


# --- who may see the wallet ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/wallet", "/wallet/collections", "/wallet/identifiers",
                                  "/wallet/credentials/0123456789abcdef0123456789abcdef"])
def test_visitors_who_are_not_signed_in_are_sent_to_sign_in_and_back(wallets: Wallets,
                                                                    path: str) -> None:
    with patiently.client(base_url=wallets.live.url, headers=HTML) as anonymous:
        response = anonymous.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"/sign-in?next={path}"
        posted = anonymous.post("/wallet/import", files={"credential": (None, "{}")})
        assert posted.status_code == 303
        assert posted.headers["location"] == "/sign-in?next=/wallet"


def test_every_form_needs_the_sessions_csrf_token(wallets: Wallets,
                                                  browsers: dict[str, Browser]) -> None:
    """A form posted from another site (no token, or a wrong one) is refused and does
    nothing."""
    goro = browsers["goro"]
    [own] = goro.ids()
    for path, fields in [(f"/wallet/credentials/{own}/notes", {"tags": "x"}),
                         (f"/wallet/credentials/{own}/delete", {}),
                         ("/wallet/collections", {"name": "x"}),
                         ("/wallet/identifiers", {"kind": "email", "value": "x@example.jp"})]:
        assert goro.http.post(path, data=fields).status_code == 403, path
        assert goro.http.post(path, data={"csrf_token": "forged", **fields}
                              ).status_code == 403, path
    refused = goro.http.post("/wallet/import", files={"credential": (None, "{}"),
                                                      "csrf_token": (None, "forged")})
    assert refused.status_code == 403
    assert goro.ids() == [own], "nothing was deleted"
    assert "collection-" not in goro.get("/wallet/collections").text


def test_another_learners_credential_is_not_found(wallets: Wallets,
                                                  browsers: dict[str, Browser]) -> None:
    """Taro's credential, asked for by Goro, is answered as no credential at all."""
    taro = browsers["taro"]
    [theirs] = taro.ids()
    goro = browsers["goro"]
    base = f"/wallet/credentials/{theirs}"
    for response in (goro.get(base), goro.get(f"{base}/original"), goro.get(f"{base}/delete"),
                     goro.post(f"{base}/notes", tags="mine"), goro.post(f"{base}/delete")):
        assert response.status_code == 404
    assert taro.ids() == [theirs]
    assert "mine" not in taro.get(base).text


# --- the pages, in both languages ---------------------------------------------------------


@pytest.mark.parametrize(("language", "titles"), [
    ("ja", ("ウォレット（学修歴）", "コレクション", "識別子")),
    ("en", ("Your wallet and learning record", "Collections", "Identifiers"))])
def test_each_page_speaks_the_learners_language(wallets: Wallets, language: str,
                                               titles: tuple[str, str, str]) -> None:
    goro = Browser(wallets.live, "goro", language)
    try:
        [own] = goro.ids()
        record, collections, identifiers = (
            goro.page(path) for path in ("/wallet", "/wallet/collections",
                                         "/wallet/identifiers"))
        credential = goro.page(f"/wallet/credentials/{own}")
        delete = goro.page(f"/wallet/credentials/{own}/delete")
        for page, title in zip((record, collections, identifiers), titles, strict=True):
            assert_accessible(page, language)
            assert squash(page.one("h1").text) == title
            assert page.one("nav", **{"class": "account-nav"})
        for page in (credential, delete):
            assert_accessible(page, language)
        # The header's link to the wallet, and the wallet's own first tab, are "here".
        assert [a.attrs.get("aria-current") for a in record.all("a", href="/wallet")][:2] == [
            "page", "page"]
        assert goro.get("/wallet").headers["cache-control"] == "no-store"
    finally:
        goro.close()


def test_what_was_issued_here_is_in_the_record_verified_and_counted(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    """The credential issued to the learner is there, verified, with its issuer, hours and
    credits; the totals add it up by credit system and by field."""
    saburo = browsers["saburo"]
    page = saburo.page("/wallet")
    [card] = page.all("article", **{"class": "wallet-card"})
    assert card.attrs["data-id"] == saburo.ids()[0]
    text = squash(page.text)
    assert "✓ Verified" in text and "Issued" in text and "No expiry" in text
    assert page.all("div", **{"data-recognition": "none"})
    assert "Not recognised" in squash(card.text)
    assert page.one("dd", id="total-count").text.strip() == "1"
    assert page.one("dd", id="total-hours").text.strip() not in {"", "0"}
    credits, fields = page.all("table", **{"class": "wallet-totals"})
    assert page.all("tr", **{"data-system": "jp-tani"}) and "Digital" in fields.text
    assert "Credits by credit system" in credits.text
    japanese = Browser(wallets.live, "saburo", "ja")
    try:
        assert "検証済み" in japanese.page("/wallet").text
    finally:
        japanese.close()


def test_the_badge_is_shown_and_its_baked_image_downloaded(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    """The programme's badge on the wallet's card and on the credential's page, which offers
    the badge with the credential baked in (PNG and SVG) to download."""
    saburo = browsers["saburo"]
    [card_badge] = [img for img in saburo.page("/wallet").all("img")
                    if "badge-image" in img.attrs.get("class", "")]
    assert card_badge.attrs["src"] == "/badges/1/v1.svg"
    page = saburo.page(f"/wallet/credentials/{saburo.ids()[0]}")
    [badge] = [img for img in page.all("img") if "badge-image" in img.attrs.get("class", "")]
    assert badge.attrs["src"] == "/badges/1/v1.svg" and badge.attrs["alt"]
    downloads = [a.attrs["href"] for a in page.all("a") if "/baked." in a.attrs.get("href", "")]
    credential = wallets.issued["saburo"]
    assert downloads == [f"/api/credentials/{quote(credential)}/baked.png",
                         f"/api/credentials/{quote(credential)}/baked.svg"]
    # The learner reads each check by its title; the checks' codes are for developers.
    checks = page.one("table", **{"class": "checks"}).text
    assert "data-model" not in checks and "parse" not in checks.split()
    png = saburo.get(downloads[0])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert credential.encode() in png.content


def test_a_long_record_is_read_page_by_page_with_the_totals_of_all_of_it(
        wallets: Wallets) -> None:
    """Fifty credentials a page, newest first; the other pages are links (no JavaScript),
    and the totals always count the whole record."""
    from credstack.services.wallet.timeline import PAGE_SIZE
    from tests.signed_credentials import sign, unsigned

    kuroe = fresh(wallets, "kuroe")
    with signed_in_client(wallets.live.url, email("kuroe")) as api:
        for number in range(PAGE_SIZE + 3):
            document = unsigned()
            del document["credentialSubject"]["identifier"]  # names nobody: anyone keeps it
            document["id"] = f"urn:example:long-record:{number}"
            response = api.post("/api/wallet/credentials", json={
                "credential": sign(document, suite="eddsa-jcs-2022")})
            assert response.status_code == 201, response.text
    try:
        first = kuroe.page("/wallet")
        assert len(first.all("article", **{"class": "wallet-card"})) == PAGE_SIZE
        assert first.one("dd", id="total-count").text.strip() == str(PAGE_SIZE + 3)
        assert squash(first.one("p", id="timeline-range").text) == (
            f"1–{PAGE_SIZE} of {PAGE_SIZE + 3}")
        [older] = first.all("a", rel="next")
        assert older.attrs["href"] == "/wallet?page=2#timeline-title"
        second = kuroe.page("/wallet?page=2")
        assert len(second.all("article", **{"class": "wallet-card"})) == 3
        assert second.one("dd", id="total-count").text.strip() == str(PAGE_SIZE + 3)
        assert not second.all("a", rel="next") and second.all("a", rel="prev")
        assert set(kuroe.ids("/wallet?page=2")).isdisjoint(kuroe.ids("/wallet"))
        # A page past the end shows the last one.
        assert kuroe.ids("/wallet?page=99") == kuroe.ids("/wallet?page=2")
    finally:
        kuroe.close()


# --- importing ----------------------------------------------------------------------------


def test_a_baked_badge_of_a_credential_held_is_that_credential_checked_again(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    """The learner's own badge image (PNG, the credential baked in) is the credential the
    wallet holds: the import answers with its page, "already in your wallet", with the live
    check as the verification page shows it, and the wallet still holds one (issue 51)."""
    hanako = browsers["hanako"]
    [held] = hanako.ids()
    image = hanako.get(f"/api/credentials/{wallets.issued['hanako']}/baked.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    for _ in range(2):
        target = done(hanako.upload("badge.png", image.content, media_type="image/png"))
        assert target == f"/wallet/credentials/{held}?done=already#credential-title"
        page = hanako.page(target)
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
        assert "This credential was already in your wallet." in squash(page.text)
    assert hanako.ids() == [held]


def test_a_foreign_credential_is_pasted_and_one_for_another_identifier_is_refused_until_added(
        wallets: Wallets) -> None:
    """The DCC's Teamwork badge names its recipient by a DID: refused, with the reason and the
    pasted text kept, until the learner adds that DID; then it goes in, verified."""
    text = dcc(TEAMWORK).decode()
    learner = fresh(wallets, "kiyoshi", "ja")
    try:
        refused = learner.paste(text)
        assert refused.status_code == 422
        assert "この証明書は他の方に発行されています" in problem(refused, "import-error")
        page = Page(refused.text)
        assert page.one("textarea", id="import-paste").text == text
        assert page.one("details", **{"class": "field wallet-paste"}).attrs.get("open") == ""
        assert any(a.attrs.get("href") == "/wallet/identifiers" for a in page.all("a"))
        assert learner.ids() == []
        assert done(learner.post("/wallet/identifiers", kind="did", value=TEAMWORK_SUBJECT))
        target = done(learner.paste(text))
        page = learner.page(target)
        assert "Teamwork" in page.one("h1").text
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
    finally:
        learner.close()


def test_an_expired_and_a_tampered_credential_are_kept_and_say_why_plainly(
        wallets: Wallets) -> None:
    """The DCC's expired credential, and one of theirs changed after signing."""
    expired = dcc(EXPIRED)
    tampered = json.loads(dcc(NOBODYS))
    tampered["name"] = "A tampered credential"
    learner = fresh(wallets, "hachiro")
    try:
        assert done(learner.upload("expired.json", expired))
        assert done(learner.upload("tampered.json", json.dumps(tampered).encode()))
        page = learner.page("/wallet")
        assert sorted(re.findall(r'data-standing="([^"]+)"', page.source)) == [
            "expired", "not-verified"]
        text = squash(page.text)
        assert "Expired on 9 January 2025" in text
        assert "Not verified: changed after signing" in text
        assert page.one("dd", id="total-count").text.strip() == "0"
    finally:
        learner.close()


def test_an_issuer_that_states_no_name_is_said_so_with_its_did_folded_away(
        wallets: Wallets) -> None:
    """The DCC's credential whose issuer is a bare ``did:key``: the card says the name is
    not stated; the DID is there for whoever opens the technical details, never in the
    card's text."""
    did = json.loads(dcc(UNNAMED))["issuer"]
    learner = fresh(wallets, "kumiko")
    try:
        assert done(learner.upload("unnamed.json", dcc(UNNAMED)))
        page = learner.page("/wallet")
        folded = " ".join(details.text for details in page.all("details")
                          if "technical-details" in details.attrs.get("class", ""))
        assert did in folded
        assert page.source.count(did) == 1
        assert "not stated" in squash(page.text)
    finally:
        learner.close()


@pytest.mark.parametrize(("given", "status", "english", "japanese"), [
    ('{"a": 1}', 422, "This is JSON, but not a credential", "JSON ですが"),
    ("not a credential at all", 422, "This is no format credstack reads",
     "読み取れる形式ではありません"),
    ("", 422, "Choose a file, give an address or paste a credential.",
     "ファイルを選ぶか、URL を入力するか"),
])
def test_what_is_not_a_credential_is_refused_beside_the_form_with_the_text_kept(
        wallets: Wallets, browsers: dict[str, Browser], given: str, status: int,
        english: str, japanese: str) -> None:
    jiro = browsers["jiro"]
    before = jiro.ids()
    response = jiro.paste(given)
    assert response.status_code == status
    assert english in problem(response, "import-error")
    assert html.unescape(Page(response.text).one("textarea", id="import-paste").text) == given
    japanese_page = jiro.http.post("/wallet/import", headers={"Accept-Language": "ja"}, files={
        "csrf_token": (None, jiro.token), "credential": (None, given)})
    assert japanese in problem(japanese_page, "import-error")
    assert jiro.ids() == before


def test_someone_elses_credential_is_refused(wallets: Wallets,
                                             browsers: dict[str, Browser]) -> None:
    """Taro's credential (his download) given to Jiro: refused, 422, the reason beside the
    form in Japanese."""
    taro = browsers["taro"]
    [theirs] = taro.ids()
    original = taro.get(f"/wallet/credentials/{theirs}/original").content
    jiro = Browser(wallets.live, "jiro", "ja")
    try:
        before = jiro.ids()
        response = jiro.upload("taro.json", original)
        assert response.status_code == 422
        assert "この証明書は他の方に発行されています" in problem(response, "import-error")
        assert jiro.ids() == before
    finally:
        jiro.close()


def test_a_file_too_large_is_told_beside_the_form(wallets: Wallets,
                                                  browsers: dict[str, Browser]) -> None:
    """Over the wallet's limit but within the request's: read and refused by the wallet; a
    body declared larger still: answered from its length, unread; both 413, in place, the
    address typed kept when it was read."""
    jiro = browsers["jiro"]
    over = b" " + b"x" * MAX_IMPORT_BYTES
    response = jiro.upload("big.json", over, url="")
    assert response.status_code == 413
    assert "The file is too large: a wallet keeps credentials of up to 8 MB." in problem(
        response, "import-error")
    huge = jiro.upload("huge.pdf", b"%PDF-" + b"a" * IMPORT_BODY_BYTES,
                       media_type="application/pdf")
    assert huge.status_code == 413
    assert "8 MB" in problem(huge, "import-error")
    assert Page(huge.text).one("form", action="/wallet/import#import-title")


def test_an_address_that_cannot_be_fetched_is_told_with_the_address_kept(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    jiro = browsers["jiro"]
    address = "https://127.0.0.1/badge.json"
    response = jiro.upload("", b"", media_type="application/octet-stream", url=address)
    assert response.status_code == 422
    assert "That address could not be fetched" in problem(response, "import-error")
    assert Page(response.text).one("input", id="import-url").attrs["value"] == address


# --- organising ---------------------------------------------------------------------------


def test_tags_a_note_and_collections_are_kept_and_filter_the_record(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    shiro = browsers["shiro"]
    [own] = shiro.ids()
    base = f"/wallet/credentials/{own}"
    assert done(shiro.post(f"{base}/notes", tags="データ, 2026、job", note="私だけのメモ")
                ).endswith("?done=saved#notes-title")
    page = shiro.page(base)
    assert page.one("input", id="tags").attrs["value"] == "2026, job, データ"
    assert page.one("textarea", id="note").text == "私だけのメモ"
    refused = shiro.post(f"{base}/notes", tags="x" * 65, note="kept")
    assert refused.status_code == 422
    assert "at most 20 tags of at most 64 characters" in problem(refused, "notes-error")
    assert Page(refused.text).one("textarea", id="note").text == "kept"

    assert done(shiro.post(f"{base}/collections", new_collection="就職活動")
                ).endswith("?done=added#collections-title")
    [group] = re.findall(r'href="/wallet\?collection=([0-9a-f]{32})"', shiro.get(base).text)
    assert shiro.ids(f"/wallet?collection={group}") == [own]
    assert shiro.ids("/wallet?tag=job") == [own]
    assert shiro.ids("/wallet?tag=nothing") == []
    filtered = shiro.page("/wallet?tag=job")
    assert "Showing 1 of 1 tagged “job”" in squash(filtered.one("p", id="filter-status").text)
    none_chosen = shiro.post(f"{base}/collections")
    assert none_chosen.status_code == 422
    assert "Choose a collection or name a new one." in problem(none_chosen,
                                                               "collections-error")
    assert done(shiro.post(f"{base}/collections/{group}/remove"))
    assert shiro.ids(f"/wallet?collection={group}") == []
    assert done(shiro.post(f"{base}/collections", collection=group))
    assert shiro.ids(f"/wallet?collection={group}") == [own]


def test_collections_are_created_renamed_and_deleted_keeping_their_credentials(
        wallets: Wallets) -> None:
    learner = fresh(wallets, "kuro", "ja")
    try:
        refused = learner.post("/wallet/collections", name="  ", description="説明は残る")
        assert refused.status_code == 422
        assert "名前を 1〜200 文字で入力してください" in problem(refused, "new-error")
        assert Page(refused.text).one("textarea", id="new-description").text == "説明は残る"
        assert done(learner.post("/wallet/collections", name="応募用")).endswith("done=created")
        [group] = re.findall(r'id="collection-([0-9a-f]{32})"',
                             learner.get("/wallet/collections").text)
        assert done(learner.post(f"/wallet/collections/{group}", name="応募用 2026",
                                 description="A社"))
        page = learner.page("/wallet/collections")
        assert "応募用 2026" in page.one("h3", id=f"collection-{group}").text
        too_long = learner.post(f"/wallet/collections/{group}", name="x" * 201)
        assert too_long.status_code == 422
        # Not the header's language menu nor its phone menu: the collection's form.
        [form] = [details for details in Page(too_long.text).all("details")
                  if details.attrs.get("id") != "lang-switch"
                  and details.attrs.get("class") != "site-menu"]
        assert form.attrs.get("open") == ""
        assert done(learner.post(f"/wallet/collections/{group}/delete"))
        assert f"collection-{group}" not in learner.get("/wallet/collections").text
    finally:
        learner.close()


def test_identifiers_are_listed_added_and_removed_with_the_holder_did_shown(
        wallets: Wallets) -> None:
    learner = fresh(wallets, "ichiro")
    try:
        page = learner.page("/wallet/identifiers")
        assert page.one("p", id="holder-did").text.strip().startswith("did:key:z6Mk")
        own = page.one("tr", **{"data-kind": "email"})
        assert own.attrs["data-verified"] == "true" and "Your account's own" in own.text
        assert done(learner.post("/wallet/identifiers", kind="student-id", value="S-2026-001"))
        page = learner.page("/wallet/identifiers")
        added = page.one("tr", **{"data-kind": "student-id"})
        assert added.attrs["data-verified"] == "false" and "Remove S-2026-001" in added.text
        again = learner.post("/wallet/identifiers", kind="student-id", value="S-2026-001")
        assert again.status_code == 409
        assert "already one of your identifiers" in problem(again, "add-error")
        taken = learner.post("/wallet/identifiers", kind="email", value=email("taro"))
        assert taken.status_code == 409 and "another account" in problem(taken, "add-error")
        wrong = learner.post("/wallet/identifiers", kind="email", value="not-an-address")
        assert wrong.status_code == 422
        assert "This is not an e-mail address." in problem(wrong, "add-error")
        assert Page(wrong.text).one("input", id="identifier-value").attrs["value"] == (
            "not-an-address")
        assert done(learner.post("/wallet/identifiers/remove", kind="student-id",
                                 value="S-2026-001"))
        assert 'data-kind="student-id"' not in learner.get("/wallet/identifiers").text
    finally:
        learner.close()


# --- the original, deleting, a status that changed ---------------------------------------


def test_the_original_downloads_byte_for_byte_and_never_renders_here(
        wallets: Wallets) -> None:
    """An SVG badge comes back as an attachment, unsniffed, sandboxed."""
    credential = dcc(NOBODYS).decode()
    learner = fresh(wallets, "juro")
    try:
        svg = bake(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                   credential)
        target = done(learner.upload("badge.svg", svg, media_type="image/svg+xml"))
        own = target.split("/")[-1].split("?")[0]
        response = learner.get(f"/wallet/credentials/{own}/original")
        assert response.status_code == 200 and response.content == svg
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.headers["content-disposition"].startswith(
            'attachment; filename="badge.svg"')
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"].startswith("sandbox")
    finally:
        learner.close()


def test_deleting_asks_first_then_deletes(wallets: Wallets) -> None:
    rokuro = Browser(wallets.live, "rokuro", "ja")
    try:
        [own] = rokuro.ids()
        confirm = rokuro.page(f"/wallet/credentials/{own}/delete")
        assert "この証明書を削除しますか？" in confirm.one("h1").text
        assert confirm.one("form", action=f"/wallet/credentials/{own}/delete")
        assert "再び届くことはありません" in confirm.text
        assert rokuro.ids() == [own], "asking deletes nothing"
        target = done(rokuro.post(f"/wallet/credentials/{own}/delete"))
        assert target == "/wallet?done=deleted"
        assert "証明書を削除しました。" in rokuro.page(target).one("div", role="status").text
        assert rokuro.get(f"/wallet/credentials/{own}").status_code == 404
        assert rokuro.ids() == [], "not delivered again"
    finally:
        rokuro.close()


def test_a_suspended_credential_says_so_when_opened_and_then_in_the_record(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    goro = browsers["goro"]
    [own] = goro.ids()
    change = {"credentialId": _credential_id(goro, own)}

    def suspend(status: bool) -> None:
        with operator_client(wallets.live) as operator:
            answer = operator.post("/credentials/status", json={**change, "credentialStatus": [
                {"type": "BitstringStatusListEntry", "statusPurpose": "suspension",
                 "status": status}]})
            assert answer.status_code == 200, answer.text

    suspend(True)
    try:
        page = goro.page(f"/wallet/credentials/{own}")
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "false"
        assert "Suspended by its issuer" in squash(page.text)
        card = goro.page("/wallet").one("article", **{"data-id": own})
        assert "✗ Suspended by its issuer" in squash(card.text)
    finally:
        suspend(False)
    assert "✓ Verified" in squash(goro.page(f"/wallet/credentials/{own}").text)


def _credential_id(browser: Browser, own: str) -> str:
    original = browser.get(f"/wallet/credentials/{own}/original").json()
    found: str = original["id"]
    return found


def test_forms_carry_the_token_as_a_field(wallets: Wallets,
                                          browsers: dict[str, Browser]) -> None:
    """Every form on every wallet page posts the session's token (no JavaScript needed)."""
    goro = browsers["goro"]
    [own] = goro.ids()
    for path in ("/wallet", "/wallet/collections", "/wallet/identifiers",
                 f"/wallet/credentials/{own}", f"/wallet/credentials/{own}/delete"):
        text = goro.get(path).text
        posting = len(re.findall(r'<form[^>]*method="post"', text))
        assert posting and len(CSRF_INPUT.findall(text)) == posting, path
        assert all(token == goro.token for token in CSRF_INPUT.findall(text))



# --- presenting to a verifier --------------------------------------------------------------


def test_a_presentation_for_a_verifier_is_signed_and_downloaded(wallets: Wallets,
                                                                browsers: dict[str, Browser]
                                                                ) -> None:
    """The present page: tick the credential, type the verifier's challenge and domain, and
    the download is a presentation that verifies for that challenge and domain only; the CLR
    of the same credential verifies too; nothing ticked is refused beside the form."""
    learner = browsers["shichiro"]
    [own] = learner.ids()
    form = learner.page(f"/wallet/present?credential={own}")
    assert form.one("input", id=f"present-{own}").attrs.get("checked") is not None
    assert_accessible(form, "en")
    download = learner.http.post("/wallet/present", data={
        "csrf_token": learner.token, "credential": own, "challenge": "c-9", "domain": "hr.jp"})
    assert download.status_code == 200, download.text
    assert download.headers["content-disposition"].startswith("attachment;")
    presentation = download.json()
    verify = f"{wallets.live.url}/presentations/verify"
    good = patiently.post(verify, json={"verifiablePresentation": presentation, "options": {
        "challenge": "c-9", "domain": "hr.jp"}}, timeout=30)
    assert good.json()["verified"] is True, good.text
    replayed = patiently.post(verify, json={"verifiablePresentation": presentation, "options": {
        "challenge": "c-10", "domain": "hr.jp"}}, timeout=30)
    assert replayed.json()["verified"] is False
    clr = learner.http.post("/wallet/clr", data={"csrf_token": learner.token,
                                                 "credential": own})
    assert clr.status_code == 200 and "ClrCredential" in clr.json()["type"]
    nothing = learner.post("/wallet/present", challenge="c-9", domain="hr.jp")
    assert nothing.status_code == 422 and 'id="present-error"' in nothing.text
    no_challenge = learner.post("/wallet/present", credential=own, challenge="", domain="hr.jp")
    assert no_challenge.status_code == 422


def test_an_imported_clr_is_shown_as_a_record_with_its_achievements(wallets: Wallets
                                                                   ) -> None:
    """A CLR taken into the wallet is a learner record, not one more credential: its card
    and page say so, name who issued it, and list the achievements it bundles by their
    titles, each with its own standing, in Japanese and English (issue 39, defect 5)."""
    learner = Browser(wallets.live, "hiroko")
    try:
        [own] = learner.ids()
        counted = squash(learner.page("/wallet").one("dd", id="total-count").text)
        clr = learner.http.post("/wallet/clr", data={"csrf_token": learner.token,
                                                     "credential": own})
        assert clr.status_code == 200, clr.text
        imported = learner.upload("clr.json", clr.content)
        assert imported.status_code == 303, imported.text
        [record] = {public_id for public_id in learner.ids() if public_id != own}
        # The record bundles the credential held already: it is not counted again.
        assert squash(learner.page("/wallet").one("dd", id="total-count").text) == counted
    finally:
        learner.close()
    for language, kind, unstated, verified in (
            ("ja", "学習記録（CLR）", "未記載", "検証済み"),
            ("en", "Learner record (CLR)", "not stated", "Verified")):
        browser = Browser(wallets.live, "hiroko", language)
        try:
            title = squash(browser.page(f"/wallet/credentials/{own}").one("h1").text)
            card = next(article for article in browser.page("/wallet").all("article")
                        if article.attrs.get("data-id") == record)
            page = browser.page(f"/wallet/credentials/{record}")
            assert_accessible(page, language)
        finally:
            browser.close()
        for shown in (card, page.all("dl", **{"class": "wallet-facts"})[0]):
            assert kind in squash(shown.text), language
            assert unstated not in squash(shown.text), language
        parts = squash(page.one("ul", id="credential-parts").text)
        assert page.source.count('<li data-verified="verified">') == 1, language
        assert title in parts and verified in parts, language


# --- the account page and the PDF certificate --------------------------------------------


def test_the_account_page_shows_the_learners_credentials_and_links_the_wallet(
        wallets: Wallets) -> None:
    """/account lists what the wallet holds (issued here, delivered on the way), each linked
    to its page, with a summary and the way to the whole wallet, in either language."""
    learner = Browser(wallets.live, "kazuko")
    try:
        page = learner.page("/account")
        summary = squash(page.one("p", id="wallet-summary").text)
        assert summary.startswith("Your wallet holds 1 credentials (1 verified")
        [item] = page.all("li", **{"data-id": learner.ids()[0]})
        assert item.attrs["data-id"] == learner.ids()[0]
        assert page.all("a", href=f"/wallet/credentials/{item.attrs['data-id']}")
        assert "✓ Verified" in squash(item.text)
        assert page.all("a", href="/wallet")
    finally:
        learner.close()
    japanese = Browser(wallets.live, "kazuko", "ja")
    try:
        assert "ウォレットに 1 件の証明があります" in japanese.page("/account").text
    finally:
        japanese.close()
    empty = fresh(wallets, "nanashi")
    try:
        text = squash(empty.page("/account").one("p", id="wallet-summary").text)
        assert text.startswith("No credentials yet.")
    finally:
        empty.close()


@pytest.mark.parametrize("language", ["ko", "th"])
def test_a_reader_of_another_language_downloads_the_certificate_in_theirs(
        wallets: Wallets, language: str) -> None:
    """The credential's page in Korean or Thai offers the PDF certificate written in that
    language first (then in Japanese), and the download is that language's certificate."""
    learner = Browser(wallets.live, "sachiko", language)
    try:
        own = learner.ids()[0]
        page = learner.page(f"/wallet/credentials/{own}")
        links = [a.attrs["href"] for a in page.all("a")
                 if "/certificate.pdf" in a.attrs.get("href", "")]
        assert links == [f"/wallet/credentials/{own}/certificate.pdf?language={language}",
                         f"/wallet/credentials/{own}/certificate.pdf?language=ja"]
        response = learner.get(links[0])
        assert response.status_code == 200, response.text
        assert response.headers["content-disposition"].endswith(f'-{language}.pdf"')
        assert f"/Lang ({language})".encode() in response.content
    finally:
        learner.close()


def test_the_pdf_certificate_of_a_credential_issued_here_downloads_from_its_page(
        wallets: Wallets) -> None:
    """The credential's page offers its signed PDF in both languages; the download is a PDF
    this platform verifies, carrying the credential."""
    learner = Browser(wallets.live, "sachiko")
    try:
        own = learner.ids()[0]
        page = learner.page(f"/wallet/credentials/{own}")
        links = [a.attrs["href"] for a in page.all("a")
                 if "/certificate.pdf" in a.attrs.get("href", "")]
        assert links == [f"/wallet/credentials/{own}/certificate.pdf?language=en",
                         f"/wallet/credentials/{own}/certificate.pdf?language=ja"]
        for link, language in zip(links, ("en", "ja"), strict=True):
            response = learner.get(link)
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == "application/pdf"
            assert response.headers["content-disposition"].startswith("attachment; filename=")
            assert response.headers["content-disposition"].endswith(f'-{language}.pdf"')
            assert response.content.startswith(b"%PDF")
        verified = patiently.post(f"{wallets.live.url}/api/certificates/verify",
                                  content=response.content,
                                  headers={"Content-Type": "application/pdf"}, timeout=60)
        assert verified.status_code == 200, verified.text
        assert verified.json()["pdf"]["credential_embedded"] is True
        # The same through the wallet's JSON API, and nobody else's.
        api = learner.http.get(f"/api/wallet/credentials/{own}/certificate.pdf",
                               params={"lang": "en"}, headers={"Accept": "*/*"})
        assert api.status_code == 200 and api.content.startswith(b"%PDF")
        other = Browser(wallets.live, "kazuko")
        try:
            assert other.get(f"/wallet/credentials/{own}/certificate.pdf").status_code == 404
        finally:
            other.close()
        # Imported back, the PDF of a credential held already adds nothing: one credential is
        # counted once.
        before = learner.ids()
        imported = learner.upload("certificate.pdf", response.content,
                                  media_type="application/pdf")
        assert imported.status_code in {200, 303}, imported.text[-2000:]
        assert learner.ids() == before
    finally:
        learner.close()


def test_a_credential_issued_elsewhere_offers_no_pdf_certificate(wallets: Wallets) -> None:
    """A foreign credential's page has no certificate link, and asking for one is a 404 that
    says why."""
    credential = dcc(NOBODYS).decode()
    learner = fresh(wallets, "gaikoku")
    try:
        own = done(learner.paste(credential)).split("/")[-1].split("?")[0]
        page = learner.get(f"/wallet/credentials/{own}")
        assert page.status_code == 200 and "certificate.pdf" not in page.text
        refused = learner.get(f"/wallet/credentials/{own}/certificate.pdf")
        assert refused.status_code == 404
        assert "not issued on this platform" in refused.text
    finally:
        learner.close()


def test_a_japanese_error_page_shows_the_japanese_half_of_the_message(wallets: Wallets
                                                                      ) -> None:
    """Another's credential on a Japanese page: the Japanese half only, no English detail."""
    learner = fresh(wallets, "nihongo", "ja")
    try:
        response = learner.get("/wallet/credentials/0123456789abcdef0123456789abcdef")
        assert response.status_code == 404
        detail = squash(Page(response.text).one("p", **{"class": "error-detail"}).text)
        assert detail == "ウォレットにその証明はありません。"
        assert "Your wallet has no credential" not in response.text
    finally:
        learner.close()
    english = fresh(wallets, "eigo")
    try:
        response = english.get("/wallet/credentials/0123456789abcdef0123456789abcdef")
        detail = squash(Page(response.text).one("p", **{"class": "error-detail"}).text)
        assert detail.startswith("Your wallet has no credential") and "ウォレット" not in detail
    finally:
        english.close()


@pytest.mark.parametrize(("language", "issuer"), [("ja", "北都工科大学"),
                                                  ("en", "Hokuto Institute of Technology")])
def test_a_wallet_card_names_the_issuer_in_the_pages_language(
        demo_server: LiveServer, language: str, issuer: str) -> None:
    """The demo credential names its issuer in Japanese only; the registry knows the
    organisation's English name too, and the English card shows that one."""
    with signed_in_client(demo_server.url, "learner@demo.example", DEMO_PASSWORD) as learner:
        page = get_page(learner, f"/wallet?lang={language}")
        [card] = [a for a in page.all("article") if "wallet-card" in a.attrs.get("class", "")]
        facts = squash(card.text)
        assert issuer in facts, facts
        if language == "en":
            assert "北都工科大学" not in facts
