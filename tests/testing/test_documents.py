"""The documents the tests and the benchmarks fill stores with: they parse, the programme is
a conforming micro-credential of its organisation, and each call gives a copy of its own."""

from __future__ import annotations

from credstack.core.descriptors import get_profile, parse_organisation, parse_programme, validate
from credstack.testing.documents import organisation_document, programme_document


def test_the_programme_is_a_conforming_micro_credential_of_the_organisation() -> None:
    """The organisation and the programme parse; the programme, awarded by the organisation,
    conforms to the Japanese micro-credential profile."""
    organisation = parse_organisation(organisation_document())
    programme = parse_programme(programme_document())
    assert programme.awarding_body is not None
    assert programme.awarding_body.id == organisation.slug
    report = validate(programme, get_profile("jp-mc"))
    assert report.is_micro_credential and report.conforms, report.findings


def test_changes_replace_top_level_fields_of_a_copy() -> None:
    """What a caller changes in one document is not in the next."""
    changed = programme_document(code="DS-102")
    changed["title"]["en"] = "Changed"
    assert changed["code"] == "DS-102"
    assert programme_document()["title"]["en"] == "Practical Introduction to Data Science"
    assert organisation_document(slug="nankai-uni")["slug"] == "nankai-uni"
    assert organisation_document()["slug"] == "hokuto-tech"
