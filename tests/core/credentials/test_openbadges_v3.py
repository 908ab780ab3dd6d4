"""Open Badges 3.0 credentials built from micro-credential descriptors.

Every demo programme (and a programme that states every descriptor) becomes a credential
that the 1EdTech OB 3.0 JSON Schema accepts, that expands as JSON-LD without dropping or
guessing a single term, and from which the descriptors read back into an equal programme.
The standards data (schemas, contexts, the 1EdTech example credential) is read from
``../shared/ref`` at run time; the JSON-LD loader below is a test helper that knows only
those files and the bundled extension context — it never fetches.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator, Draft202012Validator
from pydantic import BaseModel
from pyld import jsonld
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909

import credstack.core.credentials as credentials_package
from credstack.core.credentials import openbadges_v3
from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    OB_CONTEXT_URL,
    VC_CONTEXT_URL,
    VOCABULARY_BASE,
    IssuerProfile,
    achievement_type,
    build_achievement,
    build_open_badge_credential,
    descriptors_from_credential,
    extension_context,
    identity_hash,
)
from credstack.core.descriptors.models import (
    AssessmentMethod,
    Award,
    FieldOfStudy,
    Programme,
    Supervision,
)
from credstack.core.descriptors.synthetic import generate_programmes
from credstack.demo import load_demo_documents
from credstack.errors import InputError, MalformedCredentialError

DOCS = Path(__file__).resolve().parents[3] / "docs" / "mc-extension.md"
CREDENTIAL_ID = "urn:uuid:0b4b7a52-6f0e-4a39-9a8c-2f3f4c8e8a01"
VALID_FROM = dt.datetime(2026, 3, 31, 15, 0, tzinfo=dt.UTC)
SALT = "c2FsdC1mb3ItdGVzdHM"

DEMO = load_demo_documents().programmes
SYNTHETIC = generate_programmes(120, seed=3).programmes

#: A programme that states every descriptor, with every optional part filled in.
COMPLETE: dict[str, Any] = {
    "code": "DX-201",
    "title": {"ja": "データ活用実践", "en": "Applied data use", "de": "Angewandte Datennutzung"},
    "awarding_body": {
        "id": "example-university",
        "name": {"ja": "例示大学", "en": "Example University"},
        "url": "https://example.ac.jp/",
    },
    "issuer_region": {"country": "JP", "subdivision": "JP-13"},
    "description": {"ja": "業務データの分析手法を学ぶ。", "en": "Methods for business data."},
    "learning_outcomes": [
        {"statement": {"ja": "基本統計量を説明できる。", "en": "Explain descriptive statistics."}},
        {"statement": {"ja": "回帰分析を実行できる。", "en": "Run a regression analysis."}},
    ],
    "form_of_participation": {
        "mode": "blended", "pace": "mixed", "description": {"ja": "土曜に対面", "en": "Saturdays"},
    },
    "languages": ["ja", "en"],
    "learner_effort": {
        "hours": "90.5",
        "credits": [
            {"system": "ects", "value": "3"},
            {"system": "jp-tani", "value": "2"},
            {"system": "my-credit", "value": "2.25"},
        ],
        "duration_weeks": 13,
    },
    "assessment": {
        "methods": ["examination", "report", "peer-review"],
        "description": {"ja": "筆記試験とレポート", "en": "A written exam and a report"},
        "supervision": "supervised-onsite-identity-check",
        "grading": {"ja": "S・A・B・C で C 以上が合格", "en": "S, A, B, C; C or better passes"},
    },
    "quality_assurance": [
        {
            "kind": "internal", "scope": "programme",
            "body": {"ja": "例示大学", "en": "Example University"},
            "description": {"ja": "自己点検", "en": "Self-evaluation"},
            "url": "https://example.ac.jp/qa",
        },
        {"kind": "external", "scope": "institution", "valid_until": "2030-03-31"},
    ],
    "levels": [{"framework": "EQF", "level": 5}, {"framework": "JEQF", "level": 5}],
    "certification": {
        "kinds": ["rishu-shomei", "digital-badge"], "description": {"en": "A badge and a paper"},
    },
    "credit_recognition": {
        "kinds": ["academic-credit", "recognition-of-prior-learning"],
        "description": {"ja": "本学の単位として認定", "en": "Counts as our credit"},
    },
    "prerequisites": {"ja": "表計算ソフトの基本操作", "en": "Basic spreadsheet skills"},
    "stackability": {
        "stackable": True,
        "targets": [
            {
                "title": {"ja": "データサイエンス履修証明", "en": "Data science certificate"},
                "kind": "certificate-programme",
                "credits": {"system": "jp-tani", "value": "8"},
                "url": "https://example.ac.jp/ds-certificate",
            },
            {"title": {"en": "Master of Data Science"}, "kind": "degree"},
        ],
        "description": {"en": "Four modules make the certificate."},
    },
    "dates_of_delivery": [{"start": "2026-04-01", "end": "2026-06-30"}, {"start": "2026-10-01"}],
    "inherent_requirements": {"ja": "PC を使えること", "en": "Able to use a computer"},
    "price": {
        "amount": "50000.50", "currency": "JPY",
        "financial_assistance": {"ja": "教育訓練給付", "en": "Training benefit"},
    },
    "further_information": {"url": "https://example.ac.jp/dx-201", "text": {"en": "Ask us."}},
    "fields": ["digital", "business"],
    "skills": [
        {
            "name": {"ja": "データ分析", "en": "Data analysis"}, "framework": "ESCO",
            "code": "S2.7", "url": "https://esco.example.org/skill/data-analysis",
        },
        {"name": {"ja": "機械学習", "en": "Machine learning"}, "framework": "SFIA", "code": "MLNG"},
    ],
}

AWARD: dict[str, Any] = {
    "learner": {
        "name": {"ja": "山田花子", "en": "Hanako Yamada"},
        "identifiers": [
            {"type": "email", "value": "hanako@example.jp"},
            {"type": "student-id", "value": "S-2026-0042"},
        ],
    },
    "issued_on": "2026-03-31",
    "grade": "A",
}


def _issuer(programme: Programme) -> IssuerProfile:
    """The awarding body itself as the issuer, under a did:web of its own."""
    assert programme.awarding_body is not None
    body = programme.awarding_body
    return IssuerProfile(
        id=f"did:web:credstack.example:organisations:{body.id}",
        name=body.name,
        url=body.url,
        slug=body.id,
    )


def _credential(programme: Programme, **changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "programme": programme,
        "award": Award.model_validate(AWARD),
        "issuer": _issuer(programme),
        "credential_id": CREDENTIAL_ID,
        "achievement_id": f"https://credstack.example/achievements/{programme.code}/v1",
        "valid_from": VALID_FROM,
        "valid_until": VALID_FROM + dt.timedelta(days=3650),
        "salt": SALT,
    }
    arguments.update(changes)
    return build_open_badge_credential(**arguments)


def _complete(**changes: Any) -> Programme:
    return Programme.model_validate({**copy.deepcopy(COMPLETE), **changes})


# --- standards data, read at run time ---------------------------------------------------


@cache
def _achievement_credential_validator(ref: Path) -> Draft201909Validator:
    """The formal 1EdTech schema, with every schema of its folder in the registry."""
    folder = ref / "schemas" / "ob-v3p0" / "json"
    schemas = {path.name: json.loads(path.read_text("utf-8")) for path in folder.glob("*.json")}
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT201909))
        for schema in schemas.values()
    )
    schema = schemas["ob_v3p0_achievementcredential_schema.json"]
    return Draft201909Validator(
        schema, registry=registry, format_checker=Draft201909Validator.FORMAT_CHECKER
    )


@cache
def _vc_validator(ref: Path) -> Draft202012Validator:
    schema = json.loads((ref / "schemas" / "vc-v2" / "verifiable-credential-schema.json")
                        .read_text("utf-8"))
    return Draft202012Validator(schema)


@cache
def _contexts(ref: Path) -> dict[str, Any]:
    folder = ref / "contexts"
    index = json.loads((folder / "index.json").read_text("utf-8"))
    documents = {url: json.loads((folder / path).read_text("utf-8")) for url, path in index.items()}
    documents[EXTENSION_CONTEXT_URL] = extension_context()
    return documents


def _loader(ref: Path) -> Any:
    """A pyld document loader over the shared contexts and ours; anything else is an error."""
    documents = _contexts(ref)

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url not in documents:
            raise LookupError(f"the test loader does not know the context {url}")
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(documents[url])}

    return load


def _refuse_dropped(term: str | None) -> None:
    raise AssertionError(f"the JSON-LD term {term!r} does not expand and would be dropped")


def _expand(credential: dict[str, Any], ref: Path) -> list[Any]:
    """Safe-mode expansion: a term that does not expand fails the test."""
    expanded: list[Any] = jsonld.expand(
        # No base IRI: pyld would otherwise resolve a relative IRI (an undefined type, say)
        # against http://example.org/base/ and hide it.
        copy.deepcopy(credential), {"documentLoader": _loader(ref), "base": None},
        on_property_dropped=_refuse_dropped,
    )
    return expanded


_ABSOLUTE_IRI = re.compile(r"^(?!http://example\.org/base/)[A-Za-z][A-Za-z0-9+.-]*:")


def _iri_problems(node: Any, path: str = "$") -> Iterator[str]:
    """Every property, type or node id in expanded JSON-LD that is not an absolute IRI."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _iri_problems(item, f"{path}[{index}]")
        return
    if not isinstance(node, dict) or "@value" in node:
        return
    for key, value in node.items():
        if key == "@type":
            yield from (f"{path}: type {t!r}" for t in value if not _ABSOLUTE_IRI.match(t))
        elif key == "@id":
            if not (value.startswith("_:") or _ABSOLUTE_IRI.match(value)):
                yield f"{path}: id {value!r}"
        else:
            if not key.startswith("@") and not _ABSOLUTE_IRI.match(key):
                yield f"{path}: property {key!r}"
            yield from _iri_problems(value, f"{path}.{key}")


