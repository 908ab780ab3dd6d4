"""The numeric and structural rules of each framework profile, from the brief's volumes table.

Each case starts from a document that conforms to every profile without findings and changes
one thing, so the findings listed are exactly what that change causes.
"""

from __future__ import annotations

from typing import Any

import pytest

from credstack.core.descriptors import ProfileReport, get_profile, parse_programme, validate
from credstack.core.descriptors.findings import Severity
from credstack.words import words

ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
PROFILE_IDS = ("jp-mc", "eu-2022", "au-nmf-2022", "my-mqa", "jp-rishu")


def _report(document: dict[str, Any], profile_id: str) -> ProfileReport:
    return validate(parse_programme(document), get_profile(profile_id))


def _found(report: ProfileReport) -> list[tuple[str, str, Severity]]:
    return [(f.code, f.path, f.severity) for f in report.findings]


def _effort(document: dict[str, Any], hours: str, **credits: str) -> dict[str, Any]:
    """Set the hours, and the credits by system (``jp_tani="2"``), dropping the others."""
    document["learner_effort"] = {
        "hours": hours,
        "credits": [{"system": s.replace("_", "-"), "value": v} for s, v in credits.items()],
    }
    return document


# --- learner effort in hours -------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile_id", "hours", "expected"),
    [
        # Japanese proposal: about 10 hours and up, under a degree (124 単位 × 45 h = 5,580 h).
        ("jp-mc", "9.5", [("effort-below-minimum", "learner_effort.hours", ERR)]),
        ("jp-mc", "9.99", [("effort-below-minimum", "learner_effort.hours", ERR)]),
        ("jp-mc", "10", []),
        ("jp-mc", "5579.99", []),
        ("jp-mc", "5580", [("effort-above-maximum", "learner_effort.hours", ERR)]),
        # 履修証明: 60 hours and up.
        ("jp-rishu", "59", [("effort-below-minimum", "learner_effort.hours", ERR)]),
        ("jp-rishu", "59.99", [("effort-below-minimum", "learner_effort.hours", ERR)]),
        ("jp-rishu", "60", []),
        # Australia: 1 hour and up.
        ("au-nmf-2022", "0.5", [("effort-below-minimum", "learner_effort.hours", ERR)]),
        ("au-nmf-2022", "1", []),
    ],
)
def test_learner_effort_in_hours_is_within_the_framework_range(
    profile_id: str,
    hours: str,
    expected: list[tuple[str, str, Severity]],
    programme_document: dict[str, Any],
) -> None:
    """Hours below the framework's minimum (or at a degree's size) are errors."""
    report = _report(_effort(programme_document, hours), profile_id)
    assert _found(report) == expected
    assert report.conforms is (expected == [])


def test_hour_findings_state_the_figures_in_both_languages(
    programme_document: dict[str, Any],
) -> None:
    """The messages give the hours as people write them, and the reason for a maximum."""
    report = _report(_effort(programme_document, "5580.00"), "jp-mc")
    (finding,) = report.findings
    assert words(finding.said, "en") == (
        "5580 hours is not less than 5580 hours (less than a bachelor's degree (124 単位 × 45 h))."
    )
    assert "5580" in words(finding.said, "ja")
    assert "学士学位" in words(finding.said, "ja")


# --- credits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "ects", "expected"),
    [
        # Derived from the hours at 25–30 h per ECTS: the benefit of the doubt either way.
        ("20", None, [("credits-below-minimum", "learner_effort.credits", ERR)]),
        ("24.99", None, [("credits-below-minimum", "learner_effort.credits", ERR)]),
        ("25", None, []),
        ("30", None, []),
        ("450", None, []),
        ("1770", None, [("credits-above-typical", "learner_effort.credits", INFO)]),
        ("1800", None, [("credits-above-maximum", "learner_effort.credits", ERR)]),
        # Stated ECTS: 1–59, mostly 1–15.
        ("14", "0.5", [("credits-below-minimum", "learner_effort.credits", ERR)]),
        ("27", "1", []),
        ("412.5", "15", []),
        ("550", "20", [("credits-above-typical", "learner_effort.credits", INFO)]),
        ("1620", "59", [("credits-above-typical", "learner_effort.credits", INFO)]),
        ("1650", "60", [("credits-above-maximum", "learner_effort.credits", ERR)]),
    ],
)
def test_eu_credits_are_1_to_59_ects_stated_or_derived_from_hours(
    hours: str,
    ects: str | None,
    expected: list[tuple[str, str, Severity]],
    programme_document: dict[str, Any],
) -> None:
    """EU 2022 wants 1–59 ECTS; above 15 is worth knowing but still conforms."""
    document = (_effort(programme_document, hours, ects=ects) if ects
                else _effort(programme_document, hours))
    report = _report(document, "eu-2022")
    assert _found(report) == expected
    assert report.conforms is all(severity is not ERR for *_, severity in expected)


