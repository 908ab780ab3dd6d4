"""The verification page (``/verify``) over real HTTP, on SQLite and PostgreSQL.

A visitor pastes or uploads a credential (``multipart/form-data``, as a browser sends it) —
JSON, a VC-JWT, a baked badge image or a certificate PDF — and reads the verdict (who earned
what from whom, what is wrong), the checks, the errors and what the credential says, in
Japanese or in English. Credentials are a demo programme's OB 3.0 credential signed in the
test (``tests.signed_credentials``), or issued by the server itself (images, PDFs).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from credstack.core.verification import MAX_CREDENTIAL_BYTES
from credstack.entrypoints.web.pages.verification import Identifier, Learner
from credstack.settings import Settings
from tests.conftest import LiveServer, operator_client, operator_token, serve
from tests.entrypoints.web.api.test_verification import StatusLists, status_server, with_status
from tests.entrypoints.web.api.test_verification_any_format import issued
from tests.entrypoints.web.api.test_verification_any_format import path_of as credential_path
from tests.entrypoints.web.pages.test_programmes import (
    HTML,
    Page,
    assert_accessible,
    get_page,
    seed,
    squash,
)
from tests.signed_credentials import (
    ISSUER,
    jwt,
    pin_context,
    presentation,
    sd_jwt_credential,
    sign,
    signed,
    signed_with_pinned_context,
    tampered,
    unsigned,
)

__all__ = ["issued", "status_server"]  # fixtures shared with the API's tests

EN = {**HTML, "Accept-Language": "en"}


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module's tests: they verify what they send and read
    the pages, and what they write (one test's programmes) no other test counts."""
    yield from serve(module_settings)


@pytest.fixture(scope="module")
def _operator(server: LiveServer) -> str:
    return operator_token(server)


@pytest.fixture
def http(server: LiveServer, _operator: str) -> Iterator[httpx.Client]:
    """The platform operator's client of the module's server, with no cookie of another
    test's."""
    with operator_client(server, token=_operator) as client:
        yield client


def paste(http: httpx.Client, text: str, **headers: str) -> httpx.Response:
    """The form posted with ``text`` in the textarea and no file chosen, as a browser does."""
    return http.post("/verify", headers={**HTML, **headers}, files={
        "credential": (None, text), "file": ("", b"", "application/octet-stream")})


def upload(http: httpx.Client, name: str, data: bytes, *, pasted: str = "",
           media_type: str = "application/json", strict: bool = False,
           **headers: str) -> httpx.Response:
    fields: dict[str, Any] = {"credential": (None, pasted), "file": (name, data, media_type)}
    if strict:
        fields["strict"] = (None, "1")
    return http.post("/verify", headers={**HTML, **headers}, files=fields)


def verdict(page: Page) -> str:
    return page.one("div", id="verify-verdict").attrs["data-verified"]


def banner(page: Page) -> str:
    return squash(page.one("div", id="verify-verdict").text)


def outcomes(page: Page) -> dict[str, str]:
    """Each check's name and outcome, from the table of checks."""
    return {row.attrs["data-check"]: row.attrs["class"].split("check--")[1]
            for row in page.all("tr") if "data-check" in row.attrs}


# --- the form ---------------------------------------------------------------------------


def test_the_form_has_a_labelled_textarea_and_file_input_and_posts_without_javascript(
        http: httpx.Client) -> None:
    """A plain multipart POST form that htmx enhances: hx-post, a target and an indicator."""
    page = get_page(http, "/verify")
    form = page.one("form", **{"class": "verify-form"})
    assert form.attrs["method"] == "post" and form.attrs["action"].startswith("/verify")
    assert form.attrs["enctype"] == "multipart/form-data"
    assert form.attrs["hx-post"] == "/verify" and form.attrs["hx-target"] == "#verify-result"
    assert page.one("span", id="verify-progress").attrs["class"].startswith("htmx-indicator")
    textarea = page.one("textarea", name="credential")
    assert page.one("label", for_=textarea.attrs["id"]).text.strip() == "証明書を貼り付ける"
    file_input = page.one("input", type="file")
    assert file_input.attrs["name"] == "file"
    assert page.one("label", for_=file_input.attrs["id"])
    assert "1 MB" in page.one("p", id="file-hint").text
    assert page.one("p", id="verify-status").attrs["role"] == "status"
    assert page.one("h1").text.strip() == "証明書を検証する"


def test_every_page_links_to_the_verification_page(http: httpx.Client) -> None:
    """The site's main menu has the page; on it, the link is the current one."""
    for url in ("/", "/programmes", "/verify"):
        nav = get_page(http, url).one("nav", **{"aria-label": "メインメニュー"})
        assert "証明書の検証" in nav.text
    links = get_page(http, "/verify").all("a", href="/verify")
    assert links[0].attrs.get("aria-current") == "page"


# --- verdicts ---------------------------------------------------------------------------


