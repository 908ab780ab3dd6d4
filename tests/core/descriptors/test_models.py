"""The typed model of the common descriptors: structure and sane values, nothing more.

Which descriptors are required is a profile's business; the model rejects only what can
never be right — unknown keys, wrong types, impossible or absurd values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from credstack.core.descriptors.models import (
    LEVEL_RANGES,
    AwardedMicroCredential,
    CreditSystem,
    LearnerEffort,
    LevelFramework,
    Programme,
    QualificationLevel,
)
from credstack.core.types import MAX_TEXT_LENGTH


def _errors(document: dict[str, Any], model: type[Programme] = Programme) -> list[tuple[Any, str]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate({"code": "X", **document})
    return [(error["loc"], error["msg"]) for error in caught.value.errors()]


@pytest.mark.parametrize(
    ("document", "loc", "complaint"),
    [
        # Unknown keys, at the top and deep down.
        ({"titel": {"en": "x"}}, ("titel",), "Extra inputs"),
        ({"learner_effort": {"hours": 10, "hourz": 3}}, ("learner_effort", "hourz"), "Extra"),
        ({"award": {"issued_on": "2025-07-01"}}, ("award",), "Extra inputs"),
        # Wrong types.
        ({"learner_effort": {"hours": "ten"}}, ("learner_effort", "hours"), "valid decimal"),
        ({"learner_effort": {"hours": True}}, ("learner_effort", "hours"), "Decimal input"),
        ({"learning_outcomes": "Explain statistics"}, ("learning_outcomes",), "valid tuple"),
        ({"languages": "ja"}, ("languages",), "valid tuple"),
        ({"form_of_participation": {"mode": "zoom"}}, ("form_of_participation", "mode"),
         "'online', 'onsite' or 'blended'"),
        ({"levels": [{"framework": "EQF", "level": "five"}]}, ("levels", 0, "level"),
         "valid integer"),
        ({"levels": [{"framework": "EQF", "level": True}]}, ("levels", 0, "level"),
         "not true/false"),
        ({"stackability": {"stackable": "perhaps"}}, ("stackability", "stackable"),
         "valid boolean"),
        ({"dates_of_delivery": [{"start": "next spring"}]}, ("dates_of_delivery", 0, "start"),
         "valid date"),
        ({"code": "DX 101!"}, ("code",), "should match pattern"),
        ({"awarding_body": {"id": "Example U", "name": {"en": "Example U"}}},
         ("awarding_body", "id"), "should match pattern"),
        # Hours: positive, at most two decimals, not absurd.
        ({"learner_effort": {"hours": -1}}, ("learner_effort", "hours"), "greater than 0"),
        ({"learner_effort": {"hours": 0}}, ("learner_effort", "hours"), "greater than 0"),
        ({"learner_effort": {"hours": "10000.01"}}, ("learner_effort", "hours"),
         "less than or equal to 10000"),
        ({"learner_effort": {"hours": 1_000_000}}, ("learner_effort", "hours"),
         "less than or equal to 10000"),
        ({"learner_effort": {"hours": "10.125"}}, ("learner_effort", "hours"),
         "no more than 2 decimal places"),
        ({"learner_effort": {"hours": float("nan")}}, ("learner_effort", "hours"), "finite"),
        ({"learner_effort": {"hours": 10, "duration_weeks": 0}},
         ("learner_effort", "duration_weeks"), "greater than or equal to 1"),
        # Credits.
        ({"learner_effort": {"hours": 10, "credits": [{"system": "ects", "value": 0}]}},
         ("learner_effort", "credits", 0, "value"), "greater than 0"),
        ({"learner_effort": {"hours": 10, "credits": [{"system": "cats", "value": 1}]}},
         ("learner_effort", "credits", 0, "system"), "'jp-tani'"),
        ({"learner_effort": {"hours": 60, "credits": [{"system": "ects", "value": 2},
                                                      {"system": "ects", "value": 2}]}},
         ("learner_effort", "credits"), "credit system ects is given twice"),
        # Levels outside their framework.
        ({"levels": [{"framework": "EQF", "level": 9}]}, ("levels", 0),
         "EQF has levels 1–8; 9 is not one of them"),
        ({"levels": [{"framework": "EQF", "level": 0}]}, ("levels", 0), "EQF has levels 1–8"),
        ({"levels": [{"framework": "ISCED", "level": 3}]}, ("levels", 0, "framework"), "'JEQF'"),
        # Multilingual text.
        ({"title": "Data use"}, ("title",), 'give the text per language, for example {"ja"'),
        ({"title": {"ja": ""}}, ("title",), "the 'ja' text is empty"),
        ({"title": {"en": "  \n "}}, ("title",), "the 'en' text is empty"),
        ({"title": {}}, ("title",), "needs the text in at least one language"),
        ({"title": {"Japanese": "データ"}}, ("title", "Japanese", "[key]"), "match pattern"),
        ({"description": {"en": "x" * (MAX_TEXT_LENGTH + 1)}}, ("description",),
         f"at most {MAX_TEXT_LENGTH}"),
        ({"title": {"en": 42}}, ("title", "en"), "valid string"),
        # Consistency inside one descriptor.
        ({"issuer_region": {"country": "JP", "subdivision": "US-CA"}}, ("issuer_region",),
         "subdivision US-CA is not in country JP"),
        ({"issuer_region": {"country": "Japan"}}, ("issuer_region", "country"), "match pattern"),
        ({"stackability": {"stackable": False, "targets": [{"title": {"en": "MBA"},
                                                            "kind": "degree"}]}},
         ("stackability",), "targets are given but stackable is false"),
        ({"dates_of_delivery": [{"start": "2025-04-01", "end": "2025-03-31"}]},
         ("dates_of_delivery", 0), "ends (2025-03-31) before it starts (2025-04-01)"),
        ({"assessment": {"methods": []}}, ("assessment", "methods"), "at least 1 item"),
        ({"certification": {"kinds": []}}, ("certification", "kinds"), "at least 1 item"),
        ({"further_information": {}}, ("further_information",), "give a url or a text"),
        ({"price": {"amount": -1, "currency": "JPY"}}, ("price", "amount"), "greater than or"),
        ({"price": {"amount": 1000, "currency": "yen"}}, ("price", "currency"), "match pattern"),
    ],
)
def test_a_malformed_descriptor_is_rejected_where_it_is(
    document: dict[str, Any], loc: tuple[Any, ...], complaint: str
) -> None:
    """Bad input is one error at the descriptor's own location, saying what is wrong."""
    errors = _errors(document)
    assert len(errors) == 1
    (where, message) = errors[0]
    assert where == loc
    assert complaint in message


