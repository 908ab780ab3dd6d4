"""A programme as an Open Badges 3.0 ``Achievement``, and its descriptors read back from one.

Specification: *Open Badges Specification v3.0*, 1EdTech Consortium, Final Release of
27 May 2024 (read with the errata up to document version 1.2, 23 December 2024),
https://www.imsglobal.org/spec/ob/v3p0/ — the ``Achievement`` class (§ B.1.1).

An achievement says what is awarded, as the descriptors do; a credential awards it to one
learner. So the achievement lives here, beside the programme's other exchange form, CTDL
(:mod:`credstack.core.descriptors.ctdl`): the interchange reads and writes both forms, and
the credentials built on the descriptors
(:mod:`credstack.core.credentials.openbadges_v3`, whose docstring tables the mapping of
descriptors to the standard's fields) build on this module in turn. The descriptors the
standard has no field for travel in the ``microCredential`` extension, in camelCase.

Pure: no clock, no network, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Final

from credstack.core import vocabularies
from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import CreditAmount, CreditSystem, Programme
from credstack.core.types import MultilingualText, json_number
from credstack.errors import InputError, Problem

#: The achievement property and the type of the object that carries the descriptors.
EXTENSION_PROPERTY: Final = "microCredential"
#: Alignment target types a descriptor skill states (others read back as untyped skills).
_SKILL_TARGET_TYPES: Final = frozenset({"CFItem", "ceasn:Competency"})


EXTENSION_TYPE: Final = "MicroCredentialDescriptors"


_FALLBACK_LANGUAGES = ("en", "ja")


#: "Undetermined" (BCP 47): the language of a text read from a foreign credential.
_UNDETERMINED = "und"


#: The credit system native to an issuer's country, preferred for ``creditsAvailable``.
_NATIVE_CREDIT_SYSTEM: Final = {
    "JP": CreditSystem.JP_TANI,
    "MY": CreditSystem.MY_CREDIT,
    "NZ": CreditSystem.NZ_CREDIT,
    "US": CreditSystem.US_CREDIT_HOUR,
}


#: ``inLanguage`` as the OB 3.0 formal schema accepts it (language, script, region).
_OB_LANGUAGE_CODE = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


#: The descriptor texts that are language maps (``{"ja": …, "en": …}``), by model field.
_LANGUAGE_MAPS: Final = frozenset({
    "title", "description", "statement", "name", "grading", "body", "prerequisites",
    "inherent_requirements", "financial_assistance", "text",
})


#: Headings and labels of the criteria narrative, by language (English for the others).
_WORDS: Final[dict[str, dict[str, str]]] = {
    language: dict(vocabularies.names("achievement-phrase", language))
    for language in ("ja", "en")}


def _words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["en"])


def _text(text: MultilingualText, language: str) -> str:
    return text.text(language, *_FALLBACK_LANGUAGES)


def _ob_language_code(tag: str) -> str | None:
    """``tag`` with BCP 47 letter case (``zh-hant-tw`` → ``zh-Hant-TW``) if OB accepts it."""
    parts = tag.split("-")
    cased = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            cased.append(part.title())
        elif len(part) == 2 and part.isalpha():
            cased.append(part.upper())
        else:
            cased.append(part.lower())
    code = "-".join(cased)
    return code if _OB_LANGUAGE_CODE.match(code) else None


def _sub_id(base: str, name: str) -> str:
    """An identifier for a part of the achievement: ``<achievement id>#<name>``."""
    return f"{base}{'-' if '#' in base else '#'}{name}"


def _require_uri(value: str, name: str) -> None:
    if not _URI.match(value):
        raise InputError(f"{name} is not a URI",
                         problems=[Problem(name, f"{value!r} is not an absolute URI")])


# --- building ----------------------------------------------------------------------------


def achievement_type(programme: Programme) -> str:
    """``MicroCredential`` when learning outcomes are assessed, else ``Badge``."""
    return "MicroCredential" if programme.assesses_learning else "Badge"


