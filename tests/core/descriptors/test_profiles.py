"""The framework profiles, checked against the product brief's table of common descriptors.

The table below is copied from MISSION.md by hand, on purpose: it is the oracle, kept apart
from ``profiles/*.yaml`` so that the data files cannot drift from the brief unnoticed.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from credstack.core.descriptors import get_profile, parse_programme, profiles, validate
from credstack.core.descriptors.findings import Severity
from credstack.core.descriptors.profiles import Profile
from credstack.core.descriptors.validation import Requirement, State
from credstack.errors import UnknownProfileError
from credstack.words import words

REQ, OPT, YES, ___ = "required", "optional", "yes", ""  # ___: a blank cell

#: The profiles, in the order of the brief's columns: JP proposal, EU, AU, MY, 履修証明.
COLUMNS = ("jp-mc", "eu-2022", "au-nmf-2022", "my-mqa", "jp-rishu")

#: MISSION.md, "The common descriptors": descriptor, where it lives, then one cell per column.
#: "yes" in the MY and 履修証明 columns means required.
BRIEF_TABLE: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    # key                     path                     JP   EU   AU   MY   履修証明
    ("learner_identification", "award.learner",         REQ, REQ, ___, YES, YES),
    ("date_of_issuing",        "award.issued_on",       REQ, REQ, ___, YES, YES),
    ("title",                  "title",                 REQ, REQ, REQ, YES, YES),
    ("awarding_body",          "awarding_body",         REQ, REQ, REQ, YES, YES),
    ("issuer_region",          "issuer_region",         OPT, REQ, ___, ___, ___),
    ("description",            "description",           REQ, ___, REQ, ___, YES),
    ("learning_outcomes",      "learning_outcomes",     REQ, REQ, REQ, YES, ___),
    ("form_of_participation",  "form_of_participation", REQ, REQ, REQ, YES, YES),
    ("languages",              "languages",             OPT, ___, REQ, YES, ___),
    ("learner_effort",         "learner_effort",        REQ, REQ, REQ, YES, YES),
    ("assessment",             "assessment",            REQ, REQ, REQ, YES, YES),
    ("quality_assurance",      "quality_assurance",     REQ, REQ, REQ, YES, YES),
    ("levels",                 "levels",                OPT, REQ, ___, YES, ___),
    ("certification",          "certification",         OPT, ___, REQ, ___, YES),
    ("credit_recognition",     "credit_recognition",    REQ, REQ, REQ, YES, YES),
    ("prerequisites",          "prerequisites",         OPT, OPT, REQ, YES, YES),
    ("stackability",           "stackability",          OPT, OPT, OPT, ___, ___),
)  # fmt: skip

#: "Australia also requires date of delivery, inherent requirements, and price and financial
#: assistance."
AU_ALSO_REQUIRED = {
    "dates_of_delivery": "dates_of_delivery",
    "inherent_requirements": "inherent_requirements",
    "price": "price",
}
#: "EU optional elements also include supervision and identity verification during
#: assessment, grade achieved, and further information."
EU_ALSO_OPTIONAL = {
    "supervision": "assessment.supervision",
    "grade": "award.grade",
    "further_information": "further_information",
}

PATHS: dict[str, str] = {
    **{row[0]: row[1] for row in BRIEF_TABLE},
    **AU_ALSO_REQUIRED,
    **EU_ALSO_OPTIONAL,
}


def _column(profile_id: str, cells: set[str]) -> set[str]:
    index = 2 + COLUMNS.index(profile_id)
    return {row[0] for row in BRIEF_TABLE if row[index] in cells}


REQUIRED: dict[str, set[str]] = {p: _column(p, {REQ, YES}) for p in COLUMNS}
REQUIRED["au-nmf-2022"] |= set(AU_ALSO_REQUIRED)
OPTIONAL: dict[str, set[str]] = {p: _column(p, {OPT}) for p in COLUMNS}
OPTIONAL["eu-2022"] |= set(EU_ALSO_OPTIONAL)

REQUIRED_CASES = [(p, key) for p in COLUMNS for key in sorted(REQUIRED[p])]
UNREQUIRED_CASES = [(p, key) for p in COLUMNS for key in sorted(set(PATHS) - REQUIRED[p])]


def _without(document: dict[str, Any], path: str) -> dict[str, Any]:
    *parents, leaf = path.split(".")
    node = document
    for part in parents:
        node = node[part]
    del node[leaf]
    return document


# --- the data files say what the brief says ----------------------------------------------


def test_the_bundled_profiles_are_the_five_of_the_brief() -> None:
    """credstack ships exactly the brief's five frameworks, in the brief's column order."""
    assert tuple(profiles()) == COLUMNS


@pytest.mark.parametrize("profile_id", COLUMNS)
def test_required_descriptors_are_those_of_the_brief(profile_id: str) -> None:
    """A profile requires exactly what the brief's table marks required (or "yes")."""
    assert set(get_profile(profile_id).required) == REQUIRED[profile_id]


