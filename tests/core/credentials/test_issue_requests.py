"""What the issuer writes into a credential it is asked to sign through the VC-API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from credstack.core.credentials.issue_requests import VC_V2_CONTEXT_URL, prepare

ISSUER = "did:web:credstack.example:organisations:hokuto-tech"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
PROFILE = {"id": ISSUER, "type": ["Profile"], "name": "北斗工科大学"}
NOW = dt.datetime(2026, 4, 1, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def open_badge(**extra: Any) -> dict[str, Any]:
    return {"@context": [VC_V2_CONTEXT_URL, OB3],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "credentialSubject": {"type": ["AchievementSubject"], "id": "did:example:learner"},
            **extra}


def prepared(credential: dict[str, Any]) -> dict[str, Any]:
    return prepare(credential, issuer_id=ISSUER, accepted_issuers=[ISSUER],
                   credential_id="urn:uuid:0", data_integrity=True, issuer_profile=PROFILE,
                   issued_at=NOW).document


@pytest.mark.parametrize("issuer", [None, ISSUER])
def test_an_open_badge_gets_the_issuers_profile_and_the_time_of_issue(issuer: str | None
                                                                      ) -> None:
    """Without an issuer, or with the issuer's identifier only: its Profile object; without
    validFrom: the time of issue, in UTC to the second."""
    document = prepared(open_badge(**({"issuer": issuer} if issuer else {})))
    assert document["issuer"] == PROFILE
    assert document["validFrom"] == "2026-04-01T00:30:15Z"


def test_what_an_open_badge_states_itself_is_kept() -> None:
    """A given validFrom stays; a profile object given without a type gets Profile."""
    document = prepared(open_badge(issuer={"id": ISSUER, "name": "Hokuto"},
                                   validFrom="2025-01-01T00:00:00Z"))
    assert document["issuer"] == {"id": ISSUER, "name": "Hokuto", "type": ["Profile"]}
    assert document["validFrom"] == "2025-01-01T00:00:00Z"


def test_a_credential_that_is_no_open_badge_is_signed_as_given() -> None:
    """The Open Badges requirements are not written into other credentials."""
    document = prepared({"@context": [VC_V2_CONTEXT_URL], "type": ["VerifiableCredential"],
                         "credentialSubject": {"id": "did:example:learner"}})
    assert document["issuer"] == ISSUER
    assert "validFrom" not in document
