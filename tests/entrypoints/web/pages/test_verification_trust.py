"""The trust line over real HTTP, in Japanese and English: on the verification page, the
learner's credential page in the wallet and the shared link an employer opens — one plain
line under the verdict ("認定された提供機関：北都工科大学（この登録簿）" for a provider this
registry recognises, "in no trusted registry" for another issuer), the issuer's DID and the
registries in the details, never in the headline; an issuer only an imported registry lists
is "listed by <that registry>, imported", its address in the details.

The server is :func:`tests.entrypoints.web.api.test_verification_trust.trusted_server`'s."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.accounts import add_user
from tests.entrypoints.web.api.test_verification_trust import (
    IMPORTED_EN,
    IMPORTED_JA,
    IMPORTED_SOURCE,
    LISTED_EN,
    LISTED_JA,
    NOT_LISTED_EN,
    NOT_LISTED_JA,
    Trusted,
    imported_server,
    issuer_of,
    trusted_server,
)
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible, squash
from tests.entrypoints.web.pages.test_shares import make_link
from tests.entrypoints.web.pages.test_verification import paste
from tests.entrypoints.web.pages.test_wallet_pages import NOBODYS, Browser, dcc, done
from tests.signed_credentials import signed

#: The address a new share link is shown with.
SHARE_ADDRESS = re.compile(r'id="share-address"[^>]*value="([^"]+)"')
LINES = {("listed", "ja"): LISTED_JA, ("listed", "en"): LISTED_EN,
         ("not-listed", "ja"): NOT_LISTED_JA, ("not-listed", "en"): NOT_LISTED_EN,
         # A reader of another language reads the line in theirs; the issuer is named as
         # it wrote its name for that language, else in English.
         ("listed", "ko"): "인정 제공기관: Hokuto Institute of Technology (이 레지스트리)",
         ("not-listed", "ko"): "신뢰하는 레지스트리 어디에도 발급기관이 없습니다",
         ("listed", "th"): "ผู้จัดที่ได้รับการรับรอง: Hokuto Institute of Technology (ทะเบียนนี้)",
         ("not-listed", "th"): "ไม่พบผู้ออกในทะเบียนที่เชื่อถือใดเลย"}


@pytest.fixture(scope="module")
def trusted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    yield from trusted_server(tmp_path_factory.mktemp("trust-pages"))


def assert_trust_line(page: Page, state: str, language: str, issuer: str) -> None:
    """One trust line, saying ``state`` in ``language``, outside the headline; the DID in
    the details, not in the line."""
    [line] = page.all("p", **{"data-trust": state})
    assert squash(line.text) == LINES[state, language]
    assert issuer not in line.text
    for banner in page.all("p", **{"class": "verdict-banner__title"}):
        assert LINES[state, language] not in banner.text
    [details] = page.all("div", **{"data-trust-details": state})
    assert issuer in details.text


@pytest.mark.parametrize("language", ["ja", "en", "ko", "th"])
def test_the_verification_page_says_whether_the_issuer_is_recognised(
        trusted: Trusted, language: str) -> None:
    with httpx.Client(base_url=trusted.live.url, timeout=30) as http:
        for credential, state in ((trusted.recognised, "listed"), (signed(), "not-listed")):
            answer = paste(http, json.dumps(credential), **{"Accept-Language": language})
            assert answer.status_code == 200, answer.text
            page = Page(answer.text)
            assert_accessible(page, language)
            assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
            assert_trust_line(page, state, language, credential["issuer"]["id"])


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_wallet_and_the_shared_link_say_it_too(trusted: Trusted, language: str) -> None:
    learner = Browser(trusted.live, "hanako", language)
    try:
        [own] = learner.ids()
        page = learner.page(f"/wallet/credentials/{own}")
        assert_trust_line(page, "listed", language, trusted.recognised["issuer"]["id"])
        address = make_link(learner)
        with httpx.Client(timeout=30, headers={"Accept-Language": language}) as employer:
            shared = employer.get(address)
            assert shared.status_code == 200
            page = Page(shared.text)
            assert_accessible(page, language)
            assert_trust_line(page, "listed", language, trusted.recognised["issuer"]["id"])
    finally:
        learner.close()
    foreign = json.loads(dcc(NOBODYS))
    issuer = foreign["issuer"]["id"] if isinstance(foreign["issuer"], dict) else foreign["issuer"]
    name = f"kiyoshi-{language}"
    add_user(trusted.live.settings, f"{name}@example.jp", name="Kiyoshi")
    other = Browser(trusted.live, name, language)
    try:
        page = other.page(done(other.paste(json.dumps(foreign))))
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
        assert_trust_line(page, "not-listed", language, issuer)
    finally:
        other.close()


@pytest.fixture(scope="module")
def required(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    """A server whose operator relies only on listed issuers (CREDSTACK_REQUIRE_TRUSTED)."""
    yield from trusted_server(tmp_path_factory.mktemp("trust-required"), require_trusted=True)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_where_trust_is_required_an_unlisted_issuer_is_not_verified_on_the_page(
        required: Trusted, language: str) -> None:
    """The page decides as the VC-API does: a recognised provider's credential is verified; an
    authentic credential of an issuer in no trusted registry is not, and the trust line is
    the reason the headline gives."""
    with httpx.Client(base_url=required.live.url, timeout=30) as http:
        listed = Page(paste(http, json.dumps(required.recognised),
                            **{"Accept-Language": language}).text)
        assert listed.one("div", id="verify-verdict").attrs["data-verified"] == "true"
        answer = paste(http, json.dumps(signed()), **{"Accept-Language": language})
        assert answer.status_code == 200, answer.text
        page = Page(answer.text)
        assert_accessible(page, language)
        verdict = page.one("div", id="verify-verdict")
        assert verdict.attrs["data-verified"] == "false"
        assert LINES["not-listed", language] in squash(verdict.text)
        assert_trust_line(page, "not-listed", language, signed()["issuer"]["id"])


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    """A server with a Malaysian registry imported, listing the test credential's issuer and
    the DCC fixture's."""
    foreign = json.loads(dcc(NOBODYS))
    yield from imported_server(tmp_path_factory.mktemp("trust-pages-imported"),
                               issuer_of(signed()), issuer_of(foreign))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_issuer_listed_by_an_imported_registry_is_said_so_on_the_pages(
        imported: Trusted, language: str) -> None:
    """The verification page and the wallet name the registry the issuer was imported from,
    and the details give that registry's address."""
    line = {"ja": IMPORTED_JA, "en": IMPORTED_EN}[language]
    with httpx.Client(base_url=imported.live.url, timeout=30) as http:
        answer = paste(http, json.dumps(signed()), **{"Accept-Language": language})
        assert answer.status_code == 200, answer.text
        page = Page(answer.text)
        assert_accessible(page, language)
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
        [shown] = page.all("p", **{"data-trust": "listed"})
        assert squash(shown.text) == line
        [details] = page.all("div", **{"data-trust-details": "listed"})
        assert IMPORTED_SOURCE in details.text and issuer_of(signed()) in details.text
    foreign = json.loads(dcc(NOBODYS))
    name = f"aminah-{language}"
    add_user(imported.live.settings, f"{name}@example.jp", name="Aminah")
    learner = Browser(imported.live, name, language)
    try:
        page = learner.page(done(learner.paste(json.dumps(foreign))))
        [shown] = page.all("p", **{"data-trust": "listed"})
        assert squash(shown.text) == line
        [details] = page.all("div", **{"data-trust-details": "listed"})
        assert IMPORTED_SOURCE in details.text
    finally:
        learner.close()


