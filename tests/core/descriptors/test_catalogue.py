"""The catalogue: the 17 common descriptors, the extras, and the credit systems."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from credstack.core.descriptors.catalogue import (
    Descriptor,
    Scope,
    credit_systems,
    credit_systems_of,
    descriptors,
    descriptors_by_key,
    equivalent_credits,
)
from credstack.core.descriptors.models import AwardedMicroCredential, CreditSystem, Programme

#: Seed 002's table, row by row.
SEVENTEEN = (
    "learner_identification", "date_of_issuing", "title", "awarding_body", "issuer_region",
    "description", "learning_outcomes", "form_of_participation", "languages", "learner_effort",
    "assessment", "quality_assurance", "levels", "certification", "credit_recognition",
    "prerequisites", "stackability",
)
#: The EU and Australian extras named in the brief.
EXTRAS = (
    "supervision", "grade", "dates_of_delivery", "inherent_requirements", "price",
    "further_information",
)


def test_the_seventeen_common_descriptors_come_first_in_table_order() -> None:
    """Rows 1–17 of seed 002's table, then the extras without a row."""
    catalogue = descriptors()
    assert [d.key for d in catalogue] == [*SEVENTEEN, *EXTRAS]
    assert [d.row for d in catalogue] == [*range(1, 18), *[None] * len(EXTRAS)]


def test_only_the_learners_descriptors_are_stated_at_issuance() -> None:
    """Identification of the learner, date of issuing and grade belong to the award."""
    award = {d.key for d in descriptors() if d.scope is Scope.AWARD}
    assert award == {"learner_identification", "date_of_issuing", "grade"}
    assert all(d.path[0] == "award" for d in descriptors() if d.scope is Scope.AWARD)


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


@pytest.mark.parametrize("descriptor", descriptors(), ids=lambda d: d.key)
def test_every_descriptor_has_a_bilingual_name_and_a_real_path(descriptor: Descriptor) -> None:
    """Each descriptor is named in Japanese and English and points at a model field."""
    assert {"ja", "en"} <= set(descriptor.name.languages)
    model: type[BaseModel] | None = AwardedMicroCredential
    for part in descriptor.path:
        assert model is not None
        assert part in model.model_fields
        model = _nested_model(model.model_fields[part].annotation)


def test_a_descriptor_reads_its_value_or_none_when_absent_or_empty() -> None:
    """An empty list counts as absent, like a missing value."""
    by_key = descriptors_by_key()
    programme = Programme.model_validate(
        {"code": "X", "title": {"en": "T"}, "assessment": {"methods": ["quiz"]}}
    )
    assert by_key["title"].value_in(programme) == programme.title
    assert by_key["learning_outcomes"].value_in(programme) is None
    assert by_key["supervision"].value_in(programme) is None
    assert by_key["learner_identification"].value_in(programme) is None
    assert by_key["supervision"].dotted_path == "assessment.supervision"


@pytest.mark.parametrize(
    ("system", "low", "high"),
    [
        ("jp-tani", 45, 45),  # 1 単位 = 45 hours
        ("ects", 25, 30),  # 1 ECTS = 25–30 hours
        ("my-credit", 40, 40),  # Malaysia: 1 credit = 40 hours
        ("nz-credit", 10, 10),  # New Zealand: 1–40 credits = 10–400 hours
    ],
)
def test_credit_systems_convert_as_the_brief_says(system: str, low: int, high: int) -> None:
    """Hours per credit are those of the brief's volumes table."""
    info = credit_systems()[CreditSystem(system)]
    assert (info.hours_per_credit_min, info.hours_per_credit_max) == (low, high)
    assert info.hours_for_credits(Decimal(2)) == (2 * low, 2 * high)
    assert {"ja", "en"} <= set(info.name.languages)


def test_every_credit_system_of_the_model_has_a_conversion() -> None:
    """No credit system can be stated that credstack cannot convert."""
    assert set(credit_systems()) == set(CreditSystem)


def test_hours_are_worth_a_range_of_credits_in_every_system() -> None:
    """45 hours are 1 単位 and 1.5–1.8 ECTS."""
    worth = equivalent_credits(Decimal(45))
    assert worth[CreditSystem.JP_TANI] == (1, 1)
    assert worth[CreditSystem.ECTS] == (Decimal("1.5"), Decimal("1.8"))
    assert set(worth) == set(CreditSystem)


@pytest.mark.parametrize(("country", "systems"), [
    ("JP", {CreditSystem.JP_TANI}), ("jp", {CreditSystem.JP_TANI}),
    ("DE", {CreditSystem.ECTS}), ("MY", {CreditSystem.MY_CREDIT}),
    ("NZ", {CreditSystem.NZ_CREDIT}), ("US", {CreditSystem.US_CREDIT_HOUR}),
    ("AU", set()), ("", set())])
def test_each_country_counts_in_its_own_credit_systems(
        country: str, systems: set[CreditSystem]) -> None:
    assert credit_systems_of(country) == systems