def _assert_schema_valid(credential: dict[str, Any], ref: Path) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in _achievement_credential_validator(ref).iter_errors(credential)]
    errors += [f"VC 2.0 {list(e.absolute_path)}: {e.message}"
               for e in _vc_validator(ref).iter_errors(credential)]
    assert errors == []
    # python-jsonschema checks "date-time" only with an optional package; check by hand.
    for name in ("validFrom", "validUntil", "awardedDate"):
        if name in credential:
            assert dt.datetime.fromisoformat(credential[name]).tzinfo is not None, name


def _assert_expands_completely(credential: dict[str, Any], ref: Path) -> None:
    expanded = _expand(credential, ref)
    assert list(_iri_problems(expanded)) == []


# --- every demo programme ---------------------------------------------------------------


@pytest.mark.parametrize("programme", DEMO, ids=lambda p: p.code)
def test_every_demo_credential_passes_the_ob_json_schema(
    programme: Programme, shared_ref: Path
) -> None:
    """Each of the demo programmes gives a credential the OB 3.0 and VC 2.0 schemas accept."""
    _assert_schema_valid(_credential(programme), shared_ref)


@pytest.mark.parametrize("programme", DEMO, ids=lambda p: p.code)
def test_every_demo_credential_expands_without_dropping_a_term(
    programme: Programme, shared_ref: Path
) -> None:
    """Safe-mode JSON-LD expansion keeps every property and type as an absolute IRI."""
    _assert_expands_completely(_credential(programme), shared_ref)