# --- a credential whose signature does not hold wears no mark of trust --------------------

#: The heading over what an unverified credential states: claims, not facts.
CLAIMS = {"ja": "この証明書に記載されている内容（検証されていません）",
          "en": "What the credential claims (not verified)"}


def tampered_copy(credential: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``credential`` changed after signing: its name (and ``changes``) no longer signed."""
    return {**credential, "name": "Changed after signing", **changes}


def assert_no_trust_signal(page: Page) -> None:
    """Nothing on the page vouches for the credential: no trust line or its registries, no
    programme badge, no recognition or recognition mark, no "recognised provider"."""
    marks = [element for element in page.elements
             if "data-trust" in element.attrs or "data-trust-details" in element.attrs
             or element.attrs.get("data-recognition") not in (None, "unverified")
             or element.attrs.get("id") == "verify-recognition"
             or (element.tag == "img" and ("badge-image" in element.attrs.get("class", "")
                                           or "mark" in element.attrs.get("class", "")))]
    assert marks == [], [(element.tag, element.attrs) for element in marks]
    text = page.text
    for words in (LISTED_JA, LISTED_EN, "認定された提供機関", "Recognised provider",
                  "認定されています", "This programme is recognised"):
        assert words not in text, words


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_tampered_credential_gets_no_trust_signal_on_the_verification_page(
        trusted: Trusted, language: str) -> None:
    """Pasted after a change, the recognised provider's credential is not verified; the page
    shows no trust line, badge or recognition, and says what it claims, marked unverified."""
    with httpx.Client(base_url=trusted.live.url, timeout=30) as http:
        answer = paste(http, json.dumps(tampered_copy(trusted.recognised)),
                       **{"Accept-Language": language})
        assert answer.status_code == 200, answer.text
        page = Page(answer.text)
        assert_accessible(page, language)
        assert page.one("div", id="verify-verdict").attrs["data-verified"] == "false"
        assert_no_trust_signal(page)
        claims = page.one("h3", id="verify-meaning")
        assert squash(claims.text) == CLAIMS[language]
        statement = squash(page.one("p", **{"class": "verdict-banner__statement"}).text)
        assert statement.startswith("It claims to be") if language == "en" \
            else statement.endswith("と記載されています。")


@pytest.fixture(scope="module")
def holding(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    """A server of its own, whose learner keeps changed copies of her credential."""
    yield from trusted_server(tmp_path_factory.mktemp("trust-tampered"))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_tampered_credential_gets_no_trust_signal_in_the_wallet_or_on_its_share_link(
        holding: Trusted, language: str) -> None:
    """Kept in the learner's wallet, a changed copy of her credential (another id, so not the
    one she holds) has a page, and a share link, with no trust line, no programme badge (nor
    its downloads) and no recognition."""
    holder = Browser(holding.live, "hanako", language)
    try:
        before = set(holder.ids())
        copy = tampered_copy(holding.recognised, id=f"urn:uuid:{uuid.uuid4()}")
        page = holder.page(done(holder.paste(json.dumps(copy))))
        assert_accessible(page, language)
        assert_no_trust_signal(page)
        [public_id] = set(holder.ids()) - before
        made = holder.post("/wallet/shares", target=f"credential:{public_id}", label="Kita",
                           expires="30")
        assert made.status_code == 201, made.text
        address = SHARE_ADDRESS.search(made.text)
        assert address is not None
        with httpx.Client(timeout=30, headers={"Accept-Language": language}) as employer:
            shared = employer.get(address.group(1))
            assert shared.status_code == 200
            page = Page(shared.text)
            assert_accessible(page, language)
            assert_no_trust_signal(page)
    finally:
        holder.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_tampered_credential_gets_no_trust_signal_when_several_are_verified(
        trusted: Trusted, language: str) -> None:
    """Beside the authentic credential (listed, recognised), the changed copy's row has no
    trust line and no recognition: it says the recognition is not shown."""
    with httpx.Client(base_url=trusted.live.url, timeout=30) as http:
        answer = http.post("/verify/compare", headers={"Accept-Language": language}, files={
            "credentials": (None, "\n".join(json.dumps(credential) for credential in (
                trusted.recognised, tampered_copy(trusted.recognised)))),
            "files": ("", b"", "application/octet-stream")})
        assert answer.status_code == 200, answer.text
        page = Page(answer.text)
        assert_accessible(page, language)
        rows = [element for element in page.elements
                if element.tag == "tr" and "data-outcome" in element.attrs]
        assert [row.attrs["data-outcome"] for row in rows] == ["verified", "not-verified"]
        assert [element.attrs.get("data-trust") for element in page.elements
                if "data-trust" in element.attrs] == ["listed"]
        assert [element.attrs["data-recognition"] for element in page.elements
                if "data-recognition" in element.attrs] == ["valid", "unverified"]
