"""The data-model and open-badges steps: the W3C VC Data Model's rules, then Open Badges 3.0's.

``data-model`` (authenticity) keeps the VC Data Model's MUSTs, whose breach changes what the
credential is or what its signature covers: it fails the verdict. ``open-badges``
(conformance) checks the shape an Open Badges 3.0 credential must have by the 1EdTech
specification and JSON Schema: a finding there is a warning, or an error under the ``strict``
policy (see :mod:`credstack.core.verification.report`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.core.said import Said
from credstack.core.verification import json_values
from credstack.core.verification.checks import conformance, passed
from credstack.core.verification.data_model import credential_problems, rules_broken
from credstack.core.verification.data_model import version as context_version
from credstack.core.verification.json_values import items
from credstack.core.verification.pipeline.seams import VerificationState
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice
from credstack.errors import Problem

__all__ = ["check_data_model", "check_open_badges"]

_OB_CONTEXT = re.compile(
    r"https://purl\.imsglobal\.org/spec/ob/v3p0/context(?:-3\.\d+\.\d+)?\.json")
_OB_TYPES: Final = frozenset({"OpenBadgeCredential", "AchievementCredential"})
#: Credential types that use the OB context legitimately without being an OpenBadgeCredential.
_OB_FAMILY: Final = _OB_TYPES | {"EndorsementCredential", "ClrCredential"}


@dataclass(frozen=True, slots=True)
class _Shape:
    """An Open Badges 3.0 class: its required properties and the classes of its links."""

    required: tuple[str, ...] = ()
    links: Mapping[str, str] = field(default_factory=dict)
    typed: bool = True


#: From the 1EdTech OB 3.0 JSON Schema (``ob_v3p0_achievementcredential_schema.json``): each
#: class's ``required`` list and the class each linking property must hold.
_OB_SHAPES: Final[Mapping[str, _Shape]] = {
    "Profile": _Shape(("id", "type"), {
        "otherIdentifier": "IdentifierEntry", "parentOrg": "Profile", "image": "Image",
        "address": "Address", "endorsement": "EndorsementCredential"}),
    "AchievementSubject": _Shape(("type", "achievement"), {
        "achievement": "Achievement", "identifier": "IdentityObject", "result": "Result",
        "source": "Profile", "image": "Image"}),
    "Achievement": _Shape(("id", "type", "criteria", "description", "name"), {
        "criteria": "Criteria", "alignment": "Alignment", "creator": "Profile",
        "resultDescription": "ResultDescription", "image": "Image",
        "otherIdentifier": "IdentifierEntry", "related": "Related",
        "endorsement": "EndorsementCredential"}),
    "Criteria": _Shape(typed=False),
    "IdentityObject": _Shape(("type", "hashed", "identityHash", "identityType")),
    "Result": _Shape(("type",), {"alignment": "Alignment"}),
    "ResultDescription": _Shape(("id", "type", "name", "resultType"), {
        "alignment": "Alignment", "rubricCriterionLevel": "RubricCriterionLevel"}),
    "RubricCriterionLevel": _Shape(("id", "type", "name"), {"alignment": "Alignment"}),
    "Alignment": _Shape(("type", "targetName", "targetUrl")),
    "IdentifierEntry": _Shape(("type", "identifier", "identifierType")),
    "Evidence": _Shape(("type",)),
    "Image": _Shape(("id", "type")),
    "Address": _Shape(("type",), {"geo": "GeoCoordinates"}),
    "GeoCoordinates": _Shape(("type", "latitude", "longitude")),
    "Related": _Shape(("id", "type")),
    "EndorsementCredential": _Shape(("type",)),
}


def _ob3(problems: list[Problem], location: str, said: str, **params: Any) -> None:
    """Add a problem of the Open Badges 3.0 shape at ``location``, what is wrong said as the
    message ``verification.data_model.ob3.<said>`` with ``params``."""
    problems.append(Problem(location, code=f"verification.data_model.ob3.{said}",
                            params=params))


def _an(name: str) -> str:
    """``_an`` after a key whose English says "an" before the class ``name`` ("an Image
    object"), else nothing ("a Profile object")."""
    return "_an" if name[0] in "AEIOU" else ""


def _shape(node: Any, name: str, where: str, problems: list[Problem]) -> None:
    shape = _OB_SHAPES[name]
    if not isinstance(node, Mapping):
        _ob3(problems, where, f"object{_an(name)}", name=name)
        return
    if shape.typed and "type" in node and name not in (json_values.types(node["type"]) or ()):
        _ob3(problems, f"{where}.type", "type", name=repr(name), found=repr(node["type"]))
    for required in shape.required:
        if required not in node:
            _ob3(problems, f"{where}.{required}", f"required{_an(name)}", name=name)
    for link, target in shape.links.items():
        if link not in node:
            continue
        value = node[link]
        if isinstance(value, list):
            for index, item in enumerate(value):
                _shape(item, target, f"{where}.{link}[{index}]", problems)
        else:
            _shape(value, target, f"{where}.{link}", problems)


def _is_open_badge(credential: Mapping[str, Any]) -> bool:
    """Whether the Open Badges rules apply: an Open Badges type, or the Open Badges context."""
    types = set(json_values.types(credential.get("type")) or ())
    contexts = [item for item in items(credential.get("@context")) if isinstance(item, str)]
    return bool(types & _OB_TYPES) or any(_OB_CONTEXT.fullmatch(item) for item in contexts)


def _open_badges_problems(credential: Mapping[str, Any], problems: list[Problem]) -> None:
    """Open Badges 3.0 §5 and the JSON Schema's shape of an OpenBadgeCredential."""
    types = set(json_values.types(credential.get("type")) or ())
    contexts = [item for item in items(credential.get("@context")) if isinstance(item, str)]
    has_ob_context = any(_OB_CONTEXT.fullmatch(item) for item in contexts)
    if has_ob_context and not types & _OB_FAMILY:
        _ob3(problems, "type", "type_in_context")
        return
    if not types & _OB_TYPES:
        return
    if not has_ob_context:
        _ob3(problems, "@context", "context",
             context="https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")
    if "id" not in credential:
        _ob3(problems, "id", "required_in_credential")
    if context_version(credential) == "2.0" and "validFrom" not in credential:
        _ob3(problems, "validFrom", "required_in_credential")
    issuer = credential.get("issuer")
    if issuer is not None:
        if isinstance(issuer, Mapping):
            _shape(issuer, "Profile", "issuer", problems)
        else:
            _ob3(problems, "issuer", "issuer_profile")
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping):
        _shape(subject, "AchievementSubject", "credentialSubject", problems)
        if "id" not in subject and "identifier" not in subject:
            _ob3(problems, "credentialSubject", "subject_identified")
    elif subject is not None:
        _ob3(problems, "credentialSubject", "one_subject")
    for name, target in (("evidence", "Evidence"), ("image", "Image"),
                         ("endorsement", "EndorsementCredential")):
        if name in credential:
            value = credential[name]
            for index, item in enumerate(items(value)):
                where = f"{name}[{index}]" if isinstance(value, list) else name
                _shape(item, target, where, problems)


