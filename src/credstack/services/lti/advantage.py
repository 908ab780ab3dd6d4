"""Calling a platform's LTI Advantage services: an access token by the client credentials
grant with a signed JWT assertion (1EdTech Security Framework 1.0 §4.1, RFC 7523), kept
until a minute before it expires; the roster (NRPS 2.0) and a line item's results
(AGS 2.0), page after page, each page read once."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from credstack.adapters.resolvers import fetch
from credstack.core.lti import messages
from credstack.core.lti import services as spec
from credstack.errors import FetchError, InputError, InputTooLargeError, Problem
from credstack.services.lti import keys
from credstack.services.runtime import Runtime

__all__ = ["Course", "line_item", "members", "results"]

_TOKENS: Final = "lti.access-tokens"
_LIMIT: Final = 64 * 1024 * 1024
#: Members or results asked for per page (NRPS §2.4.3 and AGS's ``limit``): a platform
#: may send fewer, and names the next page.
PAGE: Final = 1000


@dataclass(frozen=True, slots=True)
class Course:
    """Whom to ask: the platform's client id and token endpoint, the course's service URLs."""

    platform_id: int
    client_id: str
    token_url: str
    memberships_url: str | None
    lineitems_url: str | None


class _Tokens:
    def __init__(self) -> None:
        self.tokens: dict[int, tuple[str, dt.datetime]] = {}
        self.lock = threading.Lock()


def _failed(what: str, detail: str) -> InputError:
    return InputError(code="lti.refused.unreadable",
                      params={"what": what, "detail": detail}, problems=[Problem(what, detail)])


def _token(runtime: Runtime, course: Course) -> str:
    cache: _Tokens = runtime.caches.setdefault(_TOKENS, _Tokens())
    now = runtime.now()
    with cache.lock:
        known = cache.tokens.get(course.platform_id)
    if known is not None and known[1] > now:
        return known[0]
    assertion = keys.sign(runtime, messages.client_assertion(
        client_id=course.client_id, token_url=course.token_url,
        jti=secrets.token_urlsafe(16), now=now))
    try:
        answer = fetch.post(course.token_url, form={
            "grant_type": "client_credentials", "client_assertion_type":
            messages.ASSERTION_TYPE, "client_assertion": assertion,
            "scope": " ".join(spec.SCOPES)})
    except FetchError as exc:
        raise _failed("access token", exc.message) from None
    body = answer.json()
    if answer.status != 200 or not isinstance(body, dict) or not body.get("access_token"):
        raise _failed("access token", f"HTTP {answer.status}")
    given = body.get("expires_in")
    lifetime = given if isinstance(given, int) else 3600
    token = str(body["access_token"])
    with cache.lock:
        cache.tokens[course.platform_id] = (token, now + dt.timedelta(seconds=lifetime - 60))
    return token


def _forget_token(runtime: Runtime, course: Course) -> None:
    cache: _Tokens = runtime.caches.setdefault(_TOKENS, _Tokens())
    with cache.lock:
        cache.tokens.pop(course.platform_id, None)


def _get(runtime: Runtime, course: Course, url: str, media_type: str, what: str
         ) -> fetch.Answer:
    try:
        return fetch.post(url, method="GET", limit=_LIMIT, headers={
            "Authorization": f"Bearer {_token(runtime, course)}", "Accept": media_type})
    except (FetchError, InputTooLargeError) as exc:
        raise _failed(what, exc.message) from None


def _pages(runtime: Runtime, course: Course, url: str, media_type: str, what: str
           ) -> Iterator[Any]:
    pages = spec.Pages()
    current: str | None = url
    while current is not None:
        pages.visit(current)
        answer = _get(runtime, course, current, media_type, what)
        if answer.status != 200:
            # The platform may no longer accept a token it gave (its key rotated): once
            # more with a new one.
            _forget_token(runtime, course)
            answer = _get(runtime, course, current, media_type, what)
        if answer.status != 200:
            raise _failed(what, f"{current}: HTTP {answer.status}")
        body = answer.json()
        yield body
        current = spec.next_page(answer.link, body)


def _with(url: str, **query: str) -> str:
    separator = "&" if urlsplit(url).query else "?"
    return url + separator + urlencode(query)


def members(runtime: Runtime, course: Course, *, resource_link_id: str | None
            ) -> list[spec.Member]:
    """The course's roster (of the resource link when ``resource_link_id`` is given)."""
    if course.memberships_url is None:
        raise _failed("roster", "the launch named no membership service")
    query = {"rlid": resource_link_id} if resource_link_id else {}
    url = _with(course.memberships_url, **query, limit=str(PAGE))
    found: list[spec.Member] = []
    for body in _pages(runtime, course, url, spec.MEMBERSHIPS, "roster"):
        found.extend(spec.members(body))
    return found


def line_item(runtime: Runtime, course: Course, wanted: str) -> dict[str, Any]:
    """The course's line item whose id, tag, resource id or label is ``wanted``."""
    if course.lineitems_url is None:
        raise _failed("line items", "the launch named no grade service")
    for body in _pages(runtime, course, course.lineitems_url, spec.LINE_ITEMS, "line items"):
        item = spec.line_item_of(body, wanted)
        if item is not None:
            return dict(item)
    raise _failed("line items", f"no line item {wanted!r} in the course")


def results(runtime: Runtime, course: Course, item: dict[str, Any]) -> list[spec.Result]:
    """Every result of the line item ``item``."""
    base, _, query = str(item["id"]).partition("?")
    url = _with(base.rstrip("/") + "/results" + (f"?{query}" if query else ""),
                limit=str(PAGE))
    maximum = item.get("scoreMaximum")
    score_maximum = float(maximum) if isinstance(maximum, int | float) and maximum > 0 else None
    found: list[spec.Result] = []
    for body in _pages(runtime, course, url, spec.RESULTS, "results"):
        found.extend(spec.results(body, score_maximum=score_maximum))
    return found