def test_a_pasted_valid_credential_is_verified_with_every_check_and_its_meaning(
        http: httpx.Client) -> None:
    """Verdict, each check passed, the achievement, issuer, learner and conformance."""
    response = paste(http, json.dumps(signed(), ensure_ascii=False))
    assert response.status_code == 200
    page = Page(response.text)
    assert verdict(page) == "true"
    assert "検証済み" in page.one("div", id="verify-verdict").text
    assert squash(page.one("p", id="verify-status").text) == "検証結果：検証済み"
    assert outcomes(page) == {"parse": "passed", "data-model": "passed",
                              "open-badges": "passed",
                              "credential-schema": "passed", "contexts": "passed",
                              "proof": "passed", "issuer": "passed", "validity": "passed",
                              "status": "passed", "meaning": "info"}
    text = squash(page.one("section", **{"class": "verify-result"}).text)
    assert "半導体製造装置の保全技術" in text and "火の国工業高等専門学校" in text
    assert "山田花子" in text, "the learner's name, as stated"
    assert "ハッシュ化された値（表示しません）" in text, "a hashed identifier is not shown"
    assert "sha256$" not in text, "(the pasted credential stays in the form above)"
    assert "マイクロクレデンシャルです" in text
    conformance = [row.attrs["data-profile"] for row in page.all("tr")
                   if "data-profile" in row.attrs]
    assert conformance == ["jp-mc", "eu-2022", "au-nmf-2022", "my-mqa", "jp-rishu"]
    assert page.all("h3", id="verify-errors") == []


def test_a_tampered_credential_is_not_verified_naming_the_failing_check(
        http: httpx.Client) -> None:
    """The proof fails; the banner and the errors say so; the issuer is not decided."""
    response = paste(http, json.dumps(tampered()))
    assert response.status_code == 200
    page = Page(response.text)
    assert verdict(page) == "false"
    said = banner(page)
    assert "検証に失敗しました" in said and "署名の後に内容が変更されています" in said
    assert "と記載されています。" in said, "what it states is only a claim"
    assert squash(page.one("p", id="verify-status").text) == "検証結果：検証に失敗しました"
    checks = outcomes(page)
    assert checks["proof"] == "failed" and checks["issuer"] == "not-checked"
    errors = squash(page.all("ul", **{"class": "issues issues--errors"})[0].text)
    assert "署名が一致しません" in errors and "signature" in errors
    assert "信頼できません" in page.text, "what an unverified credential says is flagged"


def test_a_tampered_credential_lays_out_nothing_of_its_programme(http: httpx.Client) -> None:
    """What a credential its issuer did not sign as it reads says of its programme (effort,
    credits, level, quality assurance …) may be anything: no "descriptors at a glance" laid
    out as the registry lays out a real programme, but a sentence saying why it is left out.
    A verified credential keeps its summary."""
    for language, heading in (("ja", "記述子の概要"), ("en", "Descriptors at a glance")):
        page = Page(paste(http, json.dumps(tampered()), **{"Accept-Language": language}).text)
        assert page.all("h4", id="verify-descriptors") == [], language
        assert page.all("dl", **{"class": "descriptors"}) == [], language
        assert heading not in page.text, language
        assert page.one("p", id="verify-descriptors-withheld").text.strip(), language
        verified = Page(paste(http, json.dumps(signed()), **{"Accept-Language": language}).text)
        assert verified.one("h4", id="verify-descriptors").text.strip() == heading
        assert verified.all("p", id="verify-descriptors-withheld") == []
    withheld = squash(page.one("p", id="verify-descriptors-withheld").text)
    assert withheld == ("What it says about its programme (its descriptors) is not shown: it "
                        "is not its issuer's word as signed.")


