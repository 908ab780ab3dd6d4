"""The parse step: JSON, a VC-JWT or an enveloped credential, within the limits."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal as _Refusal
from credstack.core.verification.checks import passed as _passed
from credstack.core.verification.checks import refused as _refused
from credstack.core.verification.pipeline.seams import (
    _JWS,
    ENVELOPED_TYPE,
    JWT_DATA_URL,
    MAX_CREDENTIAL_BYTES,
    MAX_DEPTH,
    VerificationState,
)
from credstack.core.verification.report import (
    Check,
)


def _too_large(size: int) -> _Refusal:
    return _Refusal(
        "too-large",
        f"the credential is {size:,} bytes; credstack reads at most {MAX_CREDENTIAL_BYTES:,}",
        f"証明書が大きすぎます（{size:,} バイト。上限は {MAX_CREDENTIAL_BYTES:,} バイト）",
        bytes=size, limit=MAX_CREDENTIAL_BYTES)


def _loads(text: str | bytes) -> Any:
    return json_values.strict_loads(text, "the credential", "証明書")


_TOO_DEEP = ("too-deep", f"the credential is nested more than {MAX_DEPTH} levels deep",
             f"証明書の入れ子が深すぎます（上限 {MAX_DEPTH} 段）")


def _b64_json(part: str, where: str) -> Any:
    try:
        data = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise _Refusal("not-a-jwt", f"the JWS {where} is not base64url",
                       f"JWS の{where}が base64url ではありません") from None
    return json_values.strict_loads(data, f"the JWS {where}", "JWS")


def _read_token(token: str, state: VerificationState) -> None:
    header_part, payload_part, _ = token.split(".")
    header = _b64_json(header_part, "header")
    claims = _b64_json(payload_part, "payload")
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise _Refusal("not-a-jwt", "the JWS header and payload must be JSON objects",
                       "JWS のヘッダーとペイロードは JSON オブジェクトでなければなりません")
    if "vc" in claims:
        credential, form = claims["vc"], "vc-jwt-1.1"
    elif "@context" in claims:
        credential, form = claims, "vc+jwt"
    else:
        what = "a presentation" if "vp" in claims else "no credential"
        raise _Refusal("not-a-credential", f"the JWT holds {what} (no @context, no vc claim)",
                       "JWT に証明書が含まれていません（@context も vc クレームもありません）")
    if not isinstance(credential, dict):
        raise _Refusal("not-a-credential", "the JWT's vc claim is not a JSON object",
                       "JWT の vc クレームが JSON オブジェクトではありません")
    state.token, state.format = token, form
    state.jwt_header, state.jwt_claims, state.credential = header, claims, credential


def _read_object(value: Any, state: VerificationState) -> None:
    if not isinstance(value, dict):
        kind = "an array" if isinstance(value, list) else type(value).__name__
        raise _Refusal("not-an-object", f"a credential is a JSON object, not {kind}",
                       "証明書は JSON オブジェクトでなければなりません")
    if ENVELOPED_TYPE in (json_values.types(value.get("type")) or ()):
        identifier = value.get("id")
        if not isinstance(identifier, str) or not identifier.startswith(JWT_DATA_URL):
            raise _Refusal("unsupported-envelope",
                           "an EnvelopedVerifiableCredential must carry its credential as "
                           f"{JWT_DATA_URL}<compact JWS> in its id",
                           f"EnvelopedVerifiableCredential の id は {JWT_DATA_URL}<JWS> "
                           "でなければなりません")
        token = identifier[len(JWT_DATA_URL):]
        if not _JWS.fullmatch(token):
            raise _Refusal("not-a-jwt", "the envelope's data URL holds no compact JWS",
                           "エンベロープのデータ URL に JWS が含まれていません")
        _read_token(token, state)
        return
    state.credential, state.format = value, "json-ld"


def _read(raw: object, state: VerificationState) -> int:
    """Read the input into ``state``; return its size in bytes."""
    if isinstance(raw, bytes | bytearray | memoryview):
        data = bytes(raw)
        if len(data) > MAX_CREDENTIAL_BYTES:
            raise _too_large(len(data))
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Refusal("not-json", f"the input is not UTF-8 (byte {exc.start})",
                           f"UTF-8 のテキストではありません（{exc.start} バイト目）") from None
    if isinstance(raw, str):
        if len(raw) > MAX_CREDENTIAL_BYTES:
            # Each character is at least one byte: the length is enough to refuse.
            raise _too_large(len(raw))
        size = len(raw.encode("utf-8", "surrogatepass"))
        if size > MAX_CREDENTIAL_BYTES:
            raise _too_large(size)
        text = raw.strip().removeprefix("\ufeff").strip()
        if text.startswith(("{", "[")):
            _read_object(_loads(text), state)
        elif _JWS.fullmatch(text):
            _read_token(text, state)
        else:
            raise _Refusal("not-json",
                           "the input is neither a JSON credential nor a compact JWS (VC-JWT)",
                           "JSON の証明書でも JWS（VC-JWT）でもありません")
        return size
    if isinstance(raw, Mapping):
        try:
            text = json.dumps(raw, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except RecursionError:
            raise _Refusal(*_TOO_DEEP) from None
        except (TypeError, ValueError) as exc:
            raise _Refusal("not-json", f"the credential holds a value that is not JSON ({exc})",
                           "証明書に JSON ではない値が含まれています") from None
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_CREDENTIAL_BYTES:
            raise _too_large(size)
        # A private copy, made of plain JSON types: no step can change the caller's object,
        # and every step sees exactly what the bytes say.
        _read_object(_loads(text), state)
        return size
    raise _Refusal("not-an-object",
                   f"a credential is a JSON object or a JWS string, not {type(raw).__name__}",
                   "証明書は JSON オブジェクトか JWS 文字列でなければなりません")


def check_parse(state: VerificationState) -> Check:
    """``parse``: a JSON object (or a VC-JWT) under the size and depth limits, no repeated key."""
    try:
        size = _read(state.input, state)
    except _Refusal as refusal:
        return _refused("parse", refusal)
    return _passed("parse", f"read a {size:,}-byte credential ({state.format})",
                   f"{size:,} バイトの証明書を読み取りました（{state.format}）",
                   format=state.format, bytes=size)
