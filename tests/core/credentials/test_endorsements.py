"""The endorsement credential of a recognition decision (Open Badges 3.0 EndorsementCredential).

Built pure and unsigned; validated against the 1EdTech formal JSON Schema of the
EndorsementCredential (``../shared/ref/schemas/ob-v3p0/json/``), and read back — ours and the
1EdTech validator's own example.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator

from credstack.core.credentials.endorsements import (
    build_endorsement_credential,
    decision_url,
    is_endorsement,
    read_endorsement,
)
from credstack.core.credentials.openbadges_v3 import IssuerProfile
from credstack.core.review.labels import Label
from credstack.core.types import MultilingualText
from credstack.errors import InputError, MalformedCredentialError
from credstack.words import words

BASE = "https://credstack.example"
BODY = IssuerProfile(id="did:web:credstack.example:organisations:jmicro",
                     name=MultilingualText({"ja": "日本マイクロクレデンシャル機構",
                                            "en": "Japan Micro-credential Organisation"}))
ACHIEVEMENT = f"{BASE}/achievements/12/v3"
FROM = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
UNTIL = dt.datetime(2029, 4, 1, tzinfo=dt.UTC)
TITLE = MultilingualText({"ja": "実践データサイエンス入門",
                          "en": "Practical Introduction to Data Science"})


def endorsement(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        issuer=BODY, credential_id=f"{BASE}/recognitions/R-2026-0001",
        achievement_id=ACHIEVEMENT, outcome="recognised-with-conditions",
        conditions=Label("評価基準を公開すること。", "Publish the assessment rubric."),
        decision_number="R-2026-0001", decision_page=decision_url(BASE, "R-2026-0001"),
        valid_from=FROM, valid_until=UNTIL, programme_title=TITLE, words=words)
    values.update(changes)
    return build_endorsement_credential(**values)


def schema_errors(shared_ref: Path, document: dict[str, Any]) -> list[str]:
    path = shared_ref / "schemas" / "ob-v3p0" / "json" / "ob_v3p0_endorsementcredential_schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return [f"{list(error.absolute_path)}: {error.message}"
            for error in Draft201909Validator(schema).iter_errors(document)]


def test_the_credential_validates_against_the_1edtech_schema(shared_ref: Path) -> None:
    """The unsigned credential, and with a status entry and an array proof, match the schema."""
    document = endorsement()
    assert schema_errors(shared_ref, document) == []
    document["credentialStatus"] = {
        "id": f"{BASE}/status-lists/jmicro/1/revocation#42", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "42",
        "statusListCredential": f"{BASE}/status-lists/jmicro/1/revocation"}
    document["proof"] = [{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
                          "created": "2026-04-01T00:00:00Z", "proofPurpose": "assertionMethod",
                          "verificationMethod": f"{BODY.id}#key-1", "proofValue": "z3"}]
    assert schema_errors(shared_ref, document) == []


def test_the_shape_is_the_one_the_spec_gives() -> None:
    """VC 2.0 and OB 3.0 contexts, the two types, the body's profile, the subject, the period."""
    document = endorsement()
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert document["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert document["issuer"] == {"id": BODY.id, "type": ["Profile"],
                                  "name": "日本マイクロクレデンシャル機構"}
    assert document["validFrom"] == "2026-04-01T00:00:00Z"
    assert document["validUntil"] == "2029-04-01T00:00:00Z"
    subject = document["credentialSubject"]
    assert subject["id"] == ACHIEVEMENT and subject["type"] == ["EndorsementSubject"]
    assert document["name"] and "R-2026-0001" in document["name"]
    assert "proof" not in document and "credentialStatus" not in document


def test_the_comment_states_the_decision_in_japanese_and_english() -> None:
    """Outcome, conditions, number and the decision's public page, ja then en."""
    comment = endorsement()["credentialSubject"]["endorsementComment"]
    japanese, english = comment.split("\n\n")
    assert "条件付き認定" in japanese and "評価基準を公開すること。" in japanese
    assert "Recognised with conditions" in english and "Publish the assessment rubric." in english
    for part in (japanese, english):
        assert "R-2026-0001" in part
        assert f"{BASE}/recognition/decisions/R-2026-0001" in part
    plain = endorsement(outcome="recognised", conditions=None)
    assert "条件" not in plain["credentialSubject"]["endorsementComment"]


def test_the_same_decision_gives_the_same_credential() -> None:
    assert endorsement() == endorsement()


@pytest.mark.parametrize(("changes", "location"), [
    ({"outcome": "not-recognised"}, "outcome"),
    ({"outcome": "maybe"}, "outcome"),
    ({"decision_number": "R 2026/1"}, "decision_number"),
    ({"valid_until": FROM}, "valid_until"),
    ({"valid_from": dt.datetime(2026, 4, 1)}, "valid_from"),
])
def test_what_is_no_recognition_is_refused(changes: dict[str, Any], location: str) -> None:
    with pytest.raises(InputError) as raised:
        endorsement(**changes)
    assert location in [problem.location for problem in raised.value.problems]


def test_the_reader_gives_what_is_endorsed_by_whom_until_when() -> None:
    found = read_endorsement(endorsement())
    assert found.endorsed_id == ACHIEVEMENT
    assert found.issuer_id == BODY.id and found.issuer_name == "日本マイクロクレデンシャル機構"
    assert (found.valid_from, found.valid_until) == (FROM, UNTIL)
    assert found.credential_id == f"{BASE}/recognitions/R-2026-0001"


def test_the_reader_reads_the_1edtech_example(shared_ref: Path) -> None:
    path = shared_ref / "examples" / "ob-v3p0" / "validator" / "endorsement-valid.json"
    example = json.loads(path.read_text(encoding="utf-8"))
    assert is_endorsement(example)
    found = read_endorsement(example)
    assert found.endorsed_id == "https://1edtech.edu/issuers/565049"
    assert found.issuer_name == "State Department of Education"
    assert found.valid_until == dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(("change", "location"), [
    ({"type": ["VerifiableCredential", "OpenBadgeCredential"]}, "type"),
    ({"credentialSubject": {"type": ["EndorsementSubject"]}}, "credentialSubject.id"),
    ({"credentialSubject": {"id": ACHIEVEMENT, "type": ["AchievementSubject"]}},
     "credentialSubject.type"),
    ({"issuer": {"name": "x"}}, "issuer"),
    ({"validUntil": "tomorrow"}, "validUntil"),
])
def test_the_reader_refuses_what_is_not_an_endorsement(change: dict[str, Any],
                                                       location: str) -> None:
    document = {**endorsement(), **change}
    assert is_endorsement(document) is (change.get("type") is None)
    with pytest.raises(MalformedCredentialError) as raised:
        read_endorsement(document)
    assert [problem.location for problem in raised.value.problems] == [location]
