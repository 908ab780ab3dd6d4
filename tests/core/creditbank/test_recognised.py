"""The credential of an approved decision: Open Badges 3.0, the learner named by address,
the credits earned and available, the decision and its adjustments narrated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from credstack.core.creditbank import Adjustment, adjusted, evaluate
from credstack.core.creditbank.recognised import decision_credential
from tests.core.creditbank.test_engine import JP, TODAY, deposit


def test_the_credential_states_what_was_granted_and_why() -> None:
    decision = adjusted(
        evaluate(JP, [deposit("a", "other-university", "40"),
                      deposit("b", "approved-learning", "30", earned=dt.date(2025, 5, 1))],
                 today=TODAY).to_dict(),
        [Adjustment("b", Decimal("12.5"), "Half the course matches.")])
    document = decision_credential(
        target_url="https://mc.example.jp/api/creditbank/targets/t1",
        title={"ja": "学士課程", "en": "Bachelor's programme"}, email="hanako@example.jp",
        decision=decision, adjustments=[{"deposit": "b", "credits": "12.5",
                                         "reason": "Half the course matches."}])
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = document["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "hanako@example.jp"
    assert subject["creditsEarned"] == 52.5
    achievement = subject["achievement"]
    assert achievement["creditsAvailable"] == 124
    narrative = achievement["criteria"]["narrative"]
    assert "Granted 52.5 of 124 jp-tani" in narrative
    assert "Cap jp.prior-learning: 52.5 of 60 used" in narrative
    assert "Half the course matches." in narrative


def test_the_targets_title_travels_in_every_language_it_has() -> None:
    """The achievement's one-string name is English; the target's titles by language travel
    in the microCredential extension (its context named), so a Japanese wallet reads the
    Japanese title (issue 39, defect 7)."""
    decision = evaluate(JP, [deposit("a", "other-university", "4")], today=TODAY).to_dict()
    document = decision_credential(
        target_url="https://mc.example.jp/api/creditbank/targets/t1",
        title={"ja": "学士課程", "en": "Bachelor's programme"}, email="hanako@example.jp",
        decision=decision, adjustments=[])
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == "Bachelor's programme"
    assert achievement["microCredential"] == {
        "type": "MicroCredentialDescriptors",
        "title": {"ja": "学士課程", "en": "Bachelor's programme"}}
    assert "https://w3id.org/credstack/mc/v1" in document["@context"]