@pytest.mark.parametrize("programme", DEMO, ids=lambda p: p.code)
def test_every_demo_credential_gives_its_descriptors_back(programme: Programme) -> None:
    """Reading the descriptors back from the credential gives an equal programme."""
    document = descriptors_from_credential(_credential(programme))
    assert Programme.model_validate(document) == programme
    assert document == programme.to_document()


def test_the_demo_set_is_what_the_tests_cover() -> None:
    """All 93 demo programmes are built, so the parametrised tests are not vacuous."""
    assert len(DEMO) == 93


@pytest.mark.parametrize("programme", SYNTHETIC[:40], ids=lambda p: p.code)
def test_synthetic_programmes_build_valid_expandable_reversible_credentials(
    programme: Programme, shared_ref: Path
) -> None:
    """Generated programmes (foreign issuers, participation-only ones) hold up the same way."""
    credential = _credential(programme)
    _assert_schema_valid(credential, shared_ref)
    _assert_expands_completely(credential, shared_ref)
    assert Programme.model_validate(descriptors_from_credential(credential)) == programme


@pytest.mark.parametrize("programme", SYNTHETIC[40:], ids=lambda p: p.code)
def test_synthetic_programmes_give_their_descriptors_back(programme: Programme) -> None:
    """More generated programmes round-trip (without the slower JSON-LD and schema checks)."""
    assert Programme.model_validate(descriptors_from_credential(_credential(programme))) == (
        programme
    )


# --- a programme with every descriptor --------------------------------------------------


def test_a_complete_programme_passes_the_schema_and_expands(shared_ref: Path) -> None:
    """Every descriptor and every optional part is emitted with a defined term."""
    credential = _credential(_complete())
    _assert_schema_valid(credential, shared_ref)
    _assert_expands_completely(credential, shared_ref)


def test_a_complete_programme_gives_every_descriptor_back() -> None:
    """Nothing is lost on the way: the read-back programme equals the original."""
    programme = _complete()
    assert Programme.model_validate(descriptors_from_credential(_credential(programme))) == (
        programme
    )


