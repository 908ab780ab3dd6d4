"""The parse step: a hosted assertion (JSON or its URL) or a signed one (compact JWS). What it
says is said as message keys (``verification.check.ob2.parse.…``); the runner words them."""

from __future__ import annotations

import json
from collections.abc import Mapping

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.said import Said, said_of
from credstack.core.verification.checks import Refusal, passed, refused
from credstack.core.verification.json_values import MAX_DEPTH, depth
from credstack.core.verification.openbadges_v2.graph import (
    BADGE,
    Ob2State,
    read_json,
    too_large,
    unfetchable,
)
from credstack.core.verification.reading import MAX_CREDENTIAL_BYTES
from credstack.core.verification.report import Check
from credstack.errors import CredstackError, MalformedCredentialError

__all__ = ["check_parse"]


def _classify(text: str, state: Ob2State, *, allow_url: bool) -> str:
    text = text.strip().removeprefix("\ufeff").strip()
    if text.startswith("{"):
        value = read_json(text, BADGE.the)
        if not isinstance(value, dict):
            raise Refusal("not-an-object", Said("verification.check.ob2.parse.not_an_object"))
        state.document = value
        return "json"
    if ob2.is_http_url(text) and allow_url:
        data = _read_url(state, text)
        state.source = text
        try:
            decoded = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise Refusal("not-json", Said("verification.check.ob2.parse.url_not_utf8",
                                           url=text)) from None
        return f"{_classify(decoded, state, allow_url=False)} from {text}"
    try:
        jws = ob2.read_jws(text)
    except MalformedCredentialError as exc:
        raise Refusal("not-a-badge", Said("verification.check.ob2.parse.not_a_badge_nor_url"
                                          if allow_url else
                                          "verification.check.ob2.parse.not_a_badge",
                                          detail=said_of(exc))) from None
    if len(jws.token) > MAX_CREDENTIAL_BYTES:
        raise too_large(len(jws.token), Said("verification.check.ob2.signed_badge"))
    if depth(jws.payload) > MAX_DEPTH:
        raise Refusal("too-deep", Said("verification.check.ob2.parse.too_deep"))
    state.jws, state.document = jws, jws.payload
    return "jws"


def _read_url(state: Ob2State, url: str) -> bytes:
    try:
        data = state.fetch(url)
    except (CredstackError, OSError) as exc:
        raise unfetchable(exc, url) from None
    if data is None:
        raise Refusal("not-found", Said("verification.check.ob2.parse.not_served", url=url),
                      url=url)
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise too_large(len(data), url)
    return bytes(data)


def check_parse(state: Ob2State) -> Check:
    """``parse``: a Badge Object as JSON, a signed badge (JWS), or the URL of one."""
    raw = state.input
    try:
        if isinstance(raw, Mapping):
            try:
                text = json.dumps(raw, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError, RecursionError) as exc:
                raise Refusal("not-json", Said("verification.check.ob2.parse.not_json_value",
                                               detail=str(exc))) from None
            form = _classify(text, state, allow_url=False)
        elif isinstance(raw, bytes | bytearray | memoryview):
            data = bytes(raw)
            if len(data) > MAX_CREDENTIAL_BYTES:
                raise too_large(len(data), BADGE.the)
            try:
                form = _classify(data.decode("utf-8"), state, allow_url=True)
            except UnicodeDecodeError:
                raise Refusal("not-json",
                              Said("verification.check.ob2.parse.not_utf8")) from None
        elif isinstance(raw, str):
            if len(raw) > MAX_CREDENTIAL_BYTES:
                raise too_large(len(raw), BADGE.the)
            form = _classify(raw, state, allow_url=True)
        else:
            raise Refusal("not-a-badge", Said("verification.check.ob2.parse.not_a_form",
                                              kind=type(raw).__name__))
    except Refusal as refusal:
        state.document, state.jws = None, None
        return refused("parse", refusal)
    assert state.document is not None
    state.kind = ob2.class_of(state.document)
    return passed("parse", Said("verification.check.ob2.parse.read", kind=state.kind, form=form),
                  kind=state.kind, form=form, url=state.source)