def _credits_available(programme: Programme) -> CreditAmount | None:
    effort = programme.learner_effort
    if effort is None or not effort.credits:
        return None
    region = programme.issuer_region
    native = _NATIVE_CREDIT_SYSTEM.get(region.country) if region is not None else None
    for amount in effort.credits:
        if amount.system is native:
            return amount
    return effort.credits[0]


def _narrative(programme: Programme, language: str) -> str:
    words = _words(language)
    sections: list[str] = []
    if programme.learning_outcomes:
        lines = [f"## {words['outcomes']}", ""]
        lines += [f"- {_text(o.statement, language)}" for o in programme.learning_outcomes]
        sections.append("\n".join(lines))
    assessment = programme.assessment
    if assessment is not None:
        methods = words["list"].join(
            label(method, language) for method in assessment.methods
        )
        lines = [f"## {words['assessment']}", "", methods]
        if assessment.description is not None:
            lines += ["", _text(assessment.description, language)]
        if assessment.supervision is not None:
            supervision = label(assessment.supervision, language)
            lines += ["", f"{words['supervision']}{words['colon']}{supervision}"]
        if assessment.grading is not None:
            grading = _text(assessment.grading, language)
            lines += ["", f"{words['grading']}{words['colon']}{grading}"]
        sections.append("\n".join(lines))
    if not sections:
        sections.append(words["completion"])
    return "\n\n".join(sections)


def _alignments(programme: Programme, language: str) -> list[dict[str, Any]]:
    alignments: list[dict[str, Any]] = []
    for skill in programme.skills:
        if skill.url is None:
            continue
        alignment: dict[str, Any] = {
            "type": ["Alignment"],
            "targetName": _text(skill.name, language),
            "targetType": skill.type.value if skill.type is not None else "ext:Skill",
            "targetUrl": str(skill.url),
        }
        if skill.framework is not None:
            alignment["targetFramework"] = skill.framework
        if skill.code is not None:
            alignment["targetCode"] = skill.code
        alignments.append(alignment)
    return alignments


def _to_extension(value: Any, key: str | None = None) -> Any:
    """A descriptor value with camelCase keys; language maps are copied as they are."""
    if key in _LANGUAGE_MAPS:
        return value
    if isinstance(value, dict):
        return {_camel(k): _to_extension(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_extension(item) for item in value]
    return value


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


_WORD_START: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=4096)
def _snake(key: str) -> str:
    # Remembered: every credential read repeats the same few dozen keys.
    return _WORD_START.sub("_", key).lower()


def _extension(programme: Programme, credits: CreditAmount | None) -> dict[str, Any]:
    document = programme.to_document()
    # The code travels as the standard's humanCode; the awarding body's credstack id is a
    # slug, not an IRI, so it must not sit under the JSON-LD keyword alias "id".
    document.pop("code", None)
    # A skill's target type travels as its alignment's targetType; in the extension "type"
    # would be the JSON-LD keyword alias @type.
    if "skills" in document:
        document["skills"] = [{k: v for k, v in skill.items() if k != "type"}
                              for skill in document["skills"]]
    if "awarding_body" in document:
        body = dict(document["awarding_body"])
        document["awarding_body"] = {"slug": body.pop("id"), **body}
    extension: dict[str, Any] = {"type": EXTENSION_TYPE, **_to_extension(document)}
    if credits is not None:
        extension["creditsAvailableSystem"] = credits.system.value
    return extension