def test_the_extension_keeps_every_language_of_every_text() -> None:
    """The standard's fields take one language; the extension keeps them all."""
    achievement = _credential(_complete())["credentialSubject"]["achievement"]
    extension = achievement["microCredential"]
    assert achievement["name"] == "データ活用実践"
    assert extension["title"] == COMPLETE["title"]
    assert extension["learningOutcomes"][1]["statement"] == (
        COMPLETE["learning_outcomes"][1]["statement"]
    )
    assert extension["price"]["financialAssistance"] == (
        COMPLETE["price"]["financial_assistance"]
    )


def test_the_extension_names_its_type_and_uses_camel_case_keys() -> None:
    """One ``MicroCredentialDescriptors`` object whose keys are the model's, in camelCase."""
    extension = _credential(_complete())["credentialSubject"]["achievement"]["microCredential"]
    assert extension["type"] == "MicroCredentialDescriptors"
    assert {"learnerEffort", "qualityAssurance", "datesOfDelivery", "inherentRequirements",
            "furtherInformation", "creditRecognition", "formOfParticipation"} <= set(extension)
    assert extension["learnerEffort"]["durationWeeks"] == 13
    assert extension["awardingBody"]["slug"] == "example-university"
    assert "code" not in extension


def test_the_extension_carries_levels_and_every_credit_amount() -> None:
    """Levels (framework and level) and credits in every system are in the extension."""
    extension = _credential(_complete())["credentialSubject"]["achievement"]["microCredential"]
    assert extension["levels"] == [{"framework": "EQF", "level": 5},
                                   {"framework": "JEQF", "level": 5}]
    assert [c["system"] for c in extension["learnerEffort"]["credits"]] == [
        "ects", "jp-tani", "my-credit"]


# --- the standard's own fields ----------------------------------------------------------


def test_the_credential_has_the_contexts_types_and_dates_in_order() -> None:
    """VC 2.0, OB 3.0.3 and the extension contexts; both types; validity window."""
    credential = _credential(_complete())
    assert credential["@context"] == [VC_CONTEXT_URL, OB_CONTEXT_URL, EXTENSION_CONTEXT_URL]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == CREDENTIAL_ID
    assert credential["validFrom"] == "2026-03-31T00:00:00Z"
    assert credential["validUntil"] == "2036-03-28T15:00:00Z"
    assert credential["awardedDate"] == "2026-03-31T00:00:00Z"
    assert credential["issuer"]["type"] == ["Profile"]
    assert credential["name"] == credential["credentialSubject"]["achievement"]["name"]


@pytest.mark.parametrize("issued_on", ["2026-03-24", "2026-03-31"])
def test_the_date_of_issue_given_is_the_credentials_valid_from(issued_on: str) -> None:
    """One date of issue per credential: the award's ``issued_on`` (a CSV row's) is its
    ``validFrom`` and ``awardedDate`` alike, not the moment it was signed (issue 51)."""
    award = Award.model_validate({**AWARD, "issued_on": issued_on})
    credential = _credential(_complete(), award=award, valid_from=VALID_FROM + dt.timedelta(
        days=7))
    assert credential["validFrom"] == credential["awardedDate"] == f"{issued_on}T00:00:00Z"


def test_without_a_date_of_issue_the_credential_is_issued_when_it_is_signed() -> None:
    """No ``issued_on``: ``validFrom`` and ``awardedDate`` are the moment of issuance."""
    award = Award.model_validate({**AWARD, "issued_on": None})
    credential = _credential(_complete(), award=award)
    assert credential["validFrom"] == credential["awardedDate"] == "2026-03-31T15:00:00Z"


