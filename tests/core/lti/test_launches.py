"""The checks of a launch's id_token, as LTI Core 1.3 and the Security Framework state them,
on a token shaped as LTI 1.3 §5.3's example, signed with a key the test makes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from credstack.core.lti.launches import CLAIM, Launch, key_id, verify_id_token
from credstack.errors import AuthenticationRequiredError
from credstack.words import problem_words

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
KEY = RSAKey.generate_key(2048, parameters={"kid": "platform-1", "alg": "RS256"})
OTHER = RSAKey.generate_key(2048, parameters={"kid": "platform-1", "alg": "RS256"})
JWKS = {"keys": [KEY.as_dict(private=False)]}


def _claims(**changes: Any) -> dict[str, Any]:
    stamp = int(NOW.timestamp())
    return {"iss": "https://platform.example.edu", "sub": "a6d5c443-1f51-4783-ba1a",
            "aud": "962fa4d8-bcbf-49a0-94b2-2de05ad274af", "exp": stamp + 300, "iat": stamp,
            "nonce": "fc5fdc6d-5dd6-47f4-b2c9-5d1216e9b771", "name": "Ms Jane Marie Doe",
            "email": "jane@platform.example.edu",
            CLAIM + "deployment_id": "07940580-b309-415e-a37c-914d387c1150",
            CLAIM + "message_type": "LtiResourceLinkRequest", CLAIM + "version": "1.3.0",
            CLAIM + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            CLAIM + "context": {"id": "c1d887f0", "label": "ECON 1010",
                                "title": "Economics as a Social Science"},
            CLAIM + "resource_link": {"id": "200d101f-2c14-434a-a0f3-57c2a42369fd"},
            **changes}


def _verify(token: str) -> dict[str, Any]:
    return verify_id_token(token, jwks=JWKS, issuer="https://platform.example.edu",
                           client_id="962fa4d8-bcbf-49a0-94b2-2de05ad274af",
                           nonce="fc5fdc6d-5dd6-47f4-b2c9-5d1216e9b771",
                           deployments={"07940580-b309-415e-a37c-914d387c1150"}, now=NOW)


def _signed(claims: dict[str, Any], key: RSAKey = KEY) -> str:
    return jwt.encode({"alg": "RS256", "kid": "platform-1"}, claims, key)


def test_the_specification_example_is_accepted() -> None:
    """Every check passes; the launch reads the claims the tool uses."""
    token = _signed(_claims())
    assert key_id(token) == "platform-1"
    launch = Launch.of(_verify(token))
    assert (launch.context_title, launch.email, launch.instructor) == (
        "Economics as a Social Science", "jane@platform.example.edu", False)


@pytest.mark.parametrize(("changes", "rule"), [
    ({"aud": "another"}, "lti-audience"), ({"iss": "https://evil.example"}, "lti-issuer"),
    ({"iat": int(NOW.timestamp()) - 600}, "lti-old"),
    ({"exp": int(NOW.timestamp()) - 120}, "lti-expired"),
    ({"nonce": "another"}, "lti-nonce"),
    ({CLAIM + "deployment_id": "unknown"}, "lti-deployment"),
    ({CLAIM + "version": "1.1"}, "lti-version"),
    ({CLAIM + "message_type": "LtiSubmissionReviewRequest"}, "lti-message-type"),
    ({"aud": ["962fa4d8-bcbf-49a0-94b2-2de05ad274af", "x"]}, "lti-audience"),
])
def test_a_launch_breaking_a_rule_is_refused_naming_it(changes: dict[str, Any],
                                                         rule: str) -> None:
    """Each refusal names the claim and the rule, in English and Japanese."""
    with pytest.raises(AuthenticationRequiredError) as refused:
        _verify(_signed(_claims(**changes)))
    problem = refused.value.problems[0]
    assert problem.rule == rule and problem_words(problem, "en") != problem.code
    assert problem_words(problem, "ja") not in ("", problem.code, problem_words(problem, "en"))


def test_a_signature_of_another_key_is_refused() -> None:
    with pytest.raises(AuthenticationRequiredError) as refused:
        _verify(_signed(_claims(), OTHER))
    assert refused.value.problems[0].rule == "lti-bad-signature"


def test_a_token_that_is_no_jwt_is_refused() -> None:
    with pytest.raises(AuthenticationRequiredError) as refused:
        key_id("not a token")
    assert refused.value.problems[0].rule == "lti-malformed"
