"""Whose a credential is: every way formats name a recipient, hashed or plain, matched
against a learner's identifiers."""

from __future__ import annotations

from credstack.core.credentials.openbadges_v2.recipients import identity_hash
from credstack.core.descriptors.models import IdentifierType
from credstack.core.wallet.recipients import RecipientOutcome, normalise, recipient_of

EMAIL = normalise(IdentifierType.EMAIL, "Hanako@Example.jp")
DID = normalise(IdentifierType.DID, "did:key:z6MkExample")
STUDENT = normalise(IdentifierType.STUDENT_ID, "S-1")


def ob3(*identifiers: dict[str, object], subject_id: str | None = None) -> dict[str, object]:
    subject: dict[str, object] = {"identifier": list(identifiers)}
    if subject_id:
        subject["id"] = subject_id
    return {"type": ["VerifiableCredential"], "credentialSubject": subject}


def test_a_hashed_email_names_the_learner_in_any_case() -> None:
    document = ob3({"identityType": "emailAddress", "hashed": True, "salt": "pepper",
                    "identityHash": identity_hash("hanako@example.jp", "pepper")})
    found = recipient_of(document, [STUDENT, EMAIL])
    assert found.outcome is RecipientOutcome.MATCHED and found.identifier == EMAIL
    assert EMAIL.value == "hanako@example.jp"


def test_a_plain_identifier_of_another_type_does_not_match_an_email() -> None:
    document = ob3({"identityType": "sisSourcedId", "hashed": False,
                    "identityHash": "hanako@example.jp"})
    assert recipient_of(document, [EMAIL]).outcome is RecipientOutcome.SOMEONE_ELSE
    assert recipient_of(document, [normalise(IdentifierType.STUDENT_ID, "hanako@example.jp")]
                        ).outcome is RecipientOutcome.MATCHED


def test_the_subject_id_names_a_did_or_a_mailto_address() -> None:
    assert recipient_of(ob3(subject_id=DID.value), [EMAIL, DID]).identifier == DID
    assert recipient_of(ob3(subject_id="mailto:hanako@example.jp"), [EMAIL]).identifier == EMAIL
    assert recipient_of(ob3(subject_id="did:key:z6MkOther"), [EMAIL, DID]
                        ).outcome is RecipientOutcome.SOMEONE_ELSE


def test_a_names_only_subject_names_nobody() -> None:
    document = ob3({"identityType": "name", "hashed": False, "identityHash": "Hanako"})
    found = recipient_of(document, [EMAIL])
    assert found.outcome is RecipientOutcome.UNNAMED and found.claims == ()
    assert recipient_of(None, [EMAIL]).outcome is RecipientOutcome.UNNAMED


def test_open_badges_2_recipients_and_jwt_claims() -> None:
    assertion = {"recipient": {"type": "email", "hashed": True, "salt": "s",
                               "identity": identity_hash("hanako@example.jp", "s")}}
    assert recipient_of(assertion, [EMAIL]).outcome is RecipientOutcome.MATCHED
    claims = {"vc": {"credentialSubject": {}}, "sub": DID.value}
    assert recipient_of(claims, [DID]).identifier == DID
    wrong_salt = {"recipient": {**assertion["recipient"], "salt": "t"}}
    assert recipient_of(wrong_salt, [EMAIL]).outcome is RecipientOutcome.SOMEONE_ELSE
