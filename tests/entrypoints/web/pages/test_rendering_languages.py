"""Every page in each language it is offered in, with its language menu and its alternates.

Over HTTP, on the demo: each public page (the registry, a programme, a provider, compare,
search, ``/verify`` and a credential's page, verifying several, sign-up and sign-in, the
wallet, an error page; the credit targets, skills, the register of recognition decisions,
other registries' providers, the form to join as a provider or report a programme, the
learner's credit bank…) asked for in each of the eight languages answers in it when the
language has a catalogue (and otherwise in Japanese, as a page does for a language it has no
words for), says so in ``<html lang>`` and ``Content-Language``, names every language offered
in its menu and its ``hreflang`` alternates, and lacks no message (a missing one is a server
error, not a key on the page). Staff pages are offered in Japanese and English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from credstack.entrypoints.web.i18n import ENDONYMS, LANGUAGES, offered
from tests import patiently
from tests.conftest import LiveServer

#: The public pages a visitor opens (a credential's page and the wallet are found on the way).
PUBLIC = ("/", "/programmes", "/search?q=%E3%83%87%E3%83%BC%E3%82%BF", "/compare", "/verify",
          "/verify/compare", "/sign-in", "/sign-up", "/password-reset", "/employers",
          "/profiles", "/no-such-page", "/targets", "/skills", "/skills?q=data",
          "/recognition", "/recognition?q=zzzz", "/registries", "/join",
          "/join/sent?to=someone%40example.org")
HTML = {"Accept": "text/html"}
#: The demo's credential, verified on its own page.
CREDENTIAL = "/verify/urn:uuid:d497e63e-8e95-571a-85a9-448cfabc2e94"
#: A staff page a visitor can open: an invitation's link (to a workspace), unknown.
STAFF = ("/invitations/no-such-invitation",)


class _Head(HTMLParser):
    """``<html lang>``, the ``hreflang`` alternates, the language menu's links, and the
    language notice."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.menu: dict[str, str] = {}
        self.links: list[str] = []
        self.notice: str | None = None
        self._in_menu = False
        self._in_notice = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = found.get("lang", "")
        elif tag == "link" and found.get("rel") == "alternate" and "hreflang" in found:
            self.alternates[found["hreflang"]] = found["href"]
        elif tag == "details" and found.get("id") == "lang-switch":
            self._in_menu = True
        elif tag == "a" and self._in_menu:
            self.menu[found["hreflang"]] = found["lang"]
        elif tag == "a" and "href" in found:
            self.links.append(found["href"])
        elif tag == "p" and found.get("id") == "language-notice":
            self._in_notice = True
            self.notice = found.get("lang", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self._in_menu = False
        if tag == "p":
            self._in_notice = False


def _read(response: httpx.Response) -> _Head:
    assert response.status_code < 500, response.text[-2000:]
    head = _Head()
    head.feed(response.text)
    return head


@pytest.fixture(scope="module")
def learner(demo_server: LiveServer) -> Iterator[httpx.Client]:
    """The demo's learner, signed in."""
    with patiently.client(base_url=demo_server.url) as client:
        form = client.get("/sign-in")
        nonce = re.search(r'name="signin_nonce" value="([^"]+)"', form.text)
        assert nonce is not None, form.text
        signed = client.post("/sign-in", data={"email": "learner@demo.example",
                                               "password": DEMO_PASSWORD,
                                               "signin_nonce": nonce.group(1)})
        assert signed.status_code == 303, signed.text
        yield client


@pytest.fixture(scope="module")
def public_pages(demo_server: LiveServer, learner: httpx.Client) -> list[str]:
    """The visitor's public pages, a programme's, its report form and a provider's, a credit
    target's page and its history, a skill's, a recognition decision's, the demo credential's
    own page, the learner's wallet, a credential in it and the learner's credit bank."""
    with patiently.client(base_url=demo_server.url) as visitor:
        listed = _read(visitor.get("/programmes", params={"lang": "en"}))
    programme = next(href for href in listed.links if re.fullmatch(r"/programmes/\d+", href))
    provider = next(href for href in _read(learner.get(programme)).links
                    if href.startswith("/providers/"))
    wallet = _read(learner.get("/wallet"))
    credential = next(href for href in wallet.links
                      if re.fullmatch(r"/wallet/credentials/[^/?]+", href))
    with patiently.client(base_url=demo_server.url, headers=HTML) as visitor:
        target = next(href for href in _read(visitor.get("/targets")).links
                      if re.fullmatch(r"/targets/\w+", href))
        skill = next(href for href in _read(visitor.get("/skills", params={"q": "data"})).links
                     if re.fullmatch(r"/skills/[\w-]+", href))
        decision = next(href for href in _read(visitor.get("/recognition")).links
                        if href.startswith("/recognition/decisions/"))
    return [*PUBLIC, programme, f"{programme}/report", provider, target, f"{target}/history",
            skill, decision, CREDENTIAL, "/wallet", credential, "/wallet/shares",
            "/wallet/creditbank"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_public_page_speaks_each_language_it_has_words_for(
        demo_server: LiveServer, learner: httpx.Client, public_pages: list[str],
        language: str) -> None:
    """``?lang=`` a language with a catalogue: the page in it, its menu and alternates naming
    each language offered, in itself; without a catalogue yet, the page in Japanese."""
    shown = language if language in offered() else "ja"
    learner.cookies.delete("lang")
    with patiently.client(base_url=demo_server.url, headers=HTML) as visitor:
        for path in public_pages:
            client = learner if path.startswith("/wallet") else visitor
            response = client.get(path, params={"lang": language}, headers=HTML)
            head = _read(response)
            assert head.lang == shown, path
            assert response.headers["content-language"] == shown, path
            assert set(head.alternates) == set(offered()) | {"x-default"}, path
            for tag, href in head.alternates.items():
                query = dict(parse_qsl(urlsplit(href).query))
                assert query.get("lang") == (None if tag == "x-default" else tag), (path, href)
            assert head.menu == {tag: tag for tag in offered()}, path
            assert head.notice is None, path
            for tag in offered():
                assert f">{ENDONYMS[tag]}</a>" in response.text, (path, tag)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_staff_page_is_offered_in_japanese_and_english(demo_server: LiveServer,
                                                         language: str) -> None:
    """A staff page in Japanese and English: its menu and alternates name those two, and it
    has no x-default (its language is the reader's, among two)."""
    with patiently.client(base_url=demo_server.url, headers=HTML) as visitor:
        for path in STAFF:
            head = _read(visitor.get(path, params={"lang": language}))
            assert head.lang == language, path
            assert set(head.alternates) == {"ja", "en"}, path
            assert head.menu == {"ja": "ja", "en": "en"}, path
            assert head.notice is None, path


@pytest.mark.parametrize("language", [tag for tag in offered() if tag not in ("ja", "en")])
def test_a_staff_page_asked_in_another_language_says_so_in_it(demo_server: LiveServer,
                                                              language: str) -> None:
    """Asked for a language the page does not speak, a staff page answers in English with a
    notice in the language asked for; the choice is kept for the public pages."""
    with patiently.client(base_url=demo_server.url, headers=HTML) as visitor:
        for path in STAFF:
            response = visitor.get(path, params={"lang": language})
            head = _read(response)
            assert head.lang == "en", path
            assert head.notice == language, path
            assert response.cookies.get("lang") == language, path
        assert _read(visitor.get("/")).lang == language


@pytest.mark.parametrize(("header", "cookie", "shown"), [
    ("en-GB,en;q=0.9", None, "en"),
    ("fr-FR, en;q=0.5", None, "en"),
    ("fr-FR", None, "ja"),
    ("en", "ja", "ja"),
    ("ko-KR, zh-CN;q=0.8, en;q=0.5", None, "ko" if "ko" in offered()
     else "zh-Hans" if "zh-Hans" in offered() else "en"),
])
def test_the_header_and_the_cookie_choose_among_the_languages_offered(
        demo_server: LiveServer, header: str, cookie: str | None, shown: str) -> None:
    """``Accept-Language`` over the languages offered; the ``lang`` cookie first."""
    with patiently.client(base_url=demo_server.url, headers=HTML) as visitor:
        if cookie:
            visitor.cookies.set("lang", cookie)
        response = visitor.get("/", headers={"Accept-Language": header})
        assert _read(response).lang == shown