def build_achievement(
    *,
    programme: Programme,
    achievement_id: str,
    creator_id: str | None = None,
    language: str = "ja",
) -> dict[str, Any]:
    """The OB 3.0 ``Achievement`` of a programme version, descriptors included.

    ``achievement_id`` is the stable URL of this programme version's achievement;
    ``creator_id`` the ``Profile`` id of the awarding body (without it, no ``creator`` is
    written: a profile needs an id, and the awarding body's slug is not one).
    """
    _require_uri(achievement_id, "achievement_id")
    title = programme.title
    description = programme.description
    problems = [
        Problem(name, "needed: an OB 3.0 achievement has a name and a description")
        for name, value in (("title", title), ("description", description))
        if value is None
    ]
    if problems or title is None or description is None:
        raise InputError(f"programme {programme.code} cannot become an achievement",
                         problems=problems)
    credits = _credits_available(programme)
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": achievement_type(programme),
        "name": _text(title, language),
        "description": _text(description, language),
        "criteria": {"narrative": _narrative(programme, language)},
        "humanCode": programme.code,
    }
    if credits is not None:
        achievement["creditsAvailable"] = json_number(credits.value)
    in_language = next(
        (code for code in map(_ob_language_code, programme.languages) if code), None
    )
    if in_language is not None:
        achievement["inLanguage"] = in_language
    if programme.fields:
        labels = [label(field, language) for field in programme.fields]
        achievement["fieldOfStudy"] = labels[0]
        achievement["tag"] = labels
    alignments = _alignments(programme, language)
    if alignments:
        achievement["alignment"] = alignments
    assessment = programme.assessment
    if assessment is not None and assessment.grading is not None:
        achievement["resultDescription"] = [{
            "id": _sub_id(achievement_id, "grading"),
            "type": ["ResultDescription"],
            "name": _text(assessment.grading, language),
            "resultType": "Result",
        }]
    body = programme.awarding_body
    if body is not None and creator_id is not None:
        creator: dict[str, Any] = {
            "id": creator_id,
            "type": ["Profile"],
            "name": _text(body.name, language),
        }
        if body.url is not None:
            creator["url"] = str(body.url)
        achievement["creator"] = creator
    achievement[EXTENSION_PROPERTY] = _extension(programme, credits)
    return achievement


# --- reading -----------------------------------------------------------------------------


def _from_extension(value: Any, key: str | None = None) -> Any:
    """The inverse of :func:`_to_extension`, dropping JSON-LD ``id``/``type`` members."""
    if key in _LANGUAGE_MAPS:
        return value
    if isinstance(value, dict):
        return {
            _snake(k): _from_extension(v, _snake(k))
            for k, v in value.items()
            if k not in {"id", "type", "@id", "@type"}
        }
    if isinstance(value, list):
        return [_from_extension(item) for item in value]
    return value


def descriptors_from_achievement(achievement: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptor document an OB 3.0 ``Achievement`` states, for ``Programme``.

    From a credstack achievement this is the programme's whole descriptor document. From a
    foreign one without the extension, only what the standard's own fields say: the code
    (``humanCode``), the title and description (language undetermined, ``und``), the
    language and the skills aligned by URL. The result is not validated here: pass it to
    :meth:`Programme.model_validate` (or the framework validation) to judge it.
    """
    document: dict[str, Any] = {}
    code = achievement.get("humanCode")
    if isinstance(code, str):
        document["code"] = code
    extension = achievement.get(EXTENSION_PROPERTY)
    if isinstance(extension, Mapping):
        descriptors = _from_extension(dict(extension))
        descriptors.pop("credits_available_system", None)
        if isinstance(descriptors.get("awarding_body"), dict):
            body = descriptors["awarding_body"]
            if "slug" in body:
                descriptors["awarding_body"] = {"id": body.pop("slug"), **body}
        document.update(descriptors)
    for field, name in (("title", "name"), ("description", "description")):
        if field not in document and isinstance(achievement.get(name), str):
            document[field] = {_UNDETERMINED: achievement[name]}
    if "languages" not in document and isinstance(achievement.get("inLanguage"), str):
        document["languages"] = [achievement["inLanguage"]]
    if "skills" not in document:
        skills = [
            {
                "name": {_UNDETERMINED: alignment["targetName"]},
                "url": alignment["targetUrl"],
                **({"framework": alignment["targetFramework"]}
                   if "targetFramework" in alignment else {}),
                **({"code": alignment["targetCode"]} if "targetCode" in alignment else {}),
                **({"type": alignment["targetType"]}
                   if alignment.get("targetType") in _SKILL_TARGET_TYPES else {}),
            }
            for alignment in achievement.get("alignment") or ()
            if isinstance(alignment, Mapping)
            and isinstance(alignment.get("targetName"), str)
            and isinstance(alignment.get("targetUrl"), str)
        ]
        if skills:
            document["skills"] = skills
    return document