def test_stated_ects_take_precedence_over_the_hours(programme_document: dict[str, Any]) -> None:
    """20 hours alone are under 1 ECTS, but 20 hours stated as 1 ECTS conform."""
    report = _report(_effort(programme_document, "20", ects="1"), "eu-2022")
    assert report.findings == ()


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([{"framework": "EQF", "level": 5}], []),
        ([{"framework": "MQF", "level": 4}], [("level-framework-missing", "levels", ERR)]),
        ([{"framework": "JEQF", "level": 5}, {"framework": "AQF", "level": 5}],
         [("level-framework-missing", "levels", ERR)]),
    ],
)
def test_eu_requires_an_eqf_level(
    levels: list[dict[str, Any]],
    expected: list[tuple[str, str, Severity]],
    programme_document: dict[str, Any],
) -> None:
    """A level in another framework alone does not satisfy EU 2022."""
    programme_document["levels"] = levels
    assert _found(_report(programme_document, "eu-2022")) == expected


def test_a_level_in_the_wrong_framework_names_what_was_given(
    programme_document: dict[str, Any],
) -> None:
    """The message names the framework wanted and the levels stated."""
    programme_document["levels"] = [{"framework": "MQF", "level": 4}]
    (finding,) = _report(programme_document, "eu-2022").findings
    assert words(finding.said, "en") == "State the level in EQF; only MQF 4 is given."
    assert "EQF" in words(finding.said, "ja")
    assert "MQF 4" in words(finding.said, "ja")


@pytest.mark.parametrize(
    ("levels", "credits", "expected"),
    [
        ([{"framework": "MQF", "level": 4}], {"my_credit": "2.25"}, []),
        ([{"framework": "EQF", "level": 5}], {"my_credit": "2.25"},
         [("level-framework-missing", "levels", ERR)]),
        ([{"framework": "MQF", "level": 4}], {},
         [("credits-not-stated", "learner_effort.credits", ERR)]),
        ([{"framework": "MQF", "level": 4}], {"jp_tani": "2", "ects": "3"},
         [("credits-not-stated", "learner_effort.credits", ERR)]),
    ],
)
def test_malaysia_requires_an_mqf_level_and_credits_stated_in_malaysian_credits(
    levels: list[dict[str, Any]],
    credits: dict[str, str],
    expected: list[tuple[str, str, Severity]],
    programme_document: dict[str, Any],
) -> None:
    """MQA wants the MQF level and the credits (1 credit = 40 h) stated, not derived."""
    programme_document["levels"] = levels
    report = _report(_effort(programme_document, "90", **credits), "my-mqa")
    assert _found(report) == expected


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
@pytest.mark.parametrize(
    ("hours", "credits", "expected"),
    [
        ("90", {"my_credit": "2.25", "jp_tani": "2"}, []),
        ("90", {"my_credit": "2.25", "jp_tani": "4"},
         [("credits-hours-mismatch", "learner_effort.credits[1]", WARN)]),
        ("90", {"my_credit": "5", "ects": "3"},
         [("credits-hours-mismatch", "learner_effort.credits[0]", WARN)]),
    ],
)
def test_credits_that_do_not_match_the_hours_are_a_warning(
    profile_id: str,
    hours: str,
    credits: dict[str, str],
    expected: list[tuple[str, str, Severity]],
    programme_document: dict[str, Any],
) -> None:
    """Every profile warns when stated credits stand for very different hours, and conforms."""
    report = _report(_effort(programme_document, hours, **credits), profile_id)
    assert _found(report) == expected
    assert report.conforms


@pytest.mark.parametrize(
    ("hours", "tani", "expected"),
    [
        ("45", "1", []),
        ("45", "2", [("credits-hours-mismatch", "learner_effort.credits[0]", WARN)]),
        ("67.5", "2", []),
        ("112.5", "2", []),
        ("113", "2", [("credits-hours-mismatch", "learner_effort.credits[0]", WARN)]),
    ],
)
def test_one_tani_stands_for_45_hours(
    hours: str,
    tani: str,
    expected: list[tuple[str, str, Severity]],
    programme_document: dict[str, Any],
) -> None:
    """1 単位 = 45 hours, give or take a quarter."""
    report = _report(_effort(programme_document, hours, jp_tani=tani), "jp-mc")
    assert _found(report) == expected
    assert report.conforms


def test_a_credit_mismatch_message_gives_both_figures(programme_document: dict[str, Any]) -> None:
    """The warning says what the credits stand for and what the hours are."""
    (finding,) = _report(_effort(programme_document, "45", jp_tani="2"), "jp-mc").findings
    assert words(finding.said, "en") == (
        "2 Japanese credits stands for about 90 hours, but the learner effort is 45 hours."
    )
    assert words(finding.said, "ja") == "2 単位 は約 90 時間に相当しますが、学習量は 45 時間です。"


