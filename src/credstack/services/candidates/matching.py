"""A candidate matched to a role: which of the role's skills the credentials a candidate
shared cover, through which verified credential, and which are missing.

The role's skills come from :mod:`credstack.services.skills`; the credentials are verified as the
employer's comparison page verifies them (:mod:`.comparison`), and only verified ones count.
A credential counts the skills it states (its alignments, its descriptors' skills) and, when
it is of a programme of this registry issued by the organisation that registered it, the
skills that programme's outcomes are aligned to now: alignments travel in the credentials
issued after they are made, and a provider often aligns its outcomes after the first cohort
(issue 51: the check missed "Handling data" for such a credential).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from credstack.errors import InputError, Problem
from credstack.services import skills as skills_service
from credstack.services.candidates.comparison import Given, compare
from credstack.services.runtime import Runtime

__all__ = ["CandidateMatch", "candidate"]


@dataclass(frozen=True, slots=True)
class CandidateMatch:
    skills: tuple[skills_service.SkillItem, ...]
    holder: str
    #: Skill URI → the titles of the verified credentials that cover it.
    covered: Mapping[str, tuple[str, ...]]
    #: Credentials shown but not verified (they count for nothing), by title.
    unverified: tuple[str, ...]
    #: Each verified credential's title and its issuer's trust check (the ``describe`` form:
    #: ``state``, ``line`` in ja and en), when trust registries are configured.
    trust: tuple[tuple[str, Mapping[str, Any]], ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(s.uri for s in self.skills if s.uri not in self.covered)

    def to_dict(self, language: str = "ja") -> dict[str, Any]:
        return {"holder": self.holder,
                "skills": [{**s.to_dict(), "label": s.name(language),
                            "covered_by": list(self.covered.get(s.uri, ()))}
                           for s in self.skills],
                "covered": [uri for uri in (s.uri for s in self.skills)
                            if uri in self.covered],
                "missing": list(self.missing), "unverified": list(self.unverified),
                "trust": [{"title": title, **trust} for title, trust in self.trust]}


def candidate(runtime: Runtime, *, skills: Sequence[skills_service.SkillItem], shared: str,
              access_code: str | None = None, ip: str = "unknown",
              language: str = "ja") -> CandidateMatch:
    """Which of ``skills`` a candidate's ``shared`` credentials cover: a share link of this
    platform's wallets, a verifiable presentation (JSON or VP-JWT) or credentials pasted,
    each verified now as the employer's comparison page does; only verified ones count."""
    if not shared.strip():
        raise InputError(code="employers.refused.no_candidate",
                         problems=[Problem("shared", code="employers.refused.empty")])
    compared = compare(runtime, given=[Given("candidate", shared.strip(), "pasted")],
                       access_code=access_code, ip=ip)
    counted: list[tuple[Iterable[str], str]] = []
    unverified: list[str] = []
    holders: list[str] = []
    trust: list[tuple[str, Mapping[str, Any]]] = []
    aligned = skills_service.programme_alignments(runtime, (
        column.programme for column in compared.columns if column.programme is not None
        and column.verdict is not None and column.verdict.outcome.trusted))
    for column in compared.columns:
        verdict = column.verdict
        title = (verdict.achievement.get(language)
                 or next(iter(verdict.achievement.values()), column.label)) if verdict \
            else column.label
        if verdict is None or not verdict.outcome.trusted:
            unverified.append(title)
            continue
        holders.extend(name for name in verdict.learner_names if name not in holders)
        stated = [skill.url for skill in column.skills if skill.url]
        now = aligned.get(column.programme, ()) if column.programme is not None else ()
        counted.append(([*stated, *now], title))
        if column.trust is not None:
            trust.append((title, column.trust))
    covered = skills_service.covered_by(counted, skills, skills_service.hierarchy(runtime))
    return CandidateMatch(tuple(skills), " / ".join(holders), covered, tuple(unverified),
                          tuple(trust))
