"""Rendering a page: the templates, the frame every page shares, the security headers.

Server-rendered Jinja2 (autoescaped, strict about undefined names) in the visitor's language:
:func:`render` gives a template the :class:`~credstack.entrypoints.web.i18n.Translator` of the
negotiated language and remembers the choice in a cookie.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket

from credstack.core.registry.pathways import named_programme
from credstack.core.types import MultilingualText
from credstack.entrypoints import VERSION
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.i18n.codes import failure_parts, failure_said
from credstack.services.organisations import service as organisations

TEMPLATES = Path(__file__).parents[1] / "templates"
#: Pages load nothing but their own stylesheet and the vendored htmx, and run no inline
#: script: a policy that holds even if escaping were ever missed somewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
#: The headers of an e-mail's HTML shown as sent, in a frame of one of our pages: a document
#: of no origin where nothing runs (``sandbox``), its inline styles and its images shown, its
#: links followed in the window around it by a click, framed only by our own pages.
MAIL_PREVIEW_HEADERS = {
    "Content-Security-Policy": (
        "sandbox allow-popups allow-popups-to-escape-sandbox "
        "allow-top-navigation-by-user-activation; default-src 'none'; "
        "style-src 'unsafe-inline'; img-src http: https: data:; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

#: The opening of a document's head, where a framed e-mail gets its ``<base>``.
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)


def mail_preview(html: str) -> HTMLResponse:
    """An e-mail's HTML as sent, to be framed by a page (the mailbox, the workspace's
    message): its links open in the page that frames it, as a mail program opens them in
    the browser — a ``<base target="_top">`` is added to its head (the frame's sandbox lets a
    click, and only a click, navigate the top window). Without it a link would load
    credstack's page inside the frame, which its ``frame-ancestors 'none'`` refuses."""
    base = '<base target="_top">'
    found = _HEAD.search(html)
    framed = (html[:found.end()] + base + html[found.end():]) if found else base + html
    return HTMLResponse(framed, headers=MAIL_PREVIEW_HEADERS)


class CompiledTemplates(FileSystemBytecodeCache):
    """The pages' templates compiled once for every process of this user, not by each: a
    process compiles each template on its first render, 158 of them 2.8 s of CPU, which every
    server started (and every test process) paid again; loaded from here, 0.05 s.

    Jinja keeps each template's compiled code under its name and file, with the checksum of
    the source it was compiled from (a changed template is compiled again) and the versions
    of Jinja and Python; the files are named after this module's text too, which sets the
    options they are compiled with. The folder is Jinja's own for the user (in the system's
    temporary folder, the user's alone, or none is used). A cache that cannot be written or
    read is passed over: the template is compiled as without one."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates(directory: Path | None = None) -> CompiledTemplates | None:
    """The cache of compiled pages' templates in ``directory`` (default: Jinja's folder for
    the user); ``None`` when no such folder can be made safely."""
    options = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    try:
        return CompiledTemplates(str(directory) if directory is not None else None,
                                 pattern=f"credstack-pages-{options}-%s.cache")
    except (OSError, RuntimeError):
        return None


templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    bytecode_cache=compiled_templates(),
    autoescape=True,
    # A name the template misspells must fail the tests, not render as an empty string.
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    # The templates ship inside the package and do not change while it runs: no stat of
    # each template file on every page.
    auto_reload=False,
)

def with_query(request: Request, **changes: object) -> str:
    """This page's path and query with ``changes`` applied (None removes a parameter)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    added = [(k, str(v)) for k, v in changes.items() if v is not None]
    query = urlencode(kept + added)
    return f"{request.url.path}?{query}" if query else request.url.path


def badge_src(achievement_id: object, public_url: str | None) -> str | None:
    """The badge image of the programme version ``achievement_id`` names, when it is one of
    this registry's (public at ``public_url``): ``/badges/{id}/v{version}.svg``. Images
    elsewhere are not loaded (the pages' policy allows their own images only)."""
    if not isinstance(achievement_id, str) or not public_url:
        return None
    named = named_programme(achievement_id, public_url)
    if named is None or named.version is None:
        return None
    return f"/badges/{named.programme_id}/v{named.version}.svg"


def _public_url(request: Request) -> str | None:
    runtime = getattr(request.app.state, "runtime", None)
    settings = getattr(runtime, "settings", None)
    url = getattr(settings, "public_url", None)
    return url if isinstance(url, str) else None


