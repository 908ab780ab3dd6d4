"""Validation of a programme (or one learner's micro-credential) against framework profiles.

``validate(document, profile)`` returns a :class:`ProfileReport`: every descriptor with its
requirement under the profile and whether it is present, then the findings. A report never
raises; a document that cannot even be parsed is a :class:`~credstack.errors.DescriptorError`
raised earlier, by :mod:`credstack.core.descriptors.parsing`.

Three kinds of finding come out, in this order:

1. ``not-a-micro-credential`` — no assessment, or participation only (seeds 000–002: an MC
   certifies assessed learning outcomes). Checked under every profile.
2. ``missing-required`` — one per descriptor the profile requires and the document lacks.
   On a bare programme, descriptors stated per learner (identification of the learner, date of
   issuing) are not missing but *supplied at issuance*.
3. the profile's rules (hours and credit ranges, levels, quality assurance, …).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any

from credstack.core.descriptors.catalogue import Descriptor, Scope, descriptors
from credstack.core.descriptors.findings import Finding, Severity, worded
from credstack.core.descriptors.models import AwardedMicroCredential, Programme
from credstack.core.descriptors.profiles import Profile
from credstack.core.said import InLanguages, Said, Words


class Requirement(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    #: The profile does not mention the descriptor.
    NOT_LISTED = "not-listed"


class State(StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    #: Stated per learner when the credential is issued, not by the programme.
    AT_ISSUANCE = "at-issuance"


@dataclass(frozen=True, slots=True)
class DescriptorCheck:
    key: str
    requirement: Requirement
    state: State


@dataclass(frozen=True, slots=True)
class ProfileReport:
    profile: str
    descriptors: tuple[DescriptorCheck, ...]
    findings: tuple[Finding, ...]

    @property
    def conforms(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def is_micro_credential(self) -> bool:
        return not any(f.code == NOT_A_MICRO_CREDENTIAL for f in self.findings)

    def worded(self, words: Words) -> ProfileReport:
        """The report with its findings' English and Japanese (for its JSON)."""
        return replace(self, findings=tuple(worded(f, words) for f in self.findings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "conforms": self.conforms,
            "is_micro_credential": self.is_micro_credential,
            "findings": [finding.to_dict() for finding in self.findings],
            "descriptors": [
                {"key": c.key, "requirement": c.requirement.value, "state": c.state.value}
                for c in self.descriptors
            ],
        }


NOT_A_MICRO_CREDENTIAL = "not-a-micro-credential"


def _nature_findings(programme: Programme) -> Iterable[Finding]:
    assessment = programme.assessment
    if assessment is None:
        yield Finding(NOT_A_MICRO_CREDENTIAL, "assessment", Severity.ERROR,
                      Said("programme.finding.not-a-micro-credential.no-assessment"))
    elif assessment.participation_only:
        yield Finding(NOT_A_MICRO_CREDENTIAL, "assessment.methods", Severity.ERROR,
                      Said("programme.finding.not-a-micro-credential.participation-only"))


@dataclass(frozen=True, slots=True)
class _Step:
    """One descriptor under one profile, with everything validation would otherwise rebuild
    for every document: its requirement, its possible check results and its finding."""

    descriptor: Descriptor
    present: DescriptorCheck
    missing: DescriptorCheck
    at_issuance: DescriptorCheck
    #: The ``missing-required`` finding, for required descriptors only.
    finding: Finding | None


def _plan(profile: Profile) -> tuple[_Step, ...]:
    return _plan_of(profile.required, profile.optional, InLanguages(profile.name.root))


@lru_cache(maxsize=64)
def _plan_of(required: tuple[str, ...], optional: tuple[str, ...], name: InLanguages
             ) -> tuple[_Step, ...]:
    """The steps under a profile, from the parts of the profile they depend on (a profile
    holds language maps, so it cannot be a cache key itself): worked out once per profile,
    not for every document."""
    steps = []
    for descriptor in descriptors():
        if descriptor.key in required:
            requirement = Requirement.REQUIRED
        elif descriptor.key in optional:
            requirement = Requirement.OPTIONAL
        else:
            requirement = Requirement.NOT_LISTED
        finding = None
        if requirement is Requirement.REQUIRED:
            finding = Finding("missing-required", descriptor.dotted_path, Severity.ERROR,
                              Said("programme.finding.missing-required",
                                   descriptor=InLanguages(descriptor.name.root), profile=name))
        steps.append(_Step(
            descriptor,
            DescriptorCheck(descriptor.key, requirement, State.PRESENT),
            DescriptorCheck(descriptor.key, requirement, State.MISSING),
            DescriptorCheck(descriptor.key, requirement, State.AT_ISSUANCE),
            finding,
        ))
    return tuple(steps)


def validate(document: Programme, profile: Profile) -> ProfileReport:
    """Check ``document`` against ``profile``; the report lists every descriptor and finding."""
    awarded = isinstance(document, AwardedMicroCredential)
    checks: list[DescriptorCheck] = []
    findings: list[Finding] = list(_nature_findings(document))
    for step in _plan(profile):
        if step.descriptor.scope is Scope.AWARD and not awarded:
            checks.append(step.at_issuance)
        elif step.descriptor.value_in(document) is None:
            checks.append(step.missing)
            if step.finding is not None:
                findings.append(step.finding)
        else:
            checks.append(step.present)
    for rule in profile.rules:
        findings.extend(rule.findings(document))
    return ProfileReport(profile.id, tuple(checks), tuple(findings))


def validate_all(document: Programme, profiles: Iterable[Profile]) -> list[ProfileReport]:
    """One report per profile, in the order given."""
    return [validate(document, profile) for profile in profiles]