def test_the_achievement_uses_the_standard_fields() -> None:
    """Name, description, criteria, credits, language, field, code, tags and creator."""
    achievement = _credential(_complete())["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["description"] == "業務データの分析手法を学ぶ。"
    assert achievement["humanCode"] == "DX-201"
    assert achievement["inLanguage"] == "ja"
    assert achievement["fieldOfStudy"] == "デジタル・情報"
    assert achievement["tag"] == ["デジタル・情報", "ビジネス・経営"]
    assert achievement["creator"] == {
        "id": "did:web:credstack.example:organisations:example-university",
        "type": ["Profile"],
        "name": "例示大学",
        "url": "https://example.ac.jp/",
    }


def test_the_criteria_narrative_states_outcomes_and_assessment() -> None:
    """The narrative lists the outcomes, the methods, supervision and grading, readably."""
    narrative = _credential(_complete(), language="en")["credentialSubject"]["achievement"][
        "criteria"]["narrative"]
    assert "## Learning outcomes\n\n- Explain descriptive statistics.\n- Run a regression" in (
        narrative)
    assert "Examination, Report, Peer review" in narrative
    assert "Supervised on site, with identity check" in narrative
    assert "Grading: S, A, B, C; C or better passes" in narrative


def test_credits_available_are_in_the_issuer_countrys_system() -> None:
    """A Japanese issuer's credits are 単位; the extension says which system it is."""
    achievement = _credential(_complete())["credentialSubject"]["achievement"]
    assert achievement["creditsAvailable"] == 2
    assert achievement["microCredential"]["creditsAvailableSystem"] == "jp-tani"


def test_credits_available_fall_back_to_the_first_listed_system() -> None:
    """Without credits in the country's own system, the first system listed is used."""
    programme = _complete(issuer_region={"country": "DE"})
    achievement = _credential(programme)["credentialSubject"]["achievement"]
    assert achievement["creditsAvailable"] == 3
    assert achievement["microCredential"]["creditsAvailableSystem"] == "ects"


def test_without_credits_there_is_no_credits_available() -> None:
    """Hours alone are not turned into credits: only the extension states them."""
    programme = _complete(learner_effort={"hours": "12"})
    achievement = _credential(programme)["credentialSubject"]["achievement"]
    assert "creditsAvailable" not in achievement
    assert "creditsAvailableSystem" not in achievement["microCredential"]
    assert achievement["microCredential"]["learnerEffort"] == {"hours": "12"}


def test_fractional_credits_stay_fractional() -> None:
    """2.25 Malaysian credits are the number 2.25."""
    programme = _complete(issuer_region={"country": "MY"})
    assert _credential(programme)["credentialSubject"]["achievement"]["creditsAvailable"] == 2.25


def test_skills_with_a_url_become_alignments() -> None:
    """An Alignment needs a targetUrl, so only skills that have one are aligned."""
    achievement = _credential(_complete(), language="en")["credentialSubject"]["achievement"]
    assert achievement["alignment"] == [{
        "type": ["Alignment"],
        "targetName": "Data analysis",
        "targetType": "ext:Skill",
        "targetUrl": "https://esco.example.org/skill/data-analysis",
        "targetFramework": "ESCO",
        "targetCode": "S2.7",
    }]
    assert len(achievement["microCredential"]["skills"]) == 2


def test_the_grading_scheme_is_a_result_description_and_the_grade_a_result() -> None:
    """The grade achieved points at the achievement's grading scheme."""
    credential = _credential(_complete())
    subject = credential["credentialSubject"]
    description = subject["achievement"]["resultDescription"]
    assert description == [{
        "id": "https://credstack.example/achievements/DX-201/v1#grading",
        "type": ["ResultDescription"],
        "name": "S・A・B・C で C 以上が合格",
        "resultType": "Result",
    }]
    assert subject["result"] == [{
        "type": ["Result"], "value": "A", "resultDescription": description[0]["id"],
    }]


def test_no_grade_no_result() -> None:
    """An award without a grade has no result."""
    award = Award.model_validate({**AWARD, "grade": None})
    assert "result" not in _credential(_complete(), award=award)["credentialSubject"]


def test_the_language_parameter_chooses_the_texts_of_the_standard_fields() -> None:
    """``language="en"`` gives English names, with a fallback for texts without English."""
    credential = _credential(_complete(), language="en")
    achievement = credential["credentialSubject"]["achievement"]
    assert credential["name"] == achievement["name"] == "Applied data use"
    assert credential["issuer"]["name"] == "Example University"
    assert achievement["fieldOfStudy"] == "Digital"
    assert _credential(_complete(), language="de")["name"] == "Angewandte Datennutzung"
    german = _credential(_complete(), language="de")["credentialSubject"]["achievement"]
    assert german["description"] == "Methods for business data."


def test_in_language_takes_the_letter_case_the_ob_schema_wants() -> None:
    """A lower-case script and region become ``zh-Hant-TW``; unfit tags are left out."""
    achievement = _credential(_complete(languages=["zh-hant-tw", "en"]))[
        "credentialSubject"]["achievement"]
    assert achievement["inLanguage"] == "zh-Hant-TW"
    achievement = _credential(_complete(languages=["de-1996"]))["credentialSubject"]["achievement"]
    assert "inLanguage" not in achievement


def test_the_creator_is_only_written_for_the_awarding_body_itself() -> None:
    """An issuer that is not the awarding body never lends its id to the awarding body."""
    programme = _complete()
    platform = IssuerProfile(id="https://platform.example/issuer", name={"en": "Platform"})
    achievement = _credential(programme, issuer=platform)["credentialSubject"]["achievement"]
    assert "creator" not in achievement
    achievement = _credential(
        programme, issuer=platform, creator_id="https://example.ac.jp/profile"
    )["credentialSubject"]["achievement"]
    assert achievement["creator"]["id"] == "https://example.ac.jp/profile"
    assert achievement["creator"]["name"] == "例示大学"


@pytest.mark.parametrize("field", list(FieldOfStudy))
def test_every_field_of_study_has_a_readable_name(field: FieldOfStudy) -> None:
    """``fieldOfStudy`` is a word people read, in both languages, for every field code."""
    for language in ("ja", "en"):
        achievement = _credential(_complete(fields=[field.value]), language=language)[
            "credentialSubject"]["achievement"]
        assert achievement["fieldOfStudy"] not in {"", field.value}


def test_every_assessment_method_and_supervision_has_a_readable_name() -> None:
    """The narrative can name every assessment method and every kind of supervision."""
    for supervision in Supervision:
        programme = _complete(assessment={"methods": [m.value for m in AssessmentMethod],
                                          "supervision": supervision.value})
        narrative = _credential(programme, language="en")["credentialSubject"]["achievement"][
            "criteria"]["narrative"]
        assert "peer-review" not in narrative and "Peer review" in narrative


def test_the_same_inputs_give_the_same_credential() -> None:
    """No clock and no randomness: building twice gives identical JSON."""
    assert json.dumps(_credential(_complete())) == json.dumps(_credential(_complete()))


def test_a_prebuilt_achievement_gives_the_same_credential() -> None:
    """Bulk issuance may build the achievement once; the credential is the same."""
    programme = _complete()
    achievement = build_achievement(
        programme=programme,
        achievement_id=f"https://credstack.example/achievements/{programme.code}/v1",
        creator_id=_issuer(programme).id,
    )
    assert _credential(programme, achievement=achievement) == _credential(programme)


def test_a_prebuilt_achievement_of_another_id_is_refused() -> None:
    """A prebuilt achievement must be the one ``achievement_id`` names."""
    programme = _complete()
    achievement = build_achievement(programme=programme,
                                    achievement_id="https://credstack.example/other")
    with pytest.raises(InputError) as caught:
        _credential(programme, achievement=achievement)
    assert [p.location for p in caught.value.problems] == ["achievement"]


# --- what is a micro-credential ---------------------------------------------------------


def test_assessed_programmes_are_micro_credentials() -> None:
    """Assessed learning outcomes make the achievement a MicroCredential."""
    assert achievement_type(_complete()) == "MicroCredential"


@pytest.mark.parametrize("code", ["HIT-FORUM-2026", "DLA-TALK-2026"])
def test_participation_only_and_unassessed_programmes_build_as_badges(
    code: str, shared_ref: Path
) -> None:
    """A forum badge still builds and validates, but is never called a MicroCredential."""
    programme = next(p for p in DEMO if p.code == code)
    credential = _credential(programme)
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "Badge"
    _assert_schema_valid(credential, shared_ref)
    assert Programme.model_validate(descriptors_from_credential(credential)) == programme


def test_every_assessed_demo_programme_is_a_micro_credential() -> None:
    """All demo programmes but the two deliberate non-MCs are MicroCredentials."""
    kinds = {p.code: _credential(p)["credentialSubject"]["achievement"]["achievementType"]
             for p in DEMO}
    badges = sorted(code for code, kind in kinds.items() if kind != "MicroCredential")
    assert badges == ["DLA-TALK-2026", "HIT-FORUM-2026"]


# --- the learner ------------------------------------------------------------------------


def test_identity_hash_matches_the_specification_example() -> None:
    """OB 3.0 IdentityHash: 'a@example.com' salted with 'Kosher' (the spec's own example)."""
    assert identity_hash("a@example.com", "Kosher") == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
    )


