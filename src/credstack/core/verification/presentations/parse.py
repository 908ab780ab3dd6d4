"""The parse and data-model steps of a Verifiable Presentation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from credstack.core.types import is_absolute_url
from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal as _Refusal
from credstack.core.verification.checks import failed as _failed
from credstack.core.verification.checks import passed as _passed
from credstack.core.verification.checks import problem_dicts as _problems
from credstack.core.verification.checks import refused as _refused
from credstack.core.verification.json_values import items as _items
from credstack.core.verification.pipeline import MAX_DEPTH
from credstack.core.verification.presentations.seams import (
    ENVELOPED_VP_TYPE,
    MAX_PRESENTATION_BYTES,
    VC_V1_CONTEXT,
    VC_V2_CONTEXT,
    VP_TYPE,
    PresentationState,
    _unread,
)
from credstack.core.verification.report import Check, Notice
from credstack.errors import (
    Problem,
)


def _too_large(size: int) -> _Refusal:
    return _Refusal(
        "too-large",
        f"the presentation is {size:,} bytes; credstack reads at most "
        f"{MAX_PRESENTATION_BYTES:,}",
        f"プレゼンテーションが大きすぎます（{size:,} バイト。上限は "
        f"{MAX_PRESENTATION_BYTES:,} バイト）", bytes=size, limit=MAX_PRESENTATION_BYTES)


def _loads(text: str) -> Any:
    return json_values.strict_loads(text, "the presentation", "プレゼンテーション")


def _too_deep() -> _Refusal:
    return _Refusal("too-deep", f"the presentation is nested more than {MAX_DEPTH} levels deep",
                    f"プレゼンテーションの入れ子が深すぎます（上限 {MAX_DEPTH} 段）")


def _read(raw: object) -> tuple[dict[str, Any], int]:
    if isinstance(raw, bytes | bytearray | memoryview):
        data = bytes(raw)
        if len(data) > MAX_PRESENTATION_BYTES:
            raise _too_large(len(data))
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Refusal("not-json", f"the input is not UTF-8 (byte {exc.start})",
                           f"UTF-8 のテキストではありません（{exc.start} バイト目）") from None
    if isinstance(raw, Mapping):
        try:
            raw = json.dumps(raw, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except RecursionError:
            raise _too_deep() from None
        except (TypeError, ValueError) as exc:
            raise _Refusal("not-json", f"the presentation holds a value that is not JSON ({exc})",
                           "プレゼンテーションに JSON ではない値が含まれています") from None
    if not isinstance(raw, str):
        raise _Refusal("not-an-object",
                       f"a presentation is a JSON object, not {type(raw).__name__}",
                       "プレゼンテーションは JSON オブジェクトでなければなりません")
    if len(raw) > MAX_PRESENTATION_BYTES:
        raise _too_large(len(raw))
    size = len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_PRESENTATION_BYTES:
        raise _too_large(size)
    text = raw.strip().removeprefix("\ufeff").strip()
    if not text.startswith(("{", "[")):
        raise _Refusal("unsupported-format",
                       "the input is not a JSON presentation (a presentation secured as a JWT "
                       "is not supported)",
                       "JSON のプレゼンテーションではありません（JWT 形式には対応していません）")
    value = _loads(text)
    if not isinstance(value, dict):
        kind = "an array" if isinstance(value, list) else type(value).__name__
        raise _Refusal("not-an-object", f"a presentation is a JSON object, not {kind}",
                       "プレゼンテーションは JSON オブジェクトでなければなりません")
    return value, size


def check_parse(state: PresentationState) -> Check:
    """``parse``: one JSON object under the size and depth limits, no key repeated."""
    try:
        presentation, size = _read(state.input)
    except _Refusal as refusal:
        return _refused("parse", refusal)
    if ENVELOPED_VP_TYPE in (json_values.types(presentation.get("type")) or ()):
        return _failed("parse", "unsupported-envelope",
                       "an EnvelopedVerifiablePresentation (a presentation secured as a JWT or "
                       "with COSE) is not supported: send the presentation with a Data Integrity "
                       "proof",
                       "EnvelopedVerifiablePresentation（JWT・COSE で保護された提示）には対応して"
                       "いません。Data Integrity 証明付きのプレゼンテーションを送ってください")
    state.presentation = presentation
    return _passed("parse", f"read a {size:,}-byte presentation",
                   f"{size:,} バイトのプレゼンテーションを読み取りました", bytes=size)


def _context_problems(presentation: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """§4.3: an ordered set whose first item is the base context; the version it names."""
    if "@context" not in presentation:
        problems.append(Problem("@context", "is required"))
        return None
    context = presentation["@context"]
    items = _items(context)
    if not isinstance(context, list | str) or not items:
        problems.append(Problem("@context", "must be an ordered set of URLs and objects"))
        return None
    version = {VC_V2_CONTEXT: "2.0", VC_V1_CONTEXT: "1.1"}.get(items[0]) if isinstance(
        items[0], str) else None
    if version is None:
        problems.append(Problem("@context[0]", f"must be {VC_V2_CONTEXT!r} (VC Data Model 2.0), "
                                               f"not {items[0]!r}"))
    for index, item in enumerate(items[1:], 1):
        if isinstance(item, str):
            if not is_absolute_url(item):
                problems.append(Problem(f"@context[{index}]", f"{item!r} is not a URL"))
        elif not isinstance(item, Mapping):
            problems.append(Problem(f"@context[{index}]", "must be a URL or a context object"))
    return version


def check_data_model(state: PresentationState) -> Check:
    """``data-model``: §4.13's MUSTs — context, type, id, holder, the credentials' form."""
    presentation = state.presentation
    if presentation is None:
        return _unread("data-model")
    problems: list[Problem] = []
    notices: list[Notice] = []
    version = _context_problems(presentation, problems)
    if version == "1.1":
        notices.append(Notice("vc-data-model-1.1",
                              "a VC Data Model 1.1 presentation: read under the 1.1 rules",
                              "VC データモデル 1.1 のプレゼンテーションです"))
    if "id" in presentation and not is_absolute_url(presentation["id"]):
        problems.append(Problem("id", "must be a single URL"))
    types = json_values.types(presentation.get("type"))
    if "type" not in presentation:
        problems.append(Problem("type", "is required"))
    elif types is None:
        problems.append(Problem("type", "must be a string or an array of strings"))
    elif VP_TYPE not in types:
        problems.append(Problem("type", f"must include {VP_TYPE!r}"))
    if "holder" in presentation:
        holder = presentation["holder"]
        if isinstance(holder, Mapping):
            if not is_absolute_url(holder.get("id")):
                problems.append(Problem("holder.id", "must be a URL"))
        elif not is_absolute_url(holder):
            problems.append(Problem("holder", "must be a URL or an object with a URL id"))
    if "verifiableCredential" in presentation:
        value = presentation["verifiableCredential"]
        for index, item in enumerate(_items(value)):
            where = (f"verifiableCredential[{index}]" if isinstance(value, list)
                     else "verifiableCredential")
            if not isinstance(item, Mapping):
                problems.append(Problem(where, "must be a credential object (not a string, "
                                               "number or URL)"))
    if problems:
        count = len(problems)
        locations = "、".join(dict.fromkeys(p.location for p in problems))
        return Check("data-model", False,
                     f"the presentation breaks {count} rule{'s' if count != 1 else ''} of the "
                     f"data model; {problems[0]}",
                     f"データモデルの規則に {count} 件違反しています（{locations}）",
                     {"problems": _problems(problems)}, code="data-model",
                     warnings=tuple(notices))
    return _passed("data-model", f"a well-formed VC Data Model {version} presentation",
                   f"VC データモデル {version} のプレゼンテーションとして適合しています",
                   warnings=notices, version=version, types=list(types or ()))