# --- duration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        (1, []),
        (52, []),
        (53, [("duration-too-long", "learner_effort.duration_weeks", ERR)]),
        (104, [("duration-too-long", "learner_effort.duration_weeks", ERR)]),
    ],
)
def test_the_japanese_proposal_runs_under_a_year_by_stated_weeks(
    weeks: int, expected: list[tuple[str, str, Severity]], programme_document: dict[str, Any]
) -> None:
    """A stated duration of more than 52 weeks is too long for the Japanese proposal."""
    programme_document["learner_effort"]["duration_weeks"] = weeks
    assert _found(_report(programme_document, "jp-mc")) == expected


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        ([("2025-04-01", "2025-06-30")], []),
        ([("2025-04-01", "2026-03-30")], []),  # 364 days: exactly 52 weeks
        ([("2025-04-01", "2026-03-31")], [("duration-too-long", "dates_of_delivery[0]", ERR)]),
        ([("2025-04-01", None)], []),
        ([("2025-04-01", "2025-06-30"), ("2025-10-01", "2027-03-31")],
         [("duration-too-long", "dates_of_delivery[1]", ERR)]),
    ],
)
def test_the_japanese_proposal_runs_under_a_year_by_dates_of_delivery(
    periods: list[tuple[str, str | None]],
    expected: list[tuple[str, str, Severity]],
    programme_document: dict[str, Any],
) -> None:
    """Without a stated duration, each delivery period must be at most 52 weeks long."""
    del programme_document["learner_effort"]["duration_weeks"]
    programme_document["dates_of_delivery"] = [
        {"start": start, **({"end": end} if end else {})} for start, end in periods
    ]
    assert _found(_report(programme_document, "jp-mc")) == expected


def test_a_stated_duration_is_the_length_even_in_a_longer_delivery_window(
    programme_document: dict[str, Any],
) -> None:
    """A 12-week course offered in a 15-month enrolment window runs under a year."""
    programme_document["learner_effort"]["duration_weeks"] = 12
    programme_document["dates_of_delivery"] = [{"start": "2026-04-01", "end": "2027-06-30"}]
    assert _found(_report(programme_document, "jp-mc")) == []


# --- quality assurance and certification -------------------------------------------------


@pytest.mark.parametrize(
    ("profile_id", "expected"),
    [
        ("jp-mc", [("internal-quality-assurance-missing", "quality_assurance", ERR)]),
        ("eu-2022", []),
        ("au-nmf-2022", []),
        ("my-mqa", []),
        ("jp-rishu", []),
    ],
)
def test_the_japanese_proposal_requires_internal_quality_assurance(
    profile_id: str,
    expected: list[tuple[str, str, Severity]],
    programme_document: dict[str, Any],
) -> None:
    """External recognition alone does not replace published internal QA in Japan."""
    programme_document["quality_assurance"] = [{"kind": "external", "scope": "programme"}]
    assert _found(_report(programme_document, profile_id)) == expected


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["rishu-shomei"], []),
        (["certificate", "digital-badge"],
         [("certification-kind-missing", "certification.kinds", ERR)]),
    ],
)
def test_a_rishu_programme_issues_a_rishu_shomei(
    kinds: list[str], expected: list[tuple[str, str, Severity]],
    programme_document: dict[str, Any],
) -> None:
    """A 履修証明 programme's certification must include the 履修証明書."""
    programme_document["certification"] = {"kinds": kinds}
    report = _report(programme_document, "jp-rishu")
    assert _found(report) == expected
    for finding in report.findings:
        # The kind by its name: the code is for the profile's file, not for the reader.
        assert "Certificate of a 履修証明 programme" in words(finding.said, "en")
        assert "履修証明書" in words(finding.said, "ja")
        assert "rishu-shomei" not in words(finding.said, "en") + words(finding.said, "ja")


@pytest.mark.parametrize("profile_id", ["jp-mc", "eu-2022", "au-nmf-2022", "my-mqa"])
def test_only_the_rishu_profile_asks_for_a_rishu_shomei(
    profile_id: str, programme_document: dict[str, Any]
) -> None:
    """Other frameworks accept any kind of certification."""
    programme_document["certification"] = {"kinds": ["digital-badge"]}
    assert _report(programme_document, profile_id).findings == ()


# --- severity --------------------------------------------------------------------------


def test_warnings_and_info_do_not_break_conformance(programme_document: dict[str, Any]) -> None:
    """A document with only a warning and an info finding still conforms."""
    report = _report(_effort(programme_document, "550", ects="20", jp_tani="20"), "eu-2022")
    assert {f.severity for f in report.findings} == {WARN, INFO}
    assert report.conforms
