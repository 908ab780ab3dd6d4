"""The employer's page (``/verify/compare``) and ``POST /api/verify/batch`` over real HTTP.

An employer uploads several files at once (``multipart/form-data`` with several ``files``
parts, as a browser sends ``<input type=file multiple>``), pastes several credentials or a
learner's share link, and reads one table: a row per credential with its verdict in plain
words and what it states. One server on SQLite for the module, with a provider, its
published programme and a learner who shares the credential issued to her (once openly, once
behind an access code); foreign credentials are the demo programme's signed in the test
(``tests.signed_credentials``) and the Digital Credentials Consortium's from
``../shared/ref/wild`` (those tests skip when it is absent).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import uuid
from collections.abc import Iterator
from http.client import HTTPConnection
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest

from credstack.core.certificates.content import verification_url
from credstack.entrypoints.web.pages.verify_compare import COMPARE_BODY_BYTES
from tests.accounts import signed_in_client
from tests.conftest import LiveServer, issued_to_members, keyed_sqlite, serve
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible, squash
from tests.entrypoints.web.pages.test_wallet_pages import DCC, EXPIRED, dcc
from tests.services.candidates.test_comparison import expired
from tests.signed_credentials import jwt, presentation, signed, tampered

__all__ = ["DCC"]

LEARNER = "hanako@example.jp"
CODE = "kita-2026"


@dataclasses.dataclass(frozen=True)
class Employer:
    live: LiveServer
    #: The learner's share link, and one that asks for :data:`CODE`.
    share: str
    coded: str
    #: The id of the credential issued to her.
    credential_id: str


@pytest.fixture(scope="module")
def employer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Employer]:
    settings = keyed_sqlite(tmp_path_factory.mktemp("verify-compare"))
    [credential_id] = issued_to_members(settings, {LEARNER: "Hanako"}, batch="employer")
    for live in serve(settings):
        with signed_in_client(live.url, LEARNER) as learner:
            # Opening the wallet delivers the credential issued to her.
            [wallet_id] = re.findall(r'data-id="([0-9a-f]{32})"',
                                     learner.get("/wallet", headers=HTML).text)
            links = [learner.post("/api/wallet/shares", json={
                "credential": wallet_id, **extra}) for extra in ({}, {"access_code": CODE})]
            assert all(link.status_code == 201 for link in links), links[0].text
        yield Employer(live, links[0].json()["url"], links[1].json()["url"], credential_id)


@pytest.fixture
def http(employer: Employer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=employer.live.url, timeout=60, headers=HTML) as client:
        yield client


def as_file(name: str, document: Any) -> tuple[str, tuple[str, bytes, str]]:
    data = document if isinstance(document, bytes) else json.dumps(
        document, ensure_ascii=False).encode()
    return ("files", (name, data, "application/json"))


def post(http: httpx.Client, *files: tuple[str, tuple[str, bytes, str]], pasted: str = "",
         access_code: str = "", **headers: str) -> httpx.Response:
    """The form as a browser sends it: every chosen file a ``files`` part (an empty one when
    none is chosen), the textarea, the access code."""
    parts: list[tuple[str, Any]] = list(files) or [("files", ("", b"",
                                                                "application/octet-stream"))]
    parts += [("credentials", (None, pasted)), ("access_code", (None, access_code))]
    return http.post("/verify/compare", files=parts, headers=headers)


def rows(page: Page) -> list[dict[str, str]]:
    """Each credential's row: its label, outcome and reason codes."""
    return [{"label": row.attrs["data-label"], "outcome": row.attrs["data-outcome"],
             "reasons": row.attrs["data-reasons"]}
            for row in page.all("tr") if "data-outcome" in row.attrs]


# --- the form ---------------------------------------------------------------------------


def test_the_form_takes_several_files_and_pasted_text_without_javascript(
        http: httpx.Client) -> None:
    page = Page(http.get("/verify/compare").text)
    form = page.one("form", **{"class": "verify-form"})
    assert form.attrs["method"] == "post" and form.attrs["action"].startswith("/verify/compare")
    assert form.attrs["enctype"] == "multipart/form-data"
    files = page.one("input", type="file")
    assert files.attrs["name"] == "files" and "multiple" in files.attrs
    assert page.one("label", for_="files") and page.one("label", for_="credentials")
    assert page.one("h1").text.strip() == "複数の証明書を検証して比べる"
    assert_accessible(page, "ja")


def test_the_verification_page_links_here(http: httpx.Client) -> None:
    page = Page(http.get("/verify").text)
    link = page.one("a", href="/verify/compare").text.strip()
    assert link == "複数の証明書をまとめて検証し、並べて比べる"


# --- comparing ------------------------------------------------------------------------