def check_data_model(state: VerificationState) -> Check:
    """``data-model``: the VC Data Model's MUSTs (what the credential is, what was signed)."""
    credential = state.credential
    if credential is None:
        return unread("data-model", state.subject)
    problems: list[Problem] = []
    notices: list[Notice] = []
    version = credential_problems(credential, problems, notices,
                                  read_resource=state.read_resource) or "unknown"
    if problems:
        return rules_broken(problems, rules="credential", warnings=notices, version=version)
    types = list(json_values.types(credential.get("type")) or ())
    return passed("data-model", Said("verification.check.data_model.credential",
                                     version=version, types=", ".join(types)),
                  warnings=notices, version=version, types=types)


def check_open_badges(state: VerificationState) -> Check | None:
    """``open-badges`` (conformance): the shape of an Open Badges 3.0 credential.

    Does not apply (``None``) to a credential with neither an Open Badges type nor the Open
    Badges context.
    """
    credential = state.credential
    if credential is None:
        return conformance(unread("open-badges", state.subject))
    if not _is_open_badge(credential):
        return None
    problems: list[Problem] = []
    _open_badges_problems(credential, problems)
    if problems:
        return conformance(rules_broken(problems, rules="ob3", check="open-badges"))
    return conformance(passed("open-badges", Said("verification.check.open_badges.kept")))
