"""The skills a credential states: its descriptors' and its Open Badges alignments.

Read by the verification page's comparison (:mod:`.comparison`) and by the learner's record
(:mod:`credstack.core.wallet.entries`), where the record adds them up (issue 17). A skill
keeps its URL when it gives one: a framework item's URI, which credstack's skill facet,
employers' matches and the credit bank's skill rules recognise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["Skill", "achievements_of", "body_of", "skills_of", "texts_of", "url_of"]

_UNDETERMINED: Final = "und"


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill or an alignment the credential states: its name by language, and where it is
    defined (a URL, a framework's name) when it says."""

    name: Mapping[str, str]
    url: str | None = None
    framework: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": dict(self.name), "url": self.url, "framework": self.framework}


def skills_of(descriptors: Mapping[str, Any], document: Mapping[str, Any] | None
              ) -> tuple[Skill, ...]:
    """The descriptors' skills, then the achievement's Open Badges alignments (each once)."""
    skills: list[Skill] = []
    seen: set[str] = set()
    for item in descriptors.get("skills") or ():
        if not isinstance(item, Mapping):
            continue
        name = texts_of(item.get("name"))
        if name:
            skills.append(Skill(name, url_of(item.get("url")),
                                item.get("framework") if isinstance(item.get("framework"),
                                                                    str) else None))
            seen.update(name.values())
    for achievement in achievements_of(document):
        alignments = achievement.get("alignment")
        for item in alignments if isinstance(alignments, list) else ():
            if not isinstance(item, Mapping):
                continue
            name = texts_of(item.get("targetName"))
            if name and not seen.intersection(name.values()):
                framework = item.get("targetFramework")
                skills.append(Skill(name, url_of(item.get("targetUrl")),
                                    framework if isinstance(framework, str) else None))
                seen.update(name.values())
    return tuple(skills[:50])


def texts_of(value: object) -> dict[str, str]:
    """A multilingual text ({language: text}) or a plain string (language unstated)."""
    if isinstance(value, str) and value.strip():
        return {_UNDETERMINED: value.strip()}
    if isinstance(value, Mapping):
        return {str(tag): text.strip() for tag, text in value.items()
                if isinstance(text, str) and text.strip()}
    return {}


def body_of(document: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The credential's own claims (a VC-JWT's ``vc`` claim when it has one)."""
    if document is None:
        return {}
    vc = document.get("vc")
    return vc if isinstance(vc, Mapping) else document


def achievements_of(document: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    subjects = body_of(document).get("credentialSubject")
    found = []
    for subject in subjects if isinstance(subjects, list) else [subjects]:
        if isinstance(subject, Mapping) and isinstance(subject.get("achievement"), Mapping):
            found.append(subject["achievement"])
    return found


def url_of(value: object) -> str | None:
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) \
        else None