def test_three_files_and_a_presentation_are_read_side_by_side(http: httpx.Client) -> None:
    """A valid, a tampered and an expired credential, and a presentation of two more."""
    response = post(http, as_file("valid.json", signed()), as_file("tampered.json", tampered()),
                    as_file("expired.json", expired()),
                    as_file("vp.json", presentation(signed(), expired())),
                    **{"Accept-Language": "en"})
    assert response.status_code == 200, response.text
    page = Page(response.text)
    assert rows(page) == [
        {"label": "valid.json", "outcome": "verified", "reasons": ""},
        {"label": "tampered.json", "outcome": "not-verified", "reasons": "altered"},
        {"label": "expired.json", "outcome": "not-verified", "reasons": "expired"},
        {"label": "vp.json #1", "outcome": "verified", "reasons": ""},
        {"label": "vp.json #2", "outcome": "not-verified", "reasons": "expired"}]
    # The presentation's credentials are the valid and the expired files' (the expired one
    # is the valid one's id issued for another period: a row of its own); the tampered copy,
    # which keeps the valid one's id, is not said to be it.
    same = [(element.attrs["data-same-as"], squash(element.text)) for element in
            page.all("span", **{"class": "compare-credential__same aside"})]
    assert same == [("1", "The same credential as “valid.json”"),
                    ("3", "The same credential as “expired.json”")]
    text = squash(page.text)
    assert "2 of 5 verified." in text
    assert "Changed after signing: the signature does not match what it says." in text
    assert "Expired on 1 May 2025." in text
    assert "The holder's signature verified." in text
    table = page.one("table", id="compare-table")
    assert page.one("caption").text.strip().startswith("Each credential's verdict")
    heads = [th.attrs.get("scope") for th in page.all("th")]
    assert heads.count("col") == 12 and heads.count("row") == 5
    assert table.attrs["role"] == "table"
    valid = squash(page.all("tr", **{"data-label": "valid.json"})[0].text)
    for fact in ("Verified", "Hanako Yamada", "1 April 2025", "No expiry", "45 hours",
                 "JEQF level 5", "Practical", "Unknown: not a programme of this registry"):
        assert fact in valid, (fact, valid)
    assert_accessible(page, "en")


def test_several_credentials_pasted_in_one_box_are_each_verified(http: httpx.Client) -> None:
    pasted = "\n".join([json.dumps(signed()), jwt(), json.dumps(tampered())])
    page = Page(post(http, pasted=pasted).text)
    assert [(row["label"], row["outcome"]) for row in rows(page)] == [
        ("貼り付け 1", "verified"), ("貼り付け 2", "verified"), ("貼り付け 3", "not-verified")]
    assert "署名の後に内容が変更されています" in page.text
    assert page.one("textarea").text.strip().startswith("{")  # kept, to be corrected


def test_a_share_link_is_opened_and_checked_now(employer: Employer, http: httpx.Client) -> None:
    """Pasted as its address: the programme is this registry's, not recognised."""
    page = Page(post(http, pasted=employer.share, **{"Accept-Language": "en"}).text)
    [row] = rows(page)
    assert row["outcome"] == "verified"
    text = squash(page.text)
    assert "From a share link" in text and "Not recognised on this registry" in text


def test_the_sites_own_verification_link_is_read_from_the_store(
        employer: Employer, http: httpx.Client) -> None:
    """The link every learner shares (``/verify/<id>`` at the site's public address, as a
    certificate's QR code gives it, or its path alone) is verified as the page it opens does,
    from the store: never refused as an address this server may not fetch."""
    public_url = employer.live.settings.public_url.rstrip("/")
    link = verification_url(public_url, employer.credential_id)
    for pasted in (link, f"{link}?lang=en#verify-result-title",
                   f"/verify/{quote(employer.credential_id, safe='')}"):
        page = Page(post(http, pasted=pasted, **{"Accept-Language": "en"}).text)
        assert rows(page) == [{"label": "pasted 1", "outcome": "verified", "reasons": ""}], (
            pasted, squash(page.text))
        row = squash(page.all("tr", **{"data-label": "pasted 1"})[0].text)
        assert "Hanako" in row and "may not fetch" not in row, row
    assert_accessible(page, "en")


def test_an_own_link_to_no_credential_says_so(employer: Employer, http: httpx.Client) -> None:
    public_url = employer.live.settings.public_url.rstrip("/")
    page = Page(post(http, pasted=f"{public_url}/verify/urn:uuid:{uuid.uuid4()}",
                     **{"Accept-Language": "en"}).text)
    assert [row["outcome"] for row in rows(page)] == ["unusable"]
    assert "pasted 1: this site has no credential at this address." in squash(page.text)


def test_only_the_configured_public_address_is_read_as_the_sites_own(
        employer: Employer, http: httpx.Client) -> None:
    """The same path on another host — even the one the request names (``Host``), which a
    caller chooses — is an address like any other: fetched only where fetching is allowed
    (a loopback address is not), never read from the store."""
    path = f"/verify/{employer.credential_id}"
    served = urlsplit(employer.live.url)
    assert served.netloc != urlsplit(employer.live.settings.public_url).netloc
    for pasted, headers in ((f"{employer.live.url}{path}", {}),
                            (f"http://evil.example{path}", {"Host": "evil.example"})):
        answer = post(http, pasted=pasted, **{"Accept-Language": "en"}, **headers)
        if answer.status_code != 200:
            assert answer.status_code == 400, answer.text
            continue
        [row] = rows(Page(answer.text))
        assert row["outcome"] != "verified", pasted


