"""Employers' needs: a role described by skills, matched to programmes and to a candidate.

An employer names the skills a role needs — picked, or suggested from a pasted job
description (:func:`suggest_skills`) and confirmed — and sees the registry's programmes that
cover the most of them, each with the skills it covers (:func:`programmes_for`; a programme
aligned to a narrower skill covers the broader one the employer named, as the registry's
skill facet does). Which of a role's skills a candidate's verified credentials cover
(:func:`covered_by`) is told by :func:`credstack.services.candidates.candidate`, above the
verifiers. Nothing is stored here: a role is a question, not a record, until its employer
saves it (:mod:`.roles`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.skills.hierarchy import ancestors
from credstack.errors import InputError, Problem
from credstack.services.runtime import Runtime
from credstack.services.skills import catalogue
from credstack.services.skills.catalogue import SkillItem

__all__ = ["MAX_ROLE_SKILLS", "ProgrammeMatch", "RoleMatch", "covered_by", "programmes_for",
           "role_skills", "suggest_skills"]

#: Skills one role may name (the coverage count grows with their square).
MAX_ROLE_SKILLS: Final = 20
#: The longest job description read for suggestions.
MAX_DESCRIPTION: Final = 8000


@dataclass(frozen=True, slots=True)
class ProgrammeMatch:
    programme_id: int
    version: int
    title: Mapping[str, str]
    provider: Mapping[str, str]
    provider_slug: str
    covered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoleMatch:
    skills: tuple[SkillItem, ...]
    #: Programmes covering at least one of the skills.
    total: int
    programmes: tuple[ProgrammeMatch, ...]

    def to_dict(self, language: str = "ja") -> dict[str, Any]:
        return {"skills": [{**s.to_dict(), "label": s.name(language)} for s in self.skills],
                "total": self.total,
                "programmes": [{"id": p.programme_id, "version": p.version,
                                "title": dict(p.title), "provider": dict(p.provider),
                                "provider_slug": p.provider_slug,
                                "covered": list(p.covered),
                                "missing": [s.uri for s in self.skills
                                            if s.uri not in p.covered]}
                               for p in self.programmes]}


def role_skills(runtime: Runtime, uris: Iterable[str]) -> tuple[SkillItem, ...]:
    """The role's skills, each a framework item (unknown ones refused, naming them)."""
    wanted = list(dict.fromkeys(uri.strip() for uri in uris if uri.strip()))
    if len(wanted) > MAX_ROLE_SKILLS:
        raise InputError(code="employers.refused.too_many_skills",
                         params={"most": MAX_ROLE_SKILLS},
                         problems=[Problem("skills", f"{len(wanted)} given")])
    found = catalogue.items(runtime, wanted)
    unknown = [uri for uri in wanted if uri not in found]
    if unknown:
        raise InputError(code="employers.refused.unknown_skills",
                         problems=[Problem("skills", uri) for uri in unknown])
    return tuple(found[uri] for uri in wanted)


def suggest_skills(runtime: Runtime, *, text: str, limit: int = 8
                   ) -> list[tuple[SkillItem, float]]:
    """Skills a job description (or any text) speaks of, best first, for the employer to
    confirm."""
    found = catalogue.ranker(runtime).suggest(text[:MAX_DESCRIPTION], limit=limit)
    views = catalogue.items(runtime, (s.key for s in found))
    return [(views[s.key], s.score) for s in found if s.key in views]


def programmes_for(runtime: Runtime, *, skills: Sequence[SkillItem], limit: int = 20
                   ) -> RoleMatch:
    """The programmes covering most of ``skills`` (each skill counting its narrower ones)."""
    if runtime.registry is None or not skills:
        return RoleMatch(tuple(skills), 0, ())
    total, found = runtime.registry.index.coverage(
        "skill", [skill.uri for skill in skills], limit=limit)
    return RoleMatch(tuple(skills), total, tuple(
        ProgrammeMatch(hit.programme_id, hit.version, hit.title, hit.provider,
                       hit.provider_slug, covered) for hit, covered in found))


def covered_by(found: Iterable[tuple[Iterable[str], str]], skills: Sequence[SkillItem],
               parents: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Skill URI → the titles of the credentials whose skills (``found``: their URLs and
    title) are it or narrower."""
    wanted = {skill.uri for skill in skills}
    covered: dict[str, list[str]] = {}
    for urls, title in found:
        for url in urls:
            for uri in (url, *ancestors(url, parents)):
                if uri in wanted and title not in covered.setdefault(uri, []):
                    covered[uri].append(title)
    return {uri: tuple(titles) for uri, titles in covered.items() if titles}
