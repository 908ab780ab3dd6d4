"""No internal identifier on any page a person reads (issue 51, defect 10).

One ``credstack serve --demo`` for the module, started as a user starts it. Every demo
account, and a visitor who is not signed in, crawls every page it can reach from its home by
following links — same origin, GET only, bounded, never signing out, downloading, or calling
the API — and reads each page in Japanese and in English as a person does: the text shown
(headings, cells, buttons, options, ``alt``, ``title``, ``aria-label``, ``placeholder``),
not the markup. Ids and codes in it fail the test: application ids (``app_…``), ``urn:uuid:``
URNs, DIDs, hex hashes, dotted field paths, snake_case, camelCase and kebab-case codes, the
slugs and codes the demo's organisations, frameworks and credit systems have names for.
Technical details stay available, folded, inside ``<details class="technical-details">``:
the crawl does not read inside one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
import pytest

from credstack.core.descriptors import profiles
from credstack.core.descriptors.models import CertificationKind, CreditSystem
from credstack.demo import load_demo_documents
from credstack.demo.accounts import DEMO_PASSWORD, demo_accounts
from tests import patiently
from tests.demo_store import demo_process

#: Where the crawl never goes: the API and its documentation, machine-readable answers, the
#: static files, the OAuth and LTI endpoints a program calls, and signing out.
NOT_PAGES = re.compile(
    r"^/(api|docs|redoc|openapi\.json|oauth|\.well-known|static|sign-out|lti/|ims/|status/"
    r"|credentials/|manual)"
)
#: How many pages of one shape (the same path, numbers and ids aside, with any organisation)
#: a person's crawl reads: a kind of page is the same template whichever programme it shows.
PER_SHAPE = 2
#: How many different queries of one path the crawl follows (pages, filters, sorting).
PER_QUERY = 1
#: A bound on the pages of one person's crawl, so that a loop of links cannot run away.
MOST_PAGES = 400

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: An address (a URL, an offer link): a person copies or opens it as it is.
ADDRESS = re.compile(r"\b[a-z][a-z0-9+.-]*://\S*")
#: The last part of a dotted word that makes it a file or a host name, not a field path.
FILE_OR_HOST = {"txt", "pdf", "csv", "json", "jsonld", "png", "svg", "jpg", "jpeg", "jwt",
                "xml", "html", "zip", "example", "jp", "com", "org", "net", "eu", "io"}


def _codes() -> set[str]:
    """The codes people have names for: the credit systems (``jp-tani``, ``ects``), the kinds
    of certification, the frameworks' ids and the demo organisations' slugs."""
    systems = {system.value for system in CreditSystem}
    kinds = {kind.value for kind in CertificationKind if "-" in kind.value}
    slugs = {organisation.slug for organisation in load_demo_documents().organisations}
    return systems | kinds | slugs | set(profiles())


RULES: dict[str, re.Pattern[str]] = {
    "application id": re.compile(r"\bapp_[a-z0-9]{6,}"),
    "URN": re.compile(r"\burn:[a-z0-9-]+:"),
    "DID": re.compile(r"\bdid:[a-z0-9]+:"),
    "hex hash": re.compile(
        r"(?<![\w-])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}(?![\w])"),
    "dotted field path": re.compile(
        r"(?<![\w.])[a-z][a-zA-Z0-9_]+(?:\.[a-z][a-zA-Z0-9_]+)+(?:\[\d+\])?"),
    "snake_case code": re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])"),
    "camelCase code": re.compile(r"(?<![\w-])[a-z]{2,}(?:[A-Z][a-z]+)+(?![\w-])"),
    "status list index": re.compile(r"(?<![\w/])\d+\s*/\s*\d{4,}(?![\w/])"),
}
#: A hyphenated word: on a Japanese page (text marked ``lang="ja"``) always a code, on an
#: English one a code when it holds a digit or is one of the codes people have names for.
KEBAB = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w-])"
                   # A file's name is as its owner named it (self-evaluation-report.txt).
                   rf"(?!\.(?:{'|'.join(sorted(FILE_OR_HOST))})\b)")
WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")
WHOLE_ID = re.compile(r"\b(?:urn|did):\S+")

#: The codes a kind of page may show (by its shape, see :func:`_shape`), each with why.
ALLOWED: dict[str, tuple[frozenset[str], str]] = {
    "/sign-in": (frozenset({"credstack-demo-password"}),
                 "the demo's password, published on its sign-in page so that anyone can try it"),
    "/workspace/*/issue": (frozenset({"student_id", "name.ja", "name.en", "issued_on"}),
                           "the cohort file's column names, which the issuer types first"),
    "/workspace/*/programmes/import": (
        frozenset({"title.ja", "learner_effort.hours", "learner_effort", "learning_outcomes"}),
        "the import file's column names, which the provider types in its first row"),
    "/workspace/*/sso": (frozenset({"eduPersonAffiliation"}),
                         "the SAML attribute's name (GakuNin's), which the administrator types "
                         "in a rule's attribute field"),
}


@dataclass(frozen=True)
class Finding:
    who: str
    language: str
    path: str
    rule: str
    token: str
    context: str

    def __str__(self) -> str:
        return (f"{self.who} ({self.language}) {self.path}: {self.rule} {self.token!r}"
                f" in «{self.context}»")


class _Reader(HTMLParser):
    """The text of a page a person reads, each piece with its language (the nearest ``lang``),
    and the links they can follow; what is inside a technical-details disclosure is set apart."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                      "meta", "param", "source", "track", "wbr"})
    UNREAD = frozenset({"script", "style", "template", "head", "textarea"})
    SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        # Open elements: (tag, not shown, inside a technical-details disclosure, language).
        self._open: list[tuple[str, bool, bool, str]] = [("", False, False, language)]
        self.texts: list[tuple[str, str]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        _, unread, technical, language = self._open[-1]
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.links.append(attributes["href"])
        classes = attributes.get("class", "").split()
        technical = technical or (tag == "details" and "technical-details" in classes)
        # An e-mail shown as it was sent (the demo's mailbox, the workspace's copy of what it
        # sent) is a record of the message, word for word: its links are the addresses a
        # person opens; the message's own wording is specified with the e-mails.
        unread = (unread or (tag in self.UNREAD and tag != "head") or "hidden" in attributes
                  or "mail-text" in classes or "mail-body" in classes)
        language = attributes.get("lang", language).split("-")[0] or language
        # What people wrote (an application, a review) and the titles of cited works are in
        # the language their authors chose: only their ids and codes count.
        if "user-text" in classes or tag == "cite":
            language = "und"
        if not unread and not technical:
            self.texts.extend((attributes[name], language) for name in self.SHOWN_ATTRIBUTES
                              if attributes.get(name))
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.texts.append((attributes.get("value", ""), language))
        if tag not in self.VOID:
            self._open.append((tag, unread, technical, language))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        tag, unread, technical, language = self._open[-1]
        in_head = any(open_tag == "head" for open_tag, *_ in self._open)
        if (tag == "title" or not in_head) and not unread and not technical and data.strip():
            self.texts.append((data, language))


def findings_in(texts: Iterable[tuple[str, str]], *, codes: set[str]
                ) -> Iterator[tuple[str, str, str]]:
    """(rule, token, context) for each id or code in ``texts`` (each with its language)."""
    for text, language in texts:
        plain = ADDRESS.sub(" ", EMAIL.sub(" ", " ".join(text.split())))
        context = plain[:120]
        for rule, pattern in RULES.items():
            for match in pattern.finditer(plain):
                token = match.group(0)
                if rule == "dotted field path" and token.rsplit(".", 1)[-1] in FILE_OR_HOST:
                    continue
                yield rule, token, context
        # What follows a URN or a DID is part of it, already found.
        plain = WHOLE_ID.sub(" ", plain)
        for match in KEBAB.finditer(plain):
            token = match.group(0)
            if token in codes or any(ch.isdigit() for ch in token) or language == "ja":
                yield "kebab-case code", token, context
        for match in WORD.finditer(plain):
            if match.group(0) in codes:
                yield "code for a name", match.group(0), context


@dataclass
class DemoServer:
    url: str


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """``credstack serve --demo`` on a scratch SQLite store, on a free port."""
    with demo_process(tmp_path_factory.mktemp("crawl")) as (url, _):
        yield DemoServer(url)


def _client(demo: DemoServer, language: str, email: str | None) -> httpx.Client:
    client = patiently.client(base_url=demo.url, cookies={"lang": language})
    if email is not None:
        form = client.get("/sign-in")
        nonce = re.search(r'name="signin_nonce" value="([^"]+)"', form.text)
        assert nonce is not None, form.text
        signed = client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD,
                                               "signin_nonce": nonce.group(1)})
        assert signed.status_code == 303, signed.text
    return client