def test_a_share_link_with_an_access_code_needs_it(employer: Employer,
                                                   http: httpx.Client) -> None:
    refused = Page(post(http, pasted=employer.coded, **{"Accept-Language": "en"}).text)
    [row] = rows(refused)
    assert row["outcome"] == "unusable"
    assert "the share link could not be opened: This link asks for an access code" in squash(
        refused.text)
    opened = Page(post(http, pasted=employer.coded, access_code=CODE).text)
    assert [row["outcome"] for row in rows(opened)] == ["verified"]


def test_a_bad_file_has_its_own_row_and_the_others_are_verified(http: httpx.Client) -> None:
    response = post(http, as_file("notes.txt", b"not a credential"),
                    as_file("empty.json", b"   "), as_file("valid.json", signed()),
                    **{"Accept-Language": "en"})
    assert response.status_code == 200
    page = Page(response.text)
    assert [row["outcome"] for row in rows(page)] == ["unusable", "unusable", "verified"]
    text = squash(page.text)
    assert "notes.txt: this could not be read as a credential" in text
    assert "empty.json: the file is empty." in text


def test_over_twenty_the_rest_are_named_and_left_out(http: httpx.Client) -> None:
    files = [as_file(f"c{index}.json", signed()) for index in range(1, 23)]
    page = Page(post(http, *files, **{"Accept-Language": "en"}).text)
    assert len(rows(page)) == 20
    assert "Over the limit of 20, these were not verified: c21.json" in squash(
        page.one("p", id="compare-left-out").text)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Choose files, or paste credentials or share links."),
    ("ja", "ファイルを選ぶか、証明書または共有リンクを貼り付けてください。")])
def test_nothing_given_is_told_beside_the_form(http: httpx.Client, language: str,
                                              expected: str) -> None:
    response = post(http, **{"Accept-Language": language})
    assert response.status_code == 422
    assert expected in squash(Page(response.text).one("div", id="compare-problem").text)


def test_a_body_over_the_total_limit_is_refused_unread(employer: Employer) -> None:
    """Said from the declared length, in the visitor's language, before the body is sent."""
    address = urlsplit(employer.live.url)
    connection = HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        connection.putrequest("POST", "/verify/compare")
        for name, value in {"Content-Type": "multipart/form-data; boundary=x",
                            "Content-Length": str(COMPARE_BODY_BYTES + 1),
                            "Accept": "text/html", "Accept-Language": "en"}.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413
        text = squash(Page(response.read().decode()).one("div", id="compare-problem").text)
    finally:
        connection.close()
    assert "one comparison reads up to 20 MB in all" in text


def test_a_real_expired_credential_from_another_issuer(http: httpx.Client) -> None:
    """The Digital Credentials Consortium's expired test credential (did:key, offline)."""
    page = Page(post(http, as_file("dcc-expired.json", dcc(EXPIRED)),
                     **{"Accept-Language": "en"}).text)
    [row] = rows(page)
    assert row["outcome"] == "not-verified" and row["reasons"] == "expired"
    assert "Expired on 9 January 2025." in squash(page.text)


# --- the JSON API -----------------------------------------------------------------------


def test_the_api_verifies_several_and_answers_each(employer: Employer,
                                                   http: httpx.Client) -> None:
    response = http.post("/api/verify/batch", headers={"Accept": "application/json"}, json={
        "credentials": [signed(), json.dumps(tampered()), jwt(), employer.share,
                        presentation(signed())],
        "files": [{"name": "expired.json",
                   "contentBase64": base64.b64encode(
                       json.dumps(expired()).encode()).decode()}]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(item["label"], item["outcome"]) for item in body["credentials"]] == [
        ("credentials[0]", "verified"), ("credentials[1]", "not-verified"),
        ("credentials[2]", "verified"), ("credentials[3]", "verified"),
        ("credentials[4] #1", "verified"), ("expired.json", "not-verified")]
    assert body["verified"] == 4 and body["presentations"][0]["verified"] is True
    assert body["credentials"][1]["verdict"]["reasons"][0]["code"] == "altered"
    assert body["credentials"][3]["recognition"]["status"] == "none"


def test_the_api_refuses_nothing_to_verify_and_is_documented(http: httpx.Client) -> None:
    response = http.post("/api/verify/batch", json={"credentials": []},
                         headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert "Nothing to verify" in response.text
    schema = http.get("/openapi.json").json()
    assert "post" in schema["paths"]["/api/verify/batch"]


@pytest.mark.parametrize(("body", "detail"), [
    ({"credentials": []}, "Nothing to verify: give credentials or files. / 検証するものが"
                          "ありません。credentials か files を指定してください。"),
    ({"files": [{"name": "x.json", "contentBase64": "not base64!"}]},
     "A file is not base64. / ファイルが base64 ではありません。"),
])
def test_the_api_words_its_refusals_as_it_always_did(http: httpx.Client, body: dict[str, Any],
                                                     detail: str) -> None:
    """In English and Japanese, word for word, from the catalogues."""
    response = http.post("/api/verify/batch", json=body, headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"] == detail