@pytest.mark.parametrize("profile_id", COLUMNS)
def test_optional_descriptors_are_those_of_the_brief(profile_id: str) -> None:
    """A profile lists as optional exactly what the brief's table marks optional."""
    assert set(get_profile(profile_id).optional) == OPTIONAL[profile_id]


@pytest.mark.parametrize("profile_id", COLUMNS)
def test_profiles_have_names_and_summaries_in_japanese_and_english(profile_id: str) -> None:
    """Every profile can introduce itself to a Japanese and an English reader."""
    profile = get_profile(profile_id)
    for text in (profile.name, profile.summary):
        assert {"ja", "en"} <= set(text.languages)
    assert profile.source


def test_an_unknown_profile_is_an_error_naming_the_known_ones() -> None:
    """Asking for a framework credstack does not know raises and lists those it does."""
    with pytest.raises(UnknownProfileError) as caught:
        get_profile("nz-2023")
    assert "nz-2023" in str(caught.value)
    for profile_id in COLUMNS:
        assert profile_id in str(caught.value)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"required": ["title", "colour"]}, "unknown descriptor 'colour'"),
        ({"optional": ["title"]}, "as required and optional"),
        ({"rules": [{"check": "effort-hourz", "min": 1}]}, "effort-hourz"),
        ({"rules": [{"check": "effort-hours", "minimum": 1}]}, "minimum"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_malformed_profile_file_is_rejected(change: dict[str, Any], complaint: str) -> None:
    """A profile naming an unknown descriptor or rule, or listing one twice, does not load."""
    data: dict[str, Any] = {
        "id": "test",
        "name": {"en": "Test"},
        "summary": {"en": "Test"},
        "source": "tests",
        "required": ["title"],
        **change,
    }
    with pytest.raises(ValidationError, match=complaint):
        Profile.model_validate(data)


# --- a document that has everything conforms; lacking one required descriptor does not ---


@pytest.mark.parametrize("profile_id", COLUMNS)
def test_a_complete_micro_credential_conforms_without_findings(
    profile_id: str, complete_document: dict[str, Any]
) -> None:
    """A micro-credential stating every descriptor conforms to every profile, silently."""
    report = validate(parse_programme(complete_document), get_profile(profile_id))
    assert report.findings == ()
    assert report.conforms
    assert report.is_micro_credential
    assert all(check.state is State.PRESENT for check in report.descriptors)


@pytest.mark.parametrize(("profile_id", "key"), REQUIRED_CASES)
def test_a_missing_required_descriptor_is_an_error(
    profile_id: str, key: str, complete_document: dict[str, Any]
) -> None:
    """Without one required descriptor the document fails, with one bilingual finding for it."""
    profile = get_profile(profile_id)
    document = parse_programme(_without(complete_document, PATHS[key]))
    report = validate(document, profile)

    missing = [f for f in report.findings if f.code == "missing-required"]
    assert len(missing) == 1
    (finding,) = missing
    assert finding.path == PATHS[key]
    assert finding.severity is Severity.ERROR
    assert profile.name.text("en") in words(finding.said, "en")
    assert "required" in words(finding.said, "en")
    assert profile.name.text("ja") in words(finding.said, "ja")
    assert "必須" in words(finding.said, "ja")
    assert not report.conforms
    check = next(c for c in report.descriptors if c.key == key)
    assert (check.requirement, check.state) == (Requirement.REQUIRED, State.MISSING)
    # Absence is reported once: no rule that would have read the descriptor speaks up too.
    # (Without an assessment the document is also not a micro-credential at all.)
    others = {f.code for f in report.findings} - {"missing-required"}
    assert others == ({"not-a-micro-credential"} if key == "assessment" else set())


@pytest.mark.parametrize(("profile_id", "key"), UNREQUIRED_CASES)
def test_a_missing_optional_or_unlisted_descriptor_does_not_break_conformance(
    profile_id: str, key: str, complete_document: dict[str, Any]
) -> None:
    """Leaving out a descriptor the profile does not require leaves the document conforming."""
    document = parse_programme(_without(complete_document, PATHS[key]))
    report = validate(document, get_profile(profile_id))
    assert report.findings == ()
    assert report.conforms
    check = next(c for c in report.descriptors if c.key == key)
    assert check.requirement is not Requirement.REQUIRED
    assert check.state is State.MISSING
