"""The credential of an approved decision: Open Badges 3.0, a credit recognition of its own
kind (never the target programme's achievement as if it were completed), the learner's
address hashed with a salt as every credential credstack issues names its learner, the
credits earned and available, the decision and its adjustments narrated."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from credstack.core.credentials.openbadges_v3 import identity_hash
from credstack.core.credentials.openbadges_v3.profile import CREDIT_RECOGNITION_TYPE
from credstack.core.creditbank import Adjustment, adjusted, evaluate
from credstack.core.creditbank.recognised import decision_credential
from credstack.words import words
from tests.core.credentials.test_openbadges_v3 import (
    _assert_expands_completely,
    _assert_schema_valid,
)
from tests.core.creditbank.test_engine import JP, TODAY, deposit

TARGET_URL = "https://mc.example.jp/api/creditbank/targets/t1"
TITLE = {"ja": "学士課程", "en": "Bachelor's programme"}


def _four() -> dict[str, object]:
    """The credential of a decision granting 4 of the target's 124 credits."""
    decision = evaluate(JP, [deposit("a", "other-university", "4")], today=TODAY).to_dict(words)
    return decision_credential(target_url=TARGET_URL, title=TITLE, email="hanako@example.jp",
                               salt="5a1t", decision=decision, adjustments=[], words=words)


def test_the_credential_states_what_was_granted_and_why() -> None:
    """creditsEarned and creditsAvailable carry the figures; the criteria narrate the
    decision, its caps and every adjustment with its reason."""
    decision = adjusted(
        evaluate(JP, [deposit("a", "other-university", "40"),
                      deposit("b", "approved-learning", "30", earned=dt.date(2025, 5, 1))],
                 today=TODAY).to_dict(words),
        [Adjustment("b", Decimal("12.5"), "Half the course matches.")])
    document = decision_credential(
        target_url=TARGET_URL, title=TITLE, email="hanako@example.jp", salt="5a1t",
        decision=decision, adjustments=[{"deposit": "b", "credits": "12.5",
                                         "reason": "Half the course matches."}],
        words=words)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = document["credentialSubject"]
    assert subject["creditsEarned"] == 52.5
    achievement = subject["achievement"]
    assert achievement["creditsAvailable"] == 124
    narrative = achievement["criteria"]["narrative"]
    assert "Granted 52.5 of 124 jp-tani" in narrative
    assert "Cap jp.prior-learning: 52.5 of 60 used" in narrative
    assert "Half the course matches." in narrative


def test_the_learners_address_is_hashed_with_a_salt_as_in_every_other_credential() -> None:
    """The learner is named by the salted SHA-256 of their address (``hashed``, with its
    ``salt``), as a programme's credential names them — never the address in plain text
    (issue 51, defect 1)."""
    document = _four()
    [identity] = document["credentialSubject"]["identifier"]  # type: ignore[index]
    assert identity == {"type": "IdentityObject", "identityType": "emailAddress",
                        "hashed": True, "salt": "5a1t",
                        "identityHash": identity_hash("hanako@example.jp", "5a1t")}
    assert "hanako@example.jp" not in json.dumps(document)


def test_the_credential_is_a_credit_recognition_not_the_targets_programme() -> None:
    """Its achievement is a credit recognition (``achievementType`` ``ext:CreditRecognition``,
    an id of its own beside the target's), and every title it carries says how many of the
    target's credits were recognised toward it, in each language the target has — never the
    programme's title alone, as if the programme were completed (issue 51, defect 1)."""
    document = _four()
    achievement = document["credentialSubject"]["achievement"]  # type: ignore[index]
    assert achievement["achievementType"] == CREDIT_RECOGNITION_TYPE == "ext:CreditRecognition"
    assert achievement["id"] != TARGET_URL and achievement["id"].startswith(TARGET_URL)
    english = "Credit recognised: 4 of 124 credits toward Bachelor's programme"
    assert document["name"] == achievement["name"] == english
    assert achievement["microCredential"] == {
        "type": "MicroCredentialDescriptors",
        "title": {"ja": "単位認定：学士課程 に向けて 124 単位中 4 単位", "en": english},
        "creditsAvailableSystem": "jp-tani"}
    assert "https://w3id.org/credstack/mc/v1" in document["@context"]  # type: ignore[operator]


def test_the_credential_passes_the_ob_and_vc_schemas_and_expands_completely(
        shared_ref: Path) -> None:
    """With what the issuing service adds (its id, issuer and date), the credential is one the
    OB 3.0 and VC 2.0 JSON schemas accept, and every term expands in safe mode."""
    document = {**_four(), "id": "urn:uuid:6f1b5c02-8c8e-4a51-9a3c-0a7d54a3d2f1",
                "issuer": {"id": "did:web:mc.example.jp", "type": ["Profile"],
                           "name": "Hokuto"},
                "validFrom": "2026-11-23T00:00:00Z"}
    _assert_schema_valid(document, shared_ref)
    _assert_expands_completely(document, shared_ref)
