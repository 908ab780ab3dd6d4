"""A programme version as an Open Badges 3.0 Achievement, every descriptor in its
microCredential extension."""

from __future__ import annotations

import re
from typing import Any

from credstack.core.credentials.openbadges_v3.profile import (
    _LANGUAGE_MAPS,
    _NATIVE_CREDIT_SYSTEM,
    EXTENSION_PROPERTY,
    EXTENSION_TYPE,
    _number,
    _ob_language_code,
    _require_uri,
    _sub_id,
    _text,
    _words,
)
from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import (
    CreditAmount,
    Programme,
)
from credstack.errors import InputError, Problem


def achievement_type(programme: Programme) -> str:
    """``MicroCredential`` when learning outcomes are assessed, else ``Badge``."""
    assessment = programme.assessment
    if assessment is None or assessment.participation_only:
        return "Badge"
    return "MicroCredential"


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
            "targetType": "ext:Skill",
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


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key).lower()


def _extension(programme: Programme, credits: CreditAmount | None) -> dict[str, Any]:
    document = programme.to_document()
    # The code travels as the standard's humanCode; the awarding body's credstack id is a
    # slug, not an IRI, so it must not sit under the JSON-LD keyword alias "id".
    document.pop("code", None)
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
        achievement["creditsAvailable"] = _number(credits.value)
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