def test_a_salted_email_is_hashed_as_the_specification_describes() -> None:
    """emailAddress, hashed, with the salt, and the sha256$ hex of email + salt."""
    award = Award.model_validate(
        {"learner": {"identifiers": [{"type": "email", "value": "a@example.com"}]}})
    subject = _credential(_complete(), award=award, salt="Kosher")["credentialSubject"]
    assert subject["identifier"] == [{
        "type": "IdentityObject",
        "identityHash": "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": "Kosher",
    }]


def test_without_a_salt_identifiers_are_plain_and_say_so() -> None:
    """No salt: the identifier is stated in plain text with ``hashed: false``."""
    subject = _credential(_complete(), salt=None)["credentialSubject"]
    email = next(i for i in subject["identifier"] if i["identityType"] == "emailAddress")
    assert email == {"type": "IdentityObject", "identityHash": "hanako@example.jp",
                     "identityType": "emailAddress", "hashed": False}


def test_the_learner_name_is_plain_in_every_language_chosen_first() -> None:
    """The name is what people read: never hashed, the chosen language first."""
    subject = _credential(_complete(), language="en")["credentialSubject"]
    names = [i["identityHash"] for i in subject["identifier"] if i["identityType"] == "name"]
    assert names == ["Hanako Yamada", "山田花子"]
    student = next(i for i in subject["identifier"] if i["identityType"] == "sisSourcedId")
    assert student["hashed"] is True