class OrganisationNames:
    """Organisations' names by slug, in the page's language, for a page that holds only slugs
    (memberships, targets, people): read from the store once, when the page first asks; a
    slug the store does not know, as it is."""

    def __init__(self, request: Request, t: i18n.Translator) -> None:
        self._request = request
        self._t = t
        self._names: dict[str, MultilingualText] | None = None

    def __call__(self, slug: str) -> str:
        if self._names is None:
            runtime = getattr(self._request.app.state, "runtime", None)
            listed = organisations.list_organisations(runtime) if runtime is not None else []
            self._names = {stored.slug: stored.organisation.name for stored in listed}
        name = self._names.get(slug)
        return self._t.text(name) if name is not None else slug


@dataclass(frozen=True, slots=True)
class LanguageLink:
    """One language of the language menu and of the page's ``hreflang`` alternates: its tag,
    its name in itself, this page in it, and whether it is the page's language."""

    tag: str
    name: str
    url: str
    current: bool


def language_links(request: Request, choice: i18n.Choice) -> list[LanguageLink]:
    """This page in each language it is offered in (its path and query, ``lang=`` set)."""
    return [LanguageLink(tag, i18n.ENDONYMS[tag], with_query(request, lang=tag),
                         tag == choice.language) for tag in choice.languages]


def render(request: Request, template: str, *, section: str | None = None,
           status_code: int = 200, **context: Any) -> HTMLResponse:
    """``template`` in the visitor's language, with the frame every page shares (the
    language menu, the ``hreflang`` alternates, and on a staff page asked for a language it
    is not offered in, a notice in that language),
    ``badge_of(achievement_id)``: the badge image of one of this registry's achievements, and
    ``organisation_name_of(slug)``: an organisation's name, where a page holds its slug."""
    choice = i18n.negotiate(request)
    public = choice.scope is i18n.Scope.PUBLIC
    t = i18n.Translator(choice.language, public=public)
    public_url = _public_url(request)
    html = templates.get_template(template).render(
        t=t, section=section, language_links=language_links(request, choice),
        x_default=with_query(request, lang=None) if public else None,
        wanted=i18n.Translator(choice.wanted, public=True) if choice.wanted else None,
        version=VERSION, manual_url=getattr(request.app.state, "manual_url", None),
        badge_of=lambda achievement_id: badge_src(achievement_id, public_url),
        organisation_name_of=OrganisationNames(request, t), **context)
    response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
    i18n.remember(response, choice)
    return response


def error_page(request: Request, status: int, title: str, title_ja: str, detail: str
               ) -> Response:
    """An error as a page in the visitor's language: the heading, and of a bilingual detail
    ("English. / 日本語。") the half in that language. A detail in English only is, on a
    Japanese page, put in words of the page's own for its status, the English kept below
    as technical detail (marked ``lang="en"``)."""
    language = i18n.negotiate(request).language
    heading = title_ja if language == "ja" else title
    shown, technical = detail_in(language, detail)
    in_words = f"error.detail.{status}" if status in _STATUS_WORDS else "error.detail.other"
    return render(request, "error.html", status_code=status, status=status, heading=heading,
                  detail=shown, technical=technical, in_words=in_words)


#: The statuses an error page has words of its own for (``error.detail.<status>``).
_STATUS_WORDS = frozenset({400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429})


#: Japanese text: kana, CJK ideographs, full-width forms and CJK punctuation.
_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def has_japanese(text: object) -> bool:
    """Whether ``text`` is (at least partly) written in Japanese."""
    return isinstance(text, str) and _JAPANESE.search(text) is not None


templates.globals["has_japanese"] = has_japanese
#: Why a background job failed, in the page's language (``failure_said(job.failure, t.language)``).
templates.globals["failure_said"] = failure_said
#: The same in parts: (what went wrong, [each problem], what happens next).
templates.globals["failure_parts"] = failure_parts


def split_bilingual(text: str) -> tuple[str, str | None]:
    """``"English. / 日本語。"`` as (English, Japanese); (text, None) when no half after a
    " / " is Japanese. Only the last Japanese half counts, so that an English half may hold
    " / " itself."""
    head, separator, tail = text.rpartition(" / ")
    if separator and _JAPANESE.search(tail) and not _JAPANESE.search(head):
        return head.strip(), tail.strip()
    if _JAPANESE.search(text) and not _JAPANESE.search(text.split(" / ", 1)[0]):
        first, _, rest = text.partition(" / ")
        return first.strip(), rest.strip()
    return text.strip(), None


def detail_in(language: str, detail: str) -> tuple[str | None, str | None]:
    """(The detail to show in ``language``, an English technical detail to keep apart): the
    half in that language; on a Japanese page an English-only detail becomes the second."""
    english, japanese = split_bilingual(detail)
    if language != "ja":
        return english or None, None
    if japanese:
        return japanese, None
    return None, english or None
