"""The verification page (``/verify``) over real HTTP with credentials and presentations
secured as JOSE and COSE (issue 58): each form pasted or uploaded, the result says it in
words — the form named for people, an SD-JWT's disclosed claims, the three-state verdict —
in every public language, with no code or exception text outside the technical details.
Inputs are signed in the test (:mod:`tests.secured_forms`)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator

import httpx
import pytest

from credstack.settings import Settings
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible, squash
from tests.entrypoints.web.pages.test_verification import banner, paste, upload, verdict
from tests.secured_forms import credential, enveloped, presentation, withholding

LANGUAGES = ("ja", "en", "ko", "zh-Hans", "th", "vi", "id", "ms")
#: What the page says each form is, in English.
NAMED = {"jwt": "A JWT (JOSE)", "sd-jwt": "An SD-JWT (JOSE, selective disclosure)",
         "cose": "COSE (CBOR)"}


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database: verifying keeps nothing another verification reads."""
    yield from serve(module_settings)


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def pasted(form: str) -> str:
    """What a visitor pastes for ``form``: the compact text, or a COSE_Sign1's envelope."""
    if form == "vc+cose":
        return json.dumps(enveloped(credential(form), "application/vc+cose"))
    if form == "vp+cose":
        return json.dumps(enveloped(presentation("vc+cose"), "application/vp+cose",
                                    presentation=True))
    if form.startswith("vp+"):
        return presentation(form.replace("vp+", "vc+")).decode("ascii")
    return credential(form).decode("ascii")


def securing(page: Page) -> Page:
    """The fact saying how it is secured, as a page of its own (its term and description)."""
    start = page.source.index('<div id="verify-securing"')
    return Page(f"<body>{page.source[start:page.source.index('</dd>', start)]}</dd></div></body>")


def form_of(page: Page) -> dict[str, str]:
    """The fact's attributes: the form (``data-form``), whether a presentation's."""
    return page.one("div", id="verify-securing").attrs


def said(page: Page) -> str:
    """What the result says outside its technical details (which name codes on purpose)."""
    start = page.source.index('<section class="verify-result"')
    section = page.source[start:page.source.index("</section>", start)]
    outside = re.sub(r"<details.*?</details>", "", section, flags=re.S)
    return squash(re.sub(r"<[^>]+>", " ", outside))


def assert_no_codes(text: str) -> None:
    for code in ("vp-sd-jwt", "vp-cose", "vp-jwt", "vc+sd-jwt", "vc+cose", "application/",
                 "Traceback", "Error:", "proof.", "verification.check"):
        assert code not in text, code


@pytest.mark.parametrize(("form", "named"), [
    ("vc+jwt", "jwt"), ("vc+sd-jwt", "sd-jwt"), ("vc+cose", "cose")])
def test_a_pasted_credential_says_how_it_is_secured(http: httpx.Client, form: str,
                                                    named: str) -> None:
    """Verified; the facts name the form in words, the media type is a technical detail."""
    page = Page(paste(http, pasted(form), **{"Accept-Language": "en"}).text)
    assert verdict(page) == "true"
    fact = securing(page)
    assert form_of(page)["data-form"] == named and "data-presentation" not in form_of(page)
    assert NAMED[named] in squash(fact.text)
    assert f"application/{form}" in squash(fact.one("details").text)
    text = said(page)
    assert "Hanako Yamada" in text
    assert_no_codes(text)
    assert_accessible(page, "en")


def test_an_sd_jwt_names_each_claim_it_discloses_in_words(http: httpx.Client) -> None:
    """Every disclosure given: the three claims made disclosable are listed by name."""
    page = Page(paste(http, pasted("vc+sd-jwt"), **{"Accept-Language": "en"}).text)
    fact = securing(page)
    claims = [squash(item.text) for item in fact.all("li")]
    assert sorted(claims) == ["An identifier of the learner", "The achievement",
                              "The credential's name"]
    assert "3 are shown" in squash(fact.text)
    assert "withheld by the holder, not missing" in squash(fact.text)


def test_an_sd_jwt_whose_holder_withholds_a_claim_lists_only_what_is_shown(
        http: httpx.Client) -> None:
    """The holder left the learner's identifier out: still verified, two claims shown."""
    token = withholding(credential("vc+sd-jwt"), "identifier")
    page = Page(paste(http, token.decode("ascii"), **{"Accept-Language": "ja"}).text)
    assert verdict(page) == "true"
    fact = securing(page)
    assert sorted(squash(item.text) for item in fact.all("li")) == ["証明書の名称",
                                                                   "達成（プログラム）"]
    assert "2 件が示されています" in squash(fact.text)
    assert "SD-JWT（JOSE・選択的開示）" in squash(fact.text)


