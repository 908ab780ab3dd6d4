"""The parse step: a hosted assertion (JSON or its URL) or a signed one (compact JWS)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.verification.checks import Refusal, passed, refused
from credstack.core.verification.json_values import MAX_DEPTH, depth
from credstack.core.verification.openbadges_v2.graph import Ob2State, read_json, unfetchable
from credstack.core.verification.reading import MAX_CREDENTIAL_BYTES, too_large
from credstack.core.verification.report import Check
from credstack.errors import CredstackError, MalformedCredentialError

__all__ = ["check_parse"]


def _classify(text: str, state: Ob2State, *, allow_url: bool) -> str:
    text = text.strip().removeprefix("\ufeff").strip()
    if text.startswith("{"):
        value = read_json(text, "the badge")
        if not isinstance(value, dict):
            raise Refusal("not-an-object", "the badge is not a JSON object",
                          "バッジは JSON オブジェクトでなければなりません")
        state.document = value
        return "json"
    if ob2.is_http_url(text) and allow_url:
        data = _read_url(state, text)
        state.source = text
        try:
            decoded = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise Refusal("not-json", f"{text} does not serve UTF-8 text",
                          "UTF-8 のテキストではありません") from None
        return f"{_classify(decoded, state, allow_url=False)} from {text}"
    try:
        jws = ob2.read_jws(text)
    except MalformedCredentialError as exc:
        what = "neither a JSON Badge Object, a compact JWS nor an http(s) URL" if allow_url \
            else "neither a JSON Badge Object nor a compact JWS"
        raise Refusal("not-a-badge", f"the input is {what} ({exc.message})",
                      "入力は JSON のバッジでも JWS でも URL でもありません") from None
    if len(jws.token) > MAX_CREDENTIAL_BYTES:
        raise too_large(len(jws.token), MAX_CREDENTIAL_BYTES, "the signed badge")
    if depth(jws.payload) > MAX_DEPTH:
        raise Refusal("too-deep", "the JWS payload is nested too deeply", "入れ子が深すぎます")
    state.jws, state.document = jws, jws.payload
    return "jws"


def _read_url(state: Ob2State, url: str) -> bytes:
    try:
        data = state.fetch(url)
    except (CredstackError, OSError) as exc:
        raise unfetchable(exc, url, "", "") from None
    if data is None:
        raise Refusal("not-found", f"{url} is not served (HTTP 404 or 410: removed or revoked "
                                    "by its issuer)",
                      f"{url} は公開されていません（HTTP 404 または 410：削除または取り消し）",
                      url=url)
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise too_large(len(data), MAX_CREDENTIAL_BYTES, url)
    return bytes(data)


def check_parse(state: Ob2State) -> Check:
    """``parse``: a Badge Object as JSON, a signed badge (JWS), or the URL of one."""
    raw = state.input
    try:
        if isinstance(raw, Mapping):
            try:
                text = json.dumps(raw, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError, RecursionError) as exc:
                raise Refusal("not-json", f"the badge holds a value that is not JSON ({exc})",
                              "JSON ではない値が含まれています") from None
            form = _classify(text, state, allow_url=False)
        elif isinstance(raw, bytes | bytearray | memoryview):
            data = bytes(raw)
            if len(data) > MAX_CREDENTIAL_BYTES:
                raise too_large(len(data), MAX_CREDENTIAL_BYTES, "the badge")
            try:
                form = _classify(data.decode("utf-8"), state, allow_url=True)
            except UnicodeDecodeError:
                raise Refusal("not-json", "the input is not UTF-8 text",
                              "UTF-8 のテキストではありません") from None
        elif isinstance(raw, str):
            if len(raw) > MAX_CREDENTIAL_BYTES:
                raise too_large(len(raw), MAX_CREDENTIAL_BYTES, "the badge")
            form = _classify(raw, state, allow_url=True)
        else:
            raise Refusal("not-a-badge", f"a badge is JSON, a JWS or a URL, not "
                                          f"{type(raw).__name__}",
                          "バッジは JSON・JWS・URL のいずれかでなければなりません")
    except Refusal as refusal:
        state.document, state.jws = None, None
        return refused("parse", refusal)
    assert state.document is not None
    state.kind = ob2.class_of(state.document)
    return passed("parse", f"read an Open Badges 2.0 {state.kind} ({form})",
                  f"Open Badges 2.0 の {state.kind} を読み取りました（{form}）",
                  kind=state.kind, form=form, url=state.source)
