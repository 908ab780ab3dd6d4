"""Organisations: the providers that award micro-credentials and the bodies that recognise them."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from credstack.core.organisations import Organisation, OrganisationKind


def test_an_organisation_is_japanese_unless_said_otherwise() -> None:
    """The country defaults to JP, and the document carries what was stated."""
    organisation = Organisation.model_validate(
        {"slug": "example-university", "kind": "university",
         "name": {"ja": "例示大学", "en": "Example University"}}
    )
    assert organisation.country == "JP"
    assert organisation.kind is OrganisationKind.UNIVERSITY
    assert organisation.to_document() == {
        "slug": "example-university",
        "kind": "university",
        "name": {"ja": "例示大学", "en": "Example University"},
        "country": "JP",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Example University"}, "slug"),
        ({"kind": "school"}, "kind"),
        ({"name": "Example University"}, "name"),
        ({"country": "Japan"}, "country"),
        ({"url": "not a url"}, "url"),
        ({"website": "https://example.ac.jp"}, "website"),
    ],
)
def test_a_malformed_organisation_is_rejected(change: dict[str, Any], field: str) -> None:
    """Slugs, kinds, names, countries and URLs are checked; unknown keys are refused."""
    data = {"slug": "example-university", "kind": "university", "name": {"en": "Example"},
            **change}
    with pytest.raises(ValidationError) as caught:
        Organisation.model_validate(data)
    assert [error["loc"][0] for error in caught.value.errors()] == [field]


def test_a_corporate_number_is_kept_as_its_13_digits_when_its_check_digit_holds() -> None:
    """The National Tax Agency's example, typed with full-width digits and hyphens."""
    organisation = Organisation.model_validate(
        {"slug": "example-university", "kind": "university", "name": {"en": "Example"},
         "corporate_number": "７１２３-４５６７-８９０１２"})
    assert organisation.corporate_number == "7123456789012"
    assert organisation.to_document()["corporate_number"] == "7123456789012"


@pytest.mark.parametrize("number", ["8123456789012", "712345678901", "71234567890AB"])
def test_a_corporate_number_whose_check_digit_fails_is_refused(number: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Organisation.model_validate({"slug": "example-university", "kind": "university",
                                     "name": {"en": "Example"}, "corporate_number": number})
    [error] = caught.value.errors()
    assert error["loc"] == ("corporate_number",)
    assert "13 digits" in error["msg"] or "check digit" in error["msg"]