def test_a_did_identifies_the_subject_by_id() -> None:
    """A learner DID becomes ``credentialSubject.id``; further ones stay identifiers."""
    award = Award.model_validate({"learner": {"identifiers": [
        {"type": "did", "value": "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"},
        {"type": "url", "value": "https://learner.example/me"},
    ]}})
    subject = _credential(_complete(), award=award, salt=None)["credentialSubject"]
    assert subject["id"] == "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    assert subject["identifier"][0]["identityHash"] == "https://learner.example/me"


def test_a_learner_identified_by_url_validates_and_expands(shared_ref: Path) -> None:
    """A subject with an id and no identifier is valid OB 3.0 and valid JSON-LD."""
    award = Award.model_validate(
        {"learner": {"identifiers": [{"type": "url", "value": "https://learner.example/me"}]}})
    credential = _credential(_complete(), award=award)
    assert credential["credentialSubject"]["id"] == "https://learner.example/me"
    assert "identifier" not in credential["credentialSubject"]
    _assert_schema_valid(credential, shared_ref)
    _assert_expands_completely(credential, shared_ref)


# --- bad input --------------------------------------------------------------------------


def test_an_award_without_a_learner_is_refused() -> None:
    """A credential must identify its subject: the error names ``award.learner``."""
    with pytest.raises(InputError) as caught:
        _credential(_complete(), award=Award())
    assert [p.location for p in caught.value.problems] == ["award.learner"]


def test_a_programme_without_title_or_description_is_refused() -> None:
    """An Achievement requires a name and a description; the error names both."""
    programme = _complete(title=None, description=None)
    with pytest.raises(InputError) as caught:
        _credential(programme)
    assert [p.location for p in caught.value.problems] == ["title", "description"]


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"valid_from": dt.datetime(2026, 4, 1)}, "valid_from"),
        ({"valid_until": dt.datetime(2027, 4, 1)}, "valid_until"),
        ({"valid_until": dt.datetime(2026, 3, 31, tzinfo=dt.UTC)}, "valid_until"),
        ({"credential_id": "0b4b7a52-6f0e"}, "credential_id"),
        ({"achievement_id": "achievements/1"}, "achievement_id"),
    ],
)
def test_bad_parameters_are_refused_by_name(changes: dict[str, Any], location: str) -> None:
    """Naive datetimes, an inverted window and ids that are not URIs name the parameter."""
    with pytest.raises(InputError) as caught:
        _credential(_complete(), **changes)
    assert [p.location for p in caught.value.problems] == [location]


@pytest.mark.parametrize("issuer_id", ["example.org", "did:", "mailto:a@example.org", ""])
def test_an_issuer_id_must_be_a_did_or_url(issuer_id: str) -> None:
    """The issuer profile's id is a DID or an http(s) URL."""
    with pytest.raises(ValueError, match="neither a DID nor"):
        IssuerProfile(id=issuer_id, name={"en": "X"})


# --- reading descriptors back -----------------------------------------------------------


def test_descriptors_are_read_from_a_foreign_credential(shared_ref: Path) -> None:
    """Without the extension, the standard's fields still give code, title and skills."""
    credential = json.loads(
        (shared_ref / "examples" / "ob-v3p0" / "validator" / "complete.json").read_text("utf-8"))
    document = descriptors_from_credential(credential)
    assert document["code"] == "R1"
    assert document["title"] == {"und": "1EdTech University Degree"}
    assert document["skills"][0]["url"] == "https://1edtech.edu/catalog/degree"
    assert Programme.model_validate(document).title is not None


def test_a_credential_without_an_achievement_is_malformed() -> None:
    """No ``credentialSubject.achievement``: a MalformedCredentialError naming it."""
    with pytest.raises(MalformedCredentialError) as caught:
        descriptors_from_credential({"credentialSubject": {"id": "did:example:1"}})
    assert caught.value.problems[0].location == "credentialSubject.achievement"


def test_a_subject_list_is_read_from_its_first_subject() -> None:
    """VC 2.0 allows a list of subjects; the achievement is read from the first."""
    credential = _credential(_complete())
    credential["credentialSubject"] = [credential["credentialSubject"]]
    assert Programme.model_validate(descriptors_from_credential(credential)) == _complete()


