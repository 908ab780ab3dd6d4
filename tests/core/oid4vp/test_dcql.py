"""DCQL: queries read and refused with their place; credentials matched by format, type,
vct and claims; credential sets."""

from __future__ import annotations

from typing import Any

import pytest

from credstack.core.oid4vp import dcql
from credstack.errors import ExchangeProtocolError

OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
CREDENTIAL = {"type": ["VerifiableCredential", "OpenBadgeCredential"],
              "credentialSubject": {"achievement": {"name": "IoT"},
                                    "identifier": [{"identityType": "emailAddress"}]}}
QUERY = {"credentials": [
    {"id": "ldp", "format": "ldp_vc", "meta": {"type_values": [[OB]]},
     "claims": [{"path": ["credentialSubject", "achievement", "name"]}]},
    {"id": "sd", "format": "vc+sd-jwt", "meta": {"vct_values": [OB]}}],
    "credential_sets": [{"options": [["ldp"], ["sd"]]}]}


def test_an_open_badge_matches_by_expanded_type_and_claims() -> None:
    query = dcql.parse(QUERY)
    assert dcql.matches(query.credentials[0], format="ldp_vc", document=CREDENTIAL)
    assert not dcql.matches(query.credentials[0], format="jwt_vc_json", document=CREDENTIAL)
    assert not dcql.matches(query.credentials[0], format="ldp_vc",
                            document={**CREDENTIAL, "type": ["VerifiableCredential"]})


def test_the_older_sd_jwt_format_name_is_read_and_vct_compared() -> None:
    query = dcql.parse(QUERY)
    assert query.credentials[1].format == "dc+sd-jwt"
    assert dcql.matches(query.credentials[1], format="dc+sd-jwt", document={"vct": OB})
    assert not dcql.matches(query.credentials[1], format="dc+sd-jwt", document={"vct": "x"})


@pytest.mark.parametrize(("path", "values", "expected"), [
    (["credentialSubject", "identifier", None, "identityType"], None, True),
    (["credentialSubject", "identifier", 0, "identityType"], ["emailAddress"], True),
    (["credentialSubject", "identifier", 0, "identityType"], ["name"], False),
    (["credentialSubject", "result"], None, False),
])
def test_claims_paths_select_members_elements_and_every_element(
        path: list[Any], values: list[Any] | None, expected: bool) -> None:
    claim: dict[str, Any] = {"path": path, **({"values": values} if values else {})}
    query = dcql.parse({"credentials": [{"id": "q", "format": "ldp_vc", "claims": [claim]}]})
    assert dcql.matches(query.credentials[0], format="ldp_vc", document=CREDENTIAL) is expected


def test_one_option_of_a_required_set_satisfies_the_query() -> None:
    query = dcql.parse(QUERY)
    assert dcql.satisfied(query, ["sd"]) and not dcql.satisfied(query, [])
    plain = dcql.parse({"credentials": QUERY["credentials"]})
    assert not dcql.satisfied(plain, ["sd"]) and dcql.satisfied(plain, ["sd", "ldp"])


@pytest.mark.parametrize("query", [
    {}, {"credentials": []}, {"credentials": [{"id": "a b", "format": "ldp_vc"}]},
    {"credentials": [{"id": "a", "format": "mso_mdoc"}]},
    {"credentials": [{"id": "a", "format": "ldp_vc", "claims": [{"path": []}]}]},
    {"credentials": [{"id": "a", "format": "ldp_vc"}, {"id": "a", "format": "ldp_vc"}]},
    {"credentials": [{"id": "a", "format": "ldp_vc"}], "credential_sets": [{"options": [["b"]]}]},
])
def test_a_malformed_query_is_an_invalid_request(query: dict[str, Any]) -> None:
    with pytest.raises(ExchangeProtocolError) as refused:
        dcql.parse(query)
    assert refused.value.error == "invalid_request"