def _shape(path: str, slugs: set[str]) -> str:
    """The kind of page ``path`` is: numbers, ids and organisations' slugs set aside."""
    return "/".join("*" if part in slugs or re.search(r"[\d:_%]", part) else part
                    for part in path.split("/"))


def crawl(demo: DemoServer, email: str | None, *, codes: set[str], slugs: set[str],
          skip: set[str]) -> tuple[list[Finding], set[str]]:
    """What ``email`` (None: a visitor) reads on every page reachable from its home, in
    Japanese and English; and the addresses it read. Addresses in ``skip`` (the visitor's:
    the public pages, whose links lead to public pages) are not read again; the signed-in
    person's own pages are reached from its home and its menu, on every page."""
    who = email or "visitor"
    found: list[Finding] = []
    clients = {language: _client(demo, language, email) for language in ("ja", "en")}
    origin = urlsplit(demo.url).netloc
    start = ["/", "/home"] if email else ["/"]
    queue, seen, read = list(start), set(start), set()
    per_shape: dict[str, int] = {}
    try:
        while queue and len(read) < MOST_PAGES:
            address = queue.pop(0)
            links: list[str] = []
            for language, client in clients.items():
                answer = client.get(address, follow_redirects=True)
                assert answer.status_code < 500, f"{who} ({language}) {address}: {answer.text}"
                if "text/html" not in answer.headers.get("content-type", ""):
                    break
                reader = _Reader(language)
                reader.feed(answer.text)
                links = links or reader.links
                page = urlsplit(str(answer.url))
                read.add(address)
                allowed = ALLOWED.get(_shape(page.path, slugs), (frozenset(), ""))[0]
                found.extend(Finding(who, language, page.path, *finding)
                             for finding in findings_in(reader.texts, codes=codes)
                             if finding[1] not in allowed)
            for href in links:
                link = urlsplit(urljoin(f"{demo.url}{address}", href))
                if link.scheme not in ("http", "https") or link.netloc != origin:
                    continue
                query = [(k, v) for k, v in parse_qsl(link.query) if k != "lang"]
                target = urlunsplit(("", "", link.path, urlencode(query), ""))
                if target in seen or target in skip or NOT_PAGES.match(link.path):
                    continue
                kind = f"{link.path}?" if query else _shape(link.path, slugs)
                if per_shape.get(kind, 0) >= (PER_QUERY if query else PER_SHAPE):
                    continue
                per_shape[kind] = per_shape.get(kind, 0) + 1
                seen.add(target)
                queue.append(target)
    finally:
        for client in clients.values():
            client.close()
    return found, read