def test_an_uploaded_cose_file_is_verified_as_sent(http: httpx.Client) -> None:
    """The COSE_Sign1's own bytes (binary, not UTF-8) are verified, not refused as text."""
    response = upload(http, "credential.cose", credential("vc+cose"),
                      media_type="application/vc+cose", **{"Accept-Language": "en"})
    assert response.status_code == 200
    page = Page(response.text)
    assert verdict(page) == "true"
    assert form_of(page)["data-form"] == "cose"
    assert "credential.cose" in page.text


@pytest.mark.parametrize(("form", "named", "inner"), [
    ("vp+jwt", "jwt", "sd-jwt"), ("vp+sd-jwt", "sd-jwt", "sd-jwt"), ("vp+cose", "cose", "cose")])
def test_a_presentation_says_how_its_holder_and_its_credential_secured_it(
        http: httpx.Client, form: str, named: str, inner: str) -> None:
    """The holder's form, then the credential's (an SD-JWT's disclosed claims with it)."""
    page = Page(paste(http, pasted(form), **{"Accept-Language": "en"}).text)
    assert verdict(page) == "true"
    fact = securing(page)
    assert (form_of(page)["data-form"], form_of(page)["data-presentation"]) == (named, "true")
    text = squash(fact.text)
    assert "A presentation its holder signed as" in text
    assert fact.one("div", **{"class": "securing__enclosed"}).attrs["data-form"] == inner
    assert ("The achievement" in text) == (inner == "sd-jwt")
    assert_no_codes(said(page))


def test_an_uploaded_cose_presentation_is_verified(http: httpx.Client) -> None:
    response = upload(http, "presentation.cose", presentation("vc+cose"),
                      media_type="application/vp+cose", **{"Accept-Language": "en"})
    page = Page(response.text)
    assert verdict(page) == "true"
    assert form_of(page)["data-presentation"] == "true"


def _changed(token: str) -> str:
    """The compact JWS (or an SD-JWT's issuer-signed JWT) with its payload changed."""
    jwt, tilde, rest = token.partition("~")
    header, payload, signature = jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["validFrom"] = "2020-01-01T00:00:00Z"
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}{tilde}{rest}"


@pytest.mark.parametrize("form", ["vc+jwt", "vc+sd-jwt", "vc+cose"])
def test_a_credential_changed_after_signing_is_not_verified_in_words(http: httpx.Client,
                                                                     form: str) -> None:
    """Not verified, said as "changed after signing"; the form is still named."""
    if form == "vc+cose":
        data = credential(form).replace(b"2025-04-01", b"2020-04-01")
        text = json.dumps(enveloped(data, "application/vc+cose"))
    else:
        text = _changed(credential(form).decode("ascii"))
    page = Page(paste(http, text, **{"Accept-Language": "en"}).text)
    assert verdict(page) == "false"
    assert page.one("div", id="verify-verdict").attrs["data-outcome"] == "not-verified"
    assert "Changed after signing" in banner(page)
    assert form_of(page)["data-form"] in {"jwt", "sd-jwt", "cose"}
    assert not securing(page).all("li"), "no claim is said to be the issuer's"
    assert_no_codes(said(page))


def test_a_credential_whose_key_is_out_of_reach_could_not_be_checked(
        http: httpx.Client) -> None:
    """An SD-JWT whose kid names a did:web no one serves: the third state, in words."""
    from credstack.services.signing.service import sign_document
    from tests.secured_forms import SIGNED_AT, issuer_key, unsigned

    document = {**unsigned(), "issuer": "did:web:unreachable.invalid"}
    token = sign_document(json.dumps(document).encode(), key=issuer_key(),
                          kid="did:web:unreachable.invalid#key-1", securing="vc+sd-jwt",
                          now=SIGNED_AT)
    page = Page(paste(http, token.decode("ascii"), **{"Accept-Language": "en"}).text)
    assert page.one("div", id="verify-verdict").attrs["data-outcome"] == "could-not-be-checked"
    assert form_of(page)["data-form"] == "sd-jwt"
    assert_no_codes(said(page))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_and_the_disclosed_claims_are_said_in_each_language(
        http: httpx.Client, language: str) -> None:
    """Every public language has its own words for the form, the count and each claim."""
    english = Page(paste(http, pasted("vp+sd-jwt"), **{"Accept-Language": "en"}).text)
    page = Page(paste(http, pasted("vp+sd-jwt"), **{"Accept-Language": language}).text)
    assert page.one("html").attrs["lang"] == language
    assert verdict(page) == "true"
    assert_accessible(page, language)
    words = squash(securing(page).text)
    if language != "en":
        assert squash(securing(english).one("dt").text) != squash(securing(page).one("dt").text)
        for item in securing(english).all("li"):
            assert squash(item.text) not in words, item.text
    assert "{" not in words and "}" not in words
    assert_no_codes(said(page))
