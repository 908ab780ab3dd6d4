"""The European Learning Model's names: the URIs, types and concept schemes credstack reads.

Specification: *European Learning Model (ELM) v3*, European Commission, DG EMPL — ontology
3.1.0 and the EDC application profile (``http://data.europa.eu/snb/model/ap/edc-generic-full``)
— https://europa.eu/europass/elm-browser/ and https://github.com/european-commission-empl/
European-Learning-Model (archived 2024-02; now on code.europa.eu and EU Vocabularies).

ELM writes every classification as a SKOS ``Concept`` whose ``id`` is a URI of an EU
vocabulary: the EQF level ``http://data.europa.eu/snb/eqf/6``, the ISCED-F field
``http://data.europa.eu/snb/isced-f/0688``, the credit framework
``http://data.europa.eu/snb/education-credit/6fcec5c5af`` (ECTS), an ESCO skill
``http://data.europa.eu/esco/skill/<uuid>``. The helpers here read those URIs and ELM's
language maps (``{"en": "…"}``, or ``{"en": ["…"]}`` in ELM 3.2) without any I/O.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

__all__ = [
    "CONTEXT_URL",
    "CREDENTIAL_TYPE",
    "ECTS_FRAMEWORK",
    "ELM_NAMESPACE",
    "ENVELOPES",
    "EQF_PREFIX",
    "ESCO_SKILL_PREFIX",
    "ISCED_F_PREFIX",
    "SHAPES_PREFIX",
    "concept_id",
    "envelope_of",
    "eqf_level",
    "is_edc",
    "is_sealed",
    "isced_f_code",
    "text_in",
    "types_of",
]

#: The EDC application profile's JSON-LD context, as every EDC names it.
CONTEXT_URL: Final = "http://data.europa.eu/snb/model/context/edc-ap"
#: The ELM ontology's namespace.
ELM_NAMESPACE: Final = "http://data.europa.eu/snb/model/elm/"
#: The ``type`` every European Digital Credential has beside ``VerifiableCredential``.
CREDENTIAL_TYPE: Final = "EuropeanDigitalCredential"
#: The application profiles (SHACL shapes) a credential names in ``credentialSchema``.
SHAPES_PREFIX: Final = "http://data.europa.eu/snb/model/ap/"
#: The European Credit Transfer and Accumulation System, as ELM's credit frameworks name it.
ECTS_FRAMEWORK: Final = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
EQF_PREFIX: Final = "http://data.europa.eu/snb/eqf/"
ISCED_F_PREFIX: Final = "http://data.europa.eu/snb/isced-f/"
ESCO_SKILL_PREFIX: Final = "http://data.europa.eu/esco/skill/"

#: The two envelopes an EDC comes in, each with what marks it and the message key naming it:
#: the European Commission's ELM 3.1 (the VC Data Model 1.1 context before the EDC-AP one, as
#: its sealed samples and its EDC Issuer write) and EBSI's ELM 3.2 (the VC Data Model 2.0
#: context first, ``VerifiableAttestation``, EBSI's EDC JSON Schema). ``unknown``: neither.
ENVELOPES: Final[Mapping[str, str]] = {
    "elm-3.1": "verification.check.elm.envelope.elm_3_1",
    "elm-3.2": "verification.check.elm.envelope.elm_3_2",
    "unknown": "verification.check.elm.envelope.unknown",
}
_VC1: Final = "https://www.w3.org/2018/credentials/v1"
_VC2: Final = "https://www.w3.org/ns/credentials/v2"

_EQF: Final = re.compile(r"http://data\.europa\.eu/snb/eqf/([1-8])")
_ISCED_F: Final = re.compile(r"http://data\.europa\.eu/snb/isced-f/(\d{2,4})")


def envelope_of(credential: Mapping[str, Any]) -> str:
    """Which envelope (a key of :data:`ENVELOPES`) an EDC comes in, by its first context: the
    VC Data Model's version is what the two envelopes differ in first."""
    contexts = credential.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first == _VC1:
        return "elm-3.1"
    if first == _VC2:
        return "elm-3.2"
    return "unknown"


def concept_id(value: object) -> str | None:
    """The URI of a concept written inline (``{"id": …, "type": "Concept"}``) or as a string."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def eqf_level(value: object) -> int | None:
    """The EQF level (1–8) of an ``eqfLevel`` concept, or ``None`` when it names none."""
    match = _EQF.fullmatch(concept_id(value) or "")
    return int(match.group(1)) if match else None


def isced_f_code(value: object) -> str | None:
    """The ISCED-F 2013 code (``0688``) of a ``thematicArea`` concept, or ``None``."""
    match = _ISCED_F.fullmatch(concept_id(value) or "")
    return match.group(1) if match else None


def _first_text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return next((text for item in value if (text := _first_text(item))), None)
    return None


def text_in(value: Any, language: str, *, fallback: Sequence[str] = ("en",)) -> str | None:
    """The text of an ELM language map in ``language``, else in a ``fallback`` language, else
    in any language; a plain string as it is. ELM 3.1 maps a language to a string, ELM 3.2 to
    a list of strings (the first is taken)."""
    if not isinstance(value, Mapping):
        return _first_text(value)
    for wanted in (language, *fallback):
        if (text := _first_text(value.get(wanted))) is not None:
            return text
    return next((text for item in value.values() if (text := _first_text(item))), None)


def types_of(value: object) -> list[str]:
    """The ``type`` names of a JSON-LD node (none for anything else)."""
    kinds = value.get("type") if isinstance(value, Mapping) else None
    return [kind for kind in (kinds if isinstance(kinds, list) else [kinds])
            if isinstance(kind, str)]


def is_sealed(document: object) -> bool:
    """Whether ``document`` has the shape of a JWS JSON serialisation (a seal, read by
    :mod:`credstack.core.elm.jades`)."""
    return isinstance(document, Mapping) and "payload" in document and (
        "signatures" in document or "signature" in document)


def is_edc(value: object) -> bool:
    """Whether ``value`` is an EDC: sealed (the payload says so), unsealed, or wrapped (the
    EDC Issuer's upload file). It reads the shape alone, so that a verifier tells an EDC from
    other credentials without loading what verifies one (:mod:`credstack.core.verification.elm`)."""
    if is_sealed(value):
        assert isinstance(value, Mapping)
        payload = value.get("payload")
        if not isinstance(payload, str):
            return False
        if f'"{CREDENTIAL_TYPE}"' in payload:
            return True
        # A seal with ``b64: true`` is still an EDC (refused when read): its payload encoded.
        try:
            decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        except (binascii.Error, ValueError):
            return False
        return f'"{CREDENTIAL_TYPE}"'.encode() in decoded
    if isinstance(value, Mapping) and "credential" in value and "@context" not in value:
        return is_edc(value["credential"])
    return CREDENTIAL_TYPE in types_of(value)