@pytest.mark.parametrize(
    "award",
    [
        {"learner": {}},
        {"learner": {"identifiers": [{"type": "email", "value": " "}]}},
        {"learner": {"identifiers": [{"type": "fingerprint", "value": "x"}]}},
        {"issued_on": "1 July"},
        {"grade": ""},
        {"colour": "blue"},
    ],
)
def test_a_malformed_award_is_rejected(award: dict[str, Any]) -> None:
    """The learner must be identified by name or identifier; dates are dates; no extra keys."""
    errors = _errors({"award": award}, AwardedMicroCredential)
    assert errors
    assert all(loc[0] == "award" for loc, _ in errors)


def test_an_awarded_micro_credential_needs_its_award() -> None:
    """An awarded micro-credential without ``award`` is not one."""
    assert _errors({}, AwardedMicroCredential) == [(("award",), "Field required")]


@pytest.mark.parametrize("framework", list(LevelFramework))
def test_every_level_of_a_framework_and_no_other_is_accepted(framework: LevelFramework) -> None:
    """Each framework accepts exactly its own levels."""
    low, high = LEVEL_RANGES[framework]
    for level in (low, high):
        assert QualificationLevel(framework=framework, level=level).level == level
    for level in (low - 1, high + 1):
        with pytest.raises(ValidationError):
            QualificationLevel(framework=framework, level=level)


@pytest.mark.parametrize(
    ("framework", "levels"),
    [("EQF", (1, 8)), ("JEQF", (1, 8)), ("MQF", (1, 8)), ("AQF", (1, 10)), ("NZQF", (1, 10))],
)
def test_framework_level_ranges_are_those_of_the_frameworks(
    framework: str, levels: tuple[int, int]
) -> None:
    """EQF, JEQF and MQF have eight levels; AQF and NZQF have ten."""
    assert LEVEL_RANGES[LevelFramework(framework)] == levels


@pytest.mark.parametrize("hours", ["0.01", "1", "9.5", "5580", "10000"])
def test_sane_hours_are_accepted(hours: str) -> None:
    """Anything from a hundredth of an hour to 10,000 hours is a possible learner effort."""
    assert LearnerEffort(hours=Decimal(hours)).hours == Decimal(hours)


def test_credits_are_looked_up_by_system() -> None:
    """A learner effort answers how many credits it states in a given system, if any."""
    effort = LearnerEffort.model_validate(
        {"hours": 90, "credits": [{"system": "jp-tani", "value": 2}]}
    )
    assert effort.credits_in(CreditSystem.JP_TANI) == Decimal(2)
    assert effort.credits_in(CreditSystem.ECTS) is None


def test_documents_are_immutable(complete_document: dict[str, Any]) -> None:
    """A parsed document cannot be changed in place."""
    document = AwardedMicroCredential.model_validate(complete_document)
    with pytest.raises(ValidationError):
        document.code = "OTHER"  # type: ignore[misc]


def test_every_descriptor_is_optional_in_the_model() -> None:
    """Only the provider's code is needed to parse; requirements belong to profiles."""
    programme = Programme.model_validate({"code": "X"})
    assert programme.to_document() == {"code": "X"}


def test_to_document_leaves_out_absent_descriptors(complete_document: dict[str, Any]) -> None:
    """The JSON-ready document has what was stated and nothing else."""
    complete_document["languages"] = []
    del complete_document["stackability"]
    document = AwardedMicroCredential.model_validate(complete_document).to_document()
    assert "languages" not in document
    assert "stackability" not in document
    assert document["learner_effort"]["hours"] == "90"
    assert document["award"]["issued_on"] == "2025-07-01"