def test_a_credential_in_a_context_the_operator_pins_is_verified(
        http: httpx.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``CREDSTACK_CONTEXTS_FILE`` is read by the page's verifier too."""
    monkeypatch.setenv("CREDSTACK_CONTEXTS_FILE", str(pin_context(tmp_path)))
    page = Page(paste(http, json.dumps(signed_with_pinned_context())).text)
    assert verdict(page) == "true"
    assert outcomes(page)["contexts"] == "passed"


def test_an_achievement_of_this_registry_links_to_its_programme(
        http: httpx.Client, server: LiveServer) -> None:
    """An achievement id of this credstack (``<public url>/achievements/<id>/v1``) is found."""
    programme_id = seed(http).ids["DX-101"]
    credential = unsigned()
    credential["credentialSubject"]["achievement"]["id"] = (
        f"{server.settings.public_url}/achievements/{programme_id}/v1")
    page = Page(paste(http, json.dumps(sign(credential))).text)
    assert verdict(page) == "true"
    link = page.one("a", href=f"/programmes/{programme_id}")
    assert link.text == "登録簿でこのプログラムを見る"


def test_a_pasted_presentation_is_verified_as_one_with_each_credentials_checks(
        http: httpx.Client) -> None:
    """The page says it was a presentation, shows the holder's checks, then a table of checks
    per credential; the learner and achievement are the one credential's."""
    response = paste(http, json.dumps(presentation(signed()), ensure_ascii=False))
    assert response.status_code == 200
    page = Page(response.text)
    assert verdict(page) == "true"
    assert_accessible(page, "ja")
    rows = {row.attrs["data-check"]: row for row in page.all("tr")
            if "data-check" in row.attrs and "data-in" not in row.attrs}
    assert "プレゼンテーション" in rows["presentation"].text
    assert page.one("tbody", **{"data-enclosed": "credential[0]"}).attrs["data-outcome"] == \
        "passed"
    inner = {row.attrs["data-check"]: row.attrs["class"]
             for row in page.all("tr", **{"data-in": "credential[0]"})}
    assert {"proof", "issuer", "validity", "status"} <= set(inner)
    assert inner["proof"] == "check check--passed"
    text = squash(page.one("section", **{"class": "verify-result"}).text)
    assert "含まれる証明書ごとの確認" in text
    assert "半導体製造装置の保全技術" in text and "山田花子" in text

    refused = Page(paste(http, json.dumps(presentation(signed(), tampered()))).text)
    assert verdict(refused) == "false"
    assert refused.one("tbody", **{"data-enclosed": "credential[1]"}).attrs["data-outcome"] \
        == "failed"
    proof = refused.one("tr", **{"data-in": "credential[1]", "data-check": "proof"})
    assert proof.attrs["class"] == "check check--failed"


def test_a_pasted_sd_jwt_is_verified_with_what_it_discloses(http: httpx.Client) -> None:
    """Verified; the learner shown is the one the disclosures name."""
    page = Page(paste(http, sd_jwt_credential()).text)
    assert verdict(page) == "true"
    text = squash(page.one("section", **{"class": "verify-result"}).text)
    assert "山田花子" in text and "半導体製造装置の保全技術" in text


def test_a_vc_jwt_is_verified(http: httpx.Client) -> None:
    response = paste(http, jwt())
    assert response.status_code == 200
    page = Page(response.text)
    assert verdict(page) == "true"
    assert "vc+jwt" in page.one("tr", **{"data-check": "parse"}).text
    assert "山田花子" in page.text


def test_an_uploaded_file_is_verified_instead_of_pasted_text(http: httpx.Client) -> None:
    response = upload(http, "badge.json", json.dumps(signed()).encode(), pasted="not this")
    assert response.status_code == 200
    page = Page(response.text)
    assert verdict(page) == "true"
    assert "アップロードされたファイル「badge.json」を検証しました" in page.text
    assert "貼り付けた内容は使っていません" in page.text


def test_the_result_is_in_english_when_the_visitor_reads_english(http: httpx.Client) -> None:
    """Banner, check titles, outcomes and reasons all follow the page's language."""
    response = paste(http, json.dumps(tampered()), **{"Accept-Language": "en"})
    page = Page(response.text)
    assert page.one("html").attrs["lang"] == "en"
    said = banner(page)
    assert "Not verified" in said and "Changed after signing" in said
    assert "It claims to be “Maintenance of Semiconductor Manufacturing Equipment”" in said
    proof = squash(page.one("tr", **{"data-check": "proof"}).text)
    assert "Failed" in proof and "the signature does not verify" in proof
    assert "What the credential claims (not verified)" in page.text
    response = paste(http, json.dumps(signed()), **{"Accept-Language": "en"})
    assert "Every check passed" in Page(response.text).text
    assert "What the credential says" in Page(response.text).text


@pytest.mark.parametrize(("language", "title"), [
    ("ko", "증명(서명)"), ("zh-Hans", "证明（签名）"), ("th", "การพิสูจน์ (ลายมือชื่อ)"),
])
def test_the_checks_are_titled_in_the_readers_language(http: httpx.Client, language: str,
                                                       title: str) -> None:
    """A reader of one of the six languages reads the checks' titles in it, as the
    ``verification-check`` vocabulary names them (not in English)."""
    page = Page(paste(http, json.dumps(tampered()), **{"Accept-Language": language}).text)
    assert page.one("html").attrs["lang"] == language
    proof = squash(page.one("tr", **{"data-check": "proof"}).text)
    assert title in proof and "Proof (signature)" not in proof


#: What the issuer and validity checks of an expired credential say, by language (the
#: catalogues' words of ``verification.check.issuer.signed`` and ``….validity.expired``).
EXPIRED_SAYS = {
    "ja": (f"発行者 {ISSUER} 自身が署名しています",
           "有効期限が切れています（2025-05-01T00:00:00+00:00 まで有効でした）"),
    "en": (f"signed by the issuer, {ISSUER}",
           "expired: the credential was valid until 2025-05-01T00:00:00+00:00"),
    "ko": (f"발급기관 {ISSUER}이(가) 직접 서명했습니다",
           "만료되었습니다: 크리덴셜은 2025-05-01T00:00:00+00:00까지 유효했습니다"),
    "zh-Hans": (f"由颁发方 {ISSUER} 本身签名", "已过期：证书的有效期至 2025-05-01T00:00:00+00:00"),
    "th": (f"ผู้ออก {ISSUER} ลงลายมือชื่อเอง",
           "หมดอายุแล้ว: เครเดนเชียลมีผลถึง 2025-05-01T00:00:00+00:00"),
    "vi": (f"do chính đơn vị cấp {ISSUER} ký",
           "đã hết hạn: chứng chỉ có hiệu lực đến 2025-05-01T00:00:00+00:00"),
    "id": (f"ditandatangani oleh penerbitnya sendiri, {ISSUER}",
           "kedaluwarsa: kredensial berlaku hingga 2025-05-01T00:00:00+00:00"),
    "ms": (f"ditandatangani oleh pengeluarnya sendiri, {ISSUER}",
           "tamat tempoh: kredensial sah sehingga 2025-05-01T00:00:00+00:00"),
}


@pytest.mark.parametrize("language", list(EXPIRED_SAYS))
def test_each_checks_reason_is_in_the_readers_language(http: httpx.Client,
                                                        language: str) -> None:
    """A check whose reason is said as a message key reads in the page's language in the
    table of checks and in the errors, in each of the eight languages — not in English to a
    reader of Korean, Chinese, Thai, Vietnamese, Indonesian or Malay (issue 53)."""
    document = unsigned()
    document["validUntil"] = "2025-05-01T00:00:00Z"
    page = Page(paste(http, json.dumps(sign(document)), Cookie=f"lang={language}").text)
    assert page.one("html").attrs["lang"] == language
    issuer, expired = EXPIRED_SAYS[language]
    assert issuer in squash(page.one("tr", **{"data-check": "issuer"}).text)
    assert expired in squash(page.one("tr", **{"data-check": "validity"}).text)
    assert expired in squash(page.one("ul", **{"class": "issues issues--errors"}).text)
    if language != "en":
        assert "signed by the issuer" not in page.text
        assert "the credential was valid until" not in page.text


def test_a_credit_recognition_whose_issuer_is_unnamed_is_said_to_be_a_credit_banks(
        http: httpx.Client) -> None:
    """A signed credit recognition (``achievementType`` ``ext:CreditRecognition``) whose
    issuer states no name is still not "Not in this registry": a credit bank recorded it, no
    programme of this registry (issue 51; the issuer named: ``test_creditbank``)."""
    document = unsigned()
    document["issuer"] = {key: value for key, value in document["issuer"].items()
                          if key == "id" or key == "type"}
    document["credentialSubject"]["achievement"]["achievementType"] = "ext:CreditRecognition"
    said = {"en": "A credit recognition recorded by a credit bank (not a programme of this "
                  "registry).",
            "ja": "単位バンクが記録した単位認定です（この登録簿のプログラムではありません）。"}
    for language, words in said.items():
        page = Page(paste(http, json.dumps(sign(document)),
                          **{"Accept-Language": language}).text)
        assert page.one("html").attrs["lang"] == language
        assert words in squash(page.text), squash(page.text)[:4000]
        assert "Not in this registry" not in page.text


# --- the headline: who earned what from whom, what is wrong ----------------------------------


def test_the_headline_names_the_learner_the_achievement_and_the_issuer(
        http: httpx.Client) -> None:
    """In Japanese and in English; the issuer's DID only as a detail, in the <details>."""
    page = Page(paste(http, json.dumps(signed())).text)
    assert squash(page.one("p", **{"class": "verdict-banner__title"}).text) == "検証済み"
    assert squash(page.one("p", **{"class": "verdict-banner__statement"}).text) == (
        "火の国工業高等専門学校が山田花子に授与した「半導体製造装置の保全技術」です。")
    assert ISSUER not in banner(page)
    assert ISSUER in squash(page.one("details", id="verify-details").text)
    page = Page(paste(http, json.dumps(signed()), **{"Accept-Language": "en"}).text)
    assert squash(page.one("p", **{"class": "verdict-banner__statement"}).text) == (
        "“Maintenance of Semiconductor Manufacturing Equipment”, awarded to Hanako Yamada by "
        "火の国工業高等専門学校.")
    assert page.one("div", id="verify-verdict").attrs["data-outcome"] == "verified"


def test_a_revoked_credential_says_revoked_and_no_row_reads_valid_now(
        http: httpx.Client, status_server: StatusLists) -> None:
    """The banner says revoked in plain words; the validity row speaks of the dates only."""
    for headers, revoked, within in ((EN, "Revoked by its issuer, as its status list showed on",
                                      "within its validity period"),
                                     (HTML, "発行者により失効されています", "有効期間内です")):
        response = paste(http, json.dumps(with_status(status_server, revoked=True)), **headers)
        page = Page(response.text)
        assert verdict(page) == "false"
        assert revoked in banner(page)
        assert page.one("li", **{"data-code": "revoked"})
        validity = squash(page.one("tr", **{"data-check": "validity"}).text)
        assert within in validity
        assert "valid now" not in page.text and "現在有効" not in page.text


def test_an_expired_credential_says_the_day_it_expired(http: httpx.Client) -> None:
    document = unsigned()
    document["validUntil"] = "2025-05-01T00:00:00Z"
    page = Page(paste(http, json.dumps(sign(document)), **{"Accept-Language": "en"}).text)
    assert verdict(page) == "false"
    assert "Expired on 1 May 2025." in banner(page)
    assert "Its issuer signed what follows" in page.text, "expired, but not a forgery"


def nonconforming() -> dict[str, Any]:
    """Signed by its issuer as it is, but the issuer is a bare DID (Open Badges wants a
    Profile)."""
    document = unsigned()
    document["issuer"] = ISSUER
    return sign(document)


def test_an_authentic_credential_that_breaks_open_badges_rules_verifies_with_warnings(
        http: httpx.Client) -> None:
    """Verified, with warnings: the finding in the banner, a warning row, the warnings list."""
    response = upload(http, "badge.json", json.dumps(nonconforming()).encode())
    assert response.status_code == 200
    page = Page(response.text)
    assert verdict(page) == "true"
    assert page.one("div", id="verify-verdict").attrs["data-outcome"] == (
        "verified-with-warnings")
    said = banner(page)
    assert "検証済み（注意事項あり）" in said
    assert "Open Badges 3.0 の規則に適合しません：issuer" in said
    assert "名称の記載のない発行者が山田花子に授与した" in said
    assert outcomes(page)["open-badges"] == "warning"
    assert "open-badges" in page.one("ul", **{"class": "issues issues--warnings"}).text
    assert page.all("h3", id="verify-errors") == []
    assert squash(page.one("p", id="verify-status").text) == "検証結果：検証済み（注意事項あり）"


def test_the_strict_checkbox_makes_the_findings_fail_it(http: httpx.Client) -> None:
    response = upload(http, "badge.json", json.dumps(nonconforming()).encode(), strict=True,
                      **{"Accept-Language": "en"})
    page = Page(response.text)
    assert verdict(page) == "false"
    assert "It does not follow the Open Badges 3.0 rules: issuer" in banner(page)
    assert outcomes(page)["open-badges"] == "failed"
    assert "checked" in page.one("input", id="strict").attrs, "the choice is kept"
    assert "checked" not in get_page(http, "/verify").one("input", id="strict").attrs


# --- badge images and PDF certificates ------------------------------------------------------


def test_the_file_picker_takes_badge_images_and_pdfs(http: httpx.Client) -> None:
    page = get_page(http, "/verify")
    accept = page.one("input", type="file").attrs["accept"].split(",")
    assert {".json", ".jwt", ".png", ".svg", ".pdf", "image/png", "image/svg+xml",
            "application/pdf"} <= set(accept)
    hint = squash(page.one("p", id="file-hint").text)
    assert "PNG" in hint and "PDF" in hint


@pytest.mark.parametrize(("path", "media_type"), [
    ("baked.png", "image/png"), ("baked.svg", "image/svg+xml"),
    ("certificate.pdf", "application/pdf")])
def test_a_baked_badge_or_a_certificate_pdf_is_verified_by_the_page(
        issued: tuple[httpx.Client, dict[str, str]], path: str, media_type: str) -> None:
    """The certificate tells employers to upload it here: the same one verifier, the same
    headline."""
    http, credentials = issued
    file = http.get(f"/api/credentials/{credential_path(credentials['eddsa-rdfc-2022'])}/{path}")
    assert file.status_code == 200, file.text
    response = upload(http, path, file.content, media_type=media_type)
    assert response.status_code == 200, response.text
    page = Page(response.text)
    assert verdict(page) == "true", banner(page)
    assert "授与した「" in banner(page)
    assert f"アップロードされたファイル「{path}」を検証しました" in page.text
    if path.endswith(".pdf"):
        assert outcomes(page)["pdf-signature"] == "passed"
    damaged = bytearray(file.content)
    damaged[len(damaged) // 2] ^= 0x01
    page = Page(upload(http, path, bytes(damaged), media_type=media_type).text)
    # Damaged, it does not verify — or cannot be read at all, said as such.
    assert page.all("div", id="verify-problem") or verdict(page) == "false"


#: What a certificate PDF's signature and credential checks say when both hold, by language
#: (``pdf.check.signature.valid`` and ``pdf.check.credential.valid``, issue 53).
PDF_SAYS = {
    "ja": ("による電子署名です。署名後に変更されていません。", "が発行した証明を含んでいます。"),
    "en": ("the PDF is unchanged since it was signed.",
           "The PDF carries the credential it stands for, issued by"),
    "ko": ("서명 후 PDF는 변경되지 않았습니다.", "PDF가 나타내는 크리덴셜이 들어 있습니다."),
    "zh-Hans": ("该 PDF 自签名后未被更改。", "该 PDF 含有其所代表的证书"),
    "th": ("PDF ไม่มีการเปลี่ยนแปลงตั้งแต่ลงนาม", "PDF มีเครเดนเชียลที่ PDF นี้แทน"),
    "vi": ("tệp PDF không thay đổi kể từ khi được ký.", "Tệp PDF chứa chứng chỉ mà nó đại diện"),
    "id": ("otoritas sertifikat", "PDF memuat kredensial yang diwakilinya"),
    "ms": ("pihak berkuasa sijil", "PDF membawa kredensial yang diwakilinya"),
}


@pytest.mark.parametrize("language", list(PDF_SAYS))
def test_a_certificate_pdfs_checks_are_said_in_the_readers_language(
        issued: tuple[httpx.Client, dict[str, str]], language: str) -> None:
    """The PDF's own checks (who signed it, the credential it carries) read in the page's
    language in each of the eight languages — said as message keys, not in English."""
    http, credentials = issued
    file = http.get(f"/api/credentials/{credential_path(credentials['eddsa-rdfc-2022'])}"
                    "/certificate.pdf")
    assert file.status_code == 200, file.text
    page = Page(upload(http, "certificate.pdf", file.content, media_type="application/pdf",
                       Cookie=f"lang={language}").text)
    assert page.one("html").attrs["lang"] == language
    signature, credential = PDF_SAYS[language]
    assert signature in squash(page.one("tr", **{"data-check": "pdf-signature"}).text)
    assert credential in squash(page.one("tr", **{"data-check": "pdf-credential"}).text)
    if language != "en":
        assert "unchanged since it was signed" not in page.text
        assert "pdf.check." not in page.text


# --- input that cannot be verified ------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("", "証明書を貼り付けるか、ファイルを選んでください。"),
    ("   \n", "証明書を貼り付けるか、ファイルを選んでください。"),
    ("hello, credential", "JSON の証明書でも JWS（VC-JWT）でも SD-JWT でもありません"),
    ("{not json", "JSON として読み取れません"),
    ("[1, 2]", "証明書は JSON オブジェクトでなければなりません"),
    ('{"a": 1, "a": 2}', "重複しています"),
])
def test_garbage_gets_a_friendly_error_never_a_server_error(http: httpx.Client, text: str,
                                                           message: str) -> None:
    """422 with the reason beside the form, and the pasted text kept for correcting."""
    response = paste(http, text)
    assert response.status_code == 422
    page = Page(response.text)
    assert message in page.one("div", id="verify-problem").text
    assert squash(page.one("p", id="verify-status").text) == "入力を確認してください"
    assert page.one("textarea").text == text.removeprefix("\n")
    assert page.all("div", id="verify-verdict") == []


