"""The automatic completeness check run when an application is submitted.

An application is complete when

1. the programme version passes the framework profile the applicant chose, with no error
   (the descriptor validator, :func:`credstack.core.descriptors.validate`);
2. every criterion (:data:`~credstack.core.review.criteria.CRITERIA`) has a
   self-evaluation text;
3. at least one evidence file is attached.

The check returns a report of findings — the descriptor validator's own
:class:`~credstack.core.descriptors.Finding` type, message keys with their values, located by path —
and never raises for what it finds: an incomplete application is a verdict, not an error.
The service sends ``completeness-passed`` or ``completeness-failed`` according to
:attr:`CompletenessReport.complete`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from credstack.core.descriptors import Finding, Programme, Severity, get_profile, validate
from credstack.core.descriptors.findings import worded
from credstack.core.review.criteria import CRITERIA
from credstack.core.said import Named, Said, Words
from credstack.errors import UnknownProfileError

__all__ = ["CompletenessReport", "check_completeness"]


@dataclass(frozen=True, slots=True)
class CompletenessReport:
    """The findings of one completeness check; complete when none is an error."""

    profile: str
    findings: tuple[Finding, ...]

    @property
    def complete(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def worded(self, words: Words) -> CompletenessReport:
        """The report with its findings' English and Japanese (for its JSON and the store)."""
        return replace(self, findings=tuple(worded(f, words) for f in self.findings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "complete": self.complete,
            "findings": [finding.to_dict() for finding in self.findings],
        }


def _programme_findings(programme: Programme, profile_id: str) -> list[Finding]:
    try:
        profile = get_profile(profile_id)
    except UnknownProfileError:
        return [Finding("unknown-profile", "profile", Severity.ERROR,
                        Said("recognition.app.finding.unknown-profile", profile=repr(profile_id)))]
    report = validate(programme, profile)
    # The validator's paths are descriptor paths; the prefix says they are about the
    # programme rather than the application's own fields.
    return [replace(f, path=f"programme.{f.path}" if f.path else "programme")
            for f in report.findings]


def check_completeness(*, programme: Programme, profile: str,
                       self_evaluation: Mapping[str, str], evidence_files: int
                       ) -> CompletenessReport:
    """Check an application for ``programme`` under the framework profile ``profile`` (an id
    such as ``jp-mc``), with its self-evaluation texts by criterion id and the number of
    evidence files attached.

    Findings, in this order: the profile's findings on the programme (paths
    ``programme.<descriptor path>``; warnings and information are kept but do not make the
    application incomplete), ``unknown-profile`` (``profile``), ``self-evaluation-missing``
    (``self_evaluation.<criterion id>``) and ``evidence-missing`` (``evidence``).
    """
    findings = _programme_findings(programme, profile)
    for criterion in CRITERIA:
        if not (self_evaluation.get(criterion.id) or "").strip():
            findings.append(Finding(
                "self-evaluation-missing", f"self_evaluation.{criterion.id}", Severity.ERROR,
                Said("recognition.app.finding.self-evaluation-missing",
                     criterion=Named("review-criterion", criterion.id))))
    if evidence_files < 1:
        findings.append(Finding("evidence-missing", "evidence", Severity.ERROR,
                                Said("recognition.app.finding.evidence-missing")))
    return CompletenessReport(profile, tuple(findings))
