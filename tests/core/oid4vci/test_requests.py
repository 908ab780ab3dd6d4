"""Token and Credential Request parameters read into small types, refused with the spec's
codes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from credstack.core.oid4vci.requests import authorization_details, credential_request
from credstack.errors import ExchangeProtocolError


def test_authorization_details_name_configurations() -> None:
    text = json.dumps([{"type": "openid_credential",
                        "credential_configuration_id": "OpenBadgeCredential_ldp_vc"}])
    assert authorization_details(text) == ("OpenBadgeCredential_ldp_vc",)
    assert authorization_details(None) is None


@pytest.mark.parametrize("text", ["[]", "{}", "not json", json.dumps([{"type": "other"}]),
                                  json.dumps([{"type": "openid_credential",
                                               "credential_configuration_id": "x"}])])
def test_unusable_authorization_details_are_refused(text: str) -> None:
    with pytest.raises(ExchangeProtocolError) as refused:
        authorization_details(text)
    assert refused.value.error == "invalid_authorization_details"


def test_a_request_with_one_jwt_proof_is_read_in_both_spellings() -> None:
    """proofs.jwt (1.0), proof (earlier drafts) and a proof_type beside jwt (Digital
    Bazaar's client)."""
    for body in ({"credential_identifier": "a", "proofs": {"jwt": ["t"]}},
                 {"credential_identifier": "a", "proof": {"proof_type": "jwt", "jwt": "t"}},
                 {"credential_identifier": "a", "proofs": {"proof_type": "jwt", "jwt": ["t"]}}):
        assert credential_request(body).proof == "t"


@pytest.mark.parametrize(("body", "code"), [
    ({"proofs": {"jwt": ["t"]}}, "invalid_credential_request"),
    ({"credential_identifier": "a", "credential_configuration_id":
      "OpenBadgeCredential_ldp_vc", "proofs": {"jwt": ["t"]}}, "invalid_credential_request"),
    ({"credential_configuration_id": "mso_mdoc", "proofs": {"jwt": ["t"]}},
     "unknown_credential_configuration"),
    ({"credential_identifier": "a"}, "invalid_proof"),
    ({"credential_identifier": "a", "proofs": {"di_vp": [{}]}}, "invalid_proof"),
    ({"credential_identifier": "a", "proofs": {"jwt": ["t", "u"]}},
     "invalid_credential_request"),
    ({"credential_identifier": "a", "proofs": {"jwt": ["t"]},
      "credential_response_encryption": {}}, "invalid_encryption_parameters"),
    ([], "invalid_credential_request"),
])
def test_malformed_requests_get_the_spec_codes(body: Any, code: str) -> None:
    with pytest.raises(ExchangeProtocolError) as refused:
        credential_request(body)
    assert refused.value.error == code