def test_a_file_that_is_not_utf8_or_empty_gets_a_friendly_error(http: httpx.Client) -> None:
    response = upload(http, "badge.bin", b"\xff\xfe\x00\x01binary", media_type="image/gif")
    assert response.status_code == 422
    assert "UTF-8 のテキストでも、バッジ画像（PNG・SVG）でも PDF でもありません" in Page(
        response.text).text
    response = upload(http, "badge.png", b"\x89PNG\r\n\x1a\n\xff\xfe", media_type="image/png")
    assert response.status_code == 422
    assert "証明書として読み取れませんでした" in Page(response.text).one(
        "div", id="verify-problem").text
    response = upload(http, "empty.json", b"", **{"Accept-Language": "en"})
    assert response.status_code == 422
    assert "The file “empty.json” is empty." in Page(response.text).text


def test_a_request_that_is_not_a_form_is_an_error_not_a_crash(http: httpx.Client) -> None:
    for response in (
        http.post("/verify", headers=HTML, json={"credential": "x"}),
        http.post("/verify", headers={**HTML, "Content-Type": "multipart/form-data"},
                  content=b"--nothing"),
        http.post("/verify", headers=HTML, files=[("file", ("a", b"1")), ("file", ("b", b"2"))]),
    ):
        assert response.status_code == 422, response.text
        assert Page(response.text).one("div", id="verify-problem")