def test_the_json_ld_check_catches_an_undefined_term(shared_ref: Path) -> None:
    """The safe-mode check is not vacuous: an undefined descriptor key fails it."""
    credential = _credential(_complete())
    credential["credentialSubject"]["achievement"]["microCredential"]["mentor"] = "Dr. X"
    with pytest.raises(AssertionError, match="mentor"):
        _assert_expands_completely(credential, shared_ref)


def test_the_json_ld_check_catches_an_undefined_type(shared_ref: Path) -> None:
    """An undefined type would expand to a relative IRI; the check reports it."""
    credential = _credential(_complete())
    credential["credentialSubject"]["achievement"]["microCredential"]["type"] = "Mystery"
    with pytest.raises(AssertionError, match="Mystery"):
        _assert_expands_completely(credential, shared_ref)


def test_the_schema_check_catches_a_broken_credential(shared_ref: Path) -> None:
    """The schema check is not vacuous: an achievement without a name fails it."""
    credential = _credential(_complete())
    del credential["credentialSubject"]["achievement"]["name"]
    with pytest.raises(AssertionError, match="'name' is a required property"):
        _assert_schema_valid(credential, shared_ref)


# --- the extension context --------------------------------------------------------------


def _scoped_terms(context: dict[str, Any]) -> dict[str, Any]:
    """Every term definition of a context, scoped contexts included, by term."""
    terms: dict[str, Any] = {}
    for term, definition in context.items():
        if term.startswith("@"):
            continue
        terms.setdefault(term, definition)
        if isinstance(definition, dict) and isinstance(definition.get("@context"), dict):
            for inner, inner_definition in _scoped_terms(definition["@context"]).items():
                terms.setdefault(inner, inner_definition)
    return terms


def _model_terms(model: type[BaseModel]) -> Iterator[str]:
    """Every field of a descriptor model and of the models inside it, in camelCase."""
    for name, field in model.model_fields.items():
        yield openbadges_v3._camel(name)
        for argument in _types_in(field.annotation):
            if isinstance(argument, type) and issubclass(argument, BaseModel) and (
                    argument.__name__ != "MultilingualText"):
                yield from _model_terms(argument)


def _types_in(annotation: Any) -> Iterator[Any]:
    yield annotation
    for argument in getattr(annotation, "__args__", ()):
        yield from _types_in(argument)


def test_the_extension_context_is_json_ld_1_1_and_protected() -> None:
    """The bundled context is JSON-LD 1.1, protected, and defines the extension type."""
    context = extension_context()["@context"]
    assert context["@version"] == 1.1
    assert context["@protected"] is True
    assert context["microCredential"]["@context"]["@protected"] is True
    assert context["MicroCredentialDescriptors"]["@id"] == (
        VOCABULARY_BASE + "MicroCredentialDescriptors")


def test_every_descriptor_field_has_a_term() -> None:
    """Each field of the descriptor model (but the code, which is humanCode) is a term."""
    terms = _scoped_terms(extension_context()["@context"])
    fields = set(_model_terms(Programme)) - {"code", "id"} | {"slug", "creditsAvailableSystem"}
    assert sorted(fields - set(terms)) == []


def test_every_term_has_a_stable_iri() -> None:
    """Terms live under the credstack vocabulary, or are schema.org's own (name, url …)."""
    for term, definition in _scoped_terms(extension_context()["@context"]).items():
        iri = definition if isinstance(definition, str) else definition["@id"]
        assert iri in {"@id", "@type"} or iri.startswith((VOCABULARY_BASE, "https://schema.org/")
                                                         ), term


def test_every_text_term_is_a_language_map() -> None:
    """Multilingual descriptor texts are JSON-LD language maps."""
    terms = _scoped_terms(extension_context()["@context"])
    for term in ("title", "description", "name", "statement", "grading", "body",
                 "prerequisites", "inherentRequirements", "financialAssistance", "text"):
        assert terms[term]["@container"] == "@language", term


def test_every_term_is_documented() -> None:
    """``docs/mc-extension.md`` describes each term of the context."""
    text = DOCS.read_text("utf-8")
    terms = set(_scoped_terms(extension_context()["@context"])) - {"id", "type"}
    assert sorted(t for t in terms if f"`{t}`" not in text) == []


def test_the_context_is_a_fresh_copy_each_time() -> None:
    """Changing a returned context does not change the next one."""
    extension_context()["@context"]["@version"] = 1.0
    assert extension_context()["@context"]["@version"] == 1.1


def test_the_credentials_package_exports_its_recipes() -> None:
    """The package's public surface is pinned."""
    assert credentials_package.__all__ == [
        "EXTENSION_CONTEXT_URL",
        "IssuerProfile",
        "build_achievement",
        "build_open_badge_credential",
        "descriptors_from_credential",
        "extension_context",
        "identity_hash",
    ]
