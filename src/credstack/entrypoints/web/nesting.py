"""Refuse JSON nested deeper than any request needs, before a route reads it.

Parsers and the code that walks a document recurse once or more per level: JSON nested some
thousands deep ends in a ``RecursionError`` (a 500) wherever it is read. One middleware
measures every body that carries JSON — a JSON media type (``application/json``, ``…+json``),
or the fields of a form (OID4VP's ``vp_token`` and ``presentation_submission``, OAuth's
``authorization_details``) — and answers a 422 problem (``input-too-deep``) past
:data:`MAX_NESTING` levels of arrays and objects. That is twice the depth a verified document
may have (:data:`credstack.core.verification.json_values.MAX_DEPTH`), so the verifier still
reports its own limit in its own words. Brackets inside JSON strings do not count; form
fields are measured one by one. Multipart uploads are screened by the services that read
them (:mod:`credstack.core.wallet.uploads`).
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Final
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from credstack.entrypoints.web import problems
from credstack.entrypoints.web.held_body import hold
from credstack.errors import NestingTooDeepError, Problem

#: The deepest nesting of arrays and objects a request body may hold.
MAX_NESTING: Final = 128

_STRING: Final = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
#: Every byte but brackets removed; an opening bracket counts 1, a closing one -1.
_NOT_BRACKETS: Final = bytes(b for b in range(256) if b not in b"[]{}")
_STEP: Final = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def depth(text: bytes) -> int:
    """The deepest nesting of arrays and objects in ``text`` (JSON, or what may be),
    brackets in strings left out."""
    if text.count(b"[") + text.count(b"{") <= MAX_NESTING:
        # Cannot be deeper than the limit: no need to measure. Counted, not found (a list
        # of every bracket of every JSON body was made to be measured by its length).
        return 0
    brackets = _STRING.sub(b"", text).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def _json_type(content_type: bytes) -> bool:
    media = content_type.split(b";")[0].strip().lower()
    return media == b"application/json" or media.endswith(b"+json")


def _too_deep(content_type: bytes, body: bytes) -> str | None:
    """Where ``body`` is nested past the limit (``body``, or a form field's name)."""
    media = content_type.split(b";")[0].strip().lower()
    if media == b"application/x-www-form-urlencoded":
        # Decoded byte for byte (latin-1), so that any text, Japanese included, round-trips.
        for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True,
                                     encoding="latin-1"):
            if depth(value.encode("latin-1")) > MAX_NESTING:
                return name[:60]
        return None
    if (_json_type(content_type) or not media) and depth(body) > MAX_NESTING:
        return "body"
    return None


class NestingLimit:
    """ASGI middleware: bodies that carry JSON are read whole (their size is bounded by
    :class:`~credstack.entrypoints.web.limits.BodySizeLimit`, which runs first), measured,
    and passed on, or refused."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"")
        media = content_type.split(b";")[0].strip().lower()
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS") or (
                media and not _json_type(content_type)
                and media != b"application/x-www-form-urlencoded"):
            await self.app(scope, receive, send)
            return
        held = await hold(receive)
        body = held.body
        where = None if body is None else _too_deep(content_type, body)
        if where is not None:
            refused = NestingTooDeepError(
                f"The request is nested more than {MAX_NESTING} levels deep (arrays and "
                f"objects in {where}). / リクエストの入れ子が深すぎます（上限 {MAX_NESTING} "
                "段）。", problems=[Problem(where, f"more than {MAX_NESTING} levels")])
            response = problems.error_response(Request(scope), refused)
            await response(scope, receive, send)
            return
        await self.app(scope, held.replay(receive), send)