def test_no_page_shows_an_internal_identifier(demo: DemoServer) -> None:
    """No page any demo person (or a visitor) reaches shows an id or code outside a
    technical-details disclosure, in Japanese or English."""
    codes = _codes()
    slugs = {organisation.slug for organisation in load_demo_documents().organisations}
    found, public = crawl(demo, None, codes=codes, slugs=slugs, skip=set())
    pages = len(public)
    # One account of each role: the demo's two evaluators see the same pages.
    for account in {account.role: account for account in demo_accounts()}.values():
        more, read = crawl(demo, account.email, codes=codes, slugs=slugs, skip=public)
        found += more
        pages += len(read)
    assert pages > 100, pages
    distinct = sorted({(f.rule, f.token, _shape(f.path, slugs)): f for f in found}.values(),
                      key=str)
    assert distinct == [], "\n".join(map(str, distinct[:80]))


def _read(html: str, language: str = "en") -> list[tuple[str, str]]:
    reader = _Reader(language)
    reader.feed(html)
    return [(rule, token) for rule, token, _ in findings_in(reader.texts, codes=_codes())]


@pytest.mark.parametrize(("html", "language", "expected"), [
    ("<p>Application <code>app_ekh2r4g3526abztkn6e2sox2by</code></p>", "en",
     [("application id", "app_ekh2r4g3526abztkn6e2sox2by"),
      ("snake_case code", "app_ekh2r4g3526abztkn6e2sox2by")]),
    ("<td>programme.learner_effort.credits[0]</td>", "en",
     [("dotted field path", "programme.learner_effort.credits[0]"),
      ("snake_case code", "learner_effort")]),
    ("<dd>Status list 1 / 42565</dd>", "en", [("status list index", "1 / 42565")]),
    ("<p>sisSourcedId</p>", "en", [("camelCase code", "sisSourcedId")]),
    ("<p>did:web:localhost%3A8611:organisations:hokuto-tech</p>", "ja",
     [("DID", "did:web:")]),
    ("<p>2 jp-tani, 3 ects</p>", "en",
     [("kebab-case code", "jp-tani"), ("code for a name", "ects")]),
    ("<button>Organisation hokuto-tech</button>", "en",
     [("kebab-case code", "hokuto-tech")]),
    ("<a title='Data — b5863e71'>Data</a>", "en", [("hex hash", "b5863e71")]),
    ("<p>データ（json-ld）</p>", "ja", [("kebab-case code", "json-ld")]),
    # Hyphenated English words are words on an English page; text written by people, an
    # address, an e-mail address, a file's name and a folded technical detail are not read.
    ("<p>A well-known, up-to-date record</p>", "en", []),
    ("<div class='user-text'>The self-evaluation report</div>", "ja", []),
    ("<p>http://localhost/verify/urn:uuid:d497e63e-8e95-571a-85a9-448cfabc2e94"
     " learner@demo.example report-2026.pdf</p>", "en", []),
    ("<details class='technical-details'><summary>Technical details</summary>"
     "<p>urn:uuid:d497e63e-8e95-571a-85a9-448cfabc2e94</p></details>", "en", []),
])
def test_the_reader_finds_what_a_person_would_read_as_a_code(
        html: str, language: str, expected: list[tuple[str, str]]) -> None:
    """The rules find each id and code of the issue's list in what a person reads, and
    nothing in words, addresses, people's own text or a technical-details disclosure."""
    assert _read(html, language) == expected
