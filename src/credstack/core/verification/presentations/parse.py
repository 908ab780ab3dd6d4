"""The parse and data-model steps of a Verifiable Presentation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose
from credstack.core.said import Said
from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal, passed, refused
from credstack.core.verification.data_model import document_problems, party_problems, rules_broken
from credstack.core.verification.json_values import items
from credstack.core.verification.presentations.envelope import (
    VP_DATA_URLS,
    read_envelope,
    read_presentation_cose,
    read_presentation_jwt,
    read_presentation_sd_jwt,
)
from credstack.core.verification.presentations.seams import (
    ENVELOPED_VP_TYPE,
    VP_TYPE,
    PresentationState,
)
from credstack.core.verification.reading import loads, not_an_object, text_of, unread
from credstack.core.verification.report import Check, Notice
from credstack.errors import Problem

__all__ = ["check_data_model", "check_parse"]

#: A compact JWS: three base64url parts (the signature may be empty: ``alg: none``).
_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def _read(raw: object, state: PresentationState) -> tuple[dict[str, Any], int]:
    if isinstance(raw, bytes) and vc_cose.is_cose(raw):
        return read_presentation_cose(raw, state), len(raw)
    text, size = text_of(raw, state.subject)
    if not text.startswith(("{", "[")):
        if sd_jwt.is_sd_jwt(text):
            return read_presentation_sd_jwt(text, state), size
        if _JWS.fullmatch(text) is None:
            raise Refusal("unsupported-format",
                          Said("verification.check.presentation.parse.unknown_form"))
        return read_presentation_jwt(text, state), size
    value = loads(text, state.subject)
    if not isinstance(value, dict):
        raise not_an_object(value, state.subject)
    if ENVELOPED_VP_TYPE in (json_values.types(value.get("type")) or ()):
        return read_envelope(value, state), size
    identifier = value.get("id")
    if isinstance(identifier, str) and identifier.startswith(VP_DATA_URLS):
        # VC Data Model 2.0 §4.13.2: what carries a secured presentation in its id is an
        # EnvelopedVerifiablePresentation; read otherwise, its presentation would go unchecked.
        raise Refusal("unsupported-envelope",
                      Said("verification.check.presentation.parse.not_enveloped"))
    return value, size


def check_parse(state: PresentationState) -> Check:
    """``parse``: one JSON object under the size and depth limits, no key repeated — or a
    presentation secured as a JWT, enveloped or not (:mod:`.envelope`)."""
    try:
        presentation, size = _read(state.input, state)
    except Refusal as refusal:
        return refused("parse", refusal)
    state.presentation = presentation
    form = state.secured or "json-ld"
    return passed("parse", Said("verification.check.presentation.parse.read", size=size,
                                format=form), bytes=size, format=form)


def check_data_model(state: PresentationState) -> Check:
    """``data-model``: §4.13's MUSTs — context, type, id, holder, the credentials' form."""
    presentation = state.presentation
    if presentation is None:
        return unread("data-model", state.subject)
    problems: list[Problem] = []
    notices: list[Notice] = []
    version = document_problems(presentation, VP_TYPE, problems)
    if version == "1.1":
        notices.append(Notice("vc-data-model-1.1", said=Said(
            "verification.data_model.notice.vc_1_1_presentation")))
    if "holder" in presentation:
        party_problems(presentation["holder"], "holder", problems)
    if "verifiableCredential" in presentation:
        value = presentation["verifiableCredential"]
        for index, item in enumerate(items(value)):
            where = (f"verifiableCredential[{index}]" if isinstance(value, list)
                     else "verifiableCredential")
            if not isinstance(item, Mapping):
                problems.append(Problem(
                    where, code="verification.data_model.presentation_credential"))
    if problems:
        return rules_broken(problems, rules="presentation", warnings=notices)
    types = json_values.types(presentation.get("type"))
    return passed("data-model", Said("verification.check.data_model.presentation",
                                     version=version),
                  warnings=notices, version=version, types=list(types or ()))
