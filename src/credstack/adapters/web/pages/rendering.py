"""Rendering a page: the templates, the frame every page shares, the security headers.

Server-rendered Jinja2 (autoescaped, strict about undefined names) in the visitor's language:
:func:`render` gives a template the :class:`~credstack.adapters.web.i18n.Translator` of the
negotiated language and remembers the choice in a cookie.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

import credstack
from credstack.adapters.web import i18n

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

templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    # A name the template misspells must fail the tests, not render as an empty string.
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

def with_query(request: Request, **changes: object) -> str:
    """This page's path and query with ``changes`` applied (None removes a parameter)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    added = [(k, str(v)) for k, v in changes.items() if v is not None]
    query = urlencode(kept + added)
    return f"{request.url.path}?{query}" if query else request.url.path


def render(request: Request, template: str, *, section: str | None = None,
           status_code: int = 200, **context: Any) -> HTMLResponse:
    """``template`` in the visitor's language, with the frame every page shares."""
    choice = i18n.negotiate(request)
    t = i18n.Translator(choice.language)
    html = templates.get_template(template).render(
        t=t, section=section, switch_url=with_query(request, lang=t.other),
        version=credstack.__version__, **context)
    response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
    i18n.remember(response, choice)
    return response


def error_page(request: Request, status: int, title: str, title_ja: str, detail: str
               ) -> Response:
    """An error as a page in the visitor's language (the detail is English only)."""
    heading = title_ja if i18n.negotiate(request).language == "ja" else title
    return render(request, "error.html", status_code=status, status=status, heading=heading,
                  detail=detail)