@pytest.fixture
def roomy(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose body limit is above the page's credential limit (1 MiB)."""
    settings = Settings.from_env(data_dir=tmp_path / "data", database_url="")
    yield from serve(dataclasses.replace(settings, max_body_bytes=3 * MAX_CREDENTIAL_BYTES))


def test_a_file_over_the_credential_limit_gets_a_friendly_error(roomy: LiveServer) -> None:
    with httpx.Client(base_url=roomy.url, timeout=30) as http:
        big = b'{"x": "' + b"a" * (MAX_CREDENTIAL_BYTES + 10) + b'"}'
        response = upload(http, "big.json", big, **{"Accept-Language": "en"})
        assert response.status_code == 422
        assert "The input is too large: credentials up to 1 MB can be verified." in Page(
            response.text).text
        response = paste(http, "x" * (MAX_CREDENTIAL_BYTES + 1))
        assert response.status_code == 422
        assert "入力が大きすぎます" in Page(response.text).text


def test_an_upload_over_the_servers_limit_is_told_on_the_page(http: httpx.Client) -> None:
    """413 with the page itself, the message beside the form in the visitor's language, the
    pasted text kept — said from the declared length, before anything is read."""
    response = upload(http, "huge.pdf", b"%PDF-" + b"a" * (2 * MAX_CREDENTIAL_BYTES),
                      media_type="application/pdf", pasted="keep me",
                      **{"Accept-Language": "en"})
    assert response.status_code == 413
    page = Page(response.text)
    assert ("The file is too large: this server accepts uploads of up to 1 MB."
            in squash(page.one("div", id="verify-problem").text))
    assert page.one("textarea").text == "", "the body was not read, so nothing is known of it"
    assert page.one("form", **{"class": "verify-form"}), "the form is there to try again"
    response = upload(http, "huge.json", b"a" * (2 * MAX_CREDENTIAL_BYTES))
    assert response.status_code == 413
    assert "ファイルが大きすぎます" in Page(response.text).one("div", id="verify-problem").text


def test_htmx_gets_an_upload_over_the_limit_as_200_so_that_it_is_swapped_in(
        http: httpx.Client) -> None:
    """Not a silent failure: htmx swaps only 2xx answers, so the message comes back as one."""
    response = upload(http, "huge.png", b"\x89PNG" + b"a" * (2 * MAX_CREDENTIAL_BYTES),
                      media_type="image/png", **{"HX-Request": "true"})
    assert response.status_code == 200
    page = Page(response.text)
    assert "ファイルが大きすぎます" in page.one("div", id="verify-problem").text
    assert squash(page.one("div", **{"hx-swap-oob": "innerHTML:#verify-status"}).text) == (
        "入力を確認してください")


def test_the_api_still_refuses_an_oversized_body_with_413(http: httpx.Client) -> None:
    """Only the page answers for itself; other routes are refused before they are reached."""
    response = http.post("/credentials/verify", content=b"a" * (2 * MAX_CREDENTIAL_BYTES),
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["title"] == "Input too large"


# --- htmx -------------------------------------------------------------------------------


def test_htmx_gets_the_result_alone_with_the_status_for_the_live_region(
        http: httpx.Client) -> None:
    """No page frame; the verdict for #verify-status out of band; the heading autofocused."""
    response = paste(http, json.dumps(signed()), **{"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "<form" not in response.text
    page = Page(response.text)
    assert squash(page.one("div", **{"hx-swap-oob": "innerHTML:#verify-status"}).text) == (
        "検証結果：検証済み")
    heading = page.one("h2", id="verify-result-title")
    assert heading.attrs["tabindex"] == "-1" and "autofocus" in heading.attrs
    assert verdict(page) == "true"


def test_htmx_gets_an_unusable_input_as_200_so_that_it_is_swapped_in(
        http: httpx.Client) -> None:
    """htmx swaps only successful answers: the error must come back as one."""
    response = paste(http, "garbage", **{"HX-Request": "true"})
    assert response.status_code == 200
    page = Page(response.text)
    assert "JSON の証明書でも JWS（VC-JWT）でも SD-JWT でもありません" in page.one(
        "div", id="verify-problem").text
    assert squash(page.one("div", **{"hx-swap-oob": "innerHTML:#verify-status"}).text) == (
        "入力を確認してください")


# --- the frame --------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["form", "verified", "with-warnings", "not-verified",
                                  "problem", "too-large"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_page_has_the_accessibility_basics(http: httpx.Client, case: str,
                                               language: str) -> None:
    """lang, landmarks, one h1, ordered headings, captions, scoped th, labelled controls."""
    headers = {**HTML, "Cookie": f"lang={language}"}
    if case == "form":
        response = http.get("/verify", headers=headers)
    elif case == "too-large":
        response = upload(http, "huge.pdf", b"%PDF-" + b"0" * (2 * MAX_CREDENTIAL_BYTES),
                          media_type="application/pdf", Cookie=f"lang={language}")
    else:
        text = {"verified": json.dumps(signed()), "not-verified": json.dumps(tampered()),
                "with-warnings": json.dumps(nonconforming()), "problem": "garbage"}[case]
        response = paste(http, text, Cookie=f"lang={language}")
    page = Page(response.text)
    assert_accessible(page, language)
    for control in page.all("textarea") + page.all("input"):
        assert page.all("label", for_=control.attrs["id"])
    assert len({e.attrs["id"] for e in page.elements if "id" in e.attrs}) == len(
        [e for e in page.elements if "id" in e.attrs]), "ids are unique"
    if case != "form":
        assert page.one("p", id="verify-status").text, "the live region says the outcome"


def test_the_page_runs_no_inline_script_under_the_strict_policy(http: httpx.Client) -> None:
    response = paste(http, json.dumps(signed()))
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    page = Page(response.text)
    assert [e.attrs.get("src") for e in page.all("script")] == ["/static/vendor/htmx.min.js"]
    assert not re.search(r"\son[a-z]+=", response.text), "no inline event handlers"
    assert "hx-on" not in response.text


def test_the_page_stays_out_of_the_openapi_description(http: httpx.Client) -> None:
    assert "/verify" not in http.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(("language", "labels"), [
    ("ja", ["氏名（日本語表記）", "氏名（ローマ字表記）"]),
    ("en", ["Name in Japanese script", "Name in the Latin alphabet"])])
def test_a_learner_named_in_two_scripts_has_each_name_labelled_by_its_script(
        demo_server: LiveServer, language: str, labels: list[str]) -> None:
    """The demo credential names its learner in kanji and in the Latin alphabet: the public
    verification page labels each by its script, not both "氏名"."""
    with httpx.Client(base_url=demo_server.url, timeout=30) as anyone:
        page = get_page(anyone, "/verify/urn:uuid:d497e63e-8e95-571a-85a9-448cfabc2e94"
                                f"?lang={language}")
    shown = {squash(dt.text) for dt in page.all("dt")}
    assert set(labels) <= shown
    assert {"氏名", "Name"}.isdisjoint(shown)


@pytest.mark.parametrize(("language", "neutral"), [
    ("ja", "この枠組みには沿っていません（参考）"),
    ("en", "Not written to this framework (for information)")])
def test_a_verified_credential_shows_the_frameworks_its_programme_is_not_written_to_as_information(
        demo_server: LiveServer, language: str, neutral: str) -> None:
    """The demo credential verifies; its programme conforms to three frameworks and is not
    written to two (Malaysia's, the 履修証明 programme): those read as information, in no
    red, under a note that conformance does not bear on whether the credential is genuine."""
    with httpx.Client(base_url=demo_server.url, timeout=30) as anyone:
        page = get_page(anyone, "/verify/urn:uuid:d497e63e-8e95-571a-85a9-448cfabc2e94"
                                f"?lang={language}")
    assert page.one("div", id="verify-verdict").attrs["data-outcome"] == "verified"
    rows = {row.attrs["data-profile"]: row for row in page.all("tr")
            if row.attrs.get("data-profile")}
    conforming = {key for key, row in rows.items() if row.attrs["data-verdict"] == "conforms"}
    assert conforming == {"jp-mc", "eu-2022", "au-nmf-2022"}
    for key in rows.keys() - conforming:
        assert neutral in squash(rows[key].text), key
    table = page.source[page.source.index('id="verify-conformance"'):]
    assert "verdict--does-not-conform" not in table.split("</table>")[0]
    assert page.one("p", id="verify-conformance-note")


def test_two_names_in_one_script_are_numbered_so_no_two_labels_read_alike() -> None:
    """A credential that names its learner twice in the Latin alphabet (and once in kanji):
    the two Latin names are "1" and "2" of their label, the kanji one keeps its own."""
    learner = Learner(names=("Hanako Yamada", "山田 花子", "YAMADA Hanako"))
    assert learner.labelled_names == (
        ("verify.learner_name.latin", 1, "Hanako Yamada"),
        ("verify.learner_name.japanese", None, "山田 花子"),
        ("verify.learner_name.latin", 2, "YAMADA Hanako"))
    assert Learner(names=("Hanako Yamada",)).labelled_names == (
        ("verify.learner_name", None, "Hanako Yamada"),)


#: Open Badges 3.0's ``IdentifierTypeEnum`` (the ``identityType`` of a learner's identifier).
OB3_IDENTITY_TYPES = ("name", "sourcedId", "systemId", "productId", "userName", "accountId",
                      "emailAddress", "nationalIdentityNumber", "isbn", "issn", "lisSourcedId",
                      "oneRosterSourcedId", "sisSourcedId", "ltiContextId", "ltiDeploymentId",
                      "ltiToolId", "ltiPlatformId", "ltiUserId", "identifier")


@pytest.mark.parametrize("kind", OB3_IDENTITY_TYPES)
def test_every_kind_of_learner_identifier_is_named_in_words(kind: str) -> None:
    """Each identityType of Open Badges 3.0 (``sisSourcedId`` for the student numbers
    credstack issues) is named in words on the verification page, never shown as its code
    (issue 51, defect 10)."""
    assert Identifier(kind, "x", hashed=False).label_key is not None
