"""The demo data set: realistic, bilingual, and varied enough to exercise every profile."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from credstack.core.descriptors import Format, profiles, read_documents, validate
from credstack.core.descriptors.models import FieldOfStudy
from credstack.core.organisations import OrganisationKind
from credstack.demo import load_demo_documents


def test_demo_set_parses() -> None:
    """Every demo file reads without a problem and the merged set is not empty."""
    folder = resources.files("credstack.demo").joinpath("data")
    files = [entry for entry in folder.iterdir() if entry.name.endswith(".yaml")]
    assert len(files) >= 2
    for entry in files:
        read_documents(entry.read_text(encoding="utf-8"), Format.YAML, source=entry.name)
    documents = load_demo_documents()
    assert documents.organisations
    assert documents.programmes


def test_demo_set_has_at_least_sixty_programmes() -> None:
    """The demo set holds at least 60 programmes."""
    assert len(load_demo_documents().programmes) >= 60


def test_at_least_twelve_providers_offer_programmes() -> None:
    """At least 12 distinct organisations award programmes."""
    bodies = {p.awarding_body.id for p in load_demo_documents().programmes if p.awarding_body}
    assert len(bodies) >= 12


def test_provider_kinds_include_universities_companies_societies_and_moocs() -> None:
    """Providers of programmes include a university, a company, a society and a MOOC."""
    documents = load_demo_documents()
    kind_of = {o.slug: o.kind for o in documents.organisations}
    kinds = {kind_of[p.awarding_body.id] for p in documents.programmes if p.awarding_body}
    assert {
        OrganisationKind.UNIVERSITY,
        OrganisationKind.COMPANY,
        OrganisationKind.ACADEMIC_SOCIETY,
        OrganisationKind.MOOC_PLATFORM,
    } <= kinds


def test_recognition_body_is_listed_but_offers_no_programmes() -> None:
    """A recognition body is among the organisations and awards no programme."""
    documents = load_demo_documents()
    recognition = {
        o.slug for o in documents.organisations if o.kind is OrganisationKind.RECOGNITION_BODY
    }
    assert recognition
    assert not any(
        p.awarding_body and p.awarding_body.id in recognition for p in documents.programmes
    )


def test_organisation_slugs_are_unique() -> None:
    """No two organisations share a slug."""
    slugs = Counter(o.slug for o in load_demo_documents().organisations)
    assert [slug for slug, count in slugs.items() if count > 1] == []


def test_programmes_span_the_recurrent_education_fields() -> None:
    """At least 8 fields are covered, including the growth fields named in the seeds."""
    fields = {f for p in load_demo_documents().programmes for f in p.fields}
    assert len(fields) >= 8
    assert {
        FieldOfStudy.MEDICAL_WELFARE,
        FieldOfStudy.BUSINESS,
        FieldOfStudy.DIGITAL,
        FieldOfStudy.SEMICONDUCTORS,
        FieldOfStudy.GREEN,
        FieldOfStudy.REGIONAL,
        FieldOfStudy.LANGUAGES,
    } <= fields


def test_every_programme_has_japanese_and_english_titles() -> None:
    """Every programme's title is given in both Japanese and English."""
    missing = [
        p.code
        for p in load_demo_documents().programmes
        if p.title is None or not {"ja", "en"} <= set(p.title.languages)
    ]
    assert missing == []


@pytest.mark.parametrize("profile_id", ["jp-mc", "eu-2022", "au-nmf-2022", "my-mqa", "jp-rishu"])
def test_some_programme_conforms_to_each_profile(profile_id: str) -> None:
    """For each of the five framework profiles at least one programme conforms."""
    profile = profiles()[profile_id]
    conforming = [p.code for p in load_demo_documents().programmes if validate(p, profile).conforms]
    assert conforming, f"no demo programme conforms to {profile_id}"


def test_some_programmes_are_not_micro_credentials_or_fail_jp_mc() -> None:
    """At least 3 programmes are deliberately not micro-credentials or fail jp-mc."""
    profile = profiles()["jp-mc"]
    reports = [validate(p, profile) for p in load_demo_documents().programmes]
    failing = [r for r in reports if not r.conforms or not r.is_micro_credential]
    assert len(failing) >= 3
    assert any(not r.is_micro_credential for r in reports)


def test_most_programmes_conform_to_jp_mc() -> None:
    """The deliberately failing programmes are the exception, not the rule."""
    profile = profiles()["jp-mc"]
    programmes = load_demo_documents().programmes
    conforming = [p for p in programmes if validate(p, profile).conforms]
    assert len(conforming) > len(programmes) * 3 // 4


def test_every_awarding_body_is_a_listed_organisation() -> None:
    """Each programme names an awarding body that is one of the demo organisations."""
    documents = load_demo_documents()
    slugs = {o.slug for o in documents.organisations}
    unknown = [
        p.code
        for p in documents.programmes
        if p.awarding_body is None or p.awarding_body.id not in slugs
    ]
    assert unknown == []


def test_programme_codes_are_unique_per_awarding_body() -> None:
    """Across all demo files, no awarding body uses the same programme code twice."""
    keys = Counter(
        (p.awarding_body.id if p.awarding_body else "", p.code)
        for p in load_demo_documents().programmes
    )
    assert [key for key, count in keys.items() if count > 1] == []


def test_the_demo_credentials_programme_conforms_where_a_japanese_programme_would() -> None:
    """HIT-DS-01 (the demo learner's credential) conforms to the Japanese, EU and Australian
    frameworks; what it lacks for the other two, a Japanese 45-hour course legitimately
    lacks: Malaysian credits and an MQF level, and the 60 hours and kind of a 履修証明
    programme."""
    [hit] = [p for p in load_demo_documents().programmes if p.code == "HIT-DS-01"]
    found = {profile_id: validate(hit, profiles()[profile_id]) for profile_id in
             ("jp-mc", "eu-2022", "au-nmf-2022", "my-mqa", "jp-rishu")}
    assert {key for key, report in found.items() if report.conforms} == {
        "jp-mc", "eu-2022", "au-nmf-2022"}
    unmet = {key: {f.code for f in report.findings if f.severity == "error"}
             for key, report in found.items() if not report.conforms}
    assert unmet == {"my-mqa": {"level-framework-missing", "credits-not-stated"},
                     "jp-rishu": {"effort-below-minimum", "certification-kind-missing"}}
