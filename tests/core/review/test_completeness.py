"""The automatic completeness check, against the demo programmes."""

from __future__ import annotations

import pytest

from credstack.core.descriptors import Programme, Severity
from credstack.core.review import CRITERION_IDS, check_completeness
from credstack.demo import load_demo_documents
from credstack.words import words

SELF_EVALUATION = {criterion: f"Our self-evaluation on {criterion}." for criterion in
                   CRITERION_IDS}


def programme(code: str) -> Programme:
    return next(p for p in load_demo_documents().programmes if p.code == code)


def test_a_conforming_programme_with_everything_attached_is_complete() -> None:
    """HIT-DS-01 conforms to jp-mc; all self-evaluations and one evidence file: complete."""
    report = check_completeness(programme=programme("HIT-DS-01"), profile="jp-mc",
                                self_evaluation=SELF_EVALUATION, evidence_files=1)
    assert report.complete and report.errors == ()
    assert report.to_dict()["complete"] is True and report.profile == "jp-mc"


def test_a_programme_without_learning_outcomes_is_incomplete() -> None:
    """SPU-OC-2026 (an open campus lecture) lacks learning outcomes under jp-mc."""
    report = check_completeness(programme=programme("SPU-OC-2026"), profile="jp-mc",
                                self_evaluation=SELF_EVALUATION, evidence_files=1)
    assert not report.complete
    assert [(f.code, f.path) for f in report.errors] == [
        ("missing-required", "programme.learning_outcomes")]
    assert words(report.errors[0].said, "ja") and words(report.errors[0].said, "en")


def test_participation_only_is_not_a_micro_credential() -> None:
    """HIT-FORUM-2026 certifies attendance only, so it cannot be recognised."""
    report = check_completeness(programme=programme("HIT-FORUM-2026"), profile="jp-mc",
                                self_evaluation=SELF_EVALUATION, evidence_files=2)
    assert "not-a-micro-credential" in [f.code for f in report.errors]


def test_published_internal_quality_assurance_is_required() -> None:
    """DLA-SEC-02 states no internal quality assurance (seed 002: the required condition)."""
    report = check_completeness(programme=programme("DLA-SEC-02"), profile="jp-mc",
                                self_evaluation=SELF_EVALUATION, evidence_files=1)
    assert [f.path for f in report.errors] == ["programme.quality_assurance"]


def test_the_chosen_profile_is_the_one_applied() -> None:
    """A programme judged under another framework gets that framework's findings."""
    hit = programme("HIT-DS-01")
    reports = {profile: check_completeness(programme=hit, profile=profile,
                                           self_evaluation=SELF_EVALUATION, evidence_files=1)
               for profile in ("jp-mc", "eu-2022")}
    assert reports["jp-mc"].complete
    assert reports["eu-2022"].profile == "eu-2022"


def test_an_unknown_profile_is_a_finding_not_an_exception() -> None:
    """The check reports; it does not raise."""
    report = check_completeness(programme=programme("HIT-DS-01"), profile="xx-none",
                                self_evaluation=SELF_EVALUATION, evidence_files=1)
    assert [(f.code, f.path) for f in report.errors] == [("unknown-profile", "profile")]


def test_every_criterion_needs_a_self_evaluation() -> None:
    """Missing and blank texts are located per criterion, in criteria order."""
    partial = {**SELF_EVALUATION, "relevance": "   "}
    del partial["transparency"]
    report = check_completeness(programme=programme("HIT-DS-01"), profile="jp-mc",
                                self_evaluation=partial, evidence_files=1)
    assert [(f.code, f.path) for f in report.errors] == [
        ("self-evaluation-missing", "self_evaluation.transparency"),
        ("self-evaluation-missing", "self_evaluation.relevance")]
    assert "透明性" in words(report.errors[0].said, "ja")


def test_at_least_one_evidence_file_is_required() -> None:
    """Without evidence the application is incomplete."""
    report = check_completeness(programme=programme("HIT-DS-01"), profile="jp-mc",
                                self_evaluation=SELF_EVALUATION, evidence_files=0)
    assert [(f.code, f.path) for f in report.errors] == [("evidence-missing", "evidence")]


@pytest.mark.parametrize("code", ["SGU-JLT", "SUA-WS-01"])
def test_profile_rules_count_too(code: str) -> None:
    """Range rules of the profile (duration, minimum hours) are errors like missing fields."""
    report = check_completeness(programme=programme(code), profile="jp-mc",
                                self_evaluation=SELF_EVALUATION, evidence_files=1)
    assert not report.complete
    assert all(f.path.startswith("programme.") for f in report.errors)


def test_warnings_are_kept_but_do_not_block() -> None:
    """Only errors make an application incomplete."""
    for candidate in load_demo_documents().programmes:
        report = check_completeness(programme=candidate, profile="jp-mc",
                                    self_evaluation=SELF_EVALUATION, evidence_files=1)
        if report.complete and report.findings:
            assert all(f.severity is not Severity.ERROR for f in report.findings)
            return
    pytest.skip("no demo programme conforms with a warning")
