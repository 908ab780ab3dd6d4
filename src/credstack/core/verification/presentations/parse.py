"""The parse and data-model steps of a Verifiable Presentation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal, failed, passed, refused
from credstack.core.verification.data_model import document_problems, party_problems, rules_broken
from credstack.core.verification.json_values import items
from credstack.core.verification.presentations.seams import (
    ENVELOPED_VP_TYPE,
    VP_TYPE,
    PresentationState,
)
from credstack.core.verification.reading import loads, not_an_object, text_of, unread
from credstack.core.verification.report import Check, Notice
from credstack.errors import Problem

__all__ = ["check_data_model", "check_parse"]


def _read(raw: object, state: PresentationState) -> tuple[dict[str, Any], int]:
    text, size = text_of(raw, state.subject)
    if not text.startswith(("{", "[")):
        raise Refusal("unsupported-format",
                      "the input is not a JSON presentation (a presentation secured as a JWT "
                      "is not supported)",
                      "JSON のプレゼンテーションではありません（JWT 形式には対応していません）")
    value = loads(text, state.subject)
    if not isinstance(value, dict):
        raise not_an_object(value, state.subject)
    return value, size


def check_parse(state: PresentationState) -> Check:
    """``parse``: one JSON object under the size and depth limits, no key repeated."""
    try:
        presentation, size = _read(state.input, state)
    except Refusal as refusal:
        return refused("parse", refusal)
    if ENVELOPED_VP_TYPE in (json_values.types(presentation.get("type")) or ()):
        return failed("parse", "unsupported-envelope",
                      "an EnvelopedVerifiablePresentation (a presentation secured as a JWT or "
                      "with COSE) is not supported: send the presentation with a Data Integrity "
                      "proof",
                      "EnvelopedVerifiablePresentation（JWT・COSE で保護された提示）には対応して"
                      "いません。Data Integrity 証明付きのプレゼンテーションを送ってください")
    state.presentation = presentation
    return passed("parse", f"read a {size:,}-byte presentation",
                  f"{size:,} バイトのプレゼンテーションを読み取りました", bytes=size)


def check_data_model(state: PresentationState) -> Check:
    """``data-model``: §4.13's MUSTs — context, type, id, holder, the credentials' form."""
    presentation = state.presentation
    if presentation is None:
        return unread("data-model", state.subject)
    problems: list[Problem] = []
    notices: list[Notice] = []
    version = document_problems(presentation, VP_TYPE, problems)
    if version == "1.1":
        notices.append(Notice("vc-data-model-1.1",
                              "a VC Data Model 1.1 presentation: read under the 1.1 rules",
                              "VC データモデル 1.1 のプレゼンテーションです"))
    if "holder" in presentation:
        party_problems(presentation["holder"], "holder", problems)
    if "verifiableCredential" in presentation:
        value = presentation["verifiableCredential"]
        for index, item in enumerate(items(value)):
            where = (f"verifiableCredential[{index}]" if isinstance(value, list)
                     else "verifiableCredential")
            if not isinstance(item, Mapping):
                problems.append(Problem(where, "must be a credential object (not a string, "
                                               "number or URL)"))
    if problems:
        return rules_broken(problems, what="the presentation", rules_en="the data model",
                            rules_ja="データモデル", warnings=notices)
    types = json_values.types(presentation.get("type"))
    return passed("data-model", f"a well-formed VC Data Model {version} presentation",
                  f"VC データモデル {version} のプレゼンテーションとして適合しています",
                  warnings=notices, version=version, types=list(types or ()))
